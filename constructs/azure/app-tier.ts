/**
 * Azure app tier: a Linux VM scale set (Uniform orchestration) behind a Standard
 * public load balancer, with an autoscale setting on CPU.
 *
 * - Instances: the VM's hardening (trusted launch with secure boot and vTPM,
 *   encryption at host, Premium SSD, Ubuntu Gen2), the tier's own user-assigned
 *   identity (grants) and application security group (NSG rules), no public IP;
 *   spread and balanced over the location's availability zones (as many as the
 *   network spans, at most 3).
 * - Health: the load balancer's HTTP probe on `healthCheckPath` drives the scale
 *   set's rolling upgrades and automatic instance repairs (both need it at create).
 * - Replacement: upgrade mode Rolling with max surge (new instances first, old
 *   ones removed after, 20 % per batch), so a change of image or user data never
 *   takes every instance down, even with one instance; automatic OS image
 *   upgrades roll the same way.
 * - Scaling: min/desired/max from the props; `instances` belongs to the autoscale
 *   setting after the first apply (ignored by Terraform).
 * - Network paths: the app port admits the `AzureLoadBalancer` service tag (the
 *   probes: the subnet's explicit deny-all at 4096 would otherwise drop them) and
 *   whatever a connection admits (the HTTPS entry admits Front Door's back end).
 * - Operator access (optional): Azure Bastion on the network, SSH admitted from the
 *   Bastion subnet only, Entra ID login through the AADSSHLoginForLinux extension;
 *   extension operations stay off otherwise.
 *
 * Choices and what the provider source showed are in docs/azure.md ("Serving the
 * application") and docs/azure-serve-review.md.
 */
import { Construct } from "constructs";
import { Lb } from "@cdktf/provider-azurerm/lib/lb";
import { LbBackendAddressPool } from "@cdktf/provider-azurerm/lib/lb-backend-address-pool";
import { LbProbe } from "@cdktf/provider-azurerm/lib/lb-probe";
import { LbRule } from "@cdktf/provider-azurerm/lib/lb-rule";
import { LinuxVirtualMachineScaleSet, LinuxVirtualMachineScaleSetExtension } from "@cdktf/provider-azurerm/lib/linux-virtual-machine-scale-set";
import { MonitorAutoscaleSetting } from "@cdktf/provider-azurerm/lib/monitor-autoscale-setting";
import { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { AppTierProps, IAppTier, placeholderUserData, validateAppTierProps } from "../app-tier";
import { IConnectable } from "../connections";
import { Validator, requireKind } from "../core";
import { AzurePrincipal } from "../grants";
import { skuFor } from "../sizes";
import { AzureBastion } from "./bastion";
import { AzureComputeIdentity } from "./compute-identity";
import { AzureConnections } from "./connections";
import { AZURE_LOCATIONS } from "./locations";
import { AzureNetwork } from "./network";
import { AzurePlatform, dependenciesInStack } from "./platform";
import { AZURE_OS_DISK, AZURE_VM_ADMIN_USERNAME, HARDENED_LINUX_VM, customData, sshPublicKeyVariable } from "./virtual-machine";

/** Availability zones of an Azure location that has zones (every such location has three). */
export const AZURE_ZONES = ["1", "2", "3"] as const;

/**
 * Rolling upgrades: new instances first (max surge, so one instance is never taken down before its
 * replacement is healthy), 20 % per batch, abort when more than 20 % are unhealthy, zone by zone.
 * The block is ForceNew in azurerm: changing it replaces the scale set.
 */
export const ROLLING_UPGRADE_POLICY = {
  maxBatchInstancePercent: 20,
  maxUnhealthyInstancePercent: 20,
  maxUnhealthyUpgradedInstancePercent: 20,
  pauseTimeBetweenBatches: "PT0S",
  maximumSurgeInstancesEnabled: true,
  prioritizeUnhealthyInstancesEnabled: true,
  // Zone by zone. Explicit: the provider sends false for zonal scale sets anyway, and the block is ForceNew.
  crossZoneUpgradesEnabled: false,
} as const;

/** Automatic repairs replace an instance the probe reports unhealthy, after this grace period from its (re)start. */
export const INSTANCE_REPAIR = { gracePeriod: "PT15M", action: "Replace" } as const;

/** The load balancer's health probe: HTTP every 5 s, out after 2 failures. */
export const HEALTH_PROBE = { intervalInSeconds: 5, probeThreshold: 2 } as const;

/**
 * Target tracking, the Azure way (autoscale has no target-tracking rule): scale out by one when the
 * average CPU over 5 minutes is above the target, in by one when it is below half of it over 10
 * minutes. Azure's own flapping check refuses a scale-in that would cross the scale-out threshold.
 */
export const AUTOSCALE = {
  metricName: "Percentage CPU",
  metricNamespace: "microsoft.compute/virtualmachinescalesets",
  timeGrain: "PT1M",
  scaleOutWindow: "PT5M",
  scaleInWindow: "PT10M",
  scaleOutCooldown: "PT5M",
  scaleInCooldown: "PT10M",
} as const;

/** The SSH port Bastion sessions reach the instances on. */
export const SSH_PORT = 22;

/** Entra ID login on Linux VMs (OpenSSH certificates): what Bastion's `--auth-type AAD` needs on the instances. */
export const ENTRA_LOGIN_EXTENSION = {
  name: "AADSSHLoginForLinux",
  publisher: "Microsoft.Azure.ActiveDirectory",
  type: "AADSSHLoginForLinux",
  typeHandlerVersion: "1.0",
  autoUpgradeMinorVersion: true,
} as const satisfies LinuxVirtualMachineScaleSetExtension;

/** The built-in role that lets an Entra ID user or group sign in to the instances (without sudo). */
export const OPERATOR_LOGIN_ROLE = "Virtual Machine User Login";

export interface AzureAppTierProps extends AppTierProps {
  /**
   * Entra ID object ids of the users or groups that may sign in to the instances through Bastion
   * (`Virtual Machine User Login` on the scale set). Only with `operatorAccess`.
   * @default - none: assign the role outside Terraform (docs/azure.md)
   */
  readonly operatorPrincipalIds?: readonly string[];
}

/**
 * The tier's public load balancer: the origin of the HTTPS entry (Front Door reaches the instances
 * through its public IP) and the source of the health probes, which the tier admits on its port.
 */
export class AzureAppLoadBalancer extends Construct implements IConnectable {
  /** The Standard load balancer. */
  public readonly resource: Lb;
  /** Zone-redundant static public IP: the address Front Door's origin points at. */
  public readonly publicIp: PublicIp;
  public readonly backendPool: LbBackendAddressPool;
  public readonly probe: LbProbe;
  public readonly rule: LbRule;
  /** A source only: the health probes come from Azure's `AzureLoadBalancer` service tag (168.63.129.16). */
  public readonly connections: AzureConnections;

  constructor(scope: Construct, id: string, props: { name: string; port: number; healthCheckPath: string }) {
    super(scope, id);
    const platform = AzurePlatform.of(this);
    const rg = platform.resourceGroup;
    this.publicIp = new PublicIp(this, "public-ip", {
      name: `${props.name}-ip`,
      location: platform.location,
      resourceGroupName: rg.name,
      allocationMethod: "Static",
      sku: "Standard",
      // All three zones or none: two would come back as three and force a replacement (docs/azure-serve-review.md).
      zones: [...AZURE_ZONES],
      tags: platform.tags,
    });
    const frontend = "public";
    this.resource = new Lb(this, "Resource", {
      name: props.name,
      location: platform.location,
      resourceGroupName: rg.name,
      sku: "Standard",
      frontendIpConfiguration: [{ name: frontend, publicIpAddressId: this.publicIp.id }],
      tags: platform.tags,
    });
    this.backendPool = new LbBackendAddressPool(this, "backend-pool", { name: "instances", loadbalancerId: this.resource.id });
    this.probe = new LbProbe(this, "probe", {
      name: "health",
      loadbalancerId: this.resource.id,
      protocol: "Http",
      port: props.port,
      requestPath: props.healthCheckPath,
      ...HEALTH_PROBE,
    });
    this.rule = new LbRule(this, "rule", {
      name: `http-${props.port}`,
      loadbalancerId: this.resource.id,
      frontendIpConfigurationName: frontend,
      protocol: "Tcp",
      frontendPort: props.port,
      backendPort: props.port,
      backendAddressPoolIds: [this.backendPool.id],
      probeId: this.probe.id,
      // Egress goes through the subnet's NAT gateway, never through the load balancer's address.
      disableOutboundSnat: true,
      tcpResetEnabled: true,
      floatingIpEnabled: false,
      idleTimeoutInMinutes: 15,
    });
    this.connections = new AzureConnections(this, { serviceTags: ["AzureLoadBalancer"] });
  }
}

export class AzureAppTier extends Construct implements IAppTier {
  /** `tier` as an Azure app tier; fails when it belongs to another cloud. */
  public static of(tier: IAppTier): AzureAppTier {
    return requireKind(AzureAppTier, tier, "AppTier", "target", "an Azure app tier of the same stack");
  }

  public readonly cloud = "azure" as const;
  /** The VM scale set. */
  public readonly resource: LinuxVirtualMachineScaleSet;
  public readonly identity: AzureComputeIdentity;
  public readonly connections: AzureConnections;
  public readonly grantPrincipal: AzurePrincipal;
  public readonly port: number;
  public readonly healthCheckPath: string;
  public readonly network: AzureNetwork;
  public readonly loadBalancer: AzureAppLoadBalancer;
  public readonly autoscale: MonitorAutoscaleSetting;
  /** The zones the instances are balanced over. */
  public readonly zones: readonly string[];
  /** Bastion (on the network), when operator access is on. */
  public readonly bastion?: AzureBastion;

  constructor(scope: Construct, id: string, props: AzureAppTierProps) {
    super(scope, id);
    const platform = AzurePlatform.of(this);
    const r = validateAppTierProps("azure", id, props);
    this.network = AzureNetwork.of(r.network);
    const v = new Validator(`AppTier '${id}' (azure)`);
    const zonal = AZURE_LOCATIONS[platform.location]?.zones === true;
    v.check(
      zonal,
      "azure.location",
      platform.location,
      `a location with availability zones (${Object.keys(AZURE_LOCATIONS).filter((l) => AZURE_LOCATIONS[l].zones).slice(0, 4).join(", ")}, ...): the app tier spreads over at least 2 zones; a location without zones is not supported on azure`,
    );
    const operators = props.operatorPrincipalIds ?? [];
    v.check(operators.length === 0 || r.operatorAccess, "appTier.operatorPrincipalIds", operators, "none unless operatorAccess is true");
    operators.forEach((o, i) => v.pattern(`appTier.operatorPrincipalIds[${i}]`, o, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "an Entra ID object id (a GUID)"));
    v.throwIfAny();

    const sku = skuFor("azure", r.size, "appTier.size");
    const rg = platform.resourceGroup;
    const tags = platform.tags;
    this.port = r.port;
    this.healthCheckPath = r.healthCheckPath;
    this.zones = AZURE_ZONES.slice(0, Math.min(this.network.plan.application.length, AZURE_ZONES.length));

    this.identity = new AzureComputeIdentity(this, "identity", { network: this.network, name: id, description: `app tier ${id}` });
    this.connections = this.identity.connections;
    this.grantPrincipal = this.identity.grantPrincipal;

    this.loadBalancer = new AzureAppLoadBalancer(this, "load-balancer", { name: platform.name(`${id}-lb`), port: r.port, healthCheckPath: r.healthCheckPath });
    // The probes come from AzureLoadBalancer; the subnet's explicit deny-all would drop them otherwise.
    this.connections.allowFrom(this.loadBalancer, r.port, `Health probes of '${id}' load balancer (AzureLoadBalancer) on the app port`);

    if (r.operatorAccess) {
      this.bastion = this.network.operatorAccess();
      this.connections.allowFrom(this.bastion, SSH_PORT, `SSH to '${id}' from Azure Bastion only (operator access, Entra ID login)`);
    }

    const userData = r.userData ?? placeholderUserData(r.port, r.healthCheckPath);
    this.resource = new LinuxVirtualMachineScaleSet(this, "Resource", {
      name: platform.name(id),
      computerNamePrefix: id,
      location: platform.location,
      resourceGroupName: rg.name,
      sku: sku.vm,
      // The autoscale setting owns the count after the first apply (ignore_changes below).
      instances: r.scaling.desired,
      zones: [...this.zones],
      zoneBalance: true,
      ...HARDENED_LINUX_VM,
      // Required by Azure when passwords are off; operators sign in with Entra ID, not with this key.
      adminSshKey: [{ username: AZURE_VM_ADMIN_USERNAME, publicKey: sshPublicKeyVariable(this).stringValue }],
      // The Entra ID login extension uses the instances' system-assigned identity; grants use the user-assigned one.
      identity: { type: r.operatorAccess ? "SystemAssigned, UserAssigned" : "UserAssigned", identityIds: [this.identity.resource.id] },
      osDisk: { ...AZURE_OS_DISK, diskSizeGb: r.rootVolumeGb },
      customData: customData(userData),
      networkInterface: [
        {
          name: "primary",
          primary: true,
          ipConfiguration: [
            {
              name: "primary",
              primary: true,
              subnetId: this.network.application.subnet.id,
              applicationSecurityGroupIds: [this.identity.applicationSecurityGroup.id],
              loadBalancerBackendAddressPoolIds: [this.loadBalancer.backendPool.id],
            },
          ],
        },
      ],
      healthProbeId: this.loadBalancer.probe.id,
      upgradeMode: "Rolling",
      rollingUpgradePolicy: { ...ROLLING_UPGRADE_POLICY },
      automaticOsUpgradePolicy: { enableAutomaticOsUpgrade: true, disableAutomaticRollback: false },
      automaticInstanceRepair: { enabled: true, ...INSTANCE_REPAIR },
      // Max surge needs it off; it would also put extra instances into the load balancer's pool for a while.
      overprovision: false,
      // ForceNew: turning operator access on or off replaces the scale set (rolling is not possible across it).
      extensionOperationsEnabled: r.operatorAccess,
      extension: r.operatorAccess ? [{ ...ENTRA_LOGIN_EXTENSION }] : undefined,
      tags,
      // The probe must be in use by a rule before a scale set can reference it; cloud-init needs NAT egress
      // (a network of another stack was applied before this one).
      dependsOn: [this.loadBalancer.rule, ...dependenciesInStack(this, this.network.applicationReady)],
      lifecycle: { ignoreChanges: ["instances"] },
    });

    const s = r.scaling;
    const trigger = (operator: "GreaterThan" | "LessThan", threshold: number, timeWindow: string) => ({
      metricName: AUTOSCALE.metricName,
      metricNamespace: AUTOSCALE.metricNamespace,
      metricResourceId: this.resource.id,
      timeGrain: AUTOSCALE.timeGrain,
      statistic: "Average",
      timeWindow,
      timeAggregation: "Average",
      operator,
      threshold,
      divideByInstanceCount: false,
    });
    this.autoscale = new MonitorAutoscaleSetting(this, "autoscale", {
      name: platform.name(`${id}-autoscale`),
      location: platform.location,
      resourceGroupName: rg.name,
      targetResourceId: this.resource.id,
      enabled: true,
      profile: [
        {
          name: "cpu",
          capacity: { minimum: s.min, default: s.desired, maximum: s.max },
          rule: [
            {
              metricTrigger: trigger("GreaterThan", r.cpuTargetPercent, AUTOSCALE.scaleOutWindow),
              scaleAction: { direction: "Increase", type: "ChangeCount", value: 1, cooldown: AUTOSCALE.scaleOutCooldown },
            },
            {
              metricTrigger: trigger("LessThan", Math.floor(r.cpuTargetPercent / 2), AUTOSCALE.scaleInWindow),
              scaleAction: { direction: "Decrease", type: "ChangeCount", value: 1, cooldown: AUTOSCALE.scaleInCooldown },
            },
          ],
        },
      ],
      tags,
    });

    operators.forEach((principalId, i) => {
      new RoleAssignment(this, `operator-login-${i}`, {
        scope: this.resource.id,
        roleDefinitionName: OPERATOR_LOGIN_ROLE,
        principalId,
        description: `Operator sign-in (Entra ID, through Bastion) to the instances of app tier '${id}', without sudo`,
      });
    });
  }
}

/**
 * GCP app tier: a regional instance template (Shielded VM, no external IP,
 * its own service account, OS Login, Ubuntu LTS image family) and a regional
 * managed instance group spread over a fixed list of the region's zones, with
 * auto-healing from the HTTP health check the load balancer also uses, a
 * proactive rolling update that adds new instances before it removes old ones
 * (never all at once), and a regional autoscaler on CPU that owns the group's
 * size after the first apply.
 *
 * The tier admits nothing by itself: the HTTPS entry admits itself (the
 * Google front ends and health checkers) on the tier's port, and operator
 * access, when asked for, admits IAP TCP forwarding on SSH.
 */
import { Construct } from "constructs";
import { ComputeHealthCheck } from "@cdktf/provider-google/lib/compute-health-check";
import { ComputeRegionAutoscaler } from "@cdktf/provider-google/lib/compute-region-autoscaler";
import { ComputeRegionInstanceGroupManager } from "@cdktf/provider-google/lib/compute-region-instance-group-manager";
import { ComputeRegionInstanceTemplate } from "@cdktf/provider-google/lib/compute-region-instance-template";
import { ProjectIamAuditConfig } from "@cdktf/provider-google/lib/project-iam-audit-config";
import { AppTierProps, IAppTier, placeholderUserData, validateAppTierProps } from "../app-tier";
import { Peer } from "../connections";
import { requireKind, shortHash } from "../core";
import { GcpPrincipal } from "../grants";
import { skuFor } from "../sizes";
import { GcpComputeIdentity } from "./compute-identity";
import { GcpConnections, IAP_TCP_FORWARDING_RANGE } from "./connections";
import { GcpNetwork } from "./network";
import { GcpPlatform } from "./platform";
import { GCP_VM_IMAGE, GCP_VM_METADATA, GCP_VM_SCOPES, GCP_VM_SHIELDED } from "./virtual-machine";
import { gcpZones } from "./zones";

/** The named port of the group; the backend service's `port_name` must be the same. */
export const GCP_APP_TIER_PORT_NAME = "http";

/** Health check, auto-healing, rolling update and autoscaler timing, in one place. */
export const GCP_APP_TIER_TIMING = {
  /** Seconds between probes; a probe times out after `timeoutSec` (must be <= the interval). */
  checkIntervalSec: 10,
  timeoutSec: 5,
  healthyThreshold: 2,
  unhealthyThreshold: 3,
  /** Seconds a new instance has to boot (cloud-init included) before auto-healing may replace it. */
  autoHealingInitialDelaySec: 300,
  /** Seconds the autoscaler ignores a new instance's CPU (boot is busy). */
  autoscalerCooldownSec: 120,
  /** At most one instance is removed per this many seconds, so a dip in load never empties the tier. */
  scaleInWindowSec: 600,
} as const;

/** SSH, the only port operator access opens (to IAP TCP forwarding only). */
const SSH_PORT = 22;

/** Longest `name_prefix` that still gets the provider's full unique suffix (resource_compute_region_instance_template.go: > 37 gets a shorter one). */
const TEMPLATE_PREFIX_MAX = 37;
/** Instances are `<base>-xxxx`: the base leaves room for the suffix in 63 characters. */
const BASE_INSTANCE_NAME_MAX = 58;

/** `name` when it fits in `max`, else cut and ended with a hash of the whole name (stable, unique). */
function fit(name: string, max: number): string {
  if (name.length <= max) return name;
  return `${name.slice(0, max - 7).replace(/-+$/, "")}-${shortHash(name, 6)}`;
}

export class GcpAppTier extends Construct implements IAppTier {
  /** `tier` as a GCP app tier; fails when it belongs to another cloud or is another implementation. */
  public static of(tier: IAppTier): GcpAppTier {
    return requireKind(GcpAppTier, tier, "AppTier", "target", "a GCP app tier (GcpAppTier) of the same stack");
  }

  public readonly cloud = "gcp" as const;
  /** The regional managed instance group. */
  public readonly resource: ComputeRegionInstanceGroupManager;
  public readonly template: ComputeRegionInstanceTemplate;
  public readonly autoscaler: ComputeRegionAutoscaler;
  /** HTTP health check on `healthCheckPath`: auto-healing here, backend health in the HTTPS entry. */
  public readonly healthCheck: ComputeHealthCheck;
  public readonly identity: GcpComputeIdentity;
  public readonly connections: GcpConnections;
  public readonly grantPrincipal: GcpPrincipal;
  public readonly port: number;
  public readonly healthCheckPath: string;
  /** The zones the group spreads over (a synth-time constant). */
  public readonly zones: readonly string[];
  /** The group's named port, for the backend service's `port_name`. */
  public readonly portName = GCP_APP_TIER_PORT_NAME;
  /** URL of the instance group, for a backend service's `backend.group`. */
  public readonly instanceGroup: string;
  /**
   * Data Access audit logs of IAP (who opened a tunnel) for the project, when this stack writes them
   * (`GcpPlatform.operatorAccessAudit`: one stack per project, shared by its tiers).
   */
  public readonly operatorAudit?: ProjectIamAuditConfig;

  constructor(scope: Construct, id: string, props: AppTierProps) {
    super(scope, id);
    const platform = GcpPlatform.of(this);
    const r = validateAppTierProps("gcp", id, props);
    const network = GcpNetwork.of(r.network);
    const context = `AppTier '${id}'`;
    const name = (suffix?: string) =>
      platform.name(context, "resource", { field: "appTier id", value: id }, ...(suffix ? [{ field: "suffix", value: suffix }] : []));
    const compute = platform.apis("compute");
    this.port = r.port;
    this.healthCheckPath = r.healthCheckPath;
    // As many zones as the network spans (one application CIDR per zone in the shared address plan).
    this.zones = gcpZones(platform.region, network.plan.application.length, "network.zoneCount");

    this.identity = new GcpComputeIdentity(this, "identity", { network, name: id, description: `Identity of the instances of ${context}` });
    this.connections = this.identity.connections;
    this.grantPrincipal = this.identity.grantPrincipal;

    const metadata: Record<string, string> = { ...GCP_VM_METADATA, "user-data": r.userData ?? placeholderUserData(r.port, r.healthCheckPath) };
    // Templates are immutable (every change is a replacement): a fresh name per version, created before the
    // old one is deleted, because the group still uses the old one until it points at the new one.
    this.template = new ComputeRegionInstanceTemplate(this, "template", {
      namePrefix: `${fit(name(), TEMPLATE_PREFIX_MAX - 1)}-`,
      description: `Instances of ${context}`,
      region: platform.region,
      machineType: skuFor("gcp", r.size, "appTier.size").vm,
      disk: [
        {
          boot: true,
          autoDelete: true,
          // Encrypted at rest with Google-managed keys (the GCP default). An image family, never a pinned image:
          // new instances boot the family's latest image; changing the family rolls the group.
          sourceImage: GCP_VM_IMAGE,
          diskType: "pd-balanced",
          diskSizeGb: r.rootVolumeGb,
        },
      ],
      // No access_config: no external address; egress through Cloud NAT.
      networkInterface: [{ subnetwork: network.applicationSubnetwork.id }],
      serviceAccount: { email: this.grantPrincipal.email, scopes: GCP_VM_SCOPES },
      shieldedInstanceConfig: GCP_VM_SHIELDED,
      metadata,
      canIpForward: false,
      lifecycle: { createBeforeDestroy: true },
      dependsOn: compute,
    });

    this.healthCheck = new ComputeHealthCheck(this, "health-check", {
      name: name("health"),
      description: `HTTP ${r.healthCheckPath} on port ${r.port} of ${context}`,
      checkIntervalSec: GCP_APP_TIER_TIMING.checkIntervalSec,
      timeoutSec: GCP_APP_TIER_TIMING.timeoutSec,
      healthyThreshold: GCP_APP_TIER_TIMING.healthyThreshold,
      unhealthyThreshold: GCP_APP_TIER_TIMING.unhealthyThreshold,
      // A fixed port, not USE_SERVING_PORT: auto-healing has no serving port to borrow.
      httpHealthCheck: { port: r.port, portSpecification: "USE_FIXED_PORT", requestPath: r.healthCheckPath },
      // Health-state transitions only (not every probe) go to Cloud Logging.
      logConfig: { enable: true },
      dependsOn: compute,
    });

    this.resource = new ComputeRegionInstanceGroupManager(this, "Resource", {
      name: name(),
      baseInstanceName: fit(name(), BASE_INSTANCE_NAME_MAX),
      region: platform.region,
      // A constant set: it is ForceNew, so it must never come from a data source that can shift.
      distributionPolicyZones: [...this.zones],
      distributionPolicyTargetShape: "EVEN",
      version: [{ instanceTemplate: this.template.id }],
      namedPort: [{ name: GCP_APP_TIER_PORT_NAME, port: r.port }],
      // The size at first apply; the autoscaler owns it afterwards (ignore_changes below).
      targetSize: r.scaling.desired,
      autoHealingPolicies: { healthCheck: this.healthCheck.id, initialDelaySec: GCP_APP_TIER_TIMING.autoHealingInitialDelaySec },
      // Regional groups: a fixed surge or unavailability must be 0 or at least the number of zones, and one of them
      // above 0. New instances first (surge = zones), none taken away before its replacement is up (unavailable = 0).
      updatePolicy: {
        type: "PROACTIVE",
        minimalAction: "REPLACE",
        mostDisruptiveAllowedAction: "REPLACE",
        replacementMethod: "SUBSTITUTE",
        instanceRedistributionType: "PROACTIVE",
        maxSurgeFixed: this.zones.length,
        maxUnavailableFixed: 0,
      },
      instanceLifecyclePolicy: { defaultActionOnFailure: "REPAIR", forceUpdateOnRepair: "YES" },
      // Apply returns when the group exists; instances come up (and are healed) on their own.
      waitForInstances: false,
      lifecycle: { ignoreChanges: ["target_size"] },
      dependsOn: compute,
    });
    this.instanceGroup = this.resource.instanceGroup;

    this.autoscaler = new ComputeRegionAutoscaler(this, "autoscaler", {
      name: name("autoscaler"),
      region: platform.region,
      target: this.resource.id,
      autoscalingPolicy: {
        minReplicas: r.scaling.min,
        maxReplicas: r.scaling.max,
        mode: "ON",
        cooldownPeriod: GCP_APP_TIER_TIMING.autoscalerCooldownSec,
        cpuUtilization: { target: r.cpuTargetPercent / 100, predictiveMethod: "NONE" },
        scaleInControl: { maxScaledInReplicas: { fixed: 1 }, timeWindowSec: GCP_APP_TIER_TIMING.scaleInWindowSec },
      },
      dependsOn: compute,
    });

    if (r.operatorAccess) {
      // SSH only through IAP TCP forwarding (no public SSH); OS Login (template metadata) maps the operator's
      // Google identity to a POSIX account. The tunnels need the IAP API on in the project.
      platform.apis("iap");
      this.connections.allowFrom(Peer.ipv4(IAP_TCP_FORWARDING_RANGE, "IAP TCP forwarding"), SSH_PORT, `SSH to ${context} through IAP TCP forwarding only`);
    }
    // IAP's Data Access audit logs record who opened which tunnel: a project-wide setting, written by
    // one stack per project (possibly this one for another environment's operators).
    this.operatorAudit = platform.operatorAccessAudit(r.operatorAccess);
  }
}

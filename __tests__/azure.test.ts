/**
 * Azure: targeted assertions on the synthesized Terraform of the platform
 * stack (network, app tier behind the HTTPS entry, uploads, database, budget)
 * and of the worker stack of the same app (its VM, results bucket and access
 * to the platform), per environment, found by construct path; plus
 * construct-level cases on a bare Azure CloudStack built through the kit
 * (custom props, identity and connections, grants, naming, failing inputs).
 * The tier's and the entry's own details are asserted in azure-serve.test.ts.
 */
import * as fs from "fs";
import * as path from "path";
import { Construct } from "constructs";
import { ENVIRONMENT_DEFAULTS, PlatformConfig, resolveConfig } from "../constructs/config";
import { Peer } from "../constructs/connections";
import { App, TerraformOutput } from "cdktf";
import { AwsPrincipal, AzurePrincipal, IGrantable } from "../constructs/grants";
import { CLOUD_LIMITS } from "../constructs/limits";
import { NETWORK_DEFAULTS, planSubnets } from "../constructs/network";
import { OBJECT_STORE_DEFAULTS } from "../constructs/object-store";
import { onCloud } from "../constructs/on-cloud";
import { DatabaseCredentials, POSTGRES_PORT } from "../constructs/postgres-database";
import { CloudStack, decisionsAt, setCheckLog } from "../constructs/stack";
import { AzurePlatform } from "../constructs/azure";
import { AZURE_ACCESS_LOG_RETENTION_DAYS } from "../constructs/azure/access-log";
import { KEY_VAULT_DEPLOYER_ROLE, KEY_VAULT_RBAC_WAIT } from "../constructs/azure/key-vault";
import { DEPLOYER_IP_RANGES_VARIABLE, DEPLOYER_RANGE_MIN_PREFIX, validateDeployerIpRanges } from "../constructs/azure/deployer-ranges";
import { AZURE_RESOURCE_PROVIDERS_TO_REGISTER, POSTGRES_ENTRA_APP_ID, azurePrerequisites } from "../constructs/azure/prerequisites";
import { KEY_VAULT_SECRET_READER_ROLE } from "../constructs/azure/secret";
import { FLOW_LOG_VERSION } from "../constructs/azure/flow-log";
import { AZURE_NAME_LIMITS, STORAGE_ACCOUNT_HASH_LENGTH, storageAccountName } from "../constructs/azure/naming";
import { APPLICATION_SERVICE_ENDPOINTS, DATA_SERVICE_ENDPOINTS, NSG_PRIORITIES, POSTGRES_SUBNET_DELEGATION } from "../constructs/azure/network";
import { AZURE_EXTRA_PROVIDERS } from "../constructs/azure/platform";
import { BLOB_ROLES } from "../constructs/azure/object-store";
import { AZURE_GENERATED_PASSWORD, AZURE_PGAUDIT_PARAMETERS, AZURE_POSTGRES_IGNORED_CHANGES, AZURE_POSTGRES_PARAMETERS, azureStorageMb } from "../constructs/azure/postgres-database";
import { SAS_EXPIRATION_POLICY, softDeleteDays } from "../constructs/azure/storage";
import { AZURE_VM_ADMIN_USERNAME, AZURE_VM_IMAGE, SSH_PUBLIC_KEY_VARIABLE } from "../constructs/azure/virtual-machine";
import { FRONT_DOOR_ID_HEADER, FRONT_DOOR_SERVICE_TAG } from "../constructs/azure/https-entry";
import { SSH_PORT } from "../constructs/azure/app-tier";
import { SIZE_TABLE } from "../constructs/sizes";
import { APPLICATION_PORT, PlatformStack } from "../stacks/platform-stack";
import { WorkerStack } from "../stacks/worker-stack";
import { Found, TfJson, allItems, appStacks, at, platformStack, policyErrorOf, refAt, sanitizeForSnapshot, synthJson, synthStack, testConfig, testOutdir, under, validationErrorOf } from "./helpers";

const ENVIRONMENTS = ["staging", "production"] as const;
type Env = (typeof ENVIRONMENTS)[number];

/** The platform stack and the worker stack of one environment, built by the app like `cdktf synth` builds them. */
function buildStacks(environment: Env): { platform: PlatformStack; worker: WorkerStack } {
  const built = appStacks({ cloud: "azure", environment });
  return { platform: built.find((x): x is PlatformStack => x instanceof PlatformStack)!, worker: built.find((x): x is WorkerStack => x instanceof WorkerStack)! };
}

const built: Record<Env, { platform: PlatformStack; worker: WorkerStack }> = { staging: buildStacks("staging"), production: buildStacks("production") };
const stacks: Record<Env, PlatformStack> = { staging: built.staging.platform, production: built.production.platform };
const tfByEnv: Record<Env, TfJson> = { staging: synthJson(stacks.staging), production: synthJson(stacks.production) };
const workerTfByEnv: Record<Env, TfJson> = { staging: synthJson(built.staging.worker), production: synthJson(built.production.worker) };

const TAGS = (env: string) => ({ Project: "taskflow", Environment: env, ManagedBy: "cdktf" });
const LOCATION = "swedencentral";
/** The address plan of the default network: the public (load-balancer) tier, the application and the data subnets. */
const PLAN = planSubnets(NETWORK_DEFAULTS.cidr, NETWORK_DEFAULTS.zoneCount);
const APP_CIDR = "10.0.10.0/24";
const DATA_CIDR = "10.0.20.0/24";

/** The NSG rules written on one subnet tier of the network construct `network` (by construct path). */
const rulesOf = (tf: TfJson, tier: "application" | "data", network = "network"): any[] =>
  under(tf, `${network}/${tier}`, "azurerm_network_security_rule").map((r) => r.body);

/** The NSG rules of `stack`'s JSON on the platform's NSG of one tier (in the worker stack: by the remote-state output of its name). */
const rulesOn = (tf: TfJson, nsgName: string): any[] => allItems(tf).filter((i) => i.type === "azurerm_network_security_rule" && i.body.network_security_group_name === nsgName).map((i) => i.body);

/** The platform output a worker-stack value reads through `data.terraform_remote_state` (`${data.terraform_remote_state.<x>.outputs.<name>}`). */
function remoteOutput(platformTf: TfJson, reference: string): string {
  const m = /^\$\{data\.terraform_remote_state\.[^.]+\.outputs\.([^}]+)\}/.exec(reference);
  if (!m) throw new Error(`not a remote state output: ${reference}`);
  return platformTf.output![m[1]].value;
}

/** Every resource (not data source) of a stack's JSON, with its construct path. */
const resources = (tf: TfJson): Found[] => allItems(tf).filter((i) => !i.address.startsWith("data."));

/** Construct paths (below the stack) of every resource of `type`. */
const pathsOf = (tf: TfJson, type: string): string[] =>
  allItems(tf)
    .filter((i) => i.type === type)
    .map((i) => i.path.split("/").slice(1).join("/"))
    .sort();

/** Whether the provider binding of `type` has a `tags` argument (checked against the binding, not our code). */
function bindingHasTags(type: string): boolean {
  const mod = require(`@cdktf/provider-azurerm/lib/${type.replace(/^azurerm_/, "").replace(/_/g, "-")}`) as Record<string, unknown>;
  const cls = Object.values(mod).find((c) => typeof c === "function" && (c as { tfResourceType?: string }).tfResourceType === type) as
    | { prototype: object }
    | undefined;
  if (!cls) throw new Error(`no binding class for ${type}`);
  return "resetTags" in cls.prototype;
}

describe.each(ENVIRONMENTS)("azure %s", (env) => {
  const tf = tfByEnv[env];
  const stack = stacks[env];
  const wtf = workerTfByEnv[env];
  const workerStack = built[env].worker;
  const profile = stack.profile;
  const prod = env === "production";
  const short = prod ? "prd" : "stg";

  describe("provider, resource group and tags", () => {
    test("azurerm provider: storage data plane off (ARM only), the subscription, Entra ID for storage, exactly the resource providers the stack uses", () => {
      const provider = tf.provider!.azurerm[0];
      // Without it azurerm polls the blob/queue/file endpoints after create and reads queue properties at every refresh: 403 behind the account firewall.
      expect(provider.features).toEqual([{ storage: [{ data_plane_available: false }] }]);
      expect(provider.subscription_id).toBe("00000000-0000-0000-0000-000000000000");
      expect(provider.storage_use_azuread).toBe(true);
      expect(provider.resource_provider_registrations).toBe("core");
      expect(provider.resource_providers_to_register).toEqual(["Microsoft.DBforPostgreSQL", "Microsoft.KeyVault", "Microsoft.OperationalInsights", "microsoft.insights", "Microsoft.Consumption", "Microsoft.Cdn"]);
      // The worker stack's provider is configured the same way.
      expect(wtf.provider!.azurerm).toEqual(tf.provider!.azurerm);
      expect(tf.terraform.required_providers!.azurerm).toMatchObject({ source: "azurerm" });
    });

    test("random and time are pinned like azurerm and need no settings", () => {
      expect(tf.terraform.required_providers).toMatchObject({ random: { ...AZURE_EXTRA_PROVIDERS.random }, time: { ...AZURE_EXTRA_PROVIDERS.time } });
      expect(AZURE_EXTRA_PROVIDERS).toEqual({ random: { source: "hashicorp/random", version: "3.7.2" }, time: { source: "hashicorp/time", version: "0.13.1" } });
      expect(tf.provider!.random).toEqual([{}]);
      expect(tf.provider!.time).toEqual([{}]);
    });

    test("one resource group <project>-<env>-rg in the configured location, used by every resource with a resource_group_name", () => {
      expect(pathsOf(tf, "azurerm_resource_group")).toEqual(["resource-group"]);
      expect(at(tf, "resource-group").body).toMatchObject({ name: `taskflow-${env}-rg`, location: LOCATION });
      const rgName = refAt(tf, "resource-group", "name");
      // The flow log is a child of the region's Network Watcher: it lives in the watcher's resource group.
      const users = resources(tf).filter((r) => "resource_group_name" in r.body && r.type !== "azurerm_network_watcher_flow_log");
      expect(users.length).toBeGreaterThan(10);
      // A child of the server names the server's group (the same group, through the server).
      const viaServer = refAt(tf, "database/Resource", "resource_group_name");
      expect(at(tf, "database/Resource").body.resource_group_name).toBe(rgName);
      for (const r of users) expect([r.path, r.body.resource_group_name === viaServer ? rgName : r.body.resource_group_name]).toEqual([r.path, rgName]);
    });

    test("every resource whose binding has a tags argument carries Project, Environment and ManagedBy", () => {
      const taggable = resources(tf).filter((r) => r.type.startsWith("azurerm_") && bindingHasTags(r.type));
      expect(taggable.length).toBeGreaterThan(10);
      for (const r of taggable) expect([r.path, r.body.tags]).toEqual([r.path, expect.objectContaining(TAGS(env))]);
    });
  });

  describe("network", () => {
    test("VNet with the contract CIDR; application and data subnets from the shared plan, no default outbound access", () => {
      expect(at(tf, "network/Resource").body.address_space).toEqual(["10.0.0.0/16"]);
      expect(at(tf, "network/application/subnet").body.address_prefixes).toEqual([APP_CIDR]);
      expect(at(tf, "network/data/subnet").body.address_prefixes).toEqual([DATA_CIDR]);
      expect([PLAN.application[0], PLAN.data[0]]).toEqual([APP_CIDR, DATA_CIDR]);
      // Operator access adds Azure Bastion's own subnet (azure-serve.test.ts asserts it).
      expect(pathsOf(tf, "azurerm_subnet")).toEqual(["network/application/subnet", ...(profile.operatorAccess ? ["network/bastion/subnet"] : []), "network/data/subnet"]);
      expect(profile.operatorAccess).toBe(!prod);
      for (const tier of ["application", "data"]) expect(at(tf, `network/${tier}/subnet`).body.default_outbound_access_enabled).toBe(false);
    });

    test("data subnet delegated to PostgreSQL flexible servers; application subnet not delegated", () => {
      expect(at(tf, "network/data/subnet").body.delegation[0].service_delegation).toEqual({
        name: POSTGRES_SUBNET_DELEGATION,
        actions: ["Microsoft.Network/virtualNetworks/subnets/join/action"],
      });
      expect(POSTGRES_SUBNET_DELEGATION).toBe("Microsoft.DBforPostgreSQL/flexibleServers");
      expect(at(tf, "network/application/subnet").body.delegation).toBeUndefined();
    });

    test("an NSG of its own associated with every subnet", () => {
      for (const tier of ["application", "data"]) {
        expect(at(tf, `network/${tier}/nsg-association`).body).toEqual(
          expect.objectContaining({ subnet_id: refAt(tf, `network/${tier}/subnet`), network_security_group_id: refAt(tf, `network/${tier}/nsg`) }),
        );
        for (const r of rulesOf(tf, tier as "application")) expect(r.network_security_group_name).toBe(refAt(tf, `network/${tier}/nsg`, "name"));
      }
      expect(pathsOf(tf, "azurerm_subnet_network_security_group_association")).toHaveLength(2);
      expect(at(tf, "network/application/nsg").body.name).toBe(`taskflow-${env}-network-app-nsg`);
      expect(at(tf, "network/data/nsg").body.name).toBe(`taskflow-${env}-network-data-nsg`);
    });

    test("database NSG: 5432 only from the app tier's ASG, HA replication inside the subnet, explicit deny of everything else", () => {
      const rules = rulesOf(tf, "data");
      const allows = rules.filter((r) => r.access === "Allow" && r.direction === "Inbound");
      const fromApp = at(tf, "network/data/database-from-app-identity").body;
      expect(fromApp).toMatchObject({
        direction: "Inbound",
        access: "Allow",
        destination_port_range: String(POSTGRES_PORT),
        protocol: "Tcp",
        source_application_security_group_ids: [refAt(tf, "app/identity/asg")],
        destination_address_prefix: DATA_CIDR,
      });
      // The only other allow is HA replication inside the data subnet itself.
      const others = allows.filter((r) => r !== fromApp);
      expect(others.map((r) => [r.source_address_prefix, r.destination_port_range])).toEqual([[DATA_CIDR, "5432"]]);
      expect(at(tf, "network/data/allow-intra-subnet").body).toMatchObject({ destination_address_prefix: DATA_CIDR, priority: NSG_PRIORITIES.baseline });
      const deny = at(tf, "network/data/deny-all-inbound").body;
      expect(deny).toMatchObject({ access: "Deny", direction: "Inbound", source_address_prefix: "*", destination_port_range: "*", protocol: "*", priority: 4096 });
      expect(rules.filter((r) => r.access === "Deny")).toEqual([deny]);
      for (const r of allows) expect(r.priority).toBeLessThan(deny.priority);
      expect(new Set(rules.map((r) => r.priority)).size).toBe(rules.length);
    });

    test("application NSG: outbound 5432 to the data subnet from the ASG; ingress only from the entry, the load balancer's probes and (with operator access) Bastion; descriptions, explicit deny, no world-open SSH", () => {
      const rules = rulesOf(tf, "application");
      const asg = refAt(tf, "app/identity/asg");
      expect(at(tf, "network/application/app-identity-to-database").body).toMatchObject({
        direction: "Outbound",
        access: "Allow",
        protocol: "Tcp",
        source_application_security_group_ids: [asg],
        destination_address_prefix: DATA_CIDR,
        destination_port_range: "5432",
      });
      const ingress = rules.filter((r) => r.direction === "Inbound" && r.access === "Allow");
      const bastion = profile.operatorAccess ? [[at(tf, "network/bastion/subnet").body.address_prefixes[0], String(SSH_PORT)]] : [];
      expect(ingress.map((r) => [r.source_address_prefix, r.destination_port_range]).sort()).toEqual(
        [["AzureLoadBalancer", String(APPLICATION_PORT)], [FRONT_DOOR_SERVICE_TAG, String(APPLICATION_PORT)], ...bastion].sort(),
      );
      for (const r of ingress) expect(r).toMatchObject({ destination_application_security_group_ids: [asg], protocol: "Tcp" });
      // The public subnets of the address plan admit nothing: the load balancer's frontend is a public IP, not a subnet.
      expect(ingress.filter((r) => PLAN.public.includes(r.source_address_prefix))).toEqual([]);
      for (const r of rules) expect((r.description ?? "").length).toBeGreaterThan(3);
      expect(rules).toContainEqual(expect.objectContaining({ direction: "Inbound", access: "Deny", source_address_prefix: "*", priority: 4096 }));
      const worldSsh = rules.filter(
        (r) =>
          r.access === "Allow" &&
          ["22", "*"].includes(r.destination_port_range) &&
          [r.source_address_prefix, ...(r.source_address_prefixes ?? [])].some((s) => ["*", "0.0.0.0/0", "Internet"].includes(s)),
      );
      expect(worldSsh).toEqual([]);
      // Priorities are unique per NSG.
      expect(new Set(rules.map((r) => r.priority)).size).toBe(rules.length);
    });

    test("Standard NAT gateway with a static Standard public IP, associated with the application subnet only", () => {
      expect(at(tf, "network/nat").body.sku_name).toBe("Standard");
      expect(at(tf, "network/nat-ip-association").body).toMatchObject({ nat_gateway_id: refAt(tf, "network/nat"), public_ip_address_id: refAt(tf, "network/nat-ip") });
      expect(at(tf, "network/nat-ip").body).toMatchObject({ sku: "Standard", allocation_method: "Static" });
      expect(pathsOf(tf, "azurerm_subnet_nat_gateway_association")).toEqual(["network/nat-association"]);
      expect(at(tf, "network/nat-association").body).toMatchObject({ subnet_id: refAt(tf, "network/application/subnet"), nat_gateway_id: refAt(tf, "network/nat") });
    });

    test("the NAT gateway and its address are regional; zones reported by Azure never replace the address", () => {
      expect(at(tf, "network/nat").body.zones).toBeUndefined();
      expect(at(tf, "network/nat-ip").body.zones).toBeUndefined();
      expect(at(tf, "network/nat-ip").body.lifecycle).toEqual({ ignore_changes: ["zones"] });
    });

    describe("VNet flow log", () => {
      const flowLog = () => at(tf, "network/flow-log/Resource").body;
      const logAccount = () => at(tf, "network/flow-log/storage").body;

      test("one enabled version-2 flow log targeting the VNet (not an NSG), retention from the contract", () => {
        expect(pathsOf(tf, "azurerm_network_watcher_flow_log")).toEqual(["network/flow-log/Resource"]);
        expect(flowLog()).toMatchObject({
          name: `taskflow-${env}-network-vnet-flow-log`,
          target_resource_id: refAt(tf, "network/Resource"),
          enabled: true,
          version: 2,
          retention_policy: { enabled: true, days: NETWORK_DEFAULTS.flowLogRetentionDays },
          location: LOCATION,
        });
        expect(FLOW_LOG_VERSION).toBe(2);
        expect(flowLog().network_security_group_id).toBeUndefined();
        expect(flowLog().traffic_analytics).toBeUndefined();
      });

      test("belongs to Azure's own Network Watcher of the location (referenced by name, no data source)", () => {
        expect(flowLog()).toMatchObject({ network_watcher_name: `NetworkWatcher_${LOCATION}`, resource_group_name: "NetworkWatcherRG" });
        expect(tf.data?.azurerm_network_watcher).toBeUndefined();
        expect(pathsOf(tf, "azurerm_network_watcher")).toEqual([]);
      });

      test("writes to a dedicated log account in the stack's resource group, not the uploads account", () => {
        expect(flowLog().storage_account_id).toBe(refAt(tf, "network/flow-log/storage"));
        expect(flowLog().storage_account_id).not.toBe(refAt(tf, "uploads/Resource"));
        expect(logAccount().name).toMatch(AZURE_NAME_LIMITS.storageAccount.pattern);
        expect(logAccount().name).toMatch(new RegExp(`^taskflow${short}flowlog[a-z0-9]{6}$`));
        expect(logAccount()).toMatchObject({ resource_group_name: refAt(tf, "resource-group", "name"), location: LOCATION, tags: expect.objectContaining(TAGS(env)) });
      });

      test("log account: TLS 1.2, HTTPS only, no public blobs, infrastructure encryption, firewall deny with trusted-service bypass", () => {
        expect(logAccount()).toMatchObject({
          account_kind: "StorageV2",
          account_tier: "Standard",
          min_tls_version: "TLS1_2",
          https_traffic_only_enabled: true,
          allow_nested_items_to_be_public: false,
          infrastructure_encryption_enabled: true,
          cross_tenant_replication_enabled: false,
          default_to_oauth_authentication: true,
          account_replication_type: prod ? "GRS" : "LRS",
          network_rules: { default_action: "Deny", bypass: ["AzureServices"] },
        });
        expect(logAccount().network_rules.virtual_network_subnet_ids).toBeUndefined();
      });

      test("log account: shared keys kept for Network Watcher, soft delete without versioning, no lifecycle policy of ours", () => {
        // Documented in docs/azure.md and exempted by recorded decisions: Network Watcher writes with the account key and owns the lifecycle policy.
        expect(logAccount().shared_access_key_enabled).toBe(true);
        const days = prod ? 30 : 7;
        expect(logAccount().blob_properties).toEqual({ delete_retention_policy: { days }, container_delete_retention_policy: { days } });
        const ours = allItems(tf)
          .filter((i) => i.type === "azurerm_storage_management_policy")
          .map((p) => p.body.storage_account_id);
        expect(ours).not.toContain(flowLog().storage_account_id);
      });

      test("log account: reads and deletes of the flow logs are recorded (Network Watcher's own writes are not); SAS at most a day", () => {
        expect(at(tf, "network/flow-log/access-log/blob-service").body).toMatchObject({
          target_resource_id: `${refAt(tf, "network/flow-log/storage")}/blobServices/default`,
          log_analytics_workspace_id: refAt(tf, "network/flow-log/access-log/Resource"),
          enabled_log: [{ category: "StorageRead" }, { category: "StorageDelete" }],
        });
        expect(at(tf, "network/flow-log/access-log/Resource").body).toMatchObject({ retention_in_days: AZURE_ACCESS_LOG_RETENTION_DAYS, local_authentication_enabled: false });
        expect(logAccount().sas_policy).toEqual({ expiration_period: "1.00:00:00", expiration_action: "Block" });
      });

      test(prod ? "production log account: Terraform refuses to destroy it" : "staging log account: destroyable", () => {
        expect(logAccount().lifecycle).toEqual(prod ? { prevent_destroy: true } : undefined);
      });
    });
  });

  describe("the app tier and the entry, from the environment profile (their details: azure-serve.test.ts)", () => {
    const vmss = () => at(tf, "app/Resource").body;

    test("the platform stack has no VM any more: the application runs on the app tier's scale set", () => {
      expect(pathsOf(tf, "azurerm_linux_virtual_machine")).toEqual([]);
      expect(pathsOf(tf, "azurerm_network_interface")).toEqual([]);
      expect(at(tf, "app/Resource").type).toBe("azurerm_linux_virtual_machine_scale_set");
      expect(stack.app.resource.node.path).toBe(`${stack.node.id}/app/Resource`);
    });

    test("size and scaling per environment: the profile's size on every instance, min/desired/max in the autoscale setting", () => {
      expect(vmss()).toMatchObject({ sku: SIZE_TABLE[profile.vmSize].azure.vm, instances: profile.scaling.desired, name: `taskflow-${env}-app` });
      expect(vmss().sku).toBe(prod ? "Standard_D2s_v5" : "Standard_B2s");
      expect(at(tf, "app/autoscale").body.profile[0].capacity).toEqual({ minimum: profile.scaling.min, default: profile.scaling.desired, maximum: profile.scaling.max });
      expect(profile.scaling).toEqual(ENVIRONMENT_DEFAULTS[env].scaling);
    });

    test(prod ? "operator access off in production: no Bastion, no SSH rule, extension operations off" : "operator access on in staging: Bastion, SSH from its subnet only, the Entra login extension", () => {
      expect(profile.operatorAccess).toBe(ENVIRONMENT_DEFAULTS[env].operatorAccess);
      expect(pathsOf(tf, "azurerm_bastion_host")).toEqual(profile.operatorAccess ? ["network/bastion/Resource"] : []);
      expect(vmss().extension_operations_enabled).toBe(profile.operatorAccess);
      const ssh = rulesOf(tf, "application").filter((r) => r.destination_port_range === String(SSH_PORT));
      expect(ssh.map((r) => r.source_address_prefix)).toEqual(profile.operatorAccess ? [at(tf, "network/bastion/subnet").body.address_prefixes[0]] : []);
    });

    test("SSH keys only: the scale set (and so the platform stack) needs the vm_ssh_public_key variable, like a VM", () => {
      expect(vmss().disable_password_authentication).toBe(true);
      expect(vmss().admin_password).toBeUndefined();
      expect(vmss().admin_ssh_key).toEqual([{ username: AZURE_VM_ADMIN_USERNAME, public_key: `\${var.${SSH_PUBLIC_KEY_VARIABLE}}` }]);
      expect(tf.variable![SSH_PUBLIC_KEY_VARIABLE]).toMatchObject({ type: "string", nullable: false });
      expect(tf.variable![SSH_PUBLIC_KEY_VARIABLE].default).toBeUndefined();
    });

    test("the entry serves the profile's domain with the WAF the profile asks for, and refuses destroy where the profile protects", () => {
      expect(at(tf, "entry/domain").body.host_name).toBe(profile.domain);
      expect(profile.domain).toBe(`${env}.taskflow.example.com`);
      expect(profile.webApplicationFirewall).toBe(true);
      expect(at(tf, "entry/waf-association").body.security_policies.firewall).toMatchObject({
        cdn_frontdoor_firewall_policy_id: refAt(tf, "entry/waf"),
        association: { domain: [{ cdn_frontdoor_domain_id: refAt(tf, "entry/domain") }] },
      });
      expect(decisionsAt(stack, `${stack.node.id}/entry/Resource`).has("no-web-application-firewall")).toBe(false);
      expect(pathsOf(tf, "azurerm_management_lock").includes("entry/delete-lock")).toBe(profile.deletionProtection);
      for (const p of ["entry/Resource", "entry/domain"]) expect([p, at(tf, p).body.lifecycle]).toEqual([p, profile.deletionProtection ? { prevent_destroy: true } : undefined]);
      // No Azure DNS zone in the profile: the records are listed in the dns_records output instead.
      expect(profile.dnsZone).toBeUndefined();
      expect(allItems(tf).filter((i) => /^azurerm_dns_/.test(i.type))).toEqual([]);
    });
  });

  describe("compute identity and connections", () => {
    test("the app tier's identity: a user-assigned managed identity and an application security group in the stack's resource group", () => {
      expect(at(tf, "app/identity/Resource")).toMatchObject({
        type: "azurerm_user_assigned_identity",
        body: { name: `taskflow-${env}-app-identity`, location: LOCATION, resource_group_name: refAt(tf, "resource-group", "name") },
      });
      expect(at(tf, "app/identity/asg")).toMatchObject({
        type: "azurerm_application_security_group",
        body: { name: `taskflow-${env}-app-asg`, location: LOCATION, resource_group_name: refAt(tf, "resource-group", "name") },
      });
      expect(stack.app.identity.resource.node.path).toBe(`${stack.node.id}/app/identity/Resource`);
      expect(at(tf, "app/Resource").body.identity.identity_ids).toEqual([refAt(tf, "app/identity/Resource")]);
    });

    test("the scale set's instances join the identity's application security group (no NIC resource to associate)", () => {
      const ipConfigurations = at(tf, "app/Resource").body.network_interface.flatMap((n: any) => n.ip_configuration);
      expect(ipConfigurations.map((c: any) => c.application_security_group_ids)).toEqual([[refAt(tf, "app/identity/asg")]]);
      expect(pathsOf(tf, "azurerm_network_interface_application_security_group_association")).toEqual([]);
    });

    test("app -> database on 5432: inbound on the data subnet's NSG and outbound on the application subnet's, the same rule on both sides", () => {
      const inbound = at(tf, "network/data/database-from-app-identity").body;
      const outbound = at(tf, "network/application/app-identity-to-database").body;
      const shared = {
        access: "Allow",
        protocol: "Tcp",
        source_application_security_group_ids: [refAt(tf, "app/identity/asg")],
        destination_address_prefix: DATA_CIDR,
        destination_port_range: String(POSTGRES_PORT),
        description: "PostgreSQL (5432) to database 'database' from 'app' only",
      };
      expect(inbound).toMatchObject({ ...shared, direction: "Inbound", name: "allow-5432-app-identity-to-database" });
      expect(outbound).toMatchObject({ ...shared, direction: "Outbound", name: "allow-5432-app-identity-out-database" });
    });

    test(`the entry is the only thing admitted on the tier's port (${APPLICATION_PORT}): Front Door's back end, plus the load balancer's probes, addressed to the ASG`, () => {
      const onPort = under(tf, "network", "azurerm_network_security_rule").filter(
        (r) => r.body.direction === "Inbound" && r.body.access === "Allow" && r.body.destination_port_range === String(APPLICATION_PORT),
      );
      expect(onPort.map((r) => r.path.split("/").slice(1).join("/")).sort()).toEqual(["network/application/app-identity-from-app-load-balancer", "network/application/app-identity-from-entry"]);
      expect(at(tf, "network/application/app-identity-from-entry").body).toMatchObject({
        source_address_prefix: FRONT_DOOR_SERVICE_TAG,
        destination_application_security_group_ids: [refAt(tf, "app/identity/asg")],
        protocol: "Tcp",
      });
      // Azure's probe source (168.63.129.16) carries no client traffic; the subnet's deny-all would drop the probes otherwise.
      expect(at(tf, "network/application/app-identity-from-app-load-balancer").body).toMatchObject({
        source_address_prefix: "AzureLoadBalancer",
        destination_application_security_group_ids: [refAt(tf, "app/identity/asg")],
      });
      for (const r of onPort) expect(r.body.destination_address_prefix).toBeUndefined();
      // The service tag covers every Front Door: the application checks the header the entry_origin_header output names.
      expect(stack.entry.originHeader).toMatchObject({ name: FRONT_DOOR_ID_HEADER });
    });

    test("no NSG rule depends on an instance's or a load balancer's address: rules follow the ASG", () => {
      const rules = JSON.stringify([...rulesOf(tf, "application"), ...rulesOf(tf, "data")]);
      expect(rules).not.toMatch(/ip_address\}/);
      expect(rules).not.toContain(refAt(tf, "app/load-balancer/public-ip", "ip_address"));
    });

    test("construct rules count up from the first priority; the baseline rule comes after them, the deny last", () => {
      for (const tier of ["application", "data"] as const) {
        const constructRules = under(tf, `network/${tier}`, "azurerm_network_security_rule").filter((r) => /-(from|to)-/.test(r.path));
        expect(constructRules.map((r) => r.body.priority).sort((a, b) => a - b)).toEqual(constructRules.map((_, i) => NSG_PRIORITIES.first + i));
        for (const r of constructRules) expect(r.body.priority).toBeLessThanOrEqual(NSG_PRIORITIES.last);
        expect(at(tf, `network/${tier}/deny-all-inbound`).body.priority).toBe(NSG_PRIORITIES.denyAll);
      }
      expect(at(tf, "network/data/allow-intra-subnet").body.priority).toBe(NSG_PRIORITIES.baseline);
      expect(NSG_PRIORITIES.last).toBeLessThan(NSG_PRIORITIES.baseline);
      expect(NSG_PRIORITIES.baseline).toBeLessThan(NSG_PRIORITIES.denyAll);
    });
  });

  describe("the worker stack: its VM in the platform's network", () => {
    const vm = () => at(wtf, "worker/Resource").body;
    /** The platform's resource a worker-stack reference reads, as the platform stack writes it. */
    const fromPlatform = (reference: string) => remoteOutput(tf, reference);

    test("size from the size table", () => {
      expect(vm().size).toBe(prod ? "Standard_D2s_v5" : "Standard_B2s");
      expect(vm().size).toBe(SIZE_TABLE[profile.vmSize].azure.vm);
      expect(vm().name).toBe(`taskflow-worker-${env}-worker`);
      expect(workerStack.node.id).toBe(`worker-azure-${env}`);
    });

    test("SSH keys only, from the vm_ssh_public_key variable", () => {
      expect(vm().disable_password_authentication).toBe(true);
      expect(vm().admin_password).toBeUndefined();
      expect(vm().admin_username).toBe(AZURE_VM_ADMIN_USERNAME);
      expect(vm().admin_ssh_key).toEqual([{ username: vm().admin_username, public_key: "${var.vm_ssh_public_key}" }]);
      expect(wtf.variable!.vm_ssh_public_key).toMatchObject({ type: "string" });
      expect(wtf.variable!.vm_ssh_public_key.default).toBeUndefined();
      expect(Object.keys(wtf.variable!)).toEqual(["vm_ssh_public_key"]);
    });

    test("runs as its user-assigned identity; trusted launch with a Gen2 image, encryption at host, premium OS disk", () => {
      expect(vm().identity).toEqual({ type: "UserAssigned", identity_ids: [refAt(wtf, "worker/identity/Resource")] });
      expect(vm()).toMatchObject({ secure_boot_enabled: true, vtpm_enabled: true, encryption_at_host_enabled: true });
      expect(vm().source_image_reference).toEqual({ ...AZURE_VM_IMAGE });
      expect(vm().source_image_reference.sku).toMatch(/gen2/);
      expect(vm().os_disk).toMatchObject({ storage_account_type: "Premium_LRS", disk_size_gb: 30 });
      expect(CLOUD_LIMITS.azure.virtualMachine.minRootVolumeGb).toBe(30);
    });

    test("no extension operations (CKV_AZURE_50), regional (no zone to move)", () => {
      expect(vm().allow_extension_operations).toBe(false);
      expect(vm().zone).toBeUndefined();
    });

    test("NIC in the platform's application subnet without a public IP; no depends_on across stacks (the platform stack, with its NSG and NAT egress, is applied first)", () => {
      const nic = at(wtf, "worker/nic").body;
      expect(vm().network_interface_ids).toEqual([refAt(wtf, "worker/nic")]);
      expect(fromPlatform(nic.ip_configuration[0].subnet_id)).toBe(refAt(tf, "network/application/subnet"));
      expect(nic.ip_configuration[0].public_ip_address_id).toBeUndefined();
      expect(pathsOf(wtf, "azurerm_public_ip")).toEqual([]);
      // Terraform refuses an output of data.terraform_remote_state in depends_on ("Invalid depends_on reference").
      expect(vm().depends_on).toBeUndefined();
      expect(workerStack.dependencies.map((d) => d.node.id)).toEqual([stack.node.id]);
      // In the platform stack the scale set does wait for both.
      expect(at(tf, "app/Resource").body.depends_on).toEqual(expect.arrayContaining([at(tf, "network/application/nsg-association").address, at(tf, "network/nat-association").address]));
    });

    test("the VM's NIC joins the worker identity's application security group", () => {
      expect(at(wtf, "worker/nic-asg")).toMatchObject({
        type: "azurerm_network_interface_application_security_group_association",
        body: { network_interface_id: refAt(wtf, "worker/nic"), application_security_group_id: refAt(wtf, "worker/identity/asg") },
      });
    });

    test("the database admits the worker from the worker's stack: its rules sit on the platform's NSGs, ASG to data subnet on 5432", () => {
      const inbound = at(wtf, "worker/identity/database-from-worker-identity").body;
      const outbound = at(wtf, "worker/identity/worker-identity-to-database").body;
      expect(fromPlatform(inbound.network_security_group_name)).toBe(refAt(tf, "network/data/nsg", "name"));
      expect(fromPlatform(outbound.network_security_group_name)).toBe(refAt(tf, "network/application/nsg", "name"));
      for (const r of [inbound, outbound]) {
        expect(r).toMatchObject({ access: "Allow", protocol: "Tcp", source_application_security_group_ids: [refAt(wtf, "worker/identity/asg")], destination_address_prefix: DATA_CIDR, destination_port_range: String(POSTGRES_PORT) });
      }
      expect([inbound.direction, outbound.direction]).toEqual(["Inbound", "Outbound"]);
      // The platform stack's own data NSG still admits the app tier only.
      expect(rulesOf(tf, "data").filter((r) => r.access === "Allow" && r.destination_port_range === String(POSTGRES_PORT)).map((r) => r.source_application_security_group_ids ?? r.source_address_prefix)).toEqual(
        expect.arrayContaining([[refAt(tf, "app/identity/asg")]]),
      );
      expect(JSON.stringify(rulesOf(tf, "data"))).not.toContain("worker");
    });

    test("the worker's rules take the next free priorities of the platform's NSGs: unique per NSG and direction across both stacks", () => {
      for (const tier of ["application", "data"] as const) {
        const nsgName = refAt(tf, `network/${tier}/nsg`, "name");
        const platformRules = rulesOn(tf, nsgName);
        const workerRules = allItems(wtf).filter((i) => i.type === "azurerm_network_security_rule" && fromPlatform(i.body.network_security_group_name) === nsgName).map((i) => i.body);
        expect(workerRules).toHaveLength(1);
        const all = [...platformRules, ...workerRules];
        for (const direction of ["Inbound", "Outbound"]) {
          const priorities = all.filter((r) => r.direction === direction).map((r) => r.priority);
          expect([tier, direction, new Set(priorities).size]).toEqual([tier, direction, priorities.length]);
        }
      }
    });

    test("no NSG rule depends on the VM's address: rules follow the ASG whatever IP the NIC gets", () => {
      const rules = allItems(wtf).filter((i) => i.type === "azurerm_network_security_rule").map((i) => i.body);
      expect(rules).toHaveLength(2);
      expect(JSON.stringify(rules)).not.toContain(refAt(wtf, "worker/nic", "private_ip_address"));
    });

    test("reads the platform's uploads (Storage Blob Data Reader on that container, written in the worker's stack) and owns its results bucket", () => {
      const read = at(wtf, "worker/read-on-uploads").body;
      expect(read).toMatchObject({ role_definition_name: BLOB_ROLES.read, principal_id: refAt(wtf, "worker/identity/Resource", "principal_id"), principal_type: "ServicePrincipal" });
      const [account, container] = read.scope.split("/blobServices/default/containers/");
      expect([fromPlatform(`${account}`), container]).toEqual([refAt(tf, "uploads/Resource"), "uploads"]);
      expect(read.depends_on).toBeUndefined();
      expect(at(wtf, "results/read-write-worker").body).toMatchObject({ role_definition_name: BLOB_ROLES["read-write"], depends_on: [at(wtf, "results/container").address] });
      expect(at(wtf, "results/Resource").body.lifecycle).toEqual(profile.deletionProtection ? { prevent_destroy: true } : undefined);
    });
    test("grantConnect(worker), written in the worker's stack: reads the platform's credentials secret and signs in to its server with Entra ID", () => {
      const read = at(wtf, "worker/read-on-database-credentials").body;
      expect(read).toMatchObject({ role_definition_name: "Key Vault Secrets User", principal_id: refAt(wtf, "worker/identity/Resource", "principal_id"), principal_type: "ServicePrincipal" });
      expect(fromPlatform(read.scope)).toBe(refAt(tf, "database/credentials/Resource", "resource_versionless_id"));
      const admin = at(wtf, "worker/entra-admin-on-database").body;
      expect(admin).toMatchObject({
        object_id: refAt(wtf, "worker/identity/Resource", "principal_id"),
        principal_name: refAt(wtf, "worker/identity/Resource", "name"),
        principal_type: "ServicePrincipal",
      });
      expect([fromPlatform(admin.server_name), fromPlatform(admin.resource_group_name)]).toEqual([refAt(tf, "database/Resource", "name"), refAt(tf, "database/Resource", "resource_group_name")]);
      // The platform's stack holds only the tier's grants.
      expect(allItems(tf).filter((i) => /entra-admin/.test(i.path)).map((i) => i.path.split("/").slice(1).join("/"))).toEqual(["database/entra-admin-app"]);
    });
  });

  describe("object store", () => {
    const account = () => at(tf, "uploads/Resource").body;

    test("storage account name: <project><environment short name><base><hash>, 3-24 lowercase letters and digits, deterministic", () => {
      expect(account().name).toMatch(AZURE_NAME_LIMITS.storageAccount.pattern);
      expect(account().name).toMatch(new RegExp(`^taskflow${short}uploads[a-z0-9]{6}$`));
      expect(stack.profile.shortName).toBe(short);
      expect(account().name).toBe(storageAccountName(AzurePlatform.of(stack), "uploads", `${stack.node.id}/uploads`));
      expect(synthStack("azure", env).resource!.azurerm_storage_account).toEqual(tf.resource!.azurerm_storage_account);
    });

    test("secure settings: TLS 1.2, HTTPS only, no public blobs, no shared keys, infrastructure encryption", () => {
      expect(account()).toMatchObject({
        min_tls_version: "TLS1_2",
        https_traffic_only_enabled: true,
        allow_nested_items_to_be_public: false,
        shared_access_key_enabled: false,
        infrastructure_encryption_enabled: true,
        cross_tenant_replication_enabled: false,
        default_to_oauth_authentication: true,
      });
    });

    test("firewall denies by default and admits only the granted tier's subnet (the worker's VM sits in the same one)", () => {
      expect(account().network_rules).toEqual({
        default_action: "Deny",
        bypass: ["AzureServices"],
        virtual_network_subnet_ids: [refAt(tf, "network/application/subnet")],
      });
      // The storage and Key Vault firewalls admit the application subnet through its service endpoints.
      expect(at(tf, "network/application/subnet").body.service_endpoints).toEqual(["Microsoft.KeyVault", "Microsoft.Storage"]);
      expect(at(tf, "network/application/subnet").body.service_endpoints).toEqual([...APPLICATION_SERVICE_ENDPOINTS]);
    });

    test("SAS tokens signed with a key live at most a day (refused beyond)", () => {
      expect(account().sas_policy).toEqual({ expiration_period: "1.00:00:00", expiration_action: "Block" });
      expect(SAS_EXPIRATION_POLICY).toEqual({ expirationPeriod: "1.00:00:00", expirationAction: "Block" });
    });

    test("no data-plane-only settings on the account (refused at plan with data_plane_available = false)", () => {
      expect(account().queue_properties).toBeUndefined();
      expect(account().static_website).toBeUndefined();
      expect(at(tf, "uploads/container").body.storage_account_name).toBeUndefined();
    });

    test("blob reads, writes and deletes are recorded in the account's own Log Analytics workspace for a year", () => {
      const setting = at(tf, "uploads/access-log/blob-service");
      expect(setting.type).toBe("azurerm_monitor_diagnostic_setting");
      expect(setting.body).toMatchObject({
        target_resource_id: `${refAt(tf, "uploads/Resource")}/blobServices/default`,
        log_analytics_workspace_id: refAt(tf, "uploads/access-log/Resource"),
        enabled_log: [{ category: "StorageRead" }, { category: "StorageWrite" }, { category: "StorageDelete" }],
      });
      expect(at(tf, "uploads/access-log/Resource")).toMatchObject({
        type: "azurerm_log_analytics_workspace",
        body: { name: `taskflow-${env}-uploads-access-logs`, sku: "PerGB2018", retention_in_days: AZURE_ACCESS_LOG_RETENTION_DAYS, local_authentication_enabled: false, location: LOCATION },
      });
      expect(AZURE_ACCESS_LOG_RETENTION_DAYS).toBe(365);
    });

    test("versioning, blob and container soft delete", () => {
      const days = prod ? 30 : 7;
      expect(softDeleteDays(prod)).toBe(days);
      expect(account().blob_properties).toEqual({
        versioning_enabled: true,
        delete_retention_policy: { days },
        container_delete_retention_policy: { days },
      });
    });

    test("private container; bucketName output is <account>/<container>", () => {
      expect(at(tf, "uploads/container").body).toMatchObject({ name: "uploads", container_access_type: "private", storage_account_id: refAt(tf, "uploads/Resource") });
      expect(tf.output!.bucket_name.value).toBe(`${refAt(tf, "uploads/Resource", "name")}/${refAt(tf, "uploads/container", "name")}`);
    });

    test("old versions deleted after 90 days", () => {
      const policy = at(tf, "uploads/lifecycle").body;
      expect(policy.storage_account_id).toBe(refAt(tf, "uploads/Resource"));
      expect(policy.rule[0]).toMatchObject({ enabled: true, filters: { blob_types: ["blockBlob"] }, actions: { version: { delete_after_days_since_creation: 90 } } });
      expect(OBJECT_STORE_DEFAULTS.noncurrentVersionExpirationDays).toBe(90);
    });

    test("grantReadWrite: Storage Blob Data Contributor for the app tier's identity, scoped to the container, and nothing else", () => {
      // The others: Terraform's own data-plane role on the credentials vault, and the tier's read on the credentials
      // secret (grantConnect); the worker's grants live in its stack.
      expect(pathsOf(tf, "azurerm_role_assignment")).toEqual(["database/credentials/read-app", "database/vault/deployer-access", "uploads/read-write-app"]);
      expect(at(tf, "database/credentials/read-app").body).toMatchObject({
        role_definition_name: "Key Vault Secrets User",
        principal_id: refAt(tf, "app/identity/Resource", "principal_id"),
        scope: refAt(tf, "database/credentials/Resource", "resource_versionless_id"),
      });
      expect(stack.app.grantPrincipal).toBe(stack.app.identity.grantPrincipal);
      const ra = at(tf, "uploads/read-write-app").body;
      expect(ra.role_definition_name).toBe("Storage Blob Data Contributor");
      expect(ra.role_definition_name).toBe(BLOB_ROLES["read-write"]);
      expect(ra.principal_id).toBe(refAt(tf, "app/identity/Resource", "principal_id"));
      expect(ra.principal_type).toBe("ServicePrincipal");
      expect(ra.scope).toBe(`${refAt(tf, "uploads/Resource")}/blobServices/default/containers/uploads`);
      expect(ra.depends_on).toEqual([at(tf, "uploads/container").address]);
    });
  });

  describe("deletion protection, geo redundancy and recorded decisions (from the environment profile)", () => {
    const full = (p: string) => `${stack.node.id}/${p}`;

    test(prod ? "production: Terraform refuses to destroy the uploads account and the log account" : "staging: both storage accounts are destroyable", () => {
      expect(stack.profile.deletionProtection).toBe(prod);
      for (const p of ["uploads/Resource", "network/flow-log/storage"]) {
        expect([p, at(tf, p).body.lifecycle]).toEqual([p, prod ? { prevent_destroy: true } : undefined]);
        // Azure storage accounts have no force_destroy: without prevent_destroy, destroy removes the account with its blobs.
        expect(at(tf, p).body.force_destroy).toBeUndefined();
      }
    });

    test(prod ? "production: both storage accounts are geo-redundant (GRS)" : "staging: both storage accounts are locally redundant (LRS)", () => {
      expect(stack.profile.geoRedundantStorage).toBe(prod);
      for (const p of ["uploads/Resource", "network/flow-log/storage"]) expect([p, at(tf, p).body.account_replication_type]).toEqual([p, prod ? "GRS" : "LRS"]);
    });

    test("decisions recorded on the uploads account", () => {
      expect([...decisionsAt(stack, full("uploads/Resource"))].sort()).toEqual(prod ? [] : ["locally-redundant-storage", "no-deletion-protection"]);
    });

    test("decisions recorded on the flow-log account: the Network Watcher limitations everywhere, LRS where the profile accepts it", () => {
      expect([...decisionsAt(stack, full("network/flow-log/storage"))].sort()).toEqual(
        ["flow-log-account-key", "flow-log-blobs-unversioned", ...(prod ? [] : ["locally-redundant-storage", "no-deletion-protection"])].sort(),
      );
    });

    test("decisions recorded on the database", () => {
      expect([...decisionsAt(stack, full("database/Resource"))].sort()).toEqual(prod ? [] : ["no-deletion-protection", "single-zone-database"]);
    });

    test("the trade-offs are accepted only because the profile says costOverResilience", () => {
      expect(stack.profile.costOverResilience).toBe(!prod);
    });
  });

  describe("postgres", () => {
    const server = () => at(tf, "database/Resource").body;

    test("version, SKU from the size table, storage on an accepted size with auto-grow, backups", () => {
      expect(server()).toMatchObject({
        version: "16",
        sku_name: prod ? "GP_Standard_D2ds_v5" : "B_Standard_B1ms",
        storage_mb: 32768,
        auto_grow_enabled: true,
        backup_retention_days: prod ? 14 : 7,
      });
      expect(server().name).toMatch(new RegExp(`^taskflow-${env}-database-[a-z0-9]{6}$`));
      expect(server().name).toMatch(AZURE_NAME_LIMITS.postgresServer.pattern);
    });

    test("VNet-integrated: delegated subnet, private DNS zone linked to the VNet, no public access; server waits for the link", () => {
      const zone = at(tf, "database/dns-zone").body;
      expect(zone.name).toMatch(/\.postgres\.database\.azure\.com$/);
      expect(at(tf, "database/dns-link").body).toMatchObject({
        private_dns_zone_name: refAt(tf, "database/dns-zone", "name"),
        virtual_network_id: refAt(tf, "network/Resource"),
        registration_enabled: false,
      });
      expect(server()).toMatchObject({
        delegated_subnet_id: refAt(tf, "network/data/subnet"),
        private_dns_zone_id: refAt(tf, "database/dns-zone"),
        public_network_access_enabled: false,
      });
      expect(server().depends_on).toContain(at(tf, "database/dns-link").address);
    });

    test("server parameters: TLS required, checkpoint/connection/DDL logging, connection throttling, pgAudit", () => {
      const params = under(tf, "database", "azurerm_postgresql_flexible_server_configuration").map((p) => p.body);
      const byName = Object.fromEntries(params.map((p) => [p.name, p.value]));
      expect(byName).toEqual({ ...AZURE_POSTGRES_PARAMETERS, ...AZURE_PGAUDIT_PARAMETERS });
      expect(byName).toMatchObject({ require_secure_transport: "on", log_checkpoints: "on", log_connections: "on", "connection_throttle.enable": "on", log_statement: "ddl" });
      for (const p of params) expect(p.server_id).toBe(refAt(tf, "database/Resource"));
    });

    test("pgAudit: allow-listed, preloaded after Azure's defaults, and pgaudit.log applied after both", () => {
      expect(at(tf, "database/param-azure-extensions").body.value).toBe("PGAUDIT");
      // Azure's default preload list is pg_cron,pg_stat_statements: replacing it would unload both.
      expect(at(tf, "database/param-shared_preload_libraries").body.value).toBe("pg_cron,pg_stat_statements,pgaudit");
      expect(at(tf, "database/param-pgaudit-log").body).toMatchObject({
        value: "ddl,role",
        depends_on: [at(tf, "database/param-azure-extensions").address, at(tf, "database/param-shared_preload_libraries").address],
      });
    });

    test("administrator password generated: an ephemeral random_password into the write-only attribute; no password input", () => {
      const ephemeral = tf.ephemeral!;
      expect(ephemeral.random_password.database_admin_password).toEqual({ ...AZURE_GENERATED_PASSWORD });
      expect(AZURE_GENERATED_PASSWORD).toMatchObject({ length: 32, min_lower: 1, min_upper: 1, min_numeric: 1, min_special: 1 });
      expect(server().administrator_password_wo).toBe("${ephemeral.random_password.database_admin_password.result}");
      expect(server().administrator_password_wo_version).toBe(1);
      expect(server().administrator_password).toBeUndefined();
      expect(server().administrator_login).toBe("app_admin");
      // No stack input carries a password any more: the only variables are the VM's public key and this run's Key Vault firewall ranges.
      expect(Object.keys(tf.variable ?? {}).sort()).toEqual([DEPLOYER_IP_RANGES_VARIABLE, "vm_ssh_public_key"]);
      expect(Object.values(tf.variable ?? {}).filter((v) => v.sensitive !== undefined || v.ephemeral !== undefined)).toEqual([]);
    });

    test("Entra ID authentication next to the password, in the tenant Terraform runs in", () => {
      expect(server().authentication).toEqual({ password_auth_enabled: true, active_directory_auth_enabled: true, tenant_id: refAt(tf, "client-config", "tenant_id") });
      expect(at(tf, "client-config").type).toBe("azurerm_client_config");
    });

    test("maintenance window from the contract (Mon 04:00 UTC)", () => {
      expect(server().maintenance_window).toEqual({ day_of_week: 1, start_hour: 4, start_minute: 0 });
    });

    test("application database", () => {
      expect(pathsOf(tf, "azurerm_postgresql_flexible_server_database")).toEqual(["database/database"]);
      expect(at(tf, "database/database").body).toMatchObject({ name: "taskflow", charset: "UTF8", server_id: refAt(tf, "database/Resource") });
    });

    test("auto-grown storage and Azure's zones are not planned from our configuration (no replacement after growth, no drift after a failover)", () => {
      expect(server().lifecycle.ignore_changes).toEqual(["storage_mb", "storage_tier", "zone", "high_availability[0].standby_availability_zone"]);
      expect([...AZURE_POSTGRES_IGNORED_CHANGES]).toEqual(server().lifecycle.ignore_changes);
      expect(server().zone).toBeUndefined();
    });

    test("the delegated data subnet has the Microsoft.Storage service endpoint (HA and WAL archiving reach Azure Storage)", () => {
      expect(at(tf, "network/data/subnet").body.service_endpoints).toEqual(["Microsoft.Storage"]);
      expect([...DATA_SERVICE_ENDPOINTS]).toEqual(["Microsoft.Storage"]);
    });

    test(prod ? "production: zone-redundant HA, geo-redundant backups, CanNotDelete lock, prevent_destroy" : "staging: no HA, no geo backups, no lock", () => {
      if (prod) {
        expect(server().high_availability).toEqual({ mode: "ZoneRedundant" });
        expect(server().geo_redundant_backup_enabled).toBe(true);
        // The other lock is the Front Door profile's.
        expect(pathsOf(tf, "azurerm_management_lock")).toEqual(["database/delete-lock", "entry/delete-lock"]);
        expect(at(tf, "database/delete-lock").body).toMatchObject({ lock_level: "CanNotDelete", scope: refAt(tf, "database/Resource") });
        expect(server().lifecycle.prevent_destroy).toBe(true);
      } else {
        expect(server().high_availability).toBeUndefined();
        expect(server().geo_redundant_backup_enabled).toBe(false);
        expect(pathsOf(tf, "azurerm_management_lock")).toEqual([]);
        expect(server().lifecycle.prevent_destroy).toBeUndefined();
      }
    });

    test("outputs: FQDN endpoint and a password-free connection string", () => {
      const fqdn = refAt(tf, "database/Resource", "fqdn");
      expect(tf.output!.database_endpoint.value).toBe(fqdn);
      expect(tf.output!.database_connection_string.value).toBe(`postgresql://app_admin@${fqdn}:5432/taskflow?sslmode=require`);
    });
  });

  describe("database credentials in Key Vault", () => {
    const vault = () => at(tf, "database/vault/Resource");
    const secret = () => at(tf, "database/credentials/Resource");

    test("a Key Vault in RBAC mode with purge protection, soft delete kept 90 days where protected (7 otherwise), in the stack's tenant", () => {
      expect(vault().type).toBe("azurerm_key_vault");
      expect(vault().body).toMatchObject({
        sku_name: "standard",
        rbac_authorization_enabled: true,
        purge_protection_enabled: true,
        soft_delete_retention_days: prod ? 90 : 7,
        tenant_id: refAt(tf, "client-config", "tenant_id"),
        location: LOCATION,
        resource_group_name: refAt(tf, "resource-group", "name"),
        tags: expect.objectContaining(TAGS(env)),
      });
      expect(vault().body.access_policy).toBeUndefined();
      expect(vault().body.enable_rbac_authorization).toBeUndefined();
      expect(vault().body.name).toMatch(AZURE_NAME_LIMITS.keyVault.pattern);
      expect(vault().body.name).toMatch(new RegExp(`^taskflow${short}vault[a-z0-9]{6}$`));
    });

    test("network-restricted: the firewall denies by default; trusted services, the deployer ranges (none configured, plus this run's variable) and granted subnets get in", () => {
      // The tier's subnet, admitted by grantConnect(app) (the worker runs in the same subnet).
      expect(vault().body.network_acls).toEqual({
        default_action: "Deny",
        bypass: "AzureServices",
        ip_rules: `\${concat([], var.${DEPLOYER_IP_RANGES_VARIABLE})}`,
        virtual_network_subnet_ids: [refAt(tf, "network/application/subnet")],
      });
      expect(vault().body.public_network_access_enabled).toBe(true);
    });

    test("the identity that applies the stack gets Key Vault Secrets Officer on this vault only, kept by the first deployer", () => {
      const ra = at(tf, "database/vault/deployer-access").body;
      expect(ra).toMatchObject({ scope: refAt(tf, "database/vault/Resource"), role_definition_name: KEY_VAULT_DEPLOYER_ROLE, principal_id: refAt(tf, "client-config", "object_id") });
      expect(KEY_VAULT_DEPLOYER_ROLE).toBe("Key Vault Secrets Officer");
      expect(ra.lifecycle).toEqual({ ignore_changes: ["principal_id"] });
    });

    test("the secret waits until Azure RBAC reached the vault's data plane (the provider does not retry a 403)", () => {
      const wait = at(tf, "database/vault/deployer-access-wait");
      expect(wait).toMatchObject({ type: "time_sleep", body: { create_duration: KEY_VAULT_RBAC_WAIT, triggers: { role_assignment_id: refAt(tf, "database/vault/deployer-access") } } });
      expect(wait.body.depends_on).toEqual([at(tf, "database/vault/deployer-access").address]);
      expect(secret().body.depends_on).toEqual([wait.address, at(tf, "database/Resource").address]);
    });

    test("the secret holds the same generated password as the server, write-only, with the same version, written after the server (rotation)", () => {
      expect(secret().body).toMatchObject({
        key_vault_id: refAt(tf, "database/vault/Resource"),
        value_wo: at(tf, "database/Resource").body.administrator_password_wo,
        value_wo_version: at(tf, "database/Resource").body.administrator_password_wo_version,
        content_type: expect.stringContaining("password of PostgreSQL user app_admin"),
      });
      expect(secret().body.value).toBeUndefined();
      expect(secret().body.expiration_date).toBeUndefined();
      expect(secret().body.name).toMatch(AZURE_NAME_LIMITS.keyVaultSecret.pattern);
    });

    test("nothing sensitive in the JSON: no password attribute, no secret value, no password variable", () => {
      const text = JSON.stringify(tf);
      expect(text).not.toMatch(/"(administrator_password|admin_password|password)"\s*:/);
      for (const r of resources(tf).filter((x) => x.type === "azurerm_key_vault_secret")) expect([r.path, r.body.value]).toEqual([r.path, undefined]);
      expect(Object.keys(tf.variable ?? {}).filter((v) => /password|secret/.test(v))).toEqual([]);
      // The generator's settings are in the JSON, never its result.
      expect(text.match(/ephemeral\.random_password\.database_admin_password\.result/g)).toHaveLength(2);
    });

    test(prod ? "production: vault and secret refuse destroy" : "staging: vault and secret are destroyable", () => {
      for (const p of ["database/vault/Resource", "database/credentials/Resource"]) expect([p, at(tf, p).body.lifecycle]).toEqual([p, prod ? { prevent_destroy: true } : undefined]);
    });

    test("decisions: no expiration date everywhere (rotation by version), no deletion protection where the profile accepts it", () => {
      const full = (p: string) => `${stack.node.id}/${p}`;
      expect([...decisionsAt(stack, full("database/credentials/Resource"))].sort()).toEqual([...(prod ? [] : ["no-deletion-protection"]), "secret-rotated-by-version"]);
      expect([...decisionsAt(stack, full("database/vault/Resource"))]).toEqual(prod ? [] : ["no-deletion-protection"]);
    });

    test("the database's credentialsSecret is the Key Vault secret, referenced by its versionless id", () => {
      const db = onCloud(stack.database, { aws: () => undefined, gcp: () => undefined, azure: (d) => d });
      expect(db!.credentialsSecret.resource.node.path).toBe(`${stack.node.id}/database/credentials/Resource`);
      expect(stack.database.credentialsSecret).toBe(db!.credentialsSecret);
      expect(db!.credentialsSecret.cloud).toBe("azure");
    });
  });

  describe("deletion protection of everything else that holds data", () => {
    test(prod ? "production: the application database, the container, the log workspaces, the Front Door profile and its custom domain refuse destroy" : "staging: they are destroyable", () => {
      const serving = ["entry/Resource", "entry/domain", "entry/logs/Resource", ...(profile.operatorAccess ? ["network/bastion/audit-logs/Resource"] : [])];
      for (const p of ["database/database", "uploads/container", "uploads/access-log/Resource", "network/flow-log/access-log/Resource", ...serving]) {
        expect([p, at(tf, p).body.lifecycle]).toEqual([p, prod ? { prevent_destroy: true } : undefined]);
        expect([p, [...decisionsAt(stack, `${stack.node.id}/${p}`)]]).toEqual([p, prod ? [] : ["no-deletion-protection"]]);
      }
    });
  });

  describe("budget", () => {
    test("monthly budget <prefix>-budget on the resource group, 80 % actual and 100 % forecast to the alert e-mails", () => {
      const b = at(tf, "budget/Resource").body;
      expect(b).toMatchObject({ name: `taskflow-${env}-budget`, amount: prod ? 2000 : 200, time_grain: "Monthly", resource_group_id: refAt(tf, "resource-group") });
      expect(b.amount).toBe(ENVIRONMENT_DEFAULTS[env].monthlyBudget);
      expect(b.notification).toEqual([
        expect.objectContaining({ threshold: 80, threshold_type: "Actual", contact_emails: ["platform-team@example.com"], enabled: true }),
        expect.objectContaining({ threshold: 100, threshold_type: "Forecasted", contact_emails: ["platform-team@example.com"], enabled: true }),
      ]);
    });

    test("start date is the first of the month of the first apply, deterministic in the JSON and ignored afterwards", () => {
      const b = at(tf, "budget/Resource").body;
      expect(b.time_period.start_date).toBe("${formatdate(\"YYYY-MM-01'T'00:00:00Z\", timestamp())}");
      expect(b.lifecycle.ignore_changes).toEqual(["time_period"]);
      expect(JSON.stringify(tf)).not.toMatch(/20\d\d-\d\d-\d\dT/);
    });
  });

  test("outputs: network, URL, entry address, DNS records, origin header, tier id reference the Azure resources; no VM output", () => {
    const out = tf.output!;
    expect(out.network_id.value).toBe(refAt(tf, "network/Resource"));
    expect(out.app_url.value).toBe(`https://${profile.domain}`);
    expect(out.entry_address.value).toBe(refAt(tf, "entry/endpoint", "host_name"));
    expect(out.dns_records.value).toEqual([
      { name: profile.domain, type: "CNAME", value: refAt(tf, "entry/endpoint", "host_name"), purpose: "serve" },
      { name: `_dnsauth.${profile.domain}`, type: "TXT", value: refAt(tf, "entry/domain", "validation_token"), purpose: "certificate-validation" },
    ]);
    expect(out.dns_records.description).toMatch(/no zone is managed here/);
    expect(out.entry_origin_header.value).toBe(`${FRONT_DOOR_ID_HEADER}: ${refAt(tf, "entry/Resource", "resource_guid")}`);
    expect(out.app_tier_id.value).toBe(refAt(tf, "app/Resource"));
    expect(out.database_connection_string.sensitive).toBe(true);
    const own = Object.keys(out).filter((k) => !k.startsWith("cross-stack-output-"));
    expect(own).toEqual(["network_id", "app_url", "entry_address", "dns_records", "entry_origin_header", "app_tier_id", "bucket_name", "database_endpoint", "database_connection_string", "database_credentials_secret"]);
    expect(out.database_credentials_secret).toMatchObject({ value: refAt(tf, "database/credentials/Resource", "versionless_id"), sensitive: true });
    // What the worker stack reads from the platform is all it exports besides (sensitive, by cdktf).
    for (const k of Object.keys(out).filter((x) => x.startsWith("cross-stack-output-"))) expect([k, out[k].sensitive]).toEqual([k, true]);
    expect(workerTfByEnv[env].output).toMatchObject({ worker_id: { value: refAt(wtf, "worker/Resource") }, results_bucket_name: { value: `${refAt(wtf, "results/Resource", "name")}/${refAt(wtf, "results/container", "name")}` } });
  });

  test("snapshot", () => {
    expect(sanitizeForSnapshot(tf)).toMatchSnapshot();
  });
});

test("the ports the stack opens are the application's and PostgreSQL's", () => {
  expect([APPLICATION_PORT, POSTGRES_PORT]).toEqual([8080, 5432]);
});

// ---------------------------------------------------------------------------
// Construct-level cases on a bare Azure CloudStack, built through the kit
// ---------------------------------------------------------------------------

/** A bare Azure stack (its check prints nothing). */
const bare = (environment = "staging", overrides: Parameters<typeof platformStack>[2] = {}) => platformStack("azure", environment, overrides);

/** The stack's resolved JSON without the app-wide check (for props the policy check refuses on purpose). */
const unchecked = (stack: CloudStack): TfJson => JSON.parse(JSON.stringify(stack.toTerraform())) as TfJson;

/** A grantee of another cloud. */
class ForeignGrantee extends Construct implements IGrantable {
  public readonly grantPrincipal: AwsPrincipal = { cloud: "aws", roleName: "r", roleArn: "arn:aws:iam::123456789012:role/r" };
}

/** An Azure grantee that offers only the contract's principal (no display name). */
class NamelessAzureGrantee extends Construct implements IGrantable {
  public readonly grantPrincipal: AzurePrincipal = { cloud: "azure", principalId: "00000000-0000-0000-0000-000000000001", clientId: "00000000-0000-0000-0000-000000000002" };
}

describe("azure constructs", () => {
  test("provider leaves subscription_id out when none is configured (ARM_SUBSCRIPTION_ID); the location flows to every resource and the watcher", () => {
    const tf = synthStack("azure", "staging", { azure: { location: "francecentral" } });
    expect(tf.provider!.azurerm[0].subscription_id).toBeUndefined();
    expect(at(tf, "resource-group").body.location).toBe("francecentral");
    expect(at(tf, "network/flow-log/Resource").body.network_watcher_name).toBe("NetworkWatcher_francecentral");
    for (const r of resources(tf).filter((i) => "location" in i.body)) expect([r.path, r.body.location]).toEqual([r.path, "francecentral"]);
  });

  test("the resource group is created once, lazily", () => {
    const empty = bare();
    expect(pathsOf(synthJson(empty.stack), "azurerm_resource_group")).toEqual([]);
    const { stack, kit } = bare();
    const network = new kit.Network(stack, "net", {});
    new kit.Budget(stack, "budget", { monthlyLimit: 10, alertEmails: ["a@example.com"] });
    new kit.VirtualMachine(stack, "vm", { network });
    expect(pathsOf(synthJson(stack), "azurerm_resource_group")).toEqual(["resource-group"]);
  });

  test("custom CIDR: VNet and subnets follow the shared plan", () => {
    const { stack, kit } = bare();
    new kit.Network(stack, "net", { cidr: "172.16.0.0/16" });
    const tf = synthJson(stack);
    expect(at(tf, "net/Resource").body.address_space).toEqual(["172.16.0.0/16"]);
    expect(at(tf, "net/application/subnet").body.address_prefixes).toEqual(["172.16.10.0/24"]);
    expect(at(tf, "net/data/subnet").body.address_prefixes).toEqual(["172.16.20.0/24"]);
  });

  test("flow log retention comes from the contract's flowLogRetentionDays", () => {
    const { stack, kit } = bare();
    new kit.Network(stack, "net", { flowLogRetentionDays: 90 });
    expect(at(synthJson(stack), "net/flow-log/Resource").body.retention_policy).toEqual({ enabled: true, days: 90 });
  });

  test("network props decide the log account's protection and replication", () => {
    const { stack, kit } = bare();
    new kit.Network(stack, "kept", {});
    new kit.Network(stack, "disposable", { deletionProtection: false, geoRedundantLogs: false });
    const tf = synthJson(stack);
    expect(at(tf, "kept/flow-log/storage").body).toMatchObject({ account_replication_type: "GRS", lifecycle: { prevent_destroy: true } });
    expect(at(tf, "disposable/flow-log/storage").body).toMatchObject({ account_replication_type: "LRS" });
    expect(at(tf, "disposable/flow-log/storage").body.lifecycle).toBeUndefined();
  });

  test("fails when the flow-log retention exceeds what Network Watcher accepts (not supported on azure)", () => {
    const { stack, kit } = bare();
    expect(CLOUD_LIMITS.azure.flowLogRetentionMaxDays).toBe(365);
    expect(() => new kit.Network(stack, "net", { flowLogRetentionDays: 400 })).toThrow(
      "network.flowLogRetentionDays: 400 is not valid; accepted: at most 365 days: a longer retention is not supported on azure (Network Watcher retention policy limit)",
    );
  });

  test("a configured Network Watcher is used as given (subscription that opted out of Azure's own)", () => {
    const { stack, kit } = bare("staging", { azure: { location: LOCATION, networkWatcher: { name: "nw-central", resourceGroup: "network-ops-rg" } } });
    new kit.Network(stack, "net", {});
    expect(at(synthJson(stack), "net/flow-log/Resource").body).toMatchObject({ network_watcher_name: "nw-central", resource_group_name: "network-ops-rg" });
  });

  test("config: the Network Watcher defaults to Azure's own of the location; either field can be overridden", () => {
    expect(resolveConfig({}).azure).toMatchObject({ location: LOCATION, networkWatcher: { name: `NetworkWatcher_${LOCATION}`, resourceGroup: "NetworkWatcherRG" } });
    expect(resolveConfig({ azure: { location: "francecentral" } }).azure.networkWatcher).toEqual({ name: "NetworkWatcher_francecentral", resourceGroup: "NetworkWatcherRG" });
    expect(resolveConfig({ azure: { networkWatcher: { resourceGroup: "ops-rg" } } }).azure.networkWatcher).toEqual({ name: `NetworkWatcher_${LOCATION}`, resourceGroup: "ops-rg" });
    const tf = synthStack("azure", "production", { azure: { location: "francecentral", networkWatcher: { name: "nw-central", resourceGroup: "ops-rg" } } });
    expect(at(tf, "network/flow-log/Resource").body).toMatchObject({ network_watcher_name: "nw-central", resource_group_name: "ops-rg" });
  });

  test("fails when an environment needs zone-redundant HA in a location where new flexible servers cannot get it", () => {
    const e = validationErrorOf(() => testConfig({ azure: { location: "westeurope" } }));
    expect(e.message).toMatch(/azure\.location: 'westeurope' is not valid; accepted: a location where new PostgreSQL flexible servers get zone-redundant HA, which environment 'production' needs \(.*swedencentral/);
    // Without an environment that wants HA, the location is fine.
    expect(testConfig({ environments: ["staging"], azure: { location: "westeurope" } }).azure.location).toBe("westeurope");
  });

  test("fails when the project name is longer than Azure's storage account names allow (config, before any construct)", () => {
    const e = validationErrorOf(() => testConfig({ project: "averylongproject" }));
    expect(e.message).toContain("project: 'averylongproject' is not valid; accepted: 3-12 lowercase letters");
    expect(e.message).toContain(`azure: ${CLOUD_LIMITS.azure.projectMaxLengthReason}`);
  });

  describe("storage account names", () => {
    test("use the environment profile's short name, not the environment name", () => {
      const tf = synthStack("azure", "qa", { environments: { qa: { extends: "staging", shortName: "q1" } } });
      expect(at(tf, "uploads/Resource").body.name).toMatch(/^taskflowq1uploads[a-z0-9]{6}$/);
      // 'taskflowq1' leaves room for the whole base name 'flowlogs'.
      expect(at(tf, "network/flow-log/storage").body.name).toMatch(/^taskflowq1flowlogs[a-z0-9]{6}$/);
      expect(at(tf, "resource-group").body.name).toBe("taskflow-qa-rg");
    });

    test("a new environment's short name defaults to its first three letters", () => {
      const tf = synthStack("azure", "perftest", { environments: { perftest: { extends: "staging" } } });
      // 'taskflowper' leaves all 7 characters of 'uploads' before the hash.
      expect(at(tf, "uploads/Resource").body.name).toMatch(/^taskflowperuploads[a-z0-9]{6}$/);
      expect(at(tf, "uploads/Resource").body.name).toHaveLength(AZURE_NAME_LIMITS.storageAccount.maxLength);
    });

    test("from the platform: deterministic, a hash of project, environment and construct path, truncated to 24 characters", () => {
      const { stack } = bare();
      const platform = AzurePlatform.of(stack);
      const a = storageAccountName(platform, "uploads", "azure-staging/a");
      expect(a).toBe(storageAccountName(platform, "uploads", "azure-staging/a"));
      expect(a).not.toBe(storageAccountName(platform, "uploads", "azure-staging/b"));
      expect(a).not.toBe(storageAccountName(AzurePlatform.of(bare("production").stack), "uploads", "azure-staging/a"));
      const long = storageAccountName(platform, "a-very-long-base-name-for-files", "azure-staging/files");
      expect(long).toHaveLength(AZURE_NAME_LIMITS.storageAccount.maxLength);
      expect(long).toMatch(new RegExp(`^taskflowstgaverylo[a-z0-9]{${STORAGE_ACCOUNT_HASH_LENGTH}}$`));
      expect(long).toMatch(AZURE_NAME_LIMITS.storageAccount.pattern);
    });

    test("two stores with the same base name in one stack get different account names (the hash covers the construct path)", () => {
      const { stack, kit } = bare();
      const one = new kit.ObjectStore(stack, "files", {});
      const inner = new Construct(stack, "team");
      const two = new kit.ObjectStore(inner, "files", {});
      const names = [one, two].map((s) => onCloud(s, { aws: () => "", gcp: () => "", azure: (x) => x.accountName }));
      expect(names[0]).not.toBe(names[1]);
      for (const n of names) expect(n).toMatch(/^taskflowstgfiles[a-z0-9]{6}$/);
      synthJson(stack); // the app-wide check finds no clash
    });

    test("the configuration's limits keep every storage account name within 24 characters: the longest project and short name still leave 3 characters of the base", () => {
      const tf = synthStack("azure", "stage", { project: "abcdefghijkl", environments: { stage: { extends: "staging", shortName: "stg" } } });
      expect(at(tf, "uploads/Resource").body.name).toMatch(/^abcdefghijklstgupl[a-z0-9]{6}$/);
      expect(at(tf, "network/flow-log/storage").body.name).toMatch(/^abcdefghijklstgflo[a-z0-9]{6}$/);
      // Key Vault names are global 24-character DNS names too: the same scheme, a hash seed of their own.
      expect(at(tf, "database/vault/Resource").body.name).toMatch(/^abcdefghijklstgvau[a-z0-9]{6}$/);
      expect(at(tf, "database/vault/Resource").body.name).toMatch(AZURE_NAME_LIMITS.keyVault.pattern);
    });

    test("fails when an environment's short name is longer than 3 characters, or the project longer than 12 with Azure enabled", () => {
      expect(validationErrorOf(() => testConfig({ environments: { stage: { extends: "staging", shortName: "stg1" } } })).message).toContain(
        "environments.stage.shortName: 'stg1' is not valid; accepted: 1-3 lowercase letters or digits",
      );
      expect(validationErrorOf(() => testConfig({ project: "abcdefghijklm" })).message).toContain("project: 'abcdefghijklm' is not valid; accepted: 3-12 lowercase letters");
    });

    test("fails when a prefix leaves no room for the base name, naming the field the caller gave", () => {
      const ctx = { stack: { config: { project: "abcdefghijklmnop" }, profile: { shortName: "stg" }, environment: "stage", namePrefix: "abcdefghijklmnop-stage" } };
      const e = validationErrorOf(() => storageAccountName(ctx, "uploads", "x/uploads"));
      expect(e.message).toMatch(/objectStore\.baseName: 'uploads' is not valid/);
      expect(e.message).toMatch(/at most 24 lowercase letters and digits/);
      expect(e.message).toMatch(/'abcdefghijklmnopstg'/);
      const f = validationErrorOf(() => storageAccountName(ctx, "flowlogs", "x/flow", { what: "flow-log storage account", field: "project", value: "abcdefghijklmnop" }));
      expect(f.message).toMatch(/project: 'abcdefghijklmnop' is not valid/);
      expect(f.message).toMatch(/shorten the project name/);
    });
  });

  test("explicit SSH key: no variable; publicIp: a Standard static IP on the NIC", () => {
    const { stack, kit } = bare();
    const network = new kit.Network(stack, "net", {});
    const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIC0xS3k2 ops@example.com";
    new kit.VirtualMachine(stack, "bastion", { network, sshPublicKey: key, publicIp: true, userData: "#cloud-config\n" });
    // A NIC with a public IP is exactly what the policy refuses (AZ-NIC-NO-PUBLIC-IP): look at the JSON without the check.
    const tf = unchecked(stack);
    const vm = at(tf, "bastion/Resource").body;
    expect(vm.admin_ssh_key[0].public_key).toBe(key);
    expect(tf.variable?.vm_ssh_public_key).toBeUndefined();
    expect(vm.custom_data).toBe(Buffer.from("#cloud-config\n").toString("base64"));
    expect(at(tf, "bastion/public-ip").body).toMatchObject({ sku: "Standard", allocation_method: "Static", name: "taskflow-staging-bastion-ip" });
    expect(at(tf, "bastion/nic").body.ip_configuration[0].public_ip_address_id).toBe(refAt(tf, "bastion/public-ip"));
  });

  test("fails when a VM gets a public IP: the policy check refuses the NIC (AZ-NIC-NO-PUBLIC-IP)", () => {
    const { stack, kit } = bare();
    new kit.VirtualMachine(stack, "bastion", { network: new kit.Network(stack, "net", {}), publicIp: true });
    const e = policyErrorOf(() => synthJson(stack));
    expect(e.message).toMatch(/AZ-NIC-NO-PUBLIC-IP .* at azure-staging\/bastion\/nic/s);
  });

  test("storage size maps up to the nearest size Azure accepts", () => {
    expect(azureStorageMb(20)).toBe(32768);
    expect(azureStorageMb(32)).toBe(32768);
    expect(azureStorageMb(33)).toBe(65536);
    expect(azureStorageMb(100)).toBe(131072);
    expect(azureStorageMb(16384)).toBe(16777216);
    const { stack, kit } = bare();
    const network = new kit.Network(stack, "net", {});
    new kit.PostgresDatabase(stack, "db", { network, highAvailability: false, storageGb: 100 });
    expect(at(synthJson(stack), "db/Resource").body.storage_mb).toBe(131072);
  });

  test("database version from the contract", () => {
    const { stack, kit } = bare();
    const network = new kit.Network(stack, "net", {});
    new kit.PostgresDatabase(stack, "db", { network, highAvailability: false, version: "17" });
    expect(at(synthJson(stack), "db/Resource").body.version).toBe("17");
  });

  test("fromPasswordVariable still works: each database its own ephemeral variable, into the server and the secret", () => {
    const { stack, kit } = bare();
    const network = new kit.Network(stack, "net", {});
    new kit.PostgresDatabase(stack, "orders", { network, highAvailability: false, credentials: DatabaseCredentials.fromPasswordVariable() });
    new kit.PostgresDatabase(stack, "billing", { network, highAvailability: false, credentials: DatabaseCredentials.fromPasswordVariable(undefined, 3) });
    const tf = synthJson(stack);
    expect(at(tf, "orders/Resource").body.administrator_password_wo).toBe("${var.orders_admin_password}");
    expect(at(tf, "orders/credentials/Resource").body.value_wo).toBe("${var.orders_admin_password}");
    expect(at(tf, "billing/Resource").body).toMatchObject({ administrator_password_wo: "${var.billing_admin_password}", administrator_password_wo_version: 3 });
    expect(at(tf, "billing/credentials/Resource").body).toMatchObject({ value_wo: "${var.billing_admin_password}", value_wo_version: 3 });
    expect(Object.keys(tf.variable!).sort()).toEqual([DEPLOYER_IP_RANGES_VARIABLE, "billing_admin_password", "orders_admin_password"]);
    expect(tf.ephemeral).toBeUndefined();
    expect(tf.terraform.required_providers!.random).toBeUndefined();
  });

  test("generated credentials: each database its own ephemeral password, vault and secret", () => {
    const { stack, kit } = bare();
    const network = new kit.Network(stack, "net", {});
    new kit.PostgresDatabase(stack, "orders", { network, highAvailability: false });
    new kit.PostgresDatabase(stack, "billing", { network, highAvailability: false, credentials: DatabaseCredentials.generated(2) });
    const tf = synthJson(stack);
    const ephemeral = tf.ephemeral!;
    expect(Object.keys(ephemeral.random_password).sort()).toEqual(["billing_admin_password", "orders_admin_password"]);
    expect(at(tf, "billing/Resource").body).toMatchObject({ administrator_password_wo: "${ephemeral.random_password.billing_admin_password.result}", administrator_password_wo_version: 2 });
    expect(at(tf, "billing/credentials/Resource").body).toMatchObject({ value_wo: "${ephemeral.random_password.billing_admin_password.result}", value_wo_version: 2 });
    expect(at(tf, "orders/vault/Resource").body.name).not.toBe(at(tf, "billing/vault/Resource").body.name);
    // No password input: the only variable is the vaults' (shared) firewall ranges of this run.
    expect(Object.keys(tf.variable ?? {})).toEqual([DEPLOYER_IP_RANGES_VARIABLE]);
  });

  test("fails when HA is requested on a burstable size", () => {
    const { stack, kit } = bare();
    const network = new kit.Network(stack, "net", {});
    const e = validationErrorOf(() => new kit.PostgresDatabase(stack, "db", { network, size: "small", highAvailability: true }));
    expect(e.message).toMatch(/database\.highAvailability: true is not valid/);
    expect(e.message).toMatch(/B_Standard_B1ms is burstable/);
    expect(e.message).toMatch(/non-burstable size such as 'medium'/);
    expect(CLOUD_LIMITS.azure.database.highAvailabilityOnBurstable).toBe(false);
  });

  test("fails when a storage ceiling or backup window is asked for (not supported on azure)", () => {
    const { stack, kit } = bare();
    const network = new kit.Network(stack, "net", {});
    const e = validationErrorOf(() => new kit.PostgresDatabase(stack, "db", { network, highAvailability: false, maxStorageGb: 200, backupWindow: "02:00-03:00" }));
    expect(e.issues.map((i) => i.field)).toEqual(["database.maxStorageGb", "database.backupWindow"]);
    expect(e.message).toMatch(/database\.maxStorageGb: 200 is not valid; accepted: unset: .*not supported on azure/);
    expect(e.message).toMatch(/database\.backupWindow: '02:00-03:00' is not valid; accepted: unset: .*not supported on azure/);
  });

  test("fails with the azure limits and the shared rules in one error", () => {
    const { stack, kit } = bare();
    const network = new kit.Network(stack, "net", {});
    const e = validationErrorOf(() => new kit.PostgresDatabase(stack, "db", { network, highAvailability: true, maxStorageGb: 200, version: "12" as never }));
    expect(e.issues.map((i) => i.field).sort()).toEqual(["database.highAvailability", "database.maxStorageGb", "database.version"]);
  });

  test("fails when an explicit OS disk is smaller than the image (not supported on azure)", () => {
    const { stack, kit } = bare();
    const network = new kit.Network(stack, "net", {});
    const e = validationErrorOf(() => new kit.VirtualMachine(stack, "vm", { network, rootVolumeGb: 20 }));
    expect(e.message).toMatch(/virtualMachine\.rootVolumeGb: 20 is not valid; accepted: at least 30 on azure/);
    expect(e.message).toMatch(/smaller is not supported on azure/);
  });

  test("fails when a custom incomplete-upload expiry is asked for (not supported on azure)", () => {
    const { stack, kit } = bare();
    const e = validationErrorOf(() => new kit.ObjectStore(stack, "files", { abortIncompleteUploadDays: 3 }));
    expect(e.message).toMatch(/objectStore\.abortIncompleteUploadDays: 3 is not valid; accepted: 7 or unset: .*not supported on azure/);
    expect(CLOUD_LIMITS.azure.objectStore.fixedAbortIncompleteUploadDays).toBe(7);
    // 7 (Azure's fixed value) is accepted when written out.
    new kit.ObjectStore(stack, "other", { abortIncompleteUploadDays: 7 });
  });

  test("fails when SSH is opened to the world through the VM's connections", () => {
    const { stack, kit } = bare();
    const network = new kit.Network(stack, "net", {});
    const vm = new kit.VirtualMachine(stack, "vm", { network });
    const e = validationErrorOf(() => vm.connections.allowFrom(Peer.anyIpv4(), 22));
    expect(e.message).toMatch(/allowFrom\(peer\): '0\.0\.0\.0\/0' is not valid; accepted: a narrower range than the whole internet for SSH \(port 22\)/);
  });

  describe("identity and connections", () => {
    function build() {
      const { stack, kit } = bare();
      const network = new kit.Network(stack, "net", {});
      const vm = new kit.VirtualMachine(stack, "vm", { network });
      const worker = new kit.ComputeIdentity(stack, "worker", { network });
      const db = new kit.PostgresDatabase(stack, "db", { network, highAvailability: false });
      worker.connections.allowFrom(vm, 9000);
      worker.connections.allowFrom(vm, 9000); // twice: no second rule
      vm.connections.allowTo(worker, 9443);
      vm.connections.allowFrom(Peer.anyIpv4(), 443);
      db.allowConnectionsFrom(worker);
      return synthJson(stack);
    }
    const tf = build();

    test("a ComputeIdentity on its own: a user-assigned identity and an ASG, no rules until a connection admits something", () => {
      expect(at(tf, "worker/Resource")).toMatchObject({ type: "azurerm_user_assigned_identity", body: { name: "taskflow-staging-worker-identity" } });
      expect(at(tf, "worker/asg")).toMatchObject({ type: "azurerm_application_security_group", body: { name: "taskflow-staging-worker-asg" } });
    });

    test("connectable -> connectable: inbound on the target's subnet NSG and outbound on the peer's, ASG to ASG", () => {
      const inbound = at(tf, "net/application/worker-from-vm-identity").body;
      const outbound = at(tf, "net/application/vm-identity-to-worker").body;
      const shared = {
        access: "Allow",
        protocol: "Tcp",
        destination_port_range: "9000",
        source_application_security_group_ids: [refAt(tf, "vm/identity/asg")],
        destination_application_security_group_ids: [refAt(tf, "worker/asg")],
      };
      expect(inbound).toMatchObject({ ...shared, direction: "Inbound", network_security_group_name: refAt(tf, "net/application/nsg", "name") });
      expect(outbound).toMatchObject({ ...shared, direction: "Outbound", network_security_group_name: refAt(tf, "net/application/nsg", "name") });
      expect(inbound.source_address_prefix).toBeUndefined();
      expect(inbound.destination_address_prefix).toBeUndefined();
    });

    test("allowTo writes the same rules as the peer's allowFrom, on another port with its own rule ids", () => {
      expect(at(tf, "net/application/worker-from-vm-identity-9443").body).toMatchObject({ direction: "Inbound", destination_port_range: "9443" });
      expect(at(tf, "net/application/vm-identity-to-worker-9443").body).toMatchObject({ direction: "Outbound", destination_port_range: "9443" });
      const vmToWorker = under(tf, "net/application", "azurerm_network_security_rule").filter((r) => /\/(worker-from-vm-identity|vm-identity-to-worker)/.test(r.path));
      expect(vmToWorker.map((r) => [r.body.direction, r.body.destination_port_range])).toEqual([
        ["Inbound", "9000"],
        ["Outbound", "9000"],
        ["Inbound", "9443"],
        ["Outbound", "9443"],
      ]); // the repeated allowFrom added nothing
    });

    test("the whole internet is Azure's Internet service tag, addressed to the ASG", () => {
      expect(at(tf, "net/application/vm-identity-from-0-0-0-0-0-443").body).toMatchObject({
        name: "allow-443-internet-to-vm-identity",
        direction: "Inbound",
        source_address_prefix: "Internet",
        destination_port_range: "443",
        destination_application_security_group_ids: [refAt(tf, "vm/identity/asg")],
      });
    });

    test("the database admits a bare identity as it admits a VM: from its ASG to the data subnet", () => {
      expect(at(tf, "net/data/db-from-worker").body).toMatchObject({
        direction: "Inbound",
        source_application_security_group_ids: [refAt(tf, "worker/asg")],
        destination_address_prefix: "10.0.20.0/24",
        destination_port_range: String(POSTGRES_PORT),
      });
      expect(at(tf, "net/application/worker-to-db").body).toMatchObject({ direction: "Outbound", destination_address_prefix: "10.0.20.0/24" });
    });

    test("construct rules get the next free priority per NSG, the deny stays last", () => {
      for (const tier of ["application", "data"] as const) {
        const rules = rulesOf(tf, tier, "net");
        expect(new Set(rules.map((r) => r.priority)).size).toBe(rules.length);
        expect(Math.max(...rules.map((r) => r.priority))).toBe(NSG_PRIORITIES.denyAll);
      }
    });
  });

  describe("grants", () => {
    function build() {
      const { stack, kit } = bare();
      const network = new kit.Network(stack, "net", {});
      const vm = new kit.VirtualMachine(stack, "vm", { network });
      const reader = new kit.ComputeIdentity(stack, "reader", { network });
      const store = new kit.ObjectStore(stack, "files", {});
      store.grantReadWrite(vm);
      store.grantReadWrite(vm); // twice: one role assignment
      store.grantRead(reader);
      return synthJson(stack);
    }
    const tf = build();
    const scope = () => `${refAt(tf, "files/Resource")}/blobServices/default/containers/files`;

    test("read-write: Storage Blob Data Contributor for the VM's identity, on the container only", () => {
      expect(at(tf, "files/read-write-vm").body).toMatchObject({
        role_definition_name: "Storage Blob Data Contributor",
        principal_id: refAt(tf, "vm/identity/Resource", "principal_id"),
        principal_type: "ServicePrincipal",
        scope: scope(),
      });
    });

    test("read: Storage Blob Data Reader for the identity, on the container only", () => {
      expect(at(tf, "files/read-reader").body).toMatchObject({
        role_definition_name: "Storage Blob Data Reader",
        principal_id: refAt(tf, "reader/Resource", "principal_id"),
        scope: scope(),
      });
      expect(BLOB_ROLES).toEqual({ read: "Storage Blob Data Reader", "read-write": "Storage Blob Data Contributor" });
    });

    test("one role assignment per grantee and level; the firewall admits the grantees' subnet once", () => {
      expect(under(tf, "files", "azurerm_role_assignment").map((r) => r.path.split("/").pop()).sort()).toEqual(["read-reader", "read-write-vm"]);
      // Both grantees live in the application subnet. (The JSON lists it once per grantee: see the report; the provider's set collapses them.)
      expect(new Set(at(tf, "files/Resource").body.network_rules.virtual_network_subnet_ids)).toEqual(new Set([refAt(tf, "net/application/subnet")]));
    });

    test("without a grant, the firewall admits no subnet", () => {
      const { stack, kit } = bare();
      new kit.ObjectStore(stack, "files", {});
      const t = synthJson(stack);
      expect(at(t, "files/Resource").body.network_rules).toEqual({ default_action: "Deny", bypass: ["AzureServices"], virtual_network_subnet_ids: [] });
      expect(under(t, "files", "azurerm_role_assignment")).toEqual([]);
    });

    test("fails when the grantee has an identity of another cloud", () => {
      const { stack, kit } = bare();
      const store = new kit.ObjectStore(stack, "files", {});
      const foreign = new ForeignGrantee(stack, "foreign");
      const e = validationErrorOf(() => store.grantReadWrite(foreign));
      expect(e.message).toContain("grantee: 'azure-staging/foreign (aws)' is not valid; accepted: an identity on azure");
    });
  });

  describe("object store props", () => {
    test("deletionProtection false and geoRedundant false: no prevent_destroy, LRS, a week of soft delete, decisions recorded", () => {
      const { stack, kit } = bare();
      const store = new kit.ObjectStore(stack, "scratch", { deletionProtection: false, geoRedundant: false });
      const tf = synthJson(stack);
      expect(at(tf, "scratch/Resource").body.lifecycle).toBeUndefined();
      expect(at(tf, "scratch/Resource").body.account_replication_type).toBe("LRS");
      expect(at(tf, "scratch/Resource").body.blob_properties.delete_retention_policy).toEqual({ days: 7 });
      expect([...decisionsAt(stack, store.resource.node.path)].sort()).toEqual(["locally-redundant-storage", "no-deletion-protection"]);
    });

    test("defaults: prevent_destroy, GRS, a month of soft delete, no decision", () => {
      const { stack, kit } = bare();
      const store = new kit.ObjectStore(stack, "kept", {});
      const tf = synthJson(stack);
      expect(at(tf, "kept/Resource").body).toMatchObject({ lifecycle: { prevent_destroy: true }, account_replication_type: "GRS" });
      expect(at(tf, "kept/Resource").body.blob_properties.delete_retention_policy).toEqual({ days: 30 });
      expect(decisionsAt(stack, store.resource.node.path).size).toBe(0);
    });

    test("versioned false: no version lifecycle rule", () => {
      const { stack, kit } = bare();
      new kit.ObjectStore(stack, "scratch", { deletionProtection: false, versioned: false });
      // Unversioned blobs are what the policy check refuses (next test): look at the JSON without the check.
      const tf = unchecked(stack);
      expect(at(tf, "scratch/Resource").body.lifecycle).toBeUndefined();
      expect(at(tf, "scratch/Resource").body.blob_properties.versioning_enabled).toBe(false);
      expect(under(tf, "scratch", "azurerm_storage_management_policy")).toEqual([]);
    });

    test("fails when versioning is turned off: the policy check refuses it (no decision accepts unversioned uploads)", () => {
      const { stack, kit } = bare();
      new kit.ObjectStore(stack, "scratch", { versioned: false });
      const e = policyErrorOf(() => synthJson(stack));
      expect(e.message).toMatch(/AZ-STORAGE-SOFT-DELETE .* at azure-staging\/scratch\/Resource/s);
    });
  });

  describe("database credentials: grantConnect and the secret", () => {
    function build(environment = "staging") {
      const { stack, kit } = bare(environment);
      const network = new kit.Network(stack, "net", {});
      const vm = new kit.VirtualMachine(stack, "vm", { network });
      const reader = new kit.ComputeIdentity(stack, "reader", { network });
      new kit.ComputeIdentity(stack, "bystander", { network });
      const prod = environment === "production";
      const db = new kit.PostgresDatabase(stack, "db", { network, size: prod ? "medium" : "small", highAvailability: prod, deletionProtection: prod });
      db.grantConnect(vm);
      db.grantConnect(vm); // twice: nothing more
      db.credentialsSecret.grantRead(reader);
      new TerraformOutput(stack, "db_credentials_secret", { value: db.credentialsSecret.secretRef, sensitive: true });
      return { stack, tf: synthJson(stack) };
    }
    const { tf } = build();
    const readers = (t: TfJson) => allItems(t).filter((i) => i.type === "azurerm_role_assignment" && i.body.role_definition_name === KEY_VAULT_SECRET_READER_ROLE);

    test("grantConnect: Key Vault Secrets User on that one secret for the grantee's identity", () => {
      expect(at(tf, "db/credentials/read-vm").body).toMatchObject({
        role_definition_name: "Key Vault Secrets User",
        scope: refAt(tf, "db/credentials/Resource", "resource_versionless_id"),
        principal_id: refAt(tf, "vm/identity/Resource", "principal_id"),
        principal_type: "ServicePrincipal",
      });
    });

    test("grantConnect: the grantee's managed identity becomes an Entra administrator of the server", () => {
      expect(at(tf, "db/entra-admin-vm")).toMatchObject({
        type: "azurerm_postgresql_flexible_server_active_directory_administrator",
        body: {
          server_name: refAt(tf, "db/Resource", "name"),
          resource_group_name: refAt(tf, "db/Resource", "resource_group_name"),
          object_id: refAt(tf, "vm/identity/Resource", "principal_id"),
          principal_name: refAt(tf, "vm/identity/Resource", "name"),
          principal_type: "ServicePrincipal",
          tenant_id: refAt(tf, "client-config", "tenant_id"),
        },
      });
    });

    test("only the granted identities can read the secret: one reader assignment per grantee, none for the bystander", () => {
      expect(readers(tf).map((r) => r.path.split("/").slice(1).join("/")).sort()).toEqual(["db/credentials/read-reader", "db/credentials/read-vm"]);
      expect(readers(tf).map((r) => r.body.principal_id).sort()).toEqual([refAt(tf, "reader/Resource", "principal_id"), refAt(tf, "vm/identity/Resource", "principal_id")].sort());
      expect(JSON.stringify(readers(tf))).not.toContain(refAt(tf, "bystander/Resource", "principal_id"));
      // Reading the secret alone makes no database login.
      expect(under(tf, "db", "azurerm_postgresql_flexible_server_active_directory_administrator").map((r) => r.path.split("/").pop())).toEqual(["entra-admin-vm"]);
    });

    test("the vault firewall admits the grantees' subnet (once), through its Microsoft.KeyVault service endpoint", () => {
      expect(at(tf, "db/vault/Resource").body.network_acls.virtual_network_subnet_ids).toEqual([refAt(tf, "net/application/subnet")]);
      expect(at(tf, "net/application/subnet").body.service_endpoints).toContain("Microsoft.KeyVault");
    });

    test("the secret reference is the versionless secret id (what the application asks Key Vault for)", () => {
      expect(tf.output!.db_credentials_secret.value).toBe(refAt(tf, "db/credentials/Resource", "versionless_id"));
    });

    test("production: the lock waits for the Entra administrator too, so destroy removes the lock before any child", () => {
      const prodTf = build("production").tf;
      expect(at(prodTf, "db/delete-lock").body.depends_on).toContain(at(prodTf, "db/entra-admin-vm").address);
      expect(at(prodTf, "db/delete-lock").body.depends_on).toContain(at(prodTf, "db/database").address);
    });

    test("across stacks the grant lives in the grantee's stack: reader role, Entra administrator, the grantee stack's own tenant lookup", () => {
      const { stack, kit } = bare();
      const network = new kit.Network(stack, "net", {});
      const db = new kit.PostgresDatabase(stack, "db", { network, highAvailability: false });
      const other = new CloudStack(stack.node.root as App, { cloud: "azure", environment: "staging", config: stack.config, component: "worker" });
      const worker = new other.kit.ComputeIdentity(other, "worker", { network });
      db.grantConnect(worker);
      const platformTf = synthJson(stack);
      const workerTf = synthJson(other);
      expect(allItems(platformTf).filter((i) => /role_assignment|active_directory_administrator/.test(i.type) && i.body.principal_id?.includes?.("worker"))).toEqual([]);
      expect(at(workerTf, "worker/read-on-db-credentials").body).toMatchObject({ role_definition_name: "Key Vault Secrets User", scope: expect.stringMatching(/resource_versionless_id\}$/) });
      expect(at(workerTf, "worker/entra-admin-on-db").body).toMatchObject({ tenant_id: refAt(workerTf, "client-config", "tenant_id"), object_id: refAt(workerTf, "worker/Resource", "principal_id") });
    });

    test("fails when the grantee is of another cloud", () => {
      const { stack, kit } = bare();
      const db = new kit.PostgresDatabase(stack, "db", { network: new kit.Network(stack, "net", {}), highAvailability: false });
      const e = validationErrorOf(() => db.grantConnect(new ForeignGrantee(stack, "foreign")));
      expect(e.message).toContain("grantee: 'azure-staging/foreign (aws)' is not valid; accepted: an identity on azure");
    });

    test("fails when an Azure grantee's identity has no display name (an Entra administrator is added by name)", () => {
      const { stack, kit } = bare();
      const db = new kit.PostgresDatabase(stack, "db", { network: new kit.Network(stack, "net", {}), highAvailability: false });
      const e = validationErrorOf(() => db.grantConnect(new NamelessAzureGrantee(stack, "nameless")));
      expect(e.message).toMatch(/grantConnect\(grantee\): 'azure-staging\/nameless' is not valid; accepted: a grantee whose Azure identity has a display name/);
    });

    test("fails when two databases would share a generated password (ids that differ only in case)", () => {
      const { stack, kit } = bare();
      const network = new kit.Network(stack, "net", {});
      new kit.PostgresDatabase(stack, "orders", { network, highAvailability: false });
      const e = validationErrorOf(() => new kit.PostgresDatabase(stack, "Orders", { network, highAvailability: false }));
      expect(e.message).toMatch(/database id: 'Orders' is not valid; accepted: an id whose generated password name \(orders_admin_password\) no other database of the stack uses/);
    });
  });

  describe("Key Vault firewall: the deployer's address ranges (configuration azure.deployerIpRanges, and this run's variable azure_deployer_ip_ranges)", () => {
    function stackWith(ranges: string[]): CloudStack {
      const base = testConfig();
      // Not through resolveConfig: the vault checks the ranges itself too.
      const config: PlatformConfig = { ...base, azure: { ...base.azure, deployerIpRanges: ranges } };
      const s = new CloudStack(new App({ outdir: testOutdir() }), { cloud: "azure", environment: "staging", config });
      setCheckLog(s.node.root, () => undefined);
      return s;
    }
    function vaultWith(ranges: string[]): TfJson {
      const stack = stackWith(ranges);
      new stack.kit.PostgresDatabase(stack, "db", { network: new stack.kit.Network(stack, "net", {}), highAvailability: false });
      return synthJson(stack);
    }

    test("the configured ranges come from the typed configuration field (default: none)", () => {
      expect(testConfig().azure.deployerIpRanges).toEqual([]);
      const c = testConfig({ azure: { location: "swedencentral", deployerIpRanges: ["203.0.113.10", "198.51.100.0/28"] } });
      expect(c.azure.deployerIpRanges).toEqual(["203.0.113.10", "198.51.100.0/28"]);
      expect(AzurePlatform.of(stackWith(["203.0.113.10"])).deployerIpRanges).toEqual(["203.0.113.10"]);
    });

    test("the vault admits the configured ranges (single addresses as Key Vault stores them, /32) and this run's variable", () => {
      const tf = vaultWith(["203.0.113.10", "198.51.100.0/28"]);
      expect(at(tf, "db/vault/Resource").body.network_acls.ip_rules).toBe(`\${concat(["203.0.113.10/32", "198.51.100.0/28"], var.${DEPLOYER_IP_RANGES_VARIABLE})}`);
      expect(at(tf, "db/vault/Resource").body.network_acls.default_action).toBe("Deny");
    });

    test("one variable per stack, whatever the number of vaults: a list of strings, empty by default, with a validation", () => {
      const stack = stackWith([]);
      const network = new stack.kit.Network(stack, "net", {});
      new stack.kit.PostgresDatabase(stack, "orders", { network, highAvailability: false });
      new stack.kit.PostgresDatabase(stack, "billing", { network, highAvailability: false });
      const tf = synthJson(stack);
      expect(Object.keys(tf.variable ?? {}).filter((k) => k === DEPLOYER_IP_RANGES_VARIABLE)).toHaveLength(1);
      const variable = tf.variable![DEPLOYER_IP_RANGES_VARIABLE];
      expect(variable).toMatchObject({ type: "list(string)", default: [], nullable: false });
      expect(variable.validation).toHaveLength(1);
      expect(variable.validation[0].condition).toContain(`var.${DEPLOYER_IP_RANGES_VARIABLE}`);
      expect(variable.validation[0].error_message).toMatch(/public IPv4 address or CIDR block of at most \/16/);
      for (const db of ["orders", "billing"]) expect(at(tf, `${db}/vault/Resource`).body.network_acls.ip_rules).toContain(`var.${DEPLOYER_IP_RANGES_VARIABLE}`);
    });

    test("a stack without a vault declares no such variable", () => {
      const stack = stackWith([]);
      new stack.kit.Network(stack, "net", {});
      expect(Object.keys(synthJson(stack).variable ?? {})).not.toContain(DEPLOYER_IP_RANGES_VARIABLE);
      expect(Object.keys(workerTfByEnv.staging.variable ?? {})).not.toContain(DEPLOYER_IP_RANGES_VARIABLE);
      expect(Object.keys(tfByEnv.staging.variable ?? {})).toContain(DEPLOYER_IP_RANGES_VARIABLE);
    });

    test("fails when a range is private, wider than /16 or not an address, naming the field and the element", () => {
      const stack = stackWith(["10.1.0.0/16", "0.0.0.0/0", "runner"]);
      const e = validationErrorOf(() => new stack.kit.PostgresDatabase(stack, "db", { network: new stack.kit.Network(stack, "net", {}), highAvailability: false }));
      expect(e.issues.map((i) => [i.field, i.value])).toEqual([
        ["azure.deployerIpRanges[0]", "10.1.0.0/16"],
        ["azure.deployerIpRanges[1]", "0.0.0.0/0"],
        ["azure.deployerIpRanges[2]", "runner"],
      ]);
      expect(e.message).toContain("'10.1.0.0/16' is not valid; accepted: a public range");
      expect(e.message).toContain(`'0.0.0.0/0' is not valid; accepted: a range of at most /${DEPLOYER_RANGE_MIN_PREFIX}`);
      expect(() => validateDeployerIpRanges(["172.20.0.0/24"])).toThrow(/public range/);
      expect(() => validateDeployerIpRanges(["100.64.1.0/24"])).toThrow(/public range/);
      expect(() => validateDeployerIpRanges(["203.0.113.5/28"])).toThrow(/public IPv4 address or CIDR block/);
      expect(() => validateDeployerIpRanges(["172.32.0.0/24", "8.8.8.8"])).not.toThrow();
    });

    test("fails at configuration time with every bad range at once", () => {
      const e = validationErrorOf(() => testConfig({ azure: { location: "swedencentral", deployerIpRanges: ["192.168.1.0/24", "203.0.113.0/8"] } }));
      expect(e.issues.map((i) => i.field)).toEqual(["azure.deployerIpRanges[0]", "azure.deployerIpRanges[1]"]);
      expect(validationErrorOf(() => testConfig({ azure: { location: "swedencentral", deployerIpRanges: "203.0.113.10" as never } })).issues).toEqual([
        { field: "azure.deployerIpRanges", value: "203.0.113.10", accepted: "a list of strings" },
      ]);
    });
  });

  describe("prerequisites (constructs/azure/prerequisites.ts, checked by the wrapper before plan)", () => {
    const list = azurePrerequisites({ ...testConfig().azure });
    const byId = (id: string) => list.find((p) => p.id === id)!;

    test("every resource provider the provider registers, with the az command that checks and the one that fixes it", () => {
      const rps = list.filter((p) => p.kind === "resource-provider").map((p) => p.id.replace("resource-provider:", ""));
      expect(rps).toEqual(expect.arrayContaining([...AZURE_RESOURCE_PROVIDERS_TO_REGISTER, "Microsoft.Network", "Microsoft.Compute", "Microsoft.Storage", "Microsoft.ManagedIdentity", "Microsoft.Authorization"]));
      expect(byId("resource-provider:Microsoft.KeyVault")).toMatchObject({
        check: "az provider show --namespace Microsoft.KeyVault --query registrationState -o tsv",
        expect: "Registered",
        fix: "az provider register --namespace Microsoft.KeyVault --wait",
        automatic: true,
      });
    });

    test("the EncryptionAtHost subscription feature the VMs need (no provider registers features)", () => {
      expect(byId("subscription-feature:Microsoft.Compute/EncryptionAtHost")).toMatchObject({
        check: "az feature show --namespace Microsoft.Compute --name EncryptionAtHost --query properties.state -o tsv",
        expect: "Registered",
        fix: "az feature register --namespace Microsoft.Compute --name EncryptionAtHost && az provider register --namespace Microsoft.Compute",
        automatic: false,
      });
    });

    test("the configured Network Watcher, the PostgreSQL Entra app's service principal, the deployer's roles and network reach", () => {
      expect(byId("resource:network-watcher:NetworkWatcherRG/NetworkWatcher_swedencentral").fix).toContain("az network watcher configure --resource-group NetworkWatcherRG --locations swedencentral --enabled true");
      expect(byId("tenant:postgres-entra-authentication")).toMatchObject({ check: `az ad sp show --id ${POSTGRES_ENTRA_APP_ID} --query appId -o tsv`, expect: POSTGRES_ENTRA_APP_ID });
      expect(byId("deployer-role:subscription").check).toContain("/subscriptions/00000000-0000-0000-0000-000000000000");
      expect(byId("deployer-network:key-vault").what).toContain("azure.deployerIpRanges is empty");
      expect(byId("deployer-network:key-vault").fix).toContain("node scripts/azure-runner-access.js admit --env <environment>");
      const configured = azurePrerequisites(testConfig({ azure: { location: "swedencentral", deployerIpRanges: ["203.0.113.10"] } }).azure);
      expect(configured.find((p) => p.id === "deployer-network:key-vault")!.expect).toBe("an address inside 203.0.113.10");
    });

    test("the configuration reader loads no provider binding (it checks azure.deployerIpRanges through deployer-ranges.ts)", () => {
      const config = path.join(__dirname, "..", "constructs", "config.js");
      const script = `require(${JSON.stringify(config)}); process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((k) => k.includes("@cdktf${"/"}provider-"))))`;
      const r = require("child_process").spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual([]);
    });

    test.each(["prerequisites.ts", "provider-facts.ts", "deployer-ranges.ts"])("%s is provider-free (imports neither a binding nor cdktf)", (file) => {
      const src = fs.readFileSync(path.join(__dirname, "..", "..", "constructs", "azure", file), "utf8");
      const imports = src.split("\n").filter((l) => /^import /.test(l));
      expect(imports.filter((l) => /provider-azurerm|"cdktf"|"constructs"/.test(l))).toEqual([]);
    });
  });

  test("provider bindings are deep-imported only", () => {
    const dir = path.join(__dirname, "..", "..", "constructs", "azure");
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".ts"));
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const f of files) {
      const src = fs.readFileSync(path.join(dir, f), "utf8");
      expect([f, /from "@cdktf\/provider-azurerm"/.test(src)]).toEqual([f, false]);
    }
  });
});

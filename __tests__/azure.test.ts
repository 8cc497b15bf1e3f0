/**
 * Azure: targeted assertions on the synthesized Terraform of the one stack,
 * per environment, plus construct-level cases (custom props, failing inputs).
 */
import * as fs from "fs";
import * as path from "path";
import { TerraformStack, Testing } from "cdktf";
import { ENVIRONMENTS, Environment, ValidationError } from "../constructs/core";
import { NETWORK_DEFAULTS } from "../constructs/network";
import { resolveConfig } from "../stacks/config";
import { createAzurePlatform } from "../constructs/azure";
import { AZURE_NAME_LIMITS } from "../constructs/azure/naming";
import { AZURE_POSTGRES_PARAMETERS, azureStorageMb } from "../constructs/azure/postgres-database";
import { AZURE_VM_IMAGE } from "../constructs/azure/virtual-machine";
import { CloudPlatform, PlatformContext } from "../constructs/platform";
import { IVirtualMachine } from "../constructs/virtual-machine";
import { TfJson, onlyResource, resourcesOf, sanitizeForSnapshot, synthStack, ref } from "./helpers";

const tfByEnv: Record<Environment, TfJson> = {
  staging: synthStack("azure", "staging"),
  production: synthStack("azure", "production"),
};

const TAGS = (env: Environment) => ({ Project: "taskflow", Environment: env, ManagedBy: "cdktf" });

function allResources(tf: TfJson): Array<{ type: string; name: string; body: any }> {
  return Object.entries(tf.resource ?? {}).flatMap(([type, byName]) => Object.entries(byName).map(([name, body]) => ({ type, name, body })));
}

const nsgRules = (tf: TfJson, nsgNameSuffix: string) =>
  Object.values(resourcesOf(tf, "azurerm_network_security_rule")).filter((r: any) =>
    r.network_security_group_name === ref(tf, "azurerm_network_security_group", (n: any) => n.name.endsWith(nsgNameSuffix), "name"),
  );

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
  const prod = env === "production";

  describe("provider, resource group and tags", () => {
    test("azurerm provider with features {}, the subscription and Entra ID for storage", () => {
      const provider = tf.provider!.azurerm[0];
      expect(provider.features).toEqual([{}]);
      expect(provider.subscription_id).toBe("00000000-0000-0000-0000-000000000000");
      expect(provider.storage_use_azuread).toBe(true);
      expect(tf.terraform.required_providers!.azurerm).toMatchObject({ source: "azurerm" });
    });

    test("one resource group <project>-<env>-rg, used by every resource with a resource_group_name", () => {
      const rg = onlyResource(tf, "azurerm_resource_group");
      expect(rg).toMatchObject({ name: `taskflow-${env}-rg`, location: "westeurope" });
      const rgName = ref(tf, "azurerm_resource_group", () => true, "name");
      // The flow log is a child of the region's Network Watcher: it lives in the watcher's resource group.
      const users = allResources(tf).filter((r) => "resource_group_name" in r.body && r.type !== "azurerm_network_watcher_flow_log");
      expect(users.length).toBeGreaterThan(10);
      for (const r of users) expect([r.type, r.body.resource_group_name]).toEqual([r.type, rgName]);
    });

    test("every resource whose binding has a tags argument carries Project, Environment and ManagedBy", () => {
      const taggable = allResources(tf).filter((r) => bindingHasTags(r.type));
      expect(taggable.length).toBeGreaterThan(10);
      for (const r of taggable) expect([r.type, r.name, r.body.tags]).toEqual([r.type, r.name, expect.objectContaining(TAGS(env))]);
    });
  });

  describe("network", () => {
    test("VNet with the contract CIDR; application and data subnets from the shared plan", () => {
      expect(onlyResource(tf, "azurerm_virtual_network").address_space).toEqual(["10.0.0.0/16"]);
      const subnets = Object.values(resourcesOf(tf, "azurerm_subnet"));
      expect(subnets.map((s: any) => s.address_prefixes[0]).sort()).toEqual(["10.0.10.0/24", "10.0.20.0/24"]);
      for (const s of subnets) expect((s as any).default_outbound_access_enabled).toBe(false);
    });

    test("data subnet delegated to PostgreSQL flexible servers; application subnet not delegated", () => {
      const data: any = Object.values(resourcesOf(tf, "azurerm_subnet")).find((s: any) => s.address_prefixes[0] === "10.0.20.0/24");
      const app: any = Object.values(resourcesOf(tf, "azurerm_subnet")).find((s: any) => s.address_prefixes[0] === "10.0.10.0/24");
      expect(data.delegation[0].service_delegation.name).toBe("Microsoft.DBforPostgreSQL/flexibleServers");
      expect(app.delegation).toBeUndefined();
    });

    test("an NSG associated with every subnet", () => {
      const subnetIds = Object.keys(resourcesOf(tf, "azurerm_subnet")).map((n) => `\${azurerm_subnet.${n}.id}`).sort();
      const assoc = Object.values(resourcesOf(tf, "azurerm_subnet_network_security_group_association"));
      expect(assoc.map((a: any) => a.subnet_id).sort()).toEqual(subnetIds);
      expect(new Set(assoc.map((a: any) => a.network_security_group_id)).size).toBe(subnetIds.length);
    });

    test("database NSG: 5432 only from the application VM (inside the application subnet), explicit deny of everything else", () => {
      const rules = nsgRules(tf, "-data-nsg");
      const allows = rules.filter((r: any) => r.access === "Allow" && r.direction === "Inbound");
      const vmIp = ref(tf, "azurerm_network_interface", () => true, "private_ip_address");
      const fromVm: any = allows.find((r: any) => r.source_address_prefix === vmIp);
      expect(fromVm).toMatchObject({ destination_port_range: "5432", protocol: "Tcp", destination_address_prefix: "10.0.20.0/24" });
      // The only other allow is HA replication inside the data subnet itself.
      const others = allows.filter((r: any) => r !== fromVm);
      expect(others.map((r: any) => [r.source_address_prefix, r.destination_port_range])).toEqual([["10.0.20.0/24", "5432"]]);
      const deny: any = rules.find((r: any) => r.access === "Deny");
      expect(deny).toMatchObject({ direction: "Inbound", source_address_prefix: "*", destination_port_range: "*", protocol: "*", priority: 4096 });
      for (const r of allows) expect((r as any).priority).toBeLessThan(deny.priority);
    });

    test("application NSG: outbound 5432 to the data subnet from the VM, ingress rules with descriptions, explicit deny, no world-open SSH", () => {
      const rules = nsgRules(tf, "-app-nsg");
      const vmIp = ref(tf, "azurerm_network_interface", () => true, "private_ip_address");
      expect(rules).toContainEqual(
        expect.objectContaining({ direction: "Outbound", access: "Allow", source_address_prefix: vmIp, destination_address_prefix: "10.0.20.0/24", destination_port_range: "5432" }),
      );
      const ingress: any = rules.find((r: any) => r.direction === "Inbound" && r.access === "Allow");
      expect(ingress).toMatchObject({ destination_port_range: "8080", source_address_prefixes: ["10.0.1.0/24", "10.0.2.0/24"], destination_address_prefix: vmIp });
      expect(ingress.description).toMatch(/load-balancer/);
      for (const r of rules) expect(((r as any).description ?? "").length).toBeGreaterThan(3);
      expect(rules).toContainEqual(expect.objectContaining({ direction: "Inbound", access: "Deny", source_address_prefix: "*", priority: 4096 }));
      const worldSsh = rules.filter((r: any) => r.access === "Allow" && ["22", "*"].includes(r.destination_port_range) && [r.source_address_prefix, ...(r.source_address_prefixes ?? [])].some((s) => ["*", "0.0.0.0/0", "Internet"].includes(s)));
      expect(worldSsh).toEqual([]);
      // Priorities are unique per NSG.
      expect(new Set(rules.map((r: any) => r.priority)).size).toBe(rules.length);
    });

    test("Standard NAT gateway with a static Standard public IP, associated with the application subnet only", () => {
      expect(onlyResource(tf, "azurerm_nat_gateway").sku_name).toBe("Standard");
      const ipAssoc = onlyResource(tf, "azurerm_nat_gateway_public_ip_association");
      const natIp = resourcesOf(tf, "azurerm_public_ip")[ipAssoc.public_ip_address_id.split(".")[1]];
      expect(natIp).toMatchObject({ sku: "Standard", allocation_method: "Static" });
      const subnetAssoc = onlyResource(tf, "azurerm_subnet_nat_gateway_association");
      expect(subnetAssoc.subnet_id).toBe(ref(tf, "azurerm_subnet", (s: any) => s.address_prefixes[0] === "10.0.10.0/24"));
    });

    describe("VNet flow log", () => {
      const flowLog = () => onlyResource(tf, "azurerm_network_watcher_flow_log");
      const logAccount = () => resourcesOf(tf, "azurerm_storage_account")[flowLog().storage_account_id.split(".")[1]];

      test("one enabled version-2 flow log targeting the VNet (not an NSG), retention from the contract", () => {
        expect(flowLog()).toMatchObject({
          name: `taskflow-${env}-network-vnet-flow-log`,
          target_resource_id: ref(tf, "azurerm_virtual_network"),
          enabled: true,
          version: 2,
          retention_policy: { enabled: true, days: NETWORK_DEFAULTS.flowLogRetentionDays },
          location: "westeurope",
        });
        expect(flowLog().network_security_group_id).toBeUndefined();
        expect(flowLog().traffic_analytics).toBeUndefined();
      });

      test("belongs to Azure's own Network Watcher of the location (referenced by name, no data source)", () => {
        expect(flowLog()).toMatchObject({ network_watcher_name: "NetworkWatcher_westeurope", resource_group_name: "NetworkWatcherRG" });
        expect(tf.data?.azurerm_network_watcher).toBeUndefined();
        expect(resourcesOf(tf, "azurerm_network_watcher")).toEqual({});
      });

      test("writes to a dedicated log account in the stack's resource group, not the uploads account", () => {
        expect(flowLog().storage_account_id).toBe(ref(tf, "azurerm_storage_account", (a: any) => a.name.includes("flowlog")));
        expect(logAccount().name).toMatch(AZURE_NAME_LIMITS.storageAccount.pattern);
        expect(logAccount().name).toMatch(new RegExp(`^taskflow${prod ? "prd" : "stg"}flowlog[a-z0-9]{6}$`));
        expect(logAccount()).toMatchObject({ resource_group_name: ref(tf, "azurerm_resource_group", () => true, "name"), location: "westeurope", tags: expect.objectContaining(TAGS(env)) });
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
      });

      test("log account: shared keys kept for Network Watcher, soft delete without versioning, no lifecycle policy of ours", () => {
        // Documented in docs/azure.md and scoped exemptions: Network Watcher writes with the account key and owns the lifecycle policy.
        expect(logAccount().shared_access_key_enabled).toBe(true);
        const days = prod ? 30 : 7;
        expect(logAccount().blob_properties).toEqual({ delete_retention_policy: { days }, container_delete_retention_policy: { days } });
        const ours = Object.values(resourcesOf(tf, "azurerm_storage_management_policy")).map((p: any) => p.storage_account_id);
        expect(ours).not.toContain(flowLog().storage_account_id);
      });

      test(prod ? "production log account: Terraform refuses to destroy it" : "staging log account: destroyable", () => {
        expect(logAccount().lifecycle).toEqual(prod ? { prevent_destroy: true } : undefined);
      });
    });
  });

  describe("virtual machine", () => {
    const vm = () => onlyResource(tf, "azurerm_linux_virtual_machine");

    test("size from the size table", () => {
      expect(vm().size).toBe(prod ? "Standard_D2s_v5" : "Standard_B2s");
    });

    test("SSH keys only, from the vm_ssh_public_key variable", () => {
      expect(vm().disable_password_authentication).toBe(true);
      expect(vm().admin_password).toBeUndefined();
      expect(vm().admin_ssh_key).toEqual([{ username: vm().admin_username, public_key: "${var.vm_ssh_public_key}" }]);
      expect(tf.variable!.vm_ssh_public_key).toMatchObject({ type: "string" });
      expect(tf.variable!.vm_ssh_public_key.default).toBeUndefined();
    });

    test("system-assigned identity, trusted launch with a Gen2 image, encryption at host, premium OS disk", () => {
      expect(vm().identity).toEqual({ type: "SystemAssigned" });
      expect(vm()).toMatchObject({ secure_boot_enabled: true, vtpm_enabled: true, encryption_at_host_enabled: true });
      expect(vm().source_image_reference).toEqual({ ...AZURE_VM_IMAGE });
      expect(vm().source_image_reference.sku).toMatch(/gen2/);
      expect(vm().os_disk).toMatchObject({ storage_account_type: "Premium_LRS", disk_size_gb: 30 });
    });

    test("NIC in the application subnet without a public IP; the VM waits for NAT egress", () => {
      const nic = onlyResource(tf, "azurerm_network_interface");
      expect(nic.ip_configuration[0].subnet_id).toBe(ref(tf, "azurerm_subnet", (s: any) => s.address_prefixes[0] === "10.0.10.0/24"));
      expect(nic.ip_configuration[0].public_ip_address_id).toBeUndefined();
      expect(Object.keys(resourcesOf(tf, "azurerm_public_ip"))).toHaveLength(1); // the NAT gateway's only
      expect(vm().depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^azurerm_subnet_nat_gateway_association\./)]));
    });
  });

  describe("object store", () => {
    const isUploads = (a: any) => a.name.includes("uploads");
    const account = () => Object.values(resourcesOf(tf, "azurerm_storage_account")).find(isUploads);

    test("storage account name: 3-24 lowercase letters and digits, deterministic", () => {
      expect(account().name).toMatch(AZURE_NAME_LIMITS.storageAccount.pattern);
      expect(account().name).toMatch(new RegExp(`^taskflow${prod ? "prd" : "stg"}uploads[a-z0-9]{6}$`));
      expect(synthStack("azure", env).resource!.azurerm_storage_account).toEqual(tf.resource!.azurerm_storage_account);
    });

    test("secure settings: TLS 1.2, HTTPS only, no public blobs, no shared keys, infrastructure encryption", () => {
      expect(account()).toMatchObject({
        min_tls_version: "TLS1_2",
        https_traffic_only_enabled: true,
        allow_nested_items_to_be_public: false,
        shared_access_key_enabled: false,
        infrastructure_encryption_enabled: true,
        account_replication_type: prod ? "GRS" : "LRS",
      });
    });

    test("firewall denies by default and admits only the granted VM's subnet", () => {
      expect(account().network_rules).toEqual({
        default_action: "Deny",
        bypass: ["AzureServices"],
        virtual_network_subnet_ids: [ref(tf, "azurerm_subnet", (s: any) => s.address_prefixes[0] === "10.0.10.0/24")],
      });
      const app: any = Object.values(resourcesOf(tf, "azurerm_subnet")).find((s: any) => s.address_prefixes[0] === "10.0.10.0/24");
      expect(app.service_endpoints).toEqual(["Microsoft.Storage"]);
    });

    test("versioning, blob and container soft delete", () => {
      const days = prod ? 30 : 7;
      expect(account().blob_properties).toEqual({
        versioning_enabled: true,
        delete_retention_policy: { days },
        container_delete_retention_policy: { days },
      });
    });

    test("private container; bucketName output is <account>/<container>", () => {
      const container = onlyResource(tf, "azurerm_storage_container");
      expect(container).toMatchObject({ name: "uploads", container_access_type: "private", storage_account_id: ref(tf, "azurerm_storage_account", isUploads) });
      expect(tf.output!.bucket_name.value).toBe(`${ref(tf, "azurerm_storage_account", isUploads, "name")}/${ref(tf, "azurerm_storage_container", () => true, "name")}`);
    });

    test("old versions deleted after 90 days", () => {
      const policy = onlyResource(tf, "azurerm_storage_management_policy");
      expect(policy.rule[0]).toMatchObject({ enabled: true, filters: { blob_types: ["blockBlob"] }, actions: { version: { delete_after_days_since_creation: 90 } } });
    });

    test("grantReadWrite: Storage Blob Data Contributor for the VM identity, scoped to the container", () => {
      const ra = onlyResource(tf, "azurerm_role_assignment");
      expect(ra.role_definition_name).toBe("Storage Blob Data Contributor");
      expect(ra.principal_id).toBe(ref(tf, "azurerm_linux_virtual_machine", () => true, "identity[0].principal_id"));
      expect(ra.scope).toBe(`${ref(tf, "azurerm_storage_account", isUploads)}/blobServices/default/containers/uploads`);
    });

    test("forceDestroy false (default): Terraform refuses to destroy the account", () => {
      expect(account().lifecycle).toEqual({ prevent_destroy: true });
    });
  });

  describe("postgres", () => {
    const server = () => onlyResource(tf, "azurerm_postgresql_flexible_server");

    test("version, SKU from the size table, storage on an accepted size with auto-grow, backups", () => {
      expect(server()).toMatchObject({
        version: "16",
        sku_name: prod ? "GP_Standard_D2ds_v5" : "B_Standard_B1ms",
        storage_mb: 32768,
        auto_grow_enabled: true,
        backup_retention_days: prod ? 14 : 7,
      });
    });

    test("VNet-integrated: delegated subnet, private DNS zone linked to the VNet, no public access; server waits for the link", () => {
      const zone = onlyResource(tf, "azurerm_private_dns_zone");
      expect(zone.name).toMatch(/\.postgres\.database\.azure\.com$/);
      const link = onlyResource(tf, "azurerm_private_dns_zone_virtual_network_link");
      expect(link).toMatchObject({ private_dns_zone_name: ref(tf, "azurerm_private_dns_zone", () => true, "name"), virtual_network_id: ref(tf, "azurerm_virtual_network") });
      expect(server()).toMatchObject({
        delegated_subnet_id: ref(tf, "azurerm_subnet", (s: any) => s.address_prefixes[0] === "10.0.20.0/24"),
        private_dns_zone_id: ref(tf, "azurerm_private_dns_zone"),
        public_network_access_enabled: false,
      });
      const linkName = Object.keys(resourcesOf(tf, "azurerm_private_dns_zone_virtual_network_link"))[0];
      expect(server().depends_on).toContain(`azurerm_private_dns_zone_virtual_network_link.${linkName}`);
    });

    test("server parameters: TLS required, checkpoint/connection logging, connection throttling", () => {
      const params = Object.values(resourcesOf(tf, "azurerm_postgresql_flexible_server_configuration"));
      const byName = Object.fromEntries(params.map((p: any) => [p.name, p.value]));
      expect(byName).toEqual(AZURE_POSTGRES_PARAMETERS);
      expect(byName).toMatchObject({ require_secure_transport: "on", log_checkpoints: "on", log_connections: "on", "connection_throttle.enable": "on" });
      for (const p of params) expect((p as any).server_id).toBe(ref(tf, "azurerm_postgresql_flexible_server"));
    });

    test("administrator password only from an ephemeral sensitive variable into a write-only attribute", () => {
      expect(server().administrator_password_wo).toBe("${var.db_admin_password}");
      expect(server().administrator_password_wo_version).toBe(1);
      expect(server().administrator_password).toBeUndefined();
      expect(tf.variable!.db_admin_password).toMatchObject({ sensitive: true, type: "string", ephemeral: true });
      expect(tf.variable!.db_admin_password.default).toBeUndefined();
      expect(server().administrator_login).toBe("app_admin");
    });

    test("maintenance window from the contract (Mon 04:00 UTC)", () => {
      expect(server().maintenance_window).toEqual({ day_of_week: 1, start_hour: 4, start_minute: 0 });
    });

    test("application database", () => {
      expect(onlyResource(tf, "azurerm_postgresql_flexible_server_database")).toMatchObject({ name: "taskflow", charset: "UTF8" });
    });

    test(prod ? "production: zone-redundant HA, geo-redundant backups, CanNotDelete lock, prevent_destroy" : "staging: no HA, no geo backups, no lock", () => {
      if (prod) {
        expect(server().high_availability).toEqual({ mode: "ZoneRedundant" });
        expect(server().geo_redundant_backup_enabled).toBe(true);
        expect(onlyResource(tf, "azurerm_management_lock")).toMatchObject({ lock_level: "CanNotDelete", scope: ref(tf, "azurerm_postgresql_flexible_server") });
        expect(server().lifecycle.prevent_destroy).toBe(true);
      } else {
        expect(server().high_availability).toBeUndefined();
        expect(server().geo_redundant_backup_enabled).toBe(false);
        expect(resourcesOf(tf, "azurerm_management_lock")).toEqual({});
        expect(server().lifecycle.prevent_destroy).toBeUndefined();
      }
    });

    test("outputs: FQDN endpoint and a password-free connection string", () => {
      const fqdn = ref(tf, "azurerm_postgresql_flexible_server", () => true, "fqdn");
      expect(tf.output!.database_endpoint.value).toBe(fqdn);
      expect(tf.output!.database_connection_string.value).toBe(`postgresql://app_admin@${fqdn}:5432/taskflow?sslmode=require`);
    });
  });

  describe("budget", () => {
    test("monthly budget on the resource group, 80 % actual and 100 % forecast to the alert e-mails", () => {
      const b = onlyResource(tf, "azurerm_consumption_budget_resource_group");
      expect(b).toMatchObject({ amount: prod ? 2000 : 200, time_grain: "Monthly", resource_group_id: ref(tf, "azurerm_resource_group") });
      expect(b.notification).toEqual([
        expect.objectContaining({ threshold: 80, threshold_type: "Actual", contact_emails: ["platform-team@example.com"], enabled: true }),
        expect.objectContaining({ threshold: 100, threshold_type: "Forecasted", contact_emails: ["platform-team@example.com"], enabled: true }),
      ]);
    });

    test("start date is the first of the month of the first apply, deterministic in the JSON and ignored afterwards", () => {
      const b = onlyResource(tf, "azurerm_consumption_budget_resource_group");
      expect(b.time_period.start_date).toBe("${formatdate(\"YYYY-MM-01'T'00:00:00Z\", timestamp())}");
      expect(b.lifecycle.ignore_changes).toEqual(["time_period"]);
      expect(JSON.stringify(tf)).not.toMatch(/20\d\d-\d\d-\d\dT/);
    });
  });

  test("outputs: network, VM id and private IP reference the Azure resources", () => {
    expect(tf.output!.network_id.value).toBe(ref(tf, "azurerm_virtual_network"));
    expect(tf.output!.vm_id.value).toBe(ref(tf, "azurerm_linux_virtual_machine"));
    expect(tf.output!.vm_private_ip.value).toBe(ref(tf, "azurerm_network_interface", () => true, "private_ip_address"));
  });

  test("snapshot", () => {
    expect(sanitizeForSnapshot(tf)).toMatchSnapshot();
  });
});

// ---------------------------------------------------------------------------
// Construct-level cases on a bare stack
// ---------------------------------------------------------------------------

function bareStack(overrides: Partial<PlatformContext> = {}): { stack: TerraformStack; p: CloudPlatform } {
  const app = Testing.app();
  const stack = new TerraformStack(app, "azure-test");
  const context: PlatformContext = {
    project: "taskflow",
    environment: "staging",
    region: "westeurope",
    tags: { Project: "taskflow", Environment: "staging", ManagedBy: "cdktf" },
    azureSubscriptionId: "00000000-0000-0000-0000-000000000000",
    ...overrides,
  };
  return { stack, p: createAzurePlatform(stack, context) };
}

const synth = (stack: TerraformStack): TfJson => JSON.parse(Testing.synth(stack)) as TfJson;

function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error("expected a ValidationError");
}

describe("azure constructs", () => {
  test("provider leaves subscription_id out when none is configured (ARM_SUBSCRIPTION_ID)", () => {
    const tf = synthStack("azure", "staging", { azure: { location: "westeurope" } });
    expect(tf.provider!.azurerm[0].subscription_id).toBeUndefined();
  });

  test("the resource group is created once, lazily", () => {
    const { stack, p } = bareStack();
    expect(resourcesOf(synth(stack), "azurerm_resource_group")).toEqual({});
    const n = p.createNetwork(stack, "net", {});
    p.createBudget(stack, "budget", { monthlyLimit: 10, alertEmails: ["a@example.com"] });
    p.createVirtualMachine(stack, "vm", { network: n });
    expect(Object.keys(resourcesOf(synth(stack), "azurerm_resource_group"))).toHaveLength(1);
  });

  test("custom CIDR: VNet and subnets follow the shared plan", () => {
    const { stack, p } = bareStack();
    p.createNetwork(stack, "net", { cidr: "172.16.0.0/16" });
    const tf = synth(stack);
    expect(onlyResource(tf, "azurerm_virtual_network").address_space).toEqual(["172.16.0.0/16"]);
    expect(Object.values(resourcesOf(tf, "azurerm_subnet")).map((s: any) => s.address_prefixes[0]).sort()).toEqual(["172.16.10.0/24", "172.16.20.0/24"]);
  });

  test("flow log retention comes from the contract's flowLogRetentionDays", () => {
    const { stack, p } = bareStack();
    p.createNetwork(stack, "net", { flowLogRetentionDays: 90 });
    expect(onlyResource(synth(stack), "azurerm_network_watcher_flow_log").retention_policy).toEqual({ enabled: true, days: 90 });
  });

  test("fails when the flow-log retention exceeds what Network Watcher accepts (not supported on azure)", () => {
    const { stack, p } = bareStack();
    expect(() => p.createNetwork(stack, "net", { flowLogRetentionDays: 400 })).toThrow(
      "network.flowLogRetentionDays: 400 is not valid; accepted: at most 365 days: a longer retention is not supported on azure",
    );
  });

  test("a configured Network Watcher is used as given (subscription that opted out of Azure's own)", () => {
    const { stack, p } = bareStack({ azureNetworkWatcher: { name: "nw-central", resourceGroup: "network-ops-rg" } });
    p.createNetwork(stack, "net", {});
    expect(onlyResource(synth(stack), "azurerm_network_watcher_flow_log")).toMatchObject({ network_watcher_name: "nw-central", resource_group_name: "network-ops-rg" });
  });

  test("config: the Network Watcher defaults to Azure's own of the location; either field can be overridden", () => {
    expect(resolveConfig({ azure: { location: "swedencentral" } }).azure.networkWatcher).toEqual({ name: "NetworkWatcher_swedencentral", resourceGroup: "NetworkWatcherRG" });
    expect(resolveConfig({ azure: { networkWatcher: { resourceGroup: "ops-rg" } } }).azure.networkWatcher).toEqual({ name: "NetworkWatcher_westeurope", resourceGroup: "ops-rg" });
    const tf = synthStack("azure", "production", { azure: { location: "westeurope", networkWatcher: { name: "nw-central", resourceGroup: "ops-rg" } } });
    expect(onlyResource(tf, "azurerm_network_watcher_flow_log")).toMatchObject({ network_watcher_name: "nw-central", resource_group_name: "ops-rg" });
  });

  test("explicit SSH key: no variable; publicIp: a Standard static IP on the NIC", () => {
    const { stack, p } = bareStack();
    const n = p.createNetwork(stack, "net", {});
    const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIC0xS3k2 ops@example.com";
    p.createVirtualMachine(stack, "bastion", { network: n, sshPublicKey: key, publicIp: true, userData: "#cloud-config\n" });
    const tf = synth(stack);
    const vm = onlyResource(tf, "azurerm_linux_virtual_machine");
    expect(vm.admin_ssh_key[0].public_key).toBe(key);
    expect(tf.variable?.vm_ssh_public_key).toBeUndefined();
    expect(vm.custom_data).toBe(Buffer.from("#cloud-config\n").toString("base64"));
    const nic = onlyResource(tf, "azurerm_network_interface");
    const vmIp = Object.entries(resourcesOf(tf, "azurerm_public_ip")).find(([, ip]: [string, any]) => ip.name.endsWith("bastion-ip"));
    expect(vmIp).toBeDefined();
    expect(nic.ip_configuration[0].public_ip_address_id).toBe(`\${azurerm_public_ip.${vmIp![0]}.id}`);
  });

  test("storage size maps up to the nearest size Azure accepts", () => {
    expect(azureStorageMb(20)).toBe(32768);
    expect(azureStorageMb(32)).toBe(32768);
    expect(azureStorageMb(33)).toBe(65536);
    expect(azureStorageMb(100)).toBe(131072);
    expect(azureStorageMb(16384)).toBe(16777216);
    const { stack, p } = bareStack();
    const n = p.createNetwork(stack, "net", {});
    p.createPostgresDatabase(stack, "db", { network: n, highAvailability: false, storageGb: 100 });
    expect(onlyResource(synth(stack), "azurerm_postgresql_flexible_server").storage_mb).toBe(131072);
  });

  test("database version from the contract", () => {
    const { stack, p } = bareStack();
    const n = p.createNetwork(stack, "net", {});
    p.createPostgresDatabase(stack, "db", { network: n, highAvailability: false, version: "17" });
    expect(onlyResource(synth(stack), "azurerm_postgresql_flexible_server").version).toBe("17");
  });

  test("fails when HA is requested on a burstable size", () => {
    const { stack, p } = bareStack();
    const n = p.createNetwork(stack, "net", {});
    const e = validationError(() => p.createPostgresDatabase(stack, "db", { network: n, size: "small", highAvailability: true }));
    expect(e.message).toMatch(/database\.highAvailability: true is not valid/);
    expect(e.message).toMatch(/B_Standard_B1ms is burstable/);
    expect(e.message).toMatch(/non-burstable size such as 'medium'/);
  });

  test("fails when a storage ceiling or backup window is asked for (not supported on azure)", () => {
    const { stack, p } = bareStack();
    const n = p.createNetwork(stack, "net", {});
    const e = validationError(() => p.createPostgresDatabase(stack, "db", { network: n, highAvailability: false, maxStorageGb: 200, backupWindow: "02:00-03:00" }));
    expect(e.issues.map((i) => i.field)).toEqual(["database.maxStorageGb", "database.backupWindow"]);
    expect(e.message).toMatch(/database\.maxStorageGb: 200 is not valid; accepted: unset: .*not supported on azure/);
    expect(e.message).toMatch(/database\.backupWindow: '02:00-03:00' is not valid; accepted: unset: .*not supported on azure/);
  });

  test("fails when the storage account name cannot fit", () => {
    const { stack, p } = bareStack({ project: "averylongproject" });
    const e = validationError(() => p.createObjectStore(stack, "uploads", {}));
    expect(e.message).toMatch(/objectStore\.baseName: 'uploads' is not valid/);
    expect(e.message).toMatch(/at most 24 lowercase letters and digits/);
    expect(e.message).toMatch(/'averylongprojectstg'/);
  });

  test("fails when the flow-log storage account name cannot fit (names the project)", () => {
    const e = validationError(() => synthStack("azure", "staging", { project: "averylongproject" }));
    expect(e.message).toMatch(/flow-log storage account/);
    expect(e.message).toMatch(/project: 'averylongproject' is not valid/);
    expect(e.message).toMatch(/shorten the project name/);
  });

  test("fails when an explicit OS disk is smaller than the image (not supported on azure)", () => {
    const { stack, p } = bareStack();
    const n = p.createNetwork(stack, "net", {});
    const e = validationError(() => p.createVirtualMachine(stack, "vm", { network: n, rootVolumeGb: 20 }));
    expect(e.message).toMatch(/virtualMachine\.rootVolumeGb: 20 is not valid; accepted: at least 30 on azure/);
  });

  test("fails when a custom incomplete-upload expiry is asked for (not supported on azure)", () => {
    const { stack, p } = bareStack();
    const e = validationError(() => p.createObjectStore(stack, "files", { abortIncompleteUploadDays: 3 }));
    expect(e.message).toMatch(/objectStore\.abortIncompleteUploadDays: 3 is not valid; accepted: 7 or unset: .*not supported on azure/);
  });

  test("fails when SSH is open to the world (contract validation)", () => {
    const { stack, p } = bareStack();
    const n = p.createNetwork(stack, "net", {});
    const e = validationError(() => p.createVirtualMachine(stack, "vm", { network: n, ingress: [{ port: 22, sources: ["0.0.0.0/0"], description: "ssh" }] }));
    expect(e.message).toMatch(/virtualMachine\.ingress\[0\]\.sources\[0\]: '0\.0\.0\.0\/0' is not valid/);
  });

  test("forceDestroy true and versioned false: no prevent_destroy, no version lifecycle rule", () => {
    const { stack, p } = bareStack();
    p.createObjectStore(stack, "scratch", { forceDestroy: true, versioned: false });
    const tf = synth(stack);
    const account = onlyResource(tf, "azurerm_storage_account");
    expect(account.lifecycle).toBeUndefined();
    expect(account.blob_properties.versioning_enabled).toBe(false);
    expect(resourcesOf(tf, "azurerm_storage_management_policy")).toEqual({});
  });

  test("grants refuse a VM of another cloud", () => {
    const { stack, p } = bareStack();
    const store = p.createObjectStore(stack, "files", {});
    const foreign: IVirtualMachine = { cloud: "aws", name: "x", instanceId: "i-1", privateIp: "10.0.10.5" };
    expect(() => store.grantReadWrite(foreign)).toThrow(/a aws resource cannot be used by a azure resource/);
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

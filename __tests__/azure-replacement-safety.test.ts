/**
 * Azure replacement safety, deployability and the destroy rule, on every Azure
 * stack of both environments (platform and worker), as the app builds them
 * (the stacks grant the database to the app tier and, across stacks, the worker).
 *
 * The facts come from constructs/azure/provider-facts.ts (read in the
 * provider's source at azurerm v4.55.0); a type the stacks emit without a row
 * there fails here, so nothing new ships unreviewed.
 */
import * as fs from "fs";
import * as path from "path";
import { AZURE_STATEFUL_TYPES } from "../constructs/policy/rules-azure";
import { AZURE_CORE_RESOURCE_PROVIDERS, AZURE_PROVIDER_REGISTRATIONS, AZURE_RESOURCE_PROVIDERS_TO_REGISTER } from "../constructs/azure/prerequisites";
import { AZURE_PROVIDER_FACTS, ProviderFact, renderAzureProviderReview } from "../constructs/azure/provider-facts";
import { keyVaultSoftDeleteDays } from "../constructs/azure/key-vault";
import { CloudStack } from "../constructs/stack";
import { PlatformConfigInput } from "../constructs/config";
import { TfJson, allItems, appStacks, at, synthJson, valueAt } from "./helpers";

const ENVIRONMENTS = ["staging", "production"] as const;

/** Every Azure stack of both environments (the stacks grant the database to the tier and the worker). */
function azureStacks(overrides: PlatformConfigInput = {}): { stack: CloudStack; tf: TfJson; env: string }[] {
  return appStacks({ cloud: "azure" }, overrides).map((stack) => ({ stack, tf: synthJson(stack), env: stack.environment }));
}

const STACKS = azureStacks();
const FACTS = new Map(AZURE_PROVIDER_FACTS.map((f) => [f.type, f]));

/** Every Terraform type in a stack's JSON: resources, `data.<type>`, `ephemeral.<type>`. */
function typesOf(tf: TfJson): string[] {
  return [...Object.keys(tf.resource ?? {}), ...Object.keys(tf.data ?? {}).map((t) => `data.${t}`), ...Object.keys(tf.ephemeral ?? {}).map((t) => `ephemeral.${t}`)];
}

/** The types of `tf` that have no row in the provider facts. */
function typesWithoutFacts(tf: TfJson, facts: ReadonlyMap<string, ProviderFact> = FACTS): string[] {
  return typesOf(tf).filter((t) => !facts.has(t));
}

/** Whether `body` sets the attribute at `attr` (`a`, `a[0].b`): neither undefined nor null. */
const isSet = (body: Record<string, any>, attr: string): boolean => valueAt(body, attr) != null;

const resources = (tf: TfJson) => allItems(tf).filter((i) => !i.address.startsWith("data."));
const stateful = (tf: TfJson) => resources(tf).filter((r) => FACTS.get(r.type)?.stateful);

test("the stacks under test: platform and worker stacks of both environments", () => {
  expect(STACKS.map((s) => s.stack.node.id).sort()).toEqual(["azure-production", "azure-staging", "worker-azure-production", "worker-azure-staging"]);
  // grantConnect is wired: the Entra administrators exist in the platform stack (app) and the worker stack (worker).
  for (const { tf } of STACKS) expect(Object.keys(tf.resource?.azurerm_postgresql_flexible_server_active_directory_administrator ?? {})).toHaveLength(1);
});

describe.each(STACKS.map((s) => [s.stack.node.id, s] as const))("%s", (_name, { tf, env }) => {
  const prod = env === "production";

  test("every Terraform type the stack emits has a reviewed row in provider-facts.ts", () => {
    expect(typesWithoutFacts(tf)).toEqual([]);
  });

  test("every value Azure changes by itself on a stateful resource is unset or in lifecycle.ignore_changes", () => {
    const checked = stateful(tf);
    expect(checked.length).toBeGreaterThan(2);
    const unstable = checked.flatMap((r) =>
      FACTS.get(r.type)!
        .changedByCloud.filter((c) => isSet(r.body, c.attribute) && !(r.body.lifecycle?.ignore_changes ?? []).includes(c.attribute))
        .map((c) => `${r.path}: ${c.attribute}`),
    );
    expect(unstable).toEqual([]);
  });

  test(
    prod ? "production refuses destroy before deleting anything: prevent_destroy on every protected stateful resource" : "staging destroys cleanly: no prevent_destroy anywhere",
    () => {
      const protectedOnes = stateful(tf).filter((r) => FACTS.get(r.type)!.stateful!.protect);
      expect(protectedOnes.length).toBeGreaterThan(1);
      for (const r of protectedOnes) expect([r.path, r.body.lifecycle?.prevent_destroy]).toEqual([r.path, prod ? true : undefined]);
      if (!prod) for (const r of resources(tf)) expect([r.path, r.body.lifecycle?.prevent_destroy]).toEqual([r.path, undefined]);
    },
  );

  test("zone placement is literal or absent: nothing computed at plan time can move a zonal resource", () => {
    const zonal = resources(tf).filter((r) => "zone" in r.body || "zones" in r.body);
    for (const r of zonal) expect([r.path, JSON.stringify(r.body.zone ?? r.body.zones)]).not.toEqual([r.path, expect.stringContaining("${")]);
    expect(Object.keys(tf.data ?? {}).filter((t) => /zone/.test(t))).toEqual([]);
    for (const r of resources(tf).filter((x) => x.type === "azurerm_linux_virtual_machine")) expect([r.path, r.body.zone]).toEqual([r.path, undefined]);
  });

  test("storage is managed through ARM only, so a Deny-by-default firewall works from a runner outside the VNet", () => {
    expect(tf.provider!.azurerm[0].features).toEqual([{ storage: [{ data_plane_available: false }] }]);
    for (const r of resources(tf).filter((x) => x.type === "azurerm_storage_account")) {
      expect([r.path, r.body.queue_properties, r.body.static_website]).toEqual([r.path, undefined, undefined]);
    }
    for (const r of resources(tf).filter((x) => x.type === "azurerm_storage_container")) {
      expect([r.path, r.body.storage_account_name, typeof r.body.storage_account_id]).toEqual([r.path, undefined, "string"]);
    }
    // Types that only exist on the data plane would 403 behind the firewall.
    expect(typesOf(tf).filter((t) => /^azurerm_storage_(blob|queue|share|share_file|table|table_entity|data_lake_gen2_.*)$/.test(t))).toEqual([]);
  });

  test("depends_on names whole objects of the stack only (Terraform refuses an attribute, such as a remote state output)", () => {
    const bad = resources(tf).flatMap((r) => ((r.body.depends_on ?? []) as string[]).filter((d) => d.startsWith("data.terraform_remote_state") || d.split(".").length !== (d.startsWith("data.") ? 3 : 2)).map((d) => `${r.path}: ${d}`));
    expect(bad).toEqual([]);
  });

  test("every resource provider the stack's types need is registered by the provider (core set + resource_providers_to_register)", () => {
    const provider = tf.provider!.azurerm[0];
    expect(provider.resource_provider_registrations).toBe(AZURE_PROVIDER_REGISTRATIONS);
    expect(provider.resource_providers_to_register).toEqual([...AZURE_RESOURCE_PROVIDERS_TO_REGISTER]);
    const registered = new Set<string>([...AZURE_CORE_RESOURCE_PROVIDERS, ...provider.resource_providers_to_register]);
    const needed = typesOf(tf).flatMap((t) => FACTS.get(t)?.resourceProviders ?? []);
    expect(needed.filter((rp) => !registered.has(rp))).toEqual([]);
  });
});

describe.each(ENVIRONMENTS)("azure %s: who reads the database credentials once the stacks call grantConnect", (env) => {
  const platform = STACKS.find((s) => s.stack.node.id === `azure-${env}`)!.tf;
  const worker = STACKS.find((s) => s.stack.node.id === `worker-azure-${env}`)!.tf;
  const secretRoles = (tf: TfJson) => allItems(tf).filter((i) => i.type === "azurerm_role_assignment" && /^Key Vault/.test(i.body.role_definition_name));
  const identity = (tf: TfJson, path: string) => `\${${allItems(tf).find((i) => i.path.endsWith(`/${path}`))!.address}.principal_id}`;

  test("the platform stack: the app identity reads the one secret; the deployer manages the vault; nobody else", () => {
    expect(secretRoles(platform).map((r) => [r.body.role_definition_name, r.body.principal_id]).sort()).toEqual(
      [
        ["Key Vault Secrets Officer", "${data.azurerm_client_config.client-config.object_id}"],
        ["Key Vault Secrets User", identity(platform, "app/identity/Resource")],
      ].sort(),
    );
  });

  test("the worker stack holds the worker's own grant, on the platform's secret", () => {
    expect(secretRoles(worker).map((r) => [r.body.role_definition_name, r.body.principal_id])).toEqual([["Key Vault Secrets User", identity(worker, "worker/identity/Resource")]]);
    expect(secretRoles(worker)[0].body.scope).toMatch(/^\$\{data\.terraform_remote_state\..*azurerm_key_vault_secret.*resource_versionless_id\}$/);
  });
});

describe.each(ENVIRONMENTS)("azure %s platform stack: the locks", (env) => {
  const { tf } = STACKS.find((s) => s.stack.node.id === `azure-${env}`)!;
  const prod = env === "production";
  const ofType = (type: string) => allItems(tf).filter((i) => i.type === type);
  const lockPaths = () => ofType("azurerm_management_lock").map((l) => l.path.split("/").slice(1).join("/")).sort();

  test(prod ? "a CanNotDelete lock on the database server and one on the Front Door profile, nothing else" : "no lock (staging destroys cleanly)", () => {
    expect(lockPaths()).toEqual(prod ? ["database/delete-lock", "entry/delete-lock"] : []);
  });

  if (prod) {
    test("the database's lock depends on every child of the server in the stack, so destroy removes it first", () => {
      const children = [
        ...ofType("azurerm_postgresql_flexible_server_database"),
        ...ofType("azurerm_postgresql_flexible_server_configuration"),
        ...ofType("azurerm_postgresql_flexible_server_active_directory_administrator"),
      ].map((c) => c.address);
      expect(children.length).toBeGreaterThan(8);
      expect([...at(tf, "database/delete-lock").body.depends_on].sort()).toEqual([...children].sort());
    });

    test("the profile's lock depends on every child of the profile (and its diagnostic setting), so destroy removes it first", () => {
      const profile = at(tf, "entry/Resource").address;
      const children = allItems(tf)
        .filter((i) => JSON.stringify(i.body).includes(`\${${profile}.id}`) && i.type !== "azurerm_management_lock")
        .map((c) => c.address);
      expect(children.length).toBeGreaterThan(3);
      // Children of children (origin, route, security policy's domain) come on top of the direct ones.
      expect(at(tf, "entry/delete-lock").body.depends_on).toEqual(expect.arrayContaining(children));
      for (const p of ["entry/origin", "entry/route"]) expect(at(tf, "entry/delete-lock").body.depends_on).toContain(at(tf, p).address);
    });
  }

  test("the vault keeps deleted data 90 days where protected, 7 otherwise; purge protection everywhere", () => {
    const vault = ofType("azurerm_key_vault")[0].body;
    expect(vault).toMatchObject({ purge_protection_enabled: true, soft_delete_retention_days: keyVaultSoftDeleteDays(prod) });
    expect(keyVaultSoftDeleteDays(true)).toBe(90);
    expect(keyVaultSoftDeleteDays(false)).toBe(7);
  });
});

describe.each([
  ["a subdomain", "app.example.org"],
  ["the apex", "example.org"],
])("azure production with an Azure DNS zone and %s: the DNS types are reviewed too", (_what, domain) => {
  const withZone = azureStacks({ environments: { production: { domain, dnsZone: "example.org" } } }).find((s) => s.stack.node.id === "azure-production")!;

  test("the zone lookup and the records have reviewed rows; their resource providers are registered", () => {
    expect(typesOf(withZone.tf).filter((t) => /dns_(zone|txt|cname|a)_?/.test(t) && !/private/.test(t)).sort()).toEqual(
      ["azurerm_dns_txt_record", domain === "example.org" ? "azurerm_dns_a_record" : "azurerm_dns_cname_record", "data.azurerm_dns_zone"].sort(),
    );
    expect(typesWithoutFacts(withZone.tf)).toEqual([]);
    const registered = new Set<string>([...AZURE_CORE_RESOURCE_PROVIDERS, ...AZURE_RESOURCE_PROVIDERS_TO_REGISTER]);
    expect(typesOf(withZone.tf).flatMap((t) => FACTS.get(t)?.resourceProviders ?? []).filter((rp) => !registered.has(rp))).toEqual([]);
  });

  test("the records are not protected (they hold nothing Terraform cannot write again); the custom domain and the profile are", () => {
    for (const p of ["entry/dns-validation", "entry/dns-record"]) expect([p, at(withZone.tf, p).body.lifecycle?.prevent_destroy]).toEqual([p, undefined]);
    for (const p of ["entry/Resource", "entry/domain"]) expect([p, at(withZone.tf, p).body.lifecycle?.prevent_destroy]).toEqual([p, true]);
  });
});

describe("the review table", () => {
  test("fails for a type without a row (a new type cannot ship unreviewed)", () => {
    const tf = { terraform: {}, resource: { azurerm_storage_account: {}, azurerm_not_reviewed: {} } } as unknown as TfJson;
    expect(typesWithoutFacts(tf)).toEqual(["azurerm_not_reviewed"]);
  });

  test("the serving types are reviewed: Front Door, the load balancer, the scale set and its autoscale setting, Bastion", () => {
    for (const t of [
      "azurerm_cdn_frontdoor_profile",
      "azurerm_cdn_frontdoor_endpoint",
      "azurerm_cdn_frontdoor_origin_group",
      "azurerm_cdn_frontdoor_origin",
      "azurerm_cdn_frontdoor_custom_domain",
      "azurerm_cdn_frontdoor_route",
      "azurerm_cdn_frontdoor_firewall_policy",
      "azurerm_cdn_frontdoor_security_policy",
      "azurerm_lb",
      "azurerm_lb_backend_address_pool",
      "azurerm_lb_probe",
      "azurerm_lb_rule",
      "azurerm_linux_virtual_machine_scale_set",
      "azurerm_monitor_autoscale_setting",
      "azurerm_bastion_host",
    ]) {
      expect([t, FACTS.has(t)]).toEqual([t, true]);
    }
    // Front Door's own resources need Microsoft.Cdn, which azurerm's core set does not register.
    expect(FACTS.get("azurerm_cdn_frontdoor_profile")!.resourceProviders).toEqual(["Microsoft.Cdn"]);
    expect(AZURE_CORE_RESOURCE_PROVIDERS as readonly string[]).not.toContain("Microsoft.Cdn");
    expect(AZURE_RESOURCE_PROVIDERS_TO_REGISTER as readonly string[]).toContain("Microsoft.Cdn");
  });

  test("what must survive on the serving side is protected: the profile (its Front Door id) and the custom domain (validation, certificate); the log workspaces as before", () => {
    const protectedTypes = AZURE_PROVIDER_FACTS.filter((f) => f.stateful?.protect).map((f) => f.type);
    expect(protectedTypes).toEqual(expect.arrayContaining(["azurerm_cdn_frontdoor_profile", "azurerm_cdn_frontdoor_custom_domain", "azurerm_log_analytics_workspace"]));
    // The endpoint's host name comes back with the same name (TenantReuse); addresses nothing points at are not stateful.
    for (const t of ["azurerm_cdn_frontdoor_endpoint", "azurerm_public_ip", "azurerm_lb"]) expect([t, FACTS.get(t)!.stateful]).toEqual([t, undefined]);
  });

  test("one row per type; every stateful row that is protected is covered by the AZ-DELETION-PROTECTION rule", () => {
    expect(new Set(AZURE_PROVIDER_FACTS.map((f) => f.type)).size).toBe(AZURE_PROVIDER_FACTS.length);
    const protectedTypes = AZURE_PROVIDER_FACTS.filter((f) => f.stateful?.protect).map((f) => f.type);
    expect(protectedTypes.filter((t) => !(AZURE_STATEFUL_TYPES as readonly string[]).includes(t))).toEqual([]);
    // The unprotected stateful types (the VM's and the scale set's disks) say why.
    for (const f of AZURE_PROVIDER_FACTS.filter((x) => x.stateful && !x.stateful.protect)) expect([f.type, f.stability]).toEqual([f.type, expect.stringMatching(/not protected/)]);
  });

  test("every row names the source it was read in, and says how our output stays stable", () => {
    for (const f of AZURE_PROVIDER_FACTS) {
      expect([f.type, f.source.length > 10, f.stability.length > 10, f.apis.length > 0]).toEqual([f.type, true, true, true]);
    }
  });

  test("docs/azure-provider-review.md is generated from the table (node dist/scripts/azure-provider-review.js)", () => {
    const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "azure-provider-review.md"), "utf8");
    expect(doc).toBe(renderAzureProviderReview());
    for (const f of AZURE_PROVIDER_FACTS) expect(doc).toContain(`| \`${f.type}\``);
  });
});

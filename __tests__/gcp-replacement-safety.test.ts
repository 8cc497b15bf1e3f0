/**
 * GCP replacement safety and destroy rule, driven by the provider review
 * (constructs/gcp/provider-facts.ts): over every GCP stack of both
 * environments (platform and worker), with one shared project and with one
 * project per environment,
 * - every type emitted has a reviewed row (a new type without a review fails);
 * - every attribute the cloud changes by itself is unset or ignored;
 * - no attribute that forces replacement is fed from a data source that can
 *   shift between plans (the VM zone from `google_compute_zones` did);
 * - every resource that calls an API the stack enables depends on that
 *   enablement (directly, through a reference, or through another stack);
 * - the destroy rule: staging destroys cleanly, production refuses before
 *   deleting anything (prevent_destroy on every stateful resource and on the
 *   public address DNS points at, plus the cloud's own protection where it
 *   has one);
 * - names the cloud reserves after a delete carry a suffix kept in state.
 * Each check is also run on a hand-written fixture it must reject, so none of
 * them can pass vacuously.
 */
import { PlatformConfigInput } from "../constructs/config";
import { GCP_APIS, GcpApi, isPrerequisiteApi } from "../constructs/gcp/apis";
import { GCP_FROZEN_DESCRIPTIONS } from "../constructs/gcp/network";
import { GCP_MUST_SURVIVE_TYPES, GCP_PROVIDER_FACTS, GCP_STATEFUL_TYPES, GcpProviderFact, gcpMustSurviveDestroy, gcpProviderFact } from "../constructs/gcp/provider-facts";
import { CloudStack, decisionsAt } from "../constructs/stack";
import { TEST_CONFIG, TfJson, allItems, appStacks, synthJson, valueAt } from "./helpers";

interface Item {
  readonly type: string;
  readonly address: string;
  readonly path: string;
  readonly body: any;
}

interface Built {
  readonly stack: CloudStack;
  readonly tf: TfJson;
  readonly items: Item[];
}

/** Every GCP stack (platform and worker, both environments) of an app built from `overrides`, synthesized. */
function gcpStacks(overrides: PlatformConfigInput): Built[] {
  return appStacks({ cloud: "gcp" }, overrides).map((stack) => {
    const tf = synthJson(stack);
    return { stack, tf, items: itemsOf(tf) };
  });
}

/** Resources, data sources and ephemeral resources, with `type` as provider-facts names them. */
function itemsOf(tf: TfJson): Item[] {
  const found: Item[] = allItems(tf).map((i) => ({ type: i.address.startsWith("data.") ? `data.${i.type}` : i.type, address: i.address, path: i.path, body: i.body }));
  for (const [type, named] of Object.entries(tf.ephemeral ?? {})) {
    for (const [name, body] of Object.entries(named)) found.push({ type: `ephemeral.${type}`, address: `ephemeral.${type}.${name}`, path: body["//"]?.metadata?.path ?? "", body });
  }
  return found;
}

/** The public Cloud DNS zone that holds every default domain: with it, the entries write their A records. */
const DNS_ZONE = "taskflow.example.com";
const CONFIGS: Record<string, PlatformConfigInput> = {
  "one project for both environments": {},
  "one project per environment, DNS records managed": {
    gcp: { region: TEST_CONFIG.gcp!.region, billingAccount: TEST_CONFIG.gcp!.billingAccount },
    environments: { staging: { dnsZone: DNS_ZONE }, production: { dnsZone: DNS_ZONE } },
  },
};
const BUILT = Object.fromEntries(Object.entries(CONFIGS).map(([name, overrides]) => [name, gcpStacks(overrides)])) as Record<string, Built[]>;

// ---------------------------------------------------------------------------
// The checks, as functions, so each can also be run on a fixture it must reject
// ---------------------------------------------------------------------------

/** The attribute name of a reviewed ForceNew entry (`ip_cidr_range (shrink only, ...)` -> `ip_cidr_range`). */
const attributeOf = (entry: string) => entry.split(" ")[0];

/** Attributes the cloud changes by itself that are set and not ignored. */
function unstableAttributes(item: Item, fact: GcpProviderFact): string[] {
  const ignored: unknown = item.body.lifecycle?.ignore_changes;
  return fact.cloudChanges
    .filter((c) => c.mode === "changes")
    .filter((c) => valueAt(item.body, c.attribute) !== undefined && ignored !== "all" && !(Array.isArray(ignored) && ignored.includes(c.attribute)))
    .map((c) => c.attribute);
}

/** Data sources whose result can change between plans by themselves. */
const SHIFTING = GCP_PROVIDER_FACTS.filter((f) => f.shifts).map((f) => f.type.replace(/^data\./, ""));

/** ForceNew attributes whose value reads a data source that can shift. */
function shiftingForceNew(item: Item, fact: GcpProviderFact): string[] {
  return fact.forceNew.map(attributeOf).filter((attr) => {
    const v = valueAt(item.body, attr);
    const text = typeof v === "string" ? v : JSON.stringify(v ?? "");
    return SHIFTING.some((type) => text.includes(`data.${type}.`));
  });
}

/** Addresses an item refers to: `depends_on` and `${type.name...}` references anywhere in its body. */
function referencedAddresses(body: any): string[] {
  const out = new Set<string>((body.depends_on ?? []) as string[]);
  const text = JSON.stringify({ ...body, "//": undefined });
  for (const m of text.matchAll(/\$\{[^}]*?\b((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)\./g)) out.add(m[1]);
  return [...out];
}

/** The Terraform-enabled APIs an item needs that nothing it (transitively) depends on enables. */
function missingApis(item: Item, items: readonly Item[], fact: GcpProviderFact): GcpApi[] {
  const byAddress = new Map(items.map((i) => [i.address, i]));
  const seen = new Set<string>();
  const enabled = new Set<string>();
  let otherStack = false;
  const visit = (address: string) => {
    if (seen.has(address)) return;
    seen.add(address);
    if (address.startsWith("data.terraform_remote_state.")) otherStack = true;
    const dep = byAddress.get(address);
    if (!dep) return;
    if (dep.type === "google_project_service") enabled.add(dep.body.service);
    referencedAddresses(dep.body).forEach(visit);
  };
  referencedAddresses(item.body).forEach(visit);
  // A data source that reads something existing (the DNS zone) finds its API on: it must not depend on the enablement.
  if (item.type.startsWith("data.") && fact.apisOnBeforePlan !== undefined) return [];
  const needed = fact.apis.filter((a): a is GcpApi => !isPrerequisiteApi(a));
  // Across stacks the resource referenced lives in a stack deployed first, which enabled the API for it.
  return otherStack ? [] : needed.filter((a) => !enabled.has(GCP_APIS[a]));
}

const preventsDestroy = (item: Item) => item.body.lifecycle?.prevent_destroy === true;
/** What production must refuse to destroy: data, and what the outside world points at. */
const mustSurvive = (item: Item) => gcpMustSurviveDestroy(item.type, item.body);

// ---------------------------------------------------------------------------

describe.each(Object.keys(CONFIGS))("gcp stacks, %s", (configName) => {
  const built = BUILT[configName];

  test("the app builds the platform and worker stacks of both environments", () => {
    expect(built.map((b) => b.stack.node.id).sort()).toEqual(["gcp-production", "gcp-staging", "worker-gcp-production", "worker-gcp-staging"]);
  });

  test("every type emitted has a reviewed row in constructs/gcp/provider-facts.ts", () => {
    const emitted = [...new Set(built.flatMap((b) => b.items.map((i) => i.type)))].sort();
    expect(emitted.filter((t) => gcpProviderFact(t) === undefined)).toEqual([]);
    expect(emitted).toContain("google_sql_database_instance");
    expect(emitted).toContain("ephemeral.random_password");
  });

  test("every attribute the cloud changes by itself is unset or in lifecycle.ignore_changes", () => {
    const unstable = built.flatMap((b) => b.items.flatMap((i) => unstableAttributes(i, gcpProviderFact(i.type)!).map((a) => `${b.stack.node.id} ${i.address}: ${a}`)));
    expect(unstable).toEqual([]);
    // The one such attribute our output sets is the disk size, and the database ignores it.
    const db = built.find((b) => b.stack.node.id === "gcp-production")!.items.find((i) => i.path.endsWith("/database/Resource"))!;
    expect(db.body.settings.disk_size).toBe(20);
    expect(db.body.lifecycle.ignore_changes).toEqual(["settings[0].disk_size"]);
  });

  test("no attribute that forces replacement reads a data source that can shift between plans", () => {
    const shifting = built.flatMap((b) => b.items.flatMap((i) => shiftingForceNew(i, gcpProviderFact(i.type)!).map((a) => `${b.stack.node.id} ${i.address}: ${a}`)));
    expect(shifting).toEqual([]);
    for (const b of built) {
      for (const vm of b.items.filter((i) => i.type === "google_compute_instance")) expect(vm.body.zone).toMatch(/^us-central1-[a-z]$/);
    }
  });

  test("every resource that calls an API the stack enables depends on its enablement", () => {
    const missing = built.flatMap((b) => b.items.flatMap((i) => missingApis(i, b.items, gcpProviderFact(i.type)!).map((a) => `${b.stack.node.id} ${i.address}: ${a}`)));
    expect(missing).toEqual([]);
  });

  test("destroy rule, production: Terraform refuses before deleting anything (prevent_destroy on every stateful resource and the public address), and the cloud's own protection is on", () => {
    for (const b of built.filter((x) => x.stack.environment === "production")) {
      const stateful = b.items.filter(mustSurvive);
      expect(stateful.length).toBeGreaterThan(0);
      expect(stateful.filter((i) => !preventsDestroy(i)).map((i) => i.address)).toEqual([]);
      expect(stateful.filter((i) => decisionsAt(b.stack, i.path).has("no-deletion-protection")).map((i) => i.address)).toEqual([]);
      for (const i of b.items) {
        if (i.type === "google_sql_database_instance") expect([i.body.deletion_protection, i.body.settings.deletion_protection_enabled, i.body.settings.retain_backups_on_delete]).toEqual([true, true, true]);
        if (i.type === "google_secret_manager_secret") expect(i.body.deletion_protection).toBe(true);
        if (i.type === "google_storage_bucket") expect(i.body.force_destroy).toBe(false);
      }
    }
  });

  test("destroy rule, staging: nothing refuses, buckets are emptied, both database protections are off, and every stateful resource records the decision", () => {
    for (const b of built.filter((x) => x.stack.environment === "staging")) {
      expect(b.items.filter(preventsDestroy).map((i) => i.address)).toEqual([]);
      const stateful = b.items.filter(mustSurvive);
      expect(stateful.length).toBeGreaterThan(0);
      expect(stateful.filter((i) => !decisionsAt(b.stack, i.path).has("no-deletion-protection")).map((i) => i.address)).toEqual([]);
      for (const i of b.items) {
        if (i.type === "google_sql_database_instance") expect([i.body.deletion_protection, i.body.settings.deletion_protection_enabled, i.body.settings.retain_backups_on_delete]).toEqual([false, false, false]);
        if (i.type === "google_secret_manager_secret") expect(i.body.deletion_protection).toBe(false);
        if (i.type === "google_storage_bucket") expect(i.body.force_destroy).toBe(true);
        // Dropping them would fail with open connections or owned objects; the instance's delete removes them.
        if (i.type === "google_sql_user" || i.type === "google_sql_database") expect([i.address, i.body.deletion_policy]).toEqual([i.address, "ABANDON"]);
      }
    }
  });

  test("names the cloud keeps reserved after a delete end with a suffix kept in state, in both environments", () => {
    for (const b of built.filter((x) => x.stack.component === undefined)) {
      const suffixOf = (i: Item, attr: string) => /-\$\{(random_id\.[^.]+)\.hex\}$/.exec(i.body[attr])?.[1];
      const db = b.items.find((i) => i.type === "google_sql_database_instance")!;
      const logs = b.items.filter((i) => i.type === "google_logging_project_bucket_config");
      // Flow logs and load balancer request logs.
      expect(logs.map((i) => i.path.split("/").slice(1).join("/")).sort()).toEqual(["entry/access-log-bucket", "network/flow-log-bucket"]);
      for (const [item, attr] of [[db, "name"], ...logs.map((l) => [l, "bucket_id"])] as [Item, string][]) {
        const suffix = suffixOf(item, attr);
        expect([item.address, suffix]).toEqual([item.address, expect.stringMatching(/^random_id\./)]);
        expect(b.items.find((i) => i.address === suffix)?.body).toMatchObject({ byte_length: 2 });
        expect(b.items.find((i) => i.address === suffix)?.body.keepers).toBeUndefined();
      }
    }
  });

  test("descriptions that force replacement are the frozen constants", () => {
    for (const b of built.filter((x) => x.stack.component === undefined)) {
      const description = (suffix: string) => b.items.find((i) => i.path.endsWith(suffix))!.body.description;
      expect(description("/network/Resource")).toBe(GCP_FROZEN_DESCRIPTIONS.network);
      expect(description("/network/application-subnetwork")).toBe(GCP_FROZEN_DESCRIPTIONS.application);
      expect(description("/network/data-subnetwork")).toBe(GCP_FROZEN_DESCRIPTIONS.data);
      expect(description("/network/private-services-range")).toBe(GCP_FROZEN_DESCRIPTIONS.privateServices);
    }
  });

  test("the stateful and must-survive resources of the platform stacks include the serving ones: the access-log bucket and the public address", () => {
    for (const b of built.filter((x) => x.stack.component === undefined)) {
      const survivors = b.items.filter(mustSurvive).map((i) => i.path.split("/").slice(1).join("/"));
      expect([b.stack.node.id, survivors]).toEqual([b.stack.node.id, expect.arrayContaining(["entry/access-log-bucket", "entry/address", "network/flow-log-bucket"])]);
      // The private services range is a global address too, but internal and re-creatable.
      expect(survivors).not.toContain("network/private-services-range");
    }
  });

  test("the entry's DNS record, when a zone is managed, reads its zone at plan time: no depends_on on the lookup, the record on the DNS API", () => {
    const withDns = built.filter((b) => b.items.some((i) => i.type === "google_dns_record_set"));
    expect(withDns.length).toBe(configName.includes("DNS") ? 2 : 0);
    for (const b of withDns) {
      const lookup = b.items.find((i) => i.type === "data.google_dns_managed_zones")!;
      expect(lookup.body.depends_on).toBeUndefined();
      const record = b.items.find((i) => i.type === "google_dns_record_set")!;
      expect(record.body.managed_zone).toContain(`${lookup.address}.managed_zones`);
      expect(missingApis(record, b.items, gcpProviderFact(record.type)!)).toEqual([]);
    }
  });

  test("the private services connection is abandoned on destroy and adopted again on re-create", () => {
    for (const b of built.filter((x) => x.stack.component === undefined)) {
      expect(b.items.find((i) => i.type === "google_service_networking_connection")!.body).toMatchObject({ deletion_policy: "ABANDON", update_on_creation_fail: true });
    }
  });
});

describe("the checks reject what they exist to catch", () => {
  const sql = gcpProviderFact("google_sql_database_instance")!;

  test("a Cloud SQL instance with disk_size and auto-grow but no ignore_changes (issue 10 defect 5) is unstable", () => {
    const item: Item = { type: sql.type, address: "google_sql_database_instance.db", path: "", body: { settings: { disk_size: 20, disk_autoresize: true } } };
    expect(unstableAttributes(item, sql)).toEqual(["settings[0].disk_size"]);
    expect(unstableAttributes({ ...item, body: { ...item.body, lifecycle: { ignore_changes: ["settings[0].disk_size"] } } }, sql)).toEqual([]);
    expect(unstableAttributes({ ...item, body: { settings: { disk_autoresize: true } } }, sql)).toEqual([]);
  });

  test("a VM zone from the zones data source (issue 10 defect 7) reads a shifting data source under a ForceNew attribute", () => {
    const vm = gcpProviderFact("google_compute_instance")!;
    const item: Item = { type: vm.type, address: "google_compute_instance.vm", path: "", body: { name: "vm", zone: "${element(data.google_compute_zones.z.names, 0)}" } };
    expect(shiftingForceNew(item, vm)).toEqual(["zone"]);
    expect(shiftingForceNew({ ...item, body: { name: "vm", zone: "us-central1-a" } }, vm)).toEqual([]);
    // The project number never shifts: a budget filter may read it.
    expect(SHIFTING).toEqual(["google_compute_zones"]);
  });

  test("a resource created without its API's enablement, directly or through what it references, is reported", () => {
    const bucketFact = gcpProviderFact("google_storage_bucket")!;
    const api: Item = { type: "google_project_service", address: "google_project_service.storage", path: "", body: { service: "storage.googleapis.com" } };
    const bare: Item = { type: bucketFact.type, address: "google_storage_bucket.b", path: "", body: { name: "b" } };
    expect(missingApis(bare, [api, bare], bucketFact)).toEqual(["storage"]);
    const enabled: Item = { ...bare, body: { name: "b", depends_on: ["google_project_service.storage"] } };
    expect(missingApis(enabled, [api, enabled], bucketFact)).toEqual([]);
    const member: Item = { type: "google_storage_bucket_iam_member", address: "google_storage_bucket_iam_member.m", path: "", body: { bucket: "${google_storage_bucket.b.name}" } };
    expect(missingApis(member, [api, enabled, member], gcpProviderFact(member.type)!)).toEqual([]);
    expect(missingApis(member, [api, bare, member], gcpProviderFact(member.type)!)).toEqual(["storage"]);
  });

  test("a data source that calls a stack-enabled API needs the reason its API is on before the plan, or it is reported", () => {
    const zones = gcpProviderFact("data.google_dns_managed_zones")!;
    const item: Item = { type: zones.type, address: "data.google_dns_managed_zones.z", path: "", body: {} };
    expect(missingApis(item, [item], zones)).toEqual([]);
    expect(missingApis(item, [item], { ...zones, apisOnBeforePlan: undefined })).toEqual(["dns"]);
  });

  test("the destroy rule covers external addresses and log buckets, not internal ranges", () => {
    expect(GCP_MUST_SURVIVE_TYPES).toEqual(["google_compute_global_address"]);
    expect(GCP_STATEFUL_TYPES).toContain("google_logging_project_bucket_config");
    const address = (body: Record<string, unknown>): Item => ({ type: "google_compute_global_address", address: "google_compute_global_address.a", path: "", body });
    expect(mustSurvive(address({ address_type: "EXTERNAL", ip_version: "IPV4" }))).toBe(true);
    expect(mustSurvive(address({}))).toBe(true);
    expect(mustSurvive(address({ address_type: "INTERNAL", purpose: "VPC_PEERING", network: "n" }))).toBe(false);
    expect(mustSurvive({ type: "google_logging_project_bucket_config", address: "google_logging_project_bucket_config.l", path: "", body: {} })).toBe(true);
    expect(mustSurvive({ type: "google_compute_url_map", address: "google_compute_url_map.m", path: "", body: {} })).toBe(false);
  });

  test("a managed instance group that sets its size without ignoring it fights the autoscaler", () => {
    const mig = gcpProviderFact("google_compute_region_instance_group_manager")!;
    const item: Item = { type: mig.type, address: "google_compute_region_instance_group_manager.g", path: "", body: { target_size: 2 } };
    expect(unstableAttributes(item, mig)).toEqual(["target_size"]);
    expect(unstableAttributes({ ...item, body: { target_size: 2, lifecycle: { ignore_changes: ["target_size"] } } }, mig)).toEqual([]);
  });

  test("distribution zones from the zones data source would replace the group when a zone goes down", () => {
    const mig = gcpProviderFact("google_compute_region_instance_group_manager")!;
    const item: Item = { type: mig.type, address: "google_compute_region_instance_group_manager.g", path: "", body: { distribution_policy_zones: "${data.google_compute_zones.z.names}" } };
    expect(shiftingForceNew(item, mig)).toEqual(["distribution_policy_zones"]);
  });

  test("the path reader follows blocks written as objects or lists", () => {
    expect(valueAt({ settings: { disk_size: 20 } }, "settings[0].disk_size")).toBe(20);
    expect(valueAt({ settings: [{ disk_size: 30 }] }, "settings[0].disk_size")).toBe(30);
    expect(valueAt({ settings: {} }, "settings[0].location_preference")).toBeUndefined();
  });
});

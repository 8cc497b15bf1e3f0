/**
 * The GCP provider review as data and as a document: docs/gcp-provider-review.md
 * is generated from constructs/gcp/provider-facts.ts and must be up to date;
 * the facts are well-formed; the zone table covers every accepted region; the
 * prerequisites the wrapper checks are what the provider needs before the
 * first plan.
 */
import * as fs from "fs";
import { KNOWN_REGIONS } from "../constructs/config";
import { GCP_APIS, GCP_PREREQUISITE_APIS } from "../constructs/gcp/apis";
import { gcpPrerequisites, gcpServiceNetworkingTeardown } from "../constructs/gcp/prerequisites";
import { GCP_PROVIDER_FACTS, GCP_STATEFUL_TYPES } from "../constructs/gcp/provider-facts";
import { renderGcpProviderReview } from "../constructs/gcp/provider-review";
import { GCP_REGION_ZONES, gcpZones } from "../constructs/gcp/zones";
import { ALL_RULES } from "../constructs/policy";
import { GCP_PROVIDER_REVIEW_DOC } from "../scripts/gcp-provider-review";
import { testConfig, validationErrorOf } from "./helpers";

describe("docs/gcp-provider-review.md", () => {
  test("is generated from the provider facts (run node dist/scripts/gcp-provider-review.js after changing them)", () => {
    expect(fs.readFileSync(GCP_PROVIDER_REVIEW_DOC, "utf8")).toBe(renderGcpProviderReview());
  });

  test("has one row per reviewed type, with the six columns the review asks for", () => {
    const doc = renderGcpProviderReview();
    const rows = doc.split("\n").filter((l) => l.startsWith("| `"));
    expect(rows).toHaveLength(GCP_PROVIDER_FACTS.length);
    expect(doc).toContain("| Resource type | Attributes that force replacement | Conflicts / required companions | APIs and data-plane calls | Values the cloud changes by itself | How our output keeps each stable |");
    expect(rows.find((r) => r.startsWith("| `google_sql_database_instance` (stateful)"))).toContain("`settings[0].disk_size` **changes**");
    expect(rows.find((r) => r.startsWith("| `google_compute_region_instance_group_manager` |"))).toContain("`target_size` **changes**");
    expect(rows.filter((r) => r.includes("(must survive)")).map((r) => r.split(" ")[1])).toEqual(["`google_compute_global_address`"]);
    expect(rows.find((r) => r.startsWith("| `data.google_dns_managed_zones`"))).toContain("on before the plan because the public zone it looks up already exists");
  });
});

describe("provider facts", () => {
  test("one row per type, each with the review filled in", () => {
    const types = GCP_PROVIDER_FACTS.map((f) => f.type);
    expect(new Set(types).size).toBe(types.length);
    for (const f of GCP_PROVIDER_FACTS) {
      expect([f.type, f.stability.length > 20, f.source.length > 10, f.calls.length > 3, f.companions.length > 3]).toEqual([f.type, true, true, true, true]);
      if (!f.type.startsWith("data.") && !f.type.startsWith("ephemeral.")) expect([f.type, f.forceNew.length > 0]).toEqual([f.type, true]);
      if (f.type.startsWith("data.")) expect([f.type, typeof f.shifts]).toEqual([f.type, "boolean"]);
      // Only data sources read something that exists before the plan; only resources can be refused by destroy.
      if (!f.type.startsWith("data.")) expect([f.type, f.apisOnBeforePlan]).toEqual([f.type, undefined]);
      if (f.mustSurvive) expect([f.type, f.stateful, f.type.startsWith("data.")]).toEqual([f.type, false, false]);
    }
  });

  test("the stateful types are the data stores: databases, buckets, log buckets and secrets (the policy rule uses the same list)", () => {
    expect([...GCP_STATEFUL_TYPES].sort()).toEqual(
      ["google_logging_project_bucket_config", "google_secret_manager_secret", "google_sql_database", "google_sql_database_instance", "google_storage_bucket"].sort(),
    );
    expect(ALL_RULES.find((r) => r.id === "GCP-STATEFUL-PREVENT-DESTROY")!.title).toContain("google_secret_manager_secret");
  });

  test("the Cloud SQL row records the auto-grow and the failover drift, and the instance's ForceNew attributes the review found", () => {
    const sql = GCP_PROVIDER_FACTS.find((f) => f.type === "google_sql_database_instance")!;
    expect(sql.cloudChanges.filter((c) => c.mode === "changes").map((c) => c.attribute)).toEqual(["settings[0].disk_size", "settings[0].location_preference", "maintenance_version"]);
    expect(sql.forceNew).toEqual(expect.arrayContaining(["name", "region", "encryption_key_name", "settings[0].disk_type"]));
    const vm = GCP_PROVIDER_FACTS.find((f) => f.type === "google_compute_instance")!;
    expect(vm.forceNew).toContain("zone");
    for (const type of ["google_compute_network", "google_compute_subnetwork", "google_compute_global_address"]) {
      expect([type, GCP_PROVIDER_FACTS.find((f) => f.type === type)!.forceNew]).toEqual([type, expect.arrayContaining(["description"])]);
    }
  });
});

describe("zone table", () => {
  test("covers every region the configuration accepts, each with at least three zones", () => {
    expect(KNOWN_REGIONS.gcp.filter((r) => !GCP_REGION_ZONES[r])).toEqual([]);
    for (const [region, letters] of Object.entries(GCP_REGION_ZONES)) {
      expect([region, letters.length >= 3, letters.every((l) => /^[a-z]$/.test(l))]).toEqual([region, true, true]);
    }
  });

  test("zone letters are not assumed: us-central1 starts at a, us-east1 and europe-west1 at b", () => {
    expect(gcpZones("us-central1")).toEqual(["us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f"]);
    expect(gcpZones("us-east1")[0]).toBe("us-east1-b");
    expect(gcpZones("europe-west1")[0]).toBe("europe-west1-b");
  });

  test("fails when a region has no zone table entry, naming the field and where to add it", () => {
    const err = validationErrorOf(() => gcpZones("mars-north1"));
    expect(err.issues).toEqual([{ field: "gcp.region", value: "mars-north1", accepted: expect.stringContaining("constructs/gcp/zones.ts") }]);
  });
});

describe("prerequisites (before the first plan; what Terraform cannot create)", () => {
  const config = testConfig({ clouds: ["gcp"] });
  const list = gcpPrerequisites(config, "production");

  test("the project with billing and the budget's currency, then Cloud Resource Manager and Service Usage (required), then the stack's APIs (recommended)", () => {
    expect(list.map((p) => [p.id, p.required])).toEqual([
      ["gcp-project-billing", true],
      ["gcp-billing-currency", false],
      ["gcp-bootstrap-apis", true],
      ["gcp-stack-apis", false],
    ]);
  });

  test("each comes with the gcloud command that checks it and the one that makes it hold, for the environment's project", () => {
    const [billing, currency, bootstrap, apis] = list;
    expect(currency.check).toBe('gcloud billing accounts describe 012345-6789AB-CDEF01 --format="value(currencyCode)"');
    expect(currency.expect).toEqual(["USD"]);
    expect(billing.check).toBe('gcloud billing projects describe taskflow-test-123 --format="value(billingEnabled)"');
    expect(billing.expect).toEqual(["True"]);
    expect(billing.fix).toBe("gcloud billing projects link taskflow-test-123 --billing-account=012345-6789AB-CDEF01");
    expect(bootstrap.fix).toBe("gcloud services enable cloudresourcemanager.googleapis.com serviceusage.googleapis.com --project=taskflow-test-123");
    expect(bootstrap.expect).toEqual(Object.values(GCP_PREREQUISITE_APIS));
    expect(bootstrap.check).toContain("gcloud services list --enabled --project=taskflow-test-123");
    expect(bootstrap.check).toContain("config.name=cloudresourcemanager.googleapis.com OR config.name=serviceusage.googleapis.com");
    expect(apis.expect).toEqual(Object.values(GCP_APIS));
    expect(apis.fix).toBe(`gcloud services enable ${Object.values(GCP_APIS).join(" ")} --project=taskflow-test-123`);
  });

  test("per environment project ids reach the commands", () => {
    const perEnv = testConfig({ clouds: ["gcp"], gcp: { region: "us-central1", billingAccount: "012345-6789AB-CDEF01" } });
    const bootstrapFix = (env: string) => gcpPrerequisites(perEnv, env).find((p) => p.id === "gcp-bootstrap-apis")!.fix;
    expect(bootstrapFix("staging")).toContain("--project=taskflow-staging");
    expect(bootstrapFix("production")).toContain("--project=taskflow-production");
  });

  test("the teardown of the peering the abandoned service networking connection leaves", () => {
    expect(gcpServiceNetworkingTeardown("taskflow-staging", "taskflow-staging-network")).toBe(
      "gcloud compute networks peerings delete servicenetworking-googleapis-com --network=taskflow-staging-network --project=taskflow-staging --quiet",
    );
  });
});

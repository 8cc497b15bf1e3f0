/**
 * GCP: targeted assertions on the synthesized Terraform of the app's two
 * stacks per environment (found by construct path): the platform stack (the
 * network, the app tier behind the HTTPS entry, uploads, PostgreSQL, budget)
 * and the worker stack (the VM, its results bucket, its access to the
 * platform's uploads and database); plus the GCP implementations of identity,
 * grants and connections, and the GCP-specific validation and naming rules.
 * The tier's and the entry's own details are asserted on bare stacks in
 * gcp-serve.test.ts; here, that the stacks build them from the profile and
 * wire them to the rest.
 */
import { ENVIRONMENT_DEFAULTS, PlatformConfigInput } from "../constructs/config";
import { Peer } from "../constructs/connections";
import { CLOUD_LIMITS } from "../constructs/limits";
import { NETWORK_DEFAULTS } from "../constructs/network";
import { GCP_RULES } from "../constructs/policy/rules-gcp";
import { evaluate, ruleIds } from "../constructs/policy";
import { DatabaseCredentials, POSTGRES_PORT } from "../constructs/postgres-database";
import { SIZE_TABLE } from "../constructs/sizes";
import { CloudStack, decisionsAt, setCheckLog } from "../constructs/stack";
import { GcpObjectStore, GcpPlatform } from "../constructs/gcp";
import { GCP_APIS, GCP_PREREQUISITE_APIS } from "../constructs/gcp/apis";
import { RANDOM_PROVIDER_VERSION } from "../constructs/gcp/random";
import { GCP_REGION_ZONES, gcpZones } from "../constructs/gcp/zones";
import { GCP_COMPUTE_BASE_ROLES } from "../constructs/gcp/compute-identity";
import { IAP_TCP_FORWARDING_RANGE } from "../constructs/gcp/connections";
import { GCP_NAME_RULES, gcpLabels, isValidGcpName } from "../constructs/gcp/naming";
import { GCP_BUCKET_ROLES, gcsMultiRegion } from "../constructs/gcp/object-store";
import { GCP_DATABASE_CONNECT_ROLES, GCP_POSTGRES_FLAGS, GcpPostgresDatabase } from "../constructs/gcp/postgres-database";
import { GCP_IAP_AUDIT, GCP_STORAGE_AUDIT, projectSettingsOwner } from "../constructs/gcp/platform";
import { GCP_APP_TIER_PORT_NAME } from "../constructs/gcp/app-tier";
import { GOOGLE_FRONT_END_RANGES } from "../constructs/gcp/https-entry";
import { GCP_SECRET_READ_ROLE } from "../constructs/gcp/secret";
import { GCP_VM_IMAGE, GCP_VM_METADATA, GCP_VM_SCOPES } from "../constructs/gcp/virtual-machine";
import { App, TerraformOutput } from "cdktf";
import { APPLICATION_PORT, PlatformStack } from "../stacks/platform-stack";
import { WorkerStack } from "../stacks/worker-stack";
import {
  TEST_CONFIG,
  TfJson,
  allItems,
  appStacks,
  at,
  buildStack,
  crossStackRef,
  platformStack,
  policyErrorOf,
  refAt,
  rel,
  sanitizeForSnapshot,
  synthJson,
  testConfig,
  testOutdir,
  under,
  validationErrorOf,
} from "./helpers";

const ENVIRONMENTS = ["staging", "production"] as const;
type Env = (typeof ENVIRONMENTS)[number];

interface Built {
  /** The platform stack (for decisions and the address plan) and its checked JSON. */
  readonly stack: PlatformStack;
  readonly tf: TfJson;
  /** The worker stack of the same app and environment, and its JSON. */
  readonly workerStack: WorkerStack;
  readonly wtf: TfJson;
}

/** The app's two GCP stacks per environment, built once from one app (the worker reads the platform's outputs). */
const built = Object.fromEntries(
  ENVIRONMENTS.map((env) => {
    const stacks = appStacks({ cloud: "gcp", environment: env });
    const stack = stacks.find((s): s is PlatformStack => s instanceof PlatformStack)!;
    const workerStack = stacks.find((s): s is WorkerStack => s instanceof WorkerStack)!;
    return [env, { stack, tf: synthJson(stack), workerStack, wtf: synthJson(workerStack) }];
  }),
) as Record<Env, Built>;

/** Whether a firewall rule allows TCP `port`. */
const allowsPort = (body: any, port: number) => (body.allow ?? []).some((a: any) => (a.ports ?? []).includes(String(port)));

/** Every firewall rule of the stack (all of the type, not "the only one"). */
const firewalls = (tf: TfJson) => allItems(tf).filter((i) => i.type === "google_compute_firewall");
const ofType = (tf: TfJson, type: string) => allItems(tf).filter((i) => i.type === type);
/** A resource body without cdktf's `//` metadata, for exact comparisons. */
const plain = (body: unknown): any => sanitizeForSnapshot(body as TfJson);
/** `a.b` of `${a.b.id}`: what `depends_on` holds. */
const addressOf = (tf: TfJson, path: string) => at(tf, path).address;
/** The decisions recorded on the resource at `path` (below the stack), sorted. */
const decisions = (stack: CloudStack, path: string) => [...decisionsAt(stack, `${stack.node.path}/${path}`)].sort();

/** A bare GCP CloudStack (GCP only, so the project-name limit is GCP's), its kit and typed platform; the check prints nothing. */
function gcpStack(environment = "staging", overrides: PlatformConfigInput = {}) {
  const { stack, kit } = platformStack("gcp", environment, { clouds: ["gcp"], ...overrides });
  return { stack, kit, platform: GcpPlatform.of(stack) };
}

test("the ports the rules open are the app's constants: 8080 and PostgreSQL 5432", () => {
  expect(APPLICATION_PORT).toBe(8080);
  expect(POSTGRES_PORT).toBe(5432);
});

describe.each(ENVIRONMENTS)("gcp %s", (env) => {
  const { stack, tf, workerStack, wtf } = built[env];
  const prod = env === "production";
  const profile = ENVIRONMENT_DEFAULTS[env];
  const saEmail = () => refAt(tf, "app/identity/Resource", "email");

  describe("provider, APIs and labels", () => {
    test("provider takes project and region from the configuration, in both stacks", () => {
      for (const json of [tf, wtf]) {
        const provider = json.provider!.google[0];
        expect(provider).toMatchObject({ project: "taskflow-test-123", region: "us-central1", user_project_override: true, billing_project: "taskflow-test-123" });
      }
      expect(wtf.provider!.google[0].default_labels).toEqual({ project: "taskflow", environment: env, "managed-by": "cdktf", component: "worker" });
    });

    test("default_labels are project / environment / managed-by, normalized to GCP rules", () => {
      expect(tf.provider!.google[0].default_labels).toEqual({ project: "taskflow", environment: env, "managed-by": "cdktf" });
      expect(at(tf, "database/Resource").body.settings.user_labels).toEqual({ project: "taskflow", environment: env, "managed-by": "cdktf" });
    });

    test(`enables every API the stack uses (IAP ${profile.operatorAccess ? "for operator access" : "not: no operator access"}), never disabling them on destroy`, () => {
      const services = ofType(tf, "google_project_service").map((s) => s.body);
      expect(services.map((s) => s.service).sort()).toEqual(
        [
          "billingbudgets.googleapis.com",
          "compute.googleapis.com",
          "iam.googleapis.com",
          ...(profile.operatorAccess ? ["iap.googleapis.com"] : []),
          "logging.googleapis.com",
          "monitoring.googleapis.com",
          "secretmanager.googleapis.com",
          "servicenetworking.googleapis.com",
          "sqladmin.googleapis.com",
          "storage.googleapis.com",
        ].sort(),
      );
      expect(profile.operatorAccess).toBe(!prod);
      expect(services.every((s) => s.disable_on_destroy === false)).toBe(true);
      // Of the APIs a GCP stack may enable, only Cloud DNS (no zone is managed) and, without operator access, IAP are left out.
      expect(Object.values(GCP_APIS).filter((a) => !services.some((s) => s.service === a)).sort()).toEqual(
        [GCP_APIS.dns, ...(profile.operatorAccess ? [] : [GCP_APIS.iap])].sort(),
      );
      expect(stack.profile.dnsZone).toBeUndefined();
      // The worker stack enables what its VM, identity and bucket use.
      expect(ofType(wtf, "google_project_service").map((s) => s.body.service).sort()).toEqual([GCP_APIS.compute, GCP_APIS.iam, GCP_APIS.storage].sort());
      // The two APIs Terraform cannot enable for itself are prerequisites, never google_project_service.
      expect(services.map((s) => s.service)).not.toContain(GCP_PREREQUISITE_APIS.cloudresourcemanager);
      expect(services.map((s) => s.service)).not.toContain(GCP_PREREQUISITE_APIS.serviceusage);
      for (const s of ofType(tf, "google_project_service")) expect(rel(s.path)).toBe(`gcp/api-${s.body.service.split(".")[0]}`);
    });

    test("resources depend on the API they need", () => {
      const api = (name: string) => {
        expect(at(tf, `gcp/api-${name}`).body.service).toBe(`${name}.googleapis.com`);
        return addressOf(tf, `gcp/api-${name}`);
      };
      expect(at(tf, "network/Resource").body.depends_on).toContain(api("compute"));
      expect(at(tf, "app/Resource").body.depends_on).toContain(api("compute"));
      expect(at(tf, "app/template").body.depends_on).toContain(api("compute"));
      expect(at(tf, "entry/Resource").body.depends_on).toContain(api("compute"));
      expect(at(tf, "entry/access-log-bucket").body.depends_on).toContain(api("logging"));
      expect(at(wtf, "worker/Resource").body.depends_on).toEqual([addressOf(wtf, "gcp/api-compute")]);
      expect(at(wtf, "results/Resource").body.depends_on).toContain(addressOf(wtf, "gcp/api-storage"));
      expect(at(tf, "app/identity/Resource").body.depends_on).toContain(api("iam"));
      expect(at(tf, "database/Resource").body.depends_on).toContain(api("sqladmin"));
      expect(at(tf, "network/private-services-connection").body.depends_on).toContain(api("servicenetworking"));
      expect(at(tf, "uploads/Resource").body.depends_on).toContain(api("storage"));
      expect(at(tf, "budget/Resource").body.depends_on).toContain(api("billingbudgets"));
      expect(at(tf, "budget/email-0").body.depends_on).toContain(api("monitoring"));
      expect(at(tf, "network/flow-log-bucket").body.depends_on).toContain(api("logging"));
      expect(at(tf, "database/credentials/Resource").body.depends_on).toContain(api("secretmanager"));
      // Project IAM goes through Cloud Resource Manager: a prerequisite, so no API resource to depend on.
      expect(at(tf, "app/identity/role-logging-logWriter").body.depends_on).toBeUndefined();
    });
  });

  describe("network", () => {
    test("custom-mode VPC", () => {
      expect(at(tf, "network/Resource").body).toMatchObject({ name: `taskflow-${env}-network`, auto_create_subnetworks: false, routing_mode: "REGIONAL" });
    });

    test("application and data subnetworks from the shared plan, with Private Google Access and flow logs", () => {
      const subnets = ofType(tf, "google_compute_subnetwork");
      expect(subnets.map((s) => [s.body.name, s.body.ip_cidr_range]).sort()).toEqual([
        [`taskflow-${env}-network-application`, "10.0.10.0/24"],
        [`taskflow-${env}-network-data`, "10.0.20.0/24"],
      ]);
      expect(at(tf, "network/application-subnetwork").body.ip_cidr_range).toBe(stack.network.plan.application[0]);
      expect(at(tf, "network/data-subnetwork").body.ip_cidr_range).toBe(stack.network.plan.data[0]);
      for (const s of subnets) {
        expect(s.body).toMatchObject({ region: "us-central1", private_ip_google_access: true, network: refAt(tf, "network/Resource") });
        expect(s.body.log_config).toMatchObject({ aggregation_interval: "INTERVAL_5_SEC", flow_sampling: 1, metadata: "INCLUDE_ALL_METADATA" });
      }
    });

    test("Cloud Router + Cloud NAT with logging, for the application subnetwork only", () => {
      expect(at(tf, "network/router").body).toMatchObject({ network: refAt(tf, "network/Resource"), region: "us-central1" });
      const nat = at(tf, "network/nat").body;
      expect(nat).toMatchObject({
        router: refAt(tf, "network/router", "name"),
        nat_ip_allocate_option: "AUTO_ONLY",
        source_subnetwork_ip_ranges_to_nat: "LIST_OF_SUBNETWORKS",
        log_config: { enable: true, filter: "ALL" },
      });
      expect(nat.subnetwork).toEqual([{ name: refAt(tf, "network/application-subnetwork"), source_ip_ranges_to_nat: ["ALL_IP_RANGES"] }]);
    });

    test("flow logs are kept for the contract's 365 days in a dedicated log bucket", () => {
      expect(NETWORK_DEFAULTS.flowLogRetentionDays).toBe(365);
      expect(at(tf, "network/flow-log-bucket").body).toMatchObject({ retention_days: 365, location: "us-central1", project: "taskflow-test-123" });
      const sink = at(tf, "network/flow-log-sink").body;
      expect(sink.destination).toBe(`logging.googleapis.com/${refAt(tf, "network/flow-log-bucket")}`);
      expect(sink.filter).toContain('log_id("compute.googleapis.com/vpc_flows")');
      expect(sink.filter).toContain('log_id("compute.googleapis.com/nat_flows")');
    });

    test("private services access: a VPC_PEERING range inside the network and a service networking connection", () => {
      const range = at(tf, "network/private-services-range").body;
      expect(range).toMatchObject({ purpose: "VPC_PEERING", address_type: "INTERNAL", address: "10.0.240.0", prefix_length: 20, network: refAt(tf, "network/Resource") });
      expect(at(tf, "network/private-services-connection").body).toMatchObject({
        network: refAt(tf, "network/Resource"),
        service: "servicenetworking.googleapis.com",
        reserved_peering_ranges: [refAt(tf, "network/private-services-range", "name")],
      });
    });

    test("firewall: no rule opens anything to the world; a logged deny-all ingress closes the rest", () => {
      const allowsFromWorld = firewalls(tf).filter((f) => f.body.allow && (f.body.source_ranges ?? []).includes("0.0.0.0/0"));
      expect(allowsFromWorld).toEqual([]);
      const denyAll = at(tf, "network/deny-all-ingress").body;
      expect(denyAll).toMatchObject({
        name: `taskflow-${env}-network-deny-all-ingress`,
        direction: "INGRESS",
        priority: 65534,
        deny: [{ protocol: "all" }],
        source_ranges: ["0.0.0.0/0"],
        log_config: { metadata: "INCLUDE_ALL_METADATA" },
      });
      // SSH only for operator access, and only from IAP TCP forwarding (staging's profile).
      const ssh = [...firewalls(tf), ...firewalls(wtf)].filter((f) => allowsPort(f.body, 22));
      expect(ssh.map((f) => rel(f.path))).toEqual(profile.operatorAccess ? ["app/identity/from-35-235-240-0-20-22"] : []);
      for (const f of ssh) expect(f.body).toMatchObject({ direction: "INGRESS", source_ranges: [IAP_TCP_FORWARDING_RANGE], target_service_accounts: [saEmail()] });
      expect(firewalls(wtf).filter((f) => f.body.allow && (f.body.source_ranges ?? []).includes("0.0.0.0/0"))).toEqual([]);
    });

    test("every ingress allow targets a service account and comes from a named source (never an empty source list)", () => {
      for (const f of [...firewalls(tf), ...firewalls(wtf)].filter((x) => x.body.allow && x.body.direction === "INGRESS")) {
        expect([f.path, f.body.target_service_accounts?.length ?? 0]).toEqual([f.path, 1]);
        expect([f.path, (f.body.source_ranges ?? []).length + (f.body.source_service_accounts ?? []).length > 0]).toEqual([f.path, true]);
      }
    });
  });

  describe("app tier and its identity (details: gcp-serve.test.ts)", () => {
    const template = () => at(tf, "app/template").body;
    const group = () => at(tf, "app/Resource");

    test("dedicated service account at app/identity/Resource with the cloud-platform scope, never the default compute account", () => {
      const sa = at(tf, "app/identity/Resource").body;
      expect(sa).toMatchObject({ account_id: `taskflow-${env}-app`, display_name: `taskflow-${env} app`, description: expect.stringContaining("holds only the roles this stack grants it") });
      expect(GCP_VM_SCOPES).toEqual(["cloud-platform"]);
      expect(template().service_account).toEqual({ email: saEmail(), scopes: ["cloud-platform"] });
      expect(JSON.stringify(tf)).not.toContain("-compute@developer.gserviceaccount.com");
      expect(JSON.stringify(wtf)).not.toContain("-compute@developer.gserviceaccount.com");
      expect(stack.app.identity.node.path).toBe(`${stack.node.path}/app/identity`);
    });

    test("the service account holds log and metric writer at project level, and the Cloud SQL login roles on the one database only (grantConnect)", () => {
      expect(GCP_COMPUTE_BASE_ROLES).toEqual(["roles/logging.logWriter", "roles/monitoring.metricWriter"]);
      const all = ofType(tf, "google_project_iam_member");
      expect(all.map((m) => m.body.role).sort()).toEqual(["roles/cloudsql.client", "roles/cloudsql.instanceUser", "roles/logging.logWriter", "roles/monitoring.metricWriter"]);
      for (const [path, role] of [
        ["app/identity/role-logging-logWriter", "roles/logging.logWriter"],
        ["app/identity/role-monitoring-metricWriter", "roles/monitoring.metricWriter"],
      ]) {
        expect(at(tf, path).body).toMatchObject({ project: "taskflow-test-123", role, member: refAt(tf, "app/identity/Resource", "member") });
        expect(at(tf, path).body.condition).toBeUndefined();
      }
      // Project roles, each conditioned on this one instance: no other Cloud SQL instance of the project is reachable.
      const instance = `resource.name == 'projects/taskflow-test-123/instances/${refAt(tf, "database/Resource", "name")}' && resource.service == 'sqladmin.googleapis.com'`;
      for (const role of ["client", "instanceUser"]) {
        expect(at(tf, `database/cloudsql-${role}-app`).body).toMatchObject({
          role: `roles/cloudsql.${role}`,
          member: refAt(tf, "app/identity/Resource", "member"),
          condition: { expression: instance },
        });
      }
      // The IAM database user of the tier's service account, and the secret it may read.
      expect(at(tf, "database/iam-user-app").body).toMatchObject({ type: "CLOUD_IAM_SERVICE_ACCOUNT", instance: refAt(tf, "database/Resource", "name") });
      expect(at(tf, "database/credentials/read-app").body).toMatchObject({ role: "roles/secretmanager.secretAccessor", member: refAt(tf, "app/identity/Resource", "member") });
    });

    test("the tier is a regional managed instance group with the VM's hardening in its template: Shielded VM, OS Login, no external IP", () => {
      expect(group().type).toBe("google_compute_region_instance_group_manager");
      expect(group().body.version).toEqual([{ instance_template: refAt(tf, "app/template") }]);
      expect(template().shielded_instance_config).toEqual({ enable_secure_boot: true, enable_vtpm: true, enable_integrity_monitoring: true });
      expect(template().metadata).toMatchObject(GCP_VM_METADATA);
      expect(template().network_interface).toEqual([{ subnetwork: refAt(tf, "network/application-subnetwork") }]);
      expect(stack.app.resource).toBe(stack.node.findChild("app").node.findChild("Resource"));
    });

    test(`the profile's size and scaling: ${prod ? "e2-medium, 2 to 6 instances" : "e2-small, 1 to 2 instances"}, starting at the desired size`, () => {
      expect(profile.scaling).toEqual(prod ? { min: 2, desired: 2, max: 6 } : { min: 1, desired: 1, max: 2 });
      expect(template().machine_type).toBe(SIZE_TABLE[profile.vmSize].gcp.vm);
      expect(template().machine_type).toBe(prod ? "e2-medium" : "e2-small");
      expect(group().body.target_size).toBe(profile.scaling.desired);
      expect(group().body.lifecycle).toEqual({ ignore_changes: ["target_size"] });
      expect(at(tf, "app/autoscaler").body).toMatchObject({
        target: refAt(tf, "app/Resource"),
        autoscaling_policy: { min_replicas: profile.scaling.min, max_replicas: profile.scaling.max },
      });
    });

    test("the app port is the group's named port, and the zones are the zone table's (one per application subnet CIDR)", () => {
      expect(group().body.named_port).toEqual([{ name: GCP_APP_TIER_PORT_NAME, port: APPLICATION_PORT }]);
      expect(GCP_REGION_ZONES["us-central1"]).toEqual(["a", "b", "c", "f"]);
      expect(group().body.distribution_policy_zones).toEqual(gcpZones("us-central1").slice(0, stack.network.plan.application.length));
      expect(Object.keys(tf.data ?? {})).not.toContain("google_compute_zones");
    });

    test("the entry is the only thing admitted on the tier's port: the Google front ends and health checkers, to the tier's service account", () => {
      const onAppPort = [...firewalls(tf), ...firewalls(wtf)].filter((f) => f.body.direction === "INGRESS" && allowsPort(f.body, APPLICATION_PORT));
      expect(onAppPort.map((f) => rel(f.path))).toEqual(["app/identity/from-entry"]);
      expect(at(tf, "app/identity/from-entry").body).toMatchObject({
        allow: [{ protocol: "tcp", ports: [String(APPLICATION_PORT)] }],
        source_ranges: [...GOOGLE_FRONT_END_RANGES],
        target_service_accounts: [saEmail()],
        network: refAt(tf, "network/Resource"),
      });
      // Every rule that reaches the tier's instances: the entry's, and operator access where the profile has it.
      const toTier = firewalls(tf).filter((f) => f.body.direction === "INGRESS" && f.body.allow && (f.body.target_service_accounts ?? []).includes(saEmail()));
      expect(toTier.map((f) => rel(f.path)).sort()).toEqual(["app/identity/from-entry", ...(profile.operatorAccess ? ["app/identity/from-35-235-240-0-20-22"] : [])].sort());
    });

    test(`operator access ${profile.operatorAccess ? "on: SSH from IAP TCP forwarding" : "off: no SSH rule"}; the project's IAP audit logs are written by the stack that owns the project's settings (production)`, () => {
      expect(under(tf, "app", "google_compute_firewall").some((f) => allowsPort(f.body, 22))).toBe(profile.operatorAccess);
      // The tests deploy both environments into one project: production writes the IAP audit config for staging's operators.
      expect(projectSettingsOwner(stack.config, "taskflow-test-123")).toBe("production");
      const audits = ofType(tf, "google_project_iam_audit_config").filter((a) => a.body.service === GCP_IAP_AUDIT.service);
      expect(audits.map((a) => rel(a.path))).toEqual(prod ? ["gcp/iap-data-access-audit"] : []);
      if (prod) expect(plain(audits[0].body)).toEqual({ project: "taskflow-test-123", service: "iap.googleapis.com", audit_log_config: [{ log_type: "ADMIN_READ" }, { log_type: "DATA_READ" }] });
    });
  });

  describe("HTTPS entry (details: gcp-serve.test.ts)", () => {
    test("serves the profile's domain with a Google-managed certificate on the entry's global address", () => {
      expect(stack.profile.domain).toBe(`${env}.taskflow.example.com`);
      expect(at(tf, "entry/certificate").body.managed).toEqual({ domains: [stack.profile.domain] });
      expect(at(tf, "entry/https-rule").body.ip_address).toBe(refAt(tf, "entry/address", "address"));
      expect(at(tf, "entry/backend").body.backend).toEqual([expect.objectContaining({ group: refAt(tf, "app/Resource", "instance_group") })]);
      expect(at(tf, "entry/backend").body.health_checks).toEqual([refAt(tf, "app/health-check")]);
    });

    test(`the web application firewall is ${profile.webApplicationFirewall ? "on" : "off"} (profile webApplicationFirewall)`, () => {
      expect(profile.webApplicationFirewall).toBe(true);
      expect(at(tf, "entry/waf").type).toBe("google_compute_security_policy");
      expect(at(tf, "entry/backend").body.security_policy).toBe(refAt(tf, "entry/waf"));
      expect(decisions(stack, "entry/backend")).toEqual([]);
    });

    test(`deletion ${prod ? "protected: the public address and the access-log bucket refuse destroy" : "allowed: nothing refuses, and the decision is recorded"} (profile deletionProtection ${profile.deletionProtection})`, () => {
      for (const path of ["entry/address", "entry/access-log-bucket"]) {
        expect([path, at(tf, path).body.lifecycle]).toEqual([path, prod ? { prevent_destroy: true } : undefined]);
        expect([path, decisions(stack, path)]).toEqual([path, prod ? [] : ["no-deletion-protection"]]);
      }
    });

    test("no DNS zone in the profile: no record is written, and dns_records names the A record to create", () => {
      expect(under(tf, "entry", "google_dns_record_set")).toEqual([]);
      expect(Object.keys(tf.data ?? {})).not.toContain("google_dns_managed_zones");
      expect(tf.output!.dns_records).toEqual({
        value: [{ name: stack.profile.domain, type: "A", value: refAt(tf, "entry/address", "address"), purpose: "serve" }],
        description: "Records to create in the domain's DNS zone (no zone is managed here)",
      });
    });
  });

  describe("worker VM and its identity (worker stack)", () => {
    const vm = () => at(wtf, "worker/Resource").body;
    const workerEmail = () => refAt(wtf, "worker/identity/Resource", "email");

    test("the VM lives in the worker stack only: the platform stack has none", () => {
      expect(workerStack.node.id).toBe(`worker-gcp-${env}`);
      expect(ofType(tf, "google_compute_instance")).toEqual([]);
      expect(ofType(wtf, "google_compute_instance").map((i) => rel(i.path))).toEqual(["worker/Resource"]);
    });

    test("dedicated service account at worker/identity/Resource with the cloud-platform scope", () => {
      const sa = at(wtf, "worker/identity/Resource").body;
      expect(sa).toMatchObject({ display_name: `taskflow-worker-${env} worker`, description: expect.stringContaining("holds only the roles this stack grants it") });
      // taskflow-worker-production-worker is 33 characters: shortened with a hash.
      if (prod) expect(sa.account_id).toMatch(/^taskflow-worker-[a-z0-9-]*[a-z0-9]-[a-z0-9]{6}$/);
      else expect(sa.account_id).toBe("taskflow-worker-staging-worker");
      expect(sa.account_id.length).toBeLessThanOrEqual(30);
      expect(isValidGcpName("serviceAccountId", sa.account_id)).toBe(true);
      expect(vm().service_account).toEqual({ email: workerEmail(), scopes: ["cloud-platform"] });
      expect(workerStack.worker.identity.node.path).toBe(`${workerStack.node.path}/worker/identity`);
    });

    test("the worker's service account holds log and metric writer at project level, and the Cloud SQL login roles on the platform's database only, written in the worker stack", () => {
      expect(ofType(wtf, "google_project_iam_member").map((m) => [rel(m.path), m.body.role, m.body.member]).sort()).toEqual([
        ["worker/db-cloudsql-client-on-database", "roles/cloudsql.client", refAt(wtf, "worker/identity/Resource", "member")],
        ["worker/db-cloudsql-instanceUser-on-database", "roles/cloudsql.instanceUser", refAt(wtf, "worker/identity/Resource", "member")],
        ["worker/identity/role-logging-logWriter", "roles/logging.logWriter", refAt(wtf, "worker/identity/Resource", "member")],
        ["worker/identity/role-monitoring-metricWriter", "roles/monitoring.metricWriter", refAt(wtf, "worker/identity/Resource", "member")],
      ]);
    });

    test("Shielded VM and OS Login metadata", () => {
      expect(vm().shielded_instance_config).toEqual({ enable_secure_boot: true, enable_vtpm: true, enable_integrity_monitoring: true });
      expect(vm().metadata).toEqual({ "enable-oslogin": "TRUE", "block-project-ssh-keys": "TRUE", "serial-port-enable": "FALSE" });
      expect(vm().metadata).toEqual(GCP_VM_METADATA);
    });

    test("no external IP, in the platform's application subnetwork (read from the platform stack's outputs)", () => {
      expect(vm().network_interface).toEqual([{ subnetwork: crossStackRef(tf, wtf, refAt(tf, "network/application-subnetwork")) }]);
    });

    test(`machine type from the size table (${prod ? "e2-medium" : "e2-small"})`, () => {
      expect(vm().machine_type).toBe(prod ? "e2-medium" : "e2-small");
      expect(vm().machine_type).toBe(SIZE_TABLE[profile.vmSize].gcp.vm);
    });

    test("boot disk from an image family, 20 GB", () => {
      expect(vm().boot_disk.initialize_params).toMatchObject({ image: expect.stringMatching(/^projects\/[a-z-]+\/global\/images\/family\/[a-z0-9-]+$/), size: 20, type: "pd-balanced" });
      expect(vm().boot_disk.initialize_params.image).toBe(GCP_VM_IMAGE);
    });

    test("zone: the first of the region's zone table, a constant (no data source can move it)", () => {
      expect(vm().zone).toBe("us-central1-a");
      expect(vm().zone).toBe(gcpZones("us-central1")[0]);
      expect(Object.keys(wtf.data ?? {})).toEqual(["terraform_remote_state"]);
    });

    test("nothing is admitted on the worker: no ingress rule targets its service account", () => {
      const ingress = [...firewalls(tf), ...firewalls(wtf)].filter((f) => f.body.direction === "INGRESS" && (f.body.target_service_accounts ?? []).includes(workerEmail()));
      expect(ingress).toEqual([]);
    });

    test("its own results bucket read-write, the platform's uploads read-only, both on the bucket only", () => {
      const members = ofType(wtf, "google_storage_bucket_iam_member").map((m) => [rel(m.path), plain(m.body)]);
      const member = refAt(wtf, "worker/identity/Resource", "member");
      expect(members.sort()).toEqual([
        ["results/read-write-worker", { bucket: refAt(wtf, "results/Resource", "name"), role: GCP_BUCKET_ROLES["read-write"], member }],
        ["worker/read-on-uploads", { bucket: crossStackRef(tf, wtf, refAt(tf, "uploads/Resource", "name")), role: GCP_BUCKET_ROLES.read, member }],
      ]);
      expect(at(wtf, "results/Resource").body).toMatchObject({ location: prod ? "US" : "US-CENTRAL1", force_destroy: !prod, versioning: { enabled: true } });
      expect(at(wtf, "results/Resource").body.lifecycle).toEqual(prod ? { prevent_destroy: true } : undefined);
    });

    test("the worker outputs are references to its VM and bucket", () => {
      expect(wtf.output).toEqual({
        worker_id: { value: refAt(wtf, "worker/Resource", "instance_id"), description: "Id of the worker VM" },
        results_bucket_name: { value: refAt(wtf, "results/Resource", "name"), description: "Name of the worker's results bucket" },
      });
    });
  });

  describe("object store", () => {
    const bucket = () => at(tf, "uploads/Resource").body;

    test("deterministic name <project>-<env>-<baseName>-<hash> that fits the GCS rules", () => {
      expect(bucket().name).toMatch(new RegExp(`^taskflow-${env}-uploads-[a-z0-9]{6}$`));
      expect(isValidGcpName("bucket", bucket().name)).toBe(true);
      expect(tf.output!.bucket_name.value).toBe(refAt(tf, "uploads/Resource", "name"));
    });

    test("uniform access, public access prevention, versioning, standard class", () => {
      expect(bucket()).toMatchObject({
        uniform_bucket_level_access: true,
        public_access_prevention: "enforced",
        versioning: { enabled: true },
        storage_class: "STANDARD",
      });
    });

    test(`${prod ? "geo-redundant: multi-region US" : "regional: US-CENTRAL1 only"} (profile geoRedundantStorage ${profile.geoRedundantStorage})`, () => {
      expect(profile.geoRedundantStorage).toBe(prod);
      expect(bucket().location).toBe(prod ? "US" : "US-CENTRAL1");
    });

    test(`deletion ${prod ? "protected: prevent_destroy, never force-destroyed" : "allowed: force_destroy, no prevent_destroy"}`, () => {
      expect(bucket().force_destroy).toBe(!prod);
      if (prod) expect(bucket().lifecycle).toEqual({ prevent_destroy: true });
      else expect(bucket().lifecycle).toBeUndefined();
    });

    test("lifecycle: abort incomplete uploads after 7 days, delete noncurrent versions after 90", () => {
      expect(bucket().lifecycle_rule).toEqual([
        { action: { type: "AbortIncompleteMultipartUpload" }, condition: { age: 7 } },
        { action: { type: "Delete" }, condition: { days_since_noncurrent_time: 90, with_state: "ARCHIVED" } },
      ]);
    });

    test("read-write for the app tier's service account on this bucket only, no project-level storage role (the worker's read access is in its own stack)", () => {
      expect(GCP_BUCKET_ROLES["read-write"]).toBe("roles/storage.objectUser");
      expect(plain(at(tf, "uploads/read-write-app").body)).toEqual({
        bucket: refAt(tf, "uploads/Resource", "name"),
        role: "roles/storage.objectUser",
        member: refAt(tf, "app/identity/Resource", "member"),
      });
      expect(ofType(tf, "google_storage_bucket_iam_member").map((m) => rel(m.path))).toEqual(["uploads/read-write-app"]);
      const projectRoles = ofType(tf, "google_project_iam_member").map((m) => m.body.role as string);
      expect(projectRoles.filter((r) => r.startsWith("roles/storage"))).toEqual([]);
    });
  });

  describe("postgres", () => {
    const db = () => at(tf, "database/Resource").body;

    test("PostgreSQL 16, Enterprise edition, tier from the size table", () => {
      expect(db().database_version).toBe("POSTGRES_16");
      expect(db().settings).toMatchObject({ edition: "ENTERPRISE", tier: prod ? "db-custom-2-7680" : "db-custom-1-3840" });
      expect(db().settings.tier).toBe(SIZE_TABLE[profile.databaseSize].gcp.database);
    });

    test("private IP only, TLS required, in the private services range", () => {
      expect(db().settings.ip_configuration).toEqual({
        ipv4_enabled: false,
        private_network: refAt(tf, "network/Resource"),
        allocated_ip_range: at(tf, "network/private-services-range").body.name,
        ssl_mode: "ENCRYPTED_ONLY",
      });
      expect(db().depends_on).toContain(addressOf(tf, "network/private-services-connection"));
    });

    test(`availability ${prod ? "REGIONAL" : "ZONAL"} and deletion protection ${prod ? "on" : "off"} (Terraform, API and prevent_destroy)`, () => {
      expect(db().settings.availability_type).toBe(prod ? "REGIONAL" : "ZONAL");
      expect(db().deletion_protection).toBe(prod);
      expect(db().settings.deletion_protection_enabled).toBe(prod);
      expect(db().settings.retain_backups_on_delete).toBe(prod);
      expect(db().lifecycle).toEqual(prod ? { prevent_destroy: true, ignore_changes: ["settings[0].disk_size"] } : { ignore_changes: ["settings[0].disk_size"] });
    });

    test(`backups with point-in-time recovery, ${prod ? 14 : 7} retained`, () => {
      expect(db().settings.backup_configuration).toEqual({
        enabled: true,
        point_in_time_recovery_enabled: true,
        start_time: "03:00",
        transaction_log_retention_days: 7,
        backup_retention_settings: { retained_backups: prod ? 14 : 7, retention_unit: "COUNT" },
      });
      expect(profile.backupRetentionDays).toBe(prod ? 14 : 7);
    });

    test("maintenance window Monday 04:00 UTC (Cloud SQL counts Monday as 1)", () => {
      expect(db().settings.maintenance_window).toEqual({ day: 1, hour: 4, update_track: "stable" });
    });

    test("disk autoresize up to maxStorageGb; the grown size is ignored, so the next plan never shrinks (replaces) the instance", () => {
      expect(db().settings).toMatchObject({ disk_size: 20, disk_autoresize: true, disk_autoresize_limit: 100, disk_type: "PD_SSD" });
      expect(db().lifecycle.ignore_changes).toEqual(["settings[0].disk_size"]);
    });

    test("flags: logging, DDL statements, pgAudit (DDL and role changes) and IAM database authentication", () => {
      expect(db().settings.database_flags).toEqual([
        { name: "log_checkpoints", value: "on" },
        { name: "log_connections", value: "on" },
        { name: "log_disconnections", value: "on" },
        { name: "log_lock_waits", value: "on" },
        { name: "log_temp_files", value: "0" },
        { name: "log_statement", value: "ddl" },
        { name: "cloudsql.enable_pgaudit", value: "on" },
        { name: "pgaudit.log", value: "ddl,role" },
        { name: "cloudsql.iam_authentication", value: "on" },
      ]);
      expect(Object.keys(GCP_POSTGRES_FLAGS)).toHaveLength(9);
    });

    test("database and admin user; the password is generated (ephemeral) and written only to write-only attributes: the user's and the secret version's, same version", () => {
      expect(plain(at(tf, "database/database").body)).toEqual({
        name: "taskflow",
        instance: refAt(tf, "database/Resource", "name"),
        deletion_policy: "ABANDON",
        ...(prod ? { lifecycle: { prevent_destroy: true } } : {}),
      });
      const password = Object.entries(tf.ephemeral?.random_password ?? {});
      expect(password.map(([, b]) => rel(b["//"].metadata.path))).toEqual(["database/admin-password"]);
      const [name, body] = password[0];
      expect(plain(body)).toEqual({ length: 32, special: true, override_special: "-_.~", min_lower: 1, min_upper: 1, min_numeric: 1, min_special: 1 });
      const generated = `\${ephemeral.random_password.${name}.result}`;
      const user = at(tf, "database/admin-user").body;
      expect(plain(user)).toEqual({
        name: "app_admin",
        instance: refAt(tf, "database/Resource", "name"),
        type: "BUILT_IN",
        password_wo: generated,
        password_wo_version: 1,
        deletion_policy: "ABANDON",
        depends_on: [addressOf(tf, "database/credentials/version")],
      });
      expect(plain(at(tf, "database/credentials/version").body)).toEqual({
        secret: refAt(tf, "database/credentials/Resource"),
        secret_data_wo: generated,
        secret_data_wo_version: 1,
        deletion_policy: "DELETE",
        lifecycle: { create_before_destroy: true },
      });
      // Nobody supplies a password: no variable at all.
      expect(tf.variable).toBeUndefined();
      expect(tf.terraform.required_providers).toMatchObject({ random: { source: "hashicorp/random", version: RANDOM_PROVIDER_VERSION } });
    });

    test(`credentials secret: Secret Manager, replicated in the region only, ${prod ? "protected (deletion_protection, prevent_destroy)" : "deletable"}`, () => {
      const secret = at(tf, "database/credentials/Resource").body;
      expect(secret).toMatchObject({
        secret_id: `taskflow-${env}-database-admin-password`,
        replication: { user_managed: { replicas: [{ location: "us-central1" }] } },
        deletion_protection: prod,
      });
      expect(secret.lifecycle).toEqual(prod ? { prevent_destroy: true } : undefined);
      expect(decisions(stack, "database/credentials/Resource")).toEqual(prod ? [] : ["no-deletion-protection"]);
    });

    test("nothing sensitive in the JSON: the only password-like values are references to ephemeral values", () => {
      const json = JSON.stringify(tf);
      const passwordValues = [...json.matchAll(/"(password_wo|secret_data_wo)":"([^"]*)"/g)].map((m) => m[2]);
      expect(passwordValues).toHaveLength(2);
      for (const v of passwordValues) expect(v).toMatch(/^\$\{ephemeral\.random_password\.[^.]+\.result\}$/);
      expect(json).not.toMatch(/"(password|secret_data)":/);
    });

    test("the instance name ends with a random suffix kept in state (re-creatable at once after a destroy)", () => {
      const suffix = at(tf, "database/name-suffix");
      expect(suffix.type).toBe("random_id");
      expect(plain(suffix.body)).toEqual({ byte_length: 2, provider: "random" });
      expect(db().name).toBe(`taskflow-${env}-database-\${${suffix.address}.hex}`);
    });

    test("endpoint and connection string use the private IP and carry no password", () => {
      const ip = refAt(tf, "database/Resource", "private_ip_address");
      expect(tf.output!.database_endpoint.value).toBe(`${ip}:${POSTGRES_PORT}`);
      expect(tf.output!.database_connection_string).toMatchObject({ value: `postgresql://app_admin@${ip}:${POSTGRES_PORT}/taskflow?sslmode=require`, sensitive: true });
    });

    test("PostgreSQL to the private services range: allowed for the app identity's service account (database/from-app-identity), denied for everything else", () => {
      const allow = at(tf, "database/from-app-identity").body;
      const deny = at(tf, "database/deny-others").body;
      expect(allow).toMatchObject({
        name: `taskflow-${env}-database-app-identity-allow-${POSTGRES_PORT}`,
        direction: "EGRESS",
        priority: 1000,
        destination_ranges: ["10.0.240.0/20"],
        target_service_accounts: [saEmail()],
        allow: [{ protocol: "tcp", ports: [String(POSTGRES_PORT)] }],
        network: refAt(tf, "network/Resource"),
      });
      expect(allow.source_ranges).toBeUndefined();
      expect(deny).toMatchObject({ direction: "EGRESS", priority: 65000, destination_ranges: ["10.0.240.0/20"], deny: [{ protocol: "tcp", ports: [String(POSTGRES_PORT)] }] });
      expect(deny.target_service_accounts).toBeUndefined();
      expect(allow.priority).toBeLessThan(deny.priority);
    });

    test("both sides of the app -> database connection are these two rules: nothing else mentions the PostgreSQL port", () => {
      expect(under(tf, "database", "google_compute_firewall").map((f) => rel(f.path)).sort()).toEqual(["database/deny-others", "database/from-app-identity"]);
      const mentioning = firewalls(tf).filter((f) => JSON.stringify([f.body.allow, f.body.deny]).includes(`"${POSTGRES_PORT}"`));
      expect(mentioning.map((f) => rel(f.path)).sort()).toEqual(["database/deny-others", "database/from-app-identity"]);
    });

    test("in the platform stack the database admits the app tier only; the worker's admission is written in the worker stack", () => {
      const allows = firewalls(tf).filter((f) => f.body.allow && allowsPort(f.body, POSTGRES_PORT));
      expect(allows.map((f) => [rel(f.path), f.body.target_service_accounts])).toEqual([["database/from-app-identity", [saEmail()]]]);
      const worker = firewalls(wtf).filter((f) => allowsPort(f.body, POSTGRES_PORT));
      expect(worker.map((f) => rel(f.path))).toEqual(["worker/identity/ingress-at-database-worker-identity"]);
      expect(worker[0].body).toMatchObject({
        direction: "EGRESS",
        priority: 1000,
        destination_ranges: ["10.0.240.0/20"],
        target_service_accounts: [refAt(wtf, "worker/identity/Resource", "email")],
        allow: [{ protocol: "tcp", ports: [String(POSTGRES_PORT)] }],
        network: crossStackRef(tf, wtf, refAt(tf, "network/Resource")),
      });
      // The platform's deny (priority 65000) still closes the port to everything else, the worker included if its rule goes.
      expect(worker[0].body.priority).toBeLessThan(at(tf, "database/deny-others").body.priority);
    });
  });

  describe("budget", () => {
    test(`monthly ${prod ? 2000 : 200} USD on the billing account, scoped to the project`, () => {
      const budget = at(tf, "budget/Resource").body;
      expect(budget).toMatchObject({
        display_name: `taskflow-${env}-budget`,
        billing_account: "012345-6789AB-CDEF01",
        amount: { specified_amount: { currency_code: "USD", units: prod ? "2000" : "200", nanos: 0 } },
        budget_filter: { calendar_period: "MONTH" },
      });
      expect(budget.amount.specified_amount.units).toBe(String(profile.monthlyBudget));
      const project = at(tf, "gcp/project");
      expect(project.body.project_id).toBe("taskflow-test-123");
      expect(budget.budget_filter.projects).toEqual([`projects/\${${project.address}.number}`]);
    });

    test("thresholds: 80 % of current spend and 100 % of forecast", () => {
      expect(at(tf, "budget/Resource").body.threshold_rules).toEqual([
        { threshold_percent: 0.8, spend_basis: "CURRENT_SPEND" },
        { threshold_percent: 1, spend_basis: "FORECASTED_SPEND" },
      ]);
    });

    test("one e-mail notification channel per recipient, referenced by the budget", () => {
      expect(ofType(tf, "google_monitoring_notification_channel")).toHaveLength(TEST_CONFIG.budget!.alertEmails!.length);
      expect(at(tf, "budget/email-0").body).toMatchObject({ type: "email", labels: { email_address: "platform-team@example.com" } });
      expect(at(tf, "budget/Resource").body.all_updates_rule.monitoring_notification_channels).toEqual([refAt(tf, "budget/email-0")]);
    });
  });

  test(`decisions recorded on the resources: ${prod ? "none" : "single-zone and deletable database, deletable log buckets, address and single-region buckets, storage audit written by the production stack"}`, () => {
    expect(decisions(stack, "database/Resource")).toEqual(prod ? [] : ["no-deletion-protection", "single-zone-database"]);
    expect(decisions(stack, "database/database")).toEqual(prod ? [] : ["no-deletion-protection"]);
    // The test configuration deploys both environments into one project: production owns its audit setting.
    expect(decisions(stack, "uploads/Resource")).toEqual(prod ? [] : ["locally-redundant-storage", "no-deletion-protection", "storage-audit-in-owner-stack"]);
    for (const path of ["network/flow-log-bucket", "entry/access-log-bucket", "entry/address"]) expect([path, decisions(stack, path)]).toEqual([path, prod ? [] : ["no-deletion-protection"]]);
    for (const path of ["network/Resource", "app/Resource", "app/identity/Resource", "entry/Resource", "entry/backend", "budget/Resource"]) expect([path, decisions(stack, path)]).toEqual([path, []]);
    // The worker's bucket: the platform's production stack writes the storage audit setting of the shared project.
    expect(decisions(workerStack, "results/Resource")).toEqual(prod ? ["storage-audit-in-owner-stack"] : ["locally-redundant-storage", "no-deletion-protection", "storage-audit-in-owner-stack"]);
    expect(decisions(workerStack, "worker/Resource")).toEqual([]);
    expect(profile.costOverResilience).toBe(!prod);
  });

  test("every generated resource name satisfies the GCP resource naming rule, in both stacks", () => {
    const types = [
      "google_compute_network",
      "google_compute_subnetwork",
      "google_compute_router",
      "google_compute_router_nat",
      "google_compute_firewall",
      "google_compute_global_address",
      "google_compute_instance",
      "google_sql_database_instance",
      "google_compute_region_instance_group_manager",
      "google_compute_region_autoscaler",
      "google_compute_health_check",
      "google_compute_backend_service",
      "google_compute_url_map",
      "google_compute_target_https_proxy",
      "google_compute_target_http_proxy",
      "google_compute_global_forwarding_rule",
      "google_compute_ssl_policy",
      "google_compute_managed_ssl_certificate",
      "google_compute_security_policy",
    ];
    // A random suffix (4 hex characters) is only known at apply: check the name with one.
    const withSuffix = (name: string) => name.replace(/\$\{random_id\.[^}]+\.hex\}/, "0f9a");
    const named = [...allItems(tf), ...allItems(wtf)].filter((r) => types.includes(r.type));
    expect(new Set(named.map((r) => r.type))).toEqual(new Set(types));
    for (const r of named) expect([r.type, r.body.name, isValidGcpName("resource", withSuffix(r.body.name))]).toEqual([r.type, r.body.name, true]);
    // The template's name is its prefix plus the provider's 26-character unique suffix.
    const prefix = at(tf, "app/template").body.name_prefix as string;
    expect(isValidGcpName("resource", `${prefix}${"0".repeat(26)}`)).toBe(true);
    expect(isValidGcpName("secretId", at(tf, "database/credentials/Resource").body.secret_id)).toBe(true);
    expect(isValidGcpName("serviceAccountId", at(tf, "app/identity/Resource").body.account_id)).toBe(true);
    expect(isValidGcpName("serviceAccountId", at(wtf, "worker/identity/Resource").body.account_id)).toBe(true);
    for (const path of ["network/flow-log-bucket", "entry/access-log-bucket"]) {
      const id = at(tf, path).body.bucket_id as string;
      expect([path, id.endsWith(".hex}"), isValidGcpName("logBucketId", withSuffix(id))]).toEqual([path, true, true]);
    }
    expect(isValidGcpName("bucket", at(wtf, "results/Resource").body.name)).toBe(true);
  });

  test("the outputs are meaningful references; the only cross-stack outputs are what the worker reads (network, subnetwork, uploads, the database and its secret for grantConnect)", () => {
    const outputs = tf.output!;
    expect(Object.keys(outputs).filter((k) => !k.startsWith("cross-stack-output-")).sort()).toEqual(
      ["app_tier_id", "app_url", "bucket_name", "database_connection_string", "database_credentials_secret", "database_endpoint", "dns_records", "entry_address", "entry_origin_header", "network_id"].sort(),
    );
    expect(outputs.network_id.value).toBe(refAt(tf, "network/Resource"));
    expect(outputs.app_url.value).toBe(`https://${stack.profile.domain}`);
    expect(outputs.entry_address.value).toBe(refAt(tf, "entry/address", "address"));
    expect(outputs.entry_origin_header.value).toBe("none: the app tier admits the entry only");
    expect(stack.entry.originHeader).toBeUndefined();
    expect(outputs.app_tier_id.value).toBe(refAt(tf, "app/Resource", "id"));
    expect(outputs.bucket_name.value).toBe(refAt(tf, "uploads/Resource", "name"));
    expect(outputs.database_credentials_secret).toEqual(expect.objectContaining({ value: refAt(tf, "database/credentials/Resource"), sensitive: true }));
    // The worker reads: the network and its subnetwork, the uploads bucket, and for grantConnect the instance and its secret.
    expect(Object.entries(outputs).filter(([k]) => k.startsWith("cross-stack-output-")).map(([, o]) => o.value).sort()).toEqual(
      [
        refAt(tf, "network/Resource"),
        refAt(tf, "network/application-subnetwork"),
        refAt(tf, "uploads/Resource", "name"),
        refAt(tf, "database/Resource", "name"),
        refAt(tf, "database/credentials/Resource"),
      ].sort(),
    );
    // The VM's outputs are the worker stack's now.
    expect(outputs.vm_id).toBeUndefined();
  });

  test("snapshot of both stacks", () => {
    expect({ platform: sanitizeForSnapshot(tf), worker: sanitizeForSnapshot(wtf) }).toMatchSnapshot();
  });
});

describe("gcp staging vs production", () => {
  const s = built.staging.tf;
  const p = built.production.tf;

  test("production only: REGIONAL database with deletion protection; staging is ZONAL and deletable", () => {
    const sd = at(s, "database/Resource").body;
    const pd = at(p, "database/Resource").body;
    expect([sd.settings.availability_type, sd.deletion_protection, sd.settings.deletion_protection_enabled, sd.lifecycle?.prevent_destroy]).toEqual(["ZONAL", false, false, undefined]);
    expect([pd.settings.availability_type, pd.deletion_protection, pd.settings.deletion_protection_enabled, pd.lifecycle?.prevent_destroy]).toEqual(["REGIONAL", true, true, true]);
  });

  test("production only: multi-region bucket that Terraform refuses to destroy; staging is regional and force-destroyed", () => {
    const sb = at(s, "uploads/Resource").body;
    const pb = at(p, "uploads/Resource").body;
    expect([sb.location, sb.force_destroy, sb.lifecycle]).toEqual(["US-CENTRAL1", true, undefined]);
    expect([pb.location, pb.force_destroy, pb.lifecycle]).toEqual(["US", false, { prevent_destroy: true }]);
  });

  test("bucket names differ per environment", () => {
    expect(at(s, "uploads/Resource").body.name).not.toBe(at(p, "uploads/Resource").body.name);
  });
});

describe("gcp configuration", () => {
  const gcpOnly = (gcp: PlatformConfigInput["gcp"]): PlatformConfigInput => ({ clouds: ["gcp"], gcp });

  test("the project id defaults to <project>-<environment>", () => {
    const tf = synthJson(buildStack("gcp", "staging", { gcp: { region: "us-central1", billingAccount: "012345-6789AB-CDEF01" } }));
    expect(tf.provider!.google[0]).toMatchObject({ project: "taskflow-staging", billing_project: "taskflow-staging" });
    expect(at(tf, "gcp/project").body.project_id).toBe("taskflow-staging");
    expect(at(tf, "app/identity/role-logging-logWriter").body.project).toBe("taskflow-staging");
  });

  test("a project id per environment", () => {
    const gcp = { ...TEST_CONFIG.gcp, projectId: { staging: "taskflow-stg-123", production: "taskflow-prd-123" } };
    expect(synthJson(buildStack("gcp", "staging", { gcp })).provider!.google[0].project).toBe("taskflow-stg-123");
    expect(synthJson(buildStack("gcp", "production", { gcp })).provider!.google[0].project).toBe("taskflow-prd-123");
  });

  test("fails when the GCP project id is not a valid project id, once per environment", () => {
    const err = validationErrorOf(() => testConfig(gcpOnly({ ...TEST_CONFIG.gcp, projectId: "Bad_Project" })));
    expect(err.issues).toEqual(
      ["staging", "production"].map((e) => ({ field: `gcp.projectId(${e})`, value: "Bad_Project", accepted: expect.stringContaining("6-30 lowercase letters, digits and hyphens") })),
    );
  });

  test("fails when the project id map names an environment that does not exist", () => {
    const err = validationErrorOf(() => testConfig(gcpOnly({ ...TEST_CONFIG.gcp, projectId: { stagin: "taskflow-stg-123" } })));
    expect(err.issues).toContainEqual({ field: "gcp.projectId.stagin", value: "taskflow-stg-123", accepted: expect.stringContaining("a configured environment") });
  });

  test("fails when the billing account is not XXXXXX-XXXXXX-XXXXXX", () => {
    const err = validationErrorOf(() => testConfig(gcpOnly({ ...TEST_CONFIG.gcp, billingAccount: "0123456789" })));
    expect(err.issues).toEqual([{ field: "gcp.billingAccount", value: "0123456789", accepted: "a billing account id XXXXXX-XXXXXX-XXXXXX" }]);
  });

  test("the project name may be GCP's 16 characters when only GCP is enabled", () => {
    expect(CLOUD_LIMITS.gcp.projectMaxLength).toBe(16);
    expect(() => testConfig({ clouds: ["gcp"], project: "sixteen-char-prj" })).not.toThrow();
    const err = validationErrorOf(() => testConfig({ clouds: ["gcp"], project: "seventeen-chr-prj" }));
    expect(err.issues[0]).toMatchObject({ field: "project", value: "seventeen-chr-prj", accepted: expect.stringContaining("3-16 lowercase letters") });
  });
});

describe("gcp naming rules", () => {
  test("limits are in one constant", () => {
    expect(GCP_NAME_RULES.resource.maxLength).toBe(63);
    expect(GCP_NAME_RULES.bucket).toMatchObject({ minLength: 3, maxLength: 63 });
    expect(GCP_NAME_RULES.serviceAccountId).toMatchObject({ minLength: 6, maxLength: 30 });
  });

  test.each([
    ["bucket", "goog-files", false],
    ["bucket", "my-google-files", false],
    ["bucket", "my-g00gle-files", false],
    ["bucket", "UPPER", false],
    ["bucket", "ab", false],
    ["bucket", "a".repeat(64), false],
    ["bucket", "taskflow-staging-uploads-abc123", true],
    ["resource", "1starts-with-digit", false],
    ["resource", "ends-with-hyphen-", false],
    ["resource", "a".repeat(64), false],
    ["resource", "a".repeat(63), true],
    ["serviceAccountId", "short", false],
    ["serviceAccountId", "a".repeat(31), false],
    ["serviceAccountId", "taskflow-staging-app", true],
  ] as const)("%s '%s' valid: %s", (kind, name, ok) => {
    expect(isValidGcpName(kind, name)).toBe(ok);
  });

  test("labels: keys become lowercase kebab-case, values lowercase with only [a-z0-9_-]", () => {
    expect(gcpLabels({ ManagedBy: "CDKTF", Project: "Task Flow", "Cost Center": "R&D" })).toEqual({ "managed-by": "cdktf", project: "task_flow", cost_center: "r_d" });
  });

  test("extra configured tags become provider default labels and database user labels", () => {
    const tf = synthJson(buildStack("gcp", "staging", { tags: { CostCenter: "R&D 42" } }));
    expect(tf.provider!.google[0].default_labels).toEqual({ "cost-center": "r_d_42", project: "taskflow", environment: "staging", "managed-by": "cdktf" });
    expect(at(tf, "database/Resource").body.settings.user_labels).toEqual(tf.provider!.google[0].default_labels);
  });

  test("fails when a tag key cannot become a label key", () => {
    const err = validationErrorOf(() => gcpLabels({ "123": "x" }));
    expect(err.issues[0]).toMatchObject({ field: "tags.123", value: "123" });
    expect(err.message).toContain("tags.123: '123' is not valid; accepted: a key that normalizes to a GCP label key");
  });

  test("fails when the bucket base name contains 'google', naming field, value and accepted form", () => {
    const { stack, kit } = gcpStack();
    const err = validationErrorOf(() => new kit.ObjectStore(stack, "uploads", { baseName: "google-files" }));
    expect(err.issues).toEqual([{ field: "objectStore.baseName", value: "google-files", accepted: expect.stringContaining("without 'google'") }]);
    expect(err.message).toContain("objectStore.baseName: 'google-files' is not valid; accepted:");
  });

  test("fails when the project makes the bucket name start with 'goog'", () => {
    const { stack, kit } = gcpStack("staging", { project: "googly" });
    const err = validationErrorOf(() => new kit.ObjectStore(stack, "uploads", {}));
    expect(err.issues[0]).toMatchObject({ field: "project", accepted: GCP_NAME_RULES.bucket.accepted });
    expect(String(err.issues[0].value)).toMatch(/^googly-staging-uploads-/);
  });

  test("fails when a construct id cannot be part of a GCP name", () => {
    const { stack, kit } = gcpStack();
    const err = validationErrorOf(() => new kit.Network(stack, "Net_Work", {}));
    expect(err.issues[0]).toMatchObject({ field: "network id", value: "Net_Work", accepted: expect.stringContaining("lowercase letters, digits and hyphens") });
    expect(err.message).toContain("network id: 'Net_Work' is not valid");
  });

  test("fails when a VM id cannot be part of a GCP name (its identity's service account id is checked first)", () => {
    const { stack, kit } = gcpStack();
    const network = new kit.Network(stack, "network", {});
    const err = validationErrorOf(() => new kit.VirtualMachine(stack, "App_Server", { network }));
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]).toMatchObject({ value: "App_Server", accepted: expect.stringContaining("lowercase letters, digits and hyphens") });
    expect(err.message).toContain("'App_Server' is not valid");
  });

  test("long names are shortened deterministically with a hash and stay within the limits", () => {
    const { stack, kit, platform } = gcpStack("production", { project: "longprojectname" });
    const network = new kit.Network(stack, "network", {});
    const id = "application-server-01"; // the longest id an identity name takes (21 characters)
    new kit.VirtualMachine(stack, id, { network });
    const tf = synthJson(stack);
    const sa = at(tf, `${id}/identity/Resource`).body.account_id;
    const vm = at(tf, `${id}/Resource`).body.name;
    expect(sa.length).toBeLessThanOrEqual(30);
    expect(isValidGcpName("serviceAccountId", sa)).toBe(true);
    expect(sa).toMatch(/^longprojectname-[a-z0-9-]*[a-z0-9]-[a-z0-9]{6}$/);
    expect(sa).not.toBe(platform.name("other", "serviceAccountId", { field: "id", value: `${id}-2` }));
    expect(vm.length).toBeLessThanOrEqual(63);
    expect(isValidGcpName("resource", vm)).toBe(true);
    expect(sa).toBe(platform.name("again", "serviceAccountId", { field: "id", value: id }));
  });

  test("a 16-character project still gives a valid service account id in production (shortened with a hash)", () => {
    const tf = synthJson(buildStack("gcp", "production", { project: "sixteen-char-prj" }));
    const sa = at(tf, "app/identity/Resource").body.account_id as string;
    expect("sixteen-char-prj-production-app".length).toBe(31);
    expect(sa.length).toBeLessThanOrEqual(30);
    expect(isValidGcpName("serviceAccountId", sa)).toBe(true);
    expect(sa).toMatch(/^sixteen-char-prj-[a-z0-9-]*[a-z0-9]-[a-z0-9]{6}$/);
  });
});

describe("gcp identity, grants and connections", () => {
  test("a compute identity of its own: a service account with the base roles, no rule and no data access until granted", () => {
    const { stack, kit } = gcpStack();
    const network = new kit.Network(stack, "network", {});
    const worker = new kit.ComputeIdentity(stack, "worker", { network, description: "Background jobs" });
    expect(worker.grantPrincipal.cloud).toBe("gcp");
    const tf = synthJson(stack);
    expect(at(tf, "worker/Resource").body).toMatchObject({ account_id: "taskflow-staging-worker", description: "Background jobs; holds only the roles this stack grants it" });
    expect(under(tf, "worker", "google_project_iam_member").map((m) => m.body.role).sort()).toEqual(GCP_COMPUTE_BASE_ROLES);
    expect(under(tf, "worker", "google_compute_firewall")).toEqual([]);
    expect(ofType(tf, "google_storage_bucket_iam_member")).toEqual([]);
  });

  test("a VM admits a peer identity: one INGRESS rule from the peer's service account to the VM's (GCP egress is open, so none on the peer)", () => {
    const { stack, kit } = gcpStack();
    const network = new kit.Network(stack, "network", {});
    const app = new kit.VirtualMachine(stack, "app", { network });
    const worker = new kit.ComputeIdentity(stack, "worker", { network });
    app.connections.allowFrom(worker, APPLICATION_PORT);
    app.connections.allowFrom(worker, APPLICATION_PORT);
    const tf = synthJson(stack);
    expect(under(tf, "app", "google_compute_firewall").map((f) => rel(f.path))).toEqual(["app/identity/from-worker"]);
    expect(at(tf, "app/identity/from-worker").body).toMatchObject({
      direction: "INGRESS",
      allow: [{ protocol: "tcp", ports: [String(APPLICATION_PORT)] }],
      source_service_accounts: [refAt(tf, "worker/Resource", "email")],
      target_service_accounts: [refAt(tf, "app/identity/Resource", "email")],
      network: refAt(tf, "network/Resource"),
    });
    expect(at(tf, "app/identity/from-worker").body.source_ranges).toBeUndefined();
    expect(under(tf, "worker", "google_compute_firewall")).toEqual([]);
  });

  test("a database admits any connectable with a service account: an EGRESS allow from it, the same whichever side asks", () => {
    const { stack, kit } = gcpStack();
    const network = new kit.Network(stack, "network", {});
    const worker = new kit.ComputeIdentity(stack, "worker", { network });
    const db = new kit.PostgresDatabase(stack, "database", { network });
    worker.connections.allowTo(db, POSTGRES_PORT);
    db.allowConnectionsFrom(worker);
    const tf = synthJson(stack);
    expect(under(tf, "database", "google_compute_firewall").map((f) => rel(f.path)).sort()).toEqual(["database/deny-others", "database/from-worker"]);
    expect(at(tf, "database/from-worker").body).toMatchObject({
      direction: "EGRESS",
      destination_ranges: ["10.0.240.0/20"],
      target_service_accounts: [refAt(tf, "worker/Resource", "email")],
      allow: [{ protocol: "tcp", ports: [String(POSTGRES_PORT)] }],
    });
  });

  test("grantRead gives objectViewer, grantReadWrite objectUser, each once per grantee and level, on this bucket only", () => {
    const { stack, kit } = gcpStack();
    const network = new kit.Network(stack, "network", {});
    const app = new kit.VirtualMachine(stack, "app", { network });
    const worker = new kit.ComputeIdentity(stack, "worker", { network });
    const store = new kit.ObjectStore(stack, "uploads", {});
    store.grantRead(worker);
    store.grantRead(worker);
    store.grantReadWrite(app);
    store.grantReadWrite(app);
    store.grantRead(app);
    const tf = synthJson(stack);
    expect(ofType(tf, "google_storage_bucket_iam_member").map((m) => rel(m.path)).sort()).toEqual(["uploads/read-app", "uploads/read-worker", "uploads/read-write-app"]);
    expect(GCP_BUCKET_ROLES).toEqual({ read: "roles/storage.objectViewer", "read-write": "roles/storage.objectUser" });
    const bucket = refAt(tf, "uploads/Resource", "name");
    expect(plain(at(tf, "uploads/read-worker").body)).toEqual({ bucket, role: "roles/storage.objectViewer", member: refAt(tf, "worker/Resource", "member") });
    expect(plain(at(tf, "uploads/read-app").body)).toEqual({ bucket, role: "roles/storage.objectViewer", member: refAt(tf, "app/identity/Resource", "member") });
    expect(plain(at(tf, "uploads/read-write-app").body)).toEqual({ bucket, role: "roles/storage.objectUser", member: refAt(tf, "app/identity/Resource", "member") });
    expect(ofType(tf, "google_project_iam_member").filter((m) => String(m.body.role).startsWith("roles/storage"))).toEqual([]);
  });

  test("grants and connections are recorded once per grantee and add one binding / rule each", () => {
    const { stack, kit } = gcpStack();
    const network = new kit.Network(stack, "network", {});
    const vm = new kit.VirtualMachine(stack, "app", { network });
    const store = new kit.ObjectStore(stack, "uploads", {});
    const db = new kit.PostgresDatabase(stack, "database", { network });
    store.grantReadWrite(vm);
    store.grantReadWrite(vm);
    db.allowConnectionsFrom(vm);
    db.allowConnectionsFrom(vm);
    const tf = synthJson(stack);
    expect(ofType(tf, "google_storage_bucket_iam_member").map((m) => rel(m.path))).toEqual(["uploads/read-write-app"]);
    expect(firewalls(tf).filter((f) => f.body.direction === "EGRESS" && f.body.allow).map((f) => rel(f.path))).toEqual(["database/from-app-identity"]);
  });

  test("without a connection, the database firewall only denies", () => {
    const { stack, kit } = gcpStack();
    const network = new kit.Network(stack, "network", {});
    new kit.PostgresDatabase(stack, "database", { network, version: "17" });
    const tf = synthJson(stack);
    expect(firewalls(tf).filter((f) => f.body.direction === "EGRESS").map((f) => [rel(f.path), f.body.allow ? "allow" : "deny"])).toEqual([["database/deny-others", "deny"]]);
    expect(at(tf, "database/Resource").body.database_version).toBe("POSTGRES_17");
  });

  test("object store defaults: deletion protected and geo-redundant (multi-region of the region)", () => {
    const { stack, kit } = gcpStack();
    new kit.ObjectStore(stack, "uploads", {});
    const tf = synthJson(stack);
    expect(at(tf, "uploads/Resource").body).toMatchObject({ location: "US", force_destroy: false, lifecycle: { prevent_destroy: true } });
    // A staging stack of a project that production also uses: the audit setting is production's.
    expect(decisions(stack, "uploads/Resource")).toEqual(["storage-audit-in-owner-stack"]);
  });

  test("geo-redundant buckets use the multi-region of the configured region", () => {
    // No multi-region keeps Canadian data in Canada: geo-redundancy is refused there (below) instead of moving it to US.
    expect([gcsMultiRegion("us-central1"), gcsMultiRegion("northamerica-northeast1"), gcsMultiRegion("europe-west4"), gcsMultiRegion("asia-east1")]).toEqual(["US", undefined, "EU", "ASIA"]);
    const { stack, kit } = gcpStack("staging", { gcp: { ...TEST_CONFIG.gcp, region: "europe-west4" } });
    new kit.ObjectStore(stack, "geo", { geoRedundant: true });
    new kit.ObjectStore(stack, "local", { geoRedundant: false });
    const tf = synthJson(stack);
    expect(at(tf, "geo/Resource").body.location).toBe("EU");
    expect(at(tf, "local/Resource").body.location).toBe("EUROPE-WEST4");
    expect(decisions(stack, "geo/Resource")).toEqual(["storage-audit-in-owner-stack"]);
    expect(decisions(stack, "local/Resource")).toEqual(["locally-redundant-storage", "storage-audit-in-owner-stack"]);
  });

  test("deletionProtection false: force_destroy, no prevent_destroy, and the decision recorded", () => {
    const { stack, kit } = gcpStack();
    const store = new kit.ObjectStore(stack, "scratch", { deletionProtection: false });
    expect(store).toBeInstanceOf(GcpObjectStore);
    const tf = synthJson(stack);
    expect(at(tf, "scratch/Resource").body.force_destroy).toBe(true);
    expect(at(tf, "scratch/Resource").body.lifecycle).toBeUndefined();
    expect(decisions(stack, "scratch/Resource")).toEqual(["no-deletion-protection", "storage-audit-in-owner-stack"]);
  });
});

describe("gcp features that are refused instead of dropped", () => {
  test("fails when flow log retention exceeds what Cloud Logging keeps", () => {
    expect(CLOUD_LIMITS.gcp.flowLogRetentionMaxDays).toBe(3650);
    const { stack, kit } = gcpStack();
    const err = validationErrorOf(() => new kit.Network(stack, "network", { flowLogRetentionDays: 3653 }));
    expect(err.issues).toEqual([{ field: "network.flowLogRetentionDays", value: 3653, accepted: expect.stringContaining("at most 3650 days") }]);
    expect(err.issues[0].accepted).toContain("not supported on gcp");
  });

  test("a retention within the limit reaches the log bucket", () => {
    const { stack, kit } = gcpStack();
    new kit.Network(stack, "network", { flowLogRetentionDays: 2922 });
    expect(at(synthJson(stack), "network/flow-log-bucket").body.retention_days).toBe(2922);
  });

  test("fails when an SSH public key is given (OS Login is used instead)", () => {
    expect(CLOUD_LIMITS.gcp.virtualMachine.sshPublicKey).toBe(false);
    const { stack, kit } = gcpStack();
    const network = new kit.Network(stack, "network", {});
    const err = validationErrorOf(() => new kit.VirtualMachine(stack, "app", { network, sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample user@host" }));
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]).toMatchObject({ field: "virtualMachine.sshPublicKey", accepted: expect.stringContaining("not supported on gcp") });
    expect(err.issues[0].accepted).toContain("OS Login");
  });

  test("fails when SSH is opened to anything but the IAP range", () => {
    const { stack, kit } = gcpStack();
    const network = new kit.Network(stack, "network", {});
    const vm = new kit.VirtualMachine(stack, "app", { network });
    const err = validationErrorOf(() => vm.connections.allowFrom(Peer.ipv4("10.0.0.0/8", "admin ssh"), 22));
    expect(err.issues).toEqual([{ field: "allowFrom(peer)", value: "10.0.0.0/8", accepted: expect.stringContaining(IAP_TCP_FORWARDING_RANGE) }]);
    expect(err.message).toContain("(gcp)");
  });

  test("fails when RDP is opened to a range wider than IAP's, even one that contains it", () => {
    const { stack, kit } = gcpStack();
    const network = new kit.Network(stack, "network", {});
    const vm = new kit.VirtualMachine(stack, "app", { network });
    const err = validationErrorOf(() => vm.connections.allowFrom(Peer.ipv4("35.235.0.0/16"), 3389));
    expect(err.issues).toEqual([{ field: "allowFrom(peer)", value: "35.235.0.0/16", accepted: expect.stringContaining(`port 3389 only from the IAP TCP forwarding range ${IAP_TCP_FORWARDING_RANGE}`) }]);
  });

  test("fails when SSH is opened to the whole internet (shared rule)", () => {
    const { stack, kit } = gcpStack();
    const network = new kit.Network(stack, "network", {});
    const vm = new kit.VirtualMachine(stack, "app", { network });
    const err = validationErrorOf(() => vm.connections.allowFrom(Peer.anyIpv4(), 22));
    expect(err.issues[0]).toMatchObject({ field: "allowFrom(peer)", value: "0.0.0.0/0" });
  });

  test("SSH from the IAP range is honoured: one INGRESS rule targeted at the VM's service account", () => {
    const { stack, kit } = gcpStack();
    const network = new kit.Network(stack, "network", {});
    const vm = new kit.VirtualMachine(stack, "bastion", { network });
    vm.connections.allowFrom(Peer.ipv4(IAP_TCP_FORWARDING_RANGE, "IAP"), 22, "SSH through IAP");
    const tf = synthJson(stack);
    expect(at(tf, "bastion/identity/from-35-235-240-0-20-22").body).toMatchObject({
      direction: "INGRESS",
      description: "SSH through IAP",
      allow: [{ protocol: "tcp", ports: ["22"] }],
      source_ranges: [IAP_TCP_FORWARDING_RANGE],
      target_service_accounts: [refAt(tf, "bastion/identity/Resource", "email")],
    });
    expect(at(tf, "bastion/Resource").body.network_interface[0].access_config).toBeUndefined();
  });

  test("fails the policy check when a VM opts into a public IP (GCP-VM-NO-PUBLIC-IP; no decision exempts it)", () => {
    const { stack, kit } = gcpStack();
    const network = new kit.Network(stack, "network", {});
    new kit.VirtualMachine(stack, "bastion", { network, publicIp: true });
    const unchecked = stack.toTerraform() as TfJson;
    expect(at(unchecked, "bastion/Resource").body.network_interface[0].access_config).toEqual([{ network_tier: "PREMIUM" }]);
    const err = policyErrorOf(() => synthJson(stack));
    expect(err.report.violations.map((v) => [v.rule.id, v.path])).toEqual([["GCP-VM-NO-PUBLIC-IP", `${stack.node.path}/bastion/Resource`]]);
  });

  test("fails when an address range is admitted to the database (Cloud SQL is reached only by egress from service accounts)", () => {
    const { stack, kit } = gcpStack();
    const network = new kit.Network(stack, "network", {});
    const db = new kit.PostgresDatabase(stack, "database", { network });
    const err = validationErrorOf(() => db.connections.allowFrom(Peer.ipv4("10.0.10.0/24"), POSTGRES_PORT));
    expect(err.issues).toEqual([{ field: "allowFrom(peer)", value: "10.0.10.0/24", accepted: expect.stringContaining("a connectable peer") }]);
  });

  test("fails when a database is admitted to another database (no service account to select egress by)", () => {
    const { stack, kit } = gcpStack();
    const network = new kit.Network(stack, "network", {});
    const a = new kit.PostgresDatabase(stack, "database", { network });
    const b = new kit.PostgresDatabase(stack, "other", { network });
    const err = validationErrorOf(() => b.allowConnectionsFrom(a));
    expect(err.issues).toEqual([{ field: "allowFrom(peer)", value: a.node.path, accepted: expect.stringContaining("runs as a service account") }]);
  });

  test("fails when a resource of another cloud is granted", () => {
    const { stack, kit } = gcpStack();
    const store = new kit.ObjectStore(stack, "uploads", {});
    const aws = platformStack("aws");
    const awsVm = new aws.kit.VirtualMachine(aws.stack, "app", { network: new aws.kit.Network(aws.stack, "network", {}) });
    const err = validationErrorOf(() => store.grantReadWrite(awsVm));
    expect(err.issues).toEqual([{ field: "grantee", value: "aws-staging/app (aws)", accepted: "an identity on gcp: resources of different clouds cannot be granted to each other" }]);
  });

  test("fails when a resource of another cloud is connected", () => {
    const { stack, kit } = gcpStack();
    const db = new kit.PostgresDatabase(stack, "database", { network: new kit.Network(stack, "network", {}) });
    const aws = platformStack("aws");
    const awsVm = new aws.kit.VirtualMachine(aws.stack, "app", { network: new aws.kit.Network(aws.stack, "network", {}) });
    const err = validationErrorOf(() => db.allowConnectionsFrom(awsVm));
    expect(err.issues).toEqual([{ field: "allowFrom(peer)", value: "aws-staging/app (aws)", accepted: "a peer on gcp: resources of different clouds cannot be connected" }]);
  });

  test("fails when a GCP construct is built in a stack of another cloud", () => {
    const aws = platformStack("aws");
    const err = validationErrorOf(() => new GcpObjectStore(aws.stack, "uploads", {}));
    expect(err.issues).toEqual([{ field: "scope", value: "aws-staging (aws)", accepted: "a scope in a gcp stack: a gcp construct cannot be built in a aws stack" }]);
  });

  test("fails the policy check when a production database is single-zone; staging accepts the recorded decision", () => {
    const prod = gcpStack("production");
    new prod.kit.PostgresDatabase(prod.stack, "database", { network: new prod.kit.Network(prod.stack, "network", {}), highAvailability: false });
    expect(decisions(prod.stack, "database/Resource")).toEqual(["single-zone-database"]);
    const err = policyErrorOf(() => synthJson(prod.stack));
    expect(err.report.violations.map((v) => [v.rule.id, v.path, [...v.decisions], v.costOverResilience])).toEqual([
      ["GCP-SQL-HIGH-AVAILABILITY", `${prod.stack.node.path}/database/Resource`, ["single-zone-database"], false],
    ]);

    const stg = gcpStack("staging");
    new stg.kit.PostgresDatabase(stg.stack, "database", { network: new stg.kit.Network(stg.stack, "network", {}), highAvailability: false });
    expect(at(synthJson(stg.stack), "database/Resource").body.settings.availability_type).toBe("ZONAL");
  });
});

describe("gcp database credentials: Secret Manager, write-only attributes, grantConnect", () => {
  /** A bare GCP stack with a network, a database and two compute identities. */
  function withDatabase(props: Partial<ConstructorParameters<typeof GcpPostgresDatabase>[2]> = {}) {
    const { stack, kit } = gcpStack();
    const network = new kit.Network(stack, "network", {});
    const db = new GcpPostgresDatabase(stack, "database", { network, ...props });
    const app = new kit.VirtualMachine(stack, "app", { network });
    const worker = new kit.ComputeIdentity(stack, "worker", { network });
    return { stack, db, app, worker };
  }
  const members = (tf: TfJson, type: string) => ofType(tf, type).map((m) => [rel(m.path), m.body.role, m.body.member]);

  test("without a grant nobody in the stack can read the secret: no secret IAM member and no project-level secret role", () => {
    const { stack, db } = withDatabase();
    // What a stack outputs next to the connection string: the secret's id.
    new TerraformOutput(stack, "database_secret", { value: db.credentialsSecret.secretRef, sensitive: true });
    const tf = synthJson(stack);
    expect(tf.output!.database_secret.value).toBe(refAt(tf, "database/credentials/Resource"));
    expect(ofType(tf, "google_secret_manager_secret_iam_member")).toEqual([]);
    expect(ofType(tf, "google_project_iam_member").filter((m) => /secretmanager|cloudsql/.test(m.body.role))).toEqual([]);
  });

  test("grantConnect: the grantee alone reads the secret, logs in as its own IAM database user, and holds the Cloud SQL roles on this instance only", () => {
    const { stack, db, app } = withDatabase();
    db.grantConnect(app);
    const tf = synthJson(stack);
    expect(GCP_SECRET_READ_ROLE).toBe("roles/secretmanager.secretAccessor");
    expect(members(tf, "google_secret_manager_secret_iam_member")).toEqual([["database/credentials/read-app", GCP_SECRET_READ_ROLE, refAt(tf, "app/identity/Resource", "member")]]);
    expect(at(tf, "database/credentials/read-app").body.secret_id).toBe(refAt(tf, "database/credentials/Resource"));
    expect(plain(at(tf, "database/iam-user-app").body)).toEqual({
      // PostgreSQL: the service account's e-mail without .gserviceaccount.com, which Cloud SQL compares verbatim.
      name: `\${trimsuffix(${at(tf, "app/identity/Resource").address}.email, ".gserviceaccount.com")}`,
      instance: refAt(tf, "database/Resource", "name"),
      type: "CLOUD_IAM_SERVICE_ACCOUNT",
      deletion_policy: "ABANDON",
    });
    expect(at(tf, "database/iam-user-app").body.password_wo).toBeUndefined();
    expect(GCP_DATABASE_CONNECT_ROLES).toEqual(["roles/cloudsql.client", "roles/cloudsql.instanceUser"]);
    const instance = `projects/taskflow-test-123/instances/${refAt(tf, "database/Resource", "name")}`;
    for (const [path, role] of [["database/cloudsql-client-app", "roles/cloudsql.client"], ["database/cloudsql-instanceUser-app", "roles/cloudsql.instanceUser"]]) {
      expect(plain(at(tf, path).body)).toEqual({
        project: "taskflow-test-123",
        role,
        member: refAt(tf, "app/identity/Resource", "member"),
        condition: {
          title: "only database",
          description: `${role} on the Cloud SQL instance of PostgresDatabase 'database' only`,
          expression: `resource.name == '${instance}' && resource.service == 'sqladmin.googleapis.com'`,
        },
      });
    }
    expect(at(tf, "database/Resource").body.settings.database_flags).toContainEqual({ name: "cloudsql.iam_authentication", value: "on" });
  });

  test("grantConnect is recorded once per grantee; a second grantee gets its own user, roles and secret access", () => {
    const { stack, db, app, worker } = withDatabase();
    db.grantConnect(app);
    db.grantConnect(app);
    db.grantConnect(worker);
    const tf = synthJson(stack);
    expect(members(tf, "google_secret_manager_secret_iam_member").map(([p]) => p).sort()).toEqual(["database/credentials/read-app", "database/credentials/read-worker"]);
    expect(ofType(tf, "google_sql_user").map((u) => rel(u.path)).sort()).toEqual(["database/admin-user", "database/iam-user-app", "database/iam-user-worker"]);
    expect(ofType(tf, "google_project_iam_member").filter((m) => m.body.role.startsWith("roles/cloudsql.")).map((m) => rel(m.path)).sort()).toEqual([
      "database/cloudsql-client-app",
      "database/cloudsql-client-worker",
      "database/cloudsql-instanceUser-app",
      "database/cloudsql-instanceUser-worker",
    ]);
  });

  test("grantRead on the credentials secret alone gives secret access and nothing else", () => {
    const { stack, db, worker } = withDatabase();
    db.credentialsSecret.grantRead(worker);
    db.credentialsSecret.grantRead(worker);
    const tf = synthJson(stack);
    expect(members(tf, "google_secret_manager_secret_iam_member")).toEqual([["database/credentials/read-worker", GCP_SECRET_READ_ROLE, refAt(tf, "worker/Resource", "member")]]);
    expect(ofType(tf, "google_sql_user").map((u) => u.body.type)).toEqual(["BUILT_IN"]);
  });

  test("across stacks the grants live in the grantee's stack and reach the platform's resources through its outputs", () => {
    const app = new App({ outdir: testOutdir() });
    setCheckLog(app, () => undefined);
    const config = testConfig({ clouds: ["gcp"] });
    const platform = new CloudStack(app, { cloud: "gcp", environment: "staging", config });
    const network = new platform.kit.Network(platform, "network", {});
    const db = new GcpPostgresDatabase(platform, "database", { network });
    const workerStack = new CloudStack(app, { cloud: "gcp", environment: "staging", config, component: "worker" });
    const worker = new workerStack.kit.VirtualMachine(workerStack, "worker", { network });
    db.grantConnect(worker);
    const ptf = synthJson(platform);
    const wtf = synthJson(workerStack);
    expect(ofType(ptf, "google_secret_manager_secret_iam_member")).toEqual([]);
    expect(ofType(ptf, "google_sql_user").map((u) => u.body.type)).toEqual(["BUILT_IN"]);
    expect(ofType(wtf, "google_secret_manager_secret_iam_member").map((m) => [rel(m.path), m.body.role])).toEqual([["worker/secret-read-on-database-credentials", GCP_SECRET_READ_ROLE]]);
    expect(at(wtf, "worker/secret-read-on-database-credentials").body.secret_id).toMatch(/^\$\{data\.terraform_remote_state\./);
    const user = at(wtf, "worker/db-iam-user-on-database").body;
    expect(user).toMatchObject({ type: "CLOUD_IAM_SERVICE_ACCOUNT", deletion_policy: "ABANDON", instance: expect.stringMatching(/^\$\{data\.terraform_remote_state\./) });
    expect(under(wtf, "worker", "google_project_iam_member").map((m) => m.body.role).sort()).toEqual([...GCP_DATABASE_CONNECT_ROLES, ...GCP_COMPUTE_BASE_ROLES].sort());
  });

  test("credentials from a deployer's variable: the same ephemeral variable feeds the user and the secret version", () => {
    const { stack } = withDatabase({ credentials: DatabaseCredentials.fromPasswordVariable() });
    const tf = synthJson(stack);
    expect(Object.keys(tf.variable!)).toEqual(["database_admin_password"]);
    expect(tf.variable!.database_admin_password).toMatchObject({ sensitive: true, ephemeral: true, nullable: false });
    expect(at(tf, "database/admin-user").body).toMatchObject({ password_wo: "${var.database_admin_password}", password_wo_version: 1 });
    expect(at(tf, "database/credentials/version").body).toMatchObject({ secret_data_wo: "${var.database_admin_password}", secret_data_wo_version: 1 });
    expect(tf.ephemeral ?? {}).toEqual({});
  });

  test("rotation is one step: a new credentials version writes a new password to the user and a new secret version", () => {
    const { stack } = withDatabase({ credentials: DatabaseCredentials.generated(3) });
    const tf = synthJson(stack);
    expect(at(tf, "database/admin-user").body.password_wo_version).toBe(3);
    expect(at(tf, "database/credentials/version").body.secret_data_wo_version).toBe(3);
  });

  test("fails when the credentials version is not a positive whole number", () => {
    const { stack, kit } = gcpStack();
    const network = new kit.Network(stack, "network", {});
    const err = validationErrorOf(() => new GcpPostgresDatabase(stack, "database", { network, credentials: DatabaseCredentials.generated(0) }));
    expect(err.issues).toEqual([{ field: "secret.version", value: 0, accepted: "a whole number from 1 to 2147483647" }]);
  });

  test("fails when a grantee of another cloud is granted connect", () => {
    const { db } = withDatabase();
    const aws = platformStack("aws");
    const awsVm = new aws.kit.VirtualMachine(aws.stack, "app", { network: new aws.kit.Network(aws.stack, "network", {}) });
    const err = validationErrorOf(() => db.grantConnect(awsVm));
    expect(err.issues).toEqual([{ field: "grantee", value: "aws-staging/app (aws)", accepted: "an identity on gcp: resources of different clouds cannot be granted to each other" }]);
  });
});

describe("gcp project-wide audit settings (Data Access audit logs for Cloud Storage and IAP): one writer per project", () => {
  const stacksOf = (overrides: PlatformConfigInput) => appStacks({ cloud: "gcp" }, overrides).map((stack) => ({ stack, tf: synthJson(stack) }));
  /** The test configuration's stacks, built once for the tests that read them. */
  const defaults = stacksOf({});
  const audits = (tf: TfJson, service: string = GCP_STORAGE_AUDIT.service) => ofType(tf, "google_project_iam_audit_config").filter((a) => a.body.service === service);
  const writersOf = (all: { stack: CloudStack; tf: TfJson }[], service: string) => all.filter(({ tf }) => audits(tf, service).length > 0).map(({ stack }) => stack.node.id).sort();

  test("the audit configs the stacks write are storage's and IAP's, nothing else", () => {
    expect(GCP_IAP_AUDIT).toEqual({ service: "iap.googleapis.com", logTypes: ["ADMIN_READ", "DATA_READ"] });
    const services = defaults.flatMap(({ tf }) => ofType(tf, "google_project_iam_audit_config").map((a) => a.body.service));
    expect([...new Set(services)].sort()).toEqual([GCP_IAP_AUDIT.service, GCP_STORAGE_AUDIT.service]);
  });

  test("one project for both environments: only production's platform stack writes them (IAP's for staging's operators); every other bucket records whose setting covers it", () => {
    expect(projectSettingsOwner(testConfig({ clouds: ["gcp"] }), "taskflow-test-123")).toBe("production");
    const all = defaults;
    expect(writersOf(all, GCP_STORAGE_AUDIT.service)).toEqual(["gcp-production"]);
    expect(writersOf(all, GCP_IAP_AUDIT.service)).toEqual(["gcp-production"]);
    const { tf } = all.find(({ stack }) => stack.node.id === "gcp-production")!;
    expect(plain(at(tf, "gcp/storage-data-access-audit").body)).toEqual({
      project: "taskflow-test-123",
      service: "storage.googleapis.com",
      audit_log_config: [{ log_type: "DATA_READ" }, { log_type: "DATA_WRITE" }],
    });
    expect(GCP_STORAGE_AUDIT).toEqual({ service: "storage.googleapis.com", logTypes: ["DATA_READ", "DATA_WRITE"] });
    // The bucket is created after the setting, so no object is ever read unlogged.
    expect(at(tf, "uploads/Resource").body.depends_on).toContain(at(tf, "gcp/storage-data-access-audit").address);
    for (const { stack, tf: other } of all.filter(({ stack }) => stack.node.id !== "gcp-production")) {
      for (const b of ofType(other, "google_storage_bucket")) expect([stack.node.id, decisionsAt(stack, b.path).has("storage-audit-in-owner-stack")]).toEqual([stack.node.id, true]);
    }
  });

  test("one project per environment: each environment's platform stack writes its own storage setting, IAP's only where operators have access; worker stacks never do", () => {
    const all = stacksOf({ gcp: { region: "us-central1", billingAccount: "012345-6789AB-CDEF01" } });
    expect(writersOf(all, GCP_STORAGE_AUDIT.service)).toEqual(["gcp-production", "gcp-staging"]);
    expect(audits(all.find(({ stack }) => stack.node.id === "gcp-staging")!.tf)[0].body.project).toBe("taskflow-staging");
    expect(writersOf(all, GCP_IAP_AUDIT.service)).toEqual(["gcp-staging"]);
    expect(audits(all.find(({ stack }) => stack.node.id === "gcp-staging")!.tf, GCP_IAP_AUDIT.service)[0].body.project).toBe("taskflow-staging");
  });

  test("one project for both environments with operator access in production too: still one IAP writer, so destroying staging never turns it off", () => {
    const all = stacksOf({ environments: { staging: {}, production: { operatorAccess: true } } });
    expect(writersOf(all, GCP_IAP_AUDIT.service)).toEqual(["gcp-production"]);
    const sshRules = (id: string) => ofType(all.find(({ stack }) => stack.node.id === id)!.tf, "google_compute_firewall").filter((f) => allowsPort(f.body, 22)).length;
    expect([sshRules("gcp-staging"), sshRules("gcp-production")]).toEqual([1, 1]);
  });

  test("no GCP stack asks for a password: no variable anywhere", () => {
    for (const { stack, tf } of defaults) expect([stack.node.id, tf.variable]).toEqual([stack.node.id, undefined]);
  });
});

describe("gcp policy rules on what the stacks must never emit", () => {
  const rule = (id: string) => GCP_RULES.filter((r) => r.id === id);
  const iam = (role: string, condition?: object) => ({ resource: { google_project_iam_member: { m: { project: "p", role, member: "serviceAccount:a@p.iam.gserviceaccount.com", ...(condition ? { condition } : {}) } } } });

  test("fails GCP-IAM-GRANTS-SCOPED for a Cloud SQL role without a condition naming one instance, and for a project-level secret role", () => {
    expect(ruleIds(evaluate(iam("roles/cloudsql.client"), { stack: "s" }, rule("GCP-IAM-GRANTS-SCOPED")))).toEqual(["GCP-IAM-GRANTS-SCOPED"]);
    expect(ruleIds(evaluate(iam("roles/cloudsql.instanceUser", { title: "t", expression: "request.time < timestamp('2030-01-01T00:00:00Z')" }), { stack: "s" }, rule("GCP-IAM-GRANTS-SCOPED")))).toEqual(["GCP-IAM-GRANTS-SCOPED"]);
    expect(ruleIds(evaluate(iam("roles/secretmanager.secretAccessor"), { stack: "s" }, rule("GCP-IAM-GRANTS-SCOPED")))).toEqual(["GCP-IAM-GRANTS-SCOPED"]);
    expect(ruleIds(evaluate(iam("roles/cloudsql.client", { title: "t", expression: "resource.name == 'projects/p/instances/i'" }), { stack: "s" }, rule("GCP-IAM-GRANTS-SCOPED")))).toEqual([]);
  });

  test("fails GCP-BUCKET-ACCESS-LOGGED when the stack's audit config covers other services only", () => {
    const tf = {
      resource: {
        google_storage_bucket: { b: { name: "b" } },
        google_project_iam_audit_config: { a: { service: "sqladmin.googleapis.com", audit_log_config: [{ log_type: "DATA_READ" }, { log_type: "DATA_WRITE" }] } },
      },
    };
    expect(ruleIds(evaluate(tf, { stack: "s" }, rule("GCP-BUCKET-ACCESS-LOGGED")))).toEqual(["GCP-BUCKET-ACCESS-LOGGED"]);
    const covered = { resource: { ...tf.resource, google_project_iam_audit_config: { a: { service: "allServices", audit_log_config: [{ log_type: "DATA_WRITE" }, { log_type: "DATA_READ" }] } } } };
    expect(ruleIds(evaluate(covered, { stack: "s" }, rule("GCP-BUCKET-ACCESS-LOGGED")))).toEqual([]);
  });

  test("fails the policy check when a production bucket is left unprotected (GCP-STATEFUL-PREVENT-DESTROY and the recorded decision)", () => {
    const prod = gcpStack("production");
    new prod.kit.ObjectStore(prod.stack, "scratch", { deletionProtection: false });
    const err = policyErrorOf(() => synthJson(prod.stack));
    expect(err.report.violations.map((v) => [v.rule.id, v.path])).toEqual([["GCP-STATEFUL-PREVENT-DESTROY", `${prod.stack.node.path}/scratch/Resource`]]);
  });
});

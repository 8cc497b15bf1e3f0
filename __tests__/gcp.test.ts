/**
 * GCP: targeted assertions on the synthesized Terraform of the one stack,
 * per environment, plus the GCP-specific validation and naming rules.
 */
import { Testing, TerraformStack } from "cdktf";
import { ENVIRONMENTS, Environment, ValidationError } from "../constructs/core";
import { GcpPlatform } from "../constructs/gcp/platform";
import { GCP_NAME_RULES, gcpLabels, isValidGcpName } from "../constructs/gcp/naming";
import { IAP_TCP_FORWARDING_RANGE } from "../constructs/gcp/virtual-machine";
import { GCP_POSTGRES_FLAGS, GcpPostgresDatabase } from "../constructs/gcp/postgres-database";
import { GcpObjectStore } from "../constructs/gcp/object-store";
import { PlatformContext } from "../constructs/platform";
import { IVirtualMachine } from "../constructs/virtual-machine";
import { TfJson, dataOf, onlyResource, resourcesOf, sanitizeForSnapshot, synthStack, ref } from "./helpers";

const tfByEnv: Record<Environment, TfJson> = {
  staging: synthStack("gcp", "staging"),
  production: synthStack("gcp", "production"),
};

const firewalls = (tf: TfJson) => Object.values(resourcesOf(tf, "google_compute_firewall")) as any[];

/** A bare stack with a GCP platform, for construct-level cases the one stack does not exercise. */
function platformFor(overrides: Partial<PlatformContext> = {}): { stack: TerraformStack; platform: GcpPlatform } {
  const stack = new TerraformStack(Testing.app(), "gcp-unit");
  const platform = new GcpPlatform(stack, {
    project: "taskflow",
    environment: "staging",
    region: "us-central1",
    tags: { Project: "taskflow", Environment: "staging", ManagedBy: "cdktf" },
    gcpProjectId: "taskflow-test-123",
    gcpBillingAccount: "012345-6789AB-CDEF01",
    ...overrides,
  });
  return { stack, platform };
}

/** Runs `fn`, expecting a ValidationError, and returns it. */
function validationErrorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error("expected a ValidationError, nothing was thrown");
}

describe.each(ENVIRONMENTS)("gcp %s", (env) => {
  const tf = tfByEnv[env];
  const prod = env === "production";

  describe("provider, APIs and labels", () => {
    test("provider takes project and region from the context", () => {
      const provider = tf.provider!.google[0];
      expect(provider).toMatchObject({ project: "taskflow-test-123", region: "us-central1", user_project_override: true, billing_project: "taskflow-test-123" });
    });

    test("default_labels are project / environment / managed-by, normalized to GCP rules", () => {
      expect(tf.provider!.google[0].default_labels).toEqual({ project: "taskflow", environment: env, "managed-by": "cdktf" });
      const db = onlyResource(tf, "google_sql_database_instance");
      expect(db.settings.user_labels).toEqual({ project: "taskflow", environment: env, "managed-by": "cdktf" });
    });

    test("enables every API the stack uses, never disabling them on destroy", () => {
      const services = Object.values(resourcesOf(tf, "google_project_service")) as any[];
      expect(services.map((s) => s.service).sort()).toEqual(
        [
          "billingbudgets.googleapis.com",
          "cloudresourcemanager.googleapis.com",
          "compute.googleapis.com",
          "iam.googleapis.com",
          "logging.googleapis.com",
          "monitoring.googleapis.com",
          "servicenetworking.googleapis.com",
          "sqladmin.googleapis.com",
          "storage.googleapis.com",
        ].sort(),
      );
      expect(services.every((s) => s.disable_on_destroy === false)).toBe(true);
    });

    test("resources depend on the API they need", () => {
      const api = (name: string) => ref(tf, "google_project_service", (s) => s.service === `${name}.googleapis.com`).replace(/^\$\{|\.id\}$/g, "");
      expect(onlyResource(tf, "google_compute_network").depends_on).toContain(api("compute"));
      expect(onlyResource(tf, "google_compute_instance").depends_on).toContain(api("compute"));
      expect(onlyResource(tf, "google_service_account").depends_on).toContain(api("iam"));
      expect(onlyResource(tf, "google_sql_database_instance").depends_on).toContain(api("sqladmin"));
      expect(onlyResource(tf, "google_service_networking_connection").depends_on).toContain(api("servicenetworking"));
      expect(onlyResource(tf, "google_storage_bucket").depends_on).toContain(api("storage"));
      expect(onlyResource(tf, "google_billing_budget").depends_on).toContain(api("billingbudgets"));
      expect(onlyResource(tf, "google_monitoring_notification_channel").depends_on).toContain(api("monitoring"));
    });
  });

  describe("network", () => {
    test("custom-mode VPC", () => {
      expect(onlyResource(tf, "google_compute_network")).toMatchObject({ name: `taskflow-${env}-network`, auto_create_subnetworks: false, routing_mode: "REGIONAL" });
    });

    test("application and data subnetworks from the shared plan, with Private Google Access and flow logs", () => {
      const subnets = Object.values(resourcesOf(tf, "google_compute_subnetwork")) as any[];
      expect(subnets.map((s) => [s.name, s.ip_cidr_range]).sort()).toEqual([
        [`taskflow-${env}-network-application`, "10.0.10.0/24"],
        [`taskflow-${env}-network-data`, "10.0.20.0/24"],
      ]);
      for (const s of subnets) {
        expect(s).toMatchObject({ region: "us-central1", private_ip_google_access: true, network: ref(tf, "google_compute_network") });
        expect(s.log_config).toMatchObject({ aggregation_interval: "INTERVAL_5_SEC", flow_sampling: 1, metadata: "INCLUDE_ALL_METADATA" });
      }
    });

    test("Cloud Router + Cloud NAT with logging, for the application subnetwork only", () => {
      const router = onlyResource(tf, "google_compute_router");
      expect(router).toMatchObject({ network: ref(tf, "google_compute_network"), region: "us-central1" });
      const nat = onlyResource(tf, "google_compute_router_nat");
      expect(nat).toMatchObject({
        router: ref(tf, "google_compute_router", () => true, "name"),
        nat_ip_allocate_option: "AUTO_ONLY",
        source_subnetwork_ip_ranges_to_nat: "LIST_OF_SUBNETWORKS",
        log_config: { enable: true, filter: "ALL" },
      });
      expect(nat.subnetwork).toEqual([{ name: ref(tf, "google_compute_subnetwork", (s) => s.name.endsWith("-application")), source_ip_ranges_to_nat: ["ALL_IP_RANGES"] }]);
    });

    test("flow logs are kept for the contract's 365 days in a dedicated log bucket", () => {
      expect(onlyResource(tf, "google_logging_project_bucket_config")).toMatchObject({ retention_days: 365, location: "us-central1", project: "taskflow-test-123" });
      const sink = onlyResource(tf, "google_logging_project_sink");
      expect(sink.destination).toBe(`logging.googleapis.com/${ref(tf, "google_logging_project_bucket_config")}`);
      expect(sink.filter).toContain('log_id("compute.googleapis.com/vpc_flows")');
      expect(sink.filter).toContain('log_id("compute.googleapis.com/nat_flows")');
    });

    test("private services access: a VPC_PEERING range inside the network and a service networking connection", () => {
      const range = onlyResource(tf, "google_compute_global_address");
      expect(range).toMatchObject({ purpose: "VPC_PEERING", address_type: "INTERNAL", address: "10.0.240.0", prefix_length: 20, network: ref(tf, "google_compute_network") });
      expect(onlyResource(tf, "google_service_networking_connection")).toMatchObject({
        network: ref(tf, "google_compute_network"),
        service: "servicenetworking.googleapis.com",
        reserved_peering_ranges: [ref(tf, "google_compute_global_address", () => true, "name")],
      });
    });

    test("firewall: no rule opens anything to the world; a logged deny-all ingress closes the rest", () => {
      const allowsFromWorld = firewalls(tf).filter((f) => f.allow && (f.source_ranges ?? []).includes("0.0.0.0/0"));
      expect(allowsFromWorld).toEqual([]);
      const denyAll = firewalls(tf).find((f) => f.name === `taskflow-${env}-network-deny-all-ingress`);
      expect(denyAll).toMatchObject({ direction: "INGRESS", priority: 65534, deny: [{ protocol: "all" }], source_ranges: ["0.0.0.0/0"] });
      expect(firewalls(tf).some((f) => f.allow?.some((a: any) => a.ports?.includes("22")))).toBe(false);
    });
  });

  describe("virtual machine", () => {
    const vm = () => onlyResource(tf, "google_compute_instance");

    test("dedicated service account with the cloud-platform scope, never the default compute account", () => {
      expect(onlyResource(tf, "google_service_account").account_id).toBe(`taskflow-${env}-app`);
      expect(vm().service_account).toEqual({ email: ref(tf, "google_service_account", () => true, "email"), scopes: ["cloud-platform"] });
      expect(JSON.stringify(tf)).not.toContain("-compute@developer.gserviceaccount.com");
    });

    test("the service account holds only log and metric writer at project level", () => {
      const roles = (Object.values(resourcesOf(tf, "google_project_iam_member")) as any[]).map((m) => m.role).sort();
      expect(roles).toEqual(["roles/logging.logWriter", "roles/monitoring.metricWriter"]);
    });

    test("Shielded VM and OS Login metadata", () => {
      expect(vm().shielded_instance_config).toEqual({ enable_secure_boot: true, enable_vtpm: true, enable_integrity_monitoring: true });
      expect(vm().metadata).toEqual({ "enable-oslogin": "TRUE", "block-project-ssh-keys": "TRUE", "serial-port-enable": "FALSE" });
    });

    test("no external IP, in the application subnetwork", () => {
      expect(vm().network_interface).toEqual([{ subnetwork: ref(tf, "google_compute_subnetwork", (s) => s.name.endsWith("-application")) }]);
    });

    test(`machine type from the size table (${prod ? "e2-medium" : "e2-small"})`, () => {
      expect(vm().machine_type).toBe(prod ? "e2-medium" : "e2-small");
    });

    test("boot disk from an image family, 20 GB", () => {
      expect(vm().boot_disk.initialize_params).toMatchObject({ image: expect.stringMatching(/^projects\/[a-z-]+\/global\/images\/family\/[a-z0-9-]+$/), size: 20, type: "pd-balanced" });
    });

    test("zone from the zones data source, never a hard-coded letter", () => {
      const zonesName = Object.keys(dataOf(tf, "google_compute_zones"))[0];
      expect(dataOf(tf, "google_compute_zones")[zonesName]).toMatchObject({ region: "us-central1", status: "UP" });
      expect(vm().zone).toBe(`\${element(data.google_compute_zones.${zonesName}.names, 0)}`);
      expect(JSON.stringify(tf)).not.toMatch(/"us-central1-[a-f]"/);
    });

    test("application port open from the public tier only, targeted by service account", () => {
      const rule = firewalls(tf).find((f) => f.name === `taskflow-${env}-app-allow-8080`);
      expect(rule).toMatchObject({
        direction: "INGRESS",
        allow: [{ protocol: "tcp", ports: ["8080"] }],
        source_ranges: ["10.0.1.0/24", "10.0.2.0/24"],
        target_service_accounts: [ref(tf, "google_service_account", () => true, "email")],
        description: expect.stringContaining("load-balancer"),
      });
    });
  });

  describe("object store", () => {
    const bucket = () => onlyResource(tf, "google_storage_bucket");

    test("deterministic name <project>-<env>-<baseName>-<hash> that fits the GCS rules", () => {
      expect(bucket().name).toMatch(new RegExp(`^taskflow-${env}-uploads-[a-z0-9]{6}$`));
      expect(isValidGcpName("bucket", bucket().name)).toBe(true);
      expect(tf.output!.bucket_name.value).toBe(ref(tf, "google_storage_bucket", () => true, "name"));
    });

    test("uniform access, public access prevention, versioning, regional, not force-destroyed", () => {
      expect(bucket()).toMatchObject({
        uniform_bucket_level_access: true,
        public_access_prevention: "enforced",
        versioning: { enabled: true },
        location: "US-CENTRAL1",
        force_destroy: false,
      });
    });

    test("lifecycle: abort incomplete uploads after 7 days, delete noncurrent versions after 90", () => {
      expect(bucket().lifecycle_rule).toEqual([
        { action: { type: "AbortIncompleteMultipartUpload" }, condition: { age: 7 } },
        { action: { type: "Delete" }, condition: { days_since_noncurrent_time: 90, with_state: "ARCHIVED" } },
      ]);
    });

    test("read/write for the VM's service account on this bucket only, no project-level storage role", () => {
      expect(onlyResource(tf, "google_storage_bucket_iam_member")).toEqual({
        bucket: ref(tf, "google_storage_bucket", () => true, "name"),
        role: "roles/storage.objectUser",
        member: ref(tf, "google_service_account", () => true, "member"),
      });
      const projectRoles = (Object.values(resourcesOf(tf, "google_project_iam_member")) as any[]).map((m) => m.role);
      expect(projectRoles.filter((r) => r.startsWith("roles/storage"))).toEqual([]);
    });
  });

  describe("postgres", () => {
    const db = () => onlyResource(tf, "google_sql_database_instance");

    test("PostgreSQL 16, Enterprise edition, tier from the size table", () => {
      expect(db().database_version).toBe("POSTGRES_16");
      expect(db().settings).toMatchObject({ edition: "ENTERPRISE", tier: prod ? "db-custom-2-7680" : "db-custom-1-3840" });
    });

    test("private IP only, TLS required, in the private services range", () => {
      expect(db().settings.ip_configuration).toEqual({
        ipv4_enabled: false,
        private_network: ref(tf, "google_compute_network"),
        allocated_ip_range: onlyResource(tf, "google_compute_global_address").name,
        ssl_mode: "ENCRYPTED_ONLY",
      });
      expect(db().depends_on).toContain(ref(tf, "google_service_networking_connection").replace(/^\$\{|\.id\}$/g, ""));
    });

    test(`availability ${prod ? "REGIONAL" : "ZONAL"} and deletion protection ${prod ? "on" : "off"} (Terraform and API)`, () => {
      expect(db().settings.availability_type).toBe(prod ? "REGIONAL" : "ZONAL");
      expect(db().deletion_protection).toBe(prod);
      expect(db().settings.deletion_protection_enabled).toBe(prod);
      expect(db().settings.retain_backups_on_delete).toBe(prod);
    });

    test(`backups with point-in-time recovery, ${prod ? 14 : 7} retained`, () => {
      expect(db().settings.backup_configuration).toEqual({
        enabled: true,
        point_in_time_recovery_enabled: true,
        start_time: "03:00",
        transaction_log_retention_days: 7,
        backup_retention_settings: { retained_backups: prod ? 14 : 7, retention_unit: "COUNT" },
      });
    });

    test("maintenance window Monday 04:00 UTC (Cloud SQL counts Monday as 1)", () => {
      expect(db().settings.maintenance_window).toEqual({ day: 1, hour: 4, update_track: "stable" });
    });

    test("disk autoresize up to maxStorageGb", () => {
      expect(db().settings).toMatchObject({ disk_size: 20, disk_autoresize: true, disk_autoresize_limit: 100, disk_type: "PD_SSD" });
    });

    test("logging flags", () => {
      expect(db().settings.database_flags).toEqual([
        { name: "log_checkpoints", value: "on" },
        { name: "log_connections", value: "on" },
        { name: "log_disconnections", value: "on" },
        { name: "log_lock_waits", value: "on" },
        { name: "log_temp_files", value: "0" },
      ]);
      expect(Object.keys(GCP_POSTGRES_FLAGS)).toHaveLength(5);
    });

    test("database and admin user; the password comes from an ephemeral sensitive variable into a write-only attribute", () => {
      expect(onlyResource(tf, "google_sql_database")).toEqual({ name: "taskflow", instance: ref(tf, "google_sql_database_instance", () => true, "name") });
      const user = onlyResource(tf, "google_sql_user");
      expect(user).toMatchObject({ name: "app_admin", type: "BUILT_IN", password_wo: "${var.db_admin_password}", password_wo_version: 1 });
      expect(user.password).toBeUndefined();
      const variable = tf.variable!.db_admin_password;
      expect(variable).toMatchObject({ type: "string", sensitive: true, nullable: false, ephemeral: true });
      expect(Object.keys(variable)).not.toContain("default");
    });

    test("endpoint and connection string use the private IP and carry no password", () => {
      const ip = ref(tf, "google_sql_database_instance", () => true, "private_ip_address");
      expect(tf.output!.database_endpoint.value).toBe(`${ip}:5432`);
      expect(tf.output!.database_connection_string).toMatchObject({ value: `postgresql://app_admin@${ip}:5432/taskflow?sslmode=require`, sensitive: true });
    });

    test("5432 to the private services range: allowed for the VM's service account, denied for everything else", () => {
      const allow = firewalls(tf).find((f) => f.direction === "EGRESS" && f.allow);
      const deny = firewalls(tf).find((f) => f.direction === "EGRESS" && f.deny);
      expect(allow).toMatchObject({
        priority: 1000,
        destination_ranges: ["10.0.240.0/20"],
        target_service_accounts: [ref(tf, "google_service_account", () => true, "email")],
        allow: [{ protocol: "tcp", ports: ["5432"] }],
      });
      expect(deny).toMatchObject({ priority: 65000, destination_ranges: ["10.0.240.0/20"], deny: [{ protocol: "tcp", ports: ["5432"] }] });
      expect(deny.target_service_accounts).toBeUndefined();
      expect(allow.priority).toBeLessThan(deny.priority);
    });
  });

  describe("budget", () => {
    test(`monthly ${prod ? 2000 : 200} USD on the billing account, scoped to the project`, () => {
      const budget = onlyResource(tf, "google_billing_budget");
      expect(budget).toMatchObject({
        billing_account: "012345-6789AB-CDEF01",
        amount: { specified_amount: { currency_code: "USD", units: prod ? "2000" : "200", nanos: 0 } },
        budget_filter: { calendar_period: "MONTH" },
      });
      const projectData = Object.keys(dataOf(tf, "google_project"))[0];
      expect(dataOf(tf, "google_project")[projectData].project_id).toBe("taskflow-test-123");
      expect(budget.budget_filter.projects).toEqual([`projects/\${data.google_project.${projectData}.number}`]);
    });

    test("thresholds: 80 % of current spend and 100 % of forecast", () => {
      expect(onlyResource(tf, "google_billing_budget").threshold_rules).toEqual([
        { threshold_percent: 0.8, spend_basis: "CURRENT_SPEND" },
        { threshold_percent: 1, spend_basis: "FORECASTED_SPEND" },
      ]);
    });

    test("one e-mail notification channel per recipient, referenced by the budget", () => {
      const channel = onlyResource(tf, "google_monitoring_notification_channel");
      expect(channel).toMatchObject({ type: "email", labels: { email_address: "platform-team@example.com" } });
      expect(onlyResource(tf, "google_billing_budget").all_updates_rule.monitoring_notification_channels).toEqual([ref(tf, "google_monitoring_notification_channel")]);
    });
  });

  test("every generated resource name satisfies the GCP resource naming rule", () => {
    const types = ["google_compute_network", "google_compute_subnetwork", "google_compute_router", "google_compute_router_nat", "google_compute_firewall", "google_compute_global_address", "google_compute_instance", "google_sql_database_instance"];
    for (const type of types) {
      for (const r of Object.values(resourcesOf(tf, type)) as any[]) {
        expect([type, r.name, isValidGcpName("resource", r.name)]).toEqual([type, r.name, true]);
      }
    }
    expect(isValidGcpName("serviceAccountId", onlyResource(tf, "google_service_account").account_id)).toBe(true);
  });

  test("the outputs are meaningful references", () => {
    expect(tf.output!.network_id.value).toBe(ref(tf, "google_compute_network"));
    expect(tf.output!.vm_id.value).toBe(ref(tf, "google_compute_instance", () => true, "instance_id"));
    expect(tf.output!.vm_private_ip.value).toBe(`\${google_compute_instance.${Object.keys(resourcesOf(tf, "google_compute_instance"))[0]}.network_interface[0].network_ip}`);
  });

  test("snapshot", () => {
    expect(sanitizeForSnapshot(tf)).toMatchSnapshot();
  });
});

describe("gcp staging vs production", () => {
  test("production only: REGIONAL database with deletion protection; staging is ZONAL and deletable", () => {
    const s = onlyResource(tfByEnv.staging, "google_sql_database_instance");
    const p = onlyResource(tfByEnv.production, "google_sql_database_instance");
    expect([s.settings.availability_type, s.deletion_protection, s.settings.deletion_protection_enabled]).toEqual(["ZONAL", false, false]);
    expect([p.settings.availability_type, p.deletion_protection, p.settings.deletion_protection_enabled]).toEqual(["REGIONAL", true, true]);
  });

  test("bucket names differ per environment", () => {
    expect(onlyResource(tfByEnv.staging, "google_storage_bucket").name).not.toBe(onlyResource(tfByEnv.production, "google_storage_bucket").name);
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

  test("fails when a tag key cannot become a label key", () => {
    const err = validationErrorOf(() => gcpLabels({ "123": "x" }));
    expect(err.issues[0]).toMatchObject({ field: "tags.123", value: "123" });
    expect(err.message).toContain("tags.123: '123' is not valid; accepted: a key that normalizes to a GCP label key");
  });

  test("fails when the bucket base name contains 'google', naming field, value and accepted form", () => {
    const { stack, platform } = platformFor();
    const err = validationErrorOf(() => platform.createObjectStore(stack, "uploads", { baseName: "google-files" }));
    expect(err.issues).toEqual([{ field: "objectStore.baseName", value: "google-files", accepted: expect.stringContaining("without 'google'") }]);
    expect(err.message).toContain("objectStore.baseName: 'google-files' is not valid; accepted:");
  });

  test("fails when the project makes the bucket name start with 'goog'", () => {
    const { stack, platform } = platformFor({ project: "googly" });
    const err = validationErrorOf(() => platform.createObjectStore(stack, "uploads", {}));
    expect(err.issues[0]).toMatchObject({ field: "project", accepted: GCP_NAME_RULES.bucket.accepted });
    expect(String(err.issues[0].value)).toMatch(/^googly-staging-uploads-/);
  });

  test("fails when a construct id cannot be part of a GCP name", () => {
    const { stack, platform } = platformFor();
    const network = platform.createNetwork(stack, "network", {});
    const err = validationErrorOf(() => platform.createVirtualMachine(stack, "App_Server", { network }));
    expect(err.issues[0]).toMatchObject({ field: "virtualMachine id", value: "App_Server", accepted: expect.stringContaining("lowercase letters, digits and hyphens") });
    expect(err.message).toContain("virtualMachine id: 'App_Server' is not valid");
  });

  test("long names are shortened deterministically with a hash and stay within the limits", () => {
    const { stack, platform } = platformFor({ project: "longprojectname", environment: "production" });
    const network = platform.createNetwork(stack, "network", {});
    const id = "an-application-server-with-a-very-long-descriptive-name";
    platform.createVirtualMachine(stack, id, { network });
    const tf = JSON.parse(Testing.synth(stack)) as TfJson;
    const sa = onlyResource(tf, "google_service_account").account_id;
    const vm = onlyResource(tf, "google_compute_instance").name;
    expect(sa.length).toBeLessThanOrEqual(30);
    expect(isValidGcpName("serviceAccountId", sa)).toBe(true);
    expect(sa).toMatch(/^longprojectname-[a-z0-9-]*[a-z0-9]-[a-z0-9]{6}$/);
    expect(sa).not.toBe(platform.name("other", "serviceAccountId", { field: "id", value: `${id}-2` }));
    expect(vm.length).toBeLessThanOrEqual(63);
    expect(isValidGcpName("resource", vm)).toBe(true);
    expect(sa).toBe(platform.name("again", "serviceAccountId", { field: "id", value: id }));
  });

  test("fails when the GCP project id is missing", () => {
    const err = validationErrorOf(() => platformFor({ gcpProjectId: undefined }));
    expect(err.issues[0]).toMatchObject({ field: "gcp.projectId", value: undefined });
  });
});

describe("gcp grants", () => {
  test("grants are recorded once per VM and add one rule / binding each", () => {
    const { stack, platform } = platformFor();
    const network = platform.createNetwork(stack, "network", {});
    const vm = platform.createVirtualMachine(stack, "app", { network });
    const store = platform.createObjectStore(stack, "uploads", {}) as GcpObjectStore;
    const db = platform.createPostgresDatabase(stack, "database", { network }) as GcpPostgresDatabase;
    store.grantReadWrite(vm);
    store.grantReadWrite(vm);
    db.allowConnectionsFrom(vm);
    db.allowConnectionsFrom(vm);
    expect(store.grantedTo).toEqual(["app"]);
    expect(db.allowedVms).toEqual(["app"]);
    const tf = JSON.parse(Testing.synth(stack)) as TfJson;
    expect(Object.keys(resourcesOf(tf, "google_storage_bucket_iam_member"))).toHaveLength(1);
    expect(firewalls(tf).filter((f) => f.direction === "EGRESS" && f.allow)).toHaveLength(1);
  });

  test("without a grant, the database firewall only denies", () => {
    const { stack, platform } = platformFor();
    const network = platform.createNetwork(stack, "network", {});
    platform.createPostgresDatabase(stack, "database", { network, version: "17" });
    const tf = JSON.parse(Testing.synth(stack)) as TfJson;
    expect(firewalls(tf).filter((f) => f.direction === "EGRESS").map((f) => (f.allow ? "allow" : "deny"))).toEqual(["deny"]);
    expect(onlyResource(tf, "google_sql_database_instance").database_version).toBe("POSTGRES_17");
  });
});

describe("gcp features that are refused instead of dropped", () => {
  test("fails when flow log retention exceeds what Cloud Logging keeps", () => {
    const { stack, platform } = platformFor();
    expect(() => platform.createNetwork(stack, "network", { flowLogRetentionDays: 3653 })).toThrow(
      "network.flowLogRetentionDays 3653 is not supported on gcp; accepted: at most 3650 days",
    );
  });

  test("fails when an SSH public key is given (OS Login is used instead)", () => {
    const { stack, platform } = platformFor();
    const network = platform.createNetwork(stack, "network", {});
    const err = validationErrorOf(() =>
      platform.createVirtualMachine(stack, "app", { network, sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample user@host" }),
    );
    expect(err.issues[0]).toMatchObject({ field: "virtualMachine.sshPublicKey", accepted: expect.stringContaining("not supported on gcp") });
  });

  test("fails when SSH is opened to anything but the IAP range", () => {
    const { stack, platform } = platformFor();
    const network = platform.createNetwork(stack, "network", {});
    const err = validationErrorOf(() =>
      platform.createVirtualMachine(stack, "app", { network, ingress: [{ port: 22, sources: ["10.0.0.0/8"], description: "admin ssh" }] }),
    );
    expect(err.issues[0]).toMatchObject({ field: "virtualMachine.ingress[0].sources[0]", value: "10.0.0.0/8", accepted: expect.stringContaining(IAP_TCP_FORWARDING_RANGE) });
  });

  test("SSH from the IAP range and an opted-in public IP are honoured", () => {
    const { stack, platform } = platformFor();
    const network = platform.createNetwork(stack, "network", {});
    platform.createVirtualMachine(stack, "bastion", { network, publicIp: true, ingress: [{ port: 22, sources: [IAP_TCP_FORWARDING_RANGE], description: "SSH through IAP" }] });
    const tf = JSON.parse(Testing.synth(stack)) as TfJson;
    expect(onlyResource(tf, "google_compute_instance").network_interface[0].access_config).toEqual([{ network_tier: "PREMIUM" }]);
    const ssh = firewalls(tf).find((f) => f.allow?.[0].ports?.includes("22"));
    expect(ssh).toMatchObject({ source_ranges: [IAP_TCP_FORWARDING_RANGE], target_service_accounts: [expect.stringContaining("google_service_account.")] });
  });

  test("fails when a resource of another cloud is granted", () => {
    const { stack, platform } = platformFor();
    const store = platform.createObjectStore(stack, "uploads", {});
    const foreign: IVirtualMachine = { cloud: "aws", name: "app", instanceId: "i-123", privateIp: "10.0.10.5" };
    expect(() => store.grantReadWrite(foreign)).toThrow("a aws resource cannot be used by a gcp resource");
  });
});

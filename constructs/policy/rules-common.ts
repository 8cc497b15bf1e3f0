/**
 * Rules that hold on every cloud: tags/labels, no literal secrets, sensitive
 * outputs and variables, encrypted remote state.
 */
import { Finding, PolicyContext, PolicyRule, TfItem, TfView, block, isExpression } from "./engine";

/** Tag keys every taggable resource carries (Environment only on stacks that have one). */
export function requiredTags(ctx: PolicyContext): string[] {
  return ["Project", "ManagedBy", ...(ctx.environment ? ["Environment"] : [])];
}

/** GCP label form of a tag key (ManagedBy -> managed-by), as constructs/gcp/naming.ts normalizes it. */
const gcpLabel = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();

/** azurerm resource types that take `tags` (the ones this project can emit, plus common neighbours). */
export const AZURE_TAGGABLE = new Set([
  "azurerm_resource_group",
  "azurerm_virtual_network",
  "azurerm_network_security_group",
  "azurerm_public_ip",
  "azurerm_nat_gateway",
  "azurerm_network_interface",
  "azurerm_linux_virtual_machine",
  "azurerm_windows_virtual_machine",
  "azurerm_managed_disk",
  "azurerm_storage_account",
  "azurerm_private_dns_zone",
  "azurerm_private_dns_zone_virtual_network_link",
  "azurerm_postgresql_flexible_server",
  "azurerm_network_watcher",
  "azurerm_network_watcher_flow_log",
  "azurerm_log_analytics_workspace",
  "azurerm_user_assigned_identity",
  "azurerm_key_vault",
]);

/** Google resources with user labels that the provider's default_labels do not reach. */
const GCP_USER_LABELS: Readonly<Record<string, (body: Record<string, any>) => unknown>> = {
  google_sql_database_instance: (b) => block(b.settings)?.user_labels,
  google_monitoring_notification_channel: (b) => b.user_labels,
};

const missingKeys = (tags: unknown, keys: string[]): string[] =>
  tags && typeof tags === "object" && !isExpression(tags) ? keys.filter((k) => !(k in (tags as object))) : isExpression(tags) ? [] : keys;

/** Attribute names that hold secrets. */
const SECRET_NAME = /(^|_)(password|passwd|secret|token|api_key|access_key|secret_key|private_key|client_secret|connection_string|sas)(_|$)/i;
/** Attribute names that look secret but hold settings, ids or public material. */
const NOT_SECRET = /(_enabled$|^manage_|_kms_key|_key_id$|_arn$|_length$|_version$|^disable_password_authentication$|_auth_enabled$|^password_auth|_wo_version$|_secret_name$|_secret_arn$|^secret_id$|token_ttl|_type$)/i;

/** Walks every attribute of a body (skipping cdktf metadata), calling `visit` with dotted paths. */
function walk(body: unknown, visit: (path: string, key: string, value: unknown) => void, prefix = ""): void {
  if (Array.isArray(body)) {
    body.forEach((v, i) => walk(v, visit, `${prefix}[${i}]`));
    return;
  }
  if (!body || typeof body !== "object") return;
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (k === "//" || k === "lifecycle" || k === "depends_on") continue;
    const path = prefix ? `${prefix}.${k}` : k;
    visit(path, k, v);
    walk(v, visit, path);
  }
}

function literalSecrets(item: TfItem): Finding[] {
  const out: Finding[] = [];
  walk(item.body, (path, key, value) => {
    if (!SECRET_NAME.test(key) || NOT_SECRET.test(key)) return;
    if (typeof value === "string" && value.length > 0 && !isExpression(value)) out.push({ item, message: `${path} is a literal value` });
  });
  return out;
}

/** Outputs whose name says they carry credentials or connection details. */
const SENSITIVE_OUTPUT = /(password|secret|token|credential|connection_string|private_key|access_key|api_key|sas)/i;

export const COMMON_RULES: readonly PolicyRule[] = [
  {
    id: "COMMON-TAGS",
    cloud: "common",
    category: "tagging",
    title: "Every taggable resource carries the Project, Environment and ManagedBy tags (GCP labels: project, environment, managed-by)",
    controls: ["project rule (tagging policy; checkov/yor tag checks)"],
    fix: "tag through the platform: AWS provider defaultTags, GCP provider default_labels plus userLabels, Azure tags on each resource (AzureTagsAspect)",
    check: (tf, ctx) => {
      const keys = requiredTags(ctx);
      const out: Finding[] = [];
      for (const p of tf.providers("aws")) {
        const tags = block(p.body.default_tags)?.tags;
        const missing = missingKeys(tags, keys);
        if (missing.length > 0) out.push({ item: p, message: `default_tags lack ${missing.join(", ")}` });
      }
      const labels = keys.map(gcpLabel);
      for (const p of tf.providers("google")) {
        const missing = missingKeys(p.body.default_labels, labels);
        if (missing.length > 0) out.push({ item: p, message: `default_labels lack ${missing.join(", ")}` });
      }
      for (const [type, get] of Object.entries(GCP_USER_LABELS)) {
        for (const r of tf.resources(type)) {
          const missing = missingKeys(get(r.body), labels);
          if (missing.length > 0) out.push({ item: r, message: `user labels lack ${missing.join(", ")}` });
        }
      }
      for (const r of tf.resourcesWithPrefix("azurerm_")) {
        if (!AZURE_TAGGABLE.has(r.type)) continue;
        const missing = missingKeys(r.body.tags, keys);
        if (missing.length > 0) out.push({ item: r, message: `tags lack ${missing.join(", ")}` });
      }
      return out;
    },
  },
  {
    id: "COMMON-NO-LITERAL-SECRETS",
    cloud: "common",
    category: "secrets",
    title: "No password, key or token is a literal in the Terraform JSON (resources, providers, variable defaults)",
    controls: ["CKV_SECRET_* (secrets scanning)", "CKV_AWS_41", "AVD-AWS-0029", "Trivy secret scanning"],
    fix: "let the cloud generate the secret (manageMasterUserPassword) or read it from a sensitive Terraform variable without default",
    check: (tf: TfView) => {
      const out: Finding[] = [];
      const items = [
        ...Object.keys(tf.json.resource ?? {}).flatMap((t) => tf.resources(t)),
        ...Object.keys(tf.json.provider ?? {}).flatMap((p) => tf.providers(p)),
      ];
      for (const item of items) out.push(...literalSecrets(item));
      for (const v of tf.variables()) {
        if (SECRET_NAME.test(v.name) && v.body.default !== undefined && v.body.default !== null) out.push({ item: v, message: "a secret variable has a default value" });
      }
      return out;
    },
  },
  {
    id: "COMMON-SENSITIVE-VALUES",
    cloud: "common",
    category: "secrets",
    title: "Secret variables and outputs that carry credentials or connection strings are marked sensitive",
    controls: ["project rule (Terraform sensitive values)"],
    fix: "set sensitive: true on the TerraformVariable / TerraformOutput",
    check: (tf) => {
      const out: Finding[] = [];
      const sensitiveVars = new Set(tf.variables().filter((v) => v.body.sensitive === true).map((v) => v.name));
      for (const v of tf.variables()) {
        if (SECRET_NAME.test(v.name) && !/public_key/.test(v.name) && v.body.sensitive !== true) out.push({ item: v, message: "secret variable is not sensitive" });
      }
      for (const o of tf.outputs()) {
        if (o.body.sensitive === true) continue;
        const usesSecretVar = [...sensitiveVars].some((name) => String(o.body.value ?? "").includes(`var.${name}`));
        if (SENSITIVE_OUTPUT.test(o.name) || usesSecretVar) out.push({ item: o, message: "output is not marked sensitive" });
      }
      return out;
    },
  },
  {
    id: "COMMON-STATE-ENCRYPTED",
    cloud: "common",
    category: "encryption-at-rest",
    title: "Remote state is encrypted and locked",
    controls: ["project rule (state holds secrets; CIS Terraform state guidance)"],
    fix: "keep encrypt: true and a lock (dynamodbTable or use_lockfile) on the S3Backend (constructs/backend.ts)",
    check: (tf) => {
      const s3 = tf.json.terraform?.backend?.s3;
      if (!s3) return [];
      const item: TfItem = { kind: "terraform", type: "backend", name: "s3", address: "terraform.backend.s3", path: "terraform.backend.s3", body: s3 };
      const problems = [s3.encrypt === true ? undefined : "encrypt is not true", s3.dynamodb_table || s3.use_lockfile === true ? undefined : "no state lock"].filter(
        (x): x is string => x !== undefined,
      );
      return problems.map((message) => ({ item, message }));
    },
  },
];

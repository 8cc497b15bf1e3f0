/**
 * Azure policy rules of issues 10 and 12: the details each rule must get
 * right beyond its one good and one bad fixture (policy-rules.test.ts).
 */
import { ALL_RULES, TfJson, evaluate, ruleIds } from "../constructs/policy";
import { ref, tf } from "./policy-fixtures-aws-serve";

type Body = Record<string, any>;
const only = (id: string) => [ALL_RULES.find((r) => r.id === id)!];
const ids = (json: TfJson, id: string, environment = "staging") => ruleIds(evaluate(json, { stack: "s", environment }, only(id)));

describe("AZ-STORAGE-BLOB-ACCESS-LOGS", () => {
  const withSetting = (setting: Body, workspace: Body = { retention_in_days: 365 }) =>
    tf(
      ["azurerm_storage_account", "sa", {}],
      ["azurerm_log_analytics_workspace", "ws", workspace],
      ["azurerm_monitor_diagnostic_setting", "d", { target_resource_id: `${ref("azurerm_storage_account.sa")}/blobServices/default`, log_analytics_workspace_id: ref("azurerm_log_analytics_workspace.ws"), ...setting }],
    );

  test("a category group that covers reads (audit, allLogs) counts", () => {
    expect(ids(withSetting({ enabled_log: [{ category_group: "audit" }] }), "AZ-STORAGE-BLOB-ACCESS-LOGS")).toEqual([]);
  });

  test("fails when the workspace keeps the logs less than 90 days", () => {
    expect(ids(withSetting({ enabled_log: [{ category: "StorageRead" }] }, { retention_in_days: 30 }), "AZ-STORAGE-BLOB-ACCESS-LOGS")).toEqual(["AZ-STORAGE-BLOB-ACCESS-LOGS"]);
  });

  test("fails when the setting targets the account instead of its blob service (the account has metrics only)", () => {
    const json = tf(
      ["azurerm_storage_account", "sa", {}],
      ["azurerm_log_analytics_workspace", "ws", { retention_in_days: 365 }],
      ["azurerm_monitor_diagnostic_setting", "d", { target_resource_id: ref("azurerm_storage_account.sa"), log_analytics_workspace_id: ref("azurerm_log_analytics_workspace.ws"), enabled_log: [{ category: "StorageRead" }] }],
    );
    expect(ids(json, "AZ-STORAGE-BLOB-ACCESS-LOGS")).toEqual(["AZ-STORAGE-BLOB-ACCESS-LOGS"]);
  });
});

describe("AZ-ROLE-SCOPED for Key Vault readers", () => {
  const ra = (scope: string) => tf(["azurerm_role_assignment", "ra", { role_definition_name: "Key Vault Secrets User", scope }]);

  test("one secret, in the same stack or through a cross-stack output named after the attribute, passes", () => {
    expect(ids(ra(ref("azurerm_key_vault_secret.s", "resource_versionless_id")), "AZ-ROLE-SCOPED")).toEqual([]);
    expect(ids(ra("${data.terraform_remote_state.x.outputs.cross-stack-output-azurerm_key_vault_secretdb_credentials_ABCresource_versionless_id}"), "AZ-ROLE-SCOPED")).toEqual([]);
  });

  test("fails when a secret reader is scoped to the whole vault", () => {
    expect(ids(ra(ref("azurerm_key_vault.kv")), "AZ-ROLE-SCOPED")).toEqual(["AZ-ROLE-SCOPED"]);
  });
});

describe("AZ-KEYVAULT-RBAC", () => {
  test("fails when a vault still carries access policies", () => {
    const json = tf(["azurerm_key_vault", "kv", { rbac_authorization_enabled: true, access_policy: [{ object_id: "x" }] }]);
    expect(ids(json, "AZ-KEYVAULT-RBAC")).toEqual(["AZ-KEYVAULT-RBAC"]);
  });
});

describe("AZ-PG-PGAUDIT", () => {
  const server = (params: Record<string, string>) =>
    tf(
      ["azurerm_postgresql_flexible_server", "db", {}],
      ...Object.entries(params).map(([name, value], i) => ["azurerm_postgresql_flexible_server_configuration", `c${i}`, { name, value, server_id: ref("azurerm_postgresql_flexible_server.db") }] as [string, string, Body]),
    );

  test("fails when pgaudit.log is left at Azure's default none", () => {
    const json = server({ "azure.extensions": "PGAUDIT", shared_preload_libraries: "pg_cron,pg_stat_statements,pgaudit", "pgaudit.log": "none" });
    expect(evaluate(json, { stack: "s" }, only("AZ-PG-PGAUDIT")).map((v) => v.message)).toEqual(["pgaudit.log is unset or none"]);
  });

  test("the extension may sit anywhere in the allow-list", () => {
    expect(ids(server({ "azure.extensions": "CITEXT,PGAUDIT", shared_preload_libraries: "pgaudit,pg_cron", "pgaudit.log": "ddl" }), "AZ-PG-PGAUDIT")).toEqual([]);
  });
});

describe("AZ-DELETION-PROTECTION", () => {
  test.each([
    "azurerm_storage_account",
    "azurerm_storage_container",
    "azurerm_key_vault_secret",
    "azurerm_log_analytics_workspace",
    "azurerm_postgresql_flexible_server_database",
    "azurerm_cdn_frontdoor_profile",
    "azurerm_cdn_frontdoor_custom_domain",
  ])(
    "fails for a %s without prevent_destroy (exemptions attach to the no-deletion-protection decision, not to staging)",
    (type) => {
      expect(ids(tf([type, "x", {}]), "AZ-DELETION-PROTECTION", "production")).toEqual(["AZ-DELETION-PROTECTION"]);
      expect(ids(tf([type, "x", {}]), "AZ-DELETION-PROTECTION", "staging")).toEqual(["AZ-DELETION-PROTECTION"]);
    },
  );
});

describe("AZ-DELETION-PROTECTION on the public entry", () => {
  test("passes for a Front Door profile and custom domain with prevent_destroy; an endpoint needs none (its host name survives a re-creation)", () => {
    const kept = { lifecycle: { prevent_destroy: true } };
    expect(ids(tf(["azurerm_cdn_frontdoor_profile", "fd", kept], ["azurerm_cdn_frontdoor_custom_domain", "d", kept], ["azurerm_cdn_frontdoor_endpoint", "e", {}]), "AZ-DELETION-PROTECTION", "production")).toEqual([]);
  });
});

/**
 * A Log Analytics workspace that keeps one construct's logs (Front Door access
 * and WAF logs, Bastion audit logs) for a set number of days. Entra ID only:
 * local (shared-key) authentication is off, diagnostic settings write through
 * Azure Monitor and need no key. With deletionProtection, Terraform refuses to
 * destroy it (audit evidence).
 *
 * Azure soft-deletes a workspace for 14 days; re-creating one with the same
 * name in that time recovers it (docs/azure-serve-review.md).
 */
import { Construct } from "constructs";
import { LogAnalyticsWorkspace } from "@cdktf/provider-azurerm/lib/log-analytics-workspace";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { ValidationError } from "../core";
import { recordDecision } from "../stack";
import { AZURE_NAME_LIMITS } from "./naming";
import { AzurePlatform } from "./platform";

/** What a Log Analytics workspace (pay-as-you-go, PerGB2018) can keep interactively. */
export const LOG_ANALYTICS_RETENTION_DAYS = { min: 30, max: 730 } as const;

export interface AzureLogWorkspaceProps {
  /** Workspace name (unique in the resource group). */
  readonly name: string;
  /** Days the logs are kept. */
  readonly retentionDays: number;
  /** Terraform refuses to destroy the workspace. */
  readonly deletionProtection: boolean;
  /** Who asks, for error messages: the construct and the field that set `retentionDays`. */
  readonly owner: { readonly what: string; readonly field: string };
}

export class AzureLogWorkspace extends Construct {
  /** The workspace. */
  public readonly resource: LogAnalyticsWorkspace;

  constructor(scope: Construct, id: string, props: AzureLogWorkspaceProps) {
    super(scope, id);
    const platform = AzurePlatform.of(this);
    const issues = [];
    const { min, max } = LOG_ANALYTICS_RETENTION_DAYS;
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < min || props.retentionDays > max) {
      issues.push({
        field: props.owner.field,
        value: props.retentionDays,
        accepted: `a whole number of days from ${min} to ${max}: a Log Analytics workspace keeps logs at most ${max} days; longer is not supported on azure`,
      });
    }
    if (!AZURE_NAME_LIMITS.logAnalyticsWorkspace.pattern.test(props.name)) {
      issues.push({ field: `${props.owner.what} log workspace name`, value: props.name, accepted: "4-63 letters, digits and hyphens, starting and ending with a letter or digit (shorten the project or the construct id)" });
    }
    if (issues.length > 0) throw new ValidationError(props.owner.what, issues);

    this.resource = new LogAnalyticsWorkspace(this, "Resource", {
      name: props.name,
      location: platform.location,
      resourceGroupName: platform.resourceGroup.name,
      sku: "PerGB2018",
      retentionInDays: props.retentionDays,
      // Entra ID only: Azure Monitor writes diagnostic logs without the workspace keys.
      localAuthenticationEnabled: false,
      tags: platform.tags,
    });
    if (props.deletionProtection) {
      this.resource.addOverride("lifecycle.prevent_destroy", true);
    } else recordDecision(this.resource, "no-deletion-protection");
  }

  /** Sends the given log categories of `target` (an ARM id) to this workspace. */
  public collect(scope: Construct, id: string, target: { readonly name: string; readonly resourceId: string; readonly categories: readonly string[] }): MonitorDiagnosticSetting {
    return new MonitorDiagnosticSetting(scope, id, {
      name: target.name,
      targetResourceId: target.resourceId,
      logAnalyticsWorkspaceId: this.resource.id,
      enabledLog: target.categories.map((category) => ({ category })),
    });
  }
}

/**
 * Azure budget: a monthly cost budget on the stack's resource group, e-mailing
 * at the actual and forecast thresholds.
 *
 * Start date: Azure wants the first day of a month, not more than one time
 * grain in the past. A fixed date would be rejected once that month is over,
 * and a date computed at synth would churn snapshots; so the JSON holds the
 * Terraform expression "first day of the month of the first apply" and the
 * time period is ignored afterwards (it never changes once created).
 *
 * Currency: Azure budgets take no currency; the amount is in the billing
 * currency of the subscription, which `budget.currency` must match (docs/azure.md).
 */
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { ConsumptionBudgetResourceGroup } from "@cdktf/provider-azurerm/lib/consumption-budget-resource-group";
import { BudgetProps, IBudget, validateBudgetProps } from "../budget";
import { AzurePlatform } from "./platform";

/** `formatdate` layout of the first day of the current month, 00:00 UTC (digits and punctuation are copied verbatim). */
export const BUDGET_START_DATE_LAYOUT = "YYYY-MM-01'T'00:00:00Z";

export class AzureBudget extends Construct implements IBudget {
  public readonly cloud = "azure" as const;
  public readonly budgetName: string;
  /** The resource-group budget. */
  public readonly resource: ConsumptionBudgetResourceGroup;

  constructor(scope: Construct, id: string, props: BudgetProps) {
    super(scope, id);
    const platform = AzurePlatform.of(this);
    const r = validateBudgetProps("azure", id, props);
    this.budgetName = platform.name(id);
    this.resource = new ConsumptionBudgetResourceGroup(this, "Resource", {
      name: this.budgetName,
      resourceGroupId: platform.resourceGroup.id,
      amount: r.monthlyLimit,
      timeGrain: "Monthly",
      timePeriod: { startDate: Fn.formatdate(BUDGET_START_DATE_LAYOUT, Fn.timestamp()) },
      notification: [
        { enabled: true, thresholdType: "Actual", operator: "GreaterThanOrEqualTo", threshold: r.actualThresholdPercent, contactEmails: [...r.alertEmails] },
        { enabled: true, thresholdType: "Forecasted", operator: "GreaterThanOrEqualTo", threshold: r.forecastThresholdPercent, contactEmails: [...r.alertEmails] },
      ],
      lifecycle: { ignoreChanges: ["time_period"] },
    });
  }
}

/**
 * AWS budget: a monthly COST budget on the project's cost-allocation tag,
 * alerting by e-mail at the actual and forecast thresholds.
 *
 * The filter is the `Project` tag (activate it as a cost-allocation tag once
 * per payer account). Staging and production are expected in separate AWS
 * accounts, as AWS recommends, so each account's budget sees one environment.
 */
import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";
import { Construct } from "constructs";
import { BudgetProps, IBudget, validateBudgetProps } from "../budget";
import { AwsPlatform } from "./platform";

export class AwsBudget extends Construct implements IBudget {
  public readonly cloud = "aws" as const;
  public readonly budget: BudgetsBudget;
  public readonly budgetName: string;

  constructor(scope: Construct, id: string, platform: AwsPlatform, props: BudgetProps) {
    super(scope, id);
    const p = validateBudgetProps(id, props);
    this.budgetName = `${platform.namePrefix}-monthly`;
    const alert = (notificationType: "ACTUAL" | "FORECASTED", threshold: number) => ({
      comparisonOperator: "GREATER_THAN",
      notificationType,
      threshold,
      thresholdType: "PERCENTAGE",
      subscriberEmailAddresses: [...p.alertEmails],
    });
    this.budget = new BudgetsBudget(this, "Resource", {
      name: this.budgetName,
      budgetType: "COST",
      timeUnit: "MONTHLY",
      limitAmount: p.monthlyLimit.toFixed(2),
      limitUnit: p.currency,
      costFilter: [{ name: "TagKeyValue", values: [`user:Project$${platform.context.project}`] }],
      notification: [alert("ACTUAL", p.actualThresholdPercent), alert("FORECASTED", p.forecastThresholdPercent)],
    });
  }
}

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
import { claimName } from "../stack";
import { AwsPlatform } from "./platform";

export class AwsBudget extends Construct implements IBudget {
  public readonly cloud = "aws" as const;
  /** The budget. */
  public readonly resource: BudgetsBudget;
  public readonly budgetName: string;

  constructor(scope: Construct, id: string, props: BudgetProps) {
    super(scope, id);
    const platform = AwsPlatform.of(this);
    const p = validateBudgetProps("aws", id, props);
    this.budgetName = claimName(this, "aws:budget", `${platform.namePrefix}-${id}`, "budget name");
    const alert = (notificationType: "ACTUAL" | "FORECASTED", threshold: number) => ({
      comparisonOperator: "GREATER_THAN",
      notificationType,
      threshold,
      thresholdType: "PERCENTAGE",
      subscriberEmailAddresses: [...p.alertEmails],
    });
    this.resource = new BudgetsBudget(this, "Resource", {
      name: this.budgetName,
      budgetType: "COST",
      timeUnit: "MONTHLY",
      limitAmount: p.monthlyLimit.toFixed(2),
      limitUnit: p.currency,
      costFilter: [{ name: "TagKeyValue", values: [`user:Project$${platform.stack.config.project}`] }],
      notification: [alert("ACTUAL", p.actualThresholdPercent), alert("FORECASTED", p.forecastThresholdPercent)],
    });
  }
}

/**
 * Budget contract: a monthly cost budget for the stack's resources that
 * e-mails at 80 % of actual spend and at 100 % of forecast spend.
 */
import { TerraformResource } from "cdktf";
import { IConstruct } from "constructs";
import { Cloud, Validator } from "./core";

export interface BudgetProps {
  /** Monthly limit in `currency`. */
  readonly monthlyLimit: number;
  /** Who receives the alerts (at least one). */
  readonly alertEmails: readonly string[];
  /** ISO currency code of the billing account. @default "USD" */
  readonly currency?: string;
  /** Percentage of actual spend that alerts. @default 80 */
  readonly actualThresholdPercent?: number;
  /** Percentage of forecast spend that alerts. @default 100 */
  readonly forecastThresholdPercent?: number;
}

export interface IBudget extends IConstruct {
  readonly cloud: Cloud;
  /** The budget (construct id `Resource`): the escape hatch to the provider resource. */
  readonly resource: TerraformResource;
  readonly budgetName: string;
}

export const BUDGET_DEFAULTS = { currency: "USD", actualThresholdPercent: 80, forecastThresholdPercent: 100 };

export type ResolvedBudgetProps = Required<BudgetProps>;

/** The one validation of budget props, called by every cloud's implementation. */
export function validateBudgetProps(cloud: Cloud, id: string, props: BudgetProps): ResolvedBudgetProps {
  const r: ResolvedBudgetProps = {
    monthlyLimit: props.monthlyLimit,
    alertEmails: props.alertEmails ?? [],
    currency: props.currency ?? BUDGET_DEFAULTS.currency,
    actualThresholdPercent: props.actualThresholdPercent ?? BUDGET_DEFAULTS.actualThresholdPercent,
    forecastThresholdPercent: props.forecastThresholdPercent ?? BUDGET_DEFAULTS.forecastThresholdPercent,
  };
  const v = new Validator(`Budget '${id}' (${cloud})`);
  v.number("budget.monthlyLimit", r.monthlyLimit, 1, 10_000_000);
  v.check(r.alertEmails.length > 0, "budget.alertEmails", r.alertEmails, "at least one e-mail address");
  r.alertEmails.forEach((e, i) => v.email(`budget.alertEmails[${i}]`, e));
  v.pattern("budget.currency", r.currency, /^[A-Z]{3}$/, "an ISO 4217 currency code such as USD or EUR");
  v.integer("budget.actualThresholdPercent", r.actualThresholdPercent, 1, 1000);
  v.integer("budget.forecastThresholdPercent", r.forecastThresholdPercent, 1, 1000);
  v.throwIfAny();
  return r;
}

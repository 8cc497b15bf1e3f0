/**
 * GCP budget: a monthly Cloud Billing budget on the stack's project that
 * notifies one e-mail notification channel per recipient.
 */
import { Construct } from "constructs";
import { BillingBudget } from "@cdktf/provider-google/lib/billing-budget";
import { MonitoringNotificationChannel } from "@cdktf/provider-google/lib/monitoring-notification-channel";
import { BudgetProps, IBudget, validateBudgetProps } from "../budget";
import { GcpPlatform } from "./platform";

export class GcpBudget extends Construct implements IBudget {
  public readonly cloud = "gcp" as const;
  public readonly budgetName: string;
  public readonly resource: BillingBudget;
  public readonly notificationChannels: MonitoringNotificationChannel[];

  /** The billing account comes from the configuration (validated there; its placeholder is refused by plan and deploy). */
  constructor(scope: Construct, id: string, props: BudgetProps) {
    super(scope, id);
    const platform = GcpPlatform.of(this);
    const r = validateBudgetProps("gcp", id, props);
    const billingAccount = platform.stack.config.gcp.billingAccount;
    this.budgetName = platform.name(`Budget '${id}'`, "resource", { field: "budget id", value: id });

    const monitoring = platform.apis("monitoring");
    this.notificationChannels = r.alertEmails.map(
      (email, i) =>
        new MonitoringNotificationChannel(this, `email-${i}`, {
          displayName: `${this.budgetName} alerts: ${email}`,
          type: "email",
          labels: { email_address: email },
          userLabels: { ...platform.labels },
          dependsOn: monitoring,
        }),
    );

    const units = Math.floor(r.monthlyLimit);
    this.resource = new BillingBudget(this, "Resource", {
      billingAccount,
      displayName: this.budgetName,
      amount: {
        specifiedAmount: { currencyCode: r.currency, units: String(units), nanos: Math.round((r.monthlyLimit - units) * 1e9) },
      },
      budgetFilter: {
        // The API stores projects by number; giving the number avoids a permanent diff.
        projects: [`projects/${platform.projectNumber}`],
        calendarPeriod: "MONTH",
        creditTypesTreatment: "INCLUDE_ALL_CREDITS",
      },
      thresholdRules: [
        { thresholdPercent: r.actualThresholdPercent / 100, spendBasis: "CURRENT_SPEND" },
        { thresholdPercent: r.forecastThresholdPercent / 100, spendBasis: "FORECASTED_SPEND" },
      ],
      allUpdatesRule: {
        monitoringNotificationChannels: this.notificationChannels.map((c) => c.id),
        disableDefaultIamRecipients: false,
      },
      dependsOn: platform.apis("billingbudgets"),
    });
  }
}

/**
 * GCP budget: a monthly Cloud Billing budget on the stack's project that
 * notifies one e-mail notification channel per recipient.
 */
import { Annotations } from "cdktf";
import { Construct } from "constructs";
import { BillingBudget } from "@cdktf/provider-google/lib/billing-budget";
import { MonitoringNotificationChannel } from "@cdktf/provider-google/lib/monitoring-notification-channel";
import { BudgetProps, IBudget, validateBudgetProps } from "../budget";
import { Cloud, Validator } from "../core";
import { GcpPlatform } from "./platform";

/** The default in stacks/config.ts: fine for synth and tests, refused by the Billing API. */
const PLACEHOLDER_BILLING_ACCOUNT = "000000-000000-000000";

export class GcpBudget extends Construct implements IBudget {
  public readonly cloud: Cloud = "gcp";
  public readonly budgetName: string;
  public readonly resource: BillingBudget;
  public readonly notificationChannels: MonitoringNotificationChannel[];

  constructor(scope: Construct, id: string, platform: GcpPlatform, props: BudgetProps) {
    super(scope, id);
    const r = validateBudgetProps(id, props);
    const v = new Validator(`Budget '${id}' (gcp)`);
    v.pattern("gcp.billingAccount", platform.context.gcpBillingAccount, /^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$/, "a billing account id XXXXXX-XXXXXX-XXXXXX");
    v.throwIfAny();
    const billingAccount = platform.context.gcpBillingAccount as string;
    if (billingAccount === PLACEHOLDER_BILLING_ACCOUNT) {
      Annotations.of(this).addWarning(`gcp.billingAccount is the placeholder ${PLACEHOLDER_BILLING_ACCOUNT}: set the real billing account in platform.config.json before applying`);
    }
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
      dependsOn: platform.apis("billingbudgets", "cloudresourcemanager"),
    });
  }
}

/**
 * AppTier contract: the application's compute, N identical instances built
 * from one template, spread over the network's zones, scaled on CPU, healed
 * from the load balancer's health check and replaced a few at a time (never
 * all at once) when the image or the user data changes. The instances run as
 * one compute identity, have no public address, admit nothing until a
 * connection says so (the HTTPS entry admits itself on `port`), and carry the
 * same hardening as a VirtualMachine (IMDSv2 / shielded / trusted launch,
 * encrypted disks).
 *
 * - AWS: a launch template and an Auto Scaling group with target tracking and instance refresh.
 * - GCP: an instance template and a regional managed instance group with an autoscaler.
 * - Azure: a Linux VM scale set (rolling upgrades, automatic repairs) and an autoscale setting.
 */
import { TerraformResource } from "cdktf";
import { Cloud, SIZES, Size, Validator } from "./core";
import { COMPUTE_IDENTITY_NAME, IComputeIdentity } from "./compute-identity";
import { IConnectable } from "./connections";
import { IGrantable } from "./grants";
import { CLOUD_LIMITS } from "./limits";
import { INetwork, checkNetworkCloud } from "./network";
import { checkRootVolumeGb } from "./virtual-machine";

export interface ScalingProps {
  readonly min: number;
  /** Instances at first apply; the autoscaler owns the number afterwards (never reset by a later apply). */
  readonly desired: number;
  readonly max: number;
}

export interface AppTierProps {
  readonly network: INetwork;
  /** Cloud-neutral size, mapped per cloud in `sizes.ts`. @default "small" */
  readonly size?: Size;
  /** How many instances. @default { min: 2, desired: 2, max: 6 } */
  readonly scaling?: ScalingProps;
  /** Average CPU utilisation the autoscaler keeps, in percent. @default 60 */
  readonly cpuTargetPercent?: number;
  /** TCP port the application listens on (HTTP). @default 8080 */
  readonly port?: number;
  /** HTTP path that answers 200 when an instance is healthy. @default "/health" */
  readonly healthCheckPath?: string;
  /** cloud-init user data (plain text, not secret). A change rolls the instances, a few at a time. @default - none */
  readonly userData?: string;
  /** Encrypted root disk size in GB. @default 20 (raised to the image's minimum where the cloud needs more) */
  readonly rootVolumeGb?: number;
  /**
   * Operator shell access without public SSH, with an audit trail: SSM Session Manager (AWS),
   * IAP TCP forwarding with OS Login (GCP), Azure Bastion with Entra ID login (Azure).
   * @default false
   */
  readonly operatorAccess?: boolean;
}

export interface IAppTier extends IConnectable, IGrantable {
  readonly cloud: Cloud;
  /** The Auto Scaling group / regional instance group manager / scale set (construct id `Resource`). */
  readonly resource: TerraformResource;
  readonly identity: IComputeIdentity;
  readonly port: number;
  readonly healthCheckPath: string;
}

export const APP_TIER_DEFAULTS = {
  size: "small" as Size,
  scaling: { min: 2, desired: 2, max: 6 },
  cpuTargetPercent: 60,
  port: 8080,
  healthCheckPath: "/health",
  rootVolumeGb: 20,
  operatorAccess: false,
};

export type ResolvedAppTierProps = Omit<Required<AppTierProps>, "userData"> & Pick<AppTierProps, "userData">;

/** The scaling rule, for app-tier props and environment profiles alike: whole numbers 1-100, min <= desired <= max. */
export function checkScaling(v: Validator, field: string, s: ScalingProps): void {
  if (v.integer(`${field}.min`, s.min, 1, 100) && v.integer(`${field}.max`, s.max, 1, 100)) {
    v.check(s.max >= s.min, `${field}.max`, s.max, `at least scaling.min (${s.min})`);
    if (v.integer(`${field}.desired`, s.desired, 1, 100)) {
      v.check(s.desired >= s.min && s.desired <= s.max, `${field}.desired`, s.desired, `from scaling.min (${s.min}) to scaling.max (${s.max})`);
    }
  }
}

/** The one validation of app-tier props, called by every cloud's implementation, cloud limits included. */
export function validateAppTierProps(cloud: Cloud, id: string, props: AppTierProps): ResolvedAppTierProps {
  const limits = CLOUD_LIMITS[cloud].virtualMachine;
  const r: ResolvedAppTierProps = {
    network: props.network,
    size: props.size ?? APP_TIER_DEFAULTS.size,
    scaling: props.scaling ?? APP_TIER_DEFAULTS.scaling,
    cpuTargetPercent: props.cpuTargetPercent ?? APP_TIER_DEFAULTS.cpuTargetPercent,
    port: props.port ?? APP_TIER_DEFAULTS.port,
    healthCheckPath: props.healthCheckPath ?? APP_TIER_DEFAULTS.healthCheckPath,
    userData: props.userData,
    rootVolumeGb: props.rootVolumeGb ?? Math.max(APP_TIER_DEFAULTS.rootVolumeGb, limits.minRootVolumeGb),
    operatorAccess: props.operatorAccess ?? APP_TIER_DEFAULTS.operatorAccess,
  };
  const v = new Validator(`AppTier '${id}' (${cloud})`);
  checkNetworkCloud(v, "appTier.network", r.network, cloud);
  v.pattern("appTier (construct id)", id, COMPUTE_IDENTITY_NAME, "2-21 lowercase letters, digits and hyphens, starting with a letter (it names the tier's identity and instances)");
  v.oneOf("appTier.size", r.size, SIZES);
  checkScaling(v, "appTier.scaling", r.scaling);
  v.integer("appTier.cpuTargetPercent", r.cpuTargetPercent, 10, 90);
  if (v.integer("appTier.port", r.port, 1024, 65535)) {
    v.check(![5432, 3306, 22, 3389].includes(r.port), "appTier.port", r.port, "an application port that is not SSH, RDP or a database port");
  }
  v.pattern("appTier.healthCheckPath", r.healthCheckPath, /^\/[A-Za-z0-9._~\/-]{0,254}$/, "an absolute HTTP path such as /health");
  checkRootVolumeGb(v, "appTier.rootVolumeGb", cloud, r.rootVolumeGb);
  v.throwIfAny();
  return r;
}

/**
 * The user data an app tier boots with when none is given: cloud-init that serves `200 OK` on
 * `healthCheckPath` at `port` (a placeholder until the application is deployed), so that the load
 * balancer's health check, auto-healing and rolling replacement work from the first apply instead
 * of recycling instances that answer nothing.
 */
export function placeholderUserData(port: number, healthCheckPath: string): string {
  const dir = "/var/lib/app-placeholder";
  const file = `${dir}${healthCheckPath}`;
  return [
    "#cloud-config",
    "write_files:",
    "  - path: /etc/systemd/system/app-placeholder.service",
    "    content: |",
    "      [Unit]",
    "      Description=Placeholder that answers the health check until the application is deployed",
    "      After=network-online.target",
    "      [Service]",
    `      ExecStartPre=/bin/mkdir -p ${file.substring(0, file.lastIndexOf("/")) || dir}`,
    `      ExecStartPre=/bin/sh -c 'echo ok > ${file}'`,
    `      ExecStart=/usr/bin/python3 -m http.server ${port} --directory ${dir}`,
    "      DynamicUser=yes",
    "      StateDirectory=app-placeholder",
    "      Restart=always",
    "      [Install]",
    "      WantedBy=multi-user.target",
    "runcmd:",
    "  - [systemctl, daemon-reload]",
    "  - [systemctl, enable, --now, app-placeholder.service]",
    "",
  ].join("\n");
}

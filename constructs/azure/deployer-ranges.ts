/**
 * The public address ranges Terraform runs from, admitted by the Key Vault
 * firewall (configuration `azure.deployerIpRanges`, and the per-run
 * Terraform variable `azure_deployer_ip_ranges` that
 * scripts/azure-runner-access.js fills for a runner without a fixed address).
 *
 * Provider-free on purpose (no @cdktf/provider-azurerm import): the strict
 * configuration reader (constructs/config.ts) validates the field with the
 * same rules as the vault, without loading provider bindings.
 *
 * Key Vault's limits (Microsoft Learn, "Configure Azure Key Vault firewalls
 * and virtual networks"): IPv4 only, public addresses only (no RFC 1918
 * ranges); a single address is stored as `<address>/32`.
 */
import { Validator, isUnresolved, parseCidr } from "../core";

/** The configuration field. */
export const DEPLOYER_IP_RANGES_FIELD = "azure.deployerIpRanges";

/** The Terraform variable of every Azure stack with a vault: this run's extra ranges (a CI runner's own address). */
export const DEPLOYER_IP_RANGES_VARIABLE = "azure_deployer_ip_ranges";

/** The widest deployer range accepted (every non-public range is /16 or wider, so a range this narrow is inside one or outside all). */
export const DEPLOYER_RANGE_MIN_PREFIX = 16;

/** Private (RFC 1918), loopback, link-local and shared (CGNAT) ranges: Key Vault IP rules admit public addresses only. */
export const NON_PUBLIC_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16", "100.64.0.0/10"] as const;

const NON_PUBLIC = NON_PUBLIC_RANGES.map((c) => parseCidr(c)!);

/** `203.0.113.10` -> `203.0.113.10/32`; a CIDR block as it is. The form Key Vault stores and reads back. */
export function deployerRangeCidr(range: string): string {
  return range.includes("/") ? range : `${range}/32`;
}

/**
 * Records an issue in `v` for every range that is not a public IPv4 address or CIDR block of at
 * most /16, naming `<field>[<index>]`. Unresolved tokens are skipped.
 */
export function checkDeployerIpRanges(v: Validator, ranges: readonly string[], field: string = DEPLOYER_IP_RANGES_FIELD): void {
  ranges.forEach((r, i) => {
    if (isUnresolved(r)) return;
    const at = `${field}[${i}]`;
    const parsed = typeof r === "string" ? parseCidr(deployerRangeCidr(r)) : undefined;
    if (!parsed) {
      v.add(at, r, "a public IPv4 address or CIDR block, e.g. 203.0.113.10 or 203.0.113.0/28");
      return;
    }
    if (!v.check(parsed.prefix >= DEPLOYER_RANGE_MIN_PREFIX, at, r, `a range of at most /${DEPLOYER_RANGE_MIN_PREFIX} (the addresses Terraform runs from, not a provider's whole network)`)) return;
    const inside = NON_PUBLIC.find((n) => ((parsed.base & (0xffffffff << (32 - n.prefix))) >>> 0) === n.base);
    v.check(inside === undefined, at, r, "a public range: Key Vault's firewall admits public addresses only (Terraform inside the VNet reaches it through an admitted subnet)");
  });
}

/** Checks the deployer ranges (public IPv4 addresses or CIDR blocks, as Key Vault's firewall accepts them); throws every issue at once. */
export function validateDeployerIpRanges(ranges: readonly string[]): void {
  const v = new Validator("Azure Key Vault firewall");
  checkDeployerIpRanges(v, ranges);
  v.throwIfAny();
}

/**
 * The same rules as `checkDeployerIpRanges`, as a Terraform condition over the variable `name`
 * (the variable's `validation` block): a value passed as TF_VAR_<name> is checked before any
 * provider call. `try(..., false)` on every test: Terraform's `&&` does not short-circuit.
 */
export function deployerIpRangesCondition(name: string = DEPLOYER_IP_RANGES_VARIABLE): string {
  const cidrs = `[for r in var.${name} : strcontains(r, "/") ? r : format("%s/32", r)]`;
  const ipv4 = `can(regex("^[0-9]{1,3}(\\\\.[0-9]{1,3}){3}/[0-9]{1,2}$", c))`;
  // Aligned: the block's first address is the address written (cidrhost masks it to the network).
  const aligned = `try(cidrhost(c, 0) == split("/", c)[0], false)`;
  const narrow = `try(tonumber(split("/", c)[1]) >= ${DEPLOYER_RANGE_MIN_PREFIX}, false)`;
  const list = `[${NON_PUBLIC_RANGES.map((p) => `"${p}"`).join(", ")}]`;
  const isPublic = `!anytrue([for p in ${list} : try(cidrhost(format("%s/%s", split("/", c)[0], split("/", p)[1]), 0) == split("/", p)[0], false)])`;
  return `\${alltrue([for c in ${cidrs} : ${ipv4} && ${aligned} && ${narrow} && ${isPublic}])}`;
}

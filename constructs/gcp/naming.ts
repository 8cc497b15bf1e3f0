/**
 * GCP naming rules in one place, and the helpers that build names which
 * always satisfy them. A user-supplied part (project, construct id, bucket
 * base name) that cannot make a valid name fails at synth with a
 * ValidationError naming the field, the value and the accepted form.
 */
import { Validator, isUnresolved, shortHash } from "../core";

export interface GcpNameRule {
  readonly minLength: number;
  readonly maxLength: number;
  readonly pattern: RegExp;
  /** Human-readable form of the rule, used in error messages. */
  readonly accepted: string;
}

/**
 * The GCP limits every generated name must satisfy.
 *
 * - `resource`: Compute Engine / Cloud SQL / most resource names follow RFC 1035:
 *   1-63 characters, lowercase letters, digits and hyphens, starting with a
 *   letter and not ending with a hyphen.
 * - `bucket`: Cloud Storage bucket names are global: 3-63 characters (without dots),
 *   lowercase letters, digits, hyphens and underscores, starting and ending with
 *   a letter or digit; they may not start with "goog" nor contain "google".
 * - `serviceAccountId`: the part of a service account e-mail before the "@":
 *   6-30 characters, lowercase letters, digits and hyphens, starting with a letter.
 * - `logBucketId`: Cloud Logging bucket ids: 1-100 letters, digits, "_", "-".
 * - `secretId`: Secret Manager secret ids: 1-255 letters, digits, "_", "-".
 * - `labelKey` / `labelValue`: labels: keys 1-63 characters starting with a
 *   lowercase letter; values 0-63; both only lowercase letters, digits, "_" and "-".
 */
export const GCP_NAME_RULES = {
  resource: { minLength: 1, maxLength: 63, pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/, accepted: "1-63 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (RFC 1035)" },
  bucket: { minLength: 3, maxLength: 63, pattern: /^[a-z0-9][-a-z0-9_]*[a-z0-9]$/, accepted: "3-63 lowercase letters, digits, hyphens and underscores, starting and ending with a letter or digit, not starting with 'goog' and not containing 'google'" },
  serviceAccountId: { minLength: 6, maxLength: 30, pattern: /^[a-z]([-a-z0-9]*[a-z0-9])$/, accepted: "6-30 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen" },
  logBucketId: { minLength: 1, maxLength: 100, pattern: /^[a-z0-9][-a-z0-9_]*$/, accepted: "1-100 lowercase letters, digits, hyphens and underscores" },
  secretId: { minLength: 1, maxLength: 255, pattern: /^[a-z0-9][-a-z0-9_]*$/, accepted: "1-255 lowercase letters, digits, hyphens and underscores" },
  labelKey: { minLength: 1, maxLength: 63, pattern: /^[a-z][-a-z0-9_]*$/, accepted: "1-63 lowercase letters, digits, '_' and '-', starting with a letter" },
  labelValue: { minLength: 0, maxLength: 63, pattern: /^[-a-z0-9_]*$/, accepted: "0-63 lowercase letters, digits, '_' and '-'" },
} as const satisfies Record<string, GcpNameRule>;

export type GcpNameKind = keyof typeof GCP_NAME_RULES;

/** A part of a name that a user chose (project, construct id, base name) and must be a plain lowercase word. */
const NAME_PART = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const NAME_PART_ACCEPTED = "lowercase letters, digits and hyphens, starting and ending with a letter or digit (it becomes part of GCP resource names)";

/** Length of the hash appended when a name is shortened to fit its limit. */
const HASH_LENGTH = 6;

/** True when `name` satisfies `kind`'s rule (length, characters, and the bucket-only words). */
export function isValidGcpName(kind: GcpNameKind, name: string): boolean {
  const rule: GcpNameRule = GCP_NAME_RULES[kind];
  if (name.length < rule.minLength || name.length > rule.maxLength || !rule.pattern.test(name)) return false;
  if (kind === "bucket" && (name.startsWith("goog") || /g[o0]{2}gle/.test(name))) return false;
  return true;
}

/** One user-supplied part of a name, with the field it came from (for error messages). */
export interface NamePart {
  readonly field: string;
  readonly value: string;
}

/**
 * Joins `parts` with hyphens into a name of `kind`. Every part is checked
 * first; when the joined name is too long it is cut and suffixed with a short
 * hash of the full name, so it stays deterministic and unique. Throws a
 * ValidationError naming the offending field when no valid name can be made.
 * `reserve` keeps that many characters free for a suffix added at apply time
 * (`-<random hex>`), so the final name still fits.
 */
export function gcpName(context: string, kind: GcpNameKind, parts: readonly NamePart[], reserve = 0): string {
  const v = new Validator(`${context} (GCP naming)`);
  for (const p of parts) {
    if (isUnresolved(p.value)) continue;
    v.pattern(p.field, p.value, NAME_PART, NAME_PART_ACCEPTED);
    if (kind === "bucket" && /g[o0]{2}gle/.test(p.value)) {
      v.add(p.field, p.value, "a value without 'google' (Cloud Storage refuses bucket names containing it)");
    }
  }
  v.throwIfAny();
  const full = parts.map((p) => p.value).join("-");
  const rule: GcpNameRule = GCP_NAME_RULES[kind];
  const maxLength = rule.maxLength - reserve;
  let name = full;
  if (name.length > maxLength) {
    const keep = maxLength - HASH_LENGTH - 1;
    name = `${full.slice(0, keep).replace(/[-_]+$/, "")}-${shortHash(full, HASH_LENGTH)}`;
  }
  if (!isValidGcpName(kind, name)) {
    const first = parts[0];
    const field = kind === "bucket" && name.startsWith("goog") && first ? first.field : parts.map((p) => p.field).join(" + ");
    v.add(field, name, GCP_NAME_RULES[kind].accepted);
  }
  v.throwIfAny();
  return name;
}

/** Normalizes a tag key to a GCP label key: `ManagedBy` -> `managed-by`, `Cost Center` -> `cost_center`. */
export function labelKey(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "_")
    .replace(/^[^a-z]+/, "")
    .slice(0, GCP_NAME_RULES.labelKey.maxLength);
}

/** Normalizes a tag value to a GCP label value: lowercase, other characters replaced by "_", at most 63. */
export function labelValue(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "_")
    .slice(0, GCP_NAME_RULES.labelValue.maxLength);
}

/** Turns the cloud-neutral tag map into GCP labels, failing when a key cannot become a label key. */
export function gcpLabels(tags: Readonly<Record<string, string>>): Record<string, string> {
  const v = new Validator("Labels (GCP)");
  const labels: Record<string, string> = {};
  for (const [k, val] of Object.entries(tags)) {
    const key = labelKey(k);
    if (!v.check(isValidGcpName("labelKey", key), `tags.${k}`, k, `a key that normalizes to a GCP label key: ${GCP_NAME_RULES.labelKey.accepted}`)) continue;
    if (labels[key] !== undefined) {
      v.add(`tags.${k}`, k, `a key that does not collide with another tag after normalization to '${key}'`);
      continue;
    }
    labels[key] = labelValue(val);
  }
  v.throwIfAny();
  return labels;
}

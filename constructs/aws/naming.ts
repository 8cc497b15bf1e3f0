/**
 * AWS naming rules in one place. Names are `<project>-<environment>-<id>`,
 * checked against the limit of the resource they name.
 */
import { ValidationError } from "../core";

/** Documented limits (AWS docs): bucket 3-63 lowercase; RDS identifier 1-63, letter first, no "--"; IAM role 64; log group 512. */
export const AWS_NAME_LIMITS = {
  s3Bucket: { max: 63, pattern: /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, accepted: "3-63 lowercase letters, digits and hyphens" },
  rdsIdentifier: { max: 63, pattern: /^[a-z](?!.*--)[a-z0-9-]{0,61}[a-z0-9]$/, accepted: "1-63 lowercase letters, digits and hyphens, a letter first, no '--', no trailing hyphen" },
  iamRole: { max: 64, pattern: /^[\w+=,.@-]{1,64}$/, accepted: "1-64 characters of letters, digits and +=,.@_-" },
} as const;

export type AwsNameKind = keyof typeof AWS_NAME_LIMITS;

/** Returns `name` when it satisfies the rule of `kind`, else fails at synth naming the field. */
export function checkAwsName(kind: AwsNameKind, field: string, name: string): string {
  const rule = AWS_NAME_LIMITS[kind];
  if (name.length > rule.max || !rule.pattern.test(name)) {
    throw new ValidationError(`AWS ${kind} name`, [{ field, value: name, accepted: rule.accepted }]);
  }
  return name;
}

/**
 * The one size table: each cloud-neutral size next to the SKU every cloud
 * uses for it, so a reviewer sees the three side by side.
 *
 * Rough shape of each size: small = 2 vCPU / 2-4 GiB (burstable),
 * medium = 2 vCPU / 4-8 GiB, large = 4 vCPU / 16 GiB.
 */
import { Cloud, Size, ValidationError } from "./core";

export interface SkuRow {
  /** VM machine type / instance type / VM size. */
  readonly vm: string;
  /** Managed PostgreSQL instance class / tier / SKU. */
  readonly database: string;
  /** True when the database SKU is burstable (Azure refuses HA on burstable SKUs). */
  readonly burstableDatabase: boolean;
}

export const SIZE_TABLE: Record<Size, Record<Cloud, SkuRow>> = {
  //          AWS                                                                  GCP                                                                    Azure
  small: {
    aws: { vm: "t3.small", database: "db.t3.small", burstableDatabase: true },
    gcp: { vm: "e2-small", database: "db-custom-1-3840", burstableDatabase: false },
    azure: { vm: "Standard_B2s", database: "B_Standard_B1ms", burstableDatabase: true },
  },
  medium: {
    aws: { vm: "t3.medium", database: "db.t3.medium", burstableDatabase: true },
    gcp: { vm: "e2-medium", database: "db-custom-2-7680", burstableDatabase: false },
    azure: { vm: "Standard_D2s_v5", database: "GP_Standard_D2ds_v5", burstableDatabase: false },
  },
  large: {
    aws: { vm: "m6i.xlarge", database: "db.m6i.xlarge", burstableDatabase: false },
    gcp: { vm: "e2-standard-4", database: "db-custom-4-15360", burstableDatabase: false },
    azure: { vm: "Standard_D4s_v5", database: "GP_Standard_D4ds_v5", burstableDatabase: false },
  },
};

/** Looks a size up, failing with the accepted sizes when there is no mapping. */
export function skuFor(cloud: Cloud, size: Size, field: string): SkuRow {
  const row = SIZE_TABLE[size]?.[cloud];
  if (!row) {
    throw new ValidationError(`Size table (${cloud})`, [{ field, value: size, accepted: `one of ${Object.keys(SIZE_TABLE).join(", ")}` }]);
  }
  return row;
}

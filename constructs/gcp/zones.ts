/**
 * The zones of every GCP region this project accepts (constructs/config.ts
 * KNOWN_REGIONS), as a table, so zonal placement is a synth-time constant.
 *
 * A VM's `zone` forces replacement. Reading it from `data.google_compute_zones`
 * (the zones that are UP, first one) moves the VM whenever that list changes or
 * the read is deferred to apply: a zone outage, or any pending change of a
 * dependency, planned a replacement of the VM and its boot disk. A table does
 * not change between plans; a region's zone letters are not consecutive
 * everywhere (us-central1 has a, b, c, f; us-east1 and europe-west1 b, c, d),
 * which is why it is a table and never `${region}-a`.
 *
 * Source: Compute Engine "Regions and zones" (zone names per region).
 */
import { ValidationError } from "../core";

/** Zone letters per region, in the order placement uses them (the first one hosts single-zone resources). */
export const GCP_REGION_ZONES: Readonly<Record<string, readonly string[]>> = {
  "us-central1": ["a", "b", "c", "f"],
  "us-east1": ["b", "c", "d"],
  "us-east4": ["a", "b", "c"],
  "us-east5": ["a", "b", "c"],
  "us-south1": ["a", "b", "c"],
  "us-west1": ["a", "b", "c"],
  "us-west2": ["a", "b", "c"],
  "us-west3": ["a", "b", "c"],
  "us-west4": ["a", "b", "c"],
  "northamerica-northeast1": ["a", "b", "c"],
  "northamerica-northeast2": ["a", "b", "c"],
  "northamerica-south1": ["a", "b", "c"],
  "southamerica-east1": ["a", "b", "c"],
  "southamerica-west1": ["a", "b", "c"],
  "europe-central2": ["a", "b", "c"],
  "europe-north1": ["a", "b", "c"],
  "europe-north2": ["a", "b", "c"],
  "europe-southwest1": ["a", "b", "c"],
  "europe-west1": ["b", "c", "d"],
  "europe-west2": ["a", "b", "c"],
  "europe-west3": ["a", "b", "c"],
  "europe-west4": ["a", "b", "c"],
  "europe-west6": ["a", "b", "c"],
  "europe-west8": ["a", "b", "c"],
  "europe-west9": ["a", "b", "c"],
  "europe-west10": ["a", "b", "c"],
  "europe-west12": ["a", "b", "c"],
  "me-central1": ["a", "b", "c"],
  "me-central2": ["a", "b", "c"],
  "me-west1": ["a", "b", "c"],
  "africa-south1": ["a", "b", "c"],
  "asia-east1": ["a", "b", "c"],
  "asia-east2": ["a", "b", "c"],
  "asia-northeast1": ["a", "b", "c"],
  "asia-northeast2": ["a", "b", "c"],
  "asia-northeast3": ["a", "b", "c"],
  "asia-south1": ["a", "b", "c"],
  "asia-south2": ["a", "b", "c"],
  "asia-southeast1": ["a", "b", "c"],
  "asia-southeast2": ["a", "b", "c"],
  "australia-southeast1": ["a", "b", "c"],
  "australia-southeast2": ["a", "b", "c"],
};

/** The zones of `region` (`us-central1-a`, ...); fails naming the field when the region has no entry in the table. */
export function gcpZones(region: string): string[] {
  const letters = GCP_REGION_ZONES[region];
  if (!letters) {
    throw new ValidationError("GCP zones", [
      { field: "gcp.region", value: region, accepted: `a region of the zone table in constructs/gcp/zones.ts (${Object.keys(GCP_REGION_ZONES).join(", ")}); add the region's zones there` },
    ]);
  }
  return letters.map((l) => `${region}-${l}`);
}

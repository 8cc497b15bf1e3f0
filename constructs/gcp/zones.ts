/**
 * The zones of every GCP region the configuration accepts, in one table, so
 * that placement is a synth-time constant: a regional instance group's
 * `distribution_policy_zones` is ForceNew, and a list read from the
 * `google_compute_zones` data source can shift (a zone reported DOWN, a read
 * deferred to apply by `depends_on`) and replace the group. Zone letters are
 * not regular (us-central1 has a, b, c, f; us-east1 and europe-west1 start at
 * b), so they are listed, never derived. Source: Compute Engine "Regions and
 * zones" (cloud.google.com/compute/docs/regions-zones). Provider-free.
 */
import { ValidationError } from "../core";

/** Zone suffixes per region, in the order placement uses them. */
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

/**
 * The zones of `region` (`us-central1-a`, `us-central1-b`, ...), the same list on every synth; with `count`,
 * the first `count` of them. Fails naming the field when the region is not in the table or has fewer zones.
 */
export function gcpZones(region: string, count?: number, field = "network.zoneCount"): string[] {
  const letters = GCP_REGION_ZONES[region];
  if (!letters) {
    throw new ValidationError("Zones (gcp)", [
      { field: "gcp.region", value: region, accepted: `a region of the zone table in constructs/gcp/zones.ts (${Object.keys(GCP_REGION_ZONES).join(", ")}); add the region's zones there` },
    ]);
  }
  if (count !== undefined && count > letters.length) {
    throw new ValidationError("Zones (gcp)", [
      { field, value: count, accepted: `at most ${letters.length} in ${region} (its zones: ${letters.map((l) => `${region}-${l}`).join(", ")}); more is not supported on gcp in this region` },
    ]);
  }
  return letters.slice(0, count ?? letters.length).map((l) => `${region}-${l}`);
}

/**
 * Where staging and production differ, in one visible table (the reference
 * design's `var.environment == "production" ? ... : ...`, made explicit).
 */
import { Environment, Size } from "../constructs/core";
import { NatGatewayMode } from "../constructs/network";

export interface EnvironmentProfile {
  readonly vmSize: Size;
  readonly databaseSize: Size;
  /** Standby database in a second zone with automatic failover. */
  readonly highAvailability: boolean;
  /** Deletion protection, final snapshot / lock on the database. */
  readonly deletionProtection: boolean;
  readonly backupRetentionDays: number;
  readonly natGateways: NatGatewayMode;
}

export const ENVIRONMENT_PROFILES: Record<Environment, EnvironmentProfile> = {
  // Staging opts out of HA and deletion protection on purpose: cheaper, and it must be disposable.
  staging: { vmSize: "small", databaseSize: "small", highAvailability: false, deletionProtection: false, backupRetentionDays: 7, natGateways: "single" },
  production: { vmSize: "medium", databaseSize: "medium", highAvailability: true, deletionProtection: true, backupRetentionDays: 14, natGateways: "per-zone" },
};

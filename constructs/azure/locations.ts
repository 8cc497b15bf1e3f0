/**
 * What each Azure location supports, read by the configuration's validation:
 * a stack whose environment wants HA (zone-redundant PostgreSQL) in a
 * location where new flexible servers cannot get it fails at synth with the
 * locations that work, instead of at apply.
 *
 * Source: Microsoft's region table for Azure Database for PostgreSQL flexible
 * server (MicrosoftDocs/azure-databases-docs, articles/postgresql/includes/
 * regions-table.md, ms.date 12/22/2025). Rows marked `$` there ("new
 * zone-redundant HA deployments are temporarily blocked": westeurope,
 * northeurope, germanywestcentral, eastus, eastus2, westus2, southcentralus,
 * southeastasia, brazilsouth, centralindia, eastasia, mexicocentral,
 * qatarcentral) have zones but no new zone-redundant HA. Revisit this table
 * when Microsoft changes it; the default location is one where it works.
 */
export interface AzureLocationCapabilities {
  /** The location has availability zones (zone-redundant services, zonal VMs). */
  readonly zones: boolean;
  /** New flexible servers can be created with zone-redundant high availability. */
  readonly zoneRedundantPostgresHa: boolean;
}

const Z = { zones: true, zoneRedundantPostgresHa: true } as const;
/** Zones, but new zone-redundant PostgreSQL HA is blocked (`$` in the table). */
const BLOCKED = { zones: true, zoneRedundantPostgresHa: false } as const;
const NO_ZONES = { zones: false, zoneRedundantPostgresHa: false } as const;

export const AZURE_LOCATIONS: Readonly<Record<string, AzureLocationCapabilities>> = {
  eastus: BLOCKED,
  eastus2: BLOCKED,
  westus: NO_ZONES,
  westus2: BLOCKED,
  westus3: Z,
  centralus: Z,
  northcentralus: NO_ZONES,
  southcentralus: BLOCKED,
  westcentralus: NO_ZONES,
  canadacentral: Z,
  canadaeast: NO_ZONES,
  brazilsouth: BLOCKED,
  mexicocentral: BLOCKED,
  northeurope: BLOCKED,
  westeurope: BLOCKED,
  uksouth: Z,
  ukwest: NO_ZONES,
  francecentral: Z,
  germanywestcentral: BLOCKED,
  norwayeast: Z,
  swedencentral: Z,
  switzerlandnorth: Z,
  polandcentral: Z,
  italynorth: Z,
  spaincentral: Z,
  austriaeast: Z,
  belgiumcentral: Z,
  eastasia: BLOCKED,
  southeastasia: BLOCKED,
  japaneast: Z,
  japanwest: NO_ZONES,
  koreacentral: Z,
  koreasouth: NO_ZONES,
  australiaeast: Z,
  australiasoutheast: NO_ZONES,
  australiacentral: NO_ZONES,
  centralindia: BLOCKED,
  southindia: Z,
  westindia: NO_ZONES,
  uaenorth: Z,
  qatarcentral: BLOCKED,
  israelcentral: Z,
  southafricanorth: Z,
  newzealandnorth: Z,
  indonesiacentral: Z,
  malaysiawest: Z,
  chilecentral: Z,
};

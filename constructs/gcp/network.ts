/**
 * GCP network: a custom-mode VPC with one regional subnetwork per private
 * tier, Cloud NAT for the application tier, flow logs kept for the contract's
 * retention, and private services access so Cloud SQL gets a private address.
 */
import { Construct } from "constructs";
import { ComputeFirewall } from "@cdktf/provider-google/lib/compute-firewall";
import { ComputeGlobalAddress } from "@cdktf/provider-google/lib/compute-global-address";
import { ComputeNetwork } from "@cdktf/provider-google/lib/compute-network";
import { ComputeRouter } from "@cdktf/provider-google/lib/compute-router";
import { ComputeRouterNat } from "@cdktf/provider-google/lib/compute-router-nat";
import { ComputeSubnetwork } from "@cdktf/provider-google/lib/compute-subnetwork";
import { LoggingProjectBucketConfig } from "@cdktf/provider-google/lib/logging-project-bucket-config";
import { LoggingProjectSink } from "@cdktf/provider-google/lib/logging-project-sink";
import { ServiceNetworkingConnection } from "@cdktf/provider-google/lib/service-networking-connection";
import { cidrSubnet, parseCidr, requireKind } from "../core";
import { INetwork, NetworkProps, SubnetPlan, planSubnets, validateNetworkProps } from "../network";
import { recordDecision } from "../stack";
import { NamePart } from "./naming";
import { GcpPlatform } from "./platform";
import { RandomId } from "./random";

/**
 * Descriptions of the resources whose `description` forces replacement
 * (google_compute_network, google_compute_subnetwork, google_compute_global_address
 * at v6.50.0): constants, never derived from anything that can change, because
 * editing one would replace the VPC or the private services range (and with it
 * Cloud SQL's peering).
 */
export const GCP_FROZEN_DESCRIPTIONS = {
  network: "Private network of the platform (managed by cdktf; this description is fixed: changing it replaces the network)",
  application: "Application tier: VMs, egress through Cloud NAT (description fixed: changing it replaces the subnetwork)",
  data: "Data tier: data services, no internet route (description fixed: changing it replaces the subnetwork)",
  privateServices: "Private services access: Cloud SQL private IPs (description fixed: changing it replaces the range)",
} as const;

/** Random bytes in the names the cloud reserves after a delete (hex: twice as many characters, plus a hyphen). */
export const GCP_NAME_SUFFIX_BYTES = 2;
export const GCP_NAME_SUFFIX_LENGTH = 2 * GCP_NAME_SUFFIX_BYTES + 1;

export interface GcpLogBucketProps {
  /** Who asks, for naming errors (`Network 'main'`). */
  readonly context: string;
  /** The name parts after project and environment; the id is `<name>-<random hex>`. */
  readonly parts: readonly NamePart[];
  readonly description: string;
  readonly retentionDays: number;
  /** Audit evidence: with it Terraform refuses to destroy the bucket; without it the decision is recorded. */
  readonly deletionProtection: boolean;
}

/**
 * A Cloud Logging bucket in the stack's project and region that keeps logs `retentionDays` (the network's
 * flow logs, the HTTPS entry's request logs). A deleted log bucket keeps its id for 7 days and the provider
 * adopts a bucket of that id (acquire-or-create), in its deleted state: a suffix kept in state
 * (`<id>-suffix`) gives a re-created stack a fresh id instead.
 */
export function gcpLogBucket(scope: Construct, id: string, props: GcpLogBucketProps): LoggingProjectBucketConfig {
  const platform = GcpPlatform.of(scope);
  const suffix = new RandomId(scope, `${id}-suffix`, { byteLength: GCP_NAME_SUFFIX_BYTES });
  const base = platform.nameWithRoom(props.context, "logBucketId", GCP_NAME_SUFFIX_LENGTH, ...props.parts);
  const bucket = new LoggingProjectBucketConfig(scope, id, {
    project: platform.projectId,
    location: platform.region,
    bucketId: `${base}-${suffix.hex}`,
    description: props.description,
    retentionDays: props.retentionDays,
    lifecycle: props.deletionProtection ? { preventDestroy: true } : undefined,
    dependsOn: platform.apis("logging"),
  });
  if (!props.deletionProtection) recordDecision(bucket, "no-deletion-protection");
  return bucket;
}

/**
 * The private services access range (where Cloud SQL and other producer
 * services get their addresses) is the last sixteenth of the network range:
 * a /20 of a /16, a /24 of a /20. The tier plan uses the first 26 subnets only,
 * so it never overlaps, and it stays within the RFC 1918 range the user chose.
 */
export function privateServicesRange(cidr: string): string {
  return cidrSubnet(cidr, 4, 15);
}

export class GcpNetwork extends Construct implements INetwork {
  /** `network` as a GCP network; fails when it belongs to another cloud. */
  public static of(network: INetwork): GcpNetwork {
    return requireKind(GcpNetwork, network, "Network", "network", "a GCP network of the same stack");
  }

  public readonly cloud = "gcp" as const;
  public readonly networkId: string;
  public readonly networkName: string;
  public readonly cidr: string;
  public readonly plan: SubnetPlan;
  /** The VPC network. */
  public readonly resource: ComputeNetwork;
  /** Subnetwork for application VMs (first CIDR of the application tier); egress through Cloud NAT. */
  public readonly applicationSubnetwork: ComputeSubnetwork;
  /** Subnetwork of the data tier (first CIDR of the data tier); no NAT, no internet route. */
  public readonly dataSubnetwork: ComputeSubnetwork;
  /** CIDR reserved for private services access (Cloud SQL private IPs). */
  public readonly privateServicesCidr: string;
  /** Name of the allocated range, for `allocated_ip_range` of producer services. */
  public readonly privateServicesRangeName: string;
  /** The peering with Google's service producer network; databases depend on it. */
  public readonly privateServicesConnection: ServiceNetworkingConnection;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const platform = GcpPlatform.of(this);
    const r = validateNetworkProps("gcp", id, props);
    const region = platform.region;
    const compute = platform.apis("compute");
    this.cidr = r.cidr;
    this.plan = planSubnets(r.cidr, r.zoneCount);
    const name = platform.name(`Network '${id}'`, "resource", { field: "network id", value: id });
    this.networkName = name;

    this.resource = new ComputeNetwork(this, "Resource", {
      name,
      description: GCP_FROZEN_DESCRIPTIONS.network,
      autoCreateSubnetworks: false,
      routingMode: "REGIONAL",
      dependsOn: compute,
    });
    this.networkId = this.resource.id;

    // GCP subnetworks are regional: one per tier covers every zone. The
    // remaining CIDRs of each tier stay reserved in the shared address plan.
    const subnet = (tier: "application" | "data") =>
      new ComputeSubnetwork(this, `${tier}-subnetwork`, {
        name: platform.name(`Network '${id}'`, "resource", { field: "network id", value: id }, { field: "tier", value: tier }),
        description: GCP_FROZEN_DESCRIPTIONS[tier],
        network: this.resource.id,
        region,
        ipCidrRange: this.plan[tier][0],
        privateIpGoogleAccess: true,
        logConfig: { aggregationInterval: "INTERVAL_5_SEC", flowSampling: 1, metadata: "INCLUDE_ALL_METADATA" },
      });
    this.applicationSubnetwork = subnet("application");
    this.dataSubnetwork = subnet("data");

    // Egress for the application tier only; Cloud NAT is regional, so `natGateways` needs no per-zone copies.
    const router = new ComputeRouter(this, "router", {
      name: platform.name(`Network '${id}'`, "resource", { field: "network id", value: id }, { field: "suffix", value: "router" }),
      network: this.resource.id,
      region,
    });
    const natName = platform.name(`Network '${id}'`, "resource", { field: "network id", value: id }, { field: "suffix", value: "nat" });
    new ComputeRouterNat(this, "nat", {
      name: natName,
      router: router.name,
      region,
      natIpAllocateOption: "AUTO_ONLY",
      sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS",
      subnetwork: [{ name: this.applicationSubnetwork.id, sourceIpRangesToNat: ["ALL_IP_RANGES"] }],
      logConfig: { enable: true, filter: "ALL" },
    });

    // Flow and NAT logs go to a dedicated log bucket that keeps them for the contract's retention.
    const logBucket = gcpLogBucket(this, "flow-log-bucket", {
      context: `Network '${id}'`,
      parts: [{ field: "network id", value: id }, { field: "suffix", value: "flow-logs" }],
      description: "VPC flow logs and Cloud NAT logs",
      retentionDays: r.flowLogRetentionDays,
      deletionProtection: r.deletionProtection,
    });
    const subnetNames = [this.applicationSubnetwork.name, this.dataSubnetwork.name].map((n) => `"${n}"`).join(" OR ");
    new LoggingProjectSink(this, "flow-log-sink", {
      name: platform.name(`Network '${id}'`, "resource", { field: "network id", value: id }, { field: "suffix", value: "flow-logs" }),
      destination: `logging.googleapis.com/${logBucket.id}`,
      filter:
        `(log_id("compute.googleapis.com/vpc_flows") AND resource.labels.subnetwork_name=(${subnetNames})) OR ` +
        `(log_id("compute.googleapis.com/nat_flows") AND resource.labels.gateway_name="${natName}")`,
      uniqueWriterIdentity: true,
    });

    // Explicit, logged deny of all other ingress (GCP's implied deny is not logged).
    new ComputeFirewall(this, "deny-all-ingress", {
      name: platform.name(`Network '${id}'`, "resource", { field: "network id", value: id }, { field: "suffix", value: "deny-all-ingress" }),
      network: this.resource.id,
      description: "Deny every ingress not allowed by a higher-priority rule",
      direction: "INGRESS",
      priority: 65534,
      sourceRanges: ["0.0.0.0/0"],
      deny: [{ protocol: "all" }],
      logConfig: { metadata: "INCLUDE_ALL_METADATA" },
    });

    // Private services access: Cloud SQL gets its private IP from this range through VPC peering.
    this.privateServicesCidr = privateServicesRange(r.cidr);
    const parsed = parseCidr(this.privateServicesCidr)!;
    this.privateServicesRangeName = platform.name(`Network '${id}'`, "resource", { field: "network id", value: id }, { field: "suffix", value: "private-services" });
    const range = new ComputeGlobalAddress(this, "private-services-range", {
      name: this.privateServicesRangeName,
      description: GCP_FROZEN_DESCRIPTIONS.privateServices,
      purpose: "VPC_PEERING",
      addressType: "INTERNAL",
      address: this.privateServicesCidr.split("/")[0],
      prefixLength: parsed.prefix,
      network: this.resource.id,
    });
    this.privateServicesConnection = new ServiceNetworkingConnection(this, "private-services-connection", {
      network: this.resource.id,
      service: "servicenetworking.googleapis.com",
      reservedPeeringRanges: [range.name],
      // Deleting the connection fails while Cloud SQL holds producer resources, which it keeps for days after
      // the instance is gone: abandon it on destroy (the peering then stays; prerequisites.ts gcpServiceNetworkingTeardown).
      deletionPolicy: "ABANDON",
      // A re-created stack finds the abandoned connection: patch its ranges instead of failing the create.
      updateOnCreationFail: true,
      dependsOn: platform.apis("servicenetworking"),
    });
  }
}

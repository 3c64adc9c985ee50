import { CANARY_WINDOW, type ClusterSpec, FLEET_CLUSTERS } from './fleet-clusters.ts';
import { FLEET_MIX, type FleetMixEntry } from './fleet-mix.ts';
import { FleetProfileError } from './fleet-profile-error.ts';
import { HOSTILE_PRETTY_NAMES, HOSTILE_VALUES } from './hostile-values.ts';
import { createPrng, hexDigits, mixSeed, type Prng, permute32 } from './prng.ts';
import { type ProbeProfile, parseProbeProfile } from './probe-profile.ts';
import { createNodeOutputRenderer } from './render-node-output.ts';
import type {
  FleetFaultMode,
  HostileValues,
  MaintenanceWindowSpec,
  NodeFault,
  NodeVariants,
  VirtualFleet,
  VirtualNode,
} from './virtual-fleet.ts';

export interface GenerateFleetInput {
  /** Profile name -> recorded probe output (see loadProfiles). */
  readonly profiles: ReadonlyMap<string, string>;
  readonly nodes: number;
  readonly seed: number;
  readonly faults: FleetFaultMode;
  /** @default FLEET_MIX */
  readonly mix?: readonly FleetMixEntry[];
  /** Share of hybrid (`mi-`) nodes, all in the on-premises cluster. @default 0.05 */
  readonly hybridShare?: number;
}

/**
 * Share of nodes per chaos fault. A few percent in all; each fault hits at least one node once the
 * fleet has 50 nodes, so that a chaos scan always meets every outcome.
 */
export const CHAOS_RATES: Readonly<Record<Exclude<NodeFault, 'none'>, number>> = {
  undeliverable: 0.01,
  offline: 0.01,
  vanish: 0.005,
  'execution-timeout': 0.005,
  failed: 0.01,
  'invalid-platform': 0.002,
  'access-denied': 0.002,
  truncated: 0.01,
  garbage: 0.005,
  oversized: 0.01,
};

/** Per-node variants, as shares of the nodes they may apply to. */
const VARIANT_RATES = { hang: 0.03, pid1Deleted: 0.03, rebootRequired: 0.06 } as const;
const HOSTILE_SHARE = 0.15;
const AGENT_VERSIONS = ['3.3.1142.0', '3.3.987.0', '3.2.2303.0', '3.1.1732.0'] as const;
const NO_VARIANTS: NodeVariants = Object.freeze({ hang: false, pid1Deleted: false, rebootRequired: false });
const DAY = 86_400;

/**
 * Builds a virtual fleet: `nodes` managed nodes spread over recorded profiles (by the mix's
 * weights) and clusters, with faults per `faults`. Pure and deterministic: the same input gives
 * the same fleet, ids and outputs included. Profiles, variants, faults and hostile values draw
 * from independent seeded streams, so switching the fault mode never changes a node's profile.
 */
export function generateFleet(input: GenerateFleetInput): VirtualFleet {
  const { seed, faults } = input;
  const count = Math.max(0, Math.floor(input.nodes));
  const hybridShare = input.hybridShare ?? 0.05;
  const { entries, parsed, missing } = selectProfiles(input.profiles, input.mix ?? FLEET_MIX);

  const faultOf = assignFaults(count, faults, createPrng(mixSeed(seed, 'faults')));
  const hostileOf = assignHostile(count, faults, createPrng(mixSeed(seed, 'hostile')));

  const base = createPrng(mixSeed(seed, 'base'));
  const variantStream = createPrng(mixSeed(seed, 'variants'));
  const idSalt = mixSeed(seed, 'ids');
  const ec2Clusters = FLEET_CLUSTERS.filter((c) => !c.hybrid);
  const hybridCluster = FLEET_CLUSTERS.find((c) => c.hybrid);
  const nodes: VirtualNode[] = new Array(count);

  for (let index = 0; index < count; index += 1) {
    const hybrid = hybridCluster !== undefined && base.chance(hybridShare);
    const cluster = hybrid ? hybridCluster : pickWeighted(base, ec2Clusters, (c) => c.weight);
    const entry = pickWeighted(base, entries, (e) => e.weight);
    const profile = parsed.get(entry.profile) as ProbeProfile;
    const fault = faultOf[index] as NodeFault;
    const instanceId = `${hybrid ? 'mi-' : 'i-'}${hexDigits(base, 9)}${permute32((index ^ idSalt) >>> 0)
      .toString(16)
      .padStart(8, '0')}`;
    const ip = `10.${(index >>> 16) & 255}.${(index >>> 8) & 255}.${index & 255}`;
    const hostile = hostileOf[index];
    const variants = drawVariants(variantStream, entry, profile);
    const windows = fault === 'invalid-platform';
    // Long uptimes where the hang shows: the cookie counter overflows after months.
    const uptimeSeconds = variants.hang
      ? base.int(120 * DAY, 500 * DAY)
      : Math.round(Math.exp(Math.log(DAY) + base.next() * Math.log(300)));
    const azIndex = base.int(0, cluster.azs.length - 1);
    const pool = base.pick(cluster.pools);
    const offline = fault === 'offline' || fault === 'undeliverable';
    const hostname = windows
      ? `EC2AMAZ-${permute32(index ^ idSalt)
          .toString(36)
          .toUpperCase()
          .padStart(7, '0')
          .slice(0, 7)}`
      : hybrid
        ? `k8s-${cluster.name}-${String(index).padStart(5, '0')}.corp.example.com`
        : `ip-${ip.replaceAll('.', '-')}.ec2.internal`;
    nodes[index] = {
      index,
      instanceId,
      resourceType: hybrid ? 'ManagedInstance' : 'EC2Instance',
      profile: windows ? 'windows' : entry.profile,
      tags: {
        Name: hostile?.nameTag ?? `${cluster.name}-${pool}-node`,
        cluster: cluster.name,
        az: cluster.azs[azIndex] as string,
        // The default target tag of a deployment (docs/DEPLOY.md): nodes opt in to scanning.
        'fleet-compliance': 'enabled',
      },
      hostname: hostile?.values.hostname ?? hostname,
      ipAddress: ip,
      platformType: windows ? 'Windows' : 'Linux',
      platformName: windows ? 'Microsoft Windows Server 2019 Datacenter' : platformName(profile),
      platformVersion: windows ? '10.0.17763' : profile.osVersionId,
      agentVersion: base.pick(AGENT_VERSIONS),
      pingStatus: offline ? 'ConnectionLost' : 'Online',
      lastPingAgoSeconds: offline ? base.int(2 * 3600, 30 * DAY) : base.int(0, 300),
      // Never 0: a poller right after SendCommand should see the command in progress.
      responseDelayMs: base.int(20, 300),
      fault,
      variants,
      hostile: hostile?.values,
      uptimeSeconds,
      nodeSeed: base.uint32(),
    };
  }

  if (faults === 'hostile') spoofIds(nodes, createPrng(mixSeed(seed, 'spoof')));

  const byId = new Map<string, VirtualNode>();
  for (const node of nodes) byId.set(node.instanceId, node);
  const renderer = createNodeOutputRenderer(parsed);
  return {
    seed,
    faults,
    nodes,
    clusters: FLEET_CLUSTERS.map((c) => c.name),
    maintenanceWindows: planMaintenanceWindows(seed, FLEET_CLUSTERS, nodes),
    missingProfiles: missing,
    byId: (id) => byId.get(id),
    stdout: (node) => renderer.stdout(node),
    stderr: (node) => renderer.stderr(node),
    exitCode: (node) => renderer.exitCode(node),
  };
}

function selectProfiles(
  profiles: ReadonlyMap<string, string>,
  mix: readonly FleetMixEntry[],
): { entries: FleetMixEntry[]; parsed: Map<string, ProbeProfile>; missing: string[] } {
  const entries = mix.filter((e) => e.weight > 0 && profiles.has(e.profile));
  const missing = mix.filter((e) => !profiles.has(e.profile)).map((e) => e.profile);
  if (entries.length === 0) {
    const available = [...profiles.keys()];
    throw new FleetProfileError(
      'fleet.no-profiles',
      `none of the fleet mix's profiles was found (missing: ${missing.join(', ') || 'none'}; ` +
        `available: ${available.join(', ') || 'none'}); record them in src/local/profiles/<name>.txt`,
    );
  }
  const parsed = new Map<string, ProbeProfile>();
  for (const entry of entries) {
    parsed.set(entry.profile, parseProbeProfile(entry.profile, profiles.get(entry.profile) as string));
  }
  return { entries, parsed, missing };
}

function pickWeighted<T>(prng: Prng, items: readonly T[], weight: (item: T) => number): T {
  let total = 0;
  for (const item of items) total += weight(item);
  let x = prng.next() * total;
  for (const item of items) {
    x -= weight(item);
    if (x < 0) return item;
  }
  return items[items.length - 1] as T;
}

function drawVariants(prng: Prng, entry: FleetMixEntry, profile: ProbeProfile): NodeVariants {
  // Three draws per node whatever the outcome, so one node's variants never shift the next node's.
  const hangDraw = prng.next();
  const pid1Draw = prng.next();
  const rebootDraw = prng.next();
  const hangCapable = entry.hangCapable ?? (profile.systemdMajor !== undefined && profile.systemdMajor < 242);
  const hang = hangCapable && hangDraw < VARIANT_RATES.hang;
  const pid1Deleted = profile.keyIndex.has('systemd.pid1_deleted') && pid1Draw < VARIANT_RATES.pid1Deleted;
  const rebootRequired = profile.keyIndex.has('reboot.required') && rebootDraw < VARIANT_RATES.rebootRequired;
  if (!hang && !pid1Deleted && !rebootRequired) return NO_VARIANTS;
  return { hang, pid1Deleted, rebootRequired };
}

/** Exact quotas on distinct random nodes (a partial Fisher-Yates shuffle): O(n), reproducible. */
function assignFaults(count: number, mode: FleetFaultMode, prng: Prng): NodeFault[] {
  const faults: NodeFault[] = new Array(count).fill('none');
  if (mode !== 'chaos' || count === 0) return faults;
  const order = shuffledIndexes(count, prng);
  let next = 0;
  for (const [fault, rate] of Object.entries(CHAOS_RATES) as [NodeFault, number][]) {
    const quota = Math.max(count >= 50 ? 1 : 0, Math.round(count * rate));
    for (let k = 0; k < quota && next < count; k += 1) faults[order[next++] as number] = fault;
  }
  return faults;
}

interface HostileAssignment {
  readonly values: HostileValues;
  readonly nameTag: string | undefined;
}

/** Every hostile value is used in turn, so that a large enough fleet carries all of them. */
function assignHostile(count: number, mode: FleetFaultMode, prng: Prng): (HostileAssignment | undefined)[] {
  const out: (HostileAssignment | undefined)[] = new Array(count).fill(undefined);
  if (mode !== 'hostile' || count === 0) return out;
  const order = shuffledIndexes(count, prng);
  const quota = Math.max(1, Math.round(count * HOSTILE_SHARE));
  for (let k = 0; k < quota && k < count; k += 1) {
    const values: { hostname?: string; prettyName?: string } = {
      hostname: HOSTILE_VALUES[k % HOSTILE_VALUES.length] as string,
    };
    if (k % 3 === 0) values.prettyName = HOSTILE_PRETTY_NAMES[(k / 3) % HOSTILE_PRETTY_NAMES.length];
    const nameTag = k % 2 === 0 ? HOSTILE_VALUES[(k + 5) % HOSTILE_VALUES.length] : undefined;
    out[order[k] as number] = { values, nameTag };
  }
  return out;
}

/** A few nodes print another node's id as their own `node.id` (one per 500, at least one). */
function spoofIds(nodes: VirtualNode[], prng: Prng): void {
  if (nodes.length < 2) return;
  const quota = Math.max(1, Math.floor(nodes.length / 500));
  const order = shuffledIndexes(nodes.length, prng);
  for (let k = 0; k < quota; k += 1) {
    const index = order[k] as number;
    const node = nodes[index] as VirtualNode;
    const victim = nodes[(index + 1) % nodes.length] as VirtualNode;
    nodes[index] = { ...node, hostile: { ...node.hostile, spoofedId: victim.instanceId } };
  }
}

function shuffledIndexes(count: number, prng: Prng): Uint32Array {
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i += 1) order[i] = i;
  for (let i = count - 1; i > 0; i -= 1) {
    const j = prng.int(0, i);
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  return order;
}

/** SSM's PlatformName is the os-release NAME; the profile carries ID, so map the usual ones. */
function platformName(profile: ProbeProfile): string {
  switch (profile.osId) {
    case 'amzn':
      return 'Amazon Linux';
    case 'ubuntu':
      return 'Ubuntu';
    case 'debian':
      return 'Debian GNU/Linux';
    case 'centos':
      return 'CentOS Linux';
    case 'rhel':
      return profile.osVersionId.startsWith('7')
        ? 'Red Hat Enterprise Linux Server'
        : 'Red Hat Enterprise Linux';
    default:
      return profile.osPrettyName.replace(/\s+[\d.]+.*$/, '') || profile.osId;
  }
}

function planMaintenanceWindows(
  seed: number,
  clusters: readonly ClusterSpec[],
  nodes: readonly VirtualNode[],
): MaintenanceWindowSpec[] {
  const windowFor = (
    name: string,
    description: string,
    window: ClusterSpec['window'],
    key: string,
    values: readonly string[],
  ): MaintenanceWindowSpec => {
    const prng = createPrng(mixSeed(seed, 'window', name));
    const id = hexDigits(prng, 32);
    return {
      windowId: `mw-${hexDigits(prng, 17)}`,
      name,
      description,
      schedule: window.schedule,
      scheduleTimezone: window.timezone,
      durationHours: window.durationHours,
      cutoffHours: window.cutoffHours,
      target: {
        windowTargetId: `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`,
        key,
        values,
      },
    };
  };
  const windows = clusters.map((c) =>
    windowFor(c.name, `Patch and reboot window of cluster ${c.name}`, c.window, 'tag:cluster', [c.name]),
  );
  const firstOfCluster = new Map<string, string>();
  for (const node of nodes) {
    const cluster = node.tags.cluster as string;
    if (!firstOfCluster.has(cluster)) firstOfCluster.set(cluster, node.instanceId);
  }
  if (firstOfCluster.size > 0) {
    windows.push(
      windowFor(
        CANARY_WINDOW.name,
        'Canary nodes rebooted before the cluster windows',
        {
          schedule: CANARY_WINDOW.schedule,
          timezone: CANARY_WINDOW.timezone,
          durationHours: CANARY_WINDOW.durationHours,
          cutoffHours: CANARY_WINDOW.cutoffHours,
        },
        'InstanceIds',
        [...firstOfCluster.values()],
      ),
    );
  }
  return windows;
}

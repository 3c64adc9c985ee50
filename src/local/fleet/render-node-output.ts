import { PID1_BEFORE_UPGRADE } from './pid1-before-upgrade.ts';
import { createPrng, mixSeed, type Prng } from './prng.ts';
import { PROBE_HEADER, type ProbeProfile, profileValue, renderProbeOutput } from './probe-profile.ts';
import type { VirtualNode } from './virtual-fleet.ts';

/** Faults where the probe never ran on the node: no output at all. */
const NEVER_RAN = new Set<VirtualNode['fault']>([
  'undeliverable',
  'offline',
  'vanish',
  'invalid-platform',
  'access-denied',
]);

/** What a probe that died prints on stderr, with the exit code it dies with. */
const PROBE_DEATHS: readonly { readonly stderr: string; readonly exitCode: number }[] = [
  { stderr: 'sh: 61: cannot create /tmp/fleet-compliance.4711: No space left on device\n', exitCode: 2 },
  { stderr: 'sh: 1: timeout: not found\n', exitCode: 127 },
  { stderr: 'Killed\n', exitCode: 137 },
  { stderr: 'sh: 88: Syntax error: end of file unexpected (expecting "fi")\n', exitCode: 2 },
  { stderr: 'fleet-compliance-probe: /proc is not mounted\n', exitCode: 1 },
];

export interface NodeOutputRenderer {
  stdout(node: VirtualNode): string;
  stderr(node: VirtualNode): string;
  exitCode(node: VirtualNode): number;
}

/**
 * Renders a node's probe output from its profile on demand. Only values that change from node to
 * node are substituted (id, hostname, uptime, timings, the variants' symptom keys); versions are
 * left exactly as recorded, and chaos only removes, cuts or replaces the text.
 */
export function createNodeOutputRenderer(profiles: ReadonlyMap<string, ProbeProfile>): NodeOutputRenderer {
  const complete = (node: VirtualNode): string => {
    const profile = profiles.get(node.profile);
    if (profile === undefined) return '';
    const extra =
      node.fault === 'oversized'
        ? {
            insertAfterKey: 'os.pretty_name',
            lines: mountLines(createPrng(mixSeed(node.nodeSeed, 'mounts'))),
          }
        : undefined;
    return renderProbeOutput(
      profile,
      nodeOverrides(profile, node, createPrng(mixSeed(node.nodeSeed, 'values'))),
      extra,
    );
  };

  return {
    stdout(node) {
      if (NEVER_RAN.has(node.fault)) return '';
      const damage = createPrng(mixSeed(node.nodeSeed, 'damage'));
      switch (node.fault) {
        case 'garbage':
          return garbage(damage);
        case 'truncated': {
          const text = complete(node);
          // Anywhere after the header and before the `end` line: the cut never leaves `end`.
          const cut = damage.int(PROBE_HEADER.length + 1, text.length - 'end\n'.length - 1);
          return text.slice(0, cut);
        }
        case 'failed':
        case 'execution-timeout': {
          // Whole lines up to a point before `end`: the probe died or was killed mid-way.
          const lines = complete(node).split('\n');
          const endLine = lines.lastIndexOf('end');
          const kept = Math.min(damage.int(2, Math.max(2, endLine - 1)), endLine);
          return `${lines.slice(0, kept).join('\n')}\n`;
        }
        default:
          return complete(node);
      }
    },
    stderr(node) {
      if (node.fault !== 'failed') return '';
      return death(node).stderr;
    },
    exitCode(node) {
      return node.fault === 'failed' ? death(node).exitCode : 0;
    },
  };
}

function death(node: VirtualNode): (typeof PROBE_DEATHS)[number] {
  return createPrng(mixSeed(node.nodeSeed, 'death')).pick(PROBE_DEATHS);
}

function nodeOverrides(profile: ProbeProfile, node: VirtualNode, prng: Prng): Record<string, string> {
  const overrides: Record<string, string> = {
    'node.id': node.hostile?.spoofedId ?? node.instanceId,
    'node.hostname': node.hostname,
    'uptime.seconds': String(node.uptimeSeconds),
  };
  const jitter = (key: string, min: number, max: number): void => {
    const recorded = profileValue(profile, key);
    if (recorded !== undefined && /^\d+$/.test(recorded)) overrides[key] = String(prng.int(min, max));
  };
  jitter('systemd.bus_ms', 1, 25);
  jitter('symptom.docker_ps_ms', 15, 350);
  jitter('probe.duration_ms', 250, 2400);
  if (node.variants.hang) {
    overrides['systemd.bus_ms'] = '!timeout';
    if (profileValue(profile, 'symptom.docker_ps_ms') !== '!absent')
      overrides['symptom.docker_ps_ms'] = '!timeout';
    if (profileValue(profile, 'symptom.pleg_24h') !== '!absent')
      overrides['symptom.pleg_24h'] = String(prng.int(3, 60));
  }
  if (node.variants.pid1Deleted) {
    overrides['systemd.pid1_deleted'] = '1';
    const before = PID1_BEFORE_UPGRADE[node.profile];
    if (before !== undefined) overrides['systemd.running'] = before;
  }
  if (node.variants.rebootRequired) overrides['reboot.required'] = '1';
  if (node.hostile?.prettyName !== undefined) overrides['os.pretty_name'] = node.hostile.prettyName;
  return overrides;
}

/**
 * Lines a newer probe might add (unknown keys, which readers ignore): enough of them to take the
 * output past 2,500 characters, the ListCommandInvocations cap, while each stays within 256.
 */
function mountLines(prng: Prng): string[] {
  const count = prng.int(20, 40);
  const lines: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const pod = uuidLike(prng);
    const pvc = uuidLike(prng);
    lines.push(
      `mount.${i}=/dev/nvme${prng.int(1, 9)}n1 /var/lib/kubelet/pods/${pod}/volumes/kubernetes.io~csi/pvc-${pvc}/mount ext4 rw,relatime`,
    );
  }
  return lines;
}

function uuidLike(prng: Prng): string {
  const hex = (n: number): string => {
    let s = '';
    while (s.length < n) s += prng.uint32().toString(16).padStart(8, '0');
    return s.slice(0, n);
  };
  return `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
}

/** Random bytes as the agent would pass them on (invalid UTF-8 becomes U+FFFD); half keep the header. */
function garbage(prng: Prng): string {
  const bytes = Buffer.alloc(prng.int(64, 1500));
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = prng.int(0, 255);
  const text = bytes.toString('utf8');
  return prng.chance(0.5) ? `${PROBE_HEADER}\n${text}` : text;
}

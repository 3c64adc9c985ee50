import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FLEET_MIX } from '../../../src/local/fleet/fleet-mix.ts';
import { FleetProfileError } from '../../../src/local/fleet/fleet-profile-error.ts';
import { CHAOS_RATES, generateFleet } from '../../../src/local/fleet/generate-fleet.ts';
import { HOSTILE_PRETTY_NAMES, HOSTILE_VALUES } from '../../../src/local/fleet/hostile-values.ts';
import { loadProfiles, PROFILES_DIR } from '../../../src/local/fleet/load-profiles.ts';
import { PID1_BEFORE_UPGRADE } from '../../../src/local/fleet/pid1-before-upgrade.ts';
import { parseProbeProfile } from '../../../src/local/fleet/probe-profile.ts';
import type { NodeFault, VirtualFleet, VirtualNode } from '../../../src/local/fleet/virtual-fleet.ts';
import { TEST_MIX, TEST_PROFILES, UBUNTU_2204 } from './profile-fixtures.ts';

const fleetOf = (faults: VirtualFleet['faults'], nodes = 1000, seed = 42): VirtualFleet =>
  generateFleet({ profiles: TEST_PROFILES, mix: TEST_MIX, nodes, seed, faults });

function fingerprint(fleet: VirtualFleet): string {
  const hash = createHash('sha256');
  for (const node of fleet.nodes) {
    hash.update(JSON.stringify(node));
    hash.update(fleet.stdout(node));
  }
  return hash.digest('hex');
}

/** `key=value` lines of an output, as a map (first occurrence wins). */
function keyValues(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && !out.has(line.slice(0, eq))) out.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return out;
}

const VERSION_KEYS = [
  'os.id',
  'os.version_id',
  'kernel.running',
  'kernel.installed',
  'systemd.version',
  'systemd.package',
  'systemd.running',
  'docker.version',
  'docker.package',
  'containerd.version',
  'containerd.package',
  'runc.version',
  'runc.package',
  'kubelet.version',
  'cgroup.fs',
];

/** A recorded value as the node prints it: PID 1 keeps its pre-upgrade build on pid1Deleted nodes. */
function expectedValue(
  node: VirtualNode,
  key: string,
  recorded: ReadonlyMap<string, string>,
): string | undefined {
  const before = PID1_BEFORE_UPGRADE[node.profile];
  if (key === 'systemd.running' && node.variants.pid1Deleted && before !== undefined) return before;
  return recorded.get(key);
}

describe('generateFleet', () => {
  const large = fleetOf('none', 20_000);

  it('builds the same fleet from the same seed, outputs included', () => {
    expect(fingerprint(fleetOf('chaos', 500, 7))).toBe(fingerprint(fleetOf('chaos', 500, 7)));
  });

  it('builds a different fleet from a different seed', () => {
    const a = fleetOf('none', 500, 7);
    const b = fleetOf('none', 500, 8);
    expect(fingerprint(a)).not.toBe(fingerprint(b));
    expect(a.nodes.filter((n, i) => n.instanceId === b.nodes[i]?.instanceId)).toHaveLength(0);
  });

  it('gives every node a unique, well-formed id, with a share of hybrid nodes', () => {
    const fleet = large;
    const ids = fleet.nodes.map((n) => n.instanceId);
    expect(new Set(ids).size).toBe(ids.length);
    const malformed = fleet.nodes.filter(
      (n) =>
        !(n.resourceType === 'ManagedInstance' ? /^mi-[0-9a-f]{17}$/ : /^i-[0-9a-f]{17}$/).test(n.instanceId),
    );
    expect(malformed).toEqual([]);
    expect(fleet.nodes.every((n) => fleet.byId(n.instanceId) === n)).toBe(true);
    const hybrid = fleet.nodes.filter((n) => n.resourceType === 'ManagedInstance');
    expect(hybrid.length / fleet.nodes.length).toBeCloseTo(0.05, 1);
    expect(hybrid.every((n) => n.tags.cluster === 'onprem-dc1')).toBe(true);
    expect(new Set(fleet.nodes.map((n) => n.tags.cluster)).size).toBeGreaterThanOrEqual(4);
  });

  it('follows the mix weights within tolerance', () => {
    const fleet = large;
    const total = TEST_MIX.reduce((sum, e) => sum + e.weight, 0);
    for (const entry of TEST_MIX) {
      const share = fleet.nodes.filter((n) => n.profile === entry.profile).length / fleet.nodes.length;
      expect(Math.abs(share - entry.weight / total), entry.profile).toBeLessThan(0.015);
    }
  });

  it('follows the default fleet mix, whatever profiles are recorded', () => {
    const profiles = new Map(FLEET_MIX.map((e) => [e.profile, UBUNTU_2204]));
    const fleet = generateFleet({ profiles, nodes: 20_000, seed: 1, faults: 'none' });
    const total = FLEET_MIX.reduce((sum, e) => sum + e.weight, 0);
    for (const entry of FLEET_MIX) {
      const share = fleet.nodes.filter((n) => n.profile === entry.profile).length / fleet.nodes.length;
      expect(Math.abs(share - entry.weight / total), entry.profile).toBeLessThan(0.01);
    }
  });

  it('skips mix entries whose profile is missing and names them', () => {
    const fleet = generateFleet({
      profiles: new Map([['ubuntu-22.04', UBUNTU_2204]]),
      nodes: 50,
      seed: 1,
      faults: 'none',
    });
    expect(new Set(fleet.nodes.map((n) => n.profile))).toEqual(new Set(['ubuntu-22.04']));
    expect(fleet.missingProfiles).toContain('centos-7.6-unfixed');
    expect(fleet.missingProfiles).not.toContain('ubuntu-22.04');
  });

  it('refuses to build a fleet when no profile of the mix exists, listing the missing ones', () => {
    const build = () =>
      generateFleet({ profiles: new Map([['other', UBUNTU_2204]]), nodes: 5, seed: 1, faults: 'none' });
    expect(build).toThrow(FleetProfileError);
    expect(build).toThrow(/missing: amzn-2023, amzn-2, .*debian-10.*available: other/);
  });

  it('substitutes the node id, hostname and uptime and keeps every version as recorded', () => {
    const fleet = fleetOf('none', 300);
    for (const node of fleet.nodes) {
      const values = keyValues(fleet.stdout(node));
      const recorded = keyValues(TEST_PROFILES.get(node.profile) as string);
      expect(values.get('node.id')).toBe(node.instanceId);
      expect(values.get('node.hostname')).toBe(node.hostname);
      expect(values.get('uptime.seconds')).toBe(String(node.uptimeSeconds));
      for (const key of VERSION_KEYS) expect(values.get(key), key).toBe(expectedValue(node, key, recorded));
      expect(fleet.stdout(node).startsWith('fleet-compliance-probe/1\n')).toBe(true);
      expect(fleet.stdout(node).endsWith('\nend\n')).toBe(true);
    }
    const days = fleet.nodes.map((n) => n.uptimeSeconds / 86_400);
    expect(Math.min(...days)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...days)).toBeGreaterThan(60);
  });

  it('shows a hang in progress only where the recorded systemd is old', () => {
    const fleet = fleetOf('none', 5000);
    const hung = fleet.nodes.filter((n) => n.variants.hang);
    expect(hung.length).toBeGreaterThan(0);
    for (const node of hung) {
      expect(node.profile).toBe('centos-7.6-unfixed');
      const values = keyValues(fleet.stdout(node));
      expect(values.get('systemd.bus_ms')).toBe('!timeout');
      expect(values.get('symptom.docker_ps_ms')).toBe('!timeout');
      expect(Number(values.get('symptom.pleg_24h'))).toBeGreaterThan(0);
      expect(node.uptimeSeconds).toBeGreaterThan(100 * 86_400);
    }
    const pid1 = fleet.nodes.filter((n) => n.variants.pid1Deleted);
    expect(pid1.length).toBeGreaterThan(0);
    for (const node of pid1) expect(keyValues(fleet.stdout(node)).get('systemd.pid1_deleted')).toBe('1');
  });

  it('gives every node the same profile and outputs with or without chaos', () => {
    const calm = fleetOf('none');
    const chaos = fleetOf('chaos');
    chaos.nodes.forEach((node, i) => {
      const twin = calm.nodes[i] as VirtualNode;
      expect(node.instanceId).toBe(twin.instanceId);
      if (node.fault !== 'invalid-platform') expect(node.profile).toBe(twin.profile);
      if (node.fault === 'none') expect(chaos.stdout(node)).toBe(calm.stdout(twin));
    });
  });
});

describe('chaos', () => {
  const fleet = fleetOf('chaos');
  const calm = fleetOf('none');
  const withFault = (fault: NodeFault) => fleet.nodes.filter((n) => n.fault === fault);

  it('hits a few percent of the nodes with every fault', () => {
    for (const [fault, rate] of Object.entries(CHAOS_RATES)) {
      expect(withFault(fault as NodeFault).length, fault).toBe(Math.max(1, Math.round(1000 * rate)));
    }
    const hit = fleet.nodes.filter((n) => n.fault !== 'none').length;
    expect(hit / 1000).toBeGreaterThan(0.03);
    expect(hit / 1000).toBeLessThan(0.1);
  });

  it('cuts truncated outputs before `end` and never rewrites what remains', () => {
    for (const node of withFault('truncated')) {
      const text = fleet.stdout(node);
      expect(text).not.toMatch(/(^|\n)end(\n|$)/);
      expect(calm.stdout(calm.nodes[node.index] as VirtualNode).startsWith(text)).toBe(true);
    }
  });

  it('pads oversized outputs past 2,500 characters with unknown keys only', () => {
    for (const node of withFault('oversized')) {
      const text = fleet.stdout(node);
      const twin = calm.stdout(calm.nodes[node.index] as VirtualNode);
      expect(text.length).toBeGreaterThan(2600);
      expect(text.endsWith('\nend\n')).toBe(true);
      expect(text.split('\n').filter((l) => !l.startsWith('mount.'))).toEqual(twin.split('\n'));
      for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(256 + 20);
    }
  });

  it('leaves failed and timed-out probes with whole lines and no `end`', () => {
    for (const node of [...withFault('failed'), ...withFault('execution-timeout')]) {
      const text = fleet.stdout(node);
      const twin = calm.stdout(calm.nodes[node.index] as VirtualNode);
      expect(twin.startsWith(text)).toBe(true);
      expect(text.endsWith('\n')).toBe(true);
      expect(text).not.toMatch(/\nend\n/);
    }
    for (const node of withFault('failed')) {
      expect(fleet.exitCode(node)).not.toBe(0);
      expect(fleet.stderr(node).length).toBeGreaterThan(0);
    }
  });

  it('replaces garbage outputs with random bytes', () => {
    for (const node of withFault('garbage')) {
      const text = fleet.stdout(node);
      expect(text.length).toBeGreaterThan(60);
      expect(text).not.toMatch(/\nend\n/);
    }
  });

  it('prints nothing where the probe never runs, and turns one node into Windows', () => {
    for (const fault of [
      'undeliverable',
      'offline',
      'vanish',
      'access-denied',
      'invalid-platform',
    ] as const) {
      for (const node of withFault(fault)) expect(fleet.stdout(node)).toBe('');
    }
    expect(withFault('invalid-platform').every((n) => n.platformType === 'Windows')).toBe(true);
    expect(withFault('offline').every((n) => n.pingStatus === 'ConnectionLost')).toBe(true);
    expect(withFault('vanish').every((n) => n.pingStatus === 'Online')).toBe(true);
  });
});

describe('hostile', () => {
  const fleet = fleetOf('hostile', 1000);
  const hostile = fleet.nodes.filter((n) => n.hostile !== undefined);

  it('puts every injection string in node-supplied values', () => {
    const hostnames = new Set(hostile.map((n) => n.hostname));
    for (const value of HOSTILE_VALUES) expect(hostnames, value).toContain(value);
    expect(hostnames).toContain('=HYPERLINK("http://evil.example","x")');
    const pretty = new Set(fleet.nodes.map((n) => keyValues(fleet.stdout(n)).get('os.pretty_name')));
    for (const value of HOSTILE_PRETTY_NAMES) expect(pretty, value).toContain(value);
    expect(pretty).toContain('<script>alert(1)</script>');
    expect(fleet.nodes.some((n) => HOSTILE_VALUES.includes(n.tags.Name as string))).toBe(true);
  });

  it('keeps every value on one line, within the format', () => {
    for (const node of hostile) {
      const text = fleet.stdout(node);
      expect(text.startsWith('fleet-compliance-probe/1\n')).toBe(true);
      expect(text.endsWith('\nend\n')).toBe(true);
      expect(text).not.toContain('\r');
      expect(keyValues(text).get('node.hostname')).toBe(node.hostname);
      for (const key of VERSION_KEYS) {
        expect(keyValues(text).get(key)).toBe(
          expectedValue(node, key, keyValues(TEST_PROFILES.get(node.profile) as string)),
        );
      }
    }
  });

  it('has a few nodes claim another node id', () => {
    const spoofers = fleet.nodes.filter((n) => n.hostile?.spoofedId !== undefined);
    expect(spoofers.length).toBe(2);
    for (const node of spoofers) {
      const claimed = keyValues(fleet.stdout(node)).get('node.id');
      expect(claimed).not.toBe(node.instanceId);
      expect(fleet.byId(claimed as string)).toBeDefined();
    }
  });
});

describe('scale', () => {
  it('generates 100,000 nodes in about a second', () => {
    const started = performance.now();
    const fleet = generateFleet({
      profiles: TEST_PROFILES,
      mix: TEST_MIX,
      nodes: 100_000,
      seed: 3,
      faults: 'chaos',
    });
    const elapsed = performance.now() - started;
    expect(fleet.nodes).toHaveLength(100_000);
    expect(elapsed).toBeLessThan(5000);
  });
});

describe('profiles', () => {
  it('loads <name>.txt files from a directory, and reads a missing directory as none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-profiles-'));
    try {
      writeFileSync(join(dir, 'ubuntu-22.04.txt'), UBUNTU_2204);
      writeFileSync(join(dir, 'README.md'), 'not a profile');
      mkdirSync(join(dir, 'sub'));
      expect([...loadProfiles(dir).keys()]).toEqual(['ubuntu-22.04']);
      expect(loadProfiles(join(dir, 'absent')).size).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a profile without the header or without `end`', () => {
    expect(() => parseProbeProfile('x', 'node.id=1\nend\n')).toThrow(/no "fleet-compliance-probe\/1" line/);
    expect(() => parseProbeProfile('x', 'fleet-compliance-probe/1\nnode.id=1\n')).toThrow(/no "end" line/);
  });

  it('looks for recorded profiles in src/local/profiles by default', () => {
    expect(PROFILES_DIR.replaceAll('\\', '/')).toMatch(/src\/local\/profiles\/$/);
  });

  const recorded = loadProfiles();
  it.skipIf(recorded.size === 0)('builds a fleet from the recorded profiles in src/local/profiles', () => {
    for (const [name, text] of recorded) expect(() => parseProbeProfile(name, text), name).not.toThrow();
    const fleet = generateFleet({ profiles: recorded, nodes: 2000, seed: 1, faults: 'chaos' });
    expect(fleet.nodes).toHaveLength(2000);
    for (const node of fleet.nodes.filter((n) => n.fault === 'none').slice(0, 200)) {
      expect(fleet.stdout(node).endsWith('\nend\n')).toBe(true);
    }
  });
});

import { ABSENT, ERROR_PREFIX, TIMEOUT } from './probe-format.ts';
import type { ProbeBlock } from './parse-probe-output.ts';

/**
 * A probe value as the evaluator sees it: a usable value, or why there is none. `missing` means
 * the key was not in the output at all (truncated or garbled), which is not the same as `absent`
 * (the probe looked and the thing is not installed).
 */
export type FactValue =
  | { readonly state: 'value'; readonly value: string }
  | { readonly state: 'absent' | 'timeout' | 'missing' }
  | { readonly state: 'error'; readonly reason: string };

export type OsFamily = 'el' | 'amzn' | 'debian' | 'ubuntu' | 'suse' | 'other';

export interface NodeFacts {
  /** The node id: the SSM instance id when the caller knows it, else what the probe printed. */
  readonly node: string;
  readonly hostname?: string;
  readonly complete: boolean;
  readonly format: number;
  readonly os: {
    readonly id?: string;
    readonly versionId?: string;
    readonly prettyName?: string;
    readonly family: OsFamily;
  };
  readonly packageManager?: 'rpm' | 'dpkg';
  /** Looks up any key of the output (known or not) as a typed value. */
  fact(key: string): FactValue;
  /** Whether the key appeared in the output at all (even as `!absent`). */
  has(key: string): boolean;
}

const MISSING: FactValue = { state: 'missing' };
const ABSENT_VALUE: FactValue = { state: 'absent' };
const TIMEOUT_VALUE: FactValue = { state: 'timeout' };

/** Reads one raw probe value into its typed form. */
export function toFactValue(raw: string | undefined): FactValue {
  if (raw === undefined) return MISSING;
  if (raw === ABSENT) return ABSENT_VALUE;
  if (raw === TIMEOUT) return TIMEOUT_VALUE;
  if (raw.startsWith(ERROR_PREFIX)) return { state: 'error', reason: raw.slice(ERROR_PREFIX.length).trim() };
  if (raw === '') return ABSENT_VALUE;
  return { state: 'value', value: raw };
}

// os-release ids of the RHEL family (rebuilds and clones share its package versions).
const EL_IDS = new Set(['rhel', 'centos', 'rocky', 'almalinux', 'ol', 'scientific', 'cloudlinux', 'fedora']);

export function osFamilyOf(osId: string | undefined): OsFamily {
  if (!osId) return 'other';
  if (EL_IDS.has(osId)) return 'el';
  if (osId === 'amzn') return 'amzn';
  if (osId === 'debian') return 'debian';
  if (osId === 'ubuntu') return 'ubuntu';
  if (osId === 'sles' || osId === 'opensuse-leap' || osId === 'suse') return 'suse';
  return 'other';
}

/** Builds NodeFacts from a parsed block; `nodeId` (from SSM) wins over what the node says of itself. */
export function toNodeFacts(block: ProbeBlock, nodeId?: string): NodeFacts {
  const values = block.values;
  const fact = (key: string): FactValue => toFactValue(values.get(key));
  const text = (key: string): string | undefined => {
    const v = fact(key);
    return v.state === 'value' ? v.value : undefined;
  };
  const osId = text('os.id')?.toLowerCase();
  const pm = text('pkg.manager');
  return {
    node: nodeId ?? text('node.id') ?? text('node.hostname') ?? 'unknown',
    hostname: text('node.hostname'),
    complete: block.complete,
    format: block.format,
    os: {
      id: osId,
      versionId: text('os.version_id'),
      prettyName: text('os.pretty_name'),
      family: osFamilyOf(osId),
    },
    packageManager: pm === 'rpm' || pm === 'dpkg' ? pm : undefined,
    fact,
    has: (key) => values.has(key),
  };
}

/**
 * The upstream version token inside a command's first line, e.g. `runc version 1.1.12` -> `1.1.12`,
 * `containerd github.com/containerd/containerd v1.7.18 ae71819` -> `v1.7.18`,
 * `Kubernetes v1.28.5-eks-5e0fdde` -> `v1.28.5-eks-5e0fdde`, `Docker version 20.10.24+dfsg1, build x`
 * -> `20.10.24+dfsg1`. A line that is already a bare version is returned as is.
 */
export function extractVersionToken(line: string): string | undefined {
  const tokens = line.split(/[\s,]+/).filter((t) => t !== '');
  // The first token that looks like a version; the last ones may be commit ids or package versions.
  for (const token of tokens) {
    if (/^v?\d+(\.\d+)*/.test(token) && !/^[0-9a-f]{12,}$/.test(token)) return token;
  }
  return undefined;
}

/**
 * The upstream part of a distro package version: epoch dropped (`5:20.10.5~3-0~debian-buster`
 * -> `20.10.5~3-0~debian-buster`, whose upstream reading ignores the tail).
 */
export function packageUpstream(pkg: string): string {
  const colon = pkg.indexOf(':');
  return colon > 0 && /^\d+$/.test(pkg.slice(0, colon)) ? pkg.slice(colon + 1) : pkg;
}

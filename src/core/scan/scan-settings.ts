import { AppError } from '../errors.ts';

/** A tag key with the values any of which selects a node (several keys are ANDed, as in SSM). */
export interface TagFilter {
  readonly key: string;
  readonly values: readonly string[];
}

export type ScanTargets =
  | { readonly kind: 'tags'; readonly tags: readonly TagFilter[] }
  | { readonly kind: 'instances'; readonly ids: readonly string[] };

export interface ScanSettings {
  /** The stack's own probe document; never AWS-RunShellScript. */
  readonly documentName: string;
  readonly targets: ScanTargets;
  /** SSM MaxConcurrency: a count or a percentage of the targets. */
  readonly maxConcurrency: string;
  /**
   * SSM MaxErrors. SSM's own default is 0, which stops a fleet scan at the first failed node; the
   * probe changes nothing, so we let a scan run on and stop only when a quarter of the nodes fail
   * (a sign the document or the agents are broken, not the nodes).
   */
  readonly maxErrors: string;
  /** SSM TimeoutSeconds: how long a command waits to be delivered to an offline node. */
  readonly deliveryTimeoutSeconds: number;
  /** How long the scan waits for stragglers before collecting what it has. */
  readonly deadlineSeconds: number;
  /** Tag keys kept with each node (for at-risk filters and campaign grouping). */
  readonly storedTagKeys: readonly string[];
  readonly historyRetentionDays: number;
}

export const DEFAULT_SCAN_SETTINGS = {
  maxConcurrency: '25%',
  maxErrors: '25%',
  deliveryTimeoutSeconds: 600,
  deadlineSeconds: 1800,
  storedTagKeys: ['Name', 'cluster', 'az'],
  historyRetentionDays: 90,
} as const;

/** SendCommand takes at most 50 InstanceIds per call. */
export const MAX_INSTANCE_IDS_PER_COMMAND = 50;
/** SSM Targets: at most 5 keys, 5 values each. */
const MAX_TAG_KEYS = 5;
const MAX_TAG_VALUES = 5;
const NODE_ID = /^(i-([0-9a-f]{8}|[0-9a-f]{17})|mi-[0-9a-f]{17})$/;

export class InvalidScanSettingsError extends AppError {
  override name = 'InvalidScanSettingsError';
  readonly setting: string;
  constructor(setting: string, message: string) {
    super('scan.invalid-settings', `${setting}: ${message}`);
    this.setting = setting;
  }
}

/**
 * Parses a target spec: `tag:cluster=prod-eu-1,prod-us-1;tag:env=prod` (keys ANDed, values ORed)
 * or `ids:i-0123...,mi-0123...`.
 */
export function parseTargetSpec(spec: string): ScanTargets {
  const trimmed = spec.trim();
  if (trimmed.startsWith('ids:')) {
    const ids = trimmed
      .slice(4)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = ids.find((id) => !NODE_ID.test(id));
    if (ids.length === 0) throw new InvalidScanSettingsError('targets', 'ids: needs at least one instance id');
    if (bad) throw new InvalidScanSettingsError('targets', `"${bad}" is not an instance id (i-... or mi-...)`);
    return { kind: 'instances', ids: [...new Set(ids)] };
  }
  const parts = trimmed.split(';').filter((p) => p.trim() !== '');
  if (parts.length === 0) throw new InvalidScanSettingsError('targets', 'empty target spec');
  if (parts.length > MAX_TAG_KEYS) throw new InvalidScanSettingsError('targets', `at most ${MAX_TAG_KEYS} tag keys`);
  const tags = parts.map((part) => {
    const m = /^\s*tag:([^=]{1,128})=(.+)$/.exec(part);
    if (!m) throw new InvalidScanSettingsError('targets', `"${part.trim()}" is not tag:KEY=VALUE[,VALUE...]`);
    const values = m[2]!
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    if (values.length === 0 || values.length > MAX_TAG_VALUES) {
      throw new InvalidScanSettingsError('targets', `tag ${m[1]} needs 1 to ${MAX_TAG_VALUES} values`);
    }
    return { key: m[1]!.trim(), values };
  });
  return { kind: 'tags', tags };
}

/** Writes targets back in the spec form parseTargetSpec reads. */
export function formatTargets(targets: ScanTargets): string {
  if (targets.kind === 'instances') return `ids:${targets.ids.join(',')}`;
  return targets.tags.map((t) => `tag:${t.key}=${t.values.join(',')}`).join(';');
}

/**
 * A MaxConcurrency / MaxErrors value: a whole number or a percentage (SSM's own forms; `0` and
 * `0%` stop at the first error). The CDK stack checks its context with this same function, so a
 * value that deploys is one the Lambdas accept.
 */
export function checkRateControl(setting: string, value: string): string {
  if (!/^(0|[1-9][0-9]{0,5}|([1-9][0-9]?|100|0)%)$/.test(value)) {
    throw new InvalidScanSettingsError(setting, `"${value}" is neither a count nor a percentage like 25%`);
  }
  if (setting === 'maxConcurrency' && (value === '0' || value === '0%')) {
    throw new InvalidScanSettingsError(setting, 'must be at least 1');
  }
  return value;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

import type { Severity, VerdictStatus } from '../verdict.ts';

/** The primary key of any item of the fleet table. */
export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

const NODE_PREFIX = 'NODE#';
const STATE_PREFIX = 'STATE#';
const RUN_APK_PREFIX = 'RUN#';

/** All scan-run items share one partition; sort keys `<startedAt ISO>#<runId>` sort by time. */
export const RUN_PARTITION = 'RUN';
export const LOCK_PARTITION = 'LOCK';
export const SCAN_LOCK_SORT_KEY = 'SCAN';

export function nodePartitionKey(node: string): string {
  return NODE_PREFIX + node;
}

export function nodeFromPartitionKey(pk: string): string | undefined {
  return pk.startsWith(NODE_PREFIX) ? pk.slice(NODE_PREFIX.length) : undefined;
}

export function stateSortKey(fingerprint: string): string {
  return STATE_PREFIX + fingerprint;
}

export function fingerprintFromSortKey(sk: string): string | undefined {
  return sk.startsWith(STATE_PREFIX) ? sk.slice(STATE_PREFIX.length) : undefined;
}

export function runSortKey(startedAt: string, runId: string): string {
  return `${startedAt}#${runId}`;
}

export function attentionPartitionKey(runId: string): string {
  return RUN_APK_PREFIX + runId;
}

/**
 * Order of the non-compliant statuses in the attention index (the first digit of `ask`).
 * COMPLIANT has none: compliant items stay out of the sparse index.
 */
const STATUS_ORDER: Readonly<Record<VerdictStatus, string | undefined>> = {
  AT_RISK: '1',
  PENDING_REBOOT: '2',
  UNKNOWN: '3',
  UNREACHABLE: '4',
  COMPLIANT: undefined,
};

export const ATTENTION_STATUSES: readonly VerdictStatus[] = [
  'AT_RISK',
  'PENDING_REBOOT',
  'UNKNOWN',
  'UNREACHABLE',
];

export function needsAttention(status: VerdictStatus): boolean {
  return STATUS_ORDER[status] !== undefined;
}

/** The `begins_with` prefix that selects one status in a run's attention partition. */
export function attentionStatusPrefix(status: VerdictStatus): string | undefined {
  const order = STATUS_ORDER[status];
  return order === undefined ? undefined : `${order}#`;
}

const SEVERITY_URGENCY: Readonly<Record<Severity, string>> = {
  critical: '1',
  high: '2',
  medium: '3',
  low: '4',
};

/**
 * Most urgent first: a hang seen in progress (the node is failing now) outranks any severity,
 * then critical, high, medium, low; a node without findings sorts last within its status.
 */
export function urgencyDigit(findings: readonly { severity: Severity; hangInProgress: boolean }[]): string {
  if (findings.some((finding) => finding.hangInProgress)) return '0';
  let best = '5';
  for (const finding of findings) {
    const digit = SEVERITY_URGENCY[finding.severity];
    if (digit < best) best = digit;
  }
  return best;
}

/** `<statusOrder>#<urgency>#<node>`, or undefined for COMPLIANT (sparse index). */
export function attentionSortKey(
  status: VerdictStatus,
  findings: readonly { severity: Severity; hangInProgress: boolean }[],
  node: string,
): string | undefined {
  const prefix = attentionStatusPrefix(status);
  return prefix === undefined ? undefined : `${prefix}${urgencyDigit(findings)}#${node}`;
}

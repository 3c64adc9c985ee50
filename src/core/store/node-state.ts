import { DEFAULT_SCAN_SETTINGS } from '../scan/scan-settings.ts';
import {
  FACT_TEXT_FIELDS,
  type FactsSummary, type PendingFix, type Severity, severityRank, type Verdict, type VerdictStatus } from '../verdict.ts';
import { fingerprintNodeState } from './state-fingerprint.ts';
import { truncateText } from './truncate-text.ts';

/** The part of a finding the store keeps; title, evidence and remediation live in the catalog. */
export interface StoredFinding {
  readonly id: string;
  readonly severity: Severity;
  readonly hangInProgress: boolean;
}

/** One node's state as stored: what reports, the at-risk list and campaigns read back. */
export interface NodeState {
  readonly node: string;
  readonly hostname?: string;
  readonly runId: string;
  readonly status: VerdictStatus;
  /** Most urgent first (hang, then severity, then id). */
  readonly findings: readonly StoredFinding[];
  /** Findings left out by the bounds (never silently: counted here). */
  readonly findingsOmitted: number;
  readonly pending: readonly PendingFix[];
  readonly facts: FactsSummary;
  /** Only the configured tag keys. */
  readonly tags: Readonly<Record<string, string>>;
  /** SSM's status for the invocation when the probe could not run (UNREACHABLE). */
  readonly ssmStatus?: string;
  readonly reasons: readonly string[];
  /** ISO 8601, UTC, millisecond precision (`Date#toISOString`): sorts as text. */
  readonly lastSeen: string;
  readonly fingerprint: string;
  /** Epoch seconds after which the item is history to be deleted (the table's TTL attribute). */
  readonly expiresAt: number;
}

export const DEFAULT_TAG_KEYS: readonly string[] = DEFAULT_SCAN_SETTINGS.storedTagKeys;
export const DEFAULT_HISTORY_RETENTION_DAYS: number = DEFAULT_SCAN_SETTINGS.historyRetentionDays;

/** Hard bounds applied to every node state (EC2's own tag limits for tags). */
export const NODE_STATE_BOUNDS = {
  hostnameChars: 128,
  ssmStatusChars: 64,
  tagCount: 10,
  tagKeyChars: 128,
  tagValueChars: 256,
  factChars: 64,
  reasonCount: 3,
  reasonChars: 160,
  pendingCount: 8,
  pendingDetailChars: 96,
  findingCount: 32,
} as const;

export interface BuildNodeStateOptions {
  readonly runId: string;
  /** When the node answered (or was found unreachable). */
  readonly lastSeen: Date;
  /** The node's tags; only `tagKeys` are kept. */
  readonly tags?: Readonly<Record<string, string>>;
  readonly tagKeys?: readonly string[];
  readonly ssmStatus?: string;
  readonly historyRetentionDays?: number;
}

/** Hang in progress first, then most severe, then id: the order stored and read back. */
export function compareStoredFindings(a: StoredFinding, b: StoredFinding): number {
  if (a.hangInProgress !== b.hangInProgress) return a.hangInProgress ? -1 : 1;
  const bySeverity = severityRank(b.severity) - severityRank(a.severity);
  if (bySeverity !== 0) return Math.sign(bySeverity);
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Turns a verdict into the state the store keeps for it. Pure: the time comes in as `lastSeen`.
 * The fingerprint is taken from the full verdict, before any bound is applied.
 */
export function buildNodeState(verdict: Verdict, options: BuildNodeStateOptions): NodeState {
  const bounds = NODE_STATE_BOUNDS;
  const retentionDays = options.historyRetentionDays ?? DEFAULT_HISTORY_RETENTION_DAYS;
  const lastSeen = options.lastSeen.toISOString();
  const ssmStatus =
    options.ssmStatus === undefined ? undefined : truncateText(options.ssmStatus, bounds.ssmStatusChars);

  const findings = dedupeFindings(
    verdict.findings.map((f) => ({ id: f.id, severity: f.severity, hangInProgress: f.hangInProgress })),
  ).sort(compareStoredFindings);
  const kept = findings.slice(0, bounds.findingCount);

  const state: NodeState = {
    node: verdict.node,
    runId: options.runId,
    status: verdict.status,
    findings: kept,
    findingsOmitted: findings.length - kept.length,
    pending: boundPending(verdict.pending),
    facts: boundFacts(verdict.facts, bounds.factChars),
    tags: pickTags(options.tags ?? {}, options.tagKeys ?? DEFAULT_TAG_KEYS),
    reasons: verdict.reasons.slice(0, bounds.reasonCount).map((r) => truncateText(r, bounds.reasonChars)),
    lastSeen,
    fingerprint: fingerprintNodeState({ ...verdict, ssmStatus }),
    expiresAt: Math.floor(options.lastSeen.getTime() / 1000) + retentionDays * 86_400,
    ...(verdict.hostname === undefined
      ? {}
      : { hostname: truncateText(verdict.hostname, bounds.hostnameChars) }),
    ...(ssmStatus === undefined ? {} : { ssmStatus }),
  };
  return state;
}

function dedupeFindings(findings: StoredFinding[]): StoredFinding[] {
  const byId = new Map<string, StoredFinding>();
  for (const finding of findings) {
    const seen = byId.get(finding.id);
    if (!seen || compareStoredFindings(finding, seen) < 0) byId.set(finding.id, finding);
  }
  return [...byId.values()];
}

/** One fix per advisory (the first given), ordered by id, bounded in count and detail length. */
function boundPending(pending: readonly PendingFix[]): PendingFix[] {
  const byId = new Map<string, PendingFix>();
  for (const fix of pending) if (!byId.has(fix.id)) byId.set(fix.id, fix);
  return [...byId.values()]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, NODE_STATE_BOUNDS.pendingCount)
    .map((fix) => ({
      id: fix.id,
      action: fix.action,
      detail: truncateText(fix.detail, NODE_STATE_BOUNDS.pendingDetailChars),
    }));
}

function boundFacts(facts: FactsSummary, maxChars: number): FactsSummary {
  const bounded: Record<string, string | number> = {};
  for (const name of FACT_TEXT_FIELDS) {
    const value = facts[name];
    if (value !== undefined) bounded[name] = truncateText(value, maxChars);
  }
  const uptime = facts.uptimeSeconds;
  if (uptime !== undefined && Number.isFinite(uptime) && uptime >= 0)
    bounded.uptimeSeconds = Math.floor(uptime);
  return bounded as FactsSummary;
}

function pickTags(tags: Readonly<Record<string, string>>, keys: readonly string[]): Record<string, string> {
  const bounds = NODE_STATE_BOUNDS;
  const picked: [string, string][] = [];
  for (const key of new Set(keys)) {
    if (picked.length >= bounds.tagCount) break;
    if (!Object.hasOwn(tags, key) || typeof tags[key] !== 'string') continue;
    picked.push([truncateText(key, bounds.tagKeyChars), truncateText(tags[key], bounds.tagValueChars)]);
  }
  // fromEntries, not assignment: a key such as `__proto__` stays a plain key.
  return Object.fromEntries(picked);
}

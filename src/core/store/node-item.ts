import {
  ATTENTION_PARTITION_KEY,
  ATTENTION_SORT_KEY,
  TABLE_PARTITION_KEY,
  TABLE_SORT_KEY,
  TABLE_TTL_ATTRIBUTE,
} from '../../shared/table-schema.ts';
import {
  FACT_TEXT_FIELDS,
  type FactsSummary,
  type PendingFix,
  type Severity,
  VERDICT_STATUSES,
  type VerdictStatus,
} from '../verdict.ts';
import { itemSizeBytes, type StoredMap, type StoredValue } from './item-size.ts';
import { compareStoredFindings, type NodeState, type StoredFinding } from './node-state.ts';
import { StoredItemInvalidError } from './stored-item-invalid-error.ts';
import {
  attentionPartitionKey,
  attentionSortKey,
  fingerprintFromSortKey,
  nodeFromPartitionKey,
  nodePartitionKey,
  stateSortKey,
} from './table-keys.ts';
import { truncateText } from './truncate-text.ts';

/**
 * Budget for one node item: one write unit is 1 KB (1,024 bytes); 24 bytes stay in reserve for
 * any difference between `itemSizeBytes` and the service's own count.
 */
export const NODE_ITEM_BUDGET_BYTES = 1000;

/**
 * Stored layout of a node state (attribute: form):
 * - pk `NODE#<node>`, sk `STATE#<fingerprint>`, runId, status, lastSeen (ISO), ttl (epoch s)
 * - hostname, ssmStatus: strings, when known
 * - findings: map advisory id -> severity letter (c|h|m|l), `!` appended for a hang in progress
 * - findingsOmitted: number, only when bounds dropped findings
 * - pending: map advisory id -> `<action>|<detail>`
 * - facts: map os/kernel/systemd/docker/containerd/runc/kubelet/cgroup -> text, uptime -> number
 * - tags: map of the configured keys; reasons: list of text
 * - apk `RUN#<runId>`, ask `<statusOrder>#<urgency>#<node>`: only when status is not COMPLIANT
 * Maps keep any advisory id or tag key intact whatever characters it holds; empty ones are omitted.
 */
export type NodeItem = StoredMap;

export interface FittedNodeItem {
  readonly item: NodeItem;
  readonly sizeBytes: number;
  /** Which deterministic shrink steps were needed to fit the budget, in order (empty normally). */
  readonly shrunk: readonly string[];
}

const SEVERITY_LETTER: Readonly<Record<Severity, string>> = {
  critical: 'c',
  high: 'h',
  medium: 'm',
  low: 'l',
};
const LETTER_SEVERITY: Readonly<Record<string, Severity>> = {
  c: 'critical',
  h: 'high',
  m: 'medium',
  l: 'low',
};
/** The order facts are given up in when nothing else is left to shrink: least telling first. */
const FACT_DROP_ORDER = [
  'cgroup',
  'os',
  'kubelet',
  'containerd',
  'docker',
  'uptimeSeconds',
  'kernel',
  'runc',
  'systemd',
] as const;

/** Tags kept ahead of facts when an item must shrink (the first ones configured). */
const KEPT_TAGS = 3;

interface Draft {
  hostname: string | undefined;
  findings: StoredFinding[];
  findingsOmitted: number;
  pending: PendingFix[];
  facts: Record<string, string | number>;
  tags: [string, string][];
  reasons: string[];
}

/**
 * Maps a node state to its item and fits it in one write unit, shrinking deterministically when
 * it must (the same state always gives the same item). Identity, status, keys and the most urgent
 * findings are never touched; display text (reasons, pending details, facts, hostname) goes first,
 * then tags, then the least urgent findings (counted). An item that still does not fit (an absurdly
 * long node or run id) is returned as is: it costs a second write unit, which beats losing it.
 */
export function toNodeItem(state: NodeState, budgetBytes: number = NODE_ITEM_BUDGET_BYTES): FittedNodeItem {
  const draft: Draft = {
    hostname: state.hostname,
    findings: [...state.findings],
    findingsOmitted: state.findingsOmitted,
    pending: [...state.pending],
    facts: { ...(state.facts as Record<string, string | number>) },
    tags: Object.entries(state.tags),
    reasons: [...state.reasons],
  };
  // The index position comes from the full findings, so dropping the least urgent ones cannot move it.
  const ask = attentionSortKey(state.status, state.findings, state.node);
  const render = () => renderItem(state, draft, ask);
  const shrunk: string[] = [];
  let item = render();
  let size = itemSizeBytes(item);

  // Tags go late: the at-risk list filters on them (cluster, maintenance window). Display-only
  // text (reasons, pending details, facts, hostname) goes first; findings go last.
  const steps: [string, () => boolean][] = [
    ['tags-shortened', () => shortenTags(draft, 32, 48)],
    ['reasons-shortened', () => shortenReasons(draft)],
    ['pending-details-dropped', () => dropPendingDetails(draft)],
    ['facts-shortened', () => shortenFacts(draft)],
    ['reasons-dropped', () => draft.reasons.splice(0).length > 0],
    ['hostname-shortened', () => shortenHostname(draft)],
    ['tags-shortened-more', () => shortenTags(draft, 24, 24)],
    // The first configured tags (default Name, cluster, az) outrank facts; any further ones do not.
    ['tags-trimmed', () => draft.tags.length > KEPT_TAGS && draft.tags.pop() !== undefined],
    ['facts-dropped', () => dropOneFact(draft)],
    ['tags-dropped', () => draft.tags.pop() !== undefined],
    ['findings-dropped', () => dropOneFinding(draft)],
  ];
  for (const [label, shrink] of steps) {
    while (size > budgetBytes && shrink()) {
      if (shrunk[shrunk.length - 1] !== label) shrunk.push(label);
      item = render();
      size = itemSizeBytes(item);
    }
    if (size <= budgetBytes) break;
  }
  return { item, sizeBytes: size, shrunk };
}

function renderItem(state: NodeState, draft: Draft, ask: string | undefined): NodeItem {
  const item: Record<string, StoredValue> = {
    [TABLE_PARTITION_KEY]: nodePartitionKey(state.node),
    [TABLE_SORT_KEY]: stateSortKey(state.fingerprint),
    runId: state.runId,
    status: state.status,
    lastSeen: state.lastSeen,
    [TABLE_TTL_ATTRIBUTE]: state.expiresAt,
  };
  if (draft.hostname !== undefined) item.hostname = draft.hostname;
  if (state.ssmStatus !== undefined) item.ssmStatus = state.ssmStatus;
  if (draft.findings.length > 0) {
    item.findings = Object.fromEntries(
      draft.findings.map((f) => [f.id, SEVERITY_LETTER[f.severity] + (f.hangInProgress ? '!' : '')]),
    );
  }
  if (draft.findingsOmitted > 0) item.findingsOmitted = draft.findingsOmitted;
  if (draft.pending.length > 0) {
    item.pending = Object.fromEntries(draft.pending.map((p) => [p.id, `${p.action}|${p.detail}`]));
  }
  const facts = Object.entries(draft.facts).map(([name, value]) => [
    name === 'uptimeSeconds' ? 'uptime' : name,
    value,
  ]);
  if (facts.length > 0) item.facts = Object.fromEntries(facts);
  if (draft.tags.length > 0) item.tags = Object.fromEntries(draft.tags);
  if (draft.reasons.length > 0) item.reasons = draft.reasons;
  if (ask !== undefined) {
    item[ATTENTION_PARTITION_KEY] = attentionPartitionKey(state.runId);
    item[ATTENTION_SORT_KEY] = ask;
  }
  return item;
}

function shortenTags(draft: Draft, keyChars: number, valueChars: number): boolean {
  const shorter = draft.tags.map(([k, v]): [string, string] => [
    truncateText(k, keyChars),
    truncateText(v, valueChars),
  ]);
  const changed = shorter.some(([k, v], i) => k !== draft.tags[i]![0] || v !== draft.tags[i]![1]);
  // Two long keys may truncate to the same text: keep the first, as a map must.
  draft.tags = [...new Map(shorter)];
  return changed;
}

function shortenReasons(draft: Draft): boolean {
  const shorter = draft.reasons.slice(0, 1).map((r) => truncateText(r, 80));
  const changed = shorter.length !== draft.reasons.length || shorter[0] !== draft.reasons[0];
  draft.reasons = shorter;
  return changed;
}

function dropPendingDetails(draft: Draft): boolean {
  const changed = draft.pending.some((p) => p.detail !== '');
  draft.pending = draft.pending.map((p) => ({ ...p, detail: '' }));
  return changed;
}

function shortenFacts(draft: Draft): boolean {
  let changed = false;
  for (const [name, value] of Object.entries(draft.facts)) {
    if (typeof value !== 'string') continue;
    const shorter = truncateText(value, 24);
    if (shorter !== value) {
      draft.facts[name] = shorter;
      changed = true;
    }
  }
  return changed;
}

function shortenHostname(draft: Draft): boolean {
  if (draft.hostname === undefined) return false;
  const shorter = truncateText(draft.hostname, 48);
  const changed = shorter !== draft.hostname;
  draft.hostname = shorter;
  return changed;
}

function dropOneFact(draft: Draft): boolean {
  const name = FACT_DROP_ORDER.find((n) => n in draft.facts);
  if (name === undefined) return false;
  delete draft.facts[name];
  return true;
}

function dropOneFinding(draft: Draft): boolean {
  if (draft.findings.length <= 1) return false;
  draft.findings.pop();
  draft.findingsOmitted += 1;
  return true;
}

/** Reads a node item back; throws StoredItemInvalidError naming the first field that is wrong. */
export function fromNodeItem(item: Readonly<Record<string, unknown>>): NodeState {
  const key = `${String(item[TABLE_PARTITION_KEY])}/${String(item[TABLE_SORT_KEY])}`;
  const fail = (field: string, problem: string): never => {
    throw new StoredItemInvalidError(key, field, problem);
  };
  const text = (field: string): string => {
    const value = item[field];
    return typeof value === 'string' ? value : fail(field, 'is not text');
  };
  const optionalText = (field: string): string | undefined =>
    item[field] === undefined ? undefined : text(field);
  const map = (field: string): Record<string, unknown> => {
    const value = item[field];
    if (value === undefined) return {};
    return isPlainMap(value) ? value : fail(field, 'is not a map');
  };

  const node =
    nodeFromPartitionKey(text(TABLE_PARTITION_KEY)) ?? fail(TABLE_PARTITION_KEY, 'is not NODE#<id>');
  const fingerprint =
    fingerprintFromSortKey(text(TABLE_SORT_KEY)) ?? fail(TABLE_SORT_KEY, 'is not STATE#<fp>');
  const status = text('status');
  if (!(VERDICT_STATUSES as readonly string[]).includes(status))
    fail('status', `is not a verdict status: ${status}`);
  const ttl = item[TABLE_TTL_ATTRIBUTE];
  if (typeof ttl !== 'number' || !Number.isFinite(ttl)) fail(TABLE_TTL_ATTRIBUTE, 'is not a number');
  const omitted = item.findingsOmitted ?? 0;
  if (typeof omitted !== 'number') fail('findingsOmitted', 'is not a number');

  const findings = Object.entries(map('findings')).map(([id, code]): StoredFinding => {
    const match = typeof code === 'string' ? /^([chml])(!?)$/.exec(code) : null;
    if (!match) return fail(`findings.${id}`, 'is not <c|h|m|l>[!]');
    return { id, severity: LETTER_SEVERITY[match[1]!]!, hangInProgress: match[2] === '!' };
  });
  findings.sort(compareStoredFindings);

  const pending = Object.entries(map('pending')).map(([id, value]): PendingFix => {
    const encoded = typeof value === 'string' ? value : '';
    const bar = encoded.indexOf('|');
    const action = bar < 0 ? encoded : encoded.slice(0, bar);
    if (action !== 'daemon-reexec' && action !== 'reboot')
      return fail(`pending.${id}`, 'has no valid action');
    return { id, action, detail: bar < 0 ? '' : encoded.slice(bar + 1) };
  });
  pending.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const facts: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(map('facts'))) {
    if (name === 'uptime') {
      if (typeof value !== 'number') fail('facts.uptime', 'is not a number');
      facts.uptimeSeconds = value as number;
    } else if ((FACT_TEXT_FIELDS as readonly string[]).includes(name)) {
      if (typeof value !== 'string') fail(`facts.${name}`, 'is not text');
      facts[name] = value as string;
    }
  }

  // fromEntries, not assignment: a tag key such as `__proto__` stays a plain key.
  const tags = Object.fromEntries(
    Object.entries(map('tags')).map(([name, value]) => [
      name,
      typeof value === 'string' ? value : fail(`tags.${name}`, 'is not text'),
    ]),
  );

  const reasonsValue = item.reasons ?? [];
  if (!Array.isArray(reasonsValue) || !reasonsValue.every((r) => typeof r === 'string')) {
    fail('reasons', 'is not a list of text');
  }

  const hostname = optionalText('hostname');
  const ssmStatus = optionalText('ssmStatus');
  return {
    node,
    runId: text('runId'),
    status: status as VerdictStatus,
    findings,
    findingsOmitted: omitted as number,
    pending,
    facts: facts as FactsSummary,
    tags,
    reasons: reasonsValue as string[],
    lastSeen: text('lastSeen'),
    fingerprint,
    expiresAt: ttl as number,
    ...(hostname === undefined ? {} : { hostname }),
    ...(ssmStatus === undefined ? {} : { ssmStatus }),
  };
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

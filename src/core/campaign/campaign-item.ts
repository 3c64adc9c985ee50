import { z } from 'zod';
import { COMPONENTS } from '../advisory/schema.ts';
import { type StoredMap, utf8ByteLength } from '../store/item-size.ts';
import { StoredItemInvalidError } from '../store/stored-item-invalid-error.ts';
import { SEVERITIES, VERDICT_STATUSES } from '../verdict.ts';
import { TABLE_PARTITION_KEY, TABLE_SORT_KEY, TABLE_TTL_ATTRIBUTE } from '../../shared/table-schema.ts';
import {
  ACTION_KINDS,
  type CampaignPlan,
  type CampaignWave,
  type PlannedNode,
  URGENCIES,
} from './campaign-plan.ts';

/**
 * Stored layout of a campaign plan (one header item and its node chunks):
 * - header: pk `CAMPAIGN`, sk `<createdAt>#<id>` (so the partition lists plans by time), `plan` =
 *   the plan as JSON without its nodes, nodeCount, chunkCount, ttl;
 * - chunks: pk `CAMPAIGN#<createdAt>#<id>`, sk `NODES#00000`..., `nodes` = JSON list of
 *   `{ wave, ...node }` in plan order, each chunk's text at most CAMPAIGN_CHUNK_BYTES, so a
 *   10,000-node plan (about 6 MB of JSON) stays far under DynamoDB's 400 KB per item.
 * The header is written last and names its chunk count: a plan whose save broke off part-way is
 * never read as the latest, and a chunk gone missing is an error, not a silently shorter plan.
 */
export const CAMPAIGN_PARTITION = 'CAMPAIGN';
export const CAMPAIGN_CHUNK_BYTES = 300_000;
export const DEFAULT_CAMPAIGN_RETENTION_DAYS = 180;
export const CAMPAIGN_FORMAT_VERSION = 1;

export function campaignSortKey(plan: Pick<CampaignPlan, 'createdAt' | 'id'>): string {
  return `${plan.createdAt}#${plan.id}`;
}

export function campaignChunkPartitionKey(plan: Pick<CampaignPlan, 'createdAt' | 'id'>): string {
  return `${CAMPAIGN_PARTITION}#${campaignSortKey(plan)}`;
}

export function campaignChunkSortKey(index: number): string {
  return `NODES#${String(index).padStart(5, '0')}`;
}

export interface CampaignItems {
  readonly header: StoredMap;
  readonly chunks: readonly StoredMap[];
}

export function toCampaignItems(
  plan: CampaignPlan,
  retentionDays: number = DEFAULT_CAMPAIGN_RETENTION_DAYS,
): CampaignItems {
  const ttl = Math.floor(Date.parse(plan.createdAt) / 1000) + retentionDays * 86_400;
  const pk = campaignChunkPartitionKey(plan);
  const chunks: StoredMap[] = [];
  let texts: string[] = [];
  let bytes = 2;
  const flush = () => {
    if (texts.length === 0) return;
    chunks.push({
      [TABLE_PARTITION_KEY]: pk,
      [TABLE_SORT_KEY]: campaignChunkSortKey(chunks.length),
      nodes: `[${texts.join(',')}]`,
      count: texts.length,
      [TABLE_TTL_ATTRIBUTE]: ttl,
    });
    texts = [];
    bytes = 2;
  };
  for (const wave of plan.waves) {
    for (const node of wave.nodes) {
      const text = JSON.stringify({ wave: wave.wave, ...node });
      const size = utf8ByteLength(text) + 1;
      if (bytes + size > CAMPAIGN_CHUNK_BYTES) flush();
      texts.push(text);
      bytes += size;
    }
  }
  flush();
  const { waves, ...rest } = plan;
  const header: StoredMap = {
    [TABLE_PARTITION_KEY]: CAMPAIGN_PARTITION,
    [TABLE_SORT_KEY]: campaignSortKey(plan),
    kind: 'campaign',
    formatVersion: CAMPAIGN_FORMAT_VERSION,
    id: plan.id,
    createdAt: plan.createdAt,
    nodeCount: plan.summary.nodes,
    chunkCount: chunks.length,
    plan: JSON.stringify({ ...rest, waves: waves.map((w) => ({ wave: w.wave, groups: w.groups })) }),
    [TABLE_TTL_ATTRIBUTE]: ttl,
  };
  return { header, chunks };
}

/** The header's fields needed before the chunks are read. */
export interface CampaignHeader {
  readonly id: string;
  readonly createdAt: string;
  readonly chunkCount: number;
  readonly nodeCount: number;
  readonly expiresAt: number;
  readonly chunkPartitionKey: string;
}

export function readCampaignHeader(item: Readonly<Record<string, unknown>>): CampaignHeader {
  const key = keyOf(item);
  const text = (field: string): string =>
    typeof item[field] === 'string' ? (item[field] as string) : fail(key, field, 'is not text');
  const count = (field: string): number =>
    typeof item[field] === 'number' && Number.isInteger(item[field]) && (item[field] as number) >= 0
      ? (item[field] as number)
      : fail(key, field, 'is not a count');
  if (item.formatVersion !== CAMPAIGN_FORMAT_VERSION) {
    fail(
      key,
      'formatVersion',
      `is ${String(item.formatVersion)}, this version reads ${CAMPAIGN_FORMAT_VERSION}`,
    );
  }
  const header = { id: text('id'), createdAt: text('createdAt') };
  return {
    ...header,
    chunkCount: count('chunkCount'),
    nodeCount: count('nodeCount'),
    expiresAt: count(TABLE_TTL_ATTRIBUTE),
    chunkPartitionKey: campaignChunkPartitionKey(header),
  };
}

const actionSchema = z.object({
  action: z.enum(ACTION_KINDS),
  components: z.array(z.enum(COMPONENTS)).optional(),
  services: z.array(z.string()).optional(),
  advisories: z.array(z.string()),
  note: z.string().optional(),
});

const plannedNodeSchema = z.object({
  wave: z.number().int().min(1),
  node: z.string().min(1),
  hostname: z.string().optional(),
  group: z.string(),
  status: z.enum(VERDICT_STATUSES),
  urgency: z.enum(URGENCIES),
  severity: z.enum(SEVERITIES).optional(),
  hangInProgress: z.boolean(),
  findings: z.array(z.string()),
  pending: z.array(z.object({ id: z.string(), action: z.enum(['daemon-reexec', 'reboot']) })),
  actions: z.array(actionSchema),
  why: z.string(),
  drain: z.boolean(),
  disruption: z.enum(['reexec', 'service-restart', 'reboot']),
  notes: z.array(z.string()),
  tags: z.record(z.string(), z.string()),
  os: z.string().optional(),
  uptimeSeconds: z.number().optional(),
  lastSeen: z.string(),
  runId: z.string(),
});

const groupCountSchema = z.object({ group: z.string(), nodes: z.number().int().min(0) });
const maxUnavailableSchema = z.union([
  z.object({ count: z.number().int().min(1) }),
  z.object({ percent: z.number().int().min(1).max(100) }),
]);

const planHeaderSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  settings: z.object({
    groupBy: z.string(),
    maxUnavailable: maxUnavailableSchema,
    groupSize: z.enum(['plan', 'fleet']),
    selection: z
      .object({
        statuses: z.array(z.enum(VERDICT_STATUSES)).optional(),
        minSeverity: z.enum(SEVERITIES).optional(),
        tags: z.array(z.object({ key: z.string(), values: z.array(z.string()) })).optional(),
        window: z
          .object({ windowId: z.string(), name: z.string(), nextExecutionTime: z.string().optional() })
          .optional(),
      })
      .optional(),
  }),
  sourceRunIds: z.array(z.string()),
  groups: z.array(
    z.object({
      group: z.string(),
      planned: z.number().int(),
      size: z.number().int(),
      allowance: z.number().int(),
      waves: z.number().int(),
    }),
  ),
  waves: z.array(z.object({ wave: z.number().int().min(1), groups: z.array(groupCountSchema) })),
  summary: z.object({
    nodes: z.number().int(),
    waves: z.number().int(),
    byUrgency: z.record(z.enum(URGENCIES), z.number()),
    byDisruption: z.record(z.enum(['reexec', 'service-restart', 'reboot']), z.number()),
    drain: z.number().int(),
    skipped: z.number().int(),
  }),
});

/** Rebuilds a plan from its header and chunk items (chunks in any order); throws StoredItemInvalidError. */
export function fromCampaignItems(
  header: Readonly<Record<string, unknown>>,
  chunks: readonly Readonly<Record<string, unknown>>[],
): CampaignPlan {
  const key = keyOf(header);
  const meta = readCampaignHeader(header);
  const plan = parseJson(key, 'plan', header.plan, planHeaderSchema);
  const ordered = [...chunks].sort((a, b) =>
    compareText(String(a[TABLE_SORT_KEY]), String(b[TABLE_SORT_KEY])),
  );
  if (ordered.length !== meta.chunkCount) {
    fail(key, 'chunkCount', `is ${meta.chunkCount} but ${ordered.length} chunk item(s) were found`);
  }
  const byWave = new Map<number, PlannedNode[]>();
  let total = 0;
  for (const chunk of ordered) {
    const nodes = parseJson(keyOf(chunk), 'nodes', chunk.nodes, z.array(plannedNodeSchema));
    for (const { wave, ...node } of nodes) {
      const list = byWave.get(wave) ?? [];
      list.push(node as PlannedNode);
      byWave.set(wave, list);
      total += 1;
    }
  }
  if (total !== meta.nodeCount)
    fail(key, 'nodeCount', `is ${meta.nodeCount} but ${total} node(s) were stored`);
  const waves: CampaignWave[] = plan.waves.map((w) => ({
    wave: w.wave,
    groups: w.groups,
    nodes: byWave.get(w.wave) ?? [],
  }));
  return { ...(plan as Omit<CampaignPlan, 'waves'>), waves };
}

function parseJson<T>(key: string, field: string, value: unknown, schema: z.ZodType<T>): T {
  if (typeof value !== 'string') return fail(key, field, 'is not text');
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return fail(key, field, 'is not JSON');
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    return fail(key, `${field}.${issue?.path.join('.') ?? ''}`, issue?.message ?? 'is invalid');
  }
  return result.data;
}

function keyOf(item: Readonly<Record<string, unknown>>): string {
  return `${String(item[TABLE_PARTITION_KEY])}/${String(item[TABLE_SORT_KEY])}`;
}

function fail(key: string, field: string, problem: string): never {
  throw new StoredItemInvalidError(key, field, problem);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

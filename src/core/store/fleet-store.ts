import type { CampaignPlan } from '../campaign/campaign-plan.ts';
import type { VerdictStatus } from '../verdict.ts';
import type { NodeState } from './node-state.ts';
import type { ScanLock } from './scan-lock.ts';
import type { ScanRun } from './scan-run.ts';

/** What one `putNodeStates` call did. */
export interface WriteSummary {
  /** Distinct items written (duplicates by key collapse to the last given). */
  readonly written: number;
  readonly duplicatesDropped: number;
  readonly batches: number;
  /** BatchWriteItem calls spent re-sending UnprocessedItems. */
  readonly retries: number;
  /** Items that needed more than one write unit even after shrinking (should stay 0). */
  readonly oversized: number;
}

export interface AttentionQuery {
  /**
   * Runs whose attention partitions to read, OLDEST FIRST: typically the latest COMPLETE run and,
   * when a newer scan is RUNNING, that one last. Nodes whose newest item comes from an earlier run
   * than the last are checked against their own partition (the newer run may have found them
   * compliant).
   */
  readonly runIds: readonly string[];
  /** Default: every non-compliant status. */
  readonly statuses?: readonly VerdictStatus[];
  readonly now: Date;
}

/**
 * The runs an at-risk list must read: the latest COMPLETE one and every run started after it
 * (RUNNING, or FAILED part-way), oldest first. Each later run moved the items it rewrote out of the
 * COMPLETE run's attention partition, so leaving a FAILED one out would lose those nodes.
 */
export interface AttentionRuns {
  readonly complete?: ScanRun;
  readonly newer: readonly ScanRun[];
}

/** At most this many runs after the latest COMPLETE one are read (a long streak of failed scans). */
export const MAX_NEWER_ATTENTION_RUNS = 24;

export interface AcquireScanLockRequest {
  readonly runId: string;
  readonly now: Date;
  readonly leaseSeconds: number;
}

/** The store the scan pipeline, the CLI and the report read and write (a port; DynamoDB implements it). */
export interface FleetStore {
  /** Writes node states (one item each); throws UnwrittenItemsError listing whatever it could not write. */
  putNodeStates(states: readonly NodeState[]): Promise<WriteSummary>;
  /** The newest unexpired state of one node. */
  getNodeState(node: string, now: Date): Promise<NodeState | undefined>;
  /** Every unexpired state of one node, newest first. */
  listNodeHistory(node: string, now: Date): Promise<NodeState[]>;
  /** Non-compliant nodes of the given runs, one state per node, most urgent first. */
  listAttention(query: AttentionQuery): Promise<NodeState[]>;
  /** `listAttention` over the runs `findAttentionRuns` names: what needs attention now. */
  listCurrentAttention(query: {
    readonly now: Date;
    readonly statuses?: readonly VerdictStatus[];
  }): Promise<{ readonly runs: AttentionRuns; readonly nodes: NodeState[] }>;
  /** The newest unexpired state of every node (a full table scan: for reports, not hot paths). */
  listLatestNodeStates(now: Date): Promise<NodeState[]>;
  /**
   * Every unexpired state of every node, grouped per node (newest first within a node), nodes in
   * id order: what a report needs to tell what changed since the previous scan. A full table scan.
   */
  listNodeHistories(now: Date): Promise<NodeState[][]>;

  /** Creates or overwrites a run item (same runId and startedAt = same item). */
  saveRun(run: ScanRun): Promise<void>;
  /** The last `limit` unexpired runs, newest first (a trend). */
  listRuns(options: { readonly limit: number; readonly now: Date }): Promise<ScanRun[]>;
  findLatestCompleteRun(now: Date): Promise<ScanRun | undefined>;
  findAttentionRuns(now: Date): Promise<AttentionRuns>;

  /** Takes the scan lock or throws ScanAlreadyRunningError naming the holder. */
  acquireScanLock(request: AcquireScanLockRequest): Promise<ScanLock>;
  /** Extends the lease of a lock this run holds; throws ScanAlreadyRunningError when it lost it. */
  renewScanLock(request: AcquireScanLockRequest): Promise<ScanLock>;
  /** Releases the lock if this run still holds it; false when it did not (expired and taken over, or gone). */
  releaseScanLock(runId: string): Promise<boolean>;

  /** Stores a campaign plan (any size: its nodes are chunked); the plan becomes the latest by createdAt. */
  saveCampaign(plan: CampaignPlan): Promise<void>;
  /** The newest unexpired campaign plan, complete with its nodes; undefined when none was saved. */
  loadLatestCampaign(now: Date): Promise<CampaignPlan | undefined>;
}

import type { RunTally } from '../core/scan/run-tally.ts';

/** One SendCommand of the run (tag targets: one; instance-id targets: one per 50 ids). */
export interface ScanCommand {
  readonly commandId: string;
  readonly targetCount: number;
  readonly finished: boolean;
}

/**
 * What the steps pass to each other (Step Functions carries it between states, so it stays small
 * and JSON-shaped: counts and a cursor, never per-node data). Re-running a step with the same
 * state gives the same result: that is what makes a crashed step safe to retry.
 */
export interface ScanState {
  readonly runId: string;
  /** ISO time the run started; part of the run item's key, so fixed for the whole run. */
  readonly startedAt: string;
  /** After this the scan stops waiting for stragglers and collects what it has. */
  readonly deadlineAt: string;
  readonly targets: string;
  /** Nodes the targets select (the coverage baseline). */
  readonly expected: number;
  readonly commands: readonly ScanCommand[];
  /** Every command finished, or the deadline passed: collect may run. */
  readonly ready: boolean;
  readonly cursor: { readonly commandIndex: number; readonly nextToken?: string; readonly pass: number };
  readonly collected: boolean;
  readonly tally: RunTally;
}

/** What a finished scan reports (the CLI's `scan --format json` prints it). */
export interface ScanSummary {
  readonly runId: string;
  readonly status: 'COMPLETE' | 'FAILED';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly targets: string;
  readonly commandIds: readonly string[];
  /** Every node of the run: those SSM invoked plus those the targets select that it never invoked. */
  readonly targeted: number;
  readonly byStatus: RunTally['byStatus'];
  readonly bySeverity: RunTally['bySeverity'];
  readonly byAdvisory: RunTally['byAdvisory'];
  readonly bySsmStatus: RunTally['bySsmStatus'];
  readonly hangs: number;
  readonly refetched: number;
  readonly coverage: { readonly expected: number; readonly missing: number; readonly missingNodes: readonly string[] };
}

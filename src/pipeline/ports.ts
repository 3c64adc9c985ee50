import type { ScanTargets } from '../core/scan/scan-settings.ts';

/**
 * The ports the scan pipeline runs on. Adapters in src/adapters implement them against AWS (and
 * so against the local simulator and dynalite); nothing here knows about the SDK.
 */

/** A node the targets select, with the tags the store keeps. */
export interface TargetNode {
  readonly id: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface ProbeCommandRequest {
  readonly documentName: string;
  readonly targets: ScanTargets;
  readonly maxConcurrency: string;
  readonly maxErrors: string;
  readonly deliveryTimeoutSeconds: number;
  /** Carries the run id so a re-run of dispatch finds the commands it already sent. */
  readonly comment: string;
}

export interface SentCommand {
  readonly commandId: string;
  readonly comment: string;
  readonly targetCount: number;
}

export interface CommandProgress {
  readonly commandId: string;
  readonly status: string;
  readonly targetCount: number;
  readonly completedCount: number;
  readonly errorCount: number;
}

export interface InvocationRecord {
  readonly instanceId: string;
  readonly status: string;
  readonly statusDetails?: string;
  /** The plugin output as listed (SSM cuts it at 2,500 characters). */
  readonly output: string;
}

export interface InvocationPage {
  readonly invocations: readonly InvocationRecord[];
  readonly nextToken?: string;
}

/** SSM Run Command, as the scan uses it. */
export interface FleetCommands {
  /** One SendCommand (instance-id targets are chunked by the caller: at most 50 ids). */
  sendProbe(request: ProbeCommandRequest): Promise<SentCommand>;
  /** Commands of this document sent at or after `since` whose comment starts with `prefix`. */
  findSentCommands(documentName: string, since: Date, prefix: string): Promise<SentCommand[]>;
  describeCommand(commandId: string): Promise<CommandProgress>;
  /** One ListCommandInvocations page with details (at most 50 invocations). */
  listInvocations(commandId: string, nextToken?: string): Promise<InvocationPage>;
  /** GetCommandInvocation's stdout (up to 24,000 characters) for one node. */
  fetchOutput(commandId: string, instanceId: string): Promise<string>;
}

/** Who the targets select (the expected set for coverage), with their tags. */
export interface TargetDirectory {
  listTargets(targets: ScanTargets, tagKeys: readonly string[]): Promise<TargetNode[]>;
}

/** Run-scoped working data too large for Step Functions state (expected nodes, nodes seen). */
export interface ScanScratch {
  saveTargets(runId: string, nodes: readonly TargetNode[]): Promise<void>;
  loadTargets(runId: string): Promise<TargetNode[]>;
  /** Saves the ids one collect pass saw; the same `part` overwrites (a retried pass). */
  saveSeen(runId: string, part: string, ids: readonly string[]): Promise<void>;
  /** The ids every saved part holds (but `exceptPart`'s: a retried pass's own earlier attempt). */
  loadSeen(runId: string, options?: { readonly exceptPart?: string }): Promise<string[]>;
}

export interface Clock {
  now(): Date;
}

/** Progress of a collect pass, for a progress bar or a log line. */
export type ProgressListener = (event: { readonly collected: number; readonly targeted: number }) => void;

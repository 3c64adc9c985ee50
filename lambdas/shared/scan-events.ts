import { z } from 'zod';
import type { DispatchInput } from '../../src/pipeline/dispatch-step.ts';
import type { ScanState } from '../../src/pipeline/scan-state.ts';
import { InvalidScanEventError } from './invalid-scan-event-error.ts';

/**
 * The events Step Functions hands the scan Lambdas, checked at the edge so a miswired state
 * machine fails with the field named instead of deep inside a step. Loose objects: fields a newer
 * pipeline adds to the state pass through untouched.
 */

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'is not an ISO date-time');
const runId = z.string().min(1).max(256);
const count = z.number().int().nonnegative();
const counts = z.record(z.string(), count);

const dispatchInputSchema = z.looseObject({ runId, startedAt: isoTime });

const tallySchema = z.looseObject({
  nodes: count,
  byStatus: counts,
  byAdvisory: counts,
  bySeverity: counts,
  hangs: count,
  bySsmStatus: counts,
  refetched: count,
});

const scanStateSchema = z.looseObject({
  runId,
  startedAt: isoTime,
  deadlineAt: isoTime,
  targets: z.string(),
  expected: count,
  commands: z.array(
    z.looseObject({ commandId: z.string().min(1), targetCount: count, finished: z.boolean() }),
  ),
  ready: z.boolean(),
  cursor: z.looseObject({ commandIndex: count, nextToken: z.string().optional(), pass: count }),
  collected: z.boolean(),
  tally: tallySchema,
});

/** What a Step Functions Catch adds (ResultPath `$.error`): the error name and its cause. */
const stepErrorSchema = z.looseObject({ Error: z.string().optional(), Cause: z.string().optional() });

/** The fail handler's input: whatever state the failed step had (at least the dispatch input) and the error. */
const failInputSchema = z.looseObject({
  state: z.looseObject({
    runId,
    startedAt: isoTime,
    targets: z.string().optional(),
    commands: scanStateSchema.shape.commands.optional(),
    tally: tallySchema.optional(),
  }),
  error: stepErrorSchema.optional(),
});

export type FailInput = z.infer<typeof failInputSchema>;
export type StepError = z.infer<typeof stepErrorSchema>;

export function parseDispatchInput(event: unknown): DispatchInput {
  const input = parse('scan-dispatch', dispatchInputSchema, event);
  return { runId: input.runId, startedAt: input.startedAt };
}

export function parseScanState(handler: string, event: unknown): ScanState {
  parse(handler, scanStateSchema, event);
  // Checked above; returned as given so fields this version does not know survive the round trip.
  return event as ScanState;
}

export function parseFailInput(event: unknown): FailInput {
  return parse('scan-fail', failInputSchema, event);
}

function parse<T>(handler: string, schema: z.ZodType<T>, event: unknown): T {
  const result = schema.safeParse(event);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : '(event)';
  throw new InvalidScanEventError(handler, field, issue?.message ?? 'is invalid');
}

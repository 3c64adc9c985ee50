/**
 * Memory and timeout of each Lambda function: the CDK stack deploys these and the benchmark checks
 * measured peaks and modeled durations against them. Data only (imports nothing) so lib/ may
 * depend on it.
 */
export const FUNCTION_SIZES = {
  /**
   * Reads every tag-listing page (100 nodes a call) in one invocation, with no hand-over: 15
   * minutes keep about 500,000 nodes within it at 150 ms a call (1,000 pages took 164 s).
   */
  dispatch: { memoryMb: 512, timeoutSeconds: 900 },
  check: { memoryMb: 256, timeoutSeconds: 60 },
  /** A pass reads pages until its remaining time less a margin is spent, then hands over a cursor. */
  collect: { memoryMb: 1024, timeoutSeconds: 900 },
  finalize: { memoryMb: 512, timeoutSeconds: 300 },
  fail: { memoryMb: 256, timeoutSeconds: 60 },
  /** Holds every node's history and the rendered files: the benchmark measured 909 to 1,112 MB at 100,000 nodes. */
  report: { memoryMb: 2048, timeoutSeconds: 600 },
  query: { memoryMb: 512, timeoutSeconds: 30 },
} as const;

export type FunctionName = keyof typeof FUNCTION_SIZES;

/**
 * Time a collect pass leaves unused: after its budget it still finishes the page in hand (up to
 * 50 GetCommandInvocation refetches, each possibly backing off on throttling), writes what is
 * pending and saves the ids it saw.
 */
export const COLLECT_SAFETY_MARGIN_MS = 60_000;

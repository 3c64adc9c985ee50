/**
 * Runs the at-risk and campaign commands in-process the way src/cli/run.ts does (exit codes,
 * `error: <message>` on stderr), with an injected clock, and seeds local stores with chosen node
 * states. The commands are registered here directly so these tests do not depend on run.ts's
 * wiring.
 */
import { Readable } from 'node:stream';
import { Command, CommanderError } from 'commander';
import { type FleetCommandDeps, registerAtRisk } from '../../src/cli/commands/at-risk.ts';
import { registerCampaign } from '../../src/cli/commands/campaign.ts';
import { UsageError } from '../../src/cli/errors.ts';
import { type CliIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../../src/cli/io.ts';
import { AppError, describeError } from '../../src/core/errors.ts';
import type { NodeState } from '../../src/core/store/node-state.ts';
import { emptySeverityCounts, emptyStatusCounts, type ScanRun } from '../../src/core/store/scan-run.ts';
import { openLocalStore } from '../../src/local/local-environment.ts';

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runFleetCommand(
  argv: readonly string[],
  deps: FleetCommandDeps = {},
): Promise<CommandResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    stdin: () => Readable.from([]),
    isInteractive: false,
    cwd: process.cwd(),
    env: {},
  };
  let pending: Promise<number> | undefined;
  const setResult = (p: Promise<number>) => {
    pending = p;
  };
  const program = new Command('fleet-compliance')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerAtRisk(program, io, setResult, deps);
  registerCampaign(program, io, setResult, deps);
  let code: number;
  try {
    await program.parseAsync([...argv], { from: 'user' });
    code = pending ? await pending : EXIT_USAGE;
  } catch (error) {
    if (error instanceof CommanderError) code = error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    else {
      io.stderr(`error: ${describeError(error)}\n`);
      code = error instanceof UsageError ? EXIT_USAGE : error instanceof AppError ? EXIT_FAILURE : 99;
    }
  }
  return { code, stdout, stderr };
}

/** Writes states and a COMPLETE run holding them into the local store of `dataDir`. */
export async function seedLocalStore(
  dataDir: string,
  runs: readonly {
    readonly runId: string;
    readonly startedAt: string;
    readonly states: readonly NodeState[];
  }[],
): Promise<void> {
  const local = await openLocalStore(dataDir);
  try {
    for (const { runId, startedAt, states } of runs) {
      await local.store.putNodeStates(states.map((s) => ({ ...s, runId })));
      const run: ScanRun = {
        runId,
        status: 'COMPLETE',
        targets: 'tag:fleet-compliance=enabled',
        commandIds: [],
        startedAt,
        finishedAt: startedAt,
        targeted: states.length,
        byStatus: emptyStatusCounts(),
        byAdvisory: {},
        bySeverity: emptySeverityCounts(),
        coverage: { missing: 0, missingNodes: [] },
        notes: [],
      };
      await local.store.saveRun(run);
    }
  } finally {
    await local.close();
  }
}

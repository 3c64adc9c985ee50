import { Readable } from 'node:stream';
import type { CliIo } from '../../src/cli/io.ts';
import { run } from '../../src/cli/run.ts';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with captured output and the given stdin. */
export async function runCli(argv: readonly string[], stdin: string | Buffer = '', cwd = process.cwd()): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    stdin: () => Readable.from([typeof stdin === 'string' ? Buffer.from(stdin) : stdin]),
    isInteractive: false,
    cwd,
    env: {},
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

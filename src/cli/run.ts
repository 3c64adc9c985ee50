import { Command, CommanderError } from 'commander';
import { AppError, describeError } from '../core/errors.ts';
import { registerAtRisk } from './commands/at-risk.ts';
import { registerCampaign } from './commands/campaign.ts';
import { registerDemo } from './commands/demo.ts';
import { registerEvaluate } from './commands/evaluate.ts';
import { registerReport } from './commands/report.ts';
import { registerScan } from './commands/scan.ts';
import { registerVercmp } from './commands/vercmp.ts';
import { UsageError } from './errors.ts';
import { type CliIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './io.ts';

/**
 * Runs one command line and returns its exit code; never exits the process (main.ts does).
 * Errors become one `error: <message>` line on stderr; `--debug` adds the stack.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const debug = argv.includes('--debug');
  let pending: Promise<number> | undefined;
  const setResult = (p: Promise<number>): void => {
    pending = p;
  };
  const program = new Command('fleet-compliance')
    .description(
      'Finds Linux nodes running systemd, docker, containerd, runc, kernel or kubelet versions known to break nodes.',
    )
    .option('--debug', 'print stack traces of errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerVercmp(program, io, setResult);
  registerEvaluate(program, io, setResult);
  registerScan(program, io, setResult);
  registerDemo(program, io, setResult);
  registerReport(program, io, setResult);
  registerAtRisk(program, io, setResult);
  registerCampaign(program, io, setResult);
  for (const command of program.commands) command.exitOverride();

  try {
    await program.parseAsync([...argv], { from: 'user' });
    if (!pending) {
      program.outputHelp();
      return EXIT_USAGE;
    }
    return await pending;
  } catch (error) {
    return report(error, io, debug);
  }
}

function report(error: unknown, io: CliIo, debug: boolean): number {
  if (error instanceof CommanderError) {
    // Commander already printed its message (help, version, or the usage problem).
    return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  io.stderr(`error: ${describeError(error)}\n`);
  if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  if (error instanceof UsageError) return EXIT_USAGE;
  if (!(error instanceof AppError) && !debug) io.stderr('(run with --debug for the stack trace)\n');
  return EXIT_FAILURE;
}

import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import type { Command } from 'commander';
import { VerdictCache } from '../../core/evaluation/verdict-cache.ts';
import { ProbeBlockAssembler } from '../../core/probe/parse-probe-output.ts';
import {
  VERDICT_TABLE_HEADER,
  verdictCsvHeader,
  verdictCsvRow,
  verdictTableRow,
  verdictToJson,
} from '../../core/render/verdict-formats.ts';
import { renderTextTable } from '../../core/render/text-table.ts';
import type { Verdict } from '../../core/verdict.ts';
import { UsageError } from '../errors.ts';
import { type CliIo, EXIT_OK } from '../io.ts';
import { loadCatalog } from '../load-catalog.ts';
import { readBoundedLineRecords } from '../read-lines.ts';

const FORMATS = ['jsonl', 'table', 'csv'] as const;
type Format = (typeof FORMATS)[number];

interface EvaluateOptions {
  advisories?: string;
  only?: string;
  format: string;
}

export function registerEvaluate(program: Command, io: CliIo, setResult: (p: Promise<number>) => void): void {
  program
    .command('evaluate')
    .description('judge probe outputs (format 1) against the advisories; one verdict per node')
    .argument('[file]', 'probe outputs, concatenated; "-" or nothing reads stdin')
    .option('--advisories <file>', 'a catalog file that adds advisories or overrides built-in ones by id')
    .option('--only <ids>', 'evaluate only these advisory ids (comma-separated)')
    .option('--format <format>', `output format: ${FORMATS.join(', ')}`, 'jsonl')
    .addHelpText(
      'after',
      `
Statuses: AT_RISK (an advisory affects what is installed or running), PENDING_REBOOT (fixed
package installed, PID 1 or kernel not yet running it), COMPLIANT (complete output, no finding),
UNKNOWN (missing, garbled or truncated output without a finding; never counted as compliant).

Text outside probe blocks is ignored, so a file of several captured outputs works as is.

Examples:
  $ sh probe/probe.sh | fleet-compliance evaluate --format table
  $ fleet-compliance evaluate outputs.txt --only SYSTEMD-DBUS-COOKIE-OVERFLOW
  $ fleet-compliance evaluate outputs.txt --advisories my-catalog.json --format csv > verdicts.csv`,
    )
    .action((file: string | undefined, options: EvaluateOptions) => {
      setResult(evaluate(io, file, options));
    });
}

async function evaluate(io: CliIo, file: string | undefined, options: EvaluateOptions): Promise<number> {
  if (!(FORMATS as readonly string[]).includes(options.format)) {
    throw new UsageError(`unknown format "${options.format}" (expected ${FORMATS.join(', ')})`);
  }
  const format = options.format as Format;
  const catalog = await loadCatalog(options);
  if (file && file !== '-') {
    try {
      await access(file);
    } catch {
      throw new UsageError(`cannot read ${file}: no such file`);
    }
  }
  const input = file && file !== '-' ? createReadStream(file) : io.stdin();
  const table: string[][] = [];
  let buffered = format === 'csv' ? verdictCsvHeader() : '';
  let count = 0;
  const emit = (verdict: Verdict): void => {
    count += 1;
    if (format === 'table') table.push(verdictTableRow(verdict));
    else buffered += format === 'csv' ? verdictCsvRow(verdict) : `${JSON.stringify(verdictToJson(verdict))}\n`;
    if (buffered.length > 65536) {
      io.stdout(buffered);
      buffered = '';
    }
  };
  const assembler = new ProbeBlockAssembler();
  // Outputs of many nodes repeat a few version combinations: judge each once (same verdicts).
  const verdicts = new VerdictCache(catalog);
  for await (const line of readBoundedLineRecords(input)) {
    // A last line without its newline may be cut mid-value: the assembler takes only `end` from it.
    const block = line.terminated ? assembler.push(line.text) : assembler.pushUnterminated(line.text);
    if (block) emit(verdicts.evaluate(block));
  }
  const last = assembler.finish();
  if (last) emit(verdicts.evaluate(last));
  if (format === 'table') buffered = renderTextTable(VERDICT_TABLE_HEADER, table);
  io.stdout(buffered);
  if (count === 0) io.stderr('warning: no probe output (fleet-compliance-probe/1 block) found in the input\n');
  return EXIT_OK;
}

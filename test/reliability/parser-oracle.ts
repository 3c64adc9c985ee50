/**
 * The probe parser as it was before it was rewritten for speed (commit 9294efe): a regex and a
 * slice per line. Kept only as the oracle the rewritten parser is fuzzed against
 * (probe-parser-differential.fuzz.test.ts); the product does not import it.
 */
import type { ProbeBlock } from '../../src/core/probe/parse-probe-output.ts';
import {
  KEY_PATTERN,
  MAX_KEYS_PER_BLOCK,
  MAX_LINE_LENGTH,
  MAX_VALUE_LENGTH,
  PROBE_END,
} from '../../src/core/probe/probe-format.ts';

// C0 and C1 control characters and DEL. Node output is untrusted; none of them carries meaning here.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;
const HEADER_PATTERN = /^fleet-compliance-probe\/(\d{1,3})$/;

/** Strips control characters and cuts to the value bound: what every reader stores of a value. */
export function oracleSanitizeValue(raw: string): string {
  const cleaned = raw.replace(CONTROL_CHARACTERS, '').trim();
  return cleaned.length > MAX_VALUE_LENGTH ? cleaned.slice(0, MAX_VALUE_LENGTH) : cleaned;
}

/**
 * Reads probe output line by line and yields blocks as they close. Text outside a block is
 * ignored; a header inside an open block closes the open one as truncated. Never throws.
 *
 * @example
 * const assembler = new OracleAssembler();
 * for (const line of lines) { const block = assembler.push(line); if (block) use(block); }
 * const last = assembler.finish();
 */
export class OracleAssembler {
  private current: MutableBlock | undefined;

  /** Feeds one line (without its newline); returns a block when this line closes one. */
  push(rawLine: string): ProbeBlock | undefined {
    const line = normalizeLine(rawLine);
    const header = line.length < 40 ? HEADER_PATTERN.exec(line) : null;
    if (header) {
      const closed = this.current ? freeze(this.current, false) : undefined;
      this.current = newBlock(Number(header[1]));
      return closed;
    }
    const block = this.current;
    if (!block) return undefined;
    if (line === PROBE_END) {
      this.current = undefined;
      return freeze(block, true);
    }
    addLine(block, line);
    return undefined;
  }

  /**
   * Feeds the input's last line when no newline ended it: the output was cut mid-line (SSM's
   * listing stops at 2,500 characters, a killed probe stops anywhere). Only a whole `end` or
   * header line is taken from it. A `key=value` there may have lost the rest of its value
   * (`runc version 1.1.12` cut to `runc version 1.1.1`, `systemd 252` to `systemd 25`, both
   * below their fix), so it is ignored and the block stays truncated: a cut never adds a finding.
   */
  pushUnterminated(rawLine: string): ProbeBlock | undefined {
    const line = normalizeLine(rawLine);
    if (line === PROBE_END || (line.length < 40 && HEADER_PATTERN.test(line))) return this.push(rawLine);
    if (this.current && line.trim() !== '') this.current.garbageLines += 1;
    return undefined;
  }

  /** Ends the input: an open block is returned as truncated (no `end` line arrived). */
  finish(): ProbeBlock | undefined {
    const block = this.current;
    this.current = undefined;
    return block ? freeze(block, false) : undefined;
  }
}

/** Parses whole text (one or more concatenated outputs, LF or CRLF) into blocks. */
export function oracleParseProbeOutput(text: string): ProbeBlock[] {
  const assembler = new OracleAssembler();
  const blocks: ProbeBlock[] = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(start, Math.min(end, start + MAX_LINE_LENGTH + 1));
    const block = newline === -1 ? assembler.pushUnterminated(line) : assembler.push(line);
    if (block) blocks.push(block);
    start = end + 1;
  }
  const last = assembler.finish();
  if (last) blocks.push(last);
  return blocks;
}

interface MutableBlock {
  format: number;
  values: Map<string, string>;
  garbageLines: number;
  duplicateKeys: string[];
}

function newBlock(format: number): MutableBlock {
  return { format, values: new Map(), garbageLines: 0, duplicateKeys: [] };
}

function freeze(block: MutableBlock, complete: boolean): ProbeBlock {
  return {
    format: block.format,
    values: block.values,
    complete,
    garbageLines: block.garbageLines,
    duplicateKeys: block.duplicateKeys,
  };
}

function normalizeLine(rawLine: string): string {
  let line = rawLine;
  if (line.endsWith('\r')) line = line.slice(0, -1);
  if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
  return line;
}

function addLine(block: MutableBlock, line: string): void {
  const eq = line.indexOf('=');
  if (eq <= 0 || line.length > MAX_LINE_LENGTH) {
    if (line.trim() !== '') block.garbageLines += 1;
    return;
  }
  const key = line.slice(0, eq);
  if (!KEY_PATTERN.test(key)) {
    block.garbageLines += 1;
    return;
  }
  if (block.values.has(key)) {
    if (block.duplicateKeys.length < 16) block.duplicateKeys.push(key);
    return;
  }
  if (block.values.size >= MAX_KEYS_PER_BLOCK) {
    block.garbageLines += 1;
    return;
  }
  block.values.set(key, oracleSanitizeValue(line.slice(eq + 1)));
}

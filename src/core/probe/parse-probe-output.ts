import {
  MAX_KEYS_PER_BLOCK,
  MAX_LINE_LENGTH,
  MAX_VALUE_LENGTH,
  PROBE_END,
  PROBE_HEADER_PREFIX,
  PROBE_KEYS,
} from './probe-format.ts';

/** One node's output as read: raw values by key, and whether it ended with `end`. */
export interface ProbeBlock {
  /** Format number from the header line (1 for format 1). */
  readonly format: number;
  readonly values: ReadonlyMap<string, string>;
  /** The block ended with `end`: nothing was cut off. */
  readonly complete: boolean;
  /** Lines inside the block that were not `key=value` of format 1 (ignored). */
  readonly garbageLines: number;
  /** Keys seen more than once (the first value wins: a later line cannot override a fact). */
  readonly duplicateKeys: readonly string[];
}

// C0 and C1 control characters and DEL. Node output is untrusted; none of them carries meaning here.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;
/** Longest key of format 1 (probe-format.ts KEY_PATTERN: a letter and up to 63 more characters). */
const MAX_KEY_LENGTH = 64;
/** A header line is the prefix and a format number of one to three digits. */
const MAX_HEADER_LENGTH = PROBE_HEADER_PREFIX.length + 3;

/** Strips control characters and cuts to the value bound: what every reader stores of a value. */
export function sanitizeValue(raw: string): string {
  return sanitizeRange(raw, 0, raw.length);
}

/**
 * sanitizeValue of text[start, end), copying the value once. The common value has no control
 * character, so the regex runs only on values that have one.
 */
function sanitizeRange(text: string, start: number, end: number): string {
  let cleaned: string | undefined;
  for (let i = start; i < end; i += 1) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
      cleaned = text.slice(start, end).replace(CONTROL_CHARACTERS, '').trim();
      break;
    }
  }
  cleaned ??= text.slice(start, end).trim();
  return cleaned.length > MAX_VALUE_LENGTH ? cleaned.slice(0, MAX_VALUE_LENGTH) : cleaned;
}

/**
 * Reads probe output line by line and yields blocks as they close. Text outside a block is
 * ignored; a header inside an open block closes the open one as truncated. Never throws.
 *
 * A line is read where it lies in the text (index range), not copied out first: collect parses
 * every node's output, and a slice and a regex per line cost more than the rest of a verdict.
 *
 * @example
 * const assembler = new ProbeBlockAssembler();
 * for (const line of lines) { const block = assembler.push(line); if (block) use(block); }
 * const last = assembler.finish();
 */
export class ProbeBlockAssembler {
  private current: MutableBlock | undefined;

  /** Feeds one line (without its newline); returns a block when this line closes one. */
  push(rawLine: string): ProbeBlock | undefined {
    return this.pushRange(rawLine, 0, rawLine.length, true);
  }

  /**
   * Feeds the input's last line when no newline ended it: the output was cut mid-line (SSM's
   * listing stops at 2,500 characters, a killed probe stops anywhere). Only a whole `end` or
   * header line is taken from it. A `key=value` there may have lost the rest of its value
   * (`runc version 1.1.12` cut to `runc version 1.1.1`, `systemd 252` to `systemd 25`, both
   * below their fix), so it is ignored and the block stays truncated: a cut never adds a finding.
   */
  pushUnterminated(rawLine: string): ProbeBlock | undefined {
    return this.pushRange(rawLine, 0, rawLine.length, false);
  }

  /** Ends the input: an open block is returned as truncated (no `end` line arrived). */
  finish(): ProbeBlock | undefined {
    const block = this.current;
    this.current = undefined;
    return block ? freeze(block, false) : undefined;
  }

  /**
   * Feeds text[lineStart, lineEnd) as one line: a trailing CR and a leading byte-order mark are
   * not part of it. `terminated` is false for a last line that no newline ended.
   */
  pushRange(text: string, lineStart: number, lineEnd: number, terminated: boolean): ProbeBlock | undefined {
    let start = lineStart;
    let end = lineEnd;
    if (end > start && text.charCodeAt(end - 1) === 0x0d) end -= 1;
    if (end > start && text.charCodeAt(start) === 0xfeff) start += 1;
    const format = end - start <= MAX_HEADER_LENGTH ? headerFormat(text, start, end) : -1;
    if (format >= 0) {
      const closed = this.current ? freeze(this.current, false) : undefined;
      this.current = newBlock(format);
      return closed;
    }
    const block = this.current;
    if (!block) return undefined;
    if (end - start === PROBE_END.length && text.startsWith(PROBE_END, start)) {
      this.current = undefined;
      return freeze(block, true);
    }
    if (!terminated || !addLine(block, text, start, end)) {
      if (text.slice(start, end).trim() !== '') block.garbageLines += 1;
    }
    return undefined;
  }
}

/** Parses whole text (one or more concatenated outputs, LF or CRLF) into blocks. */
export function parseProbeOutput(text: string): ProbeBlock[] {
  const assembler = new ProbeBlockAssembler();
  const blocks: ProbeBlock[] = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    // A line longer than any line of format 1 is garbage whatever follows; read no more of it.
    const block = assembler.pushRange(text, start, Math.min(end, start + MAX_LINE_LENGTH + 1), newline !== -1);
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
  /** Index in PROBE_KEYS of the key expected on the next line. */
  nextKey: number;
}

const KEY_ORDER: ReadonlyMap<string, number> = new Map(PROBE_KEYS.map((key, index) => [key, index]));

function newBlock(format: number): MutableBlock {
  return { format, values: new Map(), garbageLines: 0, duplicateKeys: [], nextKey: 0 };
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

/** The format number when text[start, end) is a header line (`fleet-compliance-probe/<1-3 digits>`), else -1. */
function headerFormat(text: string, start: number, end: number): number {
  const digits = start + PROBE_HEADER_PREFIX.length;
  if (end <= digits || !text.startsWith(PROBE_HEADER_PREFIX, start)) return -1;
  let format = 0;
  for (let i = digits; i < end; i += 1) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    format = format * 10 + (c - 0x30);
  }
  return format;
}

/** a-z */
function isKeyStart(c: number): boolean {
  return c >= 0x61 && c <= 0x7a;
}

/** a-z, 0-9, `_`, `.`, `-` (probe-format.ts KEY_PATTERN) */
function isKeyPart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2e || c === 0x2d;
}

/**
 * Reads text[start, end) as `key=value` into the block. False when it is not such a line of
 * format 1 (no `=`, a key outside KEY_PATTERN, over MAX_LINE_LENGTH): the caller counts it as
 * garbage unless blank. A duplicate key or one past MAX_KEYS_PER_BLOCK is handled here.
 */
function addLine(block: MutableBlock, text: string, start: number, end: number): boolean {
  if (end - start > MAX_LINE_LENGTH || start >= end) return false;
  let key: string;
  let eq: number;
  // The probe prints its keys in PROBE_KEYS order: try the key after the last one read first, and
  // take the constant string (no copy, hash already known) when the line starts with it.
  const expected = PROBE_KEYS[block.nextKey];
  if (
    expected !== undefined &&
    start + expected.length < end &&
    text.charCodeAt(start + expected.length) === 0x3d &&
    text.startsWith(expected, start)
  ) {
    key = expected;
    eq = start + expected.length;
    block.nextKey += 1;
  } else {
    if (!isKeyStart(text.charCodeAt(start))) return false;
    // The key's characters exclude `=`, so the first character that is not one must be the first `=`.
    const keyLimit = Math.min(end, start + MAX_KEY_LENGTH);
    eq = start + 1;
    while (eq < keyLimit && isKeyPart(text.charCodeAt(eq))) eq += 1;
    if (eq >= end || text.charCodeAt(eq) !== 0x3d) return false;
    key = text.slice(start, eq);
    const known = KEY_ORDER.get(key);
    if (known !== undefined) block.nextKey = known + 1;
  }
  if (block.values.has(key)) {
    if (block.duplicateKeys.length < 16) block.duplicateKeys.push(key);
    return true;
  }
  if (block.values.size >= MAX_KEYS_PER_BLOCK) {
    block.garbageLines += 1;
    return true;
  }
  block.values.set(key, sanitizeRange(text, eq + 1, end));
  return true;
}

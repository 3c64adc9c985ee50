import {
  MAX_VALUE_LENGTH,
  PROBE_END,
  PROBE_FORMAT,
  PROBE_HEADER_PREFIX,
  PROBE_KEYS,
} from './probe-format.ts';

/** What CanonicalReader.read takes from an output of the canonical shape. */
export interface CanonicalRead {
  /** The text of each run of lines, in layout order (`key=value\n` lines, raw). */
  readonly runs: readonly string[];
  /** Each captured key's value as sanitizeValue stores it, by key. */
  readonly values: Readonly<Record<string, string>>;
}

export interface CanonicalReaderOptions {
  /** Keys whose lines are captured as text: consecutive ones (in PROBE_KEYS order) form one run. */
  readonly runKeys: Iterable<string>;
  /** Keys whose values are captured one by one. */
  readonly valueKeys: Iterable<string>;
}

const escapeRegExp = (literal: string): string => literal.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
/** A value: no newline, no C0/C1 control character or DEL, at most MAX_VALUE_LENGTH characters. */
const VALUE = `[^\\n\\u0000-\\u001f\\u007f-\\u009f]{0,${MAX_VALUE_LENGTH}}`;
/** Longest text of the canonical shape: no longer text is tried. */
const MAX_CANONICAL_LENGTH =
  PROBE_HEADER_PREFIX.length +
  String(PROBE_FORMAT).length +
  1 +
  PROBE_KEYS.reduce((sum, key) => sum + key.length + MAX_VALUE_LENGTH + 2, 0) +
  PROBE_END.length +
  1;

/**
 * The shape almost every probe output has: one complete block of format 1 holding every key of
 * PROBE_KEYS exactly once in the probe's order, LF line ends, no control character anywhere, no
 * value over MAX_VALUE_LENGTH characters, nothing before the header and nothing after `end`.
 *
 * A CanonicalReader checks that shape with one regex pass (compiled to machine code by the engine)
 * and captures, in the same pass, the text of chosen runs of lines and the values of chosen keys.
 * Reading the same text line by line in JavaScript costs several times as much, and a verdict
 * cache keyed by the runs' text needs no per-value work at all.
 *
 * When `read` returns a result, `parseProbeOutput(text)` is exactly one complete block of format
 * 1 with the PROBE_KEYS in order, no garbage line and no duplicate key, whose values are the
 * ones captured (test/reliability/probe-parser-differential.fuzz.test.ts holds the two readers to
 * that on fuzzed text). So two outputs with the same run text have the same values for every key
 * in the runs.
 *
 * No backtracking blow-up: each value is a bounded run of characters that excludes the newline
 * ending it, so every position is tried at most once per line.
 */
export class CanonicalReader {
  private readonly pattern: RegExp;
  /** Capture group of each run, in layout order. */
  private readonly runGroups: readonly number[];
  /** Capture group of each captured key. */
  private readonly valueGroups: readonly (readonly [string, number])[];

  constructor(options: CanonicalReaderOptions) {
    const inRuns = new Set(options.runKeys);
    const captured = new Set(options.valueKeys);
    const runGroups: number[] = [];
    const valueGroups: [string, number][] = [];
    let source = `^${escapeRegExp(`${PROBE_HEADER_PREFIX}${PROBE_FORMAT}`)}\\n`;
    let group = 0;
    let runOpen = false;
    for (const key of PROBE_KEYS) {
      // Groups are numbered by their opening parenthesis, so a value group inside a run comes after it.
      if (inRuns.has(key) !== runOpen) {
        runOpen = !runOpen;
        if (runOpen) {
          group += 1;
          runGroups.push(group);
        }
        source += runOpen ? '(' : ')';
      }
      let value = VALUE;
      if (captured.has(key)) {
        group += 1;
        valueGroups.push([key, group]);
        value = `(${VALUE})`;
      }
      source += `${escapeRegExp(key)}=${value}\\n`;
    }
    if (runOpen) source += ')';
    this.pattern = new RegExp(`${source}${escapeRegExp(PROBE_END)}\\n?$`);
    this.runGroups = runGroups;
    this.valueGroups = valueGroups;
  }

  /** The runs and values of an output of the canonical shape; undefined for any other shape. */
  read(text: string): CanonicalRead | undefined {
    if (text.length > MAX_CANONICAL_LENGTH) return undefined;
    const match = this.pattern.exec(text);
    if (match === null) return undefined;
    const runs = this.runGroups.map((group) => match[group] ?? '');
    const values: Record<string, string> = {};
    for (const [key, group] of this.valueGroups) values[key] = trimmed(match[group] ?? '');
    return { runs, values };
  }
}

/**
 * sanitizeValue of a value with no control character and within the length bound: its trim.
 * String.prototype.trim is called only when an end character may be white space (every white space
 * and line terminator character is at or below U+0020 or at or above U+00A0).
 */
function trimmed(value: string): string {
  const last = value.length - 1;
  if (last < 0) return value;
  const first = value.charCodeAt(0);
  const end = value.charCodeAt(last);
  return first <= 0x20 || first >= 0xa0 || end <= 0x20 || end >= 0xa0 ? value.trim() : value;
}

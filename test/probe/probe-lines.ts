import { expect } from 'vitest';
import { CanonicalReader } from '../../src/core/probe/canonical-output.ts';
import { parseProbeOutput, sanitizeValue } from '../../src/core/probe/parse-probe-output.ts';
import { PROBE_KEYS } from '../../src/core/probe/probe-format.ts';

/**
 * The probe's side of the format 1 contract (DESIGN §3.1), checked on the raw bytes: header
 * first, `end` last, one `key=value` line per key, each value at most 256 printable ASCII
 * characters. Then the product's own reader must read the same facts from it.
 */

const HEADER = 'fleet-compliance-probe/1';
const LINE = /^([a-z][a-z0-9_.]*)=([\x20-\x7e]{0,256})$/;

export interface ProbeLines {
  /** Keys in the order printed. */
  readonly keys: readonly string[];
  /** Raw values, exactly as printed. */
  readonly values: ReadonlyMap<string, string>;
  /** The whole output, as printed. */
  readonly stdout: string;
}

/** Reads probe stdout strictly; fails the test with the offending line on any breach. */
export function readProbeLines(stdout: string): ProbeLines {
  expect(stdout.endsWith('\nend\n'), 'output ends with an `end` line').toBe(true);
  const lines = stdout.slice(0, -1).split('\n');
  expect(lines[0], 'first line').toBe(HEADER);
  expect(lines.at(-1), 'last line').toBe('end');
  const keys: string[] = [];
  const values = new Map<string, string>();
  for (const line of lines.slice(1, -1)) {
    const match = LINE.exec(line);
    expect(
      match,
      `a key=value line of printable ASCII, value <= 256: ${JSON.stringify(line)}`,
    ).not.toBeNull();
    const [, key = '', value = ''] = match ?? [];
    expect(values.has(key), `key ${key} printed once`).toBe(false);
    keys.push(key);
    values.set(key, value);
  }
  const parsed = parseProbeOutput(stdout);
  expect(parsed, 'one block').toHaveLength(1);
  const [block] = parsed;
  expect(block?.complete, 'block complete').toBe(true);
  expect(block?.garbageLines, 'no garbage lines').toBe(0);
  expect(block?.duplicateKeys, 'no duplicate keys').toEqual([]);
  for (const [key, value] of values) {
    expect(block?.values.get(key), `parsed ${key}`).toBe(sanitizeValue(value));
  }
  return { keys, values, stdout };
}

const everyValue = new CanonicalReader({ runKeys: [], valueKeys: PROBE_KEYS });

/**
 * Every key of format 1, in the contract's order, and no other key. Such an output is also what
 * collect reads in one regex pass (the canonical shape): a probe change that breaks the shape
 * would not break a verdict, only make every node take the slower line parser.
 */
export function expectFormat1Keys(lines: ProbeLines): void {
  expect(lines.keys).toEqual([...PROBE_KEYS]);
  const read = everyValue.read(lines.stdout);
  expect(read, 'output of the canonical shape (read in one pass)').toBeDefined();
  for (const key of PROBE_KEYS)
    expect(read?.values[key], `one-pass ${key}`).toBe(sanitizeValue(probeValue(lines, key)));
}

export function probeValue(lines: ProbeLines, key: string): string {
  const value = lines.values.get(key);
  if (value === undefined) throw new Error(`probe output has no ${key}`);
  return value;
}

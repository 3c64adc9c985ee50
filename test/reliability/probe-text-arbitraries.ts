import fc from 'fast-check';
import { PROBE_KEYS } from '../../src/core/probe/probe-format.ts';

/** fast-check arbitraries for probe output: values, lines and whole texts a node could send. */

const specialValue = fc.constantFrom('!absent', '!timeout', '!error permission denied', '!error', '', '   ');
/** Version-shaped values: what the advisories compare, so the version paths are exercised too. */
const versionish = fc
  .array(
    fc.oneof(
      fc.stringMatching(/^[0-9]{1,4}$/),
      fc.constantFrom(
        '.',
        '-',
        '~',
        '+',
        ':',
        '^',
        '_',
        'v',
        'rc',
        'el7',
        'el7_6',
        'deb12u',
        'ubuntu',
        'systemd ',
        ' (',
        ')',
      ),
    ),
    { maxLength: 10 },
  )
  .map((parts) => parts.join(''));
export const anyValue = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  { weight: 2, arbitrary: specialValue },
  { weight: 4, arbitrary: versionish },
);
const keys = fc.constantFrom(
  ...PROBE_KEYS,
  'mount.0',
  'future.key',
  'x',
  'Bad Key',
  '',
  '.a',
  `k${'x'.repeat(70)}`,
);
const probeLine = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(keys, anyValue).map(([k, v]) => `${k}=${v}`) },
  { weight: 1, arbitrary: fc.constant('fleet-compliance-probe/1') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'end',
      'end\r',
      '\ufeffend',
      ' end',
      'fleet-compliance-probe/2',
      'fleet-compliance-probe/1000',
      '\ufefffleet-compliance-probe/1',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  {
    weight: 1,
    arbitrary: fc.string({
      unit: fc.constantFrom('=', '\r', '\u0000', 'a', 'é', '\ufffd', '\u2028', '\u202e'),
      maxLength: 20,
    }),
  },
  { weight: 1, arbitrary: fc.integer({ min: 4000, max: 9000 }).map((n) => `k=${'v'.repeat(n)}`) },
);
/** Probe-shaped text: headers, key=value lines, `end`, noise; LF or CRLF; with or without a final newline. */
export const probeLikeText = fc
  .tuple(fc.array(probeLine, { maxLength: 60 }), fc.constantFrom('\n', '\r\n'), fc.boolean())
  .map(([lines, eol, trailing]) => lines.join(eol) + (trailing ? eol : ''));
/** Either probe-shaped text or raw code units (lone surrogates, NULs, anything). */
export const anyText = fc.oneof(probeLikeText, fc.string({ unit: 'binary', maxLength: 4000 }));

/** Values near the canonical reader's edges: white space of every kind, control characters, the length bound. */
const benignValue = fc.stringMatching(/^[a-z0-9.~+:() -]{0,24}$/);
/** One character that sanitizing removes, trims or keeps: each is a way for two readers to differ. */
const specialCharacter = fc.constantFrom(
  '\r',
  '\u0000',
  '\u0001',
  '\t',
  '\u000b',
  '\u000c',
  '\u001f',
  '\u007f',
  '\u0080',
  '\u0085',
  '\u009f',
  '\u00a0',
  '\u1680',
  '\u2000',
  '\u2028',
  '\u2029',
  '\u202f',
  '\u3000',
  '\ufeff',
  ' ',
  'é',
  '\ud83d',
  '=',
);
const edgeValue = fc.oneof(
  { weight: 6, arbitrary: benignValue },
  {
    weight: 4,
    arbitrary: fc
      .tuple(benignValue, specialCharacter, fc.nat())
      .map(
        ([value, special, at]) =>
          value.slice(0, at % (value.length + 1)) + special + value.slice(at % (value.length + 1)),
      ),
  },
  fc.string({
    unit: fc.constantFrom(
      'a',
      '1',
      '.',
      ' ',
      '\t',
      '\u00a0',
      '\u1680',
      '\u2028',
      '\u3000',
      '\ufeff',
      '\r',
      '\u0000',
      '\u007f',
      '\u0085',
      '\u009f',
      '\u00a0',
      'é',
      '\ud83d',
      '\ude00',
      '=',
    ),
    maxLength: 12,
  }),
  fc.integer({ min: 250, max: 262 }).map((n) => 'v'.repeat(n)),
  fc.integer({ min: 250, max: 262 }).map((n) => ` ${'v'.repeat(n)} `),
  fc.constantFrom('', ' ', '!absent', '!timeout', '!error x'),
);

/**
 * A recorded profile (canonical shape) with a few edits: values replaced in place, lines dropped,
 * repeated, swapped or added, CRLF, a byte-order mark, text before the header or after `end`, no
 * final newline. About half stay canonical; the rest miss the shape by one detail.
 */
export function canonicalLikeText(profiles: readonly string[]): fc.Arbitrary<string> {
  const edit = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.constant('value' as const), fc.nat(), edgeValue) },
    { weight: 1, arbitrary: fc.tuple(fc.constant('drop' as const), fc.nat(), fc.constant('')) },
    { weight: 1, arbitrary: fc.tuple(fc.constant('repeat' as const), fc.nat(), fc.constant('')) },
    { weight: 1, arbitrary: fc.tuple(fc.constant('swap' as const), fc.nat(), fc.constant('')) },
    {
      weight: 1,
      arbitrary: fc.tuple(
        fc.constant('add' as const),
        fc.nat(),
        fc.constantFrom('x=1', '', ' ', 'garbage', 'end', 'fleet-compliance-probe/1'),
      ),
    },
  );
  return fc
    .tuple(
      fc.constantFrom(...profiles),
      fc.array(edit, { maxLength: 3 }),
      fc.oneof(
        { weight: 8, arbitrary: fc.constant('') },
        fc.constantFrom('crlf', 'bom', 'before', 'after', 'no-final-newline', 'format-2'),
      ),
    )
    .map(([profile, edits, whole]) => {
      const lines = profile.trimEnd().split('\n');
      for (const [kind, at, value] of edits) {
        // Lines 1..n-2 are the key=value lines between the header and `end`.
        const i = 1 + (at % Math.max(1, lines.length - 2));
        const line = lines[i] ?? '';
        if (kind === 'value') lines[i] = `${line.slice(0, line.indexOf('=') + 1)}${value}`;
        else if (kind === 'drop') lines.splice(i, 1);
        else if (kind === 'repeat') lines.splice(i, 0, line);
        else if (kind === 'swap') [lines[i], lines[i + 1]] = [lines[i + 1] ?? '', line];
        else lines.splice(i, 0, value);
      }
      const text = `${lines.join('\n')}\n`;
      if (whole === 'crlf') return text.replace(/\n/g, '\r\n');
      if (whole === 'bom') return `\ufeff${text}`;
      if (whole === 'before') return `banner\n${text}`;
      if (whole === 'after') return `${text}trailing\n`;
      if (whole === 'no-final-newline') return text.slice(0, -1);
      if (whole === 'format-2') return text.replace('fleet-compliance-probe/1', 'fleet-compliance-probe/2');
      return text;
    });
}

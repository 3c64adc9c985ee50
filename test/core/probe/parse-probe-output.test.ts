import { describe, expect, it } from 'vitest';
import { parseProbeOutput, ProbeBlockAssembler, sanitizeValue } from '../../../src/core/probe/parse-probe-output.ts';
import { MAX_VALUE_LENGTH } from '../../../src/core/probe/probe-format.ts';
import { probeText } from '../../helpers/probe-text.ts';

describe('parseProbeOutput', () => {
  it('reads a complete block', () => {
    const [block, ...rest] = parseProbeOutput(probeText());
    expect(rest).toHaveLength(0);
    expect(block?.complete).toBe(true);
    expect(block?.format).toBe(1);
    expect(block?.values.get('os.id')).toBe('debian');
    expect(block?.values.get('systemd.version')).toBe('systemd 252 (252.38-1~deb12u1)');
  });

  it('reads CRLF output the same as LF', () => {
    const lf = parseProbeOutput(probeText())[0]!;
    const crlf = parseProbeOutput(probeText().replace(/\n/g, '\r\n'))[0]!;
    expect([...crlf.values]).toEqual([...lf.values]);
    expect(crlf.complete).toBe(true);
  });

  it('marks a block without end as truncated', () => {
    const text = probeText({}, { end: false });
    const [block] = parseProbeOutput(text.slice(0, text.indexOf('docker.version')));
    expect(block?.complete).toBe(false);
    expect(block?.values.get('systemd.package')).toBe('252.38-1~deb12u1');
    expect(block?.values.has('docker.version')).toBe(false);
  });

  it('splits concatenated outputs and ignores text outside blocks', () => {
    const text = `banner\n${probeText({ 'node.id': 'a' })}noise=1\n${probeText({ 'node.id': 'b' })}trailing\n`;
    const blocks = parseProbeOutput(text);
    expect(blocks.map((b) => b.values.get('node.id'))).toEqual(['a', 'b']);
    expect(blocks.every((b) => b.complete)).toBe(true);
  });

  it('closes an open block as truncated when a new header starts', () => {
    const text = `${probeText({ 'node.id': 'a' }, { end: false })}${probeText({ 'node.id': 'b' })}`;
    const blocks = parseProbeOutput(text);
    expect(blocks.map((b) => [b.values.get('node.id'), b.complete])).toEqual([
      ['a', false],
      ['b', true],
    ]);
  });

  it('keeps the first value of a duplicated key so a later line cannot override a fact', () => {
    const text = probeText().replace('end\n', 'os.id=centos\nend\n');
    const [block] = parseProbeOutput(text);
    expect(block?.values.get('os.id')).toBe('debian');
    expect(block?.duplicateKeys).toEqual(['os.id']);
  });

  it('cuts values to 256 characters and strips control characters', () => {
    const text = probeText({ 'node.hostname': `a\u0007b\u001b[31mc${'x'.repeat(1000)}`, 'os.pretty_name': 'x\u0085y' });
    const [block] = parseProbeOutput(text);
    const hostname = block?.values.get('node.hostname') ?? '';
    expect(hostname.length).toBe(MAX_VALUE_LENGTH);
    expect(hostname.startsWith('ab[31mc')).toBe(true);
    expect(block?.values.get('os.pretty_name')).toBe('xy');
  });

  it.for([
    ['an oversized line', `k=${'v'.repeat(100_000)}`],
    ['a line without =', 'garbage line'],
    ['an invalid key', 'Bad Key=1'],
    ['binary noise', '\u0000\u0001\u00ff\ufffd=\u0002'],
  ])('counts %s as garbage without throwing', ([, line]) => {
    const [block] = parseProbeOutput(`fleet-compliance-probe/1\n${line}\nos.id=debian\nend\n`);
    expect(block?.garbageLines).toBe(1);
    expect(block?.values.get('os.id')).toBe('debian');
  });

  it('ignores a block header of another format only by recording its number', () => {
    const [block] = parseProbeOutput('fleet-compliance-probe/2\nos.id=x\nend\n');
    expect(block?.format).toBe(2);
  });

  it('returns no block for text without a header', () => {
    expect(parseProbeOutput('hello\nend\nos.id=debian\n')).toEqual([]);
    expect(parseProbeOutput('')).toEqual([]);
  });

  it('treats a value of only spaces as empty', () => {
    expect(sanitizeValue('   ')).toBe('');
  });
});

describe('ProbeBlockAssembler', () => {
  it('yields blocks as their end line arrives', () => {
    const assembler = new ProbeBlockAssembler();
    const lines = probeText().trimEnd().split('\n');
    const yielded = lines.map((l) => assembler.push(l));
    expect(yielded.slice(0, -1).every((b) => b === undefined)).toBe(true);
    expect(yielded.at(-1)?.complete).toBe(true);
    expect(assembler.finish()).toBeUndefined();
  });
});

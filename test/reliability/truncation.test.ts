import { describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../src/core/advisory/builtin-catalog.ts';
import { evaluateBlock } from '../../src/core/evaluation/evaluate-node.ts';
import { parseProbeOutput } from '../../src/core/probe/parse-probe-output.ts';
import type { Verdict } from '../../src/core/verdict.ts';
import { loadProfiles } from '../../src/local/fleet/load-profiles.ts';
import { runCli } from '../helpers/cli-harness.ts';

/**
 * Outputs cut at every byte boundary of the recorded profiles (src/local/profiles), LF and CRLF:
 * what ListCommandInvocations' 2,500-character cut, a probe killed mid-way or the `truncated` chaos
 * fault leave. A cut must never make a node look healthier (COMPLIANT without the `end` line) nor
 * sicker (a finding the whole output does not have: a value cut from `1.1.12` to `1.1.1`, or a
 * distro package line that did not arrive leaving only the upstream version to judge by).
 */

const catalog = builtinCatalog();
const profiles = [...loadProfiles()];
const END_LINE = /(^|\n)end\r?(\n|$)/;

function judge(text: string): Verdict | undefined {
  const block = parseProbeOutput(text)[0];
  return block ? evaluateBlock(block, catalog, 'i-0cut') : undefined;
}

interface CutStats {
  cuts: number;
  atRisk: number;
  unknown: number;
}

function checkEveryCut(text: string): CutStats {
  const full = judge(text)!;
  const fullIds = new Set(full.findings.map((f) => f.id));
  const bytes = Buffer.from(text, 'utf8');
  const stats: CutStats = { cuts: 0, atRisk: 0, unknown: 0 };
  for (let n = 0; n <= bytes.length; n += 1) {
    // A cut inside a multi-byte character decodes to U+FFFD, as the agent passes it on.
    const prefix = bytes.subarray(0, n).toString('utf8');
    const verdict = judge(prefix);
    stats.cuts += 1;
    if (verdict === undefined) continue;
    const where = `cut at byte ${n}: ${JSON.stringify(prefix.slice(prefix.lastIndexOf('\n', prefix.length - 2) + 1))}`;
    if (!END_LINE.test(prefix)) expect(verdict.status, where).not.toBe('COMPLIANT');
    for (const finding of verdict.findings) expect(fullIds.has(finding.id), `${where} adds ${finding.id}`).toBe(true);
    if (verdict.status === 'AT_RISK') stats.atRisk += 1;
    if (verdict.status === 'UNKNOWN') stats.unknown += 1;
  }
  expect(judge(bytes.toString('utf8'))?.status).toBe(full.status);
  return stats;
}

describe('outputs truncated at every byte boundary', () => {
  it.for(profiles.map(([name, text]) => [name, text] as const))(
    '%s: never COMPLIANT without `end`, never a finding the whole output lacks (LF and CRLF)',
    ([, text]) => {
      const lf = checkEveryCut(text);
      const crlf = checkEveryCut(text.replace(/\n/g, '\r\n'));
      expect(lf.cuts).toBe(Buffer.byteLength(text) + 1);
      expect(crlf.cuts).toBeGreaterThan(lf.cuts);
    },
  );

  it('keeps findings proven by what arrived: an at-risk node stays AT_RISK once its evidence is in', () => {
    const [, text] = profiles.find(([name]) => name === 'centos-7.6-unfixed')!;
    const cut = text.indexOf('\nsystemd.running=');
    expect(cut).toBeGreaterThan(0);
    const verdict = judge(text.slice(0, cut + 1))!;
    expect(verdict.status).toBe('AT_RISK');
    expect(verdict.findings.map((f) => f.id)).toContain('SYSTEMD-DBUS-COOKIE-OVERFLOW');
  });

  it('leaves a half-written last value out: runc 1.1.12 cut to 1.1.1 is not a finding', () => {
    const [, text] = profiles.find(([name]) => name === 'ubuntu-24.04')!;
    expect(judge(text)?.status).toBe('COMPLIANT');
    const cut = text.indexOf('runc.version=runc version 1.1.1') + 'runc.version=runc version 1.1.1'.length;
    expect(text.slice(cut, cut + 1)).toBe('2');
    const verdict = judge(text.slice(0, cut))!;
    expect(verdict.status).toBe('UNKNOWN');
    expect(verdict.findings).toEqual([]);
  });

  it('does not judge an EL7 systemd 219 by its upstream version when the package line was cut off', () => {
    const [, text] = profiles.find(([name]) => name === 'centos-7-fixed')!;
    const cut = text.indexOf('\nsystemd.package=');
    const verdict = judge(text.slice(0, cut + 1))!;
    expect(verdict.findings.map((f) => f.id)).not.toContain('SYSTEMD-DBUS-COOKIE-OVERFLOW');
    expect(verdict.status).toBe('UNKNOWN');
  });

  it('gives the same verdicts through `evaluate` reading a cut file, at every byte of a compliant node', async () => {
    const [, text] = profiles.find(([name]) => name === 'debian-12')!;
    const bytes = Buffer.from(text, 'utf8');
    for (let n = 0; n <= bytes.length; n += 1) {
      const prefix = bytes.subarray(0, n);
      const r = await runCli(['evaluate'], prefix);
      expect(r.code).toBe(0);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      const line = r.stdout.trim();
      if (line === '') continue;
      const { status, findings } = JSON.parse(line) as { status: string; findings: unknown[] };
      // `end` without its newline still ends the block; any shorter cut is not a complete output.
      if (n >= bytes.length - 1) expect(status).toBe('COMPLIANT');
      else expect(status, `cut at byte ${n}`).not.toBe('COMPLIANT');
      expect(findings, `cut at byte ${n}`).toEqual([]);
    }
  });
});

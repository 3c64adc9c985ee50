import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CENTOS_7_BASE, UBUNTU_18_BASE } from '../fixtures/advisory-cases.ts';
import { runCli } from '../helpers/cli-harness.ts';
import { probeText } from '../helpers/probe-text.ts';

const TWO_NODES = `${probeText({ 'node.id': 'ok-node' })}${probeText({ 'node.id': 'old-node' }, { base: UBUNTU_18_BASE })}`;

describe('cli evaluate', () => {
  it('prints one JSON line per node with node, status and findings', async () => {
    const r = await runCli(['evaluate'], TWO_NODES);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.node, l.status])).toEqual([
      ['ok-node', 'COMPLIANT'],
      ['old-node', 'AT_RISK'],
    ]);
    expect(lines[1].findings[0]).toMatchObject({ id: 'SYSTEMD-DBUS-COOKIE-OVERFLOW', severity: 'high' });
  });

  it('reads a file argument and "-" for stdin alike', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fc-eval-'));
    const file = join(dir, 'out.txt');
    writeFileSync(file, TWO_NODES);
    const fromFile = await runCli(['evaluate', file]);
    const fromStdin = await runCli(['evaluate', '-'], TWO_NODES);
    expect(fromFile.stdout).toBe(fromStdin.stdout);
  });

  it('restricts evaluation with --only', async () => {
    const r = await runCli(['evaluate', '--only', 'RUNC-CVE-2024-21626'], TWO_NODES);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).status)).toEqual(['COMPLIANT', 'COMPLIANT']);
  });

  it('adds and overrides advisories from --advisories', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fc-adv-'));
    const file = join(dir, 'mine.json');
    writeFileSync(
      file,
      JSON.stringify({
        schemaVersion: 1,
        advisories: [
          {
            id: 'SITE-KERNEL-6-1',
            title: 'Debian 12 kernels before 6.1.0-18 are banned here',
            summary: 'site policy',
            severity: 'low',
            components: ['kernel'],
            match: { fact: { key: 'kernel.running', equals: '6.1.0-17-amd64' } },
            remediation: 'reboot into the newer kernel',
            actions: ['reboot'],
            rebootRequired: true,
            reexecRequired: false,
            references: ['https://example.com/policy'],
          },
        ],
      }),
    );
    const r = await runCli(['evaluate', '--advisories', file], probeText());
    expect(JSON.parse(r.stdout).findings.map((f: { id: string }) => f.id)).toEqual(['SITE-KERNEL-6-1']);
  });

  it('renders a table and a CSV with formula cells neutralised', async () => {
    const hostile = probeText({ 'node.id': '=HYPERLINK("http://x","y")', 'os.pretty_name': '+cmd|calc' });
    const table = await runCli(['evaluate', '--format', 'table'], `${TWO_NODES}${hostile}`);
    expect(table.stdout.split('\n')[0]).toMatch(/^NODE\s+STATUS\s+SEVERITY\s+FINDINGS/);
    const csv = await runCli(['evaluate', '--format', 'csv'], hostile);
    const row = csv.stdout.split('\r\n')[1] ?? '';
    expect(row.startsWith(`"'=HYPERLINK(""http://x"",""y"")"`)).toBe(true);
    expect(row).toContain(",'+cmd|calc,");
  });

  it.for([
    [['evaluate', '--format', 'xml'], 2, /unknown format "xml"/],
    [['evaluate', '/nonexistent/file'], 2, /cannot read \/nonexistent\/file/],
    [['evaluate', '--only', 'NOPE'], 1, /unknown advisory id NOPE/],
    [['evaluate', '--advisories', '/nonexistent.json'], 1, /nonexistent\.json: field \(file\): cannot read/],
  ] as const)('fails cleanly: %s', async ([argv, code, message]) => {
    const r = await runCli(argv, probeText());
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('survives random bytes with a clean exit and no stack trace', async () => {
    let seed = 7;
    const bytes = Buffer.alloc(200_000);
    for (let i = 0; i < bytes.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      bytes[i] = seed & 0xff;
    }
    const withHeader = Buffer.concat([bytes, Buffer.from('\nfleet-compliance-probe/1\n'), bytes]);
    for (const input of [bytes, withHeader]) {
      const r = await runCli(['evaluate'], input);
      expect(r.code).toBe(0);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    const r = await runCli(['evaluate'], withHeader);
    expect(JSON.parse(r.stdout.trim()).status).toBe('UNKNOWN');
  });

  it('marks a pending re-exec in the table', async () => {
    const r = await runCli(
      ['evaluate', '--format', 'table'],
      probeText({ 'systemd.pid1_deleted': '1' }, { base: CENTOS_7_BASE }),
    );
    expect(r.stdout).toMatch(/PENDING_REBOOT.*SYSTEMD-DBUS-COOKIE-OVERFLOW:daemon-reexec/);
  });
});

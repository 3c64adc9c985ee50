import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-harness.ts';

describe('cli vercmp', () => {
  it.for([
    ['rpm', '219-62.el7_6.10', '219-62.el7_6.9', '1'],
    ['dpkg', '241-7~deb10u8', '241-7', '-1'],
    ['systemd', '242-rc2', '242', '-1'],
    ['upstream', '1.0.0-rc10', '1.0.0-rc9', '1'],
    ['upstream', '18.09', '18.9', '0'],
  ] as const)('compares in %s: %s vs %s -> %s', async ([scheme, a, b, expected]) => {
    const r = await runCli(['vercmp', '--scheme', scheme, a, b]);
    expect(r).toEqual({ code: 0, stdout: `${expected}\n`, stderr: '' });
  });

  it('reads A<TAB>B lines from stdin and prints invalid for an unparsable side', async () => {
    const r = await runCli(['vercmp', '--scheme', 'dpkg'], '1.0\t1.1\r\n2:1\t1:9\n\n:bad\t1\nno-tab-line\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('-1\n1\ninvalid\ninvalid\n');
  });

  it('fails with one error line for an invalid version', async () => {
    const r = await runCli(['vercmp', '--scheme', 'upstream', 'abc', '1.0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*abc/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.for([
    [['vercmp', '--scheme', 'semver', '1', '2'], /unknown scheme "semver"/],
    [['vercmp', '1', '2'], /required option '--scheme/],
    [['vercmp', '--scheme', 'rpm', '1'], /needs two versions/],
    [['nonsense'], /unknown command/],
  ] as const)('exits 2 on a usage error: %s', async ([argv, message]) => {
    const r = await runCli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('prints help that teaches the schemes with examples', async () => {
    const r = await runCli(['vercmp', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Schemes:/);
    expect(r.stdout).toMatch(/Examples:/);
  });
});

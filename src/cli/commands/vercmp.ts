import type { Command } from 'commander';
import { compareVersions, tryCompareVersions, VERSION_SCHEMES } from '../../core/version/compare.ts';
import type { VersionScheme } from '../../core/verdict.ts';
import { UsageError } from '../errors.ts';
import { type CliIo, EXIT_OK } from '../io.ts';
import { readBoundedLines } from '../read-lines.ts';

export function registerVercmp(program: Command, io: CliIo, setResult: (p: Promise<number>) => void): void {
  program
    .command('vercmp')
    .description('compare two versions in a scheme; prints -1, 0 or 1 (A<B, A=B, A>B)')
    .requiredOption('--scheme <scheme>', `one of ${VERSION_SCHEMES.join(', ')}`)
    .argument('[a]', 'first version')
    .argument('[b]', 'second version')
    .addHelpText(
      'after',
      `
Schemes:
  rpm       [epoch:]version-release with rpm's rpmvercmp (~ before everything, ^ after the base)
  dpkg      [epoch:]upstream[-revision] as dpkg --compare-versions (~ before everything)
  systemd   upstream systemd versions: 219, 242-rc2, 252.38, or "systemd 252 (252.38-1~deb12u1)"
  upstream  project tags (runc, containerd, docker, kubelet): v prefix optional, 18.09 = 18.9,
            rc9 < rc10 < rc90, -ce/+dfsg1/-eks-<sha>/+k3s1 and distro tails ignored

Without A and B, reads "A<TAB>B" lines from stdin and prints one result per line
("invalid" when a side does not parse).

Examples:
  $ fleet-compliance vercmp --scheme rpm 219-62.el7_6.10 219-62.el7_6.9     # 1
  $ fleet-compliance vercmp --scheme upstream 1.0.0-rc10 1.0.0-rc9          # 1
  $ printf '242-rc2\\t242\\n' | fleet-compliance vercmp --scheme systemd     # -1`,
    )
    .action((a: string | undefined, b: string | undefined, options: { scheme: string }) => {
      setResult(vercmp(io, options.scheme, a, b));
    });
}

async function vercmp(io: CliIo, schemeName: string, a: string | undefined, b: string | undefined): Promise<number> {
  if (!(VERSION_SCHEMES as readonly string[]).includes(schemeName)) {
    throw new UsageError(`unknown scheme "${schemeName}" (expected ${VERSION_SCHEMES.join(', ')})`);
  }
  const scheme = schemeName as VersionScheme;
  if (a !== undefined && b === undefined) throw new UsageError('vercmp needs two versions, or none to read stdin');
  if (a !== undefined && b !== undefined) {
    io.stdout(`${compareVersions(scheme, a, b)}\n`);
    return EXIT_OK;
  }
  let out = '';
  for await (const line of readBoundedLines(io.stdin())) {
    const clean = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (clean === '') continue;
    const tab = clean.indexOf('\t');
    const result = tab === -1 ? undefined : tryCompareVersions(scheme, clean.slice(0, tab), clean.slice(tab + 1));
    out += `${result ?? 'invalid'}\n`;
    if (out.length > 65536) {
      io.stdout(out);
      out = '';
    }
  }
  io.stdout(out);
  return EXIT_OK;
}

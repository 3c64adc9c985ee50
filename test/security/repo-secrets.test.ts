import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * No secret and no real AWS account id in the repository: every file git would commit (tracked,
 * or new and not ignored) is read and searched. Account ids may only be the documentation
 * placeholders AWS itself uses in examples; keys only AWS's documented example keys.
 */

/** Placeholder account ids from the AWS documentation (and the simulator's default). */
const PLACEHOLDER_ACCOUNTS = new Set(['123456789012', '111122223333', '444455556666', '777788889999', '000000000000', '999999999999']);
const EXAMPLE_KEYS = new Set(['AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY']);

const SECRET_PATTERNS: readonly (readonly [string, RegExp])[] = [
  ['an AWS access key id', /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}\b/g],
  ['an AWS secret access key', /(?:aws_?secret_?access_?key|secretAccessKey)["'\s]*[:=]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi],
  ['a private key', /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----/g],
  ['a GitHub token', /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g],
  ['a Slack token', /\bxox[baprs]-[A-Za-z0-9-]{10,}\b/g],
  ['a session token assignment', /aws_?session_?token["'\s]*[:=]\s*["']?[A-Za-z0-9/+=]{100,}/gi],
];

/** Account ids where they are written: in an ARN, or next to the word account. */
const ACCOUNT_PATTERNS: readonly RegExp[] = [
  /arn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:(\d{12}):/g,
  /account(?:[_ -]?id)?["'\s]*[:=]\s*["']?(\d{12})\b/gi,
  /\b(\d{12})\.dkr\.ecr\./g,
  /:iam::(\d{12}):/g,
];

function repositoryFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return out.split('\0').filter((f) => f !== '' && !f.startsWith('node_modules/'));
}

function readText(file: string): string | undefined {
  try {
    if (statSync(file).size > 5 * 1024 * 1024) return undefined;
    const bytes = readFileSync(file);
    return bytes.includes(0) ? undefined : bytes.toString('utf8');
  } catch {
    return undefined; // listed by git but deleted in the working tree
  }
}

describe('the repository', () => {
  const files = repositoryFiles();
  const texts = files.map((f) => [f, readText(f)] as const).filter((e): e is readonly [string, string] => e[1] !== undefined);

  it('is read whole: hundreds of files, the sources, tests, docs and CDK app among them', () => {
    expect(texts.length).toBeGreaterThan(200);
    for (const must of ['package.json', 'probe/probe.sh', 'bin/app.ts', 'lib/fleet-compliance-stack.ts', 'advisories/catalog.json']) {
      expect(texts.map(([f]) => f)).toContain(must);
    }
  });

  it('recognises the shapes it searches for (samples built here, so this file holds none)', () => {
    const samples = [
      `AK${'IA'}${'Q'.repeat(16)}`,
      `aws_secret_access_key = ${'x'.repeat(20)}${'Y/'.repeat(10)}`,
      `-----BEGIN ${'RSA '}PRIVATE KEY-----`,
      `gh${'p'}_${'a'.repeat(36)}`,
    ];
    for (const sample of samples) expect(SECRET_PATTERNS.some(([, p]) => [...sample.matchAll(p)].length > 0), sample).toBe(true);
    const arn = `arn:aws:iam::${'4'.repeat(12)}:role/x`;
    expect(ACCOUNT_PATTERNS.some((p) => [...arn.matchAll(p)].length > 0)).toBe(true);
  });

  it('holds no access key, secret key, private key or token', () => {
    const found: string[] = [];
    for (const [file, text] of texts) {
      for (const [what, pattern] of SECRET_PATTERNS) {
        for (const m of text.matchAll(pattern)) {
          const value = m[1] ?? m[0];
          if (!EXAMPLE_KEYS.has(value)) found.push(`${file}: ${what} (${value.slice(0, 8)}...)`);
        }
      }
    }
    expect(found).toEqual([]);
  });

  it('names no AWS account other than the documentation placeholders', () => {
    const found: string[] = [];
    for (const [file, text] of texts) {
      for (const pattern of ACCOUNT_PATTERNS) {
        for (const m of text.matchAll(pattern)) if (!PLACEHOLDER_ACCOUNTS.has(m[1]!)) found.push(`${file}: ${m[0]}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('pins no account or region into the CDK app (cdk.json and bin/app.ts leave them to the deployer)', () => {
    const cdk = JSON.parse(readFileSync('cdk.json', 'utf8')) as { context?: Record<string, unknown> };
    expect(JSON.stringify(cdk)).not.toMatch(/\b\d{12}\b/);
    expect(readFileSync('bin/app.ts', 'utf8')).not.toMatch(/\b\d{12}\b/);
  });
});

import { spawn, spawnSync } from 'node:child_process';

/** Whether `command` runs at all (the differential suites skip, loudly, when it does not). */
export function isCommandAvailable(command: string, args: readonly string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return result.error === undefined && result.status === 0;
}

/**
 * Runs a command with `input` on stdin and resolves with its stdout; rejects on a non-zero exit.
 * The environment is minimal and LC_ALL=C: the tools then skip loading locale files on every
 * start, which matters when a shell loop starts dpkg thousands of times.
 */
export function runWithInput(command: string, args: readonly string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' };
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(stdout).toString('utf8'));
      else
        reject(
          new Error(`${command} exited ${code}: ${Buffer.concat(stderr).toString('utf8').slice(0, 2000)}`),
        );
    });
    child.stdin.end(input);
  });
}

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Debian's package (CI installs it with apt). */
export const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);

/** Flags for a quiet, offline, throwaway headless run (no sync, updates or network probes). */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--hide-scrollbars',
];

export interface ChromiumRun {
  /** The DOM after parsing and layout (`--dump-dom`). */
  readonly dom: string;
  readonly ms: number;
}

/**
 * Opens a local HTML file in headless Chromium once: dumps the DOM and, with `screenshot`, writes
 * a PNG of the window. Bounded: killed after `timeoutMs`.
 */
export async function runChromium(
  htmlPath: string,
  options: { screenshot?: string; windowSize?: string; timeoutMs?: number } = {},
): Promise<ChromiumRun> {
  const profile = await mkdtemp(join(tmpdir(), 'fc-chromium-'));
  const args = [
    ...FLAGS,
    `--user-data-dir=${profile}`,
    `--window-size=${options.windowSize ?? '1280,2000'}`,
    ...(options.screenshot ? [`--screenshot=${options.screenshot}`] : []),
    '--dump-dom',
    pathToFileURL(htmlPath).href,
  ];
  const started = performance.now();
  try {
    const dom = await new Promise<string>((resolve, reject) => {
      execFile(
        CHROMIUM,
        args,
        { timeout: options.timeoutMs ?? 45_000, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          if (error)
            reject(new Error(`chromium failed: ${error.message}\n${stderr.slice(-2000)}`, { cause: error }));
          else resolve(stdout);
        },
      );
    });
    return { dom, ms: Math.round(performance.now() - started) };
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

import { readdirSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

/**
 * Finds processes a probe run left behind. Each run gets a unique environment variable; every
 * process the probe starts (stand-ins, their children, watchdogs, timeout) inherits it, so any
 * live process whose environment holds the tag outlived its run. Zombies do not count: they have
 * exited and are only waiting to be reaped.
 */

export const RUN_TAG_VARIABLE = 'FLEET_PROBE_TEST_RUN';

export function newRunTag(): Record<string, string> {
  return { [RUN_TAG_VARIABLE]: randomUUID() };
}

export interface TaggedProcess {
  readonly pid: number;
  readonly command: string;
}

export function processesTagged(tag: Record<string, string>): TaggedProcess[] {
  const needle = Buffer.from(`${RUN_TAG_VARIABLE}=${tag[RUN_TAG_VARIABLE]}\0`);
  const found: TaggedProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state === 'Z') continue;
      if (!readFileSync(`/proc/${entry}/environ`).includes(needle)) continue;
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      found.push({ pid: Number(entry), command });
    } catch {
      // The process ended while being read: it is not left over.
    }
  }
  return found;
}

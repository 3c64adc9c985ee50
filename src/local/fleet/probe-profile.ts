import { PROBE_END, PROBE_FORMAT, PROBE_HEADER_PREFIX } from '../../core/probe/probe-format.ts';
import { FleetProfileError } from './fleet-profile-error.ts';

/**
 * A recorded probe output (format 1, DESIGN §3.1) turned into a template: the generator swaps a
 * few values per node (id, hostname, uptime, symptoms) and keeps every version exactly as
 * recorded.
 */
export interface ProbeProfile {
  readonly name: string;
  /** Lines from the header to `end` inclusive. */
  readonly lines: readonly string[];
  /** Key -> index in `lines` of its first occurrence. */
  readonly keyIndex: ReadonlyMap<string, number>;
  readonly osId: string;
  readonly osVersionId: string;
  readonly osPrettyName: string;
  /** Upstream systemd major of PID 1 (running, else installed), when the profile has one. */
  readonly systemdMajor: number | undefined;
}

/** The header line of format 1 (src/core/probe/probe-format.ts). */
export const PROBE_HEADER = `${PROBE_HEADER_PREFIX}${PROBE_FORMAT}`;

export function parseProbeProfile(name: string, text: string): ProbeProfile {
  const all = text.split(/\r?\n/);
  const start = all.indexOf(PROBE_HEADER);
  if (start < 0) {
    throw new FleetProfileError('fleet.profile-format', `profile ${name}: no "${PROBE_HEADER}" line`, name);
  }
  const endAt = all.indexOf(PROBE_END, start + 1);
  if (endAt < 0) {
    throw new FleetProfileError('fleet.profile-format', `profile ${name}: no "${PROBE_END}" line`, name);
  }
  const lines = all.slice(start, endAt + 1);
  const keyIndex = new Map<string, number>();
  lines.forEach((line, index) => {
    const eq = line.indexOf('=');
    if (eq > 0 && !keyIndex.has(line.slice(0, eq))) keyIndex.set(line.slice(0, eq), index);
  });
  const value = (key: string): string | undefined => profileValue({ lines, keyIndex }, key);
  const systemd = value('systemd.running') ?? value('systemd.version');
  const major = systemd === undefined ? undefined : /(\d+)/.exec(systemd)?.[1];
  return {
    name,
    lines,
    keyIndex,
    osId: value('os.id') ?? 'linux',
    osVersionId: value('os.version_id') ?? '',
    osPrettyName: value('os.pretty_name') ?? 'Linux',
    systemdMajor: major === undefined ? undefined : Number(major),
  };
}

export function profileValue(
  profile: Pick<ProbeProfile, 'lines' | 'keyIndex'>,
  key: string,
): string | undefined {
  const index = profile.keyIndex.get(key);
  if (index === undefined) return undefined;
  const line = profile.lines[index] as string;
  return line.slice(line.indexOf('=') + 1);
}

/**
 * The profile's text with `overrides` applied to keys the profile already has (a key the recorded
 * node did not print stays absent) and `extraLines` inserted after the line of `insertAfterKey`.
 * Ends with a newline, as the probe's stdout does.
 */
export function renderProbeOutput(
  profile: ProbeProfile,
  overrides: Readonly<Record<string, string>>,
  extra?: { readonly insertAfterKey: string; readonly lines: readonly string[] },
): string {
  const out = profile.lines.slice();
  for (const [key, value] of Object.entries(overrides)) {
    const index = profile.keyIndex.get(key);
    if (index !== undefined) out[index] = `${key}=${value}`;
  }
  if (extra !== undefined && extra.lines.length > 0) {
    const at = profile.keyIndex.get(extra.insertAfterKey) ?? 0;
    out.splice(at + 1, 0, ...extra.lines);
  }
  return `${out.join('\n')}\n`;
}

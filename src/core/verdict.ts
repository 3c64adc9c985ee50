/**
 * The verdict contract (docs/CONTRACTS.md §Verdicts): one status per node per scan, with findings.
 * Everything downstream (store, reports, at-risk list, campaigns) reads these shapes.
 */

export const VERDICT_STATUSES = ['AT_RISK', 'PENDING_REBOOT', 'COMPLIANT', 'UNKNOWN', 'UNREACHABLE'] as const;
export type VerdictStatus = (typeof VERDICT_STATUSES)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type VersionScheme = 'rpm' | 'dpkg' | 'systemd' | 'upstream';

/** What must happen on the node for the finding to go away. */
export type RemediationAction = 'upgrade' | 'daemon-reexec' | 'reboot' | 'restart-service' | 'configure';

export type Confidence = 'distro-fixed-version' | 'upstream-only';

/** Which value matched which range of which scheme: enough for an operator to check by hand. */
export interface Evidence {
  /** Probe key the value came from, e.g. `systemd.package`. */
  readonly key: string;
  readonly value: string;
  /** Human-readable range or condition, e.g. `< 219-67.el7 (rhel 7)` or `cgroup.fs = cgroup2fs`. */
  readonly matched: string;
  readonly scheme?: VersionScheme;
}

export interface Finding {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  /** A symptom of the failure itself was seen on the node (e.g. PID 1 not answering D-Bus). */
  readonly hangInProgress: boolean;
  readonly evidence: readonly Evidence[];
  readonly remediation: string;
  readonly actions: readonly RemediationAction[];
  readonly rebootRequired: boolean;
  readonly reexecRequired: boolean;
  readonly confidence: Confidence;
  readonly references: readonly string[];
}

/** The text fields of FactsSummary, all but uptime (which changes every scan). */
export const FACT_TEXT_FIELDS = [
  'os',
  'kernel',
  'systemd',
  'docker',
  'containerd',
  'runc',
  'kubelet',
  'cgroup',
] as const;

/** The few facts reports and campaigns show next to a verdict (kept small: stored per node). */
export interface FactsSummary {
  readonly os?: string;
  readonly kernel?: string;
  readonly systemd?: string;
  readonly docker?: string;
  readonly containerd?: string;
  readonly runc?: string;
  readonly kubelet?: string;
  readonly cgroup?: string;
  readonly uptimeSeconds?: number;
}

/** A fix that is installed but not yet running (PENDING_REBOOT), per advisory. */
export interface PendingFix {
  readonly id: string;
  readonly action: 'daemon-reexec' | 'reboot';
  readonly detail: string;
}

export interface Verdict {
  readonly node: string;
  readonly hostname?: string;
  readonly status: VerdictStatus;
  readonly findings: readonly Finding[];
  readonly pending: readonly PendingFix[];
  /** Why the status is what it is when there is no finding (UNKNOWN, UNREACHABLE), or notes. */
  readonly reasons: readonly string[];
  readonly facts: FactsSummary;
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** The most severe of these (undefined entries skipped); undefined when there is none. */
export function highestSeverity(severities: Iterable<Severity | undefined>): Severity | undefined {
  let best: Severity | undefined;
  for (const s of severities)
    if (s !== undefined && (best === undefined || severityRank(s) > severityRank(best))) best = s;
  return best;
}

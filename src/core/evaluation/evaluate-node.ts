import { type AdvisoryOutcome, evaluateAdvisory } from '../advisory/evaluate-advisory.ts';
import type { Catalog } from '../advisory/catalog.ts';
import type { ProbeBlock } from '../probe/parse-probe-output.ts';
import { type NodeFacts, toNodeFacts } from '../probe/node-facts.ts';
import { PROBE_FORMAT } from '../probe/probe-format.ts';
import type { FactsSummary, Finding, PendingFix, Verdict } from '../verdict.ts';
import { severityRank } from '../verdict.ts';

/**
 * Keys whose absence makes an output unusable: without os.id no distro fixed-in entry can be
 * chosen (an upstream-only guess would flag backported fixes), and systemd.version is the probe's
 * first component line. Missing altogether (not even `!absent`) means garbled or cut output.
 */
const REQUIRED_KEYS = ['os.id', 'systemd.version'] as const;

/**
 * The verdict rules (docs/CONTRACTS.md §Verdicts), in order:
 * a finding makes AT_RISK (also on a truncated output, since what arrived proves it) unless the
 * output is too garbled to know the distro; an unusable output is UNKNOWN; an installed fix that
 * does not run yet is PENDING_REBOOT; an advisory that could not be decided is UNKNOWN; otherwise
 * COMPLIANT. UNKNOWN is never counted as compliant.
 */
export function evaluateFacts(facts: NodeFacts, catalog: Catalog): Verdict {
  const findings: Finding[] = [];
  const pending: PendingFix[] = [];
  const undecided: string[] = [];
  if (facts.format === PROBE_FORMAT) {
    for (const advisory of catalog.advisories) {
      const outcome = evaluateAdvisory(advisory, facts);
      collect(advisory, outcome, findings, pending, undecided);
    }
  }
  findings.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.id.localeCompare(b.id));

  const reasons: string[] = [];
  const missing = REQUIRED_KEYS.filter((k) => !facts.has(k));
  let status: Verdict['status'];
  if (facts.format !== PROBE_FORMAT) {
    status = 'UNKNOWN';
    reasons.push(`unsupported probe output format ${facts.format}`);
  } else if (findings.length > 0 && !missing.includes('os.id')) {
    status = 'AT_RISK';
    if (!facts.complete) reasons.push('output truncated; the findings come from what arrived');
  } else if (!facts.complete) {
    status = 'UNKNOWN';
    reasons.push('output truncated or probe died (no end line)');
  } else if (missing.length > 0) {
    status = 'UNKNOWN';
    reasons.push(`output lacks ${missing.join(' and ')}`);
  } else if (pending.length > 0) {
    status = 'PENDING_REBOOT';
  } else if (undecided.length > 0) {
    status = 'UNKNOWN';
    reasons.push(...undecided.slice(0, 5));
  } else {
    status = 'COMPLIANT';
  }
  reasons.push(...observations(facts));
  return {
    node: facts.node,
    hostname: facts.hostname,
    status,
    findings,
    pending: status === 'PENDING_REBOOT' || status === 'AT_RISK' ? pending : [],
    reasons,
    facts: summarize(facts),
  };
}

/** Evaluates one parsed probe block; `nodeId` (from SSM) overrides what the node printed. */
export function evaluateBlock(block: ProbeBlock, catalog: Catalog, nodeId?: string): Verdict {
  return evaluateFacts(toNodeFacts(block, nodeId), catalog);
}

/** The verdict for a node whose output held no probe block at all. */
export function unknownVerdict(node: string, reason: string): Verdict {
  return { node, status: 'UNKNOWN', findings: [], pending: [], reasons: [reason], facts: {} };
}

/** The verdict for a node SSM could not run the probe on; the SSM status is kept as the reason. */
export function unreachableVerdict(node: string, ssmStatus: string, detail?: string): Verdict {
  const reason = detail ? `SSM status ${ssmStatus}: ${detail}` : `SSM status ${ssmStatus}`;
  return { node, status: 'UNREACHABLE', findings: [], pending: [], reasons: [reason], facts: {} };
}

function collect(
  advisory: Catalog['advisories'][number],
  outcome: AdvisoryOutcome,
  findings: Finding[],
  pending: PendingFix[],
  undecided: string[],
): void {
  switch (outcome.kind) {
    case 'affected':
      findings.push({
        id: advisory.id,
        title: advisory.title,
        severity: outcome.severity,
        hangInProgress: outcome.hangInProgress,
        evidence: outcome.evidence,
        remediation:
          outcome.symptomNotes.length > 0
            ? `${outcome.symptomNotes.join(' ')} ${advisory.remediation}`
            : advisory.remediation,
        actions: advisory.actions,
        rebootRequired: advisory.rebootRequired,
        reexecRequired: advisory.reexecRequired,
        confidence: outcome.confidence,
        references: advisory.references,
      });
      return;
    case 'pending': {
      const action = outcome.component === 'kernel' ? 'reboot' : 'daemon-reexec';
      const what = outcome.evidence.map((e) => `${e.key}=${e.value}`).join(', ');
      pending.push({
        id: advisory.id,
        action,
        detail: `fixed package installed; running ${what || 'version'} is not (${action} completes the fix)`,
      });
      return;
    }
    case 'indeterminate':
      undecided.push(`${advisory.id}: ${outcome.reasons[0] ?? 'could not be decided'}`);
      return;
    default:
      return;
  }
}

function value(facts: NodeFacts, key: string): string | undefined {
  const f = facts.fact(key);
  return f.state === 'value' ? f.value : undefined;
}

function summarize(facts: NodeFacts): FactsSummary {
  const uptime = Number(value(facts, 'uptime.seconds'));
  const os = facts.os.prettyName ?? [facts.os.id, facts.os.versionId].filter(Boolean).join(' ');
  return {
    os: os || undefined,
    kernel: value(facts, 'kernel.running'),
    systemd: value(facts, 'systemd.package') ?? value(facts, 'systemd.version'),
    docker: value(facts, 'docker.version') ?? value(facts, 'docker.package'),
    containerd: value(facts, 'containerd.package') ?? value(facts, 'containerd.version'),
    runc: value(facts, 'runc.package') ?? value(facts, 'runc.version'),
    kubelet: value(facts, 'kubelet.version'),
    cgroup: value(facts, 'cgroup.fs'),
    uptimeSeconds: Number.isFinite(uptime) && uptime >= 0 ? uptime : undefined,
  };
}

/** Things an operator should know that are not advisory findings. */
function observations(facts: NodeFacts): string[] {
  const notes: string[] = [];
  const running = value(facts, 'kernel.running');
  const installed = value(facts, 'kernel.installed');
  if (running && installed && running !== installed) notes.push(`newer kernel ${installed} installed; running ${running}`);
  if (value(facts, 'reboot.required') === '1') notes.push('the distro reports a reboot is required');
  if (facts.fact('systemd.bus_ms').state === 'timeout') notes.push('PID 1 did not answer a D-Bus ping in time');
  if (facts.fact('symptom.docker_ps_ms').state === 'timeout') notes.push('docker ps did not answer in time');
  const pleg = Number(value(facts, 'symptom.pleg_24h'));
  if (pleg > 0) notes.push(`kubelet logged "PLEG is not healthy" ${pleg} times in 24 h`);
  return notes;
}

import type { Advisory, Component } from '../advisory/schema.ts';
import type { NodeState } from '../store/node-state.ts';
import { nodeSeverity } from '../at-risk/at-risk-entry.ts';
import type { Severity } from '../verdict.ts';
import type { Disruption, PlannedAction, Urgency } from './campaign-plan.ts';

/** What the planner needs to know of an advisory (the catalog entry has more). */
export type AdvisoryRemediation = Pick<
  Advisory,
  'id' | 'title' | 'severity' | 'components' | 'actions' | 'rebootRequired' | 'reexecRequired'
>;

export type AdvisoryLookup = (id: string) => AdvisoryRemediation | undefined;

export interface NodeRemediation {
  readonly urgency: Urgency;
  readonly severity?: Severity;
  readonly hangInProgress: boolean;
  readonly actions: readonly PlannedAction[];
  readonly why: string;
  readonly drain: boolean;
  readonly disruption: Disruption;
  readonly notes: readonly string[];
}

/** Upgrade order: what the others run on first (a new kernel, PID 1), the kubelet last. */
const COMPONENT_ORDER: readonly Component[] = [
  'kernel',
  'systemd',
  'containerd',
  'runc',
  'docker',
  'kubelet',
];
/** Restart order: the runtime before the kubelet that talks to it. */
const SERVICE_ORDER: readonly string[] = ['containerd', 'docker', 'kubelet'];

/**
 * The steps that fix one node, in order, and one sentence saying why. The rules:
 * - an advisory's catalog actions decide (upgrade of its components that the node has, a
 *   configuration change, `systemctl daemon-reexec`, a service restart, a reboot); a pending fix
 *   needs only its re-exec (systemd) or reboot (kernel);
 * - a reboot subsumes re-execs and restarts (everything starts fresh), so they are not listed twice;
 *   without a reboot, a re-exec is preferred: it completes a systemd fix without a drain;
 * - with the D-Bus hang in progress, PID 1 is re-executed once more BEFORE the upgrade: package
 *   scripts call systemctl, which would wait on the hung PID 1;
 * - a drain is needed for a reboot, a docker or kubelet restart or upgrade (docker's package
 *   restarts it; kubelet's advisory says drain first), a configuration change, or an unknown
 *   advisory. A containerd restart keeps running containers (their shims stay), so it needs none.
 */
export function planNodeRemediation(state: NodeState, advisoryOf: AdvisoryLookup): NodeRemediation {
  const present = presentComponents(state);
  const upgrades = new Map<Component, Set<string>>();
  const restarts = new Map<string, Set<string>>();
  const configure = new Set<string>();
  const reexec = new Set<string>();
  const reboot = new Set<string>();
  const review = new Set<string>();
  const clearHang = new Set<string>();
  const add = <K>(map: Map<K, Set<string>>, key: K, id: string) => {
    const set = map.get(key) ?? new Set<string>();
    set.add(id);
    map.set(key, set);
  };

  for (const finding of state.findings) {
    const advisory = advisoryOf(finding.id);
    if (advisory === undefined) {
      review.add(finding.id);
      continue;
    }
    const onNode = advisory.components.filter((c) => present.has(c));
    const components = onNode.length > 0 ? onNode : advisory.components;
    for (const action of advisory.actions) {
      if (action === 'upgrade') for (const c of components) add(upgrades, c, finding.id);
      else if (action === 'configure') configure.add(finding.id);
      else if (action === 'daemon-reexec') reexec.add(finding.id);
      else if (action === 'reboot') reboot.add(finding.id);
      else if (action === 'restart-service')
        for (const s of servicesFor(components, present)) add(restarts, s, finding.id);
    }
    if (advisory.rebootRequired) reboot.add(finding.id);
    if (advisory.reexecRequired) reexec.add(finding.id);
    if (finding.hangInProgress && reexec.has(finding.id) && advisory.actions.includes('upgrade')) {
      clearHang.add(finding.id);
    }
  }
  for (const fix of state.pending) (fix.action === 'reboot' ? reboot : reexec).add(fix.id);
  const unexplained = state.status === 'AT_RISK' && state.findings.length === 0;

  const actions: PlannedAction[] = [];
  if (clearHang.size > 0 && upgrades.size > 0) {
    actions.push({
      action: 'daemon-reexec',
      advisories: sorted(clearHang),
      note: CLEAR_HANG_NOTE,
    });
  }
  if (upgrades.size > 0) {
    actions.push({
      action: 'upgrade',
      components: COMPONENT_ORDER.filter((c) => upgrades.has(c)),
      advisories: union(upgrades.values()),
    });
  }
  if (configure.size > 0) actions.push({ action: 'configure', advisories: sorted(configure) });
  const services = SERVICE_ORDER.filter((s) => restarts.has(s));
  if (reboot.size > 0) {
    actions.push({
      action: 'reboot',
      advisories: union([reboot, reexec, ...restarts.values()]),
      ...(reexec.size > 0 || services.length > 0
        ? { note: 'the reboot also starts the upgraded systemd and services; no separate re-exec or restart' }
        : {}),
    });
  } else {
    if (reexec.size > 0) {
      actions.push({
        action: 'daemon-reexec',
        advisories: sorted(reexec),
        note: 'PID 1 runs the fixed systemd after a re-exec; no reboot and no drain needed for it',
      });
    }
    if (services.length > 0) {
      actions.push({ action: 'restart-service', services, advisories: union(restarts.values()) });
    }
  }
  if (review.size > 0 || unexplained) actions.push({ action: 'review', advisories: sorted(review) });

  const upgraded = new Set(upgrades.keys());
  const drain =
    reboot.size > 0 ||
    configure.size > 0 ||
    review.size > 0 ||
    unexplained ||
    upgraded.has('docker') ||
    upgraded.has('kubelet') ||
    restarts.has('docker') ||
    restarts.has('kubelet');
  const disruption: Disruption =
    reboot.size > 0
      ? 'reboot'
      : services.length > 0 || configure.size > 0 || upgraded.has('docker') || upgraded.has('kubelet')
        ? 'service-restart'
        : 'reexec';

  const hangInProgress = state.findings.some((f) => f.hangInProgress);
  const severity = nodeSeverity(state, (id) => advisoryOf(id)?.severity);
  const urgency: Urgency = hangInProgress
    ? 'hang'
    : state.findings.length > 0
      ? // With findings, the node's severity is its worst finding's.
        (severity as Severity)
      : state.status === 'AT_RISK'
        ? 'unrated'
        : 'pending';

  return {
    urgency,
    ...(severity === undefined ? {} : { severity }),
    hangInProgress,
    actions,
    why: explain(state, actions, drain),
    drain,
    disruption,
    notes: notesFor(state, reboot.size > 0),
  };
}

function presentComponents(state: NodeState): Set<Component> {
  const present = new Set<Component>(['kernel']);
  const f = state.facts;
  if (f.systemd !== undefined) present.add('systemd');
  if (f.docker !== undefined) present.add('docker');
  if (f.containerd !== undefined) present.add('containerd');
  if (f.runc !== undefined) present.add('runc');
  if (f.kubelet !== undefined) present.add('kubelet');
  return present;
}

/** runc is no service: the runtime that calls it is restarted (docker where present, else containerd). */
function servicesFor(components: readonly Component[], present: ReadonlySet<Component>): string[] {
  const services = new Set<string>();
  for (const c of components) {
    if (c === 'docker' || c === 'containerd' || c === 'kubelet') services.add(c);
    else if (c === 'runc') services.add(present.has('docker') ? 'docker' : 'containerd');
  }
  return [...services];
}


function sorted(ids: Iterable<string>): string[] {
  return [...ids].sort();
}

function union(sets: Iterable<ReadonlySet<string>>): string[] {
  const all = new Set<string>();
  for (const set of sets) for (const id of set) all.add(id);
  return sorted(all);
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The note of the re-exec that clears a hang before upgrades (stored with the plan; tells the two re-execs apart). */
const CLEAR_HANG_NOTE =
  'clears the hang in progress first: package scripts call systemctl, which would wait on the hung PID 1';

/** Text for one step, as the why sentence and the runbook say it. */
export function describeAction(action: PlannedAction): string {
  switch (action.action) {
    case 'upgrade':
      return `upgrade ${list(action.components ?? [])}`;
    case 'configure':
      return `change the configuration for ${list(action.advisories)}`;
    case 'daemon-reexec':
      return action.note === CLEAR_HANG_NOTE
        ? 'run systemctl daemon-reexec first to clear the hang'
        : 'run systemctl daemon-reexec so PID 1 runs the fixed systemd';
    case 'restart-service':
      return `restart ${list(action.services ?? [])}`;
    case 'reboot':
      return 'reboot';
    case 'review':
      return action.advisories.length === 0
        ? "check the node's full verdict by hand"
        : `review ${list(action.advisories)} by hand (not in the advisory catalog)`;
    default:
      return action.action;
  }
}

function explain(state: NodeState, actions: readonly PlannedAction[], drain: boolean): string {
  const parts: string[] = [];
  if (state.findings.length > 0) {
    const named = state.findings.map(
      (f) => `${f.id} (${f.severity}${f.hangInProgress ? ', hang in progress' : ''})`,
    );
    const more = state.findingsOmitted > 0 ? ` and ${state.findingsOmitted} more` : '';
    parts.push(`${list(named)}${more} ${named.length === 1 && more === '' ? 'affects' : 'affect'} this node`);
  }
  if (state.pending.length > 0) {
    const ids = list(state.pending.map((p) => p.id));
    const what = state.pending.every((p) => p.action === 'reboot')
      ? 'the running kernel is older'
      : 'PID 1 still runs the old systemd';
    parts.push(
      `the fix${state.pending.length === 1 ? '' : 'es'} for ${ids} ${state.pending.length === 1 ? 'is' : 'are'} installed but ${what}`,
    );
  }
  if (parts.length === 0) parts.push('the node is at risk but its stored state names no advisory');
  const steps = list(actions.map(describeAction));
  const rebooting = actions.some((a) => a.action === 'reboot');
  const tail = rebooting ? '' : drain ? '; no reboot needed' : '; no reboot or drain needed';
  const sentence = `${parts.join('; ')}: ${steps}${tail}.`;
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

function notesFor(state: NodeState, rebooting: boolean): string[] {
  const notes: string[] = [];
  if (
    !rebooting &&
    state.reasons.some((r) => r.startsWith('newer kernel') || r.includes('reboot is required'))
  ) {
    notes.push('the distro also asks for a reboot; rebooting instead of re-executing would complete both');
  }
  if (state.findingsOmitted > 0) {
    notes.push(`${state.findingsOmitted} more finding(s) were not stored; check the node's full verdict`);
  }
  return notes;
}

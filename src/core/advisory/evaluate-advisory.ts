import type { Component, Condition, DistroFix, FactCondition, Range, VersionCondition } from './schema.ts';
import { defaultSchemeOf } from './catalog.ts';
import type { Advisory } from './schema.ts';
import type { Confidence, Evidence, Severity, VersionScheme } from '../verdict.ts';
import { severityRank } from '../verdict.ts';
import type { NodeFacts } from '../probe/node-facts.ts';
import {
  type ComponentValue,
  packageValue,
  runningKernel,
  runningSystemd,
  splitRunningVersion,
  upstreamValue,
} from '../evaluation/component-values.ts';
import { cachedCompare } from '../evaluation/compare-cache.ts';

/** Three-valued truth: an unknown input never turns into "not affected". */
export type Truth = 'yes' | 'no' | 'unknown';

/**
 * Which state of the node a condition is judged against: what is installed on disk, or what runs
 * (PID 1 and the kernel can lag behind their packages until a re-exec or reboot).
 */
export type View = 'installed' | 'running';

interface ConditionResult {
  readonly truth: Truth;
  readonly evidence: readonly Evidence[];
  readonly usedDistroEntry: boolean;
  readonly unknownReasons: readonly string[];
}

export type AdvisoryOutcome =
  | {
      readonly kind: 'affected';
      readonly severity: Severity;
      readonly hangInProgress: boolean;
      readonly evidence: readonly Evidence[];
      readonly confidence: Confidence;
      readonly symptomNotes: readonly string[];
    }
  /** Installed packages are fixed, but what runs is not yet (re-exec or reboot completes the fix). */
  | { readonly kind: 'pending'; readonly evidence: readonly Evidence[]; readonly component: 'systemd' | 'kernel' }
  | { readonly kind: 'not-affected' }
  | { readonly kind: 'indeterminate'; readonly reasons: readonly string[] };

/** Judges one advisory against one node, in both views, and applies its symptom boosters. */
export function evaluateAdvisory(advisory: Advisory, facts: NodeFacts): AdvisoryOutcome {
  const installed = evaluateCondition(advisory.match, facts, 'installed');
  if (installed.truth === 'yes') {
    let severity = advisory.severity;
    let hangInProgress = false;
    const notes: string[] = [];
    const evidence = [...installed.evidence];
    for (const symptom of advisory.symptoms ?? []) {
      const seen = evaluateCondition(symptom.when, facts, 'installed');
      if (seen.truth !== 'yes') continue;
      hangInProgress = true;
      notes.push(symptom.note);
      evidence.push(...seen.evidence);
      if (severityRank(symptom.severity) > severityRank(severity)) severity = symptom.severity;
    }
    return {
      kind: 'affected',
      severity,
      hangInProgress,
      evidence,
      confidence: installed.usedDistroEntry ? 'distro-fixed-version' : 'upstream-only',
      symptomNotes: notes,
    };
  }
  if (installed.truth === 'unknown') return { kind: 'indeterminate', reasons: installed.unknownReasons };
  const running = evaluateCondition(advisory.match, facts, 'running');
  if (running.truth === 'no') return { kind: 'not-affected' };
  const component = advisory.components.includes('kernel') && !advisory.components.includes('systemd') ? 'kernel' : 'systemd';
  return { kind: 'pending', evidence: running.evidence, component };
}

const NO: ConditionResult = { truth: 'no', evidence: [], usedDistroEntry: false, unknownReasons: [] };

export function evaluateCondition(condition: Condition, facts: NodeFacts, view: View): ConditionResult {
  if ('all' in condition) return combine(condition.all.map((c) => evaluateCondition(c, facts, view)), 'all');
  if ('any' in condition) return combine(condition.any.map((c) => evaluateCondition(c, facts, view)), 'any');
  if ('not' in condition) {
    const inner = evaluateCondition(condition.not, facts, view);
    const truth: Truth = inner.truth === 'unknown' ? 'unknown' : inner.truth === 'yes' ? 'no' : 'yes';
    return { truth, evidence: [], usedDistroEntry: inner.usedDistroEntry, unknownReasons: inner.unknownReasons };
  }
  if ('fact' in condition) return evaluateFact(condition.fact, facts);
  if ('differ' in condition) return evaluateDiffer(condition.differ, facts);
  return evaluateVersion(condition.version, facts, view);
}

function combine(results: readonly ConditionResult[], mode: 'all' | 'any'): ConditionResult {
  const decisive = mode === 'all' ? 'no' : 'yes';
  const hit = results.find((r) => r.truth === decisive);
  if (hit) return mode === 'all' ? NO : { ...hit };
  const unknowns = results.filter((r) => r.truth === 'unknown');
  if (unknowns.length > 0) {
    return { truth: 'unknown', evidence: [], usedDistroEntry: false, unknownReasons: unknowns.flatMap((u) => u.unknownReasons) };
  }
  if (mode === 'any') return NO;
  return {
    truth: 'yes',
    evidence: results.flatMap((r) => r.evidence),
    usedDistroEntry: results.some((r) => r.usedDistroEntry),
    unknownReasons: [],
  };
}

function yes(evidence: Evidence, usedDistroEntry = false): ConditionResult {
  return { truth: 'yes', evidence: [evidence], usedDistroEntry, unknownReasons: [] };
}

function unknownResult(reason: string): ConditionResult {
  return { truth: 'unknown', evidence: [], usedDistroEntry: false, unknownReasons: [reason] };
}

const patternCache = new Map<string, RegExp>();
function pattern(source: string): RegExp {
  let re = patternCache.get(source);
  if (!re) {
    re = new RegExp(source);
    patternCache.set(source, re);
  }
  return re;
}

function evaluateFact(condition: FactCondition, facts: NodeFacts): ConditionResult {
  const fact = facts.fact(condition.key);
  if (condition.state !== undefined) {
    if (fact.state !== condition.state) return NO;
    if (fact.state !== 'value') return yes({ key: condition.key, value: `!${fact.state}`, matched: `is ${fact.state}` });
  }
  const testsValue =
    condition.equals !== undefined ||
    condition.in !== undefined ||
    condition.matches !== undefined ||
    condition.gt !== undefined ||
    condition.lt !== undefined;
  if (!testsValue) {
    return fact.state === 'value' ? yes({ key: condition.key, value: fact.value, matched: 'has a value' }) : NO;
  }
  if (fact.state === 'absent') return NO;
  if (fact.state !== 'value') return unknownResult(`${condition.key} is ${fact.state === 'error' ? 'an error' : fact.state}`);
  const value = fact.value;
  const tests: string[] = [];
  if (condition.equals !== undefined) {
    if (value !== condition.equals) return NO;
    tests.push(`= ${condition.equals}`);
  }
  if (condition.in !== undefined) {
    if (!condition.in.includes(value)) return NO;
    tests.push(`in [${condition.in.join(', ')}]`);
  }
  if (condition.matches !== undefined) {
    if (!pattern(condition.matches).test(value)) return NO;
    tests.push(`matches /${condition.matches}/`);
  }
  if (condition.gt !== undefined || condition.lt !== undefined) {
    const n = Number(value);
    if (!Number.isFinite(n) || value.trim() === '') return unknownResult(`${condition.key} is not a number: ${value}`);
    if (condition.gt !== undefined) {
      if (!(n > condition.gt)) return NO;
      tests.push(`> ${condition.gt}`);
    }
    if (condition.lt !== undefined) {
      if (!(n < condition.lt)) return NO;
      tests.push(`< ${condition.lt}`);
    }
  }
  return yes({ key: condition.key, value, matched: tests.join(' and ') });
}

function evaluateDiffer([a, b]: readonly [string, string], facts: NodeFacts): ConditionResult {
  const fa = facts.fact(a);
  const fb = facts.fact(b);
  if (fa.state !== 'value' || fb.state !== 'value') return NO;
  if (fa.value.toLowerCase() === fb.value.toLowerCase()) return NO;
  return {
    truth: 'yes',
    evidence: [
      { key: a, value: fa.value, matched: `differs from ${b}` },
      { key: b, value: fb.value, matched: `differs from ${a}` },
    ],
    usedDistroEntry: false,
    unknownReasons: [],
  };
}

function describeRange(range: Range): string {
  const parts: string[] = [];
  if (range.introduced !== undefined) parts.push(`>= ${range.introduced}`);
  if (range.fixed !== undefined) parts.push(`< ${range.fixed}`);
  if (range.lastAffected !== undefined) parts.push(`<= ${range.lastAffected}`);
  return parts.join(' and ');
}

/** Whether a version lies in one of the ranges; undefined when it cannot be parsed. */
function inRanges(scheme: VersionScheme, version: string, ranges: readonly Range[]): Range | null | undefined {
  for (const range of ranges) {
    const lo = range.introduced === undefined ? 1 : cachedCompare(scheme, version, range.introduced);
    if (lo === undefined) return undefined;
    if (lo < 0) continue;
    if (range.fixed !== undefined) {
      const c = cachedCompare(scheme, version, range.fixed);
      if (c === undefined) return undefined;
      if (c >= 0) continue;
    }
    if (range.lastAffected !== undefined) {
      const c = cachedCompare(scheme, version, range.lastAffected);
      if (c === undefined) return undefined;
      if (c > 0) continue;
    }
    return range;
  }
  return null;
}

function matchingDistroEntry(
  condition: VersionCondition,
  facts: NodeFacts,
  installedPackage: string | undefined,
): DistroFix | undefined {
  const osId = facts.os.id;
  const versionId = facts.os.versionId;
  if (!condition.distros || !osId || !versionId) return undefined;
  return condition.distros.find(
    (d) =>
      d.os.includes(osId) &&
      d.versions.some((v) => versionId === v || versionId.startsWith(`${v}.`)) &&
      (d.stream === undefined || (installedPackage !== undefined && pattern(d.stream).test(installedPackage))),
  );
}

/** Whether any distro entry (of any stream) covers the node's os and release. */
function hasDistroEntryFor(condition: VersionCondition, facts: NodeFacts): boolean {
  const osId = facts.os.id;
  const versionId = facts.os.versionId;
  if (!condition.distros || !osId || !versionId) return false;
  return condition.distros.some(
    (d) => d.os.includes(osId) && d.versions.some((v) => versionId === v || versionId.startsWith(`${v}.`)),
  );
}

/** Judges a package version against a distro entry: yes (affected), no, or undefined (unparsable). */
function judgeDistro(entry: DistroFix, pkg: string): boolean | undefined {
  if (entry.notAffected) return false;
  if (entry.introduced !== undefined) {
    const c = cachedCompare(entry.scheme, pkg, entry.introduced);
    if (c === undefined) return undefined;
    if (c < 0) return false;
  }
  const c = cachedCompare(entry.scheme, pkg, entry.fixed!);
  return c === undefined ? undefined : c < 0;
}

function distroEvidence(key: string, pkg: string, entry: DistroFix, facts: NodeFacts): Evidence {
  const where = `${facts.os.id} ${facts.os.versionId}${entry.stream ? ` stream /${entry.stream}/` : ''}`;
  const matched = entry.introduced
    ? `>= ${entry.introduced} and < ${entry.fixed} (${where})`
    : `< ${entry.fixed} (${where})`;
  return { key, value: pkg, matched, scheme: entry.scheme };
}

function evaluateVersion(condition: VersionCondition, facts: NodeFacts, view: View): ConditionResult {
  const component: Component = condition.component;
  const scheme = condition.scheme ?? defaultSchemeOf(component);
  const pkg = packageValue(facts, component);
  const upstream = upstreamValue(facts, component);
  if (upstream.state === 'absent' && pkg.state === 'absent') return NO;

  const running = view === 'running' ? runningOf(facts, component) : undefined;
  const entry = matchingDistroEntry(condition, facts, pkg.state === 'value' ? pkg.value : undefined);

  if (entry && pkg.state === 'value') {
    if (running === undefined) {
      const affected = judgeDistro(entry, pkg.value);
      if (affected === undefined) return unknownResult(`${pkg.key} "${pkg.value}" is not a valid ${entry.scheme} version`);
      return affected ? yes(distroEvidence(pkg.key, pkg.value, entry, facts), true) : { ...NO, usedDistroEntry: true };
    }
    // What runs differs from the package: judge the running version by the distro entry when it
    // carries a package-style version, else by upstream (unfixed unless upstream says fixed).
    if (running.state === 'unknown') return yes({ key: running.key, value: '?', matched: running.reason }, true);
    if (running.state === 'absent') return yes({ key: pkg.key, value: pkg.value, matched: 'running version unknown' }, true);
    const split = splitRunningVersion(running.value);
    if (split.pkg !== undefined) {
      const affected = judgeDistro(entry, split.pkg);
      if (affected !== undefined) {
        return affected ? yes(distroEvidence(running.key, running.value, entry, facts), true) : { ...NO, usedDistroEntry: true };
      }
    }
    const hit = split.upstream === undefined ? undefined : inRanges(scheme, split.upstream, condition.ranges);
    if (hit === null) return { ...NO, usedDistroEntry: true };
    return yes(
      {
        key: running.key,
        value: running.value,
        matched: 'cannot be told apart from an affected build (no release in the running version)',
        scheme,
      },
      true,
    );
  }

  const value = running ?? upstream;
  if (value.state === 'absent') return NO;
  if (value.state === 'unknown') {
    return view === 'running' ? yes({ key: value.key, value: '?', matched: value.reason }) : unknownResult(value.reason);
  }
  const candidate = running ? (splitRunningVersion(value.value).upstream ?? value.value) : value.value;
  const hit = inRanges(scheme, candidate, condition.ranges);
  if (hit === undefined) {
    return view === 'running'
      ? yes({ key: value.key, value: value.value, matched: `not a valid ${scheme} version (treated as unfixed)` })
      : unknownResult(`${value.key} "${value.value}" is not a valid ${scheme} version`);
  }
  if (hit === null) return NO;
  // The distro has its own fixed-in entry for this release, but the package version it is judged
  // on did not arrive (output cut before it, or the query failed): the upstream version alone
  // cannot tell a backported fix (219-67.el7) from an affected build, so the answer is unknown.
  if (pkg.state === 'unknown' && hasDistroEntryFor(condition, facts)) {
    return unknownResult(`${pkg.reason}; the ${facts.os.id} ${facts.os.versionId} fixed-in entry needs it`);
  }
  return yes({ key: value.key, value: value.value, matched: describeRange(hit), scheme });
}

function runningOf(facts: NodeFacts, component: Component): ComponentValue | undefined {
  if (component === 'systemd') return runningSystemd(facts);
  if (component === 'kernel') return runningKernel(facts);
  return undefined;
}

import type { Component } from '../advisory/schema.ts';
import { extractVersionToken, type FactValue, type NodeFacts, packageUpstream } from '../probe/node-facts.ts';

/** A version to compare, with the probe key it came from (the evidence names it). */
export type ComponentValue =
  | { readonly state: 'value'; readonly key: string; readonly value: string }
  | { readonly state: 'absent' }
  | { readonly state: 'unknown'; readonly key: string; readonly reason: string };

const ABSENT: ComponentValue = { state: 'absent' };

const UPSTREAM_KEY: Record<Component, string> = {
  systemd: 'systemd.version',
  docker: 'docker.version',
  containerd: 'containerd.version',
  runc: 'runc.version',
  kubelet: 'kubelet.version',
  kernel: 'kernel.installed',
};

// Format 1 has no kubelet package key: kubelet is often a plain binary (EKS AMIs, kubeadm tarballs).
const PACKAGE_KEY: Partial<Record<Component, string>> = {
  systemd: 'systemd.package',
  docker: 'docker.package',
  containerd: 'containerd.package',
  runc: 'runc.package',
  kernel: 'kernel.installed',
};

function unknown(key: string, fact: FactValue): ComponentValue {
  const reason =
    fact.state === 'timeout'
      ? `${key} did not answer in time`
      : fact.state === 'error'
        ? `${key} failed: ${fact.reason}`
        : `${key} missing from the output`;
  return { state: 'unknown', key, reason };
}

/** The installed distro package version of a component (`[epoch:]version-release` or dpkg). */
export function packageValue(facts: NodeFacts, component: Component): ComponentValue {
  const key = PACKAGE_KEY[component];
  if (key === undefined) return ABSENT;
  const fact = facts.fact(key);
  if (fact.state === 'value') return { state: 'value', key, value: fact.value };
  if (fact.state === 'absent') return ABSENT;
  return unknown(key, fact);
}

/**
 * The upstream version of what is installed, read from the component's own `--version` output,
 * else derived from its package version (a daemon that hangs still has a package).
 */
export function upstreamValue(facts: NodeFacts, component: Component): ComponentValue {
  const key = UPSTREAM_KEY[component];
  const fact = facts.fact(key);
  if (fact.state === 'value') {
    if (component === 'systemd') return { state: 'value', key, value: fact.value };
    if (component === 'kernel') return { state: 'value', key, value: kernelUpstream(fact.value) };
    const token = extractVersionToken(fact.value);
    if (token) return { state: 'value', key, value: token };
  }
  const pkg = packageValue(facts, component);
  if (pkg.state === 'value') {
    return { state: 'value', key: pkg.key, value: upstreamOfPackage(component, pkg.value) };
  }
  if (fact.state === 'value') return { state: 'unknown', key, reason: `no version found in ${key}` };
  if (fact.state === 'absent') return pkg.state === 'unknown' ? pkg : ABSENT;
  return unknown(key, fact);
}

/** The upstream part of a package version, in the component's upstream scheme. */
function upstreamOfPackage(component: Component, pkg: string): string {
  const bare = packageUpstream(pkg);
  // systemd packages carry the upstream version before the first hyphen (219-78.el7_9.7 -> 219).
  if (component === 'systemd' || component === 'kernel') return bare.split('-')[0] ?? bare;
  return bare;
}

function kernelUpstream(release: string): string {
  return release.split('-')[0] ?? release;
}

/**
 * What PID 1 runs, when it may differ from what is installed: only when /proc/1/exe points at a
 * deleted file (the package was upgraded and PID 1 not re-executed). Otherwise undefined: PID 1
 * runs the installed binary.
 */
export function runningSystemd(facts: NodeFacts): ComponentValue | undefined {
  const deleted = facts.fact('systemd.pid1_deleted');
  if (deleted.state !== 'value' || deleted.value !== '1') return undefined;
  const fact = facts.fact('systemd.running');
  if (fact.state === 'value') return { state: 'value', key: 'systemd.running', value: fact.value };
  // Upgraded but we cannot see what runs: treat as the old binary (never fixed by accident).
  return { state: 'unknown', key: 'systemd.running', reason: 'PID 1 runs a deleted binary of unknown version' };
}

/** The running kernel when it differs from the newest installed one. */
export function runningKernel(facts: NodeFacts): ComponentValue | undefined {
  const running = facts.fact('kernel.running');
  const installed = facts.fact('kernel.installed');
  if (running.state !== 'value' || installed.state !== 'value' || running.value === installed.value) return undefined;
  return { state: 'value', key: 'kernel.running', value: running.value };
}

/**
 * Splits PID 1's Version property into what each scheme can compare: `239 (239-82.el8_10.17)` ->
 * upstream 239 + package 239-82.el8_10.17; `252.38-1~deb12u1` -> 252.38 + 252.38-1~deb12u1;
 * plain `219` -> upstream only (EL7 prints no release, so a backport cannot be told apart).
 */
export function splitRunningVersion(version: string): { upstream?: string; pkg?: string } {
  const upstream = /^v?(\d+(?:\.\d+)?)/.exec(version)?.[1];
  const paren = /\(([^()\s]+)\)/.exec(version)?.[1];
  if (paren && /^\d/.test(paren) && paren.includes('-')) return { upstream, pkg: paren };
  if (!version.includes(' ') && version.includes('-') && /^\d/.test(version)) return { upstream, pkg: version };
  return { upstream };
}

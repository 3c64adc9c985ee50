import type { Component } from '../advisory/schema.ts';
import { chunk as chunkIds, MAX_INSTANCE_IDS_PER_COMMAND } from '../scan/scan-settings.ts';
import type { CampaignPlan, CampaignWave, PlannedAction, PlannedNode } from './campaign-plan.ts';
import { InvalidCampaignSettingError } from './invalid-campaign-setting-error.ts';
import { describeAction } from './node-remediation.ts';

/**
 * One wave as the input of an AWS call the operator applies (this tool never runs it):
 * - `run-command`: SendCommand inputs (AWS-RunShellScript), one per distinct step list, at most
 *   50 InstanceIds each (SendCommand's own limit);
 * - `maintenance-window-task`: RegisterTaskWithMaintenanceWindow inputs, same scripts, targets by
 *   instance id (the window must allow unregistered targets, or the nodes be registered with it),
 *   priority = the wave number;
 * - `ssm-automation`: StartAutomationExecution of AWS-RestartEC2Instance, rate-controlled over the
 *   wave's EC2 nodes whose only step is a reboot.
 * MaxErrors is "0" on purpose: stop at the first node that fails, as a wave should.
 * Steps that need a person (a configuration change, an advisory to review) are never scripted:
 * those nodes are listed under `manual`.
 */
export const EXPORT_FORMATS = ['run-command', 'maintenance-window-task', 'ssm-automation'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** SendCommand's own limit on InstanceIds (the scan chunks its id targets the same way). */
export const MAX_INSTANCE_IDS_PER_REQUEST = MAX_INSTANCE_IDS_PER_COMMAND;
const EXECUTION_TIMEOUT_SECONDS = '3600';
const DELIVERY_TIMEOUT_SECONDS = 600;

export interface WaveExport {
  readonly campaign: string;
  readonly wave: number;
  readonly format: ExportFormat;
  /** Inputs for the AWS API named by `format`, each ready for `--cli-input-json`. */
  readonly requests: readonly Record<string, unknown>[];
  /** Nodes left out, and why (steps a script cannot do, or not an EC2 instance). */
  readonly manual: readonly { readonly node: string; readonly reason: string }[];
  /** Nodes to cordon and drain before the requests run. */
  readonly drainFirst: readonly string[];
  readonly notes: readonly string[];
}

/** Distro package names per component: candidates, upgraded only where installed. */
const PACKAGES: Readonly<
  Record<Component, { readonly deb: readonly string[]; readonly rpm: readonly string[] }>
> = {
  kernel: {
    deb: ['linux-image-generic', 'linux-image-aws', 'linux-image-amd64', 'linux-image-arm64'],
    rpm: ['kernel'],
  },
  systemd: { deb: ['systemd'], rpm: ['systemd'] },
  containerd: { deb: ['containerd.io', 'containerd'], rpm: ['containerd.io', 'containerd'] },
  runc: { deb: ['runc', 'containerd.io'], rpm: ['runc', 'containerd.io'] },
  docker: { deb: ['docker-ce', 'docker.io', 'moby-engine'], rpm: ['docker-ce', 'docker', 'moby-engine'] },
  kubelet: { deb: ['kubelet'], rpm: ['kubelet'] },
};

const SCRIPTABLE = new Set(['daemon-reexec', 'upgrade', 'restart-service', 'reboot']);

export interface ExportWaveOptions {
  readonly wave: number;
  readonly format: ExportFormat;
  /** For `maintenance-window-task`: default the window the plan was made for, if any. */
  readonly windowId?: string;
}

export function exportWave(plan: CampaignPlan, options: ExportWaveOptions): WaveExport {
  const wave = plan.waves.find((w) => w.wave === options.wave);
  if (wave === undefined) {
    throw new InvalidCampaignSettingError(
      'wave',
      String(options.wave),
      plan.waves.length === 0 ? 'the plan has no waves' : `the plan has waves 1 to ${plan.waves.length}`,
    );
  }
  const manual: { node: string; reason: string }[] = [];
  const scripted: PlannedNode[] = [];
  for (const node of wave.nodes) {
    const blocking = node.actions.find((a) => !SCRIPTABLE.has(a.action));
    if (blocking !== undefined)
      manual.push({ node: node.node, reason: `needs a person: ${describeAction(blocking)}` });
    else scripted.push(node);
  }
  const notes: string[] = [];
  let requests: Record<string, unknown>[];
  if (options.format === 'ssm-automation') {
    requests = automationRequests(plan, wave, scripted, manual);
    notes.push(
      'AWS-RestartEC2Instance restarts through the EC2 API; run it only for nodes whose fix is already installed (their only step is a reboot).',
    );
  } else {
    const windowId = options.windowId ?? plan.settings.selection?.window?.windowId;
    if (options.format === 'maintenance-window-task' && windowId === undefined) {
      throw new InvalidCampaignSettingError(
        'window-id',
        '',
        'the plan was not made for a maintenance window; pass the window id to register the tasks with',
      );
    }
    requests = scriptRequests(plan, wave, scripted, options.format, windowId);
    notes.push(
      'Each script exits at the first failing step; a reboot step uses exit 194 so SSM Agent reboots the node and re-runs the script, which then finds its marker file and ends.',
      'kubelet upgrades respect package holds (apt-mark hold, versionlock): unhold or pin the version your cluster allows first.',
    );
    if (options.format === 'maintenance-window-task') {
      notes.push(
        'Targets are instance ids: the window must allow unregistered targets, or the nodes must be registered with it.',
      );
    }
  }
  const drainFirst = wave.nodes
    .filter((n) => n.drain && !manual.some((m) => m.node === n.node))
    .map((n) => n.node);
  if (drainFirst.length > 0)
    notes.push('Cordon and drain the nodes in drainFirst before the requests run; uncordon when Ready.');
  return { campaign: plan.id, wave: wave.wave, format: options.format, requests, manual, drainFirst, notes };
}

function scriptRequests(
  plan: CampaignPlan,
  wave: CampaignWave,
  nodes: readonly PlannedNode[],
  format: ExportFormat,
  windowId: string | undefined,
): Record<string, unknown>[] {
  // Nodes with the same script share requests.
  const byScript = new Map<string, { commands: string[]; ids: string[] }>();
  for (const node of nodes) {
    const commands = nodeScript(plan, wave.wave, node.actions);
    const key = JSON.stringify(commands);
    const group = byScript.get(key);
    if (group === undefined) byScript.set(key, { commands, ids: [node.node] });
    else group.ids.push(node.node);
  }
  const chunks = [...byScript.values()].flatMap(({ commands, ids }) =>
    chunkIds(ids, MAX_INSTANCE_IDS_PER_REQUEST).map((part) => ({ commands, ids: part })),
  );
  return chunks.map((chunk, i) => {
    const comment = `fleet-compliance ${plan.id} wave ${wave.wave} part ${i + 1}/${chunks.length}`.slice(
      0,
      100,
    );
    const parameters = { commands: chunk.commands, executionTimeout: [EXECUTION_TIMEOUT_SECONDS] };
    if (format === 'run-command') {
      return {
        DocumentName: 'AWS-RunShellScript',
        InstanceIds: chunk.ids,
        Parameters: parameters,
        Comment: comment,
        TimeoutSeconds: DELIVERY_TIMEOUT_SECONDS,
        MaxConcurrency: String(chunk.ids.length),
        MaxErrors: '0',
      };
    }
    return {
      WindowId: windowId,
      Name: `fc-${plan.id.replace(/[^A-Za-z0-9_.-]/g, '-')}-w${wave.wave}-${i + 1}`.slice(0, 128),
      Description: comment,
      Targets: [{ Key: 'InstanceIds', Values: chunk.ids }],
      TaskArn: 'AWS-RunShellScript',
      TaskType: 'RUN_COMMAND',
      Priority: wave.wave,
      MaxConcurrency: String(chunk.ids.length),
      MaxErrors: '0',
      TaskInvocationParameters: {
        RunCommand: { Parameters: parameters, TimeoutSeconds: DELIVERY_TIMEOUT_SECONDS, Comment: comment },
      },
    };
  });
}

function automationRequests(
  plan: CampaignPlan,
  wave: CampaignWave,
  nodes: readonly PlannedNode[],
  manual: { node: string; reason: string }[],
): Record<string, unknown>[] {
  const ids: string[] = [];
  for (const node of nodes) {
    if (!node.actions.every((a) => a.action === 'reboot')) {
      manual.push({
        node: node.node,
        reason: 'needs in-guest steps before a reboot: export with --format run-command',
      });
    } else if (!/^i-[0-9a-f]+$/.test(node.node)) {
      manual.push({
        node: node.node,
        reason: 'not an EC2 instance (AWS-RestartEC2Instance cannot restart it)',
      });
    } else ids.push(node.node);
  }
  if (ids.length === 0) return [];
  return [
    {
      DocumentName: 'AWS-RestartEC2Instance',
      TargetParameterName: 'InstanceId',
      Targets: [{ Key: 'ParameterValues', Values: ids }],
      MaxConcurrency: String(ids.length),
      MaxErrors: '0',
      Tags: [
        { Key: 'fleet-compliance:campaign', Value: plan.id },
        { Key: 'fleet-compliance:wave', Value: String(wave.wave) },
      ],
    },
  ];
}

/** The node-side POSIX sh lines for one step list (what AWS-RunShellScript's `commands` takes). */
export function nodeScript(plan: CampaignPlan, wave: number, actions: readonly PlannedAction[]): string[] {
  const marker = `/var/lib/fleet-compliance/${plan.id.replace(/[^A-Za-z0-9_.-]/g, '-')}-wave-${wave}.rebooted`;
  const lines = [
    `# fleet-compliance campaign ${plan.id}, wave ${wave}: ${actions.map(describeAction).join(', ')}`,
    'set -u',
  ];
  const rebooting = actions.some((a) => a.action === 'reboot');
  if (rebooting) {
    lines.push(`if [ -f '${marker}' ]; then rm -f '${marker}'; echo 'rebooted: steps complete'; exit 0; fi`);
  }
  for (const action of actions) {
    switch (action.action) {
      case 'daemon-reexec':
        // On a node whose PID 1 hangs, systemctl may wait forever: bound it.
        lines.push('timeout 120 systemctl daemon-reexec || { echo "daemon-reexec failed"; exit 1; }');
        break;
      case 'upgrade':
        lines.push(...upgradeLines(action.components ?? []));
        break;
      case 'restart-service':
        for (const service of action.services ?? []) {
          lines.push(
            `timeout 300 systemctl restart ${service} || { echo "restart ${service} failed"; exit 1; }`,
          );
        }
        break;
      case 'reboot':
        lines.push(`mkdir -p /var/lib/fleet-compliance && touch '${marker}'`, 'exit 194');
        break;
      default:
        break;
    }
  }
  if (!rebooting) lines.push("echo 'steps complete'");
  return lines;
}

function upgradeLines(components: readonly Component[]): string[] {
  const deb = [...new Set(components.flatMap((c) => PACKAGES[c].deb))].join(' ');
  const rpm = [...new Set(components.flatMap((c) => PACKAGES[c].rpm))].join(' ');
  return [
    'if command -v dpkg-query >/dev/null 2>&1; then',
    `  pkgs=''; for p in ${deb}; do dpkg-query -W -f='\${Status}' "$p" 2>/dev/null | grep -q 'ok installed' && pkgs="$pkgs $p"; done`,
    '  [ -n "$pkgs" ] || { echo "none of the packages is installed"; exit 1; }',
    '  DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --only-upgrade $pkgs || { echo "upgrade failed"; exit 1; }',
    'else',
    `  pkgs=''; for p in ${rpm}; do rpm -q "$p" >/dev/null 2>&1 && pkgs="$pkgs $p"; done`,
    '  [ -n "$pkgs" ] || { echo "none of the packages is installed"; exit 1; }',
    '  if command -v dnf >/dev/null 2>&1; then dnf -y upgrade $pkgs; else yum -y update $pkgs; fi || { echo "upgrade failed"; exit 1; }',
    'fi',
  ];
}

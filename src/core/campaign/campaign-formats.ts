import { csvRow } from '../render/csv.ts';
import { renderTextTable } from '../render/text-table.ts';
import { type CampaignPlan, describeMaxUnavailable, type PlannedNode } from './campaign-plan.ts';
import { markdownText } from './markdown-text.ts';
import { describeAction } from './node-remediation.ts';

export const CAMPAIGN_PLAN_FORMATS = ['table', 'json', 'csv', 'markdown'] as const;
export type CampaignPlanFormat = (typeof CAMPAIGN_PLAN_FORMATS)[number];

/** The JSON contract: the plan itself (`id`, `createdAt`, `settings`, `waves[].nodes[]`...). */
export function campaignPlanToJson(plan: CampaignPlan): unknown {
  return plan;
}

/** Steps as one line: `1) upgrade systemd 2) run systemctl daemon-reexec…`. */
export function describeSteps(node: PlannedNode): string {
  return node.actions.map((a, i) => `${i + 1}) ${describeAction(a)}`).join(' ');
}

function describeGrouping(plan: CampaignPlan): string {
  const basis =
    plan.settings.groupSize === 'fleet'
      ? 'share of each whole group'
      : "share of each group's nodes in this plan";
  const max = plan.settings.maxUnavailable;
  return 'percent' in max
    ? `at most ${describeMaxUnavailable(max)} (${basis}, rounded up, at least 1) of each ${plan.settings.groupBy} per wave`
    : `at most ${describeMaxUnavailable(max)} node(s) of each ${plan.settings.groupBy} per wave`;
}

export function campaignPlanHeadline(plan: CampaignPlan): string {
  const s = plan.summary;
  return `Campaign ${plan.id} (${plan.createdAt}): ${s.nodes} node(s) in ${s.waves} wave(s), ${describeGrouping(plan)}; ${s.drain} need a drain, ${s.byDisruption.reboot} a reboot`;
}

export const CAMPAIGN_TABLE_HEADER = ['WAVE', 'NODE', 'HOSTNAME', 'GROUP', 'URGENCY', 'DRAIN', 'STEPS'];

export function campaignPlanToTable(plan: CampaignPlan): string {
  const rows = plan.waves.flatMap((w) =>
    w.nodes.map((n) => [
      String(w.wave),
      n.node,
      n.hostname ?? '',
      n.group,
      n.urgency,
      n.drain ? 'yes' : 'no',
      describeSteps(n),
    ]),
  );
  const head = `${campaignPlanHeadline(plan)}\n`;
  if (rows.length === 0) return `${head}nothing to do: no node is AT_RISK or PENDING_REBOOT\n`;
  return head + renderTextTable(CAMPAIGN_TABLE_HEADER, rows, { maxWidth: 90 });
}

export const CAMPAIGN_CSV_HEADER = [
  'wave',
  'node',
  'hostname',
  'group',
  'status',
  'urgency',
  'severity',
  'hang_in_progress',
  'drain',
  'disruption',
  'steps',
  'findings',
  'pending',
  'why',
  'notes',
] as const;

export function campaignPlanToCsv(plan: CampaignPlan): string {
  let out = csvRow(CAMPAIGN_CSV_HEADER);
  for (const w of plan.waves) {
    for (const n of w.nodes) {
      out += csvRow([
        w.wave,
        n.node,
        n.hostname,
        n.group,
        n.status,
        n.urgency,
        n.severity,
        n.hangInProgress,
        n.drain,
        n.disruption,
        describeSteps(n),
        n.findings.join(' '),
        n.pending.map((p) => `${p.id}:${p.action}`).join(' '),
        n.why,
        n.notes.join(' '),
      ]);
    }
  }
  return out;
}

/**
 * A runbook to paste into a change ticket: settings, a checklist before, one section per wave
 * (table of nodes, steps and reasons, then the wave's checklist), and the closing check.
 */
export function campaignPlanToMarkdown(plan: CampaignPlan): string {
  const s = plan.summary;
  const md = markdownText;
  const lines: string[] = [];
  lines.push(`# Reboot-upgrade campaign ${md(plan.id)}`, '');
  lines.push('| | |', '|---|---|');
  lines.push(`| Created | ${md(plan.createdAt)} |`);
  lines.push(
    `| Nodes | ${s.nodes} in ${s.waves} wave(s); ${s.drain} need a drain, ${s.byDisruption.reboot} a reboot |`,
  );
  lines.push(`| Waves | ${md(describeGrouping(plan))} |`);
  lines.push(`| Source scans | ${plan.sourceRunIds.map(md).join(', ') || 'none'} |`);
  const window = plan.settings.selection?.window;
  if (window !== undefined) {
    lines.push(
      `| Maintenance window | ${md(window.name)} (${md(window.windowId)})${window.nextExecutionTime ? `, next run ${md(window.nextExecutionTime)}` : ''} |`,
    );
  }
  lines.push('');
  if (s.nodes === 0) {
    lines.push('Nothing to do: no node is AT_RISK or PENDING_REBOOT.', '');
    return `${lines.join('\n')}`;
  }
  lines.push('## Before you start', '');
  lines.push('- [ ] Re-check the at-risk list right before the window (`fleet-compliance at-risk`).');
  lines.push('- [ ] Make sure no other maintenance runs in these groups during the campaign.');
  lines.push(
    '- [ ] Stop conditions: a node that does not come back Ready, or a wave whose rescan still shows it at risk. Do not start the next wave until `fleet-compliance campaign status` shows the wave done.',
  );
  lines.push('');
  for (const w of plan.waves) {
    const groups = w.groups.map((g) => `${md(g.group)}: ${g.nodes}`).join(', ');
    lines.push(`## Wave ${w.wave} of ${plan.waves.length}: ${w.nodes.length} node(s) (${groups})`, '');
    lines.push(
      '| Node | Hostname | Group | Urgency | Drain | Steps | Why |',
      '|---|---|---|---|---|---|---|',
    );
    for (const n of w.nodes) {
      const notes = n.notes.length > 0 ? ` (${n.notes.map(md).join('; ')})` : '';
      lines.push(
        `| ${md(n.node)} | ${md(n.hostname ?? '')} | ${md(n.group)} | ${n.urgency} | ${n.drain ? 'yes' : 'no'} | ${md(describeSteps(n))} | ${md(n.why)}${notes} |`,
      );
    }
    lines.push('');
    const drains = w.nodes.filter((n) => n.drain).length;
    if (drains > 0) {
      lines.push(
        `- [ ] Cordon and drain the ${drains} node(s) marked Drain (\`kubectl drain <node> --ignore-daemonsets --delete-emptydir-data\`).`,
      );
    }
    lines.push('- [ ] Run the steps on each node, in order.');
    if (drains > 0) lines.push('- [ ] Uncordon the drained nodes once they are Ready.');
    lines.push(
      `- [ ] Rescan, then check \`fleet-compliance campaign status\` shows wave ${w.wave} done.`,
      '',
    );
  }
  lines.push('## After the last wave', '');
  lines.push(
    '- [ ] `fleet-compliance campaign status` reports the campaign clean (no node outside the plan either).',
    '',
  );
  return lines.join('\n');
}

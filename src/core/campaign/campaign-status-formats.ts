import { csvRow } from '../render/csv.ts';
import { renderTextTable } from '../render/text-table.ts';
import type { CampaignStatus } from './campaign-status.ts';

export const CAMPAIGN_STATUS_FORMATS = ['table', 'json', 'csv'] as const;
export type CampaignStatusFormat = (typeof CAMPAIGN_STATUS_FORMATS)[number];

/** Nodes the table lists under "needs attention" (JSON and CSV list every node). */
export const STATUS_TABLE_NODES = 20;

export function campaignStatusHeadline(status: CampaignStatus): string {
  const o = status.overall;
  const where = o.clean
    ? 'clean'
    : o.currentWave === undefined
      ? `every planned node remediated; ${status.outsidePlan.count} node(s) outside the plan need attention`
      : `current wave ${o.currentWave} of ${status.campaign.waves}`;
  return `Campaign ${status.campaign.id} (${status.campaign.createdAt}): ${o.remediated} of ${o.nodes} remediated (${o.percentRemediated}%), ${where}`;
}

export const STATUS_TABLE_HEADER = [
  'WAVE',
  'NODES',
  'STATE',
  'REMEDIATED',
  'AT RISK',
  'PENDING REBOOT',
  'UNREACHABLE',
  'UNKNOWN',
  'NOT RESCANNED',
];

export function campaignStatusToTable(status: CampaignStatus): string {
  const rows = status.waves.map((w) => [
    String(w.wave),
    String(w.nodes),
    w.state,
    String(w.counts.remediated),
    String(w.counts['at-risk']),
    String(w.counts['pending-reboot']),
    String(w.counts.unreachable),
    String(w.counts.unknown),
    String(w.counts['not-rescanned']),
  ]);
  let out = `${campaignStatusHeadline(status)}\n`;
  if (rows.length > 0) out += renderTextTable(STATUS_TABLE_HEADER, rows);
  const attention = status.nodes.filter((n) => n.progress !== 'remediated' && n.progress !== 'not-rescanned');
  if (attention.length > 0) {
    out += `\nRescanned but not remediated (${attention.length}):\n`;
    out += renderTextTable(
      ['WAVE', 'NODE', 'HOSTNAME', 'GROUP', 'NOW', 'FINDINGS'],
      attention
        .slice(0, STATUS_TABLE_NODES)
        .map((n) => [String(n.wave), n.node, n.hostname ?? '', n.group, n.progress, n.findings.join(',')]),
    );
    if (attention.length > STATUS_TABLE_NODES) {
      out += `... and ${attention.length - STATUS_TABLE_NODES} more (--format json or csv lists every node)\n`;
    }
  }
  if (status.outsidePlan.count > 0) {
    out += `\n${status.outsidePlan.count} node(s) need attention but are not in this plan (e.g. ${status.outsidePlan.nodes
      .slice(0, 5)
      .join(', ')}): run campaign plan again to include them\n`;
  }
  return out;
}

export const STATUS_CSV_HEADER = [
  'wave',
  'node',
  'hostname',
  'group',
  'planned_status',
  'progress',
  'status',
  'last_seen',
  'findings',
] as const;

export function campaignStatusToCsv(status: CampaignStatus): string {
  let out = csvRow(STATUS_CSV_HEADER);
  for (const n of status.nodes) {
    out += csvRow([
      n.wave,
      n.node,
      n.hostname,
      n.group,
      n.plannedStatus,
      n.progress,
      n.status,
      n.lastSeen,
      n.findings.join(' '),
    ]);
  }
  return out;
}

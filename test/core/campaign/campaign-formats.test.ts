import { describe, expect, it } from 'vitest';
import {
  CAMPAIGN_CSV_HEADER,
  campaignPlanToCsv,
  campaignPlanToMarkdown,
  campaignPlanToTable,
} from '../../../src/core/campaign/campaign-formats.ts';
import { markdownText } from '../../../src/core/campaign/markdown-text.ts';
import { planCampaign } from '../../../src/core/campaign/plan-campaign.ts';
import { makeState, REEXEC_PENDING, T_PLAN } from './campaign-fixtures.ts';

const states = [
  makeState({
    node: 'i-0000000000000000a',
    hostname: 'evil|host\n## Injected heading <script>alert(1)</script> [x](http://evil.example) `rm -rf /`',
    findings: [['SYSTEMD-DBUS-COOKIE-OVERFLOW', 'high', true]],
    tags: { cluster: '=HYPERLINK("http://evil.example","x")' },
  }),
  makeState({ node: 'i-0000000000000000b', pending: [REEXEC_PENDING], tags: { cluster: 'prod' } }),
];
const plan = planCampaign(states, {
  id: 'cmp-20261130T0900Z-abc123',
  now: T_PLAN,
  maxUnavailable: { percent: 25 },
  selection: {
    window: { windowId: 'mw-0123456789abcdef0', name: 'prod-eu-1', nextExecutionTime: '2026-12-01T02:00Z' },
  },
});

describe('campaign plan formats', () => {
  it('writes a runbook whose node-supplied text cannot break the table or inject markup', () => {
    const md = campaignPlanToMarkdown(plan);
    expect(md).toContain('# Reboot-upgrade campaign cmp-20261130T0900Z-abc123');
    expect(md).toContain(
      '| Maintenance window | prod-eu-1 (mw-0123456789abcdef0), next run 2026-12-01T02:00Z |',
    );
    expect(md).toContain('## Wave 1 of 1: 2 node(s) (=HYPERLINK("http://evil.example","x"): 1, prod: 1)');
    const rows = md.split('\n').filter((l) => l.startsWith('| i-'));
    expect(rows).toHaveLength(2);
    // Every row has exactly the table's 7 cells: no unescaped | inside.
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length - 2).toBe(7);
    expect(md).not.toMatch(/^## Injected/m);
    expect(md).not.toContain('<script>');
    expect(md).toContain('\\<script\\>');
    expect(md).toContain('\\[x\\](http://evil.example)');
    expect(md).toContain('\\`rm -rf /\\`');
    expect(md).toContain('- [ ] Rescan, then check `fleet-compliance campaign status` shows wave 1 done.');
  });

  it('escapes only what Markdown needs, so the raw text stays readable', () => {
    expect(markdownText('2026-11-30T09:00:00.000Z node-1.example')).toBe(
      '2026-11-30T09:00:00.000Z node-1.example',
    );
    expect(markdownText('a|b\\c*d_e~f&g\u2028h')).toBe('a\\|b\\\\c\\*d\\_e\\~f\\&g h');
  });

  it('writes one CSV row per node with formulas defused', () => {
    const csv = campaignPlanToCsv(plan);
    const lines = csv.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(CAMPAIGN_CSV_HEADER.join(','));
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(csv).toContain(
      '1) run systemctl daemon-reexec first to clear the hang 2) upgrade systemd 3) run systemctl daemon-reexec so PID 1 runs the fixed systemd',
    );
  });

  it('starts the table with a headline that states the rule the waves follow', () => {
    expect(campaignPlanToTable(plan).split('\n')[0]).toBe(
      "Campaign cmp-20261130T0900Z-abc123 (2026-11-30T09:00:00.000Z): 2 node(s) in 1 wave(s), at most 25% (share of each group's nodes in this plan, rounded up, at least 1) of each cluster per wave; 0 need a drain, 0 a reboot",
    );
  });
});

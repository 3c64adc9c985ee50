import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { windowHeadline } from '../../core/at-risk/at-risk-formats.ts';
import {
  CAMPAIGN_PLAN_FORMATS,
  type CampaignPlanFormat,
  campaignPlanToCsv,
  campaignPlanToJson,
  campaignPlanToMarkdown,
  campaignPlanToTable,
} from '../../core/campaign/campaign-formats.ts';
import { EXPORT_FORMATS, type ExportFormat, exportWave } from '../../core/campaign/campaign-export.ts';
import type { CampaignPlan } from '../../core/campaign/campaign-plan.ts';
import {
  CAMPAIGN_STATUS_FORMATS,
  type CampaignStatusFormat,
  campaignStatusToCsv,
  campaignStatusToTable,
} from '../../core/campaign/campaign-status-formats.ts';
import { InvalidCampaignSettingError } from '../../core/campaign/invalid-campaign-setting-error.ts';
import { parseMaxUnavailable } from '../../core/campaign/max-unavailable.ts';
import { NoCampaignError } from '../../core/campaign/no-campaign-error.ts';
import { planCampaign } from '../../core/campaign/plan-campaign.ts';
import { readCampaignStatus } from '../../core/campaign/read-campaign-status.ts';
import type { FleetStore } from '../../core/store/fleet-store.ts';
import { UsageError } from '../errors.ts';
import { type CliIo, EXIT_OK } from '../io.ts';
import { loadCatalog } from '../load-catalog.ts';
import {
  addStoreOptions,
  collect,
  type FleetCommandDeps,
  parseFleetMode,
  parseSelection,
  queryAtRiskFrom,
  reportAtRiskWarnings,
  type SelectionOptions,
  type StoreOptions,
  withFleetSources,
} from './at-risk.ts';

interface PlanOptions extends StoreOptions, SelectionOptions {
  groupBy: string;
  maxUnavailable: string;
  groupSize: string;
  format: string;
  id?: string;
  dryRun?: boolean;
  advisories?: string;
}

interface StatusOptions extends StoreOptions {
  format: string;
}

interface ExportOptions extends StoreOptions {
  wave: string;
  format: string;
  windowId?: string;
}

export function registerCampaign(
  program: Command,
  io: CliIo,
  setResult: (p: Promise<number>) => void,
  deps: FleetCommandDeps = {},
): void {
  const campaign = program
    .command('campaign')
    .description('plan reboot-upgrade campaigns in safe waves and follow them until the fleet is clean');

  addStoreOptions(
    campaign.command('plan').description('plan (and save) the waves that fix the at-risk nodes'),
  )
    .option(
      '--group-by <tag-key>',
      'tag whose value groups nodes; nodes without it form the group "(none)"',
      'cluster',
    )
    .option('--max-unavailable <n|p%>', 'nodes of one group per wave: a count (2) or a share (25%)', '1')
    .option(
      '--group-size <basis>',
      "what a % is of: plan (the group's nodes in this plan) or fleet (every node of the group)",
      'plan',
    )
    .option('--window <id-or-name>', 'only nodes targeted by this SSM maintenance window')
    .option('--tag <key=value>', 'only nodes with this tag (repeatable)', collect, [])
    .option('--severity <min>', 'only nodes with a finding at least this severe')
    .option('--status <list>', 'statuses to plan for', 'AT_RISK,PENDING_REBOOT')
    .option('--format <format>', `output: ${CAMPAIGN_PLAN_FORMATS.join(', ')}`, 'table')
    .option('--id <id>', 'the plan id (default: cmp-<time>-<random>)')
    .option('--dry-run', 'print the plan without saving it')
    .option('--advisories <file>', 'a catalog file with your own advisories (their actions decide the steps)')
    .addHelpText(
      'after',
      `
Waves: each group (by --group-by) may lose at most its allowance per wave: for a count N,
min(N, group size); for a share P%, P% of the group rounded up; never less than one node. The
group size is the group's nodes in this plan (--group-size plan, the default: no extra read) or
every node of the group the store knows (--group-size fleet: Kubernetes maxUnavailable
semantics, at the price of one full table read). Each wave takes the most urgent nodes the
allowances permit: a hang in progress first, then critical, high, medium, low, then nodes that
only need a re-exec or reboot (PENDING_REBOOT).

Per node the plan lists the steps in order (upgrade of the named components, systemctl
daemon-reexec, service restarts, reboot), whether to drain first, and why. A systemd fix is
completed with daemon-reexec rather than a reboot when nothing else needs one.

The plan is saved (unless --dry-run) and 'campaign status' follows it against later scans.
JSON: { id, createdAt, settings, sourceRunIds, groups, summary, waves: [ { wave, groups,
nodes: [ { node, hostname, group, status, urgency, severity, findings, pending, actions, why,
drain, disruption, notes, ... } ] } ] }. --format markdown prints a runbook for a change ticket.

Examples:
  $ fleet-compliance campaign plan --local --max-unavailable 25% --format markdown > runbook.md
  $ fleet-compliance campaign plan --local --window prod-eu-1 --max-unavailable 2
  $ fleet-compliance campaign plan --table FleetTable-1ABC --region eu-west-1 --group-by az --format json`,
    )
    .action((options: PlanOptions) => {
      setResult(plan(io, options, deps));
    });

  addStoreOptions(campaign.command('status').description('progress of the latest plan against later scans'))
    .option('--format <format>', `output: ${CAMPAIGN_STATUS_FORMATS.join(', ')}`, 'table')
    .addHelpText(
      'after',
      `
Each planned node is judged on its newest state: remediated (a later scan found it COMPLIANT),
at-risk, pending-reboot (fixed package, re-exec or reboot still to do), unreachable, unknown, or
not-rescanned (no scan since the plan). A wave is done when all its nodes are remediated. Nodes
needing attention that the plan does not hold are counted: plan again to include them.

JSON: { campaign, asOf, overall: { nodes, remediated, at-risk, ..., percentRemediated, clean,
currentWave }, waves: [ { wave, nodes, state, counts } ], nodes: [...], outsidePlan }.

Examples:
  $ fleet-compliance campaign status --local
  $ fleet-compliance campaign status --local --format json | jq .overall.clean`,
    )
    .action((options: StatusOptions) => {
      setResult(status(io, options, deps));
    });

  addStoreOptions(
    campaign.command('export').description('print one wave as AWS inputs to apply (nothing is run)'),
  )
    .requiredOption('--wave <n>', 'the wave to export (1 is the first)')
    .option('--format <format>', `input for: ${EXPORT_FORMATS.join(', ')}`, 'run-command')
    .option('--window-id <mw-id>', 'maintenance-window-task: the window to register the tasks with')
    .addHelpText(
      'after',
      `
run-command              SendCommand inputs (AWS-RunShellScript, at most 50 instance ids each)
maintenance-window-task  RegisterTaskWithMaintenanceWindow inputs (RUN_COMMAND, priority = wave)
ssm-automation           StartAutomationExecution of AWS-RestartEC2Instance for nodes that only need a reboot

Output: { campaign, wave, format, requests: [...], manual: [...], drainFirst: [...], notes }.
Nodes whose steps need a person (configuration change, review) are listed in manual, not scripted.

Example:
  $ fleet-compliance campaign export --local --wave 1 | jq -c '.requests[]' | while read -r r; do
      aws ssm send-command --cli-input-json "$r"; done`,
    )
    .action((options: ExportOptions) => {
      setResult(exportCommand(io, options, deps));
    });
}

async function plan(io: CliIo, options: PlanOptions, deps: FleetCommandDeps): Promise<number> {
  if (!(CAMPAIGN_PLAN_FORMATS as readonly string[]).includes(options.format)) {
    throw new UsageError(`unknown format "${options.format}" (expected ${CAMPAIGN_PLAN_FORMATS.join(', ')})`);
  }
  if (options.groupSize !== 'plan' && options.groupSize !== 'fleet') {
    throw new UsageError(`--group-size must be plan or fleet, not "${options.groupSize}"`);
  }
  const maxUnavailable = usage(() => parseMaxUnavailable(options.maxUnavailable));
  const mode = parseFleetMode(io, options);
  const filter = parseSelection(options);
  const catalog = await loadCatalog({ advisories: options.advisories });
  const now = (deps.now ?? (() => new Date()))();
  const id = options.id ?? newCampaignId(now);

  const made = await withFleetSources(mode, deps, async (sources) => {
    const { store } = sources;
    const result = await queryAtRiskFrom(sources, {
      filter,
      catalog,
      now,
      ...(options.window === undefined ? {} : { window: options.window }),
    });
    reportAtRiskWarnings(io, mode, result);
    const groupSizes =
      options.groupSize === 'fleet' ? await countGroups(store, options.groupBy, now) : undefined;
    const campaignPlan = usage(() =>
      planCampaign(result.states, {
        id,
        now,
        groupBy: options.groupBy,
        maxUnavailable,
        catalog,
        ...(groupSizes === undefined ? {} : { groupSizes }),
        selection: {
          statuses: filter.statuses,
          ...(filter.minSeverity === undefined ? {} : { minSeverity: filter.minSeverity }),
          ...(filter.tags.length === 0 ? {} : { tags: filter.tags }),
          ...(result.window === undefined
            ? {}
            : {
                window: {
                  windowId: result.window.windowId,
                  name: result.window.name,
                  ...(result.window.nextExecutionTime === undefined
                    ? {}
                    : { nextExecutionTime: result.window.nextExecutionTime }),
                },
              }),
        },
      }),
    );
    if (result.window !== undefined) io.stderr(`${windowHeadline(result.window)}\n`);
    if (!options.dryRun && campaignPlan.summary.nodes > 0) await store.saveCampaign(campaignPlan);
    return campaignPlan;
  });

  io.stdout(renderPlan(made, options.format as CampaignPlanFormat));
  if (made.summary.nodes === 0) io.stderr('nothing to plan: no node needs a fix; nothing saved\n');
  else if (options.dryRun) io.stderr(`dry run: campaign ${made.id} not saved\n`);
  else io.stderr(`saved campaign ${made.id}; follow it with: fleet-compliance campaign status\n`);
  return EXIT_OK;
}

function renderPlan(plan: CampaignPlan, format: CampaignPlanFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(campaignPlanToJson(plan), null, 2)}\n`;
    case 'csv':
      return campaignPlanToCsv(plan);
    case 'markdown':
      return campaignPlanToMarkdown(plan);
    default:
      return campaignPlanToTable(plan);
  }
}

async function status(io: CliIo, options: StatusOptions, deps: FleetCommandDeps): Promise<number> {
  if (!(CAMPAIGN_STATUS_FORMATS as readonly string[]).includes(options.format)) {
    throw new UsageError(
      `unknown format "${options.format}" (expected ${CAMPAIGN_STATUS_FORMATS.join(', ')})`,
    );
  }
  const format = options.format as CampaignStatusFormat;
  const mode = parseFleetMode(io, options);
  const now = (deps.now ?? (() => new Date()))();
  const progress = await withFleetSources(mode, deps, async ({ store }) => {
    const latest = await store.loadLatestCampaign(now);
    if (latest === undefined) throw new NoCampaignError();
    return readCampaignStatus(store, latest, { now });
  });
  if (format === 'json') io.stdout(`${JSON.stringify(progress, null, 2)}\n`);
  else if (format === 'csv') io.stdout(campaignStatusToCsv(progress));
  else io.stdout(campaignStatusToTable(progress));
  return EXIT_OK;
}

async function exportCommand(io: CliIo, options: ExportOptions, deps: FleetCommandDeps): Promise<number> {
  if (!(EXPORT_FORMATS as readonly string[]).includes(options.format)) {
    throw new UsageError(`unknown format "${options.format}" (expected ${EXPORT_FORMATS.join(', ')})`);
  }
  const wave = Number(options.wave);
  if (!Number.isInteger(wave) || wave < 1)
    throw new UsageError(`--wave must be a wave number (1, 2, ...), not "${options.wave}"`);
  if (options.windowId !== undefined && !/^mw-[0-9a-f]{17}$/.test(options.windowId)) {
    throw new UsageError(
      `--window-id must be a window id (mw- and 17 hex digits), not "${options.windowId}"`,
    );
  }
  const mode = parseFleetMode(io, options);
  const now = (deps.now ?? (() => new Date()))();
  const latest = await withFleetSources(mode, deps, ({ store }) => store.loadLatestCampaign(now));
  if (latest === undefined) throw new NoCampaignError();
  const exported = usage(() =>
    exportWave(latest, {
      wave,
      format: options.format as ExportFormat,
      ...(options.windowId === undefined ? {} : { windowId: options.windowId }),
    }),
  );
  io.stdout(`${JSON.stringify(exported, null, 2)}\n`);
  for (const m of exported.manual) io.stderr(`manual: ${m.node}: ${m.reason}\n`);
  return EXIT_OK;
}

/** Every node of each group, from the newest state of every node (one full table read). */
async function countGroups(store: FleetStore, groupBy: string, now: Date): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  for (const state of await store.listLatestNodeStates(now)) {
    const group = Object.hasOwn(state.tags, groupBy) ? (state.tags[groupBy] as string) : '(none)';
    sizes.set(group, (sizes.get(group) ?? 0) + 1);
  }
  return sizes;
}

/** `cmp-20261130T0900Z-3fa2c1`: sorts by time, unique enough for one operator's plans. */
function newCampaignId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\d\d\.\d{3}Z$/, 'Z');
  return `cmp-${stamp}-${randomBytes(3).toString('hex')}`;
}

/** A bad setting found while planning is the caller's mistake: a usage error (exit 2). */
function usage<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (error instanceof InvalidCampaignSettingError) throw new UsageError(`--${error.message}`);
    throw error;
  }
}

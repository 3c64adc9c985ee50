import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Catalog } from '../../core/advisory/catalog.ts';
import type { AdvisorySeverityLookup } from '../../core/at-risk/at-risk-entry.ts';
import {
  type AtRiskFilter,
  DEFAULT_AT_RISK_STATUSES,
  parseSeverity,
  parseStatuses,
  parseTagFilters,
} from '../../core/at-risk/at-risk-filter.ts';
import {
  AT_RISK_FORMATS,
  type AtRiskFormat,
  atRiskToCsv,
  atRiskToJson,
  atRiskToTable,
  windowHeadline,
} from '../../core/at-risk/at-risk-formats.ts';
import { InvalidFilterError } from '../../core/at-risk/invalid-filter-error.ts';
import type { MaintenanceWindowDirectory } from '../../core/at-risk/maintenance-window.ts';
import { NoScanDataError } from '../../core/at-risk/no-scan-data-error.ts';
import { type AtRiskResult, queryAtRisk } from '../../core/at-risk/query-at-risk.ts';
import type { FleetStore } from '../../core/store/fleet-store.ts';
import { DEFAULT_DATA_DIR } from '../../local/data-dir.ts';
import { UsageError } from '../errors.ts';
import { type CliIo, EXIT_OK } from '../io.ts';
import { loadCatalog } from '../load-catalog.ts';

/** Where the fleet's data lives: the embedded store of local mode, or a deployed table. */
export type FleetMode =
  | { readonly kind: 'local'; readonly dataDir: string; readonly scanHint: string }
  | { readonly kind: 'aws'; readonly table: string; readonly region?: string; readonly scanHint: string };

export interface StoreOptions {
  local?: boolean;
  dataDir: string;
  table?: string;
  region?: string;
}

/** The store and, on demand, the maintenance windows of one mode; close() releases both. */
export interface FleetSources {
  readonly store: FleetStore;
  windows(): Promise<MaintenanceWindowDirectory>;
  close(): Promise<void>;
}

/** Seams for tests; the defaults are the real clock and the real stores and services. */
export interface FleetCommandDeps {
  readonly now?: () => Date;
  readonly openSources?: (mode: FleetMode) => Promise<FleetSources>;
}

/** Adds the store choice every reading command shares (same flags as `report`). */
export function addStoreOptions(command: Command): Command {
  return command
    .option('--local', 'read the embedded store of local mode (kept in --data-dir)')
    .option('--data-dir <dir>', 'where the embedded store keeps its data', DEFAULT_DATA_DIR)
    .option('--table <name>', 'AWS mode: the fleet table (the stack output FleetTableName)')
    .option(
      '--region <region>',
      'AWS mode: the region of the table and of SSM (default: the SDK default chain)',
    );
}

export function parseFleetMode(io: CliIo, options: StoreOptions): FleetMode {
  if (options.local && options.table) throw new UsageError('choose one store: --local or --table, not both');
  if (!options.local && !options.table) {
    throw new UsageError(
      'choose a store: --local (the embedded one) or --table <name> --region <region> (AWS)',
    );
  }
  if (options.local && options.region)
    throw new UsageError('--region goes with --table (AWS mode), not --local');
  if (options.local) {
    const flag = options.dataDir === DEFAULT_DATA_DIR ? '' : ` --data-dir ${options.dataDir}`;
    return {
      kind: 'local',
      dataDir: resolve(io.cwd, options.dataDir),
      scanHint: `run \`scan --local${flag}\` first`,
    };
  }
  return {
    kind: 'aws',
    table: options.table as string,
    ...(options.region ? { region: options.region } : {}),
    scanHint: `no scan of table ${options.table} has completed; wait for the scheduled scan or start one`,
  };
}

/**
 * Opens the store of a mode. Local mode reads the embedded store and serves the maintenance
 * windows of the simulated fleet of the last local scan; AWS mode uses the table and SSM with
 * adaptive retry. Reading never creates an empty local store as a side effect.
 */
export async function openFleetSources(mode: FleetMode): Promise<FleetSources> {
  // Loaded here, not at start-up (src/cli/aws-adapters.ts).
  const {
    createDynamoClients,
    createSsmClient,
    createTaggingClient,
    DynamoFleetStore,
    SsmMaintenanceWindows,
  } = await import('../aws-adapters.ts');
  const closers: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) await c();
  };
  if (mode.kind === 'local') {
    if (!existsSync(join(mode.dataDir, 'dynamodb'))) throw new NoScanDataError(mode.scanHint);
    const { openLocalStore } = await import('../../local/local-environment.ts');
    const local = await openLocalStore(mode.dataDir);
    closers.push(() => local.close());
    let windows: MaintenanceWindowDirectory | undefined;
    return {
      store: local.store,
      windows: async () => {
        if (windows) return windows;
        const { startLocalFleet } = await import('../../local/local-fleet.ts');
        const fleet = await startLocalFleet(mode.dataDir);
        if (fleet === undefined) {
          throw new NoScanDataError(
            `the local maintenance windows belong to the fleet of the last local scan; ${mode.scanHint}`,
          );
        }
        const client = { endpoint: fleet.endpoint, region: fleet.region, credentials: fleet.credentials };
        const ssm = createSsmClient(client);
        const tagging = createTaggingClient(client);
        closers.push(async () => {
          ssm.destroy();
          tagging.destroy();
          await fleet.stop();
        });
        windows = new SsmMaintenanceWindows({ ssm, tagging });
        return windows;
      },
      close,
    };
  }
  const region = mode.region === undefined ? {} : { region: mode.region };
  const clients = createDynamoClients(region);
  closers.push(() => clients.destroy());
  let windows: MaintenanceWindowDirectory | undefined;
  return {
    store: new DynamoFleetStore({ doc: clients.doc, tableName: mode.table }),
    windows: async () => {
      if (windows) return windows;
      const ssm = createSsmClient(region);
      const tagging = createTaggingClient(region);
      closers.push(() => {
        ssm.destroy();
        tagging.destroy();
      });
      windows = new SsmMaintenanceWindows({ ssm, tagging });
      return windows;
    },
    close,
  };
}

export interface SelectionOptions {
  window?: string;
  tag: string[];
  severity?: string;
  status?: string;
}

/** `--tag`, `--severity`, `--status` as a filter; a bad value is a usage error naming it. */
export function parseSelection(options: SelectionOptions): AtRiskFilter {
  try {
    return {
      statuses: options.status === undefined ? DEFAULT_AT_RISK_STATUSES : parseStatuses(options.status),
      ...(options.severity === undefined ? {} : { minSeverity: parseSeverity(options.severity) }),
      tags: parseTagFilters(options.tag),
    };
  } catch (error) {
    if (error instanceof InvalidFilterError) throw new UsageError(`--${error.message}`);
    throw error;
  }
}

export function severityLookup(catalog: Catalog): AdvisorySeverityLookup {
  const byId = new Map(catalog.advisories.map((a) => [a.id, a.severity]));
  return (id) => byId.get(id);
}

/** Runs the at-risk query of a mode (window lookups included) and closes what it opened. */
export interface AtRiskRequest {
  readonly filter: AtRiskFilter;
  readonly window?: string;
  readonly catalog: Catalog;
  readonly now: Date;
}

export async function readAtRisk(
  mode: FleetMode,
  deps: FleetCommandDeps,
  request: AtRiskRequest,
): Promise<AtRiskResult> {
  return withFleetSources(mode, deps, (sources) => queryAtRiskFrom(sources, request));
}

/** Opens the mode's sources for `use` and closes them after, whatever happens. */
export async function withFleetSources<T>(
  mode: FleetMode,
  deps: FleetCommandDeps,
  use: (sources: FleetSources) => Promise<T>,
): Promise<T> {
  const sources = await (deps.openSources ?? openFleetSources)(mode);
  try {
    return await use(sources);
  } finally {
    await sources.close();
  }
}

/** The at-risk list from open sources (the maintenance windows only when a window is asked for). */
export async function queryAtRiskFrom(sources: FleetSources, request: AtRiskRequest): Promise<AtRiskResult> {
  return queryAtRisk(
    {
      store: sources.store,
      ...(request.window === undefined ? {} : { windows: await sources.windows() }),
      severityOf: severityLookup(request.catalog),
    },
    {
      filter: request.filter,
      now: request.now,
      ...(request.window === undefined ? {} : { window: request.window }),
    },
  );
}

/** Warnings that belong on stderr whatever the format: no scan yet, targets not expanded. */
export function reportAtRiskWarnings(io: CliIo, mode: FleetMode, result: AtRiskResult): void {
  if (result.completeRun === undefined && result.newerRunIds.length === 0) {
    io.stderr(`warning: no scan has run yet; ${mode.scanHint}\n`);
  } else if (result.completeRun === undefined) {
    io.stderr('warning: no scan has completed yet; the list comes from scans still running or failed\n');
  }
  for (const t of result.window?.unresolvedTargets ?? []) {
    io.stderr(`warning: window target ${t.windowTargetId} (${t.target}) not expanded: ${t.reason}\n`);
  }
}

interface AtRiskOptions extends StoreOptions, SelectionOptions {
  format: string;
  advisories?: string;
}

/** Commander's collector for an option given several times. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerAtRisk(
  program: Command,
  io: CliIo,
  setResult: (p: Promise<number>) => void,
  deps: FleetCommandDeps = {},
): void {
  const command = program
    .command('at-risk')
    .description(
      'list the nodes to fix, most urgent first (optionally those a maintenance window will reach)',
    );
  addStoreOptions(command)
    .option(
      '--window <id-or-name>',
      'only nodes targeted by this SSM maintenance window (mw-… id or exact name)',
    )
    .option(
      '--tag <key=value>',
      'only nodes with this tag (repeat: same key ORs, different keys AND)',
      collect,
      [],
    )
    .option('--severity <min>', 'only nodes with a finding at least this severe: low, medium, high, critical')
    .option('--status <list>', 'statuses to list, comma-separated', DEFAULT_AT_RISK_STATUSES.join(','))
    .option('--format <format>', `output: ${AT_RISK_FORMATS.join(', ')}`, 'table')
    .option('--advisories <file>', 'a catalog file with your own advisories (for their severities)')
    .addHelpText(
      'after',
      `
Reads the store's attention index (its cost follows the number of nodes needing attention, not
the fleet size) for the latest complete scan and any scan started since. Order: a hang in
progress first, then severity (critical first), then AT_RISK before PENDING_REBOOT, then node id.
A PENDING_REBOOT node carries the severity of the advisory whose fix it has not started yet.

--window resolves the window's registered targets: InstanceIds; tag:<key> and tag-key, against
the tags stored with each node and, for keys the scan did not keep, the Resource Groups Tagging
API (GetResources). resource-groups:Name targets are not expanded (a warning says so and the
window is marked incomplete). The table starts with the window's next run.

JSON output:
  without --window  [ { node, hostname, status, severity, hangInProgress, findings: [ids],
                        findingDetails, findingsOmitted, pending, tags, os, kernel, systemd,
                        facts, reasons, ssmStatus, lastSeen, runId }, ... ]
  with --window     { "window": { windowId, name, schedule, scheduleTimezone, nextExecutionTime,
                        nextExecutionUtc, targets, unresolvedTargets, complete, nodes },
                      "nodes": [ ...as above ] }
CSV quotes every node-supplied value and defuses spreadsheet formulas (=, +, -, @).

Exit codes: 0 listed (even when empty), 1 failed, 2 usage error.

Examples:
  $ fleet-compliance at-risk --local
  $ fleet-compliance at-risk --local --window prod-eu-1
  $ fleet-compliance at-risk --local --tag cluster=staging --severity high --format csv > staging.csv
  $ fleet-compliance at-risk --table FleetTable-1ABC --region eu-west-1 --window mw-0123456789abcdef0 --format json`,
    )
    .action((options: AtRiskOptions) => {
      setResult(atRisk(io, options, deps));
    });
}

async function atRisk(io: CliIo, options: AtRiskOptions, deps: FleetCommandDeps): Promise<number> {
  if (!(AT_RISK_FORMATS as readonly string[]).includes(options.format)) {
    throw new UsageError(`unknown format "${options.format}" (expected ${AT_RISK_FORMATS.join(', ')})`);
  }
  const format = options.format as AtRiskFormat;
  const mode = parseFleetMode(io, options);
  const filter = parseSelection(options);
  const catalog = await loadCatalog({ advisories: options.advisories });
  const result = await readAtRisk(mode, deps, {
    filter,
    catalog,
    now: (deps.now ?? (() => new Date()))(),
    ...(options.window === undefined ? {} : { window: options.window }),
  });
  reportAtRiskWarnings(io, mode, result);
  if (format === 'json') io.stdout(`${JSON.stringify(atRiskToJson(result), null, 2)}\n`);
  else if (format === 'csv') {
    if (result.window !== undefined) io.stderr(`${windowHeadline(result.window)}\n`);
    io.stdout(atRiskToCsv(result.entries));
  } else io.stdout(atRiskToTable(result));
  return EXIT_OK;
}

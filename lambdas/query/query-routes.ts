import { AmbiguousWindowNameError } from '../../src/core/at-risk/ambiguous-window-name-error.ts';
import {
  DEFAULT_AT_RISK_STATUSES,
  parseSeverity,
  parseStatuses,
  parseTagFilters,
} from '../../src/core/at-risk/at-risk-filter.ts';
import { atRiskEntryToJson, atRiskToCsv } from '../../src/core/at-risk/at-risk-formats.ts';
import { InvalidFilterError } from '../../src/core/at-risk/invalid-filter-error.ts';
import type { MaintenanceWindowDirectory } from '../../src/core/at-risk/maintenance-window.ts';
import { MaintenanceWindowNotFoundError } from '../../src/core/at-risk/maintenance-window-not-found-error.ts';
import { type AtRiskResult, queryAtRisk } from '../../src/core/at-risk/query-at-risk.ts';
import type { AdvisorySeverityLookup } from '../../src/core/at-risk/at-risk-entry.ts';
import { campaignStatusToCsv } from '../../src/core/campaign/campaign-status-formats.ts';
import { NoCampaignError } from '../../src/core/campaign/no-campaign-error.ts';
import { readCampaignStatus } from '../../src/core/campaign/read-campaign-status.ts';
import type { FleetStore } from '../../src/core/store/fleet-store.ts';
import { QueryRequestError } from './query-request-error.ts';

/** The part of a Lambda function URL event (payload format 2.0) the routes read. */
export interface FunctionUrlEvent {
  readonly rawPath?: string;
  readonly rawQueryString?: string;
  readonly requestContext?: { readonly http?: { readonly method?: string } };
}

export interface FunctionUrlResult {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface QueryDeps {
  readonly store: Pick<FleetStore, 'listCurrentAttention' | 'getNodeState' | 'loadLatestCampaign'>;
  readonly windows: () => Promise<MaintenanceWindowDirectory>;
  readonly severityOf: () => Promise<AdvisorySeverityLookup>;
  readonly now: () => Date;
}

/**
 * A buffered function URL response carries at most 6 MB; past this many bytes the caller is told
 * to page (limit, offset) instead of getting a cut or failed answer.
 */
export const MAX_BODY_BYTES = 5_500_000;
const MAX_LIMIT = 100_000;

/**
 * GET /at-risk?window=&tag=k=v&tag=…&severity=&status=A,B&format=json|csv&limit=&offset=
 *   the CLI's at-risk JSON (a list of nodes; `{ window, nodes }` with a window) or CSV;
 * GET /campaign/status?format=json|csv
 *   the latest campaign's progress.
 * The function URL's AWS_IAM auth has already rejected unsigned callers before this runs.
 */
export async function routeQuery(event: FunctionUrlEvent, deps: QueryDeps): Promise<FunctionUrlResult> {
  const method = event.requestContext?.http?.method ?? 'GET';
  const path = (event.rawPath ?? '/').replace(/\/+$/, '') || '/';
  const params = new URLSearchParams(event.rawQueryString ?? '');
  if (path !== '/at-risk' && path !== '/campaign/status') {
    throw new QueryRequestError(404, `no route ${path}; use GET /at-risk or GET /campaign/status`);
  }
  if (method !== 'GET') throw new QueryRequestError(405, `${method} ${path} is not allowed; use GET`);
  const format = params.get('format') ?? 'json';
  if (format !== 'json' && format !== 'csv') {
    throw new QueryRequestError(400, `format ${JSON.stringify(format)}: expected json or csv`);
  }
  return path === '/at-risk' ? atRisk(params, format, deps) : campaignStatus(format, deps);
}

async function atRisk(
  params: URLSearchParams,
  format: 'json' | 'csv',
  deps: QueryDeps,
): Promise<FunctionUrlResult> {
  const status = params.get('status');
  const severity = params.get('severity');
  const window = params.get('window') || undefined;
  const filter = {
    statuses: status ? parseStatuses(status) : DEFAULT_AT_RISK_STATUSES,
    ...(severity ? { minSeverity: parseSeverity(severity) } : {}),
    tags: parseTagFilters(params.getAll('tag')),
  };
  const limit = count(params, 'limit', MAX_LIMIT);
  const offset = count(params, 'offset', Number.MAX_SAFE_INTEGER) ?? 0;
  const result = await queryAtRisk(
    {
      store: deps.store,
      severityOf: await deps.severityOf(),
      ...(window === undefined ? {} : { windows: await deps.windows() }),
    },
    { filter, now: deps.now(), ...(window === undefined ? {} : { window }) },
  );
  const total = result.entries.length;
  const page = result.entries.slice(offset, limit === undefined ? undefined : offset + limit);
  const headers = { 'x-total-count': String(total) };
  const body =
    format === 'csv' ? atRiskToCsv(page) : JSON.stringify(withWindow(result, page.map(atRiskEntryToJson)));
  if (Buffer.byteLength(body) > MAX_BODY_BYTES) {
    throw new QueryRequestError(
      413,
      `the answer holds ${total} nodes, more than one response carries; ask for pages with limit= and offset=`,
    );
  }
  return respond(200, format, body, headers);
}

function withWindow(result: AtRiskResult, nodes: unknown[]): unknown {
  return result.window === undefined ? nodes : { window: result.window, nodes };
}

async function campaignStatus(format: 'json' | 'csv', deps: QueryDeps): Promise<FunctionUrlResult> {
  const now = deps.now();
  const plan = await deps.store.loadLatestCampaign(now);
  if (plan === undefined) throw new NoCampaignError();
  const status = await readCampaignStatus(deps.store, plan, { now });
  return respond(200, format, format === 'csv' ? campaignStatusToCsv(status) : JSON.stringify(status));
}

function count(params: URLSearchParams, name: string, max: number): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^\d{1,16}$/.test(raw) || Number(raw) > max) {
    throw new QueryRequestError(400, `${name} ${JSON.stringify(raw)}: expected a whole number up to ${max}`);
  }
  return Number(raw);
}

function respond(
  statusCode: number,
  format: 'json' | 'csv',
  body: string,
  headers: Record<string, string> = {},
): FunctionUrlResult {
  return {
    statusCode,
    headers: {
      'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...headers,
    },
    body,
  };
}

/** The status an error maps to: the caller's mistake 4xx with its message, anything else 500. */
export function errorStatus(error: unknown): number {
  if (error instanceof QueryRequestError) return error.statusCode;
  if (error instanceof InvalidFilterError || error instanceof AmbiguousWindowNameError) return 400;
  if (error instanceof MaintenanceWindowNotFoundError || error instanceof NoCampaignError) return 404;
  return 500;
}

export function errorResult(statusCode: number, message: string): FunctionUrlResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify({ error: message }),
  };
}

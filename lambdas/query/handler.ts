import { userCatalogLoader } from '../shared/user-catalog.ts';
import { createDynamoClients } from '../../src/adapters/dynamodb/create-dynamo-clients.ts';
import { DynamoFleetStore } from '../../src/adapters/dynamodb/dynamo-fleet-store.ts';
import { loadAdvisoryParameter } from '../../src/adapters/ssm/advisory-parameter.ts';
import { createSsmClient } from '../../src/adapters/ssm/create-ssm-client.ts';
import { SsmMaintenanceWindows } from '../../src/adapters/ssm/maintenance-windows.ts';
import { createTaggingClient } from '../../src/adapters/tagging/create-tagging-client.ts';
import { builtinCatalog } from '../../src/core/advisory/builtin-catalog.ts';
import type { Catalog } from '../../src/core/advisory/catalog.ts';
import type { AdvisorySeverityLookup } from '../../src/core/at-risk/at-risk-entry.ts';
import type { MaintenanceWindowDirectory } from '../../src/core/at-risk/maintenance-window.ts';
import { describeError } from '../../src/core/errors.ts';
import { type EnvSource, readEnv } from '../shared/env.ts';
import type { StepLogger } from '../shared/handler-options.ts';
import { logger as powertoolsLogger } from '../shared/powertools.ts';
import {
  errorResult,
  errorStatus,
  type FunctionUrlEvent,
  type FunctionUrlResult,
  type QueryDeps,
  routeQuery,
} from './query-routes.ts';

export interface QueryHandlerOptions {
  /** Built from the environment on first use when absent (tests pass their own). */
  readonly deps?: QueryDeps;
  readonly env?: EnvSource;
  readonly logger?: StepLogger;
}

/**
 * The IAM-authenticated query endpoint (a Lambda function URL with AuthType AWS_IAM: AWS rejects
 * unsigned requests before this runs). Thin: route, answer, and one catch at the edge that turns
 * the caller's mistakes into 4xx with their message and logs anything else as a 500.
 */
export function createQueryHandler(options: QueryHandlerOptions = {}) {
  const log = options.logger ?? powertoolsLogger;
  let deps = options.deps;
  return async (event: FunctionUrlEvent): Promise<FunctionUrlResult> => {
    try {
      deps ??= queryDepsFromEnv(options.env, log);
      return await routeQuery(event, deps);
    } catch (error) {
      const status = errorStatus(error);
      if (status < 500) return errorResult(status, describeError(error));
      log.error('query failed', { error, path: event.rawPath });
      return errorResult(500, 'internal error; see the function log');
    }
  };
}

/** Clients built once per container; the user advisory catalog is read once and kept. */
export function queryDepsFromEnv(source: EnvSource | undefined, log: StepLogger): QueryDeps {
  const env = readEnv(source);
  const { aws } = env;
  const region = aws.region === undefined ? {} : { region: aws.region };
  const dynamo = createDynamoClients({
    ...region,
    ...(aws.dynamodbEndpoint === undefined ? {} : { endpoint: aws.dynamodbEndpoint }),
  });
  const ssm = createSsmClient({
    ...region,
    ...(aws.ssmEndpoint === undefined ? {} : { endpoint: aws.ssmEndpoint }),
  });
  const tagging = createTaggingClient({
    ...region,
    ...(aws.taggingEndpoint === undefined ? {} : { endpoint: aws.taggingEndpoint }),
  });
  const windows: MaintenanceWindowDirectory = new SsmMaintenanceWindows({ ssm, tagging });
  const mergedCatalog = userCatalogLoader(env.advisoryParameter, (name) => loadAdvisoryParameter(ssm, name));
  let catalog: Promise<Catalog> | undefined;
  const loadCatalog = (): Promise<Catalog> => {
    catalog ??= mergedCatalog().catch((error: unknown) => {
      // Severities of user advisories only; the list itself must not fail for it. Retried next container.
      log.warn('user advisory catalog not loaded; using the built-in one', { error: describeError(error) });
      return builtinCatalog();
    });
    return catalog;
  };
  return {
    store: new DynamoFleetStore({ doc: dynamo.doc, tableName: env.tableName }),
    windows: async () => windows,
    severityOf: async (): Promise<AdvisorySeverityLookup> => {
      const byId = new Map((await loadCatalog()).advisories.map((a) => [a.id, a.severity]));
      return (id) => byId.get(id);
    },
    now: () => new Date(),
  };
}

export const handler = createQueryHandler();

import { userCatalogLoader } from './user-catalog.ts';
import { createDynamoClients } from '../../src/adapters/dynamodb/create-dynamo-clients.ts';
import { DynamoFleetStore } from '../../src/adapters/dynamodb/dynamo-fleet-store.ts';
import { DynamoScanScratch } from '../../src/adapters/dynamodb/dynamo-scan-scratch.ts';
import { loadAdvisoryParameter } from '../../src/adapters/ssm/advisory-parameter.ts';
import { createSsmClient } from '../../src/adapters/ssm/create-ssm-client.ts';
import { SsmFleetCommands } from '../../src/adapters/ssm/ssm-fleet-commands.ts';
import { createTaggingClient } from '../../src/adapters/tagging/create-tagging-client.ts';
import { TagTargetDirectory } from '../../src/adapters/tagging/tag-target-directory.ts';
import { builtinCatalog } from '../../src/core/advisory/builtin-catalog.ts';
import { systemClock } from '../../src/adapters/system-clock.ts';
import type { ScanDeps } from '../../src/pipeline/scan-deps.ts';
import { COLLECT_SAFETY_MARGIN_MS } from '../../src/shared/function-sizes.ts';
import { type EnvSource, type LambdaEnv, readEnv } from './env.ts';

/** The part of the Lambda context the handlers use (no @types/aws-lambda needed). */
export interface LambdaContextLike {
  readonly awsRequestId?: string;
  getRemainingTimeInMillis?(): number;
}

/** Re-exported for the handlers' tests; a quarter of the remaining time when that is less (collectBudgetFor). */
export { COLLECT_SAFETY_MARGIN_MS };


/** How long collect may read pages: the Lambda's remaining time minus the margin; unbounded outside Lambda. */
export function collectBudgetFor(context?: LambdaContextLike): number | undefined {
  const remaining = context?.getRemainingTimeInMillis?.();
  if (remaining === undefined || !Number.isFinite(remaining)) return undefined;
  return Math.max(1, Math.floor(remaining - Math.min(COLLECT_SAFETY_MARGIN_MS, remaining / 4)));
}

/**
 * Which catalog a step needs: `merged` loads the advisory parameter (dispatch, so a broken one
 * fails the scan before any command is sent; collect, which judges); `builtin` never calls SSM
 * for it (check, finalize, and fail, which must work whatever broke).
 */
export type CatalogNeed = 'merged' | 'builtin';

export interface ScanRuntime {
  deps(context?: LambdaContextLike, need?: CatalogNeed): Promise<ScanDeps>;
  /** Closes the SDK clients' sockets (tests; a Lambda container just freezes). */
  destroy(): void;
}

/**
 * Clients and adapters for one container, built once from the environment; ScanDeps per
 * invocation (the collect budget depends on the invocation's remaining time). The user catalog
 * is read once per container and kept; a failed read is not kept, so the next invocation retries.
 */
export function createScanRuntime(env: LambdaEnv): ScanRuntime {
  const { aws } = env;
  const dynamo = createDynamoClients({
    ...(aws.dynamodbEndpoint === undefined ? {} : { endpoint: aws.dynamodbEndpoint }),
    ...(aws.region === undefined ? {} : { region: aws.region }),
  });
  const ssm = createSsmClient({
    ...(aws.ssmEndpoint === undefined ? {} : { endpoint: aws.ssmEndpoint }),
    ...(aws.region === undefined ? {} : { region: aws.region }),
  });
  const tagging = createTaggingClient({
    ...(aws.taggingEndpoint === undefined ? {} : { endpoint: aws.taggingEndpoint }),
    ...(aws.region === undefined ? {} : { region: aws.region }),
  });
  const store = new DynamoFleetStore({ doc: dynamo.doc, tableName: env.tableName });
  const base = {
    store,
    fleet: new SsmFleetCommands({ client: ssm }),
    directory: new TagTargetDirectory({ client: tagging }),
    scratch: new DynamoScanScratch({ doc: dynamo.doc, tableName: env.tableName, stats: store.stats }),
    clock: systemClock,
    settings: env.settings,
  };

  const mergedCatalog = userCatalogLoader(env.advisoryParameter, (name) => loadAdvisoryParameter(ssm, name));

  return {
    async deps(context, need = 'builtin') {
      const catalog = need === 'merged' ? await mergedCatalog() : builtinCatalog();
      const collectBudgetMs = collectBudgetFor(context);
      return { ...base, catalog, ...(collectBudgetMs === undefined ? {} : { collectBudgetMs }) };
    },
    destroy() {
      dynamo.destroy();
      ssm.destroy();
      tagging.destroy();
    },
  };
}

/**
 * A runtime built on first use, so importing a handler module reads nothing; a broken
 * environment fails each invocation (with a message naming the variable) instead of the import.
 */
export function lazyScanRuntime(source?: EnvSource): ScanRuntime {
  let runtime: ScanRuntime | undefined;
  return {
    async deps(context, need) {
      runtime ??= createScanRuntime(readEnv(source));
      return runtime.deps(context, need);
    },
    destroy() {
      runtime?.destroy();
      runtime = undefined;
    },
  };
}

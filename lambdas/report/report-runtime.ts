import { createDynamoClients } from '../../src/adapters/dynamodb/create-dynamo-clients.ts';
import { DynamoFleetStore } from '../../src/adapters/dynamodb/dynamo-fleet-store.ts';
import { createS3Client } from '../../src/adapters/s3/create-s3-client.ts';
import { ReportBucket } from '../../src/adapters/s3/report-bucket.ts';
import { createSnsClient } from '../../src/adapters/sns/create-sns-client.ts';
import { ReportTopic } from '../../src/adapters/sns/report-topic.ts';
import { loadAdvisoryParameter } from '../../src/adapters/ssm/advisory-parameter.ts';
import { createSsmClient } from '../../src/adapters/ssm/create-ssm-client.ts';
import { builtinCatalog } from '../../src/core/advisory/builtin-catalog.ts';
import { type Catalog, mergeCatalogs } from '../../src/core/advisory/catalog.ts';
import type { FleetStore } from '../../src/core/store/fleet-store.ts';
import { ENV } from '../../src/shared/runtime-settings.ts';
import { type EnvSource, InvalidEnvironmentError, readEnv } from '../shared/env.ts';

/** What the report Lambda works with; tests build one on mocked clients. */
export interface ReportRuntime {
  readonly store: Pick<FleetStore, 'listRuns' | 'findLatestCompleteRun' | 'listNodeHistories'>;
  readonly bucket: Pick<ReportBucket, 'putReport' | 'readLatestReportJson' | 'url'>;
  /** Absent when the stack sets no topic: the report is written, nobody is told. */
  readonly topic?: Pick<ReportTopic, 'publishSummary'>;
  /** The advisories the scans judged with (for titles and remediation in the report). */
  catalog(): Promise<Catalog>;
  destroy(): void;
}

/** Clients for one container, from the Lambda environment (lambdas/shared/env.ts reads it). */
export function createReportRuntime(source?: EnvSource): ReportRuntime {
  const env = readEnv(source);
  if (env.reportBucket === undefined) throw new InvalidEnvironmentError(ENV.reportBucket, 'is not set');
  const region = env.aws.region === undefined ? {} : { region: env.aws.region };
  const dynamo = createDynamoClients({
    ...region,
    ...(env.aws.dynamodbEndpoint === undefined ? {} : { endpoint: env.aws.dynamodbEndpoint }),
  });
  const s3 = createS3Client(region);
  const sns = env.reportTopicArn === undefined ? undefined : createSnsClient(region);
  const parameter = env.advisoryParameter;
  let catalog: Promise<Catalog> | undefined;
  return {
    store: new DynamoFleetStore({ doc: dynamo.doc, tableName: env.tableName }),
    bucket: new ReportBucket({ client: s3, bucket: env.reportBucket }),
    ...(sns === undefined || env.reportTopicArn === undefined
      ? {}
      : { topic: new ReportTopic({ client: sns, topicArn: env.reportTopicArn }) }),
    catalog() {
      if (parameter === undefined) return Promise.resolve(builtinCatalog());
      if (catalog === undefined) {
        const ssm = createSsmClient({
          ...region,
          ...(env.aws.ssmEndpoint === undefined ? {} : { endpoint: env.aws.ssmEndpoint }),
        });
        const loading = loadAdvisoryParameter(ssm, parameter)
          .then((user) => mergeCatalogs(builtinCatalog(), user))
          .finally(() => ssm.destroy());
        catalog = loading;
        loading.catch(() => {
          if (catalog === loading) catalog = undefined;
        });
      }
      return catalog;
    },
    destroy() {
      dynamo.destroy();
      s3.destroy();
      sns?.destroy();
    },
  };
}

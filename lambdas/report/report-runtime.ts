import { userCatalogLoader } from '../shared/user-catalog.ts';
import { createDynamoClients } from '../../src/adapters/dynamodb/create-dynamo-clients.ts';
import { DynamoFleetStore } from '../../src/adapters/dynamodb/dynamo-fleet-store.ts';
import { createS3Client } from '../../src/adapters/s3/create-s3-client.ts';
import { ReportBucket } from '../../src/adapters/s3/report-bucket.ts';
import { createSnsClient } from '../../src/adapters/sns/create-sns-client.ts';
import { ReportTopic } from '../../src/adapters/sns/report-topic.ts';
import { loadAdvisoryParameter } from '../../src/adapters/ssm/advisory-parameter.ts';
import { createSsmClient } from '../../src/adapters/ssm/create-ssm-client.ts';
import type { Catalog } from '../../src/core/advisory/catalog.ts';
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
  // The SSM client lives only while the parameter is read: the report needs it once per container.
  const catalog = userCatalogLoader(env.advisoryParameter, (name) => {
    const ssm = createSsmClient({
      ...region,
      ...(env.aws.ssmEndpoint === undefined ? {} : { endpoint: env.aws.ssmEndpoint }),
    });
    return loadAdvisoryParameter(ssm, name).finally(() => ssm.destroy());
  });
  return {
    store: new DynamoFleetStore({ doc: dynamo.doc, tableName: env.tableName }),
    bucket: new ReportBucket({ client: s3, bucket: env.reportBucket }),
    ...(sns === undefined || env.reportTopicArn === undefined
      ? {}
      : { topic: new ReportTopic({ client: sns, topicArn: env.reportTopicArn }) }),
    catalog,
    destroy() {
      dynamo.destroy();
      s3.destroy();
      sns?.destroy();
    },
  };
}

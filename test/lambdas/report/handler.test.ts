import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createReportHandler } from '../../../lambdas/report/handler.ts';
import { REPORT_METRICS, type ReportMetricsSink } from '../../../lambdas/report/report-metrics.ts';
import type { ReportRuntime } from '../../../lambdas/report/report-runtime.ts';
import { InvalidEnvironmentError } from '../../../lambdas/shared/env.ts';
import { ReportBucket } from '../../../src/adapters/s3/report-bucket.ts';
import { ReportStorageError } from '../../../src/adapters/s3/report-storage-error.ts';
import { ReportTopic } from '../../../src/adapters/sns/report-topic.ts';
import { builtinCatalog } from '../../../src/core/advisory/builtin-catalog.ts';
import { ENV } from '../../../src/shared/runtime-settings.ts';
import { type DynaliteStore, startDynaliteStore } from '../../adapters/dynamodb/dynalite-store.ts';
import { countStatuses, nodeState, scanRun } from '../../core/report/report-fixtures.ts';

const s3 = mockClient(S3Client);
const sns = mockClient(SNSClient);
const silent = new Logger({ serviceName: 'fleet-compliance-test', logLevel: 'SILENT' });
const T1 = '2025-03-01T06:00:00.000Z';
const T2 = '2025-03-02T06:00:00.000Z';
const NOW = new Date('2025-03-02T07:00:00.000Z');

class RecordingMetrics implements ReportMetricsSink {
  readonly published: Record<string, number>[] = [];
  private pending: Record<string, number> = {};
  addMetric(name: string, _unit: string, value: number): void {
    this.pending[name] = value;
  }
  publishStoredMetrics(): void {
    this.published.push(this.pending);
    this.pending = {};
  }
}

describe('report Lambda handler', () => {
  let env: DynaliteStore;
  let empty: DynaliteStore;

  const runtimeOn = (
    store: DynaliteStore['store'],
    catalog = async () => builtinCatalog(),
  ): ReportRuntime => ({
    store,
    bucket: new ReportBucket({ client: new S3Client({ region: 'eu-west-1' }), bucket: 'reports-bucket' }),
    topic: new ReportTopic({
      client: new SNSClient({ region: 'eu-west-1' }),
      topicArn: 'arn:aws:sns:eu-west-1:1:t',
    }),
    catalog,
    destroy: () => {},
  });

  beforeAll(async () => {
    [env, empty] = await Promise.all([startDynaliteStore(), startDynaliteStore()]);
    const r1 = [
      nodeState({ node: 'i-a', runId: 'r1', at: T1 }),
      nodeState({ node: 'i-b', runId: 'r1', at: T1 }),
    ];
    const r2 = [
      nodeState({
        node: 'i-a',
        runId: 'r2',
        at: T2,
        findings: [['SYSTEMD-DBUS-COOKIE-OVERFLOW', 'high', true]],
      }),
      nodeState({ node: 'i-b', runId: 'r2', at: T2 }),
      nodeState({ node: 'i-c', runId: 'r2', at: T2 }),
    ];
    await env.store.putNodeStates(r1);
    await env.store.putNodeStates(r2);
    await env.store.saveRun(scanRun('r1', T1, 'COMPLETE', { byStatus: countStatuses(r1) }));
    await env.store.saveRun(scanRun('r2', T2, 'COMPLETE', { byStatus: countStatuses(r2) }));
  });
  afterAll(async () => {
    await Promise.all([env?.close(), empty?.close()]);
  });
  beforeEach(() => {
    s3.reset();
    sns.reset();
    s3.on(PutObjectCommand).resolves({});
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('none'), { name: 'NoSuchKey' }));
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  });

  it('writes the three files twice, publishes the summary and emits the counts', async () => {
    const metrics = new RecordingMetrics();
    const handler = createReportHandler({
      runtime: runtimeOn(env.store),
      logger: silent,
      metrics,
      clock: { now: () => NOW },
    });

    const result = await handler({}, { awsRequestId: 'req-1' });

    expect(result).toMatchObject({
      status: 'written',
      runId: 'r2',
      summary: '1 of 3 nodes is at risk; 1 shows a hang in progress.',
    });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(6);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Key: 'reports/2025-03-02/r2/report.html' });
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Key: 'reports/latest/report.json' });
    const publish = sns.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(publish.Subject).toBe('Fleet compliance: 1 of 3 nodes at risk, 1 hang (scan 2025-03-02)');
    expect(publish.Message).toContain('newly at risk:     1');
    expect(publish.Message).toContain('s3://reports-bucket/reports/latest/report.html');
    expect(metrics.published).toEqual([
      {
        [REPORT_METRICS.atRisk]: 1,
        [REPORT_METRICS.hangs]: 1,
        [REPORT_METRICS.newlyAtRisk]: 1,
        [REPORT_METRICS.remediated]: 0,
        [REPORT_METRICS.newlyUnreachable]: 0,
        [REPORT_METRICS.notSeen]: 0,
        [REPORT_METRICS.scanAge]: 3000,
      },
    ]);
  });

  it("names new nodes from the previous scan's report in latest/", async () => {
    const previous = JSON.stringify({
      formatVersion: 1,
      scan: { runId: 'r1' },
      nodes: [{ node: 'i-a' }, { node: 'i-b' }],
    });
    s3.on(GetObjectCommand).resolves({ Body: { transformToString: async () => previous } as never });
    const metrics = new RecordingMetrics();
    const handler = createReportHandler({
      runtime: runtimeOn(env.store),
      logger: silent,
      metrics,
      clock: { now: () => NOW },
    });

    await handler();

    const json = JSON.parse(
      String(
        s3.commandCalls(PutObjectCommand).find((c) => c.args[0].input.Key === 'reports/latest/report.json')!
          .args[0].input.Body,
      ),
    );
    expect(json.changes.newNodes.map((n: { node: string }) => n.node)).toEqual(['i-c']);
    expect(metrics.published[0]![REPORT_METRICS.newNodes]).toBe(1);
  });

  it('still writes the report when the earlier one or the user catalog cannot be read', async () => {
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    const broken = async () => {
      throw new Error('parameter gone');
    };
    const handler = createReportHandler({
      runtime: runtimeOn(env.store, broken),
      logger: silent,
      metrics: new RecordingMetrics(),
      clock: { now: () => NOW },
    });

    expect(await handler()).toMatchObject({ status: 'written' });
  });

  it('skips quietly before any scan has completed', async () => {
    const handler = createReportHandler({
      runtime: runtimeOn(empty.store),
      logger: silent,
      metrics: new RecordingMetrics(),
      clock: { now: () => NOW },
    });

    expect(await handler()).toEqual({ status: 'skipped', reason: 'no complete scan in the store yet' });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('fails the invocation when S3 refuses the report', async () => {
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    const handler = createReportHandler({
      runtime: runtimeOn(env.store),
      logger: silent,
      metrics: new RecordingMetrics(),
      clock: { now: () => NOW },
    });

    await expect(handler()).rejects.toBeInstanceOf(ReportStorageError);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('names the missing bucket variable when the environment lacks it', async () => {
    const handler = createReportHandler({
      env: { [ENV.tableName]: 'fleet', [ENV.documentName]: 'FleetComplianceProbe' },
      logger: silent,
      metrics: new RecordingMetrics(),
    });

    const failure = await handler().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(InvalidEnvironmentError);
    expect((failure as Error).message).toBe(`environment variable ${ENV.reportBucket} is not set`);
  });
});

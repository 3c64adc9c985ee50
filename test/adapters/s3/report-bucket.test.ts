import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReportBucket } from '../../../src/adapters/s3/report-bucket.ts';
import { ReportStorageError } from '../../../src/adapters/s3/report-storage-error.ts';
import type { ReportFile } from '../../../src/core/report/render-report-files.ts';

const s3 = mockClient(S3Client);
const FILES: ReportFile[] = [
  { name: 'report.html', contentType: 'text/html; charset=utf-8', body: '<!doctype html>' },
  { name: 'report.json', contentType: 'application/json; charset=utf-8', body: '{}' },
  { name: 'report.csv', contentType: 'text/csv; charset=utf-8', body: 'node\r\n' },
];
const SCAN = { runId: 'run-2025-03-01T06:00:00Z-abc', startedAt: '2025-03-01T06:00:00.000Z' };

function serviceError(name: string): Error {
  return Object.assign(new Error(`${name} from the service`), { name, $fault: 'client', $metadata: {} });
}

describe('ReportBucket', () => {
  let bucket: ReportBucket;

  beforeEach(() => {
    s3.reset();
    bucket = new ReportBucket({ client: new S3Client({ region: 'eu-west-1' }), bucket: 'reports-bucket' });
  });
  afterEach(() => s3.reset());

  it("writes each file under the scan's folder and under latest/, the scan's copies first", async () => {
    s3.on(PutObjectCommand).resolves({});

    const stored = await bucket.putReport(SCAN, FILES);

    expect(stored.prefix).toBe('reports/2025-03-01/run-2025-03-01T06_00_00Z-abc/');
    expect(stored.latestPrefix).toBe('reports/latest/');
    const keys = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key);
    expect(keys).toEqual([
      'reports/2025-03-01/run-2025-03-01T06_00_00Z-abc/report.html',
      'reports/2025-03-01/run-2025-03-01T06_00_00Z-abc/report.json',
      'reports/2025-03-01/run-2025-03-01T06_00_00Z-abc/report.csv',
      'reports/latest/report.html',
      'reports/latest/report.json',
      'reports/latest/report.csv',
    ]);
    expect(stored.keys).toEqual(keys);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'reports-bucket',
      Key: 'reports/latest/report.csv',
      ContentType: 'text/csv; charset=utf-8',
      ContentDisposition: 'attachment; filename="report.csv"',
      CacheControl: 'no-cache',
    });
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Key: 'reports/2025-03-01/run-2025-03-01T06_00_00Z-abc/report.html',
      ContentType: 'text/html; charset=utf-8',
      Body: '<!doctype html>',
    });
  });

  it('keeps a hostile run id and start time inside one key segment', async () => {
    s3.on(PutObjectCommand).resolves({});

    const stored = await bucket.putReport(
      { runId: '../../etc/passwd', startedAt: 'yesterday' },
      FILES.slice(0, 1),
    );

    expect(stored.prefix).toBe('reports/undated/__.._etc_passwd/');
  });

  it('names the bucket, key and operation when S3 refuses a write', async () => {
    s3.on(PutObjectCommand).rejects(serviceError('AccessDenied'));

    const failure = await bucket.putReport(SCAN, FILES).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(ReportStorageError);
    expect((failure as Error).message).toMatch(
      /^S3 PutObject of s3:\/\/reports-bucket\/reports\/2025-03-01\/.* failed: AccessDenied/,
    );
  });

  it('reads the latest report.json back, and nothing when there is none', async () => {
    // The SDK's stream body, reduced to the one method the adapter calls.
    const body = { transformToString: async () => '{"formatVersion":1}' } as never;
    s3.on(GetObjectCommand, { Key: 'reports/latest/report.json' })
      .resolvesOnce({ Body: body, ContentLength: 19 })
      .rejects(serviceError('NoSuchKey'));

    expect(await bucket.readLatestReportJson()).toEqual({ formatVersion: 1 });
    expect(await bucket.readLatestReportJson()).toBeUndefined();
    s3.on(GetObjectCommand).rejects(serviceError('AccessDenied'));
    await expect(bucket.readLatestReportJson()).rejects.toBeInstanceOf(ReportStorageError);
  });
});

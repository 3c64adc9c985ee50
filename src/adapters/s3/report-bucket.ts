import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ReportFile } from '../../core/report/render-report-files.ts';
import { ReportStorageError } from './report-storage-error.ts';
import { latestReportKey, latestReportPrefix, REPORT_ROOT } from '../../shared/report-keys.ts';

/** Where one report's files went. */
export interface StoredReport {
  /** `reports/<scan date>/<runId>/`: one folder per scan, kept by the bucket's lifecycle rule. */
  readonly prefix: string;
  /** `reports/latest/`: always the newest report (a stable link for bookmarks). */
  readonly latestPrefix: string;
  readonly keys: readonly string[];
}

export interface ReportBucketOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** Default `reports`. */
  readonly root?: string;
}

/** An earlier report.json bigger than this is not read back (a 100k-node report is about 50 MB). */
const MAX_LATEST_JSON_BYTES = 200 * 1024 * 1024;

/**
 * The report bucket: each report is written twice, under its scan's folder and under `latest/`.
 * The scan's folder is named by the scan (its start date and run id), not by the time of writing,
 * so writing the report of one scan again replaces it instead of adding a copy. The bucket's
 * default encryption (the stack's KMS key) applies; nothing here sets keys or ACLs.
 */
export class ReportBucket {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly root: string;

  constructor(options: ReportBucketOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.root = options.root ?? REPORT_ROOT;
  }

  get name(): string {
    return this.bucket;
  }

  /** The scan's folder first, then `latest/`: `latest/` never names a report whose own copy is missing. */
  async putReport(
    scan: { readonly runId: string; readonly startedAt: string },
    files: readonly ReportFile[],
  ): Promise<StoredReport> {
    const prefix = `${this.root}/${scanDate(scan.startedAt)}/${safeSegment(scan.runId)}/`;
    const latestPrefix = latestReportPrefix(this.root);
    const dated = await Promise.all(
      files.map((file) => this.put(`${prefix}${file.name}`, file, scan.runId, false)),
    );
    const latest = await Promise.all(
      files.map((file) => this.put(`${latestPrefix}${file.name}`, file, scan.runId, true)),
    );
    return { prefix, latestPrefix, keys: [...dated, ...latest] };
  }

  /**
   * The JSON of `latest/report.json` as written last time (parsed), or undefined when there is
   * none yet or it is too large; the caller decides what a malformed one means.
   */
  async readLatestReportJson(): Promise<unknown> {
    const key = latestReportKey(this.root);
    let text: string;
    try {
      const output = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if ((output.ContentLength ?? 0) > MAX_LATEST_JSON_BYTES || !output.Body) return undefined;
      text = await output.Body.transformToString('utf-8');
    } catch (error) {
      if (error instanceof Error && (error.name === 'NoSuchKey' || error.name === 'NotFound'))
        return undefined;
      throw new ReportStorageError('GetObject', this.bucket, key, error);
    }
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  }

  /** `s3://bucket/key` of a key, for messages. */
  url(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  private async put(key: string, file: ReportFile, runId: string, isLatest: boolean): Promise<string> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: file.body,
          ContentType: file.contentType,
          // A browser opening the CSV saves it instead of showing text; the HTML opens in place.
          ...(file.name === 'report.csv' ? { ContentDisposition: 'attachment; filename="report.csv"' } : {}),
          ...(isLatest ? { CacheControl: 'no-cache' } : {}),
          Metadata: { 'scan-run-id': safeSegment(runId) },
        }),
      );
    } catch (error) {
      throw new ReportStorageError('PutObject', this.bucket, key, error);
    }
    return key;
  }
}

/** `YYYY-MM-DD` of the scan's start (UTC), or `undated` for a malformed time. */
function scanDate(startedAt: string): string {
  const date = startedAt.slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : 'undated';
}

/** A run id as one key segment: no `/`, no `..`, nothing outside S3's safe characters. */
function safeSegment(value: string): string {
  const safe = value.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return safe.length === 0 ? '_' : safe.slice(0, 200);
}

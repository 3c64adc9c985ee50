import { Aws } from 'aws-cdk-lib';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import { latestReportKey, REPORT_ROOT } from '../../src/shared/report-keys.ts';
import { acknowledgeFindings, wildcardResourceFinding } from '../nag/nag-findings.ts';

/**
 * Grants on the stack's own data, written out action by action instead of CDK's grant helpers:
 * those add wildcard actions (`kms:ReEncrypt*`, `kms:GenerateDataKey*`, `s3:Abort*`, `s3:DeleteObject*`)
 * and `index/*` resources a reviewer would have to reason about. Every KMS use is tied to the one
 * service that needs it (`kms:ViaService`), so a role can never decrypt data key material directly.
 */

const TABLE_READ_ACTIONS = [
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
] as const;
const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
] as const;

export interface TableRef {
  readonly tableArn: string;
  /** ARNs of the table's indexes, listed one by one (no `index/*`). */
  readonly indexArns: readonly string[];
  readonly keyArn: string;
}

/** Read items and query the table and its indexes (the statement both grants below share). */
function readTableStatement(table: TableRef): PolicyStatement {
  return new PolicyStatement({
    sid: 'ReadFleetTable',
    actions: [...TABLE_READ_ACTIONS],
    resources: [table.tableArn, ...table.indexArns],
  });
}

/** Read items and query the indexes. */
export function tableReadStatements(table: TableRef): PolicyStatement[] {
  return [
    readTableStatement(table),
    viaService('DecryptFleetTable', ['kms:Decrypt', 'kms:DescribeKey'], table.keyArn, 'dynamodb'),
  ];
}

/** Read and write items (conditional writes included: the scan lock is one). */
export function tableReadWriteStatements(table: TableRef): PolicyStatement[] {
  return [
    readTableStatement(table),
    new PolicyStatement({
      sid: 'WriteFleetTable',
      actions: [...TABLE_WRITE_ACTIONS],
      resources: [table.tableArn],
    }),
    viaService(
      'UseKeyForFleetTable',
      ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
      table.keyArn,
      'dynamodb',
    ),
  ];
}

/** Where the report Lambda keeps reports (src/shared/report-keys.ts): `reports/<date>/<run>/`, `reports/latest/`. */
export const REPORT_PREFIX = `${REPORT_ROOT}/`;
/** The one object the report Lambda reads back: the previous report, for the "since last report" changes. */
export const LATEST_REPORT_KEY = latestReportKey();

/**
 * Write report objects under `reports/` and read back only the latest report.json. ListBucket on
 * the bucket itself (key names only) makes S3 answer 404 rather than 403 for a report.json that
 * does not exist yet (the first run). No delete: old reports expire by lifecycle rule.
 */
export function reportWriteStatements(bucketArn: string, keyArn: string): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'PutReports',
      actions: ['s3:PutObject'],
      resources: [`${bucketArn}/${REPORT_PREFIX}*`],
    }),
    new PolicyStatement({
      sid: 'ReadLatestReport',
      actions: ['s3:GetObject'],
      resources: [`${bucketArn}/${LATEST_REPORT_KEY}`],
    }),
    new PolicyStatement({
      sid: 'TellMissingFromForbidden',
      actions: ['s3:ListBucket'],
      resources: [bucketArn],
    }),
    viaService('UseKeyForReports', ['kms:GenerateDataKey', 'kms:Decrypt'], keyArn, 's3'),
  ];
}

/** Adds reportWriteStatements to `role`; the object ARN `<bucket>/reports/*` is acknowledged for cdk-nag IAM5. */
export function grantReportWrite(role: Role, bucketArn: string, keyArn: string): void {
  for (const statement of reportWriteStatements(bucketArn, keyArn)) role.addToPrincipalPolicy(statement);
  acknowledgeFindings(
    role,
    [wildcardResourceFinding(role, `${bucketArn}/${REPORT_PREFIX}*`)],
    "s3:PutObject (and nothing else) under reports/ in the stack's own report bucket: report keys carry " +
      'the scan date and run id, so they cannot be listed at deploy time. Reading is limited to the one ' +
      'key reports/latest/report.json; no delete.',
  );
}

/** Publish report summaries to the stack's topic. */
export function topicPublishStatements(topicArn: string, keyArn: string): PolicyStatement[] {
  return [
    new PolicyStatement({ sid: 'PublishReportSummary', actions: ['sns:Publish'], resources: [topicArn] }),
    viaService('EncryptReportSummary', ['kms:GenerateDataKey', 'kms:Decrypt'], keyArn, 'sns'),
  ];
}

/**
 * Read the user's advisory catalog parameter, by its ARN. A SecureString must use the default
 * `aws/ssm` key, whose key policy already lets the account's principals decrypt through SSM.
 */
export function advisoryParameterStatements(parameterArn: string): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'ReadAdvisoryCatalogParameter',
      actions: ['ssm:GetParameter'],
      resources: [parameterArn],
    }),
  ];
}

function viaService(sid: string, actions: string[], keyArn: string, service: string): PolicyStatement {
  return new PolicyStatement({
    sid,
    actions,
    resources: [keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `${service}.${Aws.REGION}.amazonaws.com` } },
  });
}

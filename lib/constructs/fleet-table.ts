import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import {
  ATTENTION_INDEX_NAME,
  ATTENTION_PARTITION_KEY,
  ATTENTION_PROJECTION,
  ATTENTION_SORT_KEY,
  TABLE_BILLING_MODE,
  TABLE_PARTITION_KEY,
  TABLE_SORT_KEY,
  TABLE_TTL_ATTRIBUTE,
} from '../../src/shared/table-schema.ts';
import type { TableRef } from '../policies/data-access-statements.ts';

export interface FleetTableProps {
  /** Customer managed key the table is encrypted with. */
  readonly encryptionKey: IKey;
}

/**
 * The single fleet table (latest node state, history, scan runs, the scan lock), keyed as
 * src/shared/table-schema.ts says so the Lambdas and the embedded store agree. On-demand billing
 * (scans write in bursts every few hours and nothing in between), the sparse `attention` index so
 * the at-risk list costs in proportion to the at-risk nodes, TTL on `ttl` for history, point-in-time
 * recovery (35 days), deletion protection, and RETAIN: deleting the stack never deletes the
 * fleet's history.
 */
export class FleetTable extends Construct {
  readonly table: Table;
  /** What the permission helpers need: table and index ARNs, and the key. */
  readonly ref: TableRef;

  constructor(scope: Construct, id: string, props: FleetTableProps) {
    super(scope, id);
    // Table, not TableV2: TableV2 renders a customer managed key per replica Region, which needs
    // a concrete Region at synth; this stack stays Region-agnostic (synth offline, deploy anywhere).
    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_PARTITION_KEY, type: AttributeType.STRING },
      sortKey: { name: TABLE_SORT_KEY, type: AttributeType.STRING },
      billingMode: BillingMode[TABLE_BILLING_MODE],
      timeToLiveAttribute: TABLE_TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: ATTENTION_INDEX_NAME,
      partitionKey: { name: ATTENTION_PARTITION_KEY, type: AttributeType.STRING },
      sortKey: { name: ATTENTION_SORT_KEY, type: AttributeType.STRING },
      projectionType: ProjectionType[ATTENTION_PROJECTION],
    });
    this.ref = {
      tableArn: this.table.tableArn,
      indexArns: [`${this.table.tableArn}/index/${ATTENTION_INDEX_NAME}`],
      keyArn: props.encryptionKey.keyArn,
    };
  }
}

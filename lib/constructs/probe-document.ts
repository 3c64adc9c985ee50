import { readFileSync } from 'node:fs';
import { Stack } from 'aws-cdk-lib';
import { CfnDocument } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { buildProbeDocument } from '../../src/core/probe/ssm-document.ts';

export interface ProbeDocumentProps {
  /** Path of the probe script read at synth time (probe/probe.sh), so SSM runs the tested file. */
  readonly scriptPath: string;
}

/**
 * The stack's own SSM Command document: one aws:runShellScript step holding the probe script
 * verbatim. The scanner's role may send this document and no other, so what runs as root on the
 * nodes is fixed at deploy time and reviewable in the template. No physical name: CloudFormation
 * names it, and a changed script replaces the document (the Lambdas get the new name).
 */
export class ProbeDocument extends Construct {
  readonly document: CfnDocument;
  /** The name SendCommand takes. */
  readonly documentName: string;
  /** The ARN IAM scopes ssm:SendCommand to. */
  readonly documentArn: string;

  constructor(scope: Construct, id: string, props: ProbeDocumentProps) {
    super(scope, id);
    const content = buildProbeDocument(readFileSync(props.scriptPath, 'utf8'));
    // No targetType: EC2 instances and hybrid (mi-) managed nodes are both targets; the step's own
    // precondition keeps it to Linux.
    this.document = new CfnDocument(this, 'Document', {
      documentType: 'Command',
      documentFormat: 'JSON',
      content,
    });
    this.documentName = this.document.ref;
    this.documentArn = Stack.of(this).formatArn({
      service: 'ssm',
      resource: 'document',
      resourceName: this.document.ref,
    });
  }
}

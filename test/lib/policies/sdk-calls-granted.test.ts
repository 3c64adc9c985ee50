import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asArray, buildStack, policyStatements } from '../stack-fixture.ts';

/**
 * Drift guard between the runtime and the IAM policies: every AWS SDK command the adapters send
 * (src/adapters is the only code that imports @aws-sdk/*) must be allowed to some role of the
 * stack. A new call without a grant would otherwise fail only in AWS, with AccessDenied.
 */
const ADAPTERS = new URL('../../../src/adapters/', import.meta.url);

/** IAM service prefix per SDK package. */
const SERVICE_OF_PACKAGE: Record<string, string> = {
  '@aws-sdk/client-ssm': 'ssm',
  '@aws-sdk/client-s3': 's3',
  '@aws-sdk/client-sns': 'sns',
  '@aws-sdk/client-resource-groups-tagging-api': 'tag',
  '@aws-sdk/client-dynamodb': 'dynamodb',
  '@aws-sdk/lib-dynamodb': 'dynamodb',
};
/** lib-dynamodb's document commands and the DynamoDB actions they need. */
const DOCUMENT_CLIENT_ACTIONS: Record<string, string> = {
  Put: 'PutItem',
  Get: 'GetItem',
  Delete: 'DeleteItem',
  Update: 'UpdateItem',
  Query: 'Query',
  Scan: 'Scan',
  BatchWrite: 'BatchWriteItem',
  BatchGet: 'BatchGetItem',
};
/** Calls only the embedded (local) store makes: the stack creates the table itself. */
const LOCAL_ONLY = new Set(['dynamodb:CreateTable']);

function adapterFiles(dir: URL): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? adapterFiles(new URL(`${entry.name}/`, dir))
      : entry.name.endsWith('.ts')
        ? [join(dir.pathname, entry.name)]
        : [],
  );
}

/** `service:Action` for each `*Command` a file imports from an SDK package. */
function sdkActions(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const actions: string[] = [];
  for (const match of text.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'(@aws-sdk\/[^']+)'/g)) {
    const service = SERVICE_OF_PACKAGE[match[2]!];
    if (service === undefined) continue;
    for (const raw of match[1]!.split(',')) {
      const name = raw.trim().replace(/^type\s+/, '');
      const command = /^(\w+)Command$/.exec(name)?.[1];
      if (command === undefined || raw.trim().startsWith('type ') || !text.includes(`new ${name}(`)) continue;
      const action =
        match[2] === '@aws-sdk/lib-dynamodb' ? (DOCUMENT_CLIENT_ACTIONS[command] ?? command) : command;
      actions.push(`${service}:${action}`);
    }
  }
  return actions;
}

describe('IAM grants cover the SDK calls', () => {
  const granted = new Set(
    [
      ...policyStatements(buildStack().template),
      ...policyStatements(buildStack({ advisoryParameterName: '/fleet/advisories' }).template),
    ].flatMap(({ statement }) => asArray(statement.Action)),
  );
  const calls = [...new Set(adapterFiles(ADAPTERS).flatMap(sdkActions))].sort();

  it('finds the adapters and their calls', () => {
    expect(calls).toContain('ssm:SendCommand');
    expect(calls).toContain('dynamodb:BatchWriteItem');
  });

  it.for(calls.filter((call) => !LOCAL_ONLY.has(call)))('grants %s to some role', (call) => {
    expect(granted).toContain(call);
  });
});

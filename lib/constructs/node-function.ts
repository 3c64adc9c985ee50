import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { type PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * nodejs24.x: the newest Lambda Node.js runtime (cdk-nag AwsSolutions-L1 passes without an
 * acknowledgement) and the longest-supported one; our handlers are async ESM, which is all 24
 * accepts. esbuild targets the same version.
 */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;
const ESBUILD_TARGET = 'node24';

/**
 * esbuild's ESM output has no `require`. Today every bundled package resolves to ESM, but a
 * CommonJS dependency calling `require('node:...')` would crash the function at load time; the
 * banner gives the bundle a real `require` so such an update cannot break a deployed scanner.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

export interface NodeFunctionProps {
  /** Absolute path of the handler file (it exports `handler`). */
  readonly entry: string;
  /** Shown in the Lambda console: what the function does. */
  readonly description: string;
  /** Environment variables (names from src/shared/runtime-settings.ts). */
  readonly environment: Readonly<Record<string, string>>;
  /** Retention of the function's own log group. */
  readonly logRetention: RetentionDays;
  /**
   * Memory in MB (CPU scales with it).
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * @default Duration.minutes(1)
   */
  readonly timeout?: Duration;
  /**
   * The function's permissions beyond writing its own logs. Nothing is granted by default.
   * @default - none
   */
  readonly statements?: readonly PolicyStatement[];
}

/**
 * A TypeScript Lambda the way this project deploys them: Node.js 24 on Graviton (arm64, ~20%
 * cheaper per GB-s), one ESM bundle minified with source maps, JSON logs into a log group of its
 * own with a set retention, and a role of its own that starts empty: no AWS managed policy, only
 * `logs:CreateLogStream`/`PutLogEvents` on its log group plus the statements given.
 *
 * The AWS SDK is bundled, not taken from the runtime: the Lambda runs the exact client versions
 * package-lock.json pins and the tests ran (the runtime's copy changes when AWS updates it), and
 * tree-shaking keeps only the clients a handler imports.
 */
export class NodeFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    super(scope, id);
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    // Log groups outlive a deleted stack only as long as their retention: they may hold the only
    // trace of what a scan did, so they are kept (see docs/DEPLOY.md, teardown).
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.logGroup.grantWrite(this.role);
    for (const statement of props.statements ?? []) this.role.addToPrincipalPolicy(statement);

    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.minutes(1),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: { ...props.environment },
      bundling: {
        format: OutputFormat.ESM,
        target: ESBUILD_TARGET,
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        bundleAwsSDK: true,
        banner: ESM_REQUIRE_BANNER,
      },
    });
  }
}

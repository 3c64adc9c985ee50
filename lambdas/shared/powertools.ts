import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { readPowertoolsEnv } from './env.ts';

/** The service name on every log line and metric of the scan Lambdas. */
export const SERVICE_NAME = 'fleet-compliance';

/**
 * One Logger and one Metrics per container, shared by the handler modules (Powertools keeps
 * state such as buffered metrics in them; a new one per invocation would lose it).
 */
export const logger = new Logger({ serviceName: SERVICE_NAME });

export const metrics = new Metrics({
  serviceName: SERVICE_NAME,
  namespace: readPowertoolsEnv().metricsNamespace,
});

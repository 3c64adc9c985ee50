import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { type Catalog, parseCatalog } from '../../core/advisory/catalog.ts';
import { InvalidAdvisoryError } from '../../core/advisory/errors.ts';
import { describeError } from '../../core/errors.ts';
import { translateSsmError } from './translate-ssm-error.ts';

/**
 * Reads a user advisory catalog (the JSON of advisories/catalog.json's format) from an SSM
 * parameter, decrypted when it is a SecureString, and validates it. The caller merges it over
 * the built-in catalog and decides how long to keep it.
 *
 * @throws AdvisoryParameterNotFoundError when the parameter does not exist
 * @throws InvalidAdvisoryError when its value is not JSON or not a valid catalog
 */
export async function loadAdvisoryParameter(client: SSMClient, parameterName: string): Promise<Catalog> {
  const source = `ssm-parameter:${parameterName}`;
  let value: string | undefined;
  try {
    const output = await client.send(new GetParameterCommand({ Name: parameterName, WithDecryption: true }));
    value = output.Parameter?.Value;
  } catch (error) {
    throw translateSsmError(error, 'GetParameter', { parameterName });
  }
  if (value === undefined || value.trim() === '') {
    throw new InvalidAdvisoryError(source, '(parameter)', 'the parameter has no value');
  }
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch (error) {
    throw new InvalidAdvisoryError(
      source,
      '(parameter)',
      `not valid JSON: ${describeError(error)}`,
      undefined,
      {
        cause: error,
      },
    );
  }
  return parseCatalog(json, source);
}

import { validationError, WireError } from './wire-error.ts';

/** A decoded JSON request body. */
export type RequestBody = Readonly<Record<string, unknown>>;

/**
 * Typed reads of request fields. A wrong type answers SerializationException and a broken
 * constraint ValidationException, as AWS does before any operation logic runs.
 */
export function optionalString(body: RequestBody, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw serialization(field);
  return value;
}

export function requiredString(body: RequestBody, field: string): string {
  const value = optionalString(body, field);
  if (value === undefined) throw validationError(lowerFirst(field), 'null', 'Member must not be null');
  return value;
}

export function optionalInteger(
  body: RequestBody,
  field: string,
  min: number,
  max: number,
): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw serialization(field);
  if (value < min) {
    throw validationError(lowerFirst(field), value, `Member must have value greater than or equal to ${min}`);
  }
  if (value > max) {
    throw validationError(lowerFirst(field), value, `Member must have value less than or equal to ${max}`);
  }
  return value;
}

export function optionalBoolean(body: RequestBody, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw serialization(field);
  return value;
}

export function optionalArray(body: RequestBody, field: string): readonly unknown[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw serialization(field);
  return value;
}

export function stringArray(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw serialization(field);
  return value as string[];
}

/** `[{Key, Values}]` (SSM Targets, instance-information filters, tag filters). */
export function keyValuesList(
  body: RequestBody,
  field: string,
  keyName = 'Key',
  valuesName = 'Values',
): { key: string; values: string[] }[] | undefined {
  const list = optionalArray(body, field);
  if (list === undefined) return undefined;
  return list.map((item) => {
    if (item === null || typeof item !== 'object') throw serialization(field);
    const entry = item as Record<string, unknown>;
    const key = entry[keyName];
    if (typeof key !== 'string') throw serialization(`${field}.${keyName}`);
    const values =
      entry[valuesName] === undefined ? [] : stringArray(entry[valuesName], `${field}.${valuesName}`);
    return { key, values };
  });
}

function serialization(field: string): WireError {
  return new WireError('SerializationException', `Unexpected value type for field ${field}`);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

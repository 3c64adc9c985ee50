/**
 * A stored attribute value in its native form (what lib-dynamodb marshals): strings, numbers,
 * booleans, null, lists and maps. The store writes nothing else.
 */
export type StoredValue = string | number | boolean | null | readonly StoredValue[] | StoredMap;
export interface StoredMap {
  readonly [name: string]: StoredValue;
}

/** UTF-8 length without encoding (sizing runs on every item of every scan). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i += 1;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * DynamoDB item size as the write-unit calculation sees it (Developer Guide, "Item sizes and
 * formats"): attribute names and strings by UTF-8 length; a number about one byte per two
 * significant digits plus one (counted here with one byte of slack); boolean and null one byte;
 * a list or map 3 bytes plus one byte per element. Errs on the large side, never the small.
 */
export function itemSizeBytes(item: StoredMap): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += utf8ByteLength(name) + valueSizeBytes(value);
  return size;
}

export function valueSizeBytes(value: StoredValue): number {
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return utf8ByteLength(value);
  if (typeof value === 'number') return numberSizeBytes(value);
  if (Array.isArray(value)) {
    let size = 3;
    for (const element of value as readonly StoredValue[]) size += 1 + valueSizeBytes(element);
    return size;
  }
  let size = 3;
  for (const [name, element] of Object.entries(value as StoredMap)) {
    size += 1 + utf8ByteLength(name) + valueSizeBytes(element);
  }
  return size;
}

function numberSizeBytes(value: number): number {
  const digits = Math.abs(value)
    .toExponential()
    .replace(/e.*$/, '')
    .replace(/[^0-9]/g, '').length;
  return 2 + Math.ceil(digits / 2) + (value < 0 ? 1 : 0);
}

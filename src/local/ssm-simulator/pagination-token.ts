import { WireError } from './wire-error.ts';

/**
 * Opaque NextToken / PaginationToken: where the next page starts, bound to the listing it came
 * from (a token from one listing or one set of filters is refused by another, as AWS does).
 */
export interface PageCursor {
  /** Which listing, plus anything that must not change between pages (ids, filters). */
  readonly scope: string;
  readonly position: readonly number[];
}

export function encodePageToken(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify({ s: cursor.scope, p: cursor.position }), 'utf8').toString('base64url');
}

export function decodePageToken(token: string, scope: string, code = 'InvalidNextToken'): readonly number[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new WireError(code, 'The specified token is not valid.');
  }
  const candidate = parsed as { s?: unknown; p?: unknown };
  if (
    candidate === null ||
    typeof candidate !== 'object' ||
    candidate.s !== scope ||
    !Array.isArray(candidate.p) ||
    !candidate.p.every((n) => Number.isInteger(n) && n >= 0)
  ) {
    throw new WireError(code, 'The specified token is not valid.');
  }
  return candidate.p as number[];
}

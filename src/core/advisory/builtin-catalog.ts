import builtin from '../../../advisories/catalog.json' with { type: 'json' };
import { type Catalog, parseCatalog } from './catalog.ts';

let cached: Catalog | undefined;

/** The advisories shipped with the product (advisories/catalog.json), validated once. */
export function builtinCatalog(): Catalog {
  cached ??= parseCatalog(builtin, 'advisories/catalog.json');
  return cached;
}

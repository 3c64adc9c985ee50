import { readFile } from 'node:fs/promises';
import { builtinCatalog } from '../core/advisory/builtin-catalog.ts';
import { type Catalog, mergeCatalogs, parseCatalog, selectAdvisories } from '../core/advisory/catalog.ts';
import { InvalidAdvisoryError } from '../core/advisory/errors.ts';
import { describeError } from '../core/errors.ts';

/** A user catalog larger than this is refused (the built-in one is about 20 KB). */
const MAX_CATALOG_BYTES = 4 * 1024 * 1024;

/** The built-in catalog, merged with a user file (`--advisories`) and cut to `--only` ids. */
export async function loadCatalog(options: { advisories?: string; only?: string }): Promise<Catalog> {
  let catalog = builtinCatalog();
  if (options.advisories) {
    const path = options.advisories;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new InvalidAdvisoryError(path, '(file)', `cannot read: ${describeError(error)}`, undefined, { cause: error });
    }
    if (text.length > MAX_CATALOG_BYTES) throw new InvalidAdvisoryError(path, '(file)', 'larger than 4 MiB');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new InvalidAdvisoryError(path, '(file)', `not valid JSON: ${describeError(error)}`, undefined, { cause: error });
    }
    catalog = mergeCatalogs(catalog, parseCatalog(json, path));
  }
  if (options.only) {
    const ids = options.only
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    catalog = selectAdvisories(catalog, ids);
  }
  return catalog;
}

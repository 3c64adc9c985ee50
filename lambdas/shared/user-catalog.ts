import { builtinCatalog } from '../../src/core/advisory/builtin-catalog.ts';
import { type Catalog, mergeCatalogs } from '../../src/core/advisory/catalog.ts';

/**
 * The catalog a Lambda judges with: the built-in one, merged with the user's from the SSM
 * parameter when one is configured. Read once per container and kept; a failed read is not kept,
 * so the next invocation tries again (the caller decides what a failure means for this one).
 */
export function userCatalogLoader(
  parameter: string | undefined,
  readParameter: (name: string) => Promise<Catalog>,
): () => Promise<Catalog> {
  let merged: Promise<Catalog> | undefined;
  return () => {
    if (parameter === undefined) return Promise.resolve(builtinCatalog());
    if (merged === undefined) {
      const loading = readParameter(parameter).then((user) => mergeCatalogs(builtinCatalog(), user));
      merged = loading;
      loading.catch(() => {
        if (merged === loading) merged = undefined;
      });
    }
    return merged;
  };
}

// Prints the README's advisories table from advisories/catalog.json, so the docs follow the data:
//   npx tsx scripts/advisories-table.ts
// test/docs/readme.test.ts fails when the README's table differs from this output.
import { builtinCatalog } from '../src/core/advisory/builtin-catalog.ts';
import { renderAdvisoriesTable } from '../src/core/render/advisories-table.ts';

process.stdout.write(renderAdvisoriesTable(builtinCatalog()));

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../src/core/advisory/builtin-catalog.ts';
import { renderAdvisoriesTable } from '../../src/core/render/advisories-table.ts';

const readme = readFileSync('README.md', 'utf8');

describe('README', () => {
  it('shows the two quick-start commands', () => {
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm ci && npm test');
  });

  it('carries the advisories table generated from the catalog (npx tsx scripts/advisories-table.ts)', () => {
    expect(readme).toContain(renderAdvisoriesTable(builtinCatalog()));
  });
});

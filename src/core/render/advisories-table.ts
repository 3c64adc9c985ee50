import type { Catalog } from '../advisory/catalog.ts';
import type { Condition, DistroFix, Range } from '../advisory/schema.ts';

function range(r: Range): string {
  const parts: string[] = [];
  if (r.introduced) parts.push(`>= ${r.introduced}`);
  if (r.fixed) parts.push(`< ${r.fixed}`);
  if (r.lastAffected) parts.push(`<= ${r.lastAffected}`);
  return parts.join(' and ');
}

function distro(d: DistroFix): string {
  const where = `${d.os.join('/')} ${d.versions.join('/')}${d.stream ? ` (stream \`${d.stream}\`)` : ''}`;
  return d.notAffected ? `${where}: not affected` : `${where}: \`${d.fixed}\``;
}

/** "Affected" and "fixed" columns in words, read from the advisory's condition tree. */
function describeCondition(condition: Condition): { affected: string[]; fixed: string[] } {
  if ('all' in condition || 'any' in condition) {
    const children = 'all' in condition ? condition.all : condition.any;
    const joined = children.map(describeCondition);
    const word = 'all' in condition ? ' AND ' : ' OR ';
    return {
      affected: [joined.map((j) => j.affected.join('; ')).filter(Boolean).join(word)],
      fixed: joined.flatMap((j) => j.fixed),
    };
  }
  if ('not' in condition) return { affected: [`not (${describeCondition(condition.not).affected.join('; ')})`], fixed: [] };
  if ('differ' in condition) return { affected: [`\`${condition.differ[0]}\` differs from \`${condition.differ[1]}\``], fixed: [] };
  if ('fact' in condition) {
    const f = condition.fact;
    const test =
      f.equals !== undefined
        ? `= ${f.equals}`
        : f.matches !== undefined
          ? `matches \`${f.matches}\``
          : f.state !== undefined
            ? `is ${f.state}`
            : f.in !== undefined
              ? `in ${f.in.join(', ')}`
              : 'set';
    return { affected: [`\`${f.key}\` ${test}`], fixed: [] };
  }
  const v = condition.version;
  return {
    affected: [`${v.component} ${v.ranges.map(range).join(' or ')}`],
    fixed: (v.distros ?? []).map(distro),
  };
}

/** The README's advisories table (markdown). */
export function renderAdvisoriesTable(catalog: Catalog): string {
  const rows = catalog.advisories.map((a) => {
    const { affected, fixed } = describeCondition(a.match);
    const refs = a.references.map((r, i) => `[${i + 1}](${r})`).join(' ');
    const cell = (s: string): string => s.replace(/\|/g, '\\|');
    return `| \`${a.id}\` | ${cell(a.title)} (${a.severity}) | ${cell(affected.join('; '))} | ${cell(fixed.join('; ') || 'upstream range only')} | ${refs} |`;
  });
  return ['| id | what (severity) | affected | distro fixed-in | references |', '|---|---|---|---|---|', ...rows, ''].join('\n');
}

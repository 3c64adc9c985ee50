/** A plain-text table with padded columns; cells are cut to `maxWidth` with an ellipsis. */
export function renderTextTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  options: { maxWidth?: number } = {},
): string {
  const maxWidth = options.maxWidth ?? 60;
  const clip = (s: string): string => (s.length > maxWidth ? `${s.slice(0, maxWidth - 1)}…` : s);
  const cells = [headers, ...rows].map((r) => r.map((c) => clip(c.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' '))));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n');
}

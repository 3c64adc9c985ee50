/**
 * The names closest to what someone typed, for "did you mean" hints: names containing it (or
 * contained in it) first, then by edit distance, at most `limit`, only reasonably close ones.
 */
export function closestNames(input: string, names: readonly string[], limit = 5): string[] {
  const wanted = input.toLowerCase();
  const scored = [...new Set(names)].map((name) => {
    const lower = name.toLowerCase();
    const contains = lower.includes(wanted) || wanted.includes(lower);
    return { name, contains, distance: editDistance(wanted, lower) };
  });
  const threshold = Math.max(2, Math.floor(wanted.length / 2));
  return scored
    .filter((s) => s.contains || s.distance <= threshold)
    .sort(
      (a, b) =>
        Number(b.contains) - Number(a.contains) ||
        a.distance - b.distance ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    )
    .slice(0, limit)
    .map((s) => s.name);
}

/** Levenshtein distance, two rows. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

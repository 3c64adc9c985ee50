/**
 * Cases per fast-check property. `npm test` keeps to the CI budget with a few thousand per target;
 * `npm run test:heavy` sets FLEET_FUZZ_RUNS=100000 for a long local run. A failure prints the seed
 * and the shrunk case; replay it with `fc.assert(..., { seed, path })`.
 */
export function fuzzRuns(defaultRuns: number): number {
  const raw = process.env.FLEET_FUZZ_RUNS;
  if (raw === undefined || raw.trim() === '') return defaultRuns;
  const runs = Number(raw);
  if (!Number.isInteger(runs) || runs < 1) throw new TypeError(`FLEET_FUZZ_RUNS must be a positive integer, got ${raw}`);
  return runs;
}

/** A per-test timeout that grows with the runs, so the heavy run is not cut short by vitest's 30 s. */
export function fuzzTimeoutMs(defaultRuns: number, msPerCase: number): number {
  return Math.max(30_000, Math.ceil(fuzzRuns(defaultRuns) * msPerCase * 3));
}

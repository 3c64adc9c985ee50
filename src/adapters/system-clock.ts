import type { Clock } from '../pipeline/ports.ts';

/** The real clock, for the code that runs outside tests (Lambdas, the local scan). */
export const systemClock: Clock = { now: () => new Date() };

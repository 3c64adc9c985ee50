import { createPrng, mixSeed, type Prng } from '../fleet/prng.ts';

/**
 * Service-side faults the simulator injects on top of the fleet's own: bursts of throttling, the
 * way SSM answers a busy account (research/anchors.md A2: `ThrottlingException: Rate exceeded`,
 * no published rate). A burst starts with `probability` on any call of the operation and then
 * throttles the next `burst - 1` calls too, so retries meet a few refusals in a row.
 */
export interface ThrottleRule {
  readonly probability: number;
  readonly burst: number;
}

export interface FaultPlan {
  /** @default 1 */
  readonly seed?: number;
  /**
   * One rule for every operation, or rules by operation name (`SendCommand`,
   * `ListCommandInvocations`, `GetResources`...). Operations without a rule are never throttled.
   */
  readonly throttle?: ThrottleRule | Readonly<Record<string, ThrottleRule>>;
}

/**
 * What a chaos fleet gets by default: light throttling on every operation, short bursts that the
 * SDK's retries (adaptive, maxAttempts 10) absorb. Throttles are expensive for the client: the
 * SDK backs off from a 500 ms base on throttling errors and adaptive mode also slows later calls
 * (about 2 s per burst measured locally), so 1% keeps a 100,000-node scan (2,000 result pages)
 * within tens of seconds.
 */
export function chaosFaultPlan(seed: number): FaultPlan {
  return { seed, throttle: { probability: 0.01, burst: 2 } };
}

export interface Throttler {
  /** Decides for one call of `operation`; deterministic for a given plan and call sequence. */
  shouldThrottle(operation: string): boolean;
}

export function createThrottler(plan: FaultPlan | undefined): Throttler {
  const throttle = plan?.throttle;
  const seed = plan?.seed ?? 1;
  const state = new Map<string, { prng: Prng; remaining: number }>();
  const ruleFor = (operation: string): ThrottleRule | undefined => {
    if (throttle === undefined) return undefined;
    if (isRule(throttle)) return throttle;
    return throttle[operation];
  };
  return {
    shouldThrottle(operation) {
      const rule = ruleFor(operation);
      if (rule === undefined || rule.probability <= 0) return false;
      let s = state.get(operation);
      if (s === undefined) {
        s = { prng: createPrng(mixSeed(seed, 'throttle', operation)), remaining: 0 };
        state.set(operation, s);
      }
      if (s.remaining > 0) {
        s.remaining -= 1;
        return true;
      }
      if (s.prng.chance(rule.probability)) {
        s.remaining = Math.max(1, Math.floor(rule.burst)) - 1;
        return true;
      }
      return false;
    },
  };
}

function isRule(value: object): value is ThrottleRule {
  return typeof (value as { probability?: unknown }).probability === 'number';
}

/**
 * Seeded randomness for the virtual fleet. Same seed, same fleet: the generator never calls
 * Math.random. mulberry32 is small, fast and good enough to spread nodes over profiles and faults.
 */

export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** A fresh uint32, for seeding a child stream. */
  uint32(): number;
}

export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    uint32: () => Math.floor(next() * 4294967296) >>> 0,
  };
}

/**
 * Mixes a seed with stream labels into one uint32 (murmur3 finalizer), so that independent
 * aspects of the fleet (profiles, faults, hostile values) draw from independent streams: turning
 * chaos on never changes which profile a node got.
 */
export function mixSeed(seed: number, ...labels: readonly (number | string)[]): number {
  let h = seed >>> 0;
  for (const label of labels) {
    const n = typeof label === 'number' ? label >>> 0 : hashString(label);
    h = fmix32((h ^ n) + 0x9e3779b9);
  }
  return h;
}

/** A bijection on uint32 (xorshift-multiply), used where ids must be unique per index. */
export function permute32(value: number): number {
  let x = value >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

/** `count` lowercase hex digits drawn from the stream. */
export function hexDigits(prng: Prng, count: number): string {
  let out = '';
  while (out.length < count) out += (prng.uint32() + 0x100000000).toString(16).slice(1);
  return out.length === count ? out : out.slice(0, count);
}

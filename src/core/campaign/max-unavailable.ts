import type { MaxUnavailable } from './campaign-plan.ts';
import { InvalidCampaignSettingError } from './invalid-campaign-setting-error.ts';

/** `3` (nodes per group per wave) or `25%` (of the group's size); whole numbers only. */
export function parseMaxUnavailable(text: string): MaxUnavailable {
  const trimmed = text.trim();
  const percent = /^(\d{1,3})%$/.exec(trimmed);
  if (percent) {
    const value = Number(percent[1]);
    if (value < 1 || value > 100) {
      throw new InvalidCampaignSettingError(
        'max-unavailable',
        text,
        'a percentage must be between 1% and 100%',
      );
    }
    return { percent: value };
  }
  if (/^\d{1,6}$/.test(trimmed) && Number(trimmed) >= 1) return { count: Number(trimmed) };
  throw new InvalidCampaignSettingError(
    'max-unavailable',
    text,
    'expected a node count (e.g. 2) or a percentage (e.g. 25%)',
  );
}

/**
 * Nodes of one group allowed in one wave (the rule: the allowed share, rounded up, at
 * least one): percent -> max(1, ceil(percent x size / 100)) in integer arithmetic (no 7% x 100 =
 * 7.000000000000001 rounding up to 8); count -> max(1, min(count, size)).
 */
export function groupAllowance(max: MaxUnavailable, size: number): number {
  const n = Math.max(0, Math.floor(size));
  if ('percent' in max) return Math.max(1, Math.floor((max.percent * n + 99) / 100));
  return Math.max(1, Math.min(max.count, n));
}

export function assertValidMaxUnavailable(max: MaxUnavailable): void {
  if ('percent' in max) {
    if (!Number.isInteger(max.percent) || max.percent < 1 || max.percent > 100) {
      throw new InvalidCampaignSettingError(
        'max-unavailable',
        `${max.percent}%`,
        'a percentage must be a whole number from 1 to 100',
      );
    }
  } else if (!Number.isInteger(max.count) || max.count < 1) {
    throw new InvalidCampaignSettingError(
      'max-unavailable',
      String(max.count),
      'a count must be a whole number of at least 1',
    );
  }
}

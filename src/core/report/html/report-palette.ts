import type { Severity, VerdictStatus } from '../../verdict.ts';

/** Display order of statuses: the urgent ones first (stacked charts draw them from the base up). */
export const STATUS_DISPLAY_ORDER: readonly VerdictStatus[] = [
  'AT_RISK',
  'PENDING_REBOOT',
  'UNKNOWN',
  'UNREACHABLE',
  'COMPLIANT',
];

export const STATUS_LABELS: Readonly<Record<VerdictStatus, string>> = {
  AT_RISK: 'At risk',
  PENDING_REBOOT: 'Pending reboot',
  UNKNOWN: 'Unknown',
  UNREACHABLE: 'Unreachable',
  COMPLIANT: 'Compliant',
};

/** Distinct in hue and in lightness, so they still separate in greyscale print. */
export const STATUS_COLORS: Readonly<Record<VerdictStatus, string>> = {
  AT_RISK: '#b3261e',
  PENDING_REBOOT: '#d98a04',
  UNKNOWN: '#8a7bb8',
  UNREACHABLE: '#4f5d6b',
  COMPLIANT: '#2e7d4f',
};

export const SEVERITY_DISPLAY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

export const SEVERITY_COLORS: Readonly<Record<Severity, string>> = {
  critical: '#6d1414',
  high: '#b3261e',
  medium: '#d98a04',
  low: '#7b8794',
};

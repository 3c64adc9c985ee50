/**
 * Run Command's statuses (research/anchors.md A1, "Understanding command statuses"). Each
 * invocation has a detailed status (StatusDetails) and a coarser Status from the API enum; the
 * detailed one is what a scanner should read.
 */
export const INVOCATION_DETAILS = [
  'Pending',
  'InProgress',
  'Delayed',
  'Success',
  'Failed',
  'ExecutionTimedOut',
  'DeliveryTimedOut',
  'Undeliverable',
  'InvalidPlatform',
  'AccessDenied',
  'Terminated',
] as const;
export type InvocationDetail = (typeof INVOCATION_DETAILS)[number];

/** Terminal details, as stored per invocation (index into this list). */
export const FINAL_DETAILS = [
  'Success',
  'Failed',
  'ExecutionTimedOut',
  'DeliveryTimedOut',
  'Undeliverable',
  'InvalidPlatform',
  'AccessDenied',
  'Terminated',
] as const satisfies readonly InvocationDetail[];
export type FinalDetail = (typeof FINAL_DETAILS)[number];

/**
 * StatusDetails -> Status. Observed on AWS: ExecutionTimedOut and DeliveryTimedOut come as
 * TimedOut, Undeliverable as Failed with ResponseCode -1. Terminated (cancelled by the service
 * once MaxErrors was exceeded) is reported as Cancelled here; read StatusDetails to tell them apart.
 */
const STATUS_OF: Readonly<Record<InvocationDetail, string>> = {
  Pending: 'Pending',
  InProgress: 'InProgress',
  Delayed: 'Delayed',
  Success: 'Success',
  Failed: 'Failed',
  ExecutionTimedOut: 'TimedOut',
  DeliveryTimedOut: 'TimedOut',
  Undeliverable: 'Failed',
  InvalidPlatform: 'Failed',
  AccessDenied: 'Failed',
  Terminated: 'Cancelled',
};

/** CommandPlugin.Status has no Delayed: the plugin has not started. */
export function pluginStatusOf(detail: InvocationDetail): string {
  return detail === 'Delayed' ? 'Pending' : (STATUS_OF[detail] as string);
}

export function statusOf(detail: InvocationDetail): string {
  return STATUS_OF[detail];
}

export function isTerminal(detail: InvocationDetail): boolean {
  return detail !== 'Pending' && detail !== 'InProgress' && detail !== 'Delayed';
}

/** Failed and ExecutionTimedOut count toward MaxErrors; delivery problems do not. */
export function countsTowardMaxErrors(detail: InvocationDetail): boolean {
  return detail === 'Failed' || detail === 'ExecutionTimedOut';
}

/**
 * The clusters a virtual fleet is spread over, each with its maintenance window. EC2 nodes are
 * spread by `weight`; hybrid (`mi-`) nodes all live in the on-premises cluster. Schedules are AWS
 * cron expressions in the window's own time zone, the way operators set them (night time where
 * the cluster's users are).
 */
export interface ClusterSpec {
  readonly name: string;
  readonly weight: number;
  readonly hybrid: boolean;
  /** Values of the `az` tag. */
  readonly azs: readonly string[];
  /** Node pools, used in `Name` tags (`<cluster>-<pool>-node`). */
  readonly pools: readonly string[];
  readonly window: {
    readonly schedule: string;
    readonly timezone: string;
    readonly durationHours: number;
    readonly cutoffHours: number;
  };
}

export const FLEET_CLUSTERS: readonly ClusterSpec[] = [
  {
    name: 'prod-us-1',
    weight: 30,
    hybrid: false,
    azs: ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d'],
    pools: ['general', 'system', 'spot'],
    window: {
      schedule: 'cron(0 3 ? * WED *)',
      timezone: 'America/New_York',
      durationHours: 4,
      cutoffHours: 1,
    },
  },
  {
    name: 'prod-eu-1',
    weight: 26,
    hybrid: false,
    azs: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    pools: ['general', 'system', 'spot'],
    window: { schedule: 'cron(0 2 ? * TUE *)', timezone: 'Europe/Dublin', durationHours: 4, cutoffHours: 1 },
  },
  {
    name: 'prod-us-2',
    weight: 14,
    hybrid: false,
    azs: ['us-west-2a', 'us-west-2b', 'us-west-2c'],
    pools: ['general', 'system'],
    window: {
      schedule: 'cron(0 3 ? * THU *)',
      timezone: 'America/Los_Angeles',
      durationHours: 4,
      cutoffHours: 1,
    },
  },
  {
    name: 'staging',
    weight: 10,
    hybrid: false,
    azs: ['us-east-1a', 'us-east-1b'],
    pools: ['general'],
    window: { schedule: 'cron(0 10 ? * MON-FRI *)', timezone: 'UTC', durationHours: 2, cutoffHours: 0 },
  },
  {
    name: 'batch',
    weight: 12,
    hybrid: false,
    azs: ['us-east-2a', 'us-east-2b', 'us-east-2c'],
    pools: ['cpu', 'spot'],
    window: { schedule: 'cron(0 0 ? * SAT *)', timezone: 'UTC', durationHours: 6, cutoffHours: 1 },
  },
  {
    name: 'ml-gpu',
    weight: 8,
    hybrid: false,
    azs: ['us-west-2a', 'us-west-2b'],
    pools: ['gpu'],
    window: { schedule: 'cron(30 1 ? * SUN *)', timezone: 'UTC', durationHours: 3, cutoffHours: 1 },
  },
  {
    name: 'onprem-dc1',
    weight: 0,
    hybrid: true,
    azs: ['dc1-row-a', 'dc1-row-b'],
    pools: ['metal'],
    window: { schedule: 'cron(0 22 ? * FRI *)', timezone: 'Europe/Berlin', durationHours: 8, cutoffHours: 2 },
  },
];

/**
 * One more window targets explicit instance ids (the first node of each cluster), so that the
 * `InstanceIds` target path is exercised next to the `tag:cluster` ones.
 */
export const CANARY_WINDOW = {
  name: 'canary-nodes',
  schedule: 'cron(0 14 ? * MON *)',
  timezone: 'UTC',
  durationHours: 2,
  cutoffHours: 0,
} as const;

/**
 * The shapes of a virtual fleet: what the SSM simulator serves and what tests compare against.
 * A fleet is data plus two renderers; outputs are rendered on demand so 100,000 nodes cost a few
 * fields each, not 100,000 copies of a probe output.
 */

export type FleetFaultMode = 'none' | 'chaos' | 'hostile';

export const FAULT_MODES: readonly FleetFaultMode[] = ['none', 'chaos', 'hostile'];

/**
 * What happens when a command reaches the node. `none` and the three output faults end in
 * Success; the others are the non-success outcomes of Run Command (research/anchors.md A1).
 */
export type NodeFault =
  | 'none'
  /** Agent unreachable: Failed / Undeliverable soon after dispatch (not counted by MaxErrors). */
  | 'undeliverable'
  /** Agent offline (ConnectionLost): Delayed, then DeliveryTimedOut at the delivery timeout. */
  | 'offline'
  /** Online when targeted, gone mid-run: InProgress until the command expires, then DeliveryTimedOut. */
  | 'vanish'
  /** The probe ran past executionTimeout: TimedOut / ExecutionTimedOut, partial output, code 137. */
  | 'execution-timeout'
  /** The probe exited non-zero: Failed, partial output and a stderr line. */
  | 'failed'
  /** A Windows node carrying the targeted tags: Failed / InvalidPlatform. */
  | 'invalid-platform'
  /** The service may not run commands on the node: Failed / AccessDenied. */
  | 'access-denied'
  /** Success, but the output is cut at a random character (no `end`). */
  | 'truncated'
  /** Success, but the output is random bytes. */
  | 'garbage'
  /** Success with a complete output longer than the 2,500 characters ListCommandInvocations shows. */
  | 'oversized';

/** Output faults: the command succeeds, the output is damaged or long. */
export const OUTPUT_FAULTS: readonly NodeFault[] = ['truncated', 'garbage', 'oversized'];

/** Realistic per-node states applied to the recorded profile (never to its versions). */
export interface NodeVariants {
  /** The D-Bus hang in progress: bus ping and `docker ps` time out, PLEG errors in the journal. */
  readonly hang: boolean;
  /** PID 1's binary was replaced by a package upgrade and not re-executed. */
  readonly pid1Deleted: boolean;
  /** The distro asks for a reboot. */
  readonly rebootRequired: boolean;
}

/** Node-supplied values replaced by injection attempts (fault mode `hostile`). */
export interface HostileValues {
  readonly hostname?: string;
  readonly prettyName?: string;
  /** The node claims another node's id in `node.id`. */
  readonly spoofedId?: string;
}

export interface VirtualNode {
  readonly index: number;
  /** `i-` + 17 hex (EC2) or `mi-` + 17 hex (hybrid). */
  readonly instanceId: string;
  readonly resourceType: 'EC2Instance' | 'ManagedInstance';
  /** Profile name, or `windows` for the InvalidPlatform node. */
  readonly profile: string;
  readonly tags: Readonly<Record<string, string>>;
  /** What the node reports as its hostname (probe `node.hostname`, SSM ComputerName). */
  readonly hostname: string;
  readonly ipAddress: string;
  readonly platformType: 'Linux' | 'Windows';
  readonly platformName: string;
  readonly platformVersion: string;
  readonly agentVersion: string;
  readonly pingStatus: 'Online' | 'ConnectionLost';
  /** Seconds between the agent's last ping and "now" (the simulator's clock). */
  readonly lastPingAgoSeconds: number;
  /** How long the probe takes on this node once dispatched. */
  readonly responseDelayMs: number;
  readonly fault: NodeFault;
  readonly variants: NodeVariants;
  readonly hostile: HostileValues | undefined;
  readonly uptimeSeconds: number;
  /**
   * Seeds the node's per-node values that are rendered on demand (timings in the output, cut
   * position, garbage bytes), so that the node renders the same text every time.
   */
  readonly nodeSeed: number;
}

export interface MaintenanceWindowSpec {
  /** `mw-` + 17 hex. */
  readonly windowId: string;
  readonly name: string;
  readonly description: string;
  /** AWS cron expression, e.g. `cron(0 2 ? * TUE *)`. */
  readonly schedule: string;
  readonly scheduleTimezone: string;
  readonly durationHours: number;
  readonly cutoffHours: number;
  readonly target: {
    readonly windowTargetId: string;
    /** `tag:cluster` or `InstanceIds`. */
    readonly key: string;
    readonly values: readonly string[];
  };
}

export interface VirtualFleet {
  readonly seed: number;
  readonly faults: FleetFaultMode;
  readonly nodes: readonly VirtualNode[];
  readonly clusters: readonly string[];
  readonly maintenanceWindows: readonly MaintenanceWindowSpec[];
  /** Profiles the mix named but the input did not provide (skipped). */
  readonly missingProfiles: readonly string[];
  readonly byId: (instanceId: string) => VirtualNode | undefined;
  /** The probe's complete stdout on this node ('' when it never ran). */
  readonly stdout: (node: VirtualNode) => string;
  /** The probe's stderr on this node. */
  readonly stderr: (node: VirtualNode) => string;
  /** Exit code when the probe ran to an end (0, or non-zero for `failed`). */
  readonly exitCode: (node: VirtualNode) => number;
}

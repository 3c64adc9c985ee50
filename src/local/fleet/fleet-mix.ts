/**
 * Which recorded profiles a virtual fleet is made of, and how often each appears.
 *
 * Imitates a mixed EKS / self-managed Kubernetes fleet that mostly runs current distros (Amazon
 * Linux 2023 and 2, Ubuntu 22.04/24.04, RHEL 8, Debian 12) with the long tail every large estate
 * has: CentOS 7 and RHEL 7.6 hosts nobody dared to rebuild, early Amazon Linux 2 AMIs, Ubuntu
 * 18.04 and Debian 10 nodes in batch and on-premises clusters. Weights are relative (they sum to
 * 100 here only for readability).
 *
 * `hangCapable` says whether the generator may show the D-Bus hang in progress on this profile.
 * Left out, it follows the recorded systemd: below 242 (the upstream fix) a hang may show. It is
 * set to false where the distro backported the fix (RHEL/CentOS 219-62.el7_6.10 and later carry it,
 * DESIGN §1), so that no node ever shows the symptom of a bug its versions say it cannot have.
 */
export interface FleetMixEntry {
  readonly profile: string;
  readonly weight: number;
  readonly hangCapable?: boolean;
}

export const FLEET_MIX: readonly FleetMixEntry[] = [
  { profile: 'amzn-2023', weight: 22 },
  { profile: 'amzn-2', weight: 15 },
  { profile: 'ubuntu-22.04', weight: 14 },
  { profile: 'ubuntu-24.04', weight: 8 },
  { profile: 'ubuntu-20.04', weight: 8 },
  { profile: 'rhel-8', weight: 6 },
  { profile: 'debian-12', weight: 6 },
  { profile: 'debian-12-pid1-stale', weight: 1 },
  { profile: 'amzn-2-old', weight: 4 },
  { profile: 'centos-7-fixed', weight: 4, hangCapable: false },
  { profile: 'centos-7.6-unfixed', weight: 3 },
  { profile: 'rhel-7.6-z10', weight: 2, hangCapable: false },
  { profile: 'ubuntu-18.04', weight: 5 },
  { profile: 'debian-10', weight: 2 },
];

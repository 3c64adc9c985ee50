/**
 * What PID 1 still runs on a node of a profile whose systemd package was upgraded without a
 * re-exec or reboot (the `pid1Deleted` variant): the version the node booted with before the
 * upgrade. Chosen from the same distros' earlier releases (EL7 prints a bare `219`; RHEL 8.0 GA
 * shipped 239-10.el8; Debian 11 ran 247 and Debian 10 241 before a dist-upgrade to 12), so the
 * scanner sees a fixed package with an affected PID 1: PENDING_REBOOT, or AT_RISK when another
 * advisory matches too. Profiles not listed keep their recorded running version.
 */
export const PID1_BEFORE_UPGRADE: Readonly<Record<string, string>> = {
  'centos-7-fixed': '219',
  'rhel-7.6-z10': '219',
  'amzn-2': '219',
  'rhel-8': '239 (239-10.el8)',
  'debian-12': '241',
  'ubuntu-20.04': '237',
};

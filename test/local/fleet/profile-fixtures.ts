/**
 * Probe outputs (format 1, DESIGN §3.1) written by hand for the fleet and simulator tests, shaped
 * like what the probe prints on these distros; the recorded ones live in src/local/profiles and
 * are owned elsewhere. Versions are the distros' own package versions.
 */

export const CENTOS_76_UNFIXED = `fleet-compliance-probe/1
node.id=i-0aaaaaaaaaaaaaaaa
node.hostname=ip-10-0-0-1.ec2.internal
os.id=centos
os.version_id=7
os.pretty_name=CentOS Linux 7 (Core)
pkg.manager=rpm
kernel.running=3.10.0-957.el7.x86_64
kernel.installed=3.10.0-957.el7.x86_64
systemd.version=systemd 219
systemd.package=219-62.el7_6.9
systemd.running=219
systemd.pid1_deleted=0
systemd.bus_ms=4
docker.version=18.09.1
docker.package=18.09.1-3.el7
docker.cgroup_driver=cgroupfs
containerd.version=containerd containerd.io 1.2.2 9754871865f7fe2f4e74d43e2fc7ccd237edcbce
containerd.package=1.2.2-3.el7
runc.version=runc version 1.0.0-rc6+dev
runc.package=1.2.2-3.el7
kubelet.version=Kubernetes v1.13.12
kubelet.cgroup_driver=cgroupfs
cgroup.fs=tmpfs
uptime.seconds=8640000
reboot.required=0
symptom.pleg_24h=0
symptom.docker_ps_ms=41
probe.version=1.0.0
probe.duration_ms=812
end
`;

export const UBUNTU_2204 = `fleet-compliance-probe/1
node.id=i-0bbbbbbbbbbbbbbbb
node.hostname=ip-10-0-0-2.ec2.internal
os.id=ubuntu
os.version_id=22.04
os.pretty_name=Ubuntu 22.04.4 LTS
pkg.manager=dpkg
kernel.running=6.5.0-1022-aws
kernel.installed=6.5.0-1022-aws
systemd.version=systemd 249 (249.11-0ubuntu3.12)
systemd.package=249.11-0ubuntu3.12
systemd.running=249.11-0ubuntu3.12
systemd.pid1_deleted=0
systemd.bus_ms=2
docker.version=!absent
docker.package=!absent
docker.cgroup_driver=!absent
containerd.version=containerd github.com/containerd/containerd 1.7.12
containerd.package=1.7.12-0ubuntu2~22.04.1
runc.version=runc version 1.1.12-0ubuntu2~22.04.1
runc.package=1.1.12-0ubuntu2~22.04.1
kubelet.version=Kubernetes v1.29.3-eks-ae9a62a
kubelet.cgroup_driver=systemd
cgroup.fs=cgroup2fs
uptime.seconds=1209600
reboot.required=0
symptom.pleg_24h=0
symptom.docker_ps_ms=!absent
probe.version=1.0.0
probe.duration_ms=640
end
`;

export const DEBIAN_12 = `fleet-compliance-probe/1
node.id=i-0cccccccccccccccc
node.hostname=ip-10-0-0-3.ec2.internal
os.id=debian
os.version_id=12
os.pretty_name=Debian GNU/Linux 12 (bookworm)
pkg.manager=dpkg
kernel.running=6.1.0-18-cloud-amd64
kernel.installed=6.1.0-21-cloud-amd64
systemd.version=systemd 252 (252.22-1~deb12u1)
systemd.package=252.22-1~deb12u1
systemd.running=252.22-1~deb12u1
systemd.pid1_deleted=0
systemd.bus_ms=3
docker.version=20.10.24+dfsg1
docker.package=20.10.24+dfsg1-1+b3
docker.cgroup_driver=systemd
containerd.version=containerd github.com/containerd/containerd 1.6.20~ds1 1.6.20~ds1-1+b1
containerd.package=1.6.20~ds1-1+b1
runc.version=runc version 1.1.5+ds1
runc.package=1.1.5+ds1-1+deb12u1
kubelet.version=Kubernetes v1.28.8
kubelet.cgroup_driver=systemd
cgroup.fs=cgroup2fs
uptime.seconds=3456000
reboot.required=1
symptom.pleg_24h=0
symptom.docker_ps_ms=57
probe.version=1.0.0
probe.duration_ms=702
end
`;

export const TEST_PROFILES: ReadonlyMap<string, string> = new Map([
  ['centos-7.6-unfixed', CENTOS_76_UNFIXED],
  ['ubuntu-22.04', UBUNTU_2204],
  ['debian-12', DEBIAN_12],
]);

/** Weights the tests check proportions against. */
export const TEST_MIX = [
  { profile: 'centos-7.6-unfixed', weight: 20 },
  { profile: 'ubuntu-22.04', weight: 50 },
  { profile: 'debian-12', weight: 30 },
] as const;

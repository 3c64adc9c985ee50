#!/bin/sh
# fleet-compliance node probe: prints probe output format 1 (docs/CONTRACTS.md, "Probe output").
#
# SSM Run Command (aws:runShellScript) runs this as root on every Linux node. It prints
# `fleet-compliance-probe/1`, one `key=value` line per fact, then `end`. POSIX sh: it runs under
# dash, bash and busybox ash, and needs only what a minimal EL7, Amazon Linux 2/2023, Ubuntu
# 16.04-24.04 or Debian 10-12 node has: sh, date, head, tr, sed, grep, readlink, and timeout (GNU)
# or setsid. Commands are looked up on PATH.
#
# It must never hang: the node it runs on may be exactly the one whose docker or D-Bus hangs,
# and a probe that hangs hides that node. Every command that asks the system something runs
# under a time bound (`!timeout` when it hits it), and all of them share a time budget, so the
# probe ends within 30 s whatever hangs. It changes nothing on the node and writes no files:
# command output is read through pipes.
#
# Environment (all optional):
#   FLEET_PROBE_CMD_TIMEOUT  bound per command, seconds, decimals allowed (default 3)
#   FLEET_PROBE_BUDGET       seconds within which every command must have started and ended
#                            (default 25); a command left without time is not run and its key
#                            reads `!error budget spent`. Worst case: budget + 1 s (kill grace).
#   FLEET_PROBE_ROOT         directory that stands for / in every file the probe reads, and in
#                            the package databases it queries (default: empty, meaning /). Lets
#                            tests use a fixture tree without a chroot.
#   AWS_SSM_INSTANCE_ID      set by the SSM agent; node.id falls back to the hostname.

PROBE_VERSION=1.0.0

LC_ALL=C
export LC_ALL
set -f # no pathname expansion anywhere: command output is never a pattern

NL='
'
TAB=$(printf '\t')
CR=$(printf '\r')
ROOT=${FLEET_PROBE_ROOT:-}
ROOT=${ROOT%/}

have() { command -v "$1" >/dev/null 2>&1; }

# to_ms VALUE DEFAULT_MS: MS = VALUE (seconds, decimals allowed) in milliseconds, or DEFAULT_MS
# when VALUE is empty, zero or not a number.
to_ms() {
  MS=$2
  case $1 in '' | . | *[!0-9.]* | *.*.*) return 0 ;; esac
  _int=${1%%.*}
  _frac=
  case $1 in *.*) _frac=${1#*.} ;; esac
  _frac="${_frac}000"
  _frac=${_frac%"${_frac#???}"}
  while :; do case $_int in 0?*) _int=${_int#0} ;; *) break ;; esac; done
  [ -n "$_int" ] || _int=0
  [ ${#_int} -le 6 ] || return 0
  _ms=$((_int * 1000 + 1$_frac - 1000))
  [ "$_ms" -gt 0 ] && MS=$_ms
  return 0
}

# secs MS: SECS = MS written as seconds with three decimals, as timeout and sleep take them.
secs() {
  _r=$(($1 % 1000 + 1000))
  SECS="$(($1 / 1000)).${_r#1}"
}

# now_ms: NOW = milliseconds since the epoch. GNU date has nanoseconds (%N); busybox date has no
# %N and prints it literally, so there the clock counts whole seconds: NOW = seconds * 1000, and
# durations are multiples of 1000 ms.
now_ms() {
  _n=$(date +%s%N 2>/dev/null)
  _n=${_n%%[!0-9]*}
  if [ ${#_n} -gt 12 ]; then
    NOW=${_n%??????}
  elif [ -n "$_n" ]; then
    NOW=$((_n * 1000))
  else
    NOW=0
  fi
}

# clock_ms: CLOCK = a monotonic millisecond count for the budget, read from /proc/uptime without
# starting a process (the host's /proc/uptime, never under FLEET_PROBE_ROOT: it is the clock
# here, not a fact). date stands in where /proc/uptime cannot be read.
clock_ms() {
  if [ -r /proc/uptime ] && IFS=' ' read -r _u _ 2>/dev/null </proc/uptime; then
    case $_u in
      [0-9]*.[0-9][0-9])
        CLOCK=$((${_u%.*} * 1000 + (1${_u#*.} - 100) * 10))
        return 0
        ;;
    esac
  fi
  now_ms
  CLOCK=$NOW
}

to_ms "${FLEET_PROBE_CMD_TIMEOUT:-}" 3000
CMD_MS=$MS
to_ms "${FLEET_PROBE_BUDGET:-}" 25000
clock_ms
DEADLINE=$((CLOCK + MS))
now_ms
START=$NOW

# How commands are bounded. GNU timeout signals the command's whole process group (whatever it
# started dies with it). busybox timeout signals only its child, so it is not used: without GNU
# timeout a watchdog kills the command's session instead (setsid), or only the command itself
# when setsid is missing too.
if have timeout && timeout --version >/dev/null 2>&1; then
  BOUND=timeout
elif have setsid; then
  BOUND=setsid
else
  BOUND=plain
fi

# watchdog SECS CMD [ARG...]: runs CMD, killed after SECS. The watchdog gets a session of its
# own as well, so killing it when CMD ends first also ends its sleep: nothing is left running.
watchdog() {
  _wsecs=$1
  shift
  if [ "$BOUND" = setsid ]; then
    setsid "$@" &
    _wcmd=$!
    setsid sh -c 'sleep "$1"; kill -KILL -"$2" || kill -KILL "$2"' watchdog "$_wsecs" "$_wcmd" \
      </dev/null >/dev/null 2>&1 &
  else
    "$@" &
    _wcmd=$!
    sh -c 'sleep "$1"; kill -KILL "$2"' watchdog "$_wsecs" "$_wcmd" </dev/null >/dev/null 2>&1 &
  fi
  _wdog=$!
  wait "$_wcmd"
  _wrc=$?
  kill -KILL -"$_wdog" 2>/dev/null || kill -KILL "$_wdog" 2>/dev/null
  wait "$_wdog" 2>/dev/null
  return "$_wrc"
}

# bounded SECS CMD [ARG...]: CMD's exit status, or 124/137 when it was stopped at its bound
# (GNU timeout sends TERM, then KILL 1 s later if CMD is still there).
bounded() {
  _bsecs=$1
  shift
  if [ "$BOUND" = timeout ]; then
    timeout -k 1 "$_bsecs" "$@"
  else
    watchdog "$_bsecs" "$@"
  fi
}

# cap CMD [ARG...]: runs CMD bounded, within what is left of the budget. Sets CAP_OUT (stdout,
# at most 64 KB; the shell drops NUL bytes, bash with a warning on stderr) and CAP_RC (exit
# status, or `budget` when CMD was not started). CMD's stderr is discarded. The exit status
# travels on fd 3 of an inner command substitution while the output goes through fd 4 to the
# outer one; CMD gets neither, so nothing it leaves behind can hold the pipes open.
cap() {
  clock_ms
  _left=$((DEADLINE - CLOCK))
  if [ "$_left" -lt 200 ]; then
    CAP_OUT=
    CAP_RC=budget
    return 0
  fi
  _bound=$CMD_MS
  [ "$_left" -lt "$_bound" ] && _bound=$_left
  secs "$_bound"
  CAP_OUT=$(
    exec 4>&1
    _rc=$({ { bounded "$SECS" "$@" </dev/null 2>/dev/null 3>&- 4>&-; echo "$?" >&3; } |
      head -c 65536 >&4; } 3>&1)
    printf '\n%s' "$_rc"
  )
  CAP_RC=${CAP_OUT##*"$NL"}
  CAP_OUT=${CAP_OUT%"$NL"*}
}

# timed_cap CMD [ARG...]: cap, and CAP_MS = its wall time in milliseconds (process start included).
timed_cap() {
  now_ms
  _t0=$NOW
  cap "$@"
  now_ms
  CAP_MS=$((NOW - _t0))
}

# special: VAL = the special value for a capture that gave no usable output.
special() {
  case $CAP_RC in
    124 | 137) VAL='!timeout' ;;
    budget) VAL='!error budget spent' ;;
    0 | 141) VAL='!error no output' ;;
    *) VAL="!error exit $CAP_RC" ;;
  esac
}

# first_line: VAL = the first line a captured command printed, or the special value saying why
# there is none. (141: the command was still printing when 64 KB had been read.)
first_line() {
  case $CAP_RC in
    0 | 141)
      VAL=${CAP_OUT%%"$NL"*}
      [ -n "$VAL" ] || special
      ;;
    *) special ;;
  esac
}

is_timeout() { [ "$CAP_RC" = 124 ] || [ "$CAP_RC" = 137 ]; }

# version_of CMD [ARG...]: VAL = first line of CMD's output, `!absent` when CMD is not on PATH.
version_of() {
  if have "$1"; then
    cap "$@"
    first_line
  else
    VAL='!absent'
  fi
}

# unquote VALUE: UNQ = VALUE without the quotes os-release allows around it.
unquote() {
  UNQ=$1
  case $UNQ in
    \"*\")
      UNQ=${UNQ#\"}
      UNQ=${UNQ%\"}
      ;;
    \'*\')
      UNQ=${UNQ#\'}
      UNQ=${UNQ%\'}
      ;;
  esac
}

# file_first_match FILE SED_SCRIPT: VAL = first line sed -n prints for FILE under ROOT, or empty.
file_first_match() {
  VAL=
  [ -f "$ROOT$1" ] || return 0
  VAL=$(sed -n "$2" "$ROOT$1" 2>/dev/null | head -n 1)
}

# --- node and OS ---------------------------------------------------------------------------

cap uname -r
first_line
KERNEL_RUNNING=$VAL

cap uname -n
first_line
HOSTNAME=$VAL
NODE_ID=${AWS_SSM_INSTANCE_ID:-$HOSTNAME}

OS_ID='!absent'
OS_VERSION_ID='!absent'
OS_PRETTY='!absent'
_f=$ROOT/etc/os-release
[ -f "$_f" ] || _f=$ROOT/usr/lib/os-release
if [ -f "$_f" ]; then
  # Parsed, never sourced: the probe runs nothing it reads.
  while IFS= read -r _l || [ -n "$_l" ]; do
    _l=${_l%"$CR"}
    case $_l in
      ID=*) unquote "${_l#ID=}" && OS_ID=$UNQ ;;
      VERSION_ID=*) unquote "${_l#VERSION_ID=}" && OS_VERSION_ID=$UNQ ;;
      PRETTY_NAME=*) unquote "${_l#PRETTY_NAME=}" && OS_PRETTY=$UNQ ;;
    esac
  done <"$_f"
fi

# --- packages -------------------------------------------------------------------------------
# One query per run: rpm's answer is `NAME<TAB>INSTALLTIME<TAB>[EPOCH:]VERSION-RELEASE<TAB>
# VERSION-RELEASE.ARCH` per installed package and `package NAME is not installed` otherwise;
# dpkg-query's is `PACKAGE<TAB>STATUS<TAB>VERSION` for every package it knows (installed or not).

PKG_NAMES='systemd docker-ce docker-ee docker.io moby-engine docker containerd.io containerd runc'
PKG_MANAGER='!absent'
CAP_RC=0
CAP_OUT=
if [ -f "$ROOT/var/lib/dpkg/status" ] && have dpkg-query; then
  PKG_MANAGER=dpkg
  if [ -n "$ROOT" ]; then set -- --admindir="$ROOT/var/lib/dpkg"; else set --; fi
  # shellcheck disable=SC2086 # PKG_NAMES is a word list
  cap dpkg-query "$@" -W -f='${Package}\t${Status}\t${Version}\n' $PKG_NAMES 'linux-image-*'
  # dpkg-query exits 1 when some name matches no package: still a complete answer.
  [ "$CAP_RC" = 1 ] && CAP_RC=0
elif { [ -d "$ROOT/var/lib/rpm" ] || [ -d "$ROOT/usr/lib/sysimage/rpm" ]; } && have rpm; then
  PKG_MANAGER=rpm
  if [ -n "$ROOT" ]; then set -- --root "$ROOT"; else set --; fi
  # shellcheck disable=SC2086
  cap rpm "$@" -q \
    --qf '%{NAME}\t%{INSTALLTIME}\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\t%{VERSION}-%{RELEASE}.%{ARCH}\n' \
    $PKG_NAMES kernel
  # rpm's exit status counts the packages that are not installed.
  case $CAP_RC in [0-9] | [0-9][0-9]) CAP_RC=0 ;; esac
fi
PKG_RC=$CAP_RC
PKG_OUT=$CAP_OUT
set --

# pkg_lookup NAME FIELD: PV = FIELD of the installed package NAME (rpm: 3 = [epoch:]version-
# release, 4 = version-release.arch; the most recently installed wins; dpkg: the version), empty
# when the package manager says it is not installed, `?` when its answer does not say.
pkg_lookup() {
  PV='?'
  _best=-1
  _rest=$PKG_OUT$NL
  _count=0
  while [ -n "$_rest" ] && [ "$_count" -lt 400 ]; do
    _line=${_rest%%"$NL"*}
    _rest=${_rest#*"$NL"}
    _count=$((_count + 1))
    case $PKG_MANAGER in
      rpm)
        case $_line in
          "package $1 is not installed") [ "$_best" -ge 0 ] || PV= ;;
          "$1$TAB"*)
            _f2=${_line#*"$TAB"}
            _time=${_f2%%"$TAB"*}
            _f3=${_f2#*"$TAB"}
            case $_time in '' | *[!0-9]* | ?????????????*) continue ;; esac
            [ "$_time" -gt "$_best" ] || continue
            _best=$_time
            if [ "$2" = 4 ]; then PV=${_f3#*"$TAB"}; else PV=${_f3%%"$TAB"*}; fi
            ;;
        esac
        ;;
      dpkg)
        case $_line in
          "$1$TAB"*" ok installed$TAB"*) PV=${_line##*"$TAB"} ;;
          "$1$TAB"*) PV= ;;
        esac
        ;;
    esac
  done
  # dpkg-query does not list a package it has never heard of: that too means not installed.
  [ "$PKG_MANAGER" = dpkg ] && [ "$PV" = '?' ] && PV=
  return 0
}

# pkg_value NAME...: VAL = version of the first of NAMEs that is installed, or a special value.
pkg_value() {
  if [ "$PKG_MANAGER" = '!absent' ]; then
    VAL='!absent'
    return 0
  fi
  if [ "$PKG_RC" != 0 ]; then
    CAP_RC=$PKG_RC
    special
    return 0
  fi
  VAL='!absent'
  for _name in "$@"; do
    pkg_lookup "$_name" 3
    case $PV in
      '') ;;
      '?') VAL='!error no answer' ;;
      *)
        VAL=$PV
        return 0
        ;;
    esac
  done
}

# kernel_installed: VAL = the newest installed kernel, written like `uname -r`. rpm: version-
# release.arch of the most recently installed `kernel` package, which is the one the bootloader
# boots next (grubby makes each new kernel the default). dpkg: the release name of the installed
# linux-image-<release> package with the highest version in dpkg's ordering, which is the one
# update-grub puts first.
kernel_installed() {
  if [ "$PKG_MANAGER" = '!absent' ]; then
    VAL='!absent'
    return 0
  fi
  if [ "$PKG_RC" != 0 ]; then
    CAP_RC=$PKG_RC
    special
    return 0
  fi
  VAL='!absent'
  if [ "$PKG_MANAGER" = rpm ]; then
    pkg_lookup kernel 4
    case $PV in
      '') ;;
      '?') VAL='!error no answer' ;;
      *) VAL=$PV ;;
    esac
    return 0
  fi
  _kbest=
  _rest=$PKG_OUT$NL
  _count=0
  while [ -n "$_rest" ] && [ "$_count" -lt 400 ]; do
    _line=${_rest%%"$NL"*}
    _rest=${_rest#*"$NL"}
    _count=$((_count + 1))
    case $_line in linux-image-*"$TAB"*" ok installed$TAB"*) ;; *) continue ;; esac
    _rel=${_line%%"$TAB"*}
    _rel=${_rel#linux-image-}
    _rel=${_rel#unsigned-}
    _rel=${_rel%-unsigned}
    case $_rel in [0-9]*) ;; *) continue ;; esac # meta packages: linux-image-generic, -amd64
    case $_rel in *-dbg | *-dbgsym) continue ;; esac
    _ver=${_line##*"$TAB"}
    if [ -z "$_kbest" ] || dpkg --compare-versions "$_ver" gt "$_kbest" 2>/dev/null; then
      _kbest=$_ver
      VAL=$_rel
    fi
  done
  return 0
}

pkg_value systemd
SYSTEMD_PACKAGE=$VAL
pkg_value docker-ce docker-ee docker.io moby-engine docker
DOCKER_PACKAGE=$VAL
pkg_value containerd.io containerd
CONTAINERD_PACKAGE=$VAL
pkg_value runc
RUNC_PACKAGE=$VAL
kernel_installed
KERNEL_INSTALLED=$VAL

# --- systemd: installed, running, answering ----------------------------------------------------

version_of systemctl --version
SYSTEMD_VERSION=$VAL

# PID 1: its executable (the link reads `<path> (deleted)` once the package replaced the file
# and PID 1 has not re-executed) and its name, for when the link cannot be read.
PID1_EXE=$(readlink "$ROOT/proc/1/exe" 2>/dev/null)
PID1_COMM=
[ -f "$ROOT/proc/1/comm" ] && IFS= read -r PID1_COMM <"$ROOT/proc/1/comm"
_exe=${PID1_EXE% (deleted)}
if [ -n "$_exe" ]; then
  _pid1name=${_exe##*/}
else
  _pid1name=$PID1_COMM
fi
case $_pid1name in
  systemd) PID1_SYSTEMD=1 ;;
  '') PID1_SYSTEMD=unknown ;; # nothing readable: ask systemd anyway, errors will say
  *) PID1_SYSTEMD=0 ;;
esac

SYSTEMD_BUS_MS='!absent'
SYSTEMD_RUNNING='!absent'
SYSTEMD_PID1_DELETED='!absent'
if [ "$PID1_SYSTEMD" != 0 ]; then
  case $PID1_EXE in
    '') SYSTEMD_PID1_DELETED='!error unreadable' ;;
    *' (deleted)') SYSTEMD_PID1_DELETED=1 ;;
    *) SYSTEMD_PID1_DELETED=0 ;;
  esac

  # A D-Bus ping of PID 1 (org.freedesktop.DBus.Peer.Ping): the call that stops being answered
  # once sd-bus has run out of message cookies (systemd < 242).
  if have busctl; then
    timed_cap busctl call org.freedesktop.systemd1 /org/freedesktop/systemd1 org.freedesktop.DBus.Peer Ping
  elif have dbus-send; then
    timed_cap dbus-send --system --print-reply --dest=org.freedesktop.systemd1 /org/freedesktop/systemd1 \
      org.freedesktop.DBus.Peer.Ping
  else
    CAP_RC=absent
  fi
  BUS_RC=$CAP_RC
  case $CAP_RC in
    absent) ;;
    0) SYSTEMD_BUS_MS=$CAP_MS ;;
    *)
      special
      SYSTEMD_BUS_MS=$VAL
      ;;
  esac

  # What runs: PID 1's own Version property. `systemctl show -p Version` prints `Version=219` on
  # 219 too (which has no --value). Asked over D-Bus as well, so not asked when the ping hung.
  if [ "$BUS_RC" = 124 ] || [ "$BUS_RC" = 137 ]; then
    SYSTEMD_RUNNING='!timeout'
  elif have systemctl; then
    cap systemctl show -p Version
    first_line
    case $VAL in
      Version=?*) SYSTEMD_RUNNING=${VAL#Version=} ;;
      '!'*) SYSTEMD_RUNNING=$VAL ;;
      *) SYSTEMD_RUNNING='!error unexpected output' ;;
    esac
  fi
fi

# --- container runtimes and kubelet -------------------------------------------------------------

DOCKER_VERSION='!absent'
DOCKER_CGROUP_DRIVER='!absent'
DOCKER_PS_MS='!absent'
if have docker; then
  # Go templates are built at run time: SSM reads a literal double brace in a document as one of
  # own parameter references (double-brace name double-brace).
  OB='{'
  CB='}'
  cap docker version --format "$OB$OB.Server.Version$CB$CB"
  first_line
  DOCKER_VERSION=$VAL
  if is_timeout; then
    # The daemon did not answer: info and ps would wait on it the same way.
    DOCKER_CGROUP_DRIVER='!timeout'
    DOCKER_PS_MS='!timeout'
  else
    cap docker info --format "$OB$OB.CgroupDriver$CB$CB"
    first_line
    DOCKER_CGROUP_DRIVER=$VAL
    timed_cap docker ps -q
    case $CAP_RC in
      0 | 141) DOCKER_PS_MS=$CAP_MS ;;
      *)
        special
        DOCKER_PS_MS=$VAL
        ;;
    esac
  fi
fi

version_of containerd --version
CONTAINERD_VERSION=$VAL

if have runc; then
  version_of runc --version
else
  # RHEL 7 Extras docker ships its runc as docker-runc.
  version_of docker-runc --version
fi
RUNC_VERSION=$VAL

version_of kubelet --version
KUBELET_VERSION=$VAL

# kubelet's cgroup driver: a --cgroup-driver flag (kubeadm-flags.env, sysconfig/default files)
# wins over the config file, as in kubelet; then `cgroupDriver` in the config file kubeadm
# (config.yaml), the EKS AL2 AMI (kubelet-config.json) or nodeadm on AL2023 (config.json) writes.
KUBELET_CGROUP_DRIVER='!absent'
if [ "$KUBELET_VERSION" != '!absent' ]; then
  for _f in /var/lib/kubelet/kubeadm-flags.env /etc/sysconfig/kubelet /etc/default/kubelet; do
    file_first_match "$_f" '/^[[:space:]]*#/d; s/.*--cgroup-driver[= ]"\{0,1\}\([A-Za-z]\{1,\}\).*/\1/p'
    [ -n "$VAL" ] && break
  done
  if [ -z "$VAL" ]; then
    for _f in /var/lib/kubelet/config.yaml /etc/kubernetes/kubelet/kubelet-config.json \
      /etc/kubernetes/kubelet/config.json; do
      file_first_match "$_f" \
        '/^[[:space:]]*#/d; s/.*cgroupDriver"\{0,1\}[[:space:]]*:[[:space:]]*["'\'']\{0,1\}\([A-Za-z]\{1,\}\).*/\1/p'
      [ -n "$VAL" ] && break
    done
  fi
  [ -n "$VAL" ] && KUBELET_CGROUP_DRIVER=$VAL
fi

# --- cgroups, uptime, reboot -------------------------------------------------------------------

version_of stat -fc %T "$ROOT/sys/fs/cgroup"
case $VAL in
  # coreutils before 8.26 (EL7, AL2) does not know cgroup2's magic number.
  *0x63677270*) VAL=cgroup2fs ;;
esac
CGROUP_FS=$VAL

UPTIME_SECONDS='!absent'
if [ -f "$ROOT/proc/uptime" ] && IFS=' ' read -r _up _ <"$ROOT/proc/uptime"; then
  _up=${_up%%.*}
  case $_up in '' | *[!0-9]*) UPTIME_SECONDS='!error unreadable' ;; *) UPTIME_SECONDS=$_up ;; esac
fi

# Debian/Ubuntu: packages that need a reboot create /run/reboot-required (update-notifier, kernel
# hooks); without it the distro says none is needed: 0. rpm distros: `needs-restarting -r`
# (yum-utils, dnf-utils) exits 1 when a reboot is needed; without it nothing on the node can say,
# so `!absent`. Either way kernel.installed against kernel.running is the stronger signal.
case $PKG_MANAGER in
  dpkg)
    if [ -e "$ROOT/run/reboot-required" ] || [ -e "$ROOT/var/run/reboot-required" ]; then
      REBOOT_REQUIRED=1
    else
      REBOOT_REQUIRED=0
    fi
    ;;
  rpm)
    if have needs-restarting; then
      cap needs-restarting -r
      case $CAP_RC in
        0) REBOOT_REQUIRED=0 ;;
        1) REBOOT_REQUIRED=1 ;;
        *)
          special
          REBOOT_REQUIRED=$VAL
          ;;
      esac
    else
      REBOOT_REQUIRED='!absent'
    fi
    ;;
  *) REBOOT_REQUIRED='!absent' ;;
esac

# --- symptoms ----------------------------------------------------------------------------------
# "PLEG is not healthy" lines in kubelet's journal over 24 h. The read is bounded like every other
# command; the count and journalctl's exit status come back as `COUNT STATUS`.
SYMPTOM_PLEG='!absent'
if [ "$KUBELET_VERSION" != '!absent' ] && have journalctl; then
  cap sh -c '{ journalctl -u kubelet --since=-24h --no-pager -q -o cat 2>/dev/null
    echo "fleet-probe-journalctl-exit=$?"; } |
    grep -e "PLEG is not healthy" -e "^fleet-probe-journalctl-exit=" |
    { n=0 e=; while IFS= read -r l; do
        case $l in fleet-probe-journalctl-exit=*) e=${l#*=} ;; *) n=$((n + 1)) ;; esac
      done; echo "$n $e"; }'
  first_line
  case $VAL in
    '!'*) SYMPTOM_PLEG=$VAL ;;
    *' 0') SYMPTOM_PLEG=${VAL%% *} ;;
    *) SYMPTOM_PLEG="!error journalctl exit ${VAL#* }" ;;
  esac
fi

# --- output ------------------------------------------------------------------------------------

now_ms
OUT=fleet-compliance-probe/1
emit() { OUT="$OUT$NL$1=${2%%"$NL"*}"; }
emit node.id "$NODE_ID"
emit node.hostname "$HOSTNAME"
emit os.id "$OS_ID"
emit os.version_id "$OS_VERSION_ID"
emit os.pretty_name "$OS_PRETTY"
emit pkg.manager "$PKG_MANAGER"
emit kernel.running "$KERNEL_RUNNING"
emit kernel.installed "$KERNEL_INSTALLED"
emit systemd.version "$SYSTEMD_VERSION"
emit systemd.package "$SYSTEMD_PACKAGE"
emit systemd.running "$SYSTEMD_RUNNING"
emit systemd.pid1_deleted "$SYSTEMD_PID1_DELETED"
emit systemd.bus_ms "$SYSTEMD_BUS_MS"
emit docker.version "$DOCKER_VERSION"
emit docker.package "$DOCKER_PACKAGE"
emit docker.cgroup_driver "$DOCKER_CGROUP_DRIVER"
emit containerd.version "$CONTAINERD_VERSION"
emit containerd.package "$CONTAINERD_PACKAGE"
emit runc.version "$RUNC_VERSION"
emit runc.package "$RUNC_PACKAGE"
emit kubelet.version "$KUBELET_VERSION"
emit kubelet.cgroup_driver "$KUBELET_CGROUP_DRIVER"
emit cgroup.fs "$CGROUP_FS"
emit uptime.seconds "$UPTIME_SECONDS"
emit reboot.required "$REBOOT_REQUIRED"
emit symptom.pleg_24h "$SYMPTOM_PLEG"
emit symptom.docker_ps_ms "$DOCKER_PS_MS"
emit probe.version "$PROBE_VERSION"
emit probe.duration_ms "$((NOW - START))"

# Every value is made safe in one pass: control characters removed, bytes outside ASCII turned
# into `?` (so the output is valid UTF-8 whatever a command printed), at most 256 characters
# after `key=` (two 128-repeats: some seds cap a repeat count at 255).
printf '%s\nend\n' "$OUT" |
  tr -d '\000-\011\013-\037\177' |
  tr '\200-\377' '?' |
  sed 's/^\([^=]*=.\{0,128\}.\{0,128\}\).*$/\1/'
exit 0

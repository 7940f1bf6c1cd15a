# Shared shell functions for the peer scripts (test/peers/<name>/install.sh, stop.sh). Source it with
#   . "$(dirname "$0")/../lib.sh"
# It is a file, not a folder, on purpose: scripts/test.mjs treats every folder in test/peers/ as a peer.

# apt_install_missing PACKAGE...
# Installs the named Debian packages (the ones the caller found missing); does nothing when given none.
# Needs root (fails with a message naming the packages otherwise). Keeps apt from starting system services
# (/usr/sbin/policy-rc.d exiting 101) and serialises apt across concurrent installs with flock on
# /tmp/ferry-apt.lock. APT_DEBCONF, when set, is fed to debconf-set-selections under the lock before installing.
apt_install_missing() {
  [ $# -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "missing Debian packages: $* (run as root, or: apt-get install $*)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  [ -x /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }
  echo "installing Debian packages: $*" >&2
  exec 9>/tmp/ferry-apt.lock
  flock 9
  [ -z "${APT_DEBCONF:-}" ] || echo "$APT_DEBCONF" | debconf-set-selections
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "$@" >/dev/null
  exec 9>&-
}

# stop_pidfile [-t TENTHS] PIDFILE...
# For each pid file that exists: sends SIGTERM to its pid, waits until the process is gone or a zombie (checked
# with `ps -o stat=`, not `kill -0`, which succeeds on zombies) for at most TENTHS tenths of a second (default 50),
# then removes the pid file. A process still running after that is reported on stderr, its pid file is kept,
# and the function returns 1 (after trying every file).
stop_pidfile() {
  local tenths=50 rc=0 file pid stat
  if [ "${1:-}" = -t ]; then tenths=$2; shift 2; fi
  for file in "$@"; do
    [ -f "$file" ] || continue
    pid=$(cat "$file")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 "$tenths"); do
      stat=$(ps -o stat= -p "$pid" 2>/dev/null || true)
      [[ -z "$stat" || "$stat" == Z* ]] && break
      sleep 0.1
    done
    stat=$(ps -o stat= -p "$pid" 2>/dev/null || true)
    if [[ -z "$stat" || "$stat" == Z* ]]; then
      rm -f "$file"
    else
      echo "process $pid (from $file) did not stop" >&2
      rc=1
    fi
  done
  return "$rc"
}

# free_port PORT
# Prints PORT, or the first port above it that nothing on 127.0.0.1 listens on (so concurrent runs never collide).
free_port() {
  local p=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
  echo "$p"
}

# make_tls_cert DIR OWNER
# Writes a throwaway CA (DIR/ca.crt) and a server certificate signed by it (DIR/server.crt, DIR/server.key) for
# 127.0.0.1: the address is in the subject alternative names, as host name checks need (a certificate for
# `localhost` fails them on these machines). Owned by OWNER, the key readable by OWNER only. Kept when present.
make_tls_cert() {
  local dir=$1 owner=$2
  [ -f "$dir/server.crt" ] && return 0
  mkdir -p "$dir"
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj '/CN=Ferry test peer CA' \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj '/CN=127.0.0.1' -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$dir/ext.cnf"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 30 \
    -extfile "$dir/ext.cnf" -out "$dir/server.crt" 2>/dev/null
  rm -f "$dir/server.csr" "$dir/ext.cnf" "$dir/ca.key" "$dir/ca.srl"
  chown -R "$owner" "$dir"
  chmod 0600 "$dir/server.key"
  chmod a+rx "$dir"
  chmod a+r "$dir/ca.crt" "$dir/server.crt"
}

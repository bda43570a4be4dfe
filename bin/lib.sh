# Shared helpers for bin/stratum and bin/test (sourced, not executed).
# shellcheck shell=bash

STRATUM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STRATUM_PACKAGES=(postgresql mariadb-server mariadb-backup redis-server openssh-client openssh-server nftables zstd socat)

# Prints the major Java version of the given java binary, or nothing.
java_major() {
  local spec
  spec=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
  spec=${spec#1.}
  echo "${spec%%.*}"
}

# Finds a JDK >= 21: JAVA_HOME, then java on PATH, then /usr/lib/jvm/*. Exports JAVA_HOME.
find_jdk() {
  local candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for c in /usr/lib/jvm/*; do [ -d "$c" ] && candidates+=("$c"); done
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    major=$(java_major "$c/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME="$c"
      return 0
    fi
  done
  echo "stratum: no JDK 21 or newer found (looked at JAVA_HOME, java on PATH, /usr/lib/jvm/*)." >&2
  echo "stratum: install one, e.g. 'apt-get install openjdk-21-jdk' or a Temurin 21+ build, and set JAVA_HOME." >&2
  return 2
}

# Lists the Debian packages from STRATUM_PACKAGES that are not installed.
missing_packages() {
  local p
  for p in "${STRATUM_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      echo "$p"
    fi
  done
}

setup_needed() {
  command -v dpkg-query >/dev/null 2>&1 || return 1
  [ -n "$(missing_packages)" ] && return 0
  [ "$(id -u)" = 0 ] && ! id stratum >/dev/null 2>&1 && return 0
  return 1
}

# Idempotent install of the engine packages and the 'stratum' system user.
run_setup() {
  if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
    echo "stratum setup: this host has no apt-get/dpkg (not Debian). Install these yourself:" >&2
    echo "  PostgreSQL 15 (server + client + contrib), MariaDB 10.11 server + mariadb-backup, Redis 7," >&2
    echo "  OpenSSH client + server, nftables, zstd; then create the system user: useradd --system --home-dir /var/lib/stratum --shell /usr/sbin/nologin stratum" >&2
    return 2
  fi
  local missing
  missing=$(missing_packages | tr '\n' ' ')
  local need_user=0
  id stratum >/dev/null 2>&1 || need_user=1
  if [ "$(id -u)" != 0 ]; then
    if [ -n "$missing" ]; then
      echo "stratum setup: not root, so nothing was installed. Run as root:" >&2
      echo "  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $missing" >&2
      [ "$need_user" = 1 ] && echo "  useradd --system --home-dir /var/lib/stratum --shell /usr/sbin/nologin stratum   (only needed when Stratum runs as root)" >&2
      return 2
    fi
    echo "stratum setup: all packages present (running as $(id -un); engines will run as this user)."
    return 0
  fi
  if [ -n "$missing" ]; then
    echo "stratum setup: installing $missing"
    apt-get update -qq || return 1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing || return 1
  fi
  if [ "$need_user" = 1 ]; then
    echo "stratum setup: creating system user 'stratum'"
    useradd --system --home-dir /var/lib/stratum --no-create-home --shell /usr/sbin/nologin stratum || return 1
  fi
  mkdir -p /var/lib/stratum
  echo "stratum setup: ok (packages: ${STRATUM_PACKAGES[*]}; user: stratum)"
}

# The runnable jar; rebuilt when missing or older than any source or pom.
STRATUM_JAR="$STRATUM_ROOT/app/target/stratum.jar"

jar_stale() {
  [ -f "$STRATUM_JAR" ] || return 0
  [ -n "$(cd "$STRATUM_ROOT" && find . -path ./bench/results -prune -o -path '*/target' -prune -o \
      \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -type f -newer "$STRATUM_JAR" -print -quit)" ]
}

build_jar() {
  echo "stratum: building the jar (first run or sources changed)..." >&2
  (cd "$STRATUM_ROOT" && mvn -B -q -DskipTests -Dmaven.test.skip.exec=true package -pl app -am) >&2 || {
    echo "stratum: build failed" >&2; return 1; }
}

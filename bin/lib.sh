# Shared helpers for bin/stratum and bin/test (sourced, not executed).
# shellcheck shell=bash

STRATUM_ROOT="$(cd -P "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
STRATUM_PACKAGES=(postgresql mariadb-server mariadb-backup redis-server openssh-client openssh-server nftables zstd socat)

# Prints the major Java version of the JDK the given java binary belongs to, or nothing. Reads the JDK's 'release'
# file (no JVM started, so a CLI call does not pay for a second JVM); asks the binary only when that file is missing.
java_major() {
  local spec release
  release="$(dirname "$(dirname "$1")")/release"
  if [ -r "$release" ]; then
    spec=$(sed -n 's/^JAVA_VERSION="\([^"]*\)"$/\1/p' "$release")
  fi
  if [ -z "${spec:-}" ]; then
    spec=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
  fi
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

# JVM options for one CLI call (not the server): C1 only and the serial collector (a call lives for a second, the
# optimising compiler and parallel GC threads would only cost start-up), and the application class-data archive of
# this jar and JDK when there is one. Without an archive the call runs as is and one is recorded in the background
# (see cds_train); a cache directory that cannot be written just means no archive, silently.
cli_java_opts() {
  CLI_JAVA_OPTS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xlog:disable -Xlog:all=error:stderr)
  [ -n "${STRATUM_NO_CDS:-}" ] && return 0
  local dir jdk archive
  dir=$(cds_dir) || return 0
  jdk=$(sed -n 's/^JAVA_RUNTIME_VERSION="\([^"]*\)"$/\1/p' "$JAVA_HOME/release" 2>/dev/null | tr -c 'A-Za-z0-9.\n' '_')
  archive="$dir/cli-${jdk:-unknown}-$(stat -c '%Y-%s' "$STRATUM_JAR").jsa"
  if [ -s "$archive" ]; then
    CLI_JAVA_OPTS+=("-XX:SharedArchiveFile=$archive")
  else
    cds_train "$dir" "$archive" </dev/null >/dev/null 2>&1 &
  fi
}

# Where the CLI's class-data archives live: beside the jar when this user may write there (a rebuild's 'mvn clean'
# removes them with it), else the user's cache directory; fails when neither can be written.
cds_dir() {
  local d
  for d in "$STRATUM_ROOT/app/target/cds" "${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/stratum/cds"; do
    if mkdir -p "$d" 2>/dev/null && [ -w "$d" ]; then echo "$d"; return 0; fi
  done
  return 1
}

# Records the archive once (a lock directory keeps concurrent calls from recording it twice): the jar's training
# entry runs a few read-only commands under -XX:ArchiveClassesAtExit into a temporary file, renamed into place only
# when the JVM exited cleanly, so a full disk or a killed run never leaves a broken archive. Older archives go.
cds_train() {
  local dir=$1 archive=$2 tmp
  find "$dir" -maxdepth 1 -name '*.lock' -mmin +10 -exec rmdir {} + 2>/dev/null   # left by a killed training
  mkdir "$archive.lock" 2>/dev/null || return 0
  tmp="$archive.$$.tmp"
  if "$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:disable "-XX:ArchiveClassesAtExit=$tmp" \
      -jar "$STRATUM_JAR" __cds-training && [ -s "$tmp" ]; then
    find "$dir" -maxdepth 1 -name 'cli-*.jsa' ! -path "$archive" -delete 2>/dev/null
    mv -f "$tmp" "$archive"
  fi
  rm -f "$tmp"
  rmdir "$archive.lock" 2>/dev/null
}

# A copy of the jar for a server to run from, named by the jar's time and size (made once, kept while it is current;
# older copies go: a running server keeps its open file). Falls back to the jar itself when app/target cannot be written.
server_jar_copy() {
  local dir="$STRATUM_ROOT/app/target/server" copy
  copy="$dir/stratum-$(stat -c '%Y-%s' "$STRATUM_JAR").jar"
  if [ ! -s "$copy" ]; then
    if ! mkdir -p "$dir" 2>/dev/null || ! cp "$STRATUM_JAR" "$copy.$$.tmp" 2>/dev/null; then
      rm -f "$copy.$$.tmp"; echo "$STRATUM_JAR"; return 0
    fi
    mv -f "$copy.$$.tmp" "$copy"
    find "$dir" -maxdepth 1 -name 'stratum-*.jar' ! -path "$copy" -delete 2>/dev/null
  fi
  echo "$copy"
}

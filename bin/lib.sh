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

# The command a command line runs: its first word that is not an option or the value of a root option
# (as Main.command decides in the jar), so that 'bin/stratum --home DIR server' is a server too.
command_word() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --home|-o|--output) shift ;;
      --) return 0 ;;
      -*) ;;
      *) echo "$1"; return 0 ;;
    esac
    [ $# -gt 0 ] && shift
  done
}

# JVM options for one CLI call (not the server): C1 only and the serial collector (a call lives for a second, the
# optimising compiler and parallel GC threads would only cost start-up), and the application class-data archive of
# this jar and JDK when there is one. Without an archive the call runs as is and one is recorded in the background
# (see cds_train). Nothing here can fail a call: an unwritable cache, a JDK without a release file or a jar that
# vanished just means no archive, silently. STRATUM_JAVA_OPTS naming a collector wins over the serial one.
cli_java_opts() {
  CLI_JAVA_OPTS=(-XX:TieredStopAtLevel=1 -Xshare:auto -Xlog:disable -Xlog:all=error:stderr)
  case "${STRATUM_JAVA_OPTS:-}" in *GC*) ;; *) CLI_JAVA_OPTS+=(-XX:+UseSerialGC) ;; esac
  [ -n "${STRATUM_NO_CDS:-}" ] && return 0
  local dir jdk stamp archive
  dir=$(cds_dir) || return 0
  jdk=$( { sed -n 's/^JAVA_RUNTIME_VERSION="\([^"]*\)"$/\1/p' "$JAVA_HOME/release" 2>/dev/null || true; } | tr -c 'A-Za-z0-9.\n' '_')
  [ -n "$jdk" ] || return 0
  stamp=$(stat -c '%Y-%s' "$STRATUM_JAR" 2>/dev/null) || return 0
  archive="$dir/cli-$jdk-$stamp.jsa"
  if [ -s "$archive" ]; then
    CLI_JAVA_OPTS+=("-XX:SharedArchiveFile=$archive")
  elif [ ! -e "$archive.failed" ] || [ -n "$(find "$archive.failed" -mmin +1440 2>/dev/null)" ]; then
    (cds_train "$dir" "$archive" "cli-$jdk-") </dev/null >/dev/null 2>&1 &
  fi
  return 0
}

# Where the CLI's class-data archives live: beside the jar when this user owns app/target (a rebuild's 'mvn clean'
# removes them with it; a root call in a user's checkout does not leave root-owned files there), else the user's cache
# directory; fails when neither can be written.
cds_dir() {
  local d
  if [ -O "$STRATUM_ROOT/app/target" ]; then
    d="$STRATUM_ROOT/app/target/cds"
    if mkdir -p "$d" 2>/dev/null && [ -O "$d" ] && [ -w "$d" ]; then echo "$d"; return 0; fi
  fi
  [ -n "${HOME:-}" ] || return 1
  d="${XDG_CACHE_HOME:-$HOME/.cache}/stratum/cds"
  if mkdir -p "$d" 2>/dev/null && [ -w "$d" ]; then echo "$d"; return 0; fi
  return 1
}

# Records the archive once, in the background (a lock directory keeps concurrent calls from recording it twice): the
# jar's training entry runs a few read-only commands under -XX:ArchiveClassesAtExit into a temporary file, renamed
# into place only when the JVM exited cleanly, so a full disk or a killed run never leaves a broken archive. A failed
# recording is not retried for a day ($archive.failed). Older archives of the same JDK go; another JDK's stay.
cds_train() {
  set +e
  local dir=$1 archive=$2 prefix=$3 tmp f
  find "$dir" -maxdepth 1 \( -name '*.lock' -o -name '*.tmp' \) -mmin +10 -exec rm -rf {} + 2>/dev/null   # left by a killed run
  mkdir "$archive.lock" 2>/dev/null || return 0
  tmp="$archive.$$.tmp"
  # expanded now: the trap runs when the subshell exits, after this function's locals are gone
  trap "rm -f $(printf %q "$tmp"); rmdir $(printf %q "$archive.lock") 2>/dev/null" EXIT
  if "$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:disable "-XX:ArchiveClassesAtExit=$tmp" \
      -jar "$STRATUM_JAR" __cds-training && [ -s "$tmp" ] && mv -f "$tmp" "$archive"; then
    rm -f "$archive.failed"
    for f in "$dir/$prefix"*.jsa; do
      [ "$f" = "$archive" ] || rm -f "$f"
    done
  else
    touch "$archive.failed"
  fi
}

# A copy of the jar for a server to run from, named by the jar's time and size (made once, kept while it is current).
# Older copies go once no process runs from them (a running server keeps reading its jar by path, e.g. for service
# lookups). Falls back to the jar itself when app/target cannot be written.
server_jar_copy() {
  local dir="$STRATUM_ROOT/app/target/server" copy f stamp
  stamp=$(stat -c '%Y-%s' "$STRATUM_JAR" 2>/dev/null) || { echo "$STRATUM_JAR"; return 0; }
  copy="$dir/stratum-$stamp.jar"
  if [ ! -s "$copy" ]; then
    if ! mkdir -p "$dir" 2>/dev/null || ! cp "$STRATUM_JAR" "$copy.$$.tmp" 2>/dev/null || ! mv -f "$copy.$$.tmp" "$copy"; then
      rm -f "$copy.$$.tmp"; echo "$STRATUM_JAR"; return 0
    fi
    for f in "$dir"/stratum-*.jar; do
      [ "$f" = "$copy" ] && continue
      grep -qsF "$f" /proc/[0-9]*/cmdline || rm -f "$f"
    done
  fi
  echo "$copy"
}

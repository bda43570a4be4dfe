# Shared helpers for bin/stratum and bin/test (sourced, not executed).
# shellcheck shell=bash

STRATUM_ROOT="$(cd -P "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
STRATUM_PACKAGES=(postgresql mariadb-server mariadb-backup redis-server openssh-client openssh-server nftables zstd socat)

# Reads a JDK's 'release' file with shell builtins only (a CLI call pays for every process the launcher forks): sets
# JDK_MAJOR (e.g. 25) and JDK_RUNTIME (e.g. 25.0.3+9-LTS), or empties them when the file is missing or says nothing.
read_jdk_release() {
  local line spec=""
  JDK_MAJOR="" JDK_RUNTIME=""
  [ -r "$1/release" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
      JAVA_VERSION=*) spec=${line#JAVA_VERSION=} ;;
      JAVA_RUNTIME_VERSION=*) JDK_RUNTIME=${line#JAVA_RUNTIME_VERSION=} ;;
    esac
  done < "$1/release"
  spec=${spec//\"/} JDK_RUNTIME=${JDK_RUNTIME//\"/}
  spec=${spec#1.}
  JDK_MAJOR=${spec%%.*}
  case "$JDK_MAJOR" in ''|*[!0-9]*) JDK_MAJOR="" ;; esac
}

# Whether $1 is a JDK >= 21 (java and javac). Reads its release file; asks its java only when that file is missing.
jdk_usable() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  read_jdk_release "$1"
  if [ -z "$JDK_MAJOR" ]; then
    JDK_MAJOR=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
    JDK_MAJOR=${JDK_MAJOR#1.} JDK_MAJOR=${JDK_MAJOR%%.*}
  fi
  [ -n "$JDK_MAJOR" ] && [ "$JDK_MAJOR" -ge 21 ] 2>/dev/null
}

# Finds a JDK >= 21: JAVA_HOME, then java on PATH, then /usr/lib/jvm/*; the first that qualifies wins and later ones are
# not looked at. Exports JAVA_HOME; sets JDK_MAJOR and JDK_RUNTIME for it.
find_jdk() {
  local c java
  if [ -n "${JAVA_HOME:-}" ] && jdk_usable "$JAVA_HOME"; then export JAVA_HOME; return 0; fi
  if java=$(command -v java 2>/dev/null); then
    c=$(readlink -f "$java"); c=${c%/bin/java}
    if jdk_usable "$c"; then export JAVA_HOME="$c"; return 0; fi
  fi
  for c in /usr/lib/jvm/*; do
    if [ -d "$c" ] && jdk_usable "$c"; then export JAVA_HOME="$c"; return 0; fi
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
  [ -n "$(cd "$STRATUM_ROOT" && find . \( -path ./.git -o -path ./bench/results -o -name target -o -name node_modules \) -prune -o \
      \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -type f -newer "$STRATUM_JAR" -print -quit)" ]
}

# Builds the jar when it is missing or stale, one build at a time: calls that find it stale together (after 'git
# pull', a server starting beside a CLI call) wait for the first one's build instead of rewriting the jar under it,
# and a call that finds it current while a build is under way waits for that build (shared lock) rather than run a
# jar that is still being written. Without a lock file it can make (a read-only checkout), it checks and builds as is.
ensure_jar() {
  local lock="$STRATUM_ROOT/app/target/.build.lock" rc=0
  { [ -e "$lock" ] || { mkdir -p "$STRATUM_ROOT/app/target" && : >>"$lock"; }; } 2>/dev/null
  # checked before the exec: a failed redirection of exec ends a POSIX-mode shell, whatever 'if' says
  if ! command -v flock >/dev/null 2>&1 || [ ! -r "$lock" ] || ! { exec 8<"$lock"; } 2>/dev/null; then
    if jar_stale; then build_jar || return 1; fi
    return 0
  fi
  flock -s 8
  if jar_stale; then
    flock -x 8   # one builder; the others wait here and find the jar current
    if jar_stale; then build_jar || rc=1; fi
  fi
  exec 8<&-
  return $rc
}

# The old jar is removed first: a JVM still running from it keeps reading the file it opened (the build writes a new
# one instead of rewriting it under that JVM), and a build that fails or is interrupted leaves no jar that looks current.
build_jar() {
  echo "stratum: building the jar (first run or sources changed)..." >&2
  rm -f "$STRATUM_JAR"
  (cd "$STRATUM_ROOT" && mvn -B -q -DskipTests -Dmaven.test.skip.exec=true package -pl app -am 8<&-) >&2 || {
    rm -f "$STRATUM_JAR"; echo "stratum: build failed" >&2; return 1; }
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
# optimising compiler and parallel GC threads would only cost start-up), no hsperfdata file (jps/jstat have nothing to
# watch in a call this short), and the class cache of this jar and JDK when there is one: on JDK 25 and later an
# ahead-of-time cache (-XX:AOTCache: classes loaded and linked before main runs), before that a dynamic class-data
# archive (-XX:SharedArchiveFile). Without one the call runs as is and one is recorded in the background (see
# cds_train). Nothing here can fail a call or add to its output: an unwritable cache, a JDK without a release file or a
# jar that vanished just means no cache, and a cache the JVM rejects is ignored without a word (the cds and aot logs are
# off). STRATUM_JAVA_OPTS, the user's own JVM options, turn the cache off (it was recorded with these options, and
# another collector or heap would make the JVM reject it); naming a collector there replaces the serial one.
cli_java_opts() {
  # errors only, and nothing from class sharing: a rejected cache is not the user's error (JDK 21-24 have no 'aot'
  # log tag, and the JVM refuses an -Xlog naming a tag it does not know)
  CLI_JAVA_OPTS=(-XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xlog:disable -Xlog:all=error:stderr -Xlog:cds=off:stderr)
  [ "${JDK_MAJOR:-0}" -ge 25 ] && CLI_JAVA_OPTS+=(-Xlog:aot=off:stderr)
  case "${STRATUM_JAVA_OPTS:-}" in *GC*) ;; *) CLI_JAVA_OPTS+=(-XX:+UseSerialGC) ;; esac
  [ -n "${STRATUM_NO_CDS:-}" ] || [ -n "${STRATUM_JAVA_OPTS:-}" ] && return 0
  local jdk stamp archive kind=jsa
  [ -n "${JDK_RUNTIME:-}" ] || return 0
  [ "${JDK_MAJOR:-0}" -ge 25 ] && kind=aot
  jdk=${JDK_RUNTIME//[!A-Za-z0-9.]/_}
  cds_dir || return 0
  stamp=$(stat -c '%Y-%s' "$STRATUM_JAR" 2>/dev/null) || return 0
  archive="$CDS_DIR/cli-$jdk-$stamp.$kind"
  if [ -s "$archive" ] && [ -O "$archive" ]; then
    if [ "$kind" = aot ]; then CLI_JAVA_OPTS+=("-XX:AOTCache=$archive"); else CLI_JAVA_OPTS+=("-XX:SharedArchiveFile=$archive"); fi
  elif [ ! -e "$archive.failed" ] || [ -n "$(find "$archive.failed" -mmin +1440 2>/dev/null)" ]; then
    (cds_train "$CDS_DIR" "$archive" "cli-$jdk-" "$kind") </dev/null >/dev/null 2>&1 &
  fi
  return 0
}

# Sets CDS_DIR to where the CLI's class caches live: beside the jar when this user owns app/target (a rebuild's
# 'mvn clean' removes them with it; a root call in a user's checkout does not leave root-owned files there), else the
# user's cache directory; fails when neither can be written.
cds_dir() {
  local d
  if [ -O "$STRATUM_ROOT/app/target" ]; then
    d="$STRATUM_ROOT/app/target/cds"
    { [ -d "$d" ] || mkdir -p "$d" 2>/dev/null; } && [ -O "$d" ] && [ -w "$d" ] && { CDS_DIR=$d; return 0; }
  fi
  [ -n "${HOME:-}" ] || return 1
  d="${XDG_CACHE_HOME:-$HOME/.cache}/stratum/cds"
  # this user's own (a HOME kept across sudo must not hand root another user's cache)
  { [ -d "$d" ] || mkdir -p "$d" 2>/dev/null; } && [ -O "$d" ] && [ -w "$d" ] && { CDS_DIR=$d; return 0; }
  return 1
}

# Records the cache once, in the background (a lock directory keeps concurrent calls from recording it twice): the
# jar's training entry runs a few read-only commands, under -XX:AOTCacheOutput (kind aot) or -XX:ArchiveClassesAtExit
# (kind jsa), into a temporary file, renamed into place only when the JVM exited cleanly and a JVM with a CLI call's
# options that must use the cache (-XX:AOTMode=on, -Xshare:on) started with it, so a full disk, a killed run or a cache
# the JVM would reject never takes a call's place. A failed recording is not retried for a day ($archive.failed). Older caches of the
# same JDK go; another JDK's stay.
cds_train() {
  set +e
  local dir=$1 archive=$2 prefix=$3 kind=$4 tmp f record strict
  find "$dir" -maxdepth 1 \( -name '*.lock' -o -name '*.tmp' -o -name '*.tmp.config' \) -mmin +10 -exec rm -rf {} + 2>/dev/null   # left by a killed run
  mkdir "$archive.lock" 2>/dev/null || return 0
  tmp="$archive.$$.tmp"
  if [ "$kind" = aot ]; then record=("-XX:AOTCacheOutput=$tmp" "-XX:AOTConfiguration=$tmp.config"); else record=("-XX:ArchiveClassesAtExit=$tmp"); fi
  # expanded now: the trap runs when the subshell exits, after this function's locals are gone
  trap "rm -f $(printf %q "$tmp") $(printf %q "$tmp.config"); rmdir $(printf %q "$archive.lock") 2>/dev/null" EXIT
  if [ "$kind" = aot ]; then strict=(-XX:AOTMode=on "-XX:AOTCache=$tmp"); else strict=(-Xshare:on "-XX:SharedArchiveFile=$tmp"); fi
  if "$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 -XX:-UsePerfData -XX:+UseSerialGC -Xlog:disable "${record[@]}" \
      -jar "$STRATUM_JAR" __cds-training && [ -s "$tmp" ] \
      && "$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 -XX:-UsePerfData -XX:+UseSerialGC -Xlog:disable "${strict[@]}" \
         -jar "$STRATUM_JAR" --version \
      && mv -f "$tmp" "$archive"; then
    rm -f "$archive.failed"
    for f in "$dir/$prefix"*.jsa "$dir/$prefix"*.aot; do
      [ -e "$f" ] && [ "$f" != "$archive" ] && rm -f "$f"
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

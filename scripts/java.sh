# Sourced by the launchers: find_java prints the newest JDK >= 21 on this machine.
java_major() { "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1; }

find_java() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  for d in /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/lib/jvm/* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -x "$d/bin/java" ] && candidates+=("$d/bin/java")
  done
  local best="" best_major=0 c m
  for c in "${candidates[@]}"; do
    m="$(java_major "$c" 2>/dev/null || echo 0)"
    [[ "$m" =~ ^[0-9]+$ ]] || continue
    if [ "$m" -ge 21 ] && [ "$m" -gt "$best_major" ]; then best="$c"; best_major="$m"; fi
  done
  [ -n "$best" ] || { echo "accrue: no JDK 21 or newer found (looked in JAVA_HOME, PATH and /usr/lib/jvm)" >&2; exit 1; }
  echo "$best"
}


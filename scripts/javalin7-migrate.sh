#!/usr/bin/env bash
# Javalin 6 -> 7 for route classes (issue 17 point 8).
#
# Javalin 7 registers routes on its configuration (`config.routes`, an io.javalin.config.RoutesConfig) instead of on
# the Javalin instance, with the same get/post/put/patch/delete/before/after/exception/error calls. This script
# rewrites only what names the instance, so every `app.get(...)` body stays as it is:
#   register(Javalin app) / any (Javalin x, ...) parameter  ->  (RoutesConfig x, ...)
#   Consumer<Javalin>, io.javalin.Javalin (outside imports) ->  RoutesConfig, io.javalin.config.RoutesConfig
#   ctx.endpointHandlerPath()                               ->  ctx.endpoints().matchedHttpEndpoint().path
#   ctx.method() == HandlerType.X                          ->  HandlerType.X.equals(ctx.method())  (a record in Javalin 7)
#   new Cookie(n, v, path, age, secure, 0, httpOnly, null, null, SameSite.X)
#                                                           ->  new Cookie(n, v, path, age, secure, httpOnly, null, SameSite.X)
#                                                              (Javalin 7 dropped the cookie version and comment)
#   import io.javalin.Javalin;                               ->  import io.javalin.config.RoutesConfig;
#                                                              (kept as well when the file still uses Javalin)
# Idempotent: a second run changes nothing. Run it from anywhere after merging a branch that adds route classes:
#   scripts/javalin7-migrate.sh [directory...]          (default: adapters server bench)
set -euo pipefail
cd "$(dirname "$0")/.."
dirs=("$@")
[ ${#dirs[@]} -eq 0 ] && dirs=(adapters server bench)
changed=0
# whether the file's code (imports aside) names a type as a bare word; reads the whole file (no grep -q under pipefail)
names() { awk '!/^import /' "$2" | grep -E "(^|[^.A-Za-z0-9_])$1\\b" > /dev/null; }
while IFS= read -r -d '' f; do
  before=$(sha1sum < "$f")
  sed -i -E \
    -e '/^import /!s/\bio\.javalin\.Javalin\b([^.]|$)/io.javalin.config.RoutesConfig\1/g' \
    -e 's/\(Javalin ([A-Za-z_][A-Za-z0-9_]*)([,)])/(RoutesConfig \1\2/g' \
    -e 's/Consumer<Javalin>/Consumer<RoutesConfig>/g' \
    -e 's/ctx\.endpointHandlerPath\(\)/ctx.endpoints().matchedHttpEndpoint().path/g' \
    -e 's/ctx\.method\(\) == HandlerType\.([A-Z_]+)/HandlerType.\1.equals(ctx.method())/g' \
    -e 's/(new Cookie\([^;]*), 0, (true|false), null, null, (SameSite\.[A-Z]+\))/\1, \2, null, \3/g' \
    "$f"
  # imports: RoutesConfig wherever the file names it bare; Javalin's own import only while the file still uses Javalin
  if names RoutesConfig "$f" && ! grep -q '^import io\.javalin\.config\.RoutesConfig;' "$f"; then
    if grep -q '^import io\.javalin\.Javalin;' "$f"; then
      sed -i -E 's/^import io\.javalin\.Javalin;$/import io.javalin.config.RoutesConfig;/' "$f"
    else
      sed -i -E '0,/^import /s/^import /import io.javalin.config.RoutesConfig;\nimport /' "$f"
    fi
  fi
  if grep -q '^import io\.javalin\.Javalin;' "$f" && ! names Javalin "$f"; then
    sed -i -E '/^import io\.javalin\.Javalin;$/d' "$f"
  fi
  if names Javalin "$f" && ! grep -q '^import io\.javalin\.Javalin;' "$f" \
      && grep -q '^import io\.javalin\.config\.RoutesConfig;' "$f"; then
    sed -i -E 's/^import io\.javalin\.config\.RoutesConfig;$/import io.javalin.Javalin;\nimport io.javalin.config.RoutesConfig;/' "$f"
  fi
  if [ "$before" != "$(sha1sum < "$f")" ]; then
    echo "migrated $f"
    changed=$((changed + 1))
  fi
done < <(for d in "${dirs[@]}"; do [ -d "$d" ] && grep -rlZ --include='*.java' -E '\bJavalin\b|endpointHandlerPath|new Cookie\(|== HandlerType\.' "$d"; done; true)
echo "$changed file(s) changed"

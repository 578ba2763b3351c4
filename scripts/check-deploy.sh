#!/usr/bin/env bash
# Lints the deployment files in deploy/ without Docker (none runs here): nginx -t on nginx.conf,
# systemd-analyze verify on the unit, the compose file's structure, the Dockerfile's stages, user
# and build script, and .env.example against every variable the server reads — then starts the
# real binary on the example's values to prove they parse. Run by CTest (deploy_files).
#   scripts/check-deploy.sh [path/to/tiptop]
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(readlink -f "${1:-build/src/tiptop}")"
[ -x "$bin" ] || { echo "check-deploy: no server binary at $bin" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "check-deploy: $*" >&2; exit 1; }

echo "== deploy/nginx.conf"
# The upstream names resolve only inside docker compose; the test copy points at loopback.
sed -e 's/server api1:5000/server 127.0.0.1:5001/' -e 's/server api2:5000/server 127.0.0.1:5002/' \
    -e "s|pid /tmp/nginx.pid;|pid $tmp/nginx.pid;|" deploy/nginx.conf >"$tmp/nginx.conf"
/usr/sbin/nginx -t -q -p "$tmp" -c "$tmp/nginx.conf" -e stderr || fail "nginx.conf does not pass nginx -t"
for needle in 'ip_hash;' 'proxy_set_header Upgrade $http_upgrade;' 'proxy_set_header Connection $connection_upgrade;' \
              'proxy_set_header X-Forwarded-For' 'location = /metrics'; do
  grep -qF "$needle" deploy/nginx.conf || fail "nginx.conf lacks: $needle"
done

echo "== deploy/tiptop.service"
sed "s|^ExecStart=/usr/local/bin/tiptop serve|ExecStart=$bin serve|" deploy/tiptop.service >"$tmp/tiptop.service"
out="$(systemd-analyze verify "$tmp/tiptop.service" 2>&1 || true)"
# verify runs as a plain check here: no tiptop user or /etc/tiptop on this machine is fine.
if grep -v -e 'User=tiptop' -e '/etc/tiptop/tiptop.env' <<<"$out" | grep -qi -e error -e 'unknown' -e 'invalid'; then
  echo "$out" >&2
  fail "systemd-analyze verify found problems in tiptop.service"
fi
for key in 'Restart=on-failure' 'User=tiptop' 'NoNewPrivileges=yes' 'ProtectSystem=strict' 'PrivateTmp=yes' \
           'CapabilityBoundingSet=' 'SystemCallFilter=@system-service' 'KillSignal=SIGTERM'; do
  grep -qx "$key" deploy/tiptop.service || fail "tiptop.service lacks $key"
done

echo "== deploy/docker-compose.yml"
/usr/bin/python3 - deploy/docker-compose.yml <<'PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
services = doc["services"]
def need(cond, what):
    if not cond: sys.exit("docker-compose.yml: " + what)
need({"api1", "api2", "postgres", "redis", "nginx"} <= set(services), "needs api1, api2, postgres, redis and nginx")
for name, svc in services.items():
    need("healthcheck" in svc, f"{name} has no health check")
    need(svc.get("restart") in ("unless-stopped", "always"), f"{name} has no restart policy")
for api in ("api1", "api2"):
    svc = services[api]
    env = svc["environment"]
    need(env["DATABASE_URL"].startswith("postgres://") and env["REDIS_URL"].startswith("redis://"), f"{api}: PostgreSQL and Redis")
    need(svc["depends_on"]["postgres"]["condition"] == "service_healthy", f"{api} must wait for a healthy postgres")
    need(svc["build"]["dockerfile"] == "deploy/Dockerfile", f"{api} builds deploy/Dockerfile")
need(any(v.endswith(":/etc/nginx/nginx.conf:ro") for v in services["nginx"]["volumes"]), "nginx mounts deploy/nginx.conf")
need({"pgdata", "redisdata", "uploads"} <= set(doc["volumes"]), "named volumes for data")
PY

echo "== deploy/Dockerfile"
/usr/bin/python3 - deploy/Dockerfile <<'PY'
import os, re, sys
lines = [l.rstrip("\n") for l in open(sys.argv[1])]
text = "\n".join(lines)
def need(cond, what):
    if not cond: sys.exit("Dockerfile: " + what)
froms = [l.split() for l in lines if l.startswith("FROM ")]
need(len(froms) == 2, "two stages (build, runtime)")
need(froms[0][1] == "debian:bookworm" and froms[1][1] == "debian:bookworm-slim", "Debian bookworm bases, slim at run time")
runtime = text[text.rindex("\nFROM "):]
need(re.search(r"^USER (?!root\b)\S+", runtime, re.M), "the runtime stage runs as a non-root user")
need("HEALTHCHECK" in runtime and "/ready" in runtime, "a HEALTHCHECK on /ready")
need("COPY --from=build" in runtime, "the binary comes from the build stage")
for l in lines:
    m = re.match(r"COPY (?!--from)(\S+) ", l)
    if m: need(os.path.exists(m.group(1)), f"COPY source {m.group(1)} exists")
for script in re.findall(r"scripts/[\w.-]+\.sh", text):
    need(os.access(script, os.X_OK), f"{script} is executable")
need(":latest" not in text, "pinned base images")
PY

echo "== deploy/.env.example"
# The variables the server reads are the rows of kConfigVars in config.cpp, the table `tiptop --help`
# prints. load_config refuses to read a variable missing there; a row nothing reads is caught here.
table_vars="$(grep -oE '^\s*\{"[A-Z0-9_]+",' src/core/config.cpp | grep -oE '[A-Z0-9_]+' | sort -u)"
read_vars="$(grep -oE '(get|parse_long|one_of|duration)\((env, )?"[A-Z0-9_]+"' src/core/config.cpp | grep -oE '"[A-Z0-9_]+"' | tr -d '"' | sort -u)"
[ "$(wc -l <<<"$table_vars")" -gt 30 ] || fail "could not list the variables of kConfigVars in config.cpp"
[ "$table_vars" = "$read_vars" ] ||
  fail "kConfigVars and what load_config reads differ: $(comm -3 <(echo "$table_vars") <(echo "$read_vars") | xargs)"
help="$("$bin" --help)" || fail "tiptop --help failed"
for v in $table_vars; do
  grep -q "^$v=" deploy/.env.example || fail ".env.example lacks $v"
  grep -qE "^  $v[= ]" <<<"$help" || fail "tiptop --help does not list $v"
done
# The example's values, as they stand, are accepted by the server (a secret and a database added).
(
  set -a
  # shellcheck disable=SC1091
  . deploy/.env.example
  set +a
  JWT_SECRET="check-deploy-secret-0123456789abcdef" DATABASE_URL="sqlite://$tmp/check.db" UPLOAD_DIR="$tmp/uploads" \
    LOG_LEVEL=warn "$bin" migrate
) >"$tmp/migrate.log" 2>&1 || { cat "$tmp/migrate.log" >&2; fail "the server refuses .env.example's values"; }
echo "deploy files: ok"

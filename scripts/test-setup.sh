#!/usr/bin/env bash
# Runs before `npm test` (npm's pretest): makes sure what the suite talks to is there.
# - Debian's Chromium for the browser test, Prometheus' Pushgateway for the agent's export test,
#   docker-compose to validate the compose file (no engine needed), nftables/iproute2/promtool/openssl
#   for the agent's packet-level tests, pg_isready and redis-cli (installed when root);
# - PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379, started when they are installed but down.
# Idempotent and quick when everything is already in place.
set -euo pipefail

say() { printf 'test-setup: %s\n' "$*"; }

wait_for() {
  local name="$1"
  shift
  for _ in $(seq 1 30); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  say "$name did not become ready within 30 s" >&2
  return 1
}

packages=()
[[ -x /usr/bin/chromium ]] || packages+=(chromium)
command -v pg_isready >/dev/null || packages+=(postgresql-client)
command -v redis-cli >/dev/null || packages+=(redis-tools)
[[ -x /usr/bin/prometheus-pushgateway ]] || packages+=(prometheus-pushgateway)
command -v docker-compose >/dev/null || packages+=(docker-compose)
# the agent's tests: nftables drops packets in the test's own namespaces (ip), promtool lints
# metrics output, openssl makes test certificates
command -v nft >/dev/null || packages+=(nftables)
command -v ip >/dev/null || packages+=(iproute2)
command -v promtool >/dev/null || packages+=(prometheus)
command -v openssl >/dev/null || packages+=(openssl)
if ((${#packages[@]} > 0)); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    say "installing ${packages[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q "${packages[@]}" >/dev/null
  else
    say "missing ${packages[*]}: install them (e.g. sudo apt-get install -y ${packages[*]})" >&2
    exit 1
  fi
fi

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  if command -v pg_ctlcluster >/dev/null && [[ -d /etc/postgresql ]]; then
    say "starting PostgreSQL"
    # shellcheck disable=SC2046 # one cluster version folder is expected
    pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start
    wait_for PostgreSQL pg_isready -q -h 127.0.0.1 -p 5432
  else
    say "PostgreSQL is not reachable on 127.0.0.1:5432 (user postgres, trust auth); set TEST_PG_URL to use another" >&2
    exit 1
  fi
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  if command -v redis-server >/dev/null; then
    say "starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
    wait_for Redis redis-cli -h 127.0.0.1 -p 6379 ping
  else
    say "Redis is not reachable on 127.0.0.1:6379; set TEST_REDIS_URL to use another" >&2
    exit 1
  fi
fi
say "chromium, pushgateway, PostgreSQL and Redis ready"

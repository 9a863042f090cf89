#!/usr/bin/env bash
# Applies db/migrations/NNNN_name.up.sql to $DATABASE_URL with psql, or rolls back the latest one.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/nop scripts/run-migrations.sh [up|down|version]
#
# Bookkeeping is golang-migrate's: one row in schema_migrations (version bigint, dirty boolean)
# holding the latest applied version, no row when nothing is applied. The backend's own migrator
# (backend/src/db/migrate.ts) and the `migrate` CLI use the same table, so all three can be mixed.
#
# Each migration runs in one transaction together with its version update, so a failure leaves
# the database as it was. Migration files must therefore not contain BEGIN/COMMIT themselves,
# nor statements that refuse to run in a transaction (CREATE INDEX CONCURRENTLY).
# A row left dirty by golang-migrate (a migration that failed outside a transaction) stops this
# script until a person has repaired the schema and cleared the flag.
#
# MIGRATIONS_DIR overrides the folder (default: db/migrations in this repository).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
migrations_dir="${MIGRATIONS_DIR:-$root/db/migrations}"
command="${1:-up}"

if [[ -z "${DATABASE_URL:-}" ]]; then
  echo "run-migrations: DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/nop)" >&2
  exit 2
fi
case "$command" in
  up | down | version) ;;
  *)
    echo "usage: $0 [up|down|version]   (DATABASE_URL required, MIGRATIONS_DIR optional)" >&2
    exit 2
    ;;
esac
if [[ ! -d "$migrations_dir" ]]; then
  echo "run-migrations: no migrations folder at $migrations_dir" >&2
  exit 2
fi

export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
psql_base=(psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1)

# version -> up file, from file names like 0001_create_users.up.sql (numeric prefix, any width).
declare -A up_files=()
versions=()
shopt -s nullglob
for file in "$migrations_dir"/*.up.sql; do
  name="$(basename "$file")"
  if [[ ! "$name" =~ ^([0-9]+)_[^/]+\.up\.sql$ ]]; then
    echo "run-migrations: $name does not match NNNN_name.up.sql" >&2
    exit 1
  fi
  version=$((10#${BASH_REMATCH[1]}))
  if [[ -n "${up_files[$version]:-}" ]]; then
    echo "run-migrations: two migrations with version $version: $(basename "${up_files[$version]}") and $name" >&2
    exit 1
  fi
  up_files[$version]="$file"
  versions+=("$version")
done
shopt -u nullglob
if ((${#versions[@]} > 0)); then
  mapfile -t versions < <(printf '%s\n' "${versions[@]}" | sort -n)
fi

"${psql_base[@]}" -c 'CREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)'

# Prints "<version> <dirty>", version -1 when nothing is applied.
read_state() {
  local row
  row="$("${psql_base[@]}" -At -F ' ' -c 'SELECT version, dirty FROM schema_migrations ORDER BY version DESC LIMIT 1')"
  echo "${row:--1 f}"
}

# SQL run first in each migration's transaction: wait for any other migrator (the backend's takes
# advisory lock 727001, golang-migrate writes the table), then check nobody moved the version
# since we read it.
guard_sql() {
  local expected="$1"
  echo "SELECT pg_advisory_xact_lock(727001);
LOCK TABLE schema_migrations IN ACCESS EXCLUSIVE MODE;
DO \$guard\$ BEGIN
  IF (SELECT coalesce(max(version), -1) FROM schema_migrations) <> $expected
     OR EXISTS (SELECT 1 FROM schema_migrations WHERE dirty) THEN
    RAISE EXCEPTION 'schema_migrations changed while migrating (expected version $expected); run again';
  END IF;
END \$guard\$;"
}

# SQL that records the new version the way golang-migrate does (-1: no row).
set_version_sql() {
  local version="$1"
  if ((version < 0)); then
    echo 'TRUNCATE schema_migrations;'
  else
    echo "TRUNCATE schema_migrations; INSERT INTO schema_migrations (version, dirty) VALUES ($version, false);"
  fi
}

describe() {
  if (($1 < 0)); then echo "none"; else echo "$1"; fi
}

state="$(read_state)"
read -r current dirty <<<"$state"
if [[ "$dirty" == "t" ]]; then
  echo "run-migrations: database is dirty at version $current (a migration failed half-way)." >&2
  echo "  Repair the schema by hand, then: UPDATE schema_migrations SET dirty = false;" >&2
  exit 1
fi

case "$command" in
  version)
    describe "$current"
    ;;

  up)
    applied=0
    for version in "${versions[@]}"; do
      if ((version <= current)); then continue; fi
      file="${up_files[$version]}"
      echo "applying $(basename "$file")"
      "${psql_base[@]}" --single-transaction --output=/dev/null \
        -c "$(guard_sql "$current")" \
        -f "$file" \
        -c "$(set_version_sql "$version")"
      current="$version"
      applied=$((applied + 1))
    done
    if ((applied == 0)); then
      echo "up to date (version $(describe "$current"))"
    else
      echo "applied $applied migration(s); now at version $current"
    fi
    ;;

  down)
    if ((current < 0)); then
      echo "nothing to roll back"
      exit 0
    fi
    up_file="${up_files[$current]:-}"
    if [[ -z "$up_file" ]]; then
      echo "run-migrations: database is at version $current but $migrations_dir has no such migration" >&2
      exit 1
    fi
    down_file="${up_file%.up.sql}.down.sql"
    if [[ ! -f "$down_file" ]]; then
      echo "run-migrations: $(basename "$down_file") is missing" >&2
      exit 1
    fi
    previous=-1
    for version in "${versions[@]}"; do
      if ((version < current)); then previous="$version"; fi
    done
    echo "rolling back $(basename "$down_file")"
    "${psql_base[@]}" --single-transaction --output=/dev/null \
      -c "$(guard_sql "$current")" \
      -f "$down_file" \
      -c "$(set_version_sql "$previous")"
    echo "now at version $(describe "$previous")"
    ;;
esac

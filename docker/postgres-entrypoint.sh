#!/bin/sh
# First start: a cluster in $PGDATA with POSTGRES_USER (default postgres) and POSTGRES_PASSWORD,
# password logins from the network, and POSTGRES_DB created. Later starts reuse the data.
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
  user=${POSTGRES_USER:-postgres}
  pwfile=$(mktemp)
  printf '%s' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb -D "$PGDATA" -U "$user" --pwfile="$pwfile" --auth=scram-sha-256 -E UTF8 >/dev/null
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  db=${POSTGRES_DB:-$user}
  if [ "$db" != postgres ]; then
    postgres -D "$PGDATA" -c listen_addresses='' -k /var/run/postgresql &
    pid=$!
    until pg_isready -q -h /var/run/postgresql; do sleep 0.2; done
    PGPASSWORD=$POSTGRES_PASSWORD createdb -h /var/run/postgresql -U "$user" "$db"
    kill -INT "$pid" && wait "$pid" || true
  fi
fi
exec postgres -D "$PGDATA" -c listen_addresses='*' -k /var/run/postgresql

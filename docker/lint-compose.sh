#!/bin/sh
# `npm run lint`'s compose check: docker-compose.yml must parse and validate, alone and with its
# overrides (docker/compose.debian.yml: the "scale" profile without Docker Hub; the container test's
# test/container/compose.scale-test.yml on top of both). Compose reads the env_file while
# validating, so .env.example stands in for a .env that a fresh clone does not have.
cd "$(dirname "$0")/.." || exit 1
if command -v docker-compose >/dev/null 2>&1; then
  compose() { docker-compose "$@"; }
elif docker compose version >/dev/null 2>&1; then
  compose() { docker compose "$@"; }
else
  echo "docker-compose not found: skipping the docker-compose.yml check"
  exit 0
fi
export ENV_FILE=.env.example
compose config -q || exit 1
compose -f docker-compose.yml -f docker/compose.debian.yml --profile scale config -q || exit 1
compose -f docker-compose.yml -f docker/compose.debian.yml -f test/container/compose.scale-test.yml \
  --profile scale config -q || exit 1
echo "docker-compose.yml: valid (alone, with docker/compose.debian.yml, with the container test's override)"

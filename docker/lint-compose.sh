#!/bin/sh
# `npm run lint`'s compose check: docker-compose.yml must parse and validate. Compose reads the
# env_file while validating, so .env.example stands in for a .env that a fresh clone does not have.
cd "$(dirname "$0")/.." || exit 1
if command -v docker-compose >/dev/null 2>&1; then
  ENV_FILE=.env.example docker-compose config -q && echo "docker-compose.yml: valid"
elif docker compose version >/dev/null 2>&1; then
  ENV_FILE=.env.example docker compose config -q && echo "docker-compose.yml: valid"
else
  echo "docker-compose not found: skipping the docker-compose.yml check"
fi

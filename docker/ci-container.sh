#!/usr/bin/env bash
# CI's container step (called from .ci/run): start a Docker engine and the local node:24 base image
# with ../shared/tools/offline-docker.sh, then build the real image and run the container test.
# CI must always exercise the real image, so an engine that cannot be started is a failure here,
# never a skip.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() {
  echo "ci-container: $*" >&2
  echo "0 passed, 1 failed"
  exit 1
}

[ "$(id -u)" = 0 ] || fail "offline-docker.sh needs root to start a Docker engine (running as uid $(id -u))"
[ -f ../shared/tools/offline-docker.sh ] || fail "../shared/tools/offline-docker.sh not found beside the repository"
bash ../shared/tools/offline-docker.sh 24 || fail "offline-docker.sh could not prepare a Docker engine and node:24-bookworm-slim"
docker info >/dev/null 2>&1 || fail "no Docker engine answers after offline-docker.sh"

env -u CONTAINER_TEST_IMAGE CONTAINER_TEST_REQUIRE_ENGINE=1 npm run --silent test:container

#!/bin/sh
# `docker run IMAGE` starts the proxy, `docker run IMAGE --gen-creds` the credential generator (any
# arguments starting with "-" go to the app), and any other command runs as given (`docker run -it
# IMAGE sh`). exec makes node the container's main process, so `docker stop`'s SIGTERM reaches the
# app's own graceful shutdown instead of a shell that would ignore it.
set -e
# V8's memory flags (measured in docs/performance.md): young-generation semi-spaces of 8 MB instead of 16, and
# an old generation that grows by half its live size between full collections instead of up to
# four times, so RSS after a burst of load stays near 150 MB rather than 250 MB.
NODE_MEMORY_FLAGS="--max-semi-space-size=8 --heap-growing-percent=50"
if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
  # shellcheck disable=SC2086
  exec node $NODE_MEMORY_FLAGS --require /usr/local/lib/gemini-proxy/container-env.js /app/dist/main.js "$@"
fi
exec "$@"

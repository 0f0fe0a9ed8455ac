#!/bin/sh
# `docker run IMAGE` starts the proxy, `docker run IMAGE --gen-creds` the credential generator (any
# arguments starting with "-" go to the app), and any other command runs as given (`docker run -it
# IMAGE sh`). exec makes node the container's main process, so `docker stop`'s SIGTERM reaches the
# app's own graceful shutdown instead of a shell that would ignore it.
set -e
if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
  exec node --require /usr/local/lib/gemini-proxy/container-env.js /app/dist/main.js "$@"
fi
exec "$@"

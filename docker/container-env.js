'use strict';
// Preloaded (node --require) by the image's entrypoint, before the app reads its configuration.
const { accessSync, constants } = require('node:fs');

// `docker run --env-file` passes values verbatim, quotes included, while dotenv (npm start) and
// Compose strip them; .env.example quotes its values, so the same .env must mean the same thing here.
for (const [name, value] of Object.entries(process.env)) {
  const quoted = /^(["'])([\s\S]*)\1$/.exec(value ?? '');
  if (quoted) process.env[name] = quoted[2];
}

// A relative storage path (.env.example's "credentials", the seed's "src/", or empty for the default)
// was meant for a checkout; in the image it would land in /app, read-only to the app and outside the
// volume, so credentials would be lost. Only an absolute path chooses another place.
if (!(process.env.PERSISTENT_STORAGE_PATH ?? '').startsWith('/')) {
  process.env.PERSISTENT_STORAGE_PATH = '/data/credentials';
}

// A host folder that Docker created for a bind mount is owned by root, and the app (uid 1000) would
// only fail at its first save; say how to fix it before anything else is logged.
const storage = process.env.PERSISTENT_STORAGE_PATH;
try {
  accessSync(storage, constants.W_OK);
} catch (error) {
  if (error.code !== 'ENOENT') {
    const uid = process.getuid();
    console.error(
      `Warning: ${storage} is not writable by the container's user (uid ${uid}), so new and refreshed ` +
        `credentials cannot be saved. On the host: sudo chown -R ${uid}:${uid} <the folder mounted at ${storage}>`,
    );
  }
}

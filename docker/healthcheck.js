'use strict';
// The image's HEALTHCHECK, with node itself (the image has no curl): healthy when the app answers
// 2xx on GET /health, or in generator mode (`--gen-creds`, which has no /health) on its login page.
const { readFileSync } = require('node:fs');

const unquote = (value) => (value ?? '').replace(/^(["'])([\s\S]*)\1$/, '$2').trim();
const port = unquote(process.env.PORT) || '7860';
const host = unquote(process.env.HOST);
const target = ['', '0.0.0.0', '::', '[::]'].includes(host) ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

// PID 1 is the app (exec from the entrypoint) or docker-init in front of it; either carries the arguments.
const generatorMode = (() => {
  try {
    return readFileSync('/proc/1/cmdline', 'utf8').split('\0').includes('--gen-creds');
  } catch {
    return false;
  }
})();

fetch(`http://${target}:${port}${generatorMode ? '/' : '/health'}`, { signal: AbortSignal.timeout(4000) })
  .then((res) => process.exit(res.ok ? 0 : 1))
  .catch(() => process.exit(1));

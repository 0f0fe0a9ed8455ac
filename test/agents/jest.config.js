// The coding-agent tests: real Codex CLI and Claude Code binaries (installed by install-agents.sh)
// driving the proxy against the fake Google. Kept out of `npm test` because of their download size.
const base = require('../../jest.config.js');
const transform = base.projects[0].transform;

/** @type {import('jest').Config} */
module.exports = {
  rootDir: '../..',
  testTimeout: 120000,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/agents/**/*.agent-spec.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.js',
  transform,
};

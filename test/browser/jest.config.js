/**
 * Browser end-to-end tests (`npm run test:browser`): real server, loopback fakes, the Kommo-like
 * host page and headless Chromium. Same swc transform as the main suite; one file at a time.
 */
const path = require('node:path');
const base = require('../../jest.config.js');

module.exports = {
  rootDir: path.resolve(__dirname, '../..'),
  testEnvironment: 'node',
  roots: ['<rootDir>/test/browser'],
  testMatch: ['<rootDir>/test/browser/**/*.e2e.test.ts'],
  transform: base.transform,
  transformIgnorePatterns: base.transformIgnorePatterns,
  globalSetup: base.globalSetup,
  setupFilesAfterEnv: base.setupFilesAfterEnv,
  reporters: base.reporters,
  testTimeout: 120000,
  maxWorkers: 1,
};

/** Jest runs TypeScript through swc; type-checking is `npm run typecheck`. */
const swc = {
  jsc: {
    parser: { syntax: 'typescript', tsx: true },
    transform: { react: { runtime: 'automatic', importSource: 'preact' } },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
};

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/browser/', '<rootDir>/test/reliability/'],
  transform: { '^.+\\.(m?j|t)sx?$': ['@swc/jest', swc] },
  transformIgnorePatterns: ['/node_modules/(?!(preact|@preact|@testing-library/preact)/)'],
  testTimeout: 30000,
  globalSetup: '<rootDir>/test/helpers/build-once.js',
  setupFilesAfterEnv: ['<rootDir>/test/helpers/expect-assertions.ts'],
  reporters: ['default', require.resolve('./test/helpers/skipped-tests-reporter.js')],
};

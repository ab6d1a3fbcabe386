/**
 * Two projects: `unit` (model, plan, constructs, reports, CLI in process)
 * and `e2e` (everything that runs terraform or the compiled CLI), so
 * `npm test` reports them separately: `npm run test:unit`, `npm run test:e2e`.
 * ts-jest transpiles only (tsconfig's isolatedModules); `npm test` runs tsc first for types.
 */
const E2E = ['<rootDir>/test/e2e/', '<rootDir>/test/organization/terraform.test.ts', '<rootDir>/test/deploy/terraform.test.ts'];
const common = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
};

module.exports = {
  testTimeout: 300000,
  projects: [
    { ...common, displayName: 'unit', testPathIgnorePatterns: ['/node_modules/', ...E2E] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: E2E.map((p) => (p.endsWith('/') ? `${p}**/*.test.ts` : p)),
      // The run's wall and CPU time, printed at the end (test/helpers/e2e-global.js).
      globalSetup: '<rootDir>/test/helpers/e2e-setup.js',
      globalTeardown: '<rootDir>/test/helpers/e2e-teardown.js',
    },
  ],
};

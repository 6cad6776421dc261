/** Two projects: fast unit specs beside the code, and end-to-end suites that boot the built apps. */
const aliases = {
  '^@corridor/(domain|persistence|queue|realtime|config|testing|intake)$': '<rootDir>/libs/$1/src/index.ts',
};
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
};
module.exports = {
  // End-to-end tests boot processes and wait for real deliveries; their own waits carry tighter limits.
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'],
      moduleNameMapper: aliases,
      transform,
    },
    {
      displayName: 'e2e',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      moduleNameMapper: aliases,
      transform,
    },
  ],
};

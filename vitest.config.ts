import { defineConfig } from 'vitest/config'

// Tests run in Node and drive workerd through Miniflare (see test/support/worker.ts).
export default defineConfig({
  test: {
    // Tests of pure functions sit beside their source (src/foo.test.ts next to src/foo.ts).
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    // Fixture apps may hold test files of their own (run by the tests that use those apps).
    exclude: ['**/node_modules/**', '**/samples/**', '**/test/apps/**', '**/fixtures/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
})

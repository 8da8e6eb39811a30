import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Golden files are updated only on purpose (`npm run test:update`); CI=true refuses new ones.
    update: false,
    testTimeout: 30_000,
    pool: 'forks',
  },
})

import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CLI and integration tests spawn processes; a loaded 2-core CI machine needs the headroom.
    testTimeout: 90_000,
    pool: 'forks',
  },
})

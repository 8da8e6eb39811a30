import {defineConfig} from 'vitest/config'

/**
 * The fast loop: unit tests of the pure core, golden plans and offline CLI tests. No Go, no kube
 * binaries, no API servers, no global setup: it passes on a fresh clone with an empty HOME.
 */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/golden/**/*.test.ts', 'test/cli/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    // vitest's default is one worker per core less one (one, on two cores); the CLI files mostly
    // wait on the processes they spawn, so a second worker runs the unit files beside them.
    maxWorkers: 2,
    reporters: ['default', './test/support/skip-summary.ts'],
  },
})

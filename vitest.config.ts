import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CLI and integration tests spawn processes; a loaded 2-core CI machine needs the headroom.
    testTimeout: 90_000,
    pool: 'forks',
    globalSetup: ['test/setup/kube-clusters.ts', 'test/setup/linkerd.ts'],
    // After the run: how many tests were skipped, and what each needs.
    reporters: ['default', './test/support/skip-summary.ts'],
    // Builds of kube-apiserver on a fresh machine happen in global setup: give it time.
    hookTimeout: 60 * 60_000,
  },
})

import type {TestProject} from 'vitest/node'

import {linkerdBinaries} from '../../src/sandbox/linkerd/binaries.js'

/**
 * Linkerd's own CLI and controller for the releases the tests run, found or built once per machine
 * from ../shared/linkerd-source (tools/linkerd/binaries.sh; about 8 minutes a release the first
 * time). Without that source, tests that need them skip with the reason (and fail under CI).
 */
export async function setup(project: TestProject): Promise<void> {
  const releases = ['edge-25.10.7', 'edge-26.6.3']
  const found = await Promise.all(releases.map((r) => linkerdBinaries(r, {build: true})))
  project.provide('linkerd', Object.fromEntries(found.map((f) => [f.release, f])))
}

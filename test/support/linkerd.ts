import {existsSync} from 'node:fs'

import {inject, type TestContext} from 'vitest'

import type {LinkerdBinaries} from '../../src/sandbox/linkerd/binaries.js'
import {LINKERD_FIXTURES} from './linkerd-fixtures.js'

/** The releases the tests run: Linkerd 2.19 and the edge 2.20 was cut from (an upgrade between them). */
export const L219 = 'edge-25.10.7'
export const L220 = 'edge-26.6.3'

/** Under CI nothing that needs Linkerd may be skipped: a missing binary is a failure, with its reason. */
const MUST_RUN = process.env.CI === 'true' || process.env.CI === '1'

/**
 * Linkerd's own CLI and controller of a release, as the global setup found or built them
 * (tools/linkerd/binaries.sh, from ../shared/linkerd-source). Only in integration runs.
 */
export function linkerdBinaries(release: string): LinkerdBinaries {
  const all = inject('linkerd') as Record<string, LinkerdBinaries> | undefined
  return all?.[release] ?? {ok: false, release, reason: 'the test run did not look for it (no global setup)'}
}

export type FoundBinaries = Extract<LinkerdBinaries, {ok: true}> & {readonly cli: string}

/**
 * Skips the test with one line naming what it needs and how to get it, unless every release is
 * here; under CI fails instead. Returns the binaries, in the order asked for.
 */
export function requireLinkerd(ctx: TestContext, ...releases: string[]): FoundBinaries[] {
  const found = releases.map(linkerdBinaries)
  const missing = found.filter((f): f is Extract<LinkerdBinaries, {ok: false}> => !f.ok || !('cli' in f && f.cli))
  if (missing.length > 0) {
    const note = `needs Linkerd's own binaries (${missing.map((m) => m.release).join(', ')}): ${missing.map((m) => m.reason).join('; ')}; get them with tools/linkerd/binaries.sh (builds from ../shared/linkerd-source)`
    if (MUST_RUN) throw new Error(`CI runs every Linkerd test, but this one ${note}`)
    ctx.skip(note)
  }
  return found as FoundBinaries[]
}

/** Whether Linkerd's recorded renders and controller output are beside the checkout. */
export function fixturesPresent(): boolean {
  return existsSync(LINKERD_FIXTURES)
}

/** As requireLinkerd, for tests that read Linkerd's recorded renders (../shared/fixtures/linkerd). */
export function requireFixtures(ctx: TestContext): void {
  if (fixturesPresent()) return
  const note = `needs Linkerd's recorded renders in ${LINKERD_FIXTURES}: put ../shared beside the checkout`
  if (MUST_RUN) throw new Error(`CI runs every Linkerd test, but this one ${note}`)
  ctx.skip(note)
}

declare module 'vitest' {
  export interface ProvidedContext {
    linkerd: Record<string, LinkerdBinaries>
  }
}

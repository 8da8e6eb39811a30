import {describe, expect, test} from 'vitest'

import {planSpec} from '../../../src/engine/plan.js'
import {validateFile} from '../../../src/engine/validate.js'
import type {ClusterFacts} from '../../../src/graph/facts.js'
import {RESOURCE_KINDS} from '../../../src/model/kinds.js'
import type {Plan} from '../../../src/plan/types.js'
import type {Provider, ProviderRead} from '../../../src/providers/types.js'
import {THREE_REGION} from '../../support/specs.js'

/** An empty estate answering after a timer, as a list call does; it may tell facts. */
function estate(tellsFacts: boolean, facts: Record<string, ClusterFacts> | undefined, events: string[]): Provider {
  return {
    kinds: RESOURCE_KINDS,
    name: 'memory',
    tellsFacts,
    async read(): Promise<ProviderRead> {
      events.push('read started')
      await new Promise((r) => setTimeout(r, 20))
      events.push('read answered')
      return {resources: [], diagnostics: [], fingerprint: 'sha256:0', ...(facts ? {facts} : {})}
    },
    apply: () => Promise.reject(new Error('not applied here')),
    close: async () => {},
  }
}

const validation = await validateFile(THREE_REGION, {})

function planWith(provider: Provider): Promise<Plan> {
  return planSpec({file: THREE_REGION, spec: validation.spec!, sourceMap: validation.parsed.sourceMap, diagnostics: [], providers: [provider], mcfedVersion: 'test'})
}

const apiServer = (p: Plan) => p.resource_changes.find((c) => c.kind === 'linkerd_link_credential')?.after?.api_server

describe('planning while the estate is read', () => {
  test('the reads start before anything else is done', async () => {
    const events: string[] = []
    const planning = planWith(estate(false, undefined, events))
    expect(events).toEqual(['read started'])
    await planning
    expect(events).toEqual(['read started', 'read answered'])
  })

  test('the desired graph derived during the read is the one derived after it', async () => {
    const early = await planWith(estate(false, undefined, []))
    const late = await planWith(estate(true, undefined, []))
    expect(early.resource_changes).toEqual(late.resource_changes)
    expect(early.resource_changes.length).toBeGreaterThan(20)
  })

  // vitest fails a run on an unhandled rejection; without the guard this one would be.
  test('a read that fails while the graph derivation throws leaves one error, the derivation\'s', async () => {
    const failing: Provider = {...estate(false, undefined, []), read: () => new Promise((_, reject) => setTimeout(() => reject(new Error('the API refused')), 10))}
    const broken = {...validation.spec!, spec: {...validation.spec!.spec, clusters: undefined}} as unknown as typeof validation.spec
    await expect(planSpec({file: THREE_REGION, spec: broken!, sourceMap: validation.parsed.sourceMap, diagnostics: [], providers: [failing], mcfedVersion: 'test'})).rejects.toThrow(TypeError)
    await new Promise((r) => setTimeout(r, 30))
  })

  // A provider that says it tells nothing and then does: the facts still count.
  test('facts from a read that was not expected to tell any are not lost', async () => {
    const facts = {east: {apiServer: 'https://203.0.113.7'}, west: {apiServer: 'https://203.0.113.8'}, north: {apiServer: 'https://203.0.113.9'}}
    const told = await planWith(estate(true, facts, []))
    expect(apiServer(told)).toMatch(/^https:\/\/203\.0\.113\./)
    expect((await planWith(estate(false, facts, []))).resource_changes).toEqual(told.resource_changes)
  })
})

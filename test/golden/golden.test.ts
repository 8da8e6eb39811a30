import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, test} from 'vitest'

import {planSpec} from '../../src/engine/plan.js'
import {validateFile} from '../../src/engine/validate.js'
import type {ObservedResource} from '../../src/graph/resource.js'
import {validatePlanJson} from '../../src/plan/plan-schema.js'
import type {Plan} from '../../src/plan/types.js'
import {renderJson} from '../../src/render/json.js'
import {renderMarkdown} from '../../src/render/markdown.js'
import {renderText} from '../../src/render/text.js'

const ROOT = 'test/golden'
const cases = readdirSync(ROOT).filter((d) => existsSync(join(ROOT, d, 'federation.yaml')))

describe('golden plans', () => {
  // What the cases hold, not how many folders there are: three topologies planned from nothing,
  // an estate that is converged, and one with every action a drift can cause.
  test('cover three topologies, a converged estate and a drifted one', () => {
    const plans = cases.map((name) => ({name, plan: JSON.parse(readFileSync(join(ROOT, name, 'plan.json'), 'utf8')) as Plan}))
    const shape = (p: Plan) => [...new Set(p.resource_changes.map((c) => c.cluster))].length + ':' + p.resource_changes.filter((c) => c.kind === 'linkerd_link').map((c) => c.name).sort().join(',')
    const offline = plans.filter((p) => p.plan.mode === 'offline')
    expect(offline.every((p) => p.plan.summary.add === p.plan.resource_changes.length)).toBe(true)
    expect(new Set(offline.map((p) => shape(p.plan))).size).toBeGreaterThanOrEqual(3)
    const live = plans.filter((p) => p.plan.mode === 'live')
    const converged = live.filter((p) => p.plan.resource_changes.every((c) => c.action === 'no-op'))
    expect(converged.length).toBeGreaterThanOrEqual(1)
    expect(converged[0]!.plan.resource_changes.length).toBeGreaterThan(0)
    const drifted = live.find((p) => new Set(p.plan.resource_changes.map((c) => c.action)).size >= 4)
    expect(drifted, 'a drifted estate with updates, replaces, deletes and no-ops').toBeDefined()
    expect(new Set(drifted!.plan.resource_changes.map((c) => c.action))).toEqual(new Set(['update', 'replace', 'delete', 'no-op']))
  })

  describe.each(cases)('%s', (name) => {
    const dir = join(ROOT, name)
    const render = async () => {
      const file = join(dir, 'federation.yaml')
      const validation = await validateFile(file, {})
      expect(validation.valid).toBe(true)
      const observedFile = join(dir, 'observed.json')
      const observed = existsSync(observedFile) ? (JSON.parse(readFileSync(observedFile, 'utf8')) as ObservedResource[]) : undefined
      const plan = await planSpec({
        file,
        spec: validation.spec!,
        sourceMap: validation.parsed.sourceMap,
        diagnostics: validation.diagnostics,
        observed,
        mcfedVersion: 'golden',
      })
      return {plan, sources: validation.sources}
    }

    // Snapshot paths are relative to this file.
    test('text', async () => {
      const {plan, sources} = await render()
      await expect(renderText(plan, {color: false, sources})).toMatchFileSnapshot(join(name, 'plan.txt'))
    })

    test('json, valid against schemas/plan.schema.json', async () => {
      const {plan} = await render()
      const json = renderJson(plan)
      expect(validatePlanJson(JSON.parse(json))).toEqual([])
      await expect(json).toMatchFileSnapshot(join(name, 'plan.json'))
    })

    test('markdown', async () => {
      const {plan} = await render()
      await expect(renderMarkdown(plan)).toMatchFileSnapshot(join(name, 'plan.md'))
    })
  })
})

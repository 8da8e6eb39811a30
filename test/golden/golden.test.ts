import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, test} from 'vitest'

import {planSpec} from '../../src/engine/plan.js'
import {validateFile} from '../../src/engine/validate.js'
import type {ObservedResource} from '../../src/graph/resource.js'
import {validatePlanJson} from '../../src/plan/plan-schema.js'
import {renderJson} from '../../src/render/json.js'
import {renderMarkdown} from '../../src/render/markdown.js'
import {renderText} from '../../src/render/text.js'

const ROOT = 'test/golden'
const cases = readdirSync(ROOT).filter((d) => existsSync(join(ROOT, d, 'federation.yaml')))

describe('golden plans', () => {
  test('cover at least three topologies and one drifted estate', () => {
    expect(cases.length).toBeGreaterThanOrEqual(4)
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

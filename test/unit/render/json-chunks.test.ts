import {describe, expect, test} from 'vitest'

import type {Plan} from '../../../src/plan/types.js'
import {renderJson, renderJsonChunks} from '../../../src/render/json.js'

describe('the plan as JSON, in chunks', () => {
  test('is byte for byte JSON.stringify(plan, null, 2), whatever the values', () => {
    const plan = {
      format_version: '1.3',
      empty: [],
      nothing: {},
      skipped: undefined,
      resource_changes: [
        {address: 'a.b', before: null, after: {list: [1, 'two', null, {deep: ['x\ny', '"q"']}], none: undefined}, after_unknown: [], changes: [{path: 'p', before: 1, after: undefined}]},
        {address: 'c', before: {nested: {objects: {'Deployment linkerd/x': 'sha256:1'}}}, after: null, after_unknown: ['objects'], changes: []},
      ],
      sparse: [undefined, 1],
      diagnostics: [{rule: 'r', message: 'unicode → ✓', locations: []}],
    } as unknown as Plan
    expect(renderJson(plan)).toBe(JSON.stringify(plan, null, 2) + '\n')
    // Many pieces, none the whole plan.
    const chunks = [...renderJsonChunks(plan)]
    expect(chunks.length).toBeGreaterThan(10)
  })
})

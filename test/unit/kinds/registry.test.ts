import {readFileSync} from 'node:fs'

import {describe, expect, it} from 'vitest'

import {KINDS} from '../../../src/kinds/registry.js'
import {KIND_SCHEMAS, RESOURCE_KINDS} from '../../../src/model/kinds.js'

describe('the kind registry against the kind catalog', () => {
  it('lists every kind of the catalog once, in its order, with the schema the core plans with', () => {
    expect(KINDS.map((k) => k.kind)).toEqual(RESOURCE_KINDS)
    for (const k of KINDS) expect(k.schema).toBe(KIND_SCHEMAS[k.kind])
  })

  it('the plan schema names exactly the catalog’s kinds, so a plan of any kind validates', () => {
    const schema = JSON.parse(readFileSync('schemas/plan.schema.json', 'utf8')) as {definitions: {kind: {enum: string[]}}}
    expect(schema.definitions.kind.enum).toEqual(RESOURCE_KINDS)
  })
})

import {readFileSync} from 'node:fs'

import {describe, expect, test} from 'vitest'

import {loadYaml, MAX_SPEC_BYTES} from '../../../src/spec/load.js'
import {parseSpec} from '../../../src/spec/parse.js'
import {THREE_REGION} from '../../support/specs.js'

describe('loadYaml', () => {
  test('keeps positions: a path maps to the line and column of its value', () => {
    const loaded = loadYaml('f.yaml', 'a:\n  b:\n    c: 10.0.0.0/8\n')
    expect(loaded.sourceMap.locate(['a', 'b', 'c'])).toMatchObject({line: 3, col: 8, path: '/a/b/c'})
    expect(loaded.sourceMap.locate(['a', 'b', 'c'], 'key')).toMatchObject({line: 3, col: 5})
  })

  test('a missing path falls back to the deepest node that exists', () => {
    const loaded = loadYaml('f.yaml', 'a:\n  b: 1\n')
    expect(loaded.sourceMap.locate(['a', 'zzz', 'y'])).toMatchObject({line: 2, col: 3})
  })

  test('refuses a file over the size cap before parsing it', () => {
    const loaded = loadYaml('big.yaml', 'x: ' + 'a'.repeat(MAX_SPEC_BYTES))
    expect(loaded.data).toBeUndefined()
    expect(loaded.diagnostics.map((d) => d.rule)).toEqual(['yaml/too-large'])
  })

  test('parses into objects whose prototype is untouched, even with merge-like keys', () => {
    const loaded = loadYaml('f.yaml', 'a: 1\n"<<": {x: 1}\n')
    expect(loaded.data).toEqual({a: 1, '<<': {x: 1}})
    expect(({} as Record<string, unknown>).x).toBeUndefined()
  })

  test('every forbidden key is reported, however it is quoted', () => {
    const loaded = loadYaml('f.yaml', '"__proto__": 1\nconstructor: 2\nok: {prototype: 3}\n')
    expect(loaded.diagnostics.map((d) => [d.rule, d.locations[0]!.line])).toEqual([
      ['yaml/forbidden-key', 1],
      ['yaml/forbidden-key', 2],
      ['yaml/forbidden-key', 3],
    ])
  })
})

describe('parseSpec', () => {
  const text = readFileSync(THREE_REGION, 'utf8')

  test('MCFED_GCP_PROJECT overrides spec.gcp.project', () => {
    expect(parseSpec('f', text, {}).spec!.spec.gcp.project).toBe('my-project')
    expect(parseSpec('f', text, {MCFED_GCP_PROJECT: 'ci-project'}).spec!.spec.gcp.project).toBe('ci-project')
  })

  test('fills schema defaults', () => {
    const spec = parseSpec('f', text, {}).spec!
    expect(spec.spec.gcp.peeringLimit).toBe(25)
    expect(spec.spec.linkerd.trustDomain).toBe('cluster.local')
    expect(spec.spec.clusters.west!.maxPodsPerNode).toBe(110)
  })

  test('an explicit link without a mode is flat', () => {
    const spec = parseSpec('f', text.replace('links: full-mesh', 'links:\n    - {from: west, to: east}'), {}).spec!
    expect(spec.spec.links).toEqual([{from: 'west', to: 'east', mode: 'flat'}])
  })

  test('an unknown field gets a did-you-mean hint', () => {
    const d = parseSpec('f', text.replace('machineType: e2-medium', 'machinType: e2-medium'), {}).diagnostics
    expect(d.find((x) => x.rule === 'schema/unknown-field')?.hint).toBe('did you mean `machineType`?')
  })

  test('an enum error lists the allowed values and suggests the closest', () => {
    const d = parseSpec('f', text.replace('mode: gateway', 'mode: gatway'), {}).diagnostics
    expect(d).toHaveLength(1)
    expect(d[0]!.message).toContain('allowed: "federated", "flat", "gateway"')
    expect(d[0]!.hint).toBe('did you mean "gateway"?')
  })
})

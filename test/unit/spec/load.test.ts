import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, test} from 'vitest'
import {parseAllDocuments} from 'yaml'

import {loadYaml, MAX_SPEC_BYTES, plainMapping} from '../../../src/spec/load.js'
import {parseSpec} from '../../../src/spec/parse.js'
import {generateSpec} from '../../support/generate.js'
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

describe('the fast path for plain YAML', () => {
  const full = (text: string): unknown => {
    const doc = parseAllDocuments(text, {schema: 'core', uniqueKeys: true})[0]!
    return doc.errors.length > 0 ? 'error' : doc.toJS()
  }
  const json = (v: unknown) => JSON.stringify(v, (_, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? `number:${x}` : x))

  test('reads every spec of the repository as the full parser does, or leaves it to it', () => {
    const dirs = ['examples/three-region', 'examples/shared-network', 'examples/islands', 'examples/ci', 'specs/valid', 'specs/invalid']
    const files = dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.yaml')).map((f) => join(d, f)))
    const texts = [...files.map((f) => readFileSync(f, 'utf8')), generateSpec({clusters: 300, topology: {islandSize: 25}}), generateSpec({clusters: 300, topology: 'shared'})]
    let fast = 0
    for (const text of texts) {
      const data = plainMapping(text)
      if (data === undefined) continue
      fast++
      expect(json(data)).toBe(json(full(text)))
    }
    expect(files.length).toBeGreaterThan(50)
    expect(fast).toBeGreaterThan(40)
  })

  test('scalars of every form read alike; the two the schemas read differently take the full path', () => {
    const scalars = ['0x1F', '0o17', '012', '+12', '-0', '1_000', '1e3', '1.5e+3', '1.0', '.5', '0.', '.inf', '.Inf', '.nan', '.NaN', '~', 'null', 'Null', 'true', 'True', 'TRUE', 'FALSE', 'yes', 'on', '2024-01-01', '12:30', '9007199254740993', '0xFFFFFFFFFFFFFFFFFF', '"1"', "'it''s'", '"\\u00e9"', '[1, {b: c}]', '|\n  x\n  y\n', '>\n  x\n  y\n']
    for (const s of scalars) {
      const text = `a: ${s}\n`
      expect(plainMapping(text), s).toBeDefined()
      expect(json(plainMapping(text)), s).toBe(json(full(text)))
    }
    for (const s of ['0b101', '+.5', '&x 1', '!!str 1', '*x']) expect(plainMapping(`a: ${s}\n`), s).toBeUndefined()
  })

  test('a spec read the fast way still locates its values', () => {
    const loaded = loadYaml('f.yaml', 'spec:\n  clusters:\n    west:\n      zone: us-central1-a\n')
    expect(loaded.data).toEqual({spec: {clusters: {west: {zone: 'us-central1-a'}}}})
    expect(loaded.sourceMap.locate(['spec', 'clusters', 'west', 'zone'])).toMatchObject({line: 4, col: 13})
  })

  test('duplicate keys, several documents and syntax errors are still reported by the full parser', () => {
    expect(loadYaml('f.yaml', 'a: 1\na: 2\n').diagnostics.map((d) => d.rule)).toEqual(['yaml/duplicate-key'])
    expect(loadYaml('f.yaml', 'a: 1\n---\nb: 2\n').diagnostics.map((d) => d.rule)).toEqual(['yaml/multiple-documents'])
    expect(loadYaml('f.yaml', 'a: [1, 2\n').diagnostics.map((d) => d.rule)).toEqual(['yaml/syntax'])
  })
})

import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, test} from 'vitest'

import {diagnose} from '../../support/specs.js'

const INVALID = 'specs/invalid'
const VALID = 'specs/valid'

interface Expected {
  diagnostics: {severity: string; rule: string; line: number; col: number}[]
}

describe('specs/invalid: every bad spec fails with exactly its expected diagnostics', () => {
  const cases = readdirSync(INVALID).filter((f) => f.endsWith('.yaml'))

  test('the corpus holds at least 30 cases, each beside its expectations', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30)
    for (const c of cases) expect(readdirSync(INVALID)).toContain(c.replace(/\.yaml$/, '.expected.json'))
  })

  test.each(cases)('%s', (file) => {
    const text = readFileSync(join(INVALID, file), 'utf8')
    const expected = JSON.parse(readFileSync(join(INVALID, file.replace(/\.yaml$/, '.expected.json')), 'utf8')) as Expected
    const actual = diagnose(text, file).map((d) => ({severity: d.severity, rule: d.rule, line: d.locations[0]!.line, col: d.locations[0]!.col}))
    expect(actual).toEqual(expected.diagnostics)
    expect(actual.some((d) => d.severity === 'error')).toBe(true)
  })
})

describe('specs/valid: every reference topology validates without errors', () => {
  test.each(readdirSync(VALID).filter((f) => f.endsWith('.yaml')))('%s', (file) => {
    const errors = diagnose(readFileSync(join(VALID, file), 'utf8'), file).filter((d) => d.severity === 'error')
    expect(errors).toEqual([])
  })

  test('every example in examples/ is one of specs/valid', () => {
    const examples = {'three-region': 'three-region.yaml', 'shared-network': 'shared-network.yaml', islands: 'islands.yaml', authorization: 'authorization.yaml'}
    for (const [dir, file] of Object.entries(examples)) expect(readFileSync(`examples/${dir}/federation.yaml`, 'utf8'), dir).toBe(readFileSync(join(VALID, file), 'utf8'))
  })
})

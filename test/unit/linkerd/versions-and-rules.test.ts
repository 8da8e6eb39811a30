import {describe, expect, test} from 'vitest'

import {REMOTE_ACCESS_RULES} from '../../../src/linkerd/names.js'
import {parseRule, ruleString} from '../../../src/linkerd/rules.js'
import {describeVersion, edgeRelease, sameRelease} from '../../../src/linkerd/versions.js'

describe('Linkerd versions', () => {
  test('2.x names the edge release it was cut from; an edge name stands for itself', () => {
    expect(edgeRelease('2.17')).toBe('edge-24.11.8')
    expect(edgeRelease('2.18')).toBe('edge-25.4.4')
    expect(edgeRelease('2.19')).toBe('edge-25.10.7')
    expect(edgeRelease('edge-26.6.3')).toBe('edge-26.6.3')
    expect(edgeRelease('2.99')).toBeUndefined()
    expect(describeVersion('2.19')).toBe('2.19 (edge-25.10.7)')
  })

  test('a live version matches whether written bare or as the CLI writes it', () => {
    expect(sameRelease('2.19', 'edge-25.10.7')).toBe(true)
    expect(sameRelease('2.19', 'linkerd/cli edge-25.10.7')).toBe(true)
    expect(sameRelease('2.18', 'edge-25.10.7')).toBe(false)
    expect(sameRelease('2.99', 'edge-25.10.7')).toBe(false)
  })
})

describe('remote-access rules as lines', () => {
  test('every rule survives the round trip, resource names included', () => {
    for (const rule of REMOTE_ACCESS_RULES) expect(parseRule(ruleString(rule))).toEqual(rule)
    expect(REMOTE_ACCESS_RULES.map(ruleString)).toContain('core/configmaps[linkerd-config]: get')
    expect(REMOTE_ACCESS_RULES.map(ruleString)).toContain('core/events: create,patch')
  })

  test('grants reads and nothing else: no secrets, no writes but events', () => {
    const lines = REMOTE_ACCESS_RULES.map(ruleString)
    expect(lines.join('\n')).not.toContain('secrets')
    for (const line of lines.filter((l) => !l.startsWith('core/events'))) expect(line).toMatch(/: (get|get,list,watch)$/)
    expect(parseRule('not a rule')).toBeUndefined()
  })
})

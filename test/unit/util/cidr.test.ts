import {describe, expect, test} from 'vitest'

import {overlaps, parseCidr} from '../../../src/util/cidr.js'
import {podBlockSize} from '../../../src/validate/gke-size.js'

const cidr = (s: string) => {
  const p = parseCidr(s)
  if (!p.ok) throw new Error(p.reason)
  return p.cidr
}

describe('cidr', () => {
  test.each([
    ['10.0.0.0/33', false],
    ['10.0.0.0/-1', false],
    ['256.0.0.0/8', false],
    ['010.0.0.0/8', false],
    ['10.0.0/8', false],
    ['10.0.0.0', false],
    ['0.0.0.0/0', true],
    ['10.10.0.0/20', true],
  ])('%s parses: %s', (s, ok) => {
    expect(parseCidr(s).ok).toBe(ok)
  })

  test('host bits set: valid but not canonical, with the canonical form', () => {
    const p = parseCidr('10.20.0.1/20')
    expect(p).toMatchObject({ok: true, canonical: false, cidr: {canonical: '10.20.0.0/20'}})
  })

  test('overlap is symmetric and covers containment and touching edges', () => {
    expect(overlaps(cidr('10.100.0.0/14'), cidr('10.101.0.0/16'))).toBe(true)
    expect(overlaps(cidr('10.101.0.0/16'), cidr('10.100.0.0/14'))).toBe(true)
    expect(overlaps(cidr('10.100.0.0/14'), cidr('10.104.0.0/20'))).toBe(false)
    expect(overlaps(cidr('10.0.0.0/24'), cidr('10.0.0.255/32'))).toBe(true)
    expect(overlaps(cidr('10.0.0.0/24'), cidr('10.0.1.0/32'))).toBe(false)
  })

  test('GKE pod blocks: the smallest power of two holding twice max pods', () => {
    expect(podBlockSize(110)).toBe(256n)
    expect(podBlockSize(64)).toBe(128n)
    expect(podBlockSize(8)).toBe(16n)
    expect(podBlockSize(256)).toBe(512n)
  })
})

import {describe, expect, test} from 'vitest'

import type {ObservedResource} from '../../../src/graph/resource.js'
import {fingerprintOf} from '../../../src/providers/fingerprint.js'

const network = (attributes: ObservedResource['attributes'], owned = true): ObservedResource => ({address: 'gcp_network.west', kind: 'gcp_network', name: 'west', cluster: 'west', owned, dependsOn: [], attributes})

describe('fingerprintOf', () => {
  test('does not depend on key order, and leaves churning attributes out', () => {
    const a = fingerprintOf([network({name: 'n', mtu: 1460, fingerprint: 'x', nested: {b: 1, a: 2}})], ['fingerprint'])
    const b = fingerprintOf([network({nested: {a: 2, b: 1}, fingerprint: 'y', mtu: 1460, name: 'n'})], ['fingerprint'])
    expect(a).toBe(b)
    expect(a).toMatch(/^sha256:[0-9a-f]{64}$/)
  })

  test('changes with any kept attribute, with ownership and with the set of resources', () => {
    const base = fingerprintOf([network({name: 'n', mtu: 1460})])
    expect(fingerprintOf([network({name: 'n', mtu: 1500})])).not.toBe(base)
    expect(fingerprintOf([network({name: 'n', mtu: 1460}, false)])).not.toBe(base)
    expect(fingerprintOf([])).not.toBe(base)
    // Resource boundaries are part of the digest: two resources are not one with both attributes.
    expect(fingerprintOf([network({name: 'n'}), network({mtu: 1460})])).not.toBe(fingerprintOf([network({name: 'n', mtu: 1460})]))
  })
})

import {describe, expect, it} from 'vitest'

import {nextAnchorRefusal, type AnchorCertificate} from '../../../src/rotation/next-anchor.js'

const now = new Date('2027-01-01T00:00:00Z')
const current: AnchorCertificate = {fingerprint: 'sha256:aa', notBefore: '2026-01-01T00:00:00Z', notAfter: '2036-01-01T00:00:00Z', ca: true}
const next: AnchorCertificate = {fingerprint: 'sha256:bb', notBefore: '2026-12-01T00:00:00Z', notAfter: '2036-12-01T00:00:00Z', ca: true}

describe('nextAnchorRefusal', () => {
  it('accepts a CA anchor valid now that is not the current one', () => {
    expect(nextAnchorRefusal(current, next, now)).toBeUndefined()
    expect(nextAnchorRefusal(undefined, next, now)).toBeUndefined()
  })

  it('refuses an anchor that is not a CA, expired, not yet valid, or the current anchor itself', () => {
    expect(nextAnchorRefusal(current, {...next, ca: false}, now)).toMatch(/not a CA certificate/)
    expect(nextAnchorRefusal(current, {...next, notAfter: '2026-12-31T23:59:59Z'}, now)).toBe('it expired on 2026-12-31T23:59:59Z')
    expect(nextAnchorRefusal(current, {...next, notBefore: '2027-02-01T00:00:00Z'}, now)).toBe('it is not valid before 2027-02-01T00:00:00Z')
    expect(nextAnchorRefusal(current, {...next, fingerprint: current.fingerprint}, now)).toBe('it is the current anchor itself')
  })
})

import {describe, expect, it} from 'vitest'

import {isRefusal} from '../../support/controller-logs.js'

describe('refusals in Linkerd controller logs', () => {
  it('a port or duration holding the digits 401 is not a refusal (CI, 2026-12-04)', () => {
    expect(isRefusal('time="2026-12-04T21:27:47Z" level=info msg="starting admin server on 127.0.0.1:34013"')).toBe(false)
    expect(isRefusal('time="2026-12-04T21:29:27Z" level=info msg="Admin server closed (127.0.0.1:34013)"')).toBe(false)
    expect(isRefusal('level=info msg="took 4013ms"')).toBe(false)
    // A resourceVersion printed in an object dump: CI once failed on exactly this line.
    expect(isRefusal('level=info msg="Received: OnLocalNamespaceAdded: {namespace: &Namespace{ObjectMeta:{linkerd-multicluster    7b36a82b-d78b-48b0-9df6-900b37bac2cc 401 0 2026-12-05 15:29:57 +0000 UTC <nil> <nil> map[]"')).toBe(false)
  })

  it('what the API server says when it refuses a token is', () => {
    expect(isRefusal('level=error msg="failed to list *v1.Service: Unauthorized"')).toBe(true)
    expect(isRefusal('services is forbidden: User "system:serviceaccount:x" cannot list resource')).toBe(true)
    expect(isRefusal('error: the server responded with status 401')).toBe(true)
    expect(isRefusal('unexpected status code 401 from server')).toBe(true)
    expect(isRefusal('the server has asked for the client to provide credentials')).toBe(true)
  })
})

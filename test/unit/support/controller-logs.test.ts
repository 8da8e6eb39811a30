import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {POD_DELETED_MARK} from '../../../src/sandbox/linkerd/controllers.js'
import {isRefusal, refusalsIn} from '../../support/controller-logs.js'

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

describe('refusals after a pod was deleted', () => {
  it('are the sandbox removing the pod before its process stopped, not a refusal of a link', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mcfed-logs-'))
    mkdirSync(join(dataDir, 'linkerd'))
    writeFileSync(
      join(dataDir, 'linkerd', 'linkerd_dest_destination.log'),
      [
        'time="2026-12-06T04:29:00Z" level=error msg="error retrieving resource lock linkerd/x: Unauthorized"',
        'time="2026-12-06T04:30:14Z" level=error msg="Failed to update lock optimistically: Unauthorized, falling back to slow path"',
        `${POD_DELETED_MARK} 2026-12-06T04:30:14.600Z`,
      ].join('\n'),
    )
    expect(refusalsIn({name: 'west', dataDir})).toEqual(['west/linkerd_dest_destination.log: time="2026-12-06T04:29:00Z" level=error msg="error retrieving resource lock linkerd/x: Unauthorized"'])
  })
})

import {describe, expect, it} from 'vitest'

import type {KubeClient} from '../../../../src/providers/kube/client.js'
import {listPolicies} from '../../../../src/providers/kube/listing.js'

/** A client whose lists answer from `objects` by kind, and that counts them. */
function client(objects: Record<string, object[]>) {
  const kinds: string[] = []
  const c = {
    listObjects: async (_apiVersion: string, kind: string) => {
      kinds.push(kind)
      return objects[kind] ?? []
    },
  } as unknown as KubeClient
  return {c, kinds}
}

describe("listing mcfed's policy objects", () => {
  it('one LIST where mcfed owns no Server and the spec wants none in the cluster', async () => {
    const {c, kinds} = client({})
    expect(await listPolicies(c, 'owner', false)).toEqual([])
    expect(kinds).toEqual(['Server'])
  })

  it('every kind where a Server is left to prune, or where the spec wants a policy', async () => {
    const server = {kind: 'Server', metadata: {name: 'api-8080'}}
    const left = client({Server: [server], MeshTLSAuthentication: [{kind: 'MeshTLSAuthentication', metadata: {name: 'api-8080'}}]})
    expect((await listPolicies(left.c, 'owner', false)).map((o) => (o as {kind: string}).kind)).toEqual(['Server', 'MeshTLSAuthentication'])
    expect(left.kinds.sort()).toEqual(['AuthorizationPolicy', 'MeshTLSAuthentication', 'Server'])
    const wanted = client({})
    await listPolicies(wanted.c, 'owner', true)
    expect(wanted.kinds.sort()).toEqual(['AuthorizationPolicy', 'MeshTLSAuthentication', 'Server'])
  })
})

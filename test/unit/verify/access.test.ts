import {readFileSync} from 'node:fs'

import {describe, expect, it} from 'vitest'

import {desiredGraph} from '../../../src/graph/desired.js'
import {validLinks} from '../../../src/graph/topology.js'
import {policyObjects, readPolicies} from '../../../src/linkerd/policy.js'
import {parseSpec} from '../../../src/spec/parse.js'
import {accessCells} from '../../../src/verify/access.js'
import type {ClusterMesh} from '../../../src/verify/mesh-state.js'

const spec = parseSpec('f.yaml', readFileSync('examples/authorization/federation.yaml', 'utf8'), {}).spec!
const owner = {'app.kubernetes.io/managed-by': 'mcfed', 'mcfed.io/federation': 'mc-demo'}
const written = desiredGraph(spec).filter((r) => r.kind === 'linkerd_authorization')

/** Each cluster's mesh holding the policy objects mcfed writes for the spec, edited by `edit`. */
function mesh(edit: (cluster: string, objects: ReturnType<typeof policyObjects>) => ReturnType<typeof policyObjects> = (_c, o) => o): Record<string, ClusterMesh> {
  return Object.fromEntries(
    ['west', 'east', 'north'].map((c) => {
      const objects = written.filter((r) => r.cluster === c).flatMap((r) => policyObjects(r.attributes, owner))
      return [c, {policies: readPolicies(edit(c, objects))} as unknown as ClusterMesh]
    }),
  )
}

describe('the access matrix of verify', () => {
  it('every port of every service with an allow list admits what the spec does, in every cluster where it runs', () => {
    const cells = accessCells(spec, mesh(), validLinks(spec))
    expect(cells.map((c) => `${c.cluster} ${c.namespace}/${c.service}:${c.port} ${c.ok}`)).toEqual(['west mc-demo/api:8080 true', 'east mc-demo/api:8080 true', 'east mc-demo/analytics:8080 true'])
    expect(cells[0]!.admitted).toEqual(['frontend.mc-demo.serviceaccount.identity.linkerd.north.mc-demo.example'])
  })

  it('names a port left open, identities changed by hand, and a policy the spec no longer asks for', () => {
    const cells = accessCells(
      spec,
      mesh((cluster, objects) => {
        if (cluster === 'west') return objects.filter((o) => o.kind !== 'Server')
        if (cluster === 'east') return objects.map((o) => (o.kind === 'MeshTLSAuthentication' && o.metadata.name === 'api-8080' ? {...o, spec: {identities: ['*']}} : o))
        return policyObjects({...written[0]!.attributes, service: 'frontend'}, owner)
      }),
      validLinks(spec),
    )
    expect(cells.filter((c) => !c.ok).map((c) => [c.cluster, c.service, c.admitted, c.reason])).toEqual([
      ['west', 'api', null, 'no Server on port 8080: every caller is admitted, the spec admits north/mc-demo/frontend'],
      ['east', 'api', ['*'], 'admits *; the spec admits frontend.mc-demo.serviceaccount.identity.linkerd.north.mc-demo.example'],
      ['north', 'frontend', ['frontend.mc-demo.serviceaccount.identity.linkerd.north.mc-demo.example'], 'a policy mcfed wrote that the spec no longer asks for: apply removes it'],
    ])
  })
})

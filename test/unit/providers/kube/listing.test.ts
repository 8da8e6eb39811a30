import {readFileSync} from 'node:fs'

import {describe, expect, it} from 'vitest'

import type {KubeClient} from '../../../../src/providers/kube/client.js'
import {listCluster, TRUST_LISTS, type ClusterList} from '../../../../src/providers/kube/listing.js'
import {parseSpec} from '../../../../src/spec/parse.js'
import type {FederationSpec} from '../../../../src/spec/types.js'

const text = readFileSync('examples/three-region/federation.yaml', 'utf8')
const mcfedInstall = parseSpec('f.yaml', text, {}).spec!
const externalInstall = parseSpec('f.yaml', text.replace('    version: "2.18"', '    version: "2.18"\n    install: external'), {}).spec!

/** A client whose every list answers `items` (one object of the asked kind) and records the call. */
function recordingClient() {
  const calls: string[] = []
  const client = new Proxy({} as KubeClient, {
    get: (_, method: string) => async (...args: unknown[]) => {
      calls.push(`${method} ${args.filter((a) => typeof a === 'string').join(' ')}`.trim())
      return method === 'getService' ? undefined : [{metadata: {name: `${method}-item`, namespace: 'linkerd-multicluster', labels: {}}}]
    },
  })
  return {client, calls}
}

const EVERY_LIST: ReadonlySet<ClusterList> = new Set<ClusterList>(['services', 'linkerd-config-maps', 'trust-secrets', 'owned-secrets', 'links', 'remote-access', 'extension', 'destination', 'credential-readers', 'policies'])

async function listed(spec: FederationSpec, wanted: ReadonlySet<ClusterList>) {
  const {client, calls} = recordingClient()
  const listing = await listCluster(client, spec, 'us-east', wanted, [])
  return {listing, calls}
}

describe("a cluster's lists", () => {
  it("lists the extension's controller Deployments only where someone else installs the extension", async () => {
    const mine = await listed(mcfedInstall, EVERY_LIST)
    expect(mine.calls.filter((c) => c.startsWith('listDeployments')).sort()).toEqual(['listDeployments linkerd.io/control-plane-component=destination'])
    expect(mine.listing.extension.deployments).toEqual([])
    const theirs = await listed(externalInstall, EVERY_LIST)
    expect(theirs.calls.filter((c) => c.startsWith('listDeployments')).length).toBe(2)
    expect(theirs.listing.extension.deployments).toHaveLength(1)
  })

  it('the trust lists first, then the rest with the earlier lists kept and not asked again', async () => {
    const {client, calls} = recordingClient()
    const trust = await listCluster(client, mcfedInstall, 'us-east', TRUST_LISTS, [])
    // Of mcfed's Secrets only the issuer's: the rest grow with links, and these are held for the whole fleet.
    expect(calls.sort()).toEqual(['listConfigMaps linkerd', 'listSecrets linkerd app.kubernetes.io/managed-by=mcfed,mcfed.io/federation=mc-demo metadata.name=linkerd-identity-issuer'])
    expect(trust.links).toBeUndefined()
    expect(trust.ownedSecrets).toEqual([])
    calls.length = 0
    const rest = new Set([...EVERY_LIST].filter((l) => !TRUST_LISTS.has(l)))
    const all = await listCluster(client, mcfedInstall, 'us-east', rest, [], trust)
    expect(calls.filter((c) => c.startsWith('listSecrets') || c.startsWith('listConfigMaps'))).toEqual(['listSecrets app.kubernetes.io/managed-by=mcfed,mcfed.io/federation=mc-demo'])
    expect(all.trustSecrets).toBe(trust.trustSecrets)
    expect(all.linkerdConfigMaps).toBe(trust.linkerdConfigMaps)
    expect(all.links).toHaveLength(1)
    // The install's lists are served from the owner lists of both steps.
    expect([...all.ownerLists.keys()]).toEqual(expect.arrayContaining(['v1 Secret', 'v1 ServiceAccount', 'rbac.authorization.k8s.io/v1 ClusterRole']))
  })
})

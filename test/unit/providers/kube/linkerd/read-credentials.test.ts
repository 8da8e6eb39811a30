import {readFileSync} from 'node:fs'

import type {V1Secret} from '@kubernetes/client-node'
import {describe, expect, test} from 'vitest'

import {credentialGeneration, renewalReason} from '../../../../../src/graph/desired-credentials.js'
import type {LinkObject} from '../../../../../src/providers/kube/client.js'
import type {ClusterListing} from '../../../../../src/providers/kube/listing.js'
import {clusterCredentials, credentialFacts, observeCredentials, orphanedGenerations} from '../../../../../src/providers/kube/linkerd/read-credentials.js'
import {parseSpec} from '../../../../../src/spec/parse.js'
import {boundSecret, generationSecret} from '../../../../support/credentials.js'

const spec = parseSpec('f.yaml', readFileSync('examples/three-region/federation.yaml', 'utf8'), {}).spec!
const NOW = Date.parse('2027-01-01T00:00:00Z')
const LATER = '2027-03-31T00:00:00Z'

const link = (name: string, generation: number | 'legacy'): LinkObject => ({
  metadata: {name, namespace: 'linkerd-multicluster'},
  spec: {clusterCredentialsSecret: generation === 'legacy' ? `cluster-credentials-${name}` : `cluster-credentials-${name}-g${generation}`},
})

/** What a cluster's lists hold, as far as credentials are concerned. */
function listing(cluster: string, o: {secrets?: V1Secret[]; links?: LinkObject[]; accounts?: {name: string; uid: string}[]} = {}): ClusterListing {
  return {
    cluster,
    client: {endpoint: () => ({server: `https://${cluster}.example:443`, caPem: 'CA'})},
    ownedSecrets: o.secrets ?? [],
    links: o.links ?? [],
    remoteAccess: {accounts: (o.accounts ?? []).map((a) => ({metadata: {name: a.name, uid: a.uid}})), roles: [], bindings: []},
    credentialReaders: [],
  } as unknown as ClusterListing
}

/** West consuming east's flat link on generation 2, east holding its bound Secret and ServiceAccount. */
function estate(o: {westSecrets?: V1Secret[]; named?: number | 'legacy'; eastSecrets?: V1Secret[]; saUid?: string} = {}) {
  const west = listing('west', {secrets: o.westSecrets ?? [generationSecret({consumer: 'west', link: 'east', target: 'east', generation: 2, expires: LATER})], links: [link('east', o.named ?? 2)]})
  const east = listing('east', {secrets: o.eastSecrets ?? [boundSecret({consumer: 'west', link: 'east', target: 'east', generation: 2})], accounts: [{name: 'mcfed-link-west-east', uid: o.saUid ?? 'sa-uid-1'}]})
  return new Map([['west', west], ['east', east]])
}
/** What the read keeps of each cluster's lists for the facts spanning clusters. */
const fleetOf = (listings: Map<string, ClusterListing>) => new Map([...listings].map(([c, l]) => [c, clusterCredentials(l)]))
const factsOf = (listings: Map<string, ClusterListing>, now = NOW) => credentialFacts(spec, fleetOf(listings), now).west!.east!

describe('credential generations as the read finds them', () => {
  test('a working generation the Link names is kept', () => {
    const f = factsOf(estate())
    expect(f).toEqual({named: 2, usable: [2], highest: 2})
    expect(credentialGeneration(f)).toBe(2)
    expect(renewalReason(f, 2)).toBeUndefined()
  })

  test('within renewBefore, expired, revoked, or for a recreated ServiceAccount: a new generation, and the reason says why', () => {
    const soon = factsOf(estate({westSecrets: [generationSecret({consumer: 'west', link: 'east', target: 'east', generation: 2, expires: '2027-01-10T00:00:00Z'})]}))
    expect(soon.problem).toBe('expire 2027-01-10T00:00:00.000Z, within renewBefore')
    expect(credentialGeneration(soon)).toBe(3)
    expect(renewalReason(soon, 3)).toBe('renews generation 2, whose credentials expire 2027-01-10T00:00:00.000Z, within renewBefore')
    expect(factsOf(estate(), Date.parse('2027-04-01T00:00:00Z')).problem).toBe('expired 2027-03-31T00:00:00.000Z')
    expect(factsOf(estate({eastSecrets: []})).problem).toBe('were revoked: the Secret their token is bound to is gone from east')
    // The bound Secret deleted and made again: another uid, and the token died with the first.
    expect(factsOf(estate({eastSecrets: [boundSecret({consumer: 'west', link: 'east', target: 'east', generation: 2, uid: 'other'})]})).problem).toContain('were revoked')
    expect(factsOf(estate({saUid: 'sa-uid-2'})).problem).toContain('which was recreated since')
    const asked = factsOf(estate({westSecrets: [generationSecret({consumer: 'west', link: 'east', target: 'east', generation: 2, expires: LATER, validity: '10m'})]}))
    expect(asked.problem).toBe('were asked for 10m; the spec asks 2160h')
    const moved = factsOf(estate({westSecrets: [generationSecret({consumer: 'west', link: 'east', target: 'east', generation: 2, expires: LATER, server: 'https://old.example'})]}))
    expect(moved.problem).toBe("name API server https://old.example; east's is https://east.example:443")
  })

  test('a generation issued by an apply killed before the switch is taken up, not issued again', () => {
    const g3 = generationSecret({consumer: 'west', link: 'east', target: 'east', generation: 3, expires: LATER})
    const old = generationSecret({consumer: 'west', link: 'east', target: 'east', generation: 2, expires: '2027-01-10T00:00:00Z'})
    const f = factsOf(estate({westSecrets: [old, g3], eastSecrets: [boundSecret({consumer: 'west', link: 'east', target: 'east', generation: 2}), boundSecret({consumer: 'west', link: 'east', target: 'east', generation: 3})]}))
    expect(f).toMatchObject({named: 2, usable: [3], highest: 3})
    expect(credentialGeneration(f)).toBe(3)
    expect(renewalReason(f, 3)).toContain('generation 3 was issued already')
  })

  test('a new generation takes a number no generation on either side used', () => {
    // The consumer lost generation 4's Secret; its bound Secret is still on the target.
    const f = factsOf(estate({eastSecrets: [boundSecret({consumer: 'west', link: 'east', target: 'east', generation: 2}), boundSecret({consumer: 'west', link: 'east', target: 'east', generation: 4})], named: 2, westSecrets: [generationSecret({consumer: 'west', link: 'east', target: 'east', generation: 2, expires: '2027-01-02T00:00:00Z'})]}))
    expect(f.highest).toBe(4)
    expect(credentialGeneration(f)).toBe(5)
  })

  test('credentials from before generations are generation 0: never usable, they move to generation 1', () => {
    const legacy: V1Secret = {...generationSecret({consumer: 'west', link: 'east', target: 'east', generation: 0, expires: LATER}), metadata: {name: 'cluster-credentials-east', namespace: 'linkerd-multicluster', labels: {'app.kubernetes.io/managed-by': 'mcfed', 'mcfed.io/federation': 'mc-demo'}}}
    const listings = estate({westSecrets: [legacy], named: 'legacy', eastSecrets: []})
    const f = factsOf(listings)
    expect(f).toMatchObject({named: 0, usable: [], highest: 0})
    expect(f.problem).toContain('from before generations')
    expect(credentialGeneration(f)).toBe(1)
    const [observed] = observeCredentials('west', spec, listings.get('west')!)
    expect(observed).toMatchObject({address: 'linkerd_link_credential.west/east/g0', attributes: {generation: 0, secret: 'cluster-credentials-east'}})
  })

  test("a bound Secret whose generation the consumer no longer holds is observed, so the plan revokes it; the consumer's own Secrets are not taken for bound ones", () => {
    const listings = estate({eastSecrets: [boundSecret({consumer: 'west', link: 'east', target: 'east', generation: 2}), boundSecret({consumer: 'west', link: 'east', target: 'east', generation: 7})]})
    const held = observeCredentials('west', spec, listings.get('west')!)
    expect(held.map((r) => r.address)).toEqual(['linkerd_link_credential.west/east/g2'])
    const orphans = orphanedGenerations(held, fleetOf(listings))
    expect(orphans.map((r) => r.address)).toEqual(['linkerd_link_credential.west/east/g7'])
    expect(orphans[0]!.attributes).toMatchObject({bound_secret: 'mcfed-link-west-east-g7', target_cluster: 'east', credentials: null})
    // west unreachable: what it holds is unknown, and nothing of its generations is revoked.
    expect(orphanedGenerations([], fleetOf(new Map([['east', listings.get('east')!]])))).toEqual([])
  })

  test('what the read keeps of a cluster once its lists are let go holds what its tokens say of themselves, never a token or kubeconfig', () => {
    const west = estate().get('west')!
    const kept = clusterCredentials(west)
    expect(kept.held).toEqual([expect.objectContaining({link: 'east', generation: 2, server: 'https://east.example:443', validity: '2160h'})])
    expect(kept.named.get('east')).toBe(2)
    const kubeconfig = Buffer.from(west.ownedSecrets[0]!.data!.kubeconfig!, 'base64').toString()
    const token = /token: (\S+)/.exec(kubeconfig)![1]!
    const text = JSON.stringify({...kept, accounts: [...kept.accounts], named: [...kept.named]})
    expect(text).not.toContain(token)
    expect(text).not.toContain(west.ownedSecrets[0]!.data!.kubeconfig!)
  })
})

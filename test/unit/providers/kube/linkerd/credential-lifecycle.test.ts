import {readFileSync} from 'node:fs'

import type {KubernetesObject, V1Deployment, V1RoleBinding, V1Secret} from '@kubernetes/client-node'
import {describe, expect, test} from 'vitest'

import {planSteps, type Step} from '../../../../../src/apply/steps.js'
import {desiredGraph} from '../../../../../src/graph/desired.js'
import type {ClusterFacts} from '../../../../../src/graph/facts.js'
import type {KubeMutationContext} from '../../../../../src/kinds/kube/kube-kind.js'
import {kubeKindOf} from '../../../../../src/kinds/registry.js'
import {plan} from '../../../../../src/plan/planner.js'
import type {Plan} from '../../../../../src/plan/types.js'
import type {KubeClient, LinkObject} from '../../../../../src/providers/kube/client.js'
import type {ClusterListing} from '../../../../../src/providers/kube/listing.js'
import {kubeconfigCredentials} from '../../../../../src/providers/kube/linkerd/kubeconfig.js'
import {clusterCredentials, credentialFacts} from '../../../../../src/providers/kube/linkerd/read-credentials.js'
import {parseSpec} from '../../../../../src/spec/parse.js'
import {jwtClaims} from '../../../../../src/util/jwt.js'

/**
 * The credential generations of two links (west consuming east, east consuming west) through the
 * real desired graph, read mapping, planner, step order and kind mutations, against an in-memory
 * estate whose Linkerd controllers behave as their source says: the service mirror reads its
 * credentials Secret when the Link's spec changes (and retries every ten seconds when it cannot),
 * the destination controller reads its copies when it starts. A token works while the Secret it
 * is bound to is on the target and it has not expired. An apply is killed after each step in turn;
 * at every step boundary each link's controllers hold a working token, and a re-run converges.
 */
const KINDS = new Set(['linkerd_link_credential', 'linkerd_link', 'linkerd_destination_credentials'])
const OWNER = {'app.kubernetes.io/managed-by': 'mcfed', 'mcfed.io/federation': 'duo'}
const spec = parseSpec(
  'f.yaml',
  readFileSync('specs/valid/two-cluster.yaml', 'utf8').replace('version: "2.18"', 'version: "2.19"\n    install: external\n    linkCredentials: {validity: 10m, renewBefore: 9m}'),
  {},
).spec!
const CLUSTERS = ['west', 'east'] as const
const LINKS = [
  {consumer: 'west', link: 'east', target: 'east'},
  {consumer: 'east', link: 'west', target: 'west'},
]

const key = (o: {kind?: string; metadata?: {namespace?: string; name?: string}}) => `${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`

class Estate {
  now = Date.parse('2027-01-01T00:00:00Z')
  readonly objects = new Map<string, Map<string, KubernetesObject>>(CLUSTERS.map((c) => [c, new Map()]))
  /** The token each link's service mirror runs with (undefined: stopped, retrying). */
  readonly mirror = new Map<string, string | undefined>()
  /** The tokens each consumer's destination controller runs with, by link. */
  readonly destination = new Map<string, Map<string, string>>()
  private uid = 0

  constructor() {
    for (const c of CLUSTERS) {
      this.put(c, {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'linkerd-destination', namespace: 'linkerd', generation: 1}, spec: {replicas: 1, template: {metadata: {}}}, status: rolled(1)} as V1Deployment)
      this.destination.set(c, new Map())
    }
    for (const l of LINKS) this.put(l.target, {apiVersion: 'v1', kind: 'ServiceAccount', metadata: {name: `mcfed-link-${l.consumer}-${l.link}`, namespace: 'linkerd-multicluster', labels: OWNER}})
  }

  put(cluster: string, o: KubernetesObject): KubernetesObject {
    const store = this.objects.get(cluster)!
    const existing = store.get(key(o))
    const stored = {...o, metadata: {...o.metadata, uid: existing?.metadata?.uid ?? `uid-${++this.uid}`}}
    store.set(key(o), stored)
    return stored
  }

  get(cluster: string, kind: string, namespace: string, name: string): KubernetesObject | undefined {
    return this.objects.get(cluster)!.get(`${kind} ${namespace}/${name}`)
  }

  /** Whether a token still authenticates on its target: its bound Secret is there (same uid) and it has not expired. */
  works(target: string, token: string | undefined): boolean {
    if (!token) return false
    const claims = jwtClaims(token) as {exp: number; 'kubernetes.io': {secret: {name: string; uid: string}}}
    const bound = this.get(target, 'Secret', 'linkerd-multicluster', claims['kubernetes.io'].secret.name)
    return bound?.metadata?.uid === claims['kubernetes.io'].secret.uid && this.now < claims.exp * 1000
  }

  /** What a Secret's kubeconfig carries. */
  tokenIn(cluster: string, namespace: string, name: string): string | undefined {
    const s = this.get(cluster, 'Secret', namespace, name) as V1Secret | undefined
    const kubeconfig = s?.data?.kubeconfig ? Buffer.from(s.data.kubeconfig, 'base64').toString() : undefined
    return kubeconfig ? kubeconfigCredentials(kubeconfig)?.token : undefined
  }

  /** The service mirror of a link after its Link's spec changed (or on its ten-second retry): it reads the named Secret, if its grant lets it. */
  reloadMirror(consumer: string, link: string): void {
    const l = this.get(consumer, 'Link', 'linkerd-multicluster', link) as LinkObject | undefined
    const name = (l?.spec as {clusterCredentialsSecret?: string} | undefined)?.clusterCredentialsSecret
    if (!name) {
      this.mirror.set(`${consumer}/${link}`, undefined)
      return
    }
    const bindings = [...this.objects.get(consumer)!.values()].filter((o): o is V1RoleBinding => o.kind === 'RoleBinding')
    const role = (n: string) => this.get(consumer, 'Role', 'linkerd-multicluster', n) as {rules?: {resourceNames?: string[]}[]} | undefined
    const readable = bindings.some((b) => b.subjects?.some((s) => s.name === `controller-${link}`) && role(b.roleRef.name)?.rules?.some((r) => r.resourceNames?.includes(name)))
    this.mirror.set(`${consumer}/${link}`, readable ? this.tokenIn(consumer, 'linkerd-multicluster', name) : undefined)
  }

  /** Time passes: a mirror that could not read its Secret tries again, as the controller does every ten seconds. */
  tick(): void {
    for (const l of LINKS) if (!this.mirror.get(`${l.consumer}/${l.link}`) && this.get(l.consumer, 'Link', 'linkerd-multicluster', l.link)) this.reloadMirror(l.consumer, l.link)
  }

  client(cluster: string): KubeClient {
    const w = this
    return {
      endpoint: () => ({server: `https://${cluster}.example:443`, caPem: 'CA'}),
      createIfMissing: async (o: KubernetesObject) => void (w.objects.get(cluster)!.has(key(o)) || w.put(cluster, o)),
      readObject: async (_v: string, kind: string, name: string, namespace?: string) => w.get(cluster, kind, namespace ?? '', name),
      createToken: async (ns: string, sa: string, seconds: number, bound?: {name: string; uid: string}) => {
        const account = w.get(cluster, 'ServiceAccount', ns, sa)
        const claims = {exp: Math.floor(w.now / 1000) + seconds, 'kubernetes.io': {namespace: ns, serviceaccount: {name: sa, uid: account?.metadata?.uid}, secret: bound}}
        return {token: `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`, expires: new Date(claims.exp * 1000).toISOString()}
      },
      apply: async (o: KubernetesObject) => {
        const before = w.get(cluster, o.kind!, o.metadata?.namespace ?? '', o.metadata!.name!) as LinkObject | undefined
        w.put(cluster, o)
        const spec = (o as LinkObject).spec as {clusterCredentialsSecret?: string} | undefined
        // link_handlers.go: only a change of the Link's spec makes the service mirror read its Secret.
        if (o.kind === 'Link' && JSON.stringify(before?.spec) !== JSON.stringify((o as LinkObject).spec) && spec?.clusterCredentialsSecret) w.reloadMirror(cluster, o.metadata!.name!)
      },
      applyAs: async (o: V1Deployment) => {
        const d = w.get(cluster, 'Deployment', 'linkerd', 'linkerd-destination') as V1Deployment
        const annotations = o.spec?.template?.metadata?.annotations ?? {}
        const generation = (d.metadata!.generation ?? 1) + 1
        w.put(cluster, {...d, metadata: {...d.metadata, generation}, spec: {...d.spec!, template: {metadata: {annotations}}}, status: rolled(generation)} as V1Deployment)
        // The rolled-out pod's destination controller reads every copy (cluster_store.go: at start).
        const loaded = new Map<string, string>()
        for (const l of LINKS.filter((x) => x.consumer === cluster)) {
          const token = w.tokenIn(cluster, 'linkerd', `cluster-credentials-${l.link}`)
          if (token) loaded.set(l.link, token)
        }
        w.destination.set(cluster, loaded)
      },
      mergePatch: async () => {},
      delete: async (o: KubernetesObject) => void w.objects.get(cluster)!.delete(key(o)),
      listServices: async () => [],
    } as unknown as KubeClient
  }

  listing(cluster: string): ClusterListing {
    const all = [...this.objects.get(cluster)!.values()]
    const owned = (o: KubernetesObject) => o.metadata?.labels?.['mcfed.io/federation'] === 'duo'
    return {
      cluster,
      client: this.client(cluster),
      anchors: [],
      services: new Map(),
      linkerdConfigMaps: [],
      trustSecrets: [],
      ownedSecrets: all.filter((o) => o.kind === 'Secret' && owned(o)) as V1Secret[],
      links: all.filter((o) => o.kind === 'Link') as LinkObject[],
      remoteAccess: {accounts: all.filter((o) => o.kind === 'ServiceAccount') as never[], roles: [], bindings: []},
      extension: {deployments: [], services: []},
      destination: all.filter((o) => o.kind === 'Deployment') as V1Deployment[],
      credentialReaders: all.filter((o) => o.kind === 'RoleBinding' && owned(o)) as V1RoleBinding[],
      policies: [],
      ownerLists: new Map(),
    }
  }

  /** A plan of the credential kinds, as `mcfed plan` makes it from what the read finds. */
  async plan(): Promise<Plan> {
    const listings = new Map(CLUSTERS.map((c) => [c, this.listing(c)]))
    const fleet = new Map(CLUSTERS.map((c) => [c, clusterCredentials(listings.get(c)!)]))
    const credentials = credentialFacts(spec, fleet, this.now)
    const facts: Record<string, ClusterFacts> = Object.fromEntries(CLUSTERS.map((c) => [c, {apiServer: `https://${c}.example:443`, linkCrd: true, ...(credentials[c] ? {credentials: credentials[c]} : {})}]))
    const observed = []
    for (const kind of KINDS) {
      const k = kubeKindOf(kind)!
      const mine = (await Promise.all(CLUSTERS.map((c) => k.observe(listings.get(c)!, {spec})))).flatMap((o) => o.resources)
      observed.push(...(k.relate ? k.relate(mine, fleet, {spec}) : mine))
    }
    const desired = desiredGraph(spec, undefined, {clusters: facts, read: true}).filter((r) => KINDS.has(r.kind))
    return plan({federation: 'duo', project: 'p', mcfedVersion: 't', desired, observed})
  }

  /**
   * Runs a plan's steps one at a time, in an order apply could take (it runs them in parallel, so
   * any order their `after` allows): the first step ready, or with `latest` the last one (deletes
   * first wherever they may go). Stops, as if killed, after `limit` steps.
   */
  async apply(p: Plan, limit = Infinity, after?: () => void, latest = false): Promise<number> {
    const steps = planSteps(p.resource_changes)
    const done = new Set<string>()
    let ran = 0
    while (done.size < steps.length && ran < limit) {
      const ready = steps.filter((s) => !done.has(s.id) && s.after.every((a) => done.has(a) || !steps.some((x) => x.id === a)))
      const next = latest ? ready.at(-1)! : ready[0]!
      await this.run(next)
      done.add(next.id)
      ran++
      after?.()
    }
    return ran
  }

  private async run(step: Step): Promise<void> {
    const cluster = step.change.cluster
    const ctx = {
      client: this.client(cluster),
      clientFor: async (c: string) => this.client(c),
      owner: OWNER,
      gatewayTimeoutMs: 1_000,
      federation: {ofMember: () => [], ofLink: () => [], serialized: (_j: unknown, write: () => Promise<void>) => write()},
    } as unknown as KubeMutationContext
    await kubeKindOf(step.change.kind)!.mutate(ctx, step.mutation, step.change)
  }

  /** Every link's service mirror and destination controller hold a token that works now. */
  working(): string[] {
    const broken: string[] = []
    for (const l of LINKS) {
      if (!this.works(l.target, this.mirror.get(`${l.consumer}/${l.link}`))) broken.push(`the ${l.link} service mirror in ${l.consumer}`)
      if (!this.works(l.target, this.destination.get(l.consumer)!.get(l.link))) broken.push(`the destination controller of ${l.consumer} for ${l.link}`)
    }
    return broken
  }

  clone(): Estate {
    const e = new Estate()
    e.now = this.now
    e.uid = this.uid
    for (const [c, store] of this.objects) e.objects.set(c, new Map(structuredClone([...store])))
    for (const [k, v] of this.mirror) e.mirror.set(k, v)
    for (const [c, m] of this.destination) e.destination.set(c, new Map(m))
    return e
  }
}

function rolled(generation: number) {
  return {observedGeneration: generation, replicas: 1, updatedReplicas: 1, availableReplicas: 1}
}

async function converge(e: Estate): Promise<Plan> {
  for (let round = 0; round < 3; round++) {
    const p = await e.plan()
    if (p.resource_changes.every((c) => c.action === 'no-op')) return p
    await e.apply(p, Infinity, () => e.tick())
  }
  return e.plan()
}

describe('credential generations over time, with an apply killed after any step', () => {
  test('a first apply issues generation 1, and both controllers run with it', async () => {
    const e = new Estate()
    const p = await converge(e)
    expect(p.resource_changes.map((c) => c.address).sort()).toEqual([
      'linkerd_destination_credentials.east',
      'linkerd_destination_credentials.west',
      'linkerd_link.east/west',
      'linkerd_link.west/east',
      'linkerd_link_credential.east/west/g1',
      'linkerd_link_credential.west/east/g1',
    ])
    expect(e.working()).toEqual([])
  })

  test('a renewal killed after any of its steps leaves every link working, and a re-run converges on one new generation', async () => {
    const start = new Estate()
    await converge(start)
    start.now += 2 * 60_000 // within renewBefore: 9 of the 10 minutes
    const renewal = await start.plan()
    const steps = planSteps(renewal.resource_changes).length
    expect(renewal.summary).toMatchObject({add: 2, change: 4, destroy: 2})
    for (const [kill, latest] of [...Array(steps + 1).keys()].flatMap((k) => [[k, false], [k, true]] as const)) {
      const e = start.clone()
      const broken: string[] = []
      await e.apply(
        renewal,
        kill,
        () => {
          e.tick()
          broken.push(...e.working())
        },
        latest,
      )
      const rerun = await e.plan()
      await e.apply(rerun, Infinity, () => {
        e.tick()
        broken.push(...e.working())
      })
      expect(broken, `killed after ${kill} of ${steps} steps${latest ? ', deletes first where they may go' : ''}`).toEqual([])
      const after = await e.plan()
      expect(after.resource_changes.filter((c) => c.action !== 'no-op'), `killed after ${kill}`).toEqual([])
      const generations = after.resource_changes.filter((c) => c.kind === 'linkerd_link_credential').map((c) => c.address)
      expect(generations.sort(), `killed after ${kill}`).toEqual(['linkerd_link_credential.east/west/g2', 'linkerd_link_credential.west/east/g2'])
      // The replaced generation is revoked: its bound Secret is gone from the target.
      expect(e.get('east', 'Secret', 'linkerd-multicluster', 'mcfed-link-west-east-g1')).toBeUndefined()
    }
  })

  test('generation after generation: every renewal a new number, the old one revoked, never a moment without a working token', async () => {
    const e = new Estate()
    await converge(e)
    const broken: string[] = []
    for (let i = 0; i < 10; i++) {
      e.now += 2 * 60_000
      const p = await e.plan()
      await e.apply(
        p,
        Infinity,
        () => {
          e.tick()
          broken.push(...e.working())
        },
        i % 2 === 1,
      )
    }
    expect(broken).toEqual([])
    expect((e.get('west', 'Link', 'linkerd-multicluster', 'east') as LinkObject).spec).toMatchObject({clusterCredentialsSecret: 'cluster-credentials-east-g11'})
    const bound = [...e.objects.get('east')!.keys()].filter((k) => k.startsWith('Secret linkerd-multicluster/mcfed-link-west-east-g'))
    expect(bound).toEqual(['Secret linkerd-multicluster/mcfed-link-west-east-g11'])
  })

  test('left alone past expiry, the links stop working; the next apply issues a working generation', async () => {
    const e = new Estate()
    await converge(e)
    e.now += 11 * 60_000
    expect(e.working().length).toBe(4)
    const p = await e.plan()
    expect(p.resource_changes.find((c) => c.address === 'linkerd_link_credential.west/east/g2')?.reason).toMatch(/^renews generation 1, whose credentials expired /)
    await converge(e)
    expect(e.working()).toEqual([])
  })
})

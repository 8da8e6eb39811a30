import {readFileSync} from 'node:fs'

import type {V1Service} from '@kubernetes/client-node'
import {describe, expect, test} from 'vitest'

import {joinsOfLink, joinsOfMember} from '../../../../../src/linkerd/federation.js'
import type {KubeClient} from '../../../../../src/providers/kube/client.js'
import {FederationJoins} from '../../../../../src/providers/kube/linkerd/federation-joins.js'
import {parseSpec} from '../../../../../src/spec/parse.js'

const spec = parseSpec('f.yaml', readFileSync('examples/three-region/federation.yaml', 'utf8'), {}).spec!

/**
 * Three clusters whose controllers act as Linkerd's do: a join finds `frontend-federated` or creates
 * it, and a create that meets AlreadyExists drops its member (cluster_watcher.go). `running` says
 * which controllers hold their Lease.
 */
function estate(running: (cluster: string, lease: string) => boolean) {
  const federated = new Map<string, {local?: string; remote: string[]}>()
  const labelled = new Set<string>()
  const inFlight = new Map<string, number>()
  const events: string[] = []
  const client = (cluster: string): KubeClient =>
    ({
      listLinks: async () => ['west', 'east', 'north'].filter((c) => c !== cluster).map((name) => ({metadata: {name}})),
      listLeases: async () =>
        ['local-service-mirror-write', ...['west', 'east', 'north'].map((c) => `service-mirror-write-${c}`)].map((name) => ({
          metadata: {name},
          spec: running(cluster, name) ? {holderIdentity: 'pod', renewTime: new Date().toISOString(), leaseDurationSeconds: 30} : {holderIdentity: '', leaseDurationSeconds: 1},
        })),
      listDeployments: async () => [],
      getService: async (_ns: string, name: string): Promise<V1Service | undefined> => {
        if (name === 'frontend') return labelled.has(cluster) ? {metadata: {labels: {'mirror.linkerd.io/federated': 'member'}}} : {metadata: {}}
        const f = federated.get(cluster)
        return f ? {metadata: {annotations: {...(f.local ? {'multicluster.linkerd.io/local-discovery': f.local} : {}), 'multicluster.linkerd.io/remote-discovery': f.remote.join(',')}}} : undefined
      },
    }) as unknown as KubeClient
  /** A controller in `consumer` joining `member`: the create path loses its member when another creates at once. */
  const join = async (consumer: string, member: string) => {
    const missing = !federated.has(consumer)
    inFlight.set(consumer, (inFlight.get(consumer) ?? 0) + 1)
    await new Promise((r) => setTimeout(r, 5))
    const raced = missing && (inFlight.get(consumer) ?? 0) > 1
    inFlight.set(consumer, inFlight.get(consumer)! - 1)
    if (raced && federated.has(consumer)) return events.push(`${consumer} lost ${member}`)
    const f = federated.get(consumer) ?? {remote: []}
    if (member === consumer) f.local = 'frontend'
    else f.remote.push(`frontend@${member}`)
    federated.set(consumer, f)
  }
  /** Labelling frontend in `cluster`: every running controller that watches it joins at once. */
  const label = async (cluster: string) => {
    labelled.add(cluster)
    const joins = joinsOfMember(spec, cluster, 'mc-demo', 'frontend').filter((j) => running(j.consumer, j.link ? `service-mirror-write-${j.link}` : 'local-service-mirror-write'))
    void Promise.all(joins.map((j) => join(j.consumer, j.member)))
  }
  return {client, label, federated, events}
}

const options = (e: ReturnType<typeof estate>) => ({clientFor: async (c: string) => e.client(c), pollMs: 2, leaseGraceMs: 20, timeoutMs: 2_000})

describe('writes that make Linkerd join a federated service', () => {
  test('the joins of a member: its own local mirror, and every flat link into it', () => {
    expect(joinsOfMember(spec, 'east', 'mc-demo', 'frontend').map((j) => `${j.consumer}/${j.link ?? 'local'}`)).toEqual(['east/local', 'west/east', 'north/east'])
    expect(joinsOfLink(spec, 'north', 'east', 'east').map((j) => `${j.service}@${j.member}`)).toEqual(['frontend@east'])
    expect(joinsOfLink(spec, 'west', 'north', 'north').map((j) => j.service)).toEqual(['frontend'])
  })

  test('labelled at once, controllers race to create frontend-federated and drop members (what Linkerd does)', async () => {
    const e = estate(() => true)
    await Promise.all(['west', 'east', 'north'].map((c) => e.label(c)))
    await new Promise((r) => setTimeout(r, 50))
    expect(e.events.length).toBeGreaterThan(0)
  })

  test('serialised and awaited, every federated service counts every member once', async () => {
    const e = estate(() => true)
    const joins = new FederationJoins()
    await Promise.all(['west', 'east', 'north'].map((c) => joins.serialized(joinsOfMember(spec, c, 'mc-demo', 'frontend'), options(e), () => e.label(c))))
    expect(e.events).toEqual([])
    for (const c of ['west', 'east', 'north']) {
      const f = e.federated.get(c)!
      expect([...(f.local ? [c] : []), ...f.remote.map((m) => m.split('@')[1])].sort()).toEqual(['east', 'north', 'west'])
    }
  })

  test('where no controller runs nothing joins, and the write does not wait for it', async () => {
    const e = estate(() => false)
    const joins = new FederationJoins()
    const started = Date.now()
    await joins.serialized(joinsOfMember(spec, 'west', 'mc-demo', 'frontend'), options(e), () => e.label('west'))
    expect(Date.now() - started).toBeLessThan(1_000)
    expect(e.federated.size).toBe(0)
  })
})

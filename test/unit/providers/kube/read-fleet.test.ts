import {readFileSync} from 'node:fs'
import {setFlagsFromString} from 'node:v8'
import {runInNewContext} from 'node:vm'

import {describe, expect, it} from 'vitest'

import type {KubeClient} from '../../../../src/providers/kube/client.js'
import {readFleet} from '../../../../src/providers/kube/read-fleet.js'
import {parseSpec} from '../../../../src/spec/parse.js'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

const text = readFileSync('examples/three-region/federation.yaml', 'utf8')

/** The three-region spec with `n` more clusters, so that a fleet is more than the bound. */
function fleetSpec(n: number) {
  const spec = parseSpec('f.yaml', text, {}).spec!
  const template = Object.values(spec.spec.clusters)[0]!
  const clusters = Object.fromEntries(Array.from({length: n}, (_, i) => [`c${i}`, template]))
  return {...spec, spec: {...spec.spec, clusters}}
}

/**
 * Clients whose lists answer nothing, except mcfed's Secrets in every namespace: a few per cluster,
 * each watched through a WeakRef, so the test sees which clusters' Secrets are still alive.
 */
function fleetClients() {
  const alive: {cluster: string; ref: WeakRef<object>}[] = []
  const held = (except: string) => {
    gc()
    return new Set(alive.filter((a) => a.cluster !== except && a.ref.deref() !== undefined).map((a) => a.cluster))
  }
  let most = 0
  const client = (cluster: string) =>
    new Proxy({} as KubeClient, {
      // Not a thenable: the provider awaits its clients.
      get: (_, method: string) => (method === 'then' ? undefined : async (namespace?: string, _labelSelector?: string, fieldSelector?: string) => {
        // Answered in a later turn of the event loop, as a server's would be. That also lets go of
        // what the WeakRefs kept alive within the turn they were made or read in.
        await new Promise((r) => setImmediate(r))
        most = Math.max(most, held(cluster).size)
        if (method === 'getService') return undefined
        if (method !== 'listSecrets' || namespace !== undefined || fieldSelector) return []
        const secrets = Array.from({length: 4}, (_, i) => ({apiVersion: 'v1', kind: 'Secret', metadata: {name: `s${i}`, namespace: 'linkerd-multicluster', labels: {}}, data: {kubeconfig: 'eA=='}}))
        for (const s of secrets) alive.push({cluster, ref: new WeakRef(s)})
        return secrets
      }),
    })
  return {client, most: () => most}
}

describe('the fleet read', () => {
  it("holds at most `parallelism` clusters' Secrets at once: only their issuers are read for the whole fleet first", async () => {
    const {client, most} = fleetClients()
    const spec = fleetSpec(6)
    const read = await readFleet(spec, {anchors: {}, client: async (c) => client(c), parallelism: 2, withoutInstall: true})
    expect(read.unreachable).toEqual([])
    // Another cluster's Secrets alive while one is read: at most the one other task in flight.
    expect(most()).toBeLessThanOrEqual(1)
  })
})

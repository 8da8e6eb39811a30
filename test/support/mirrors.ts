import type {MeshClusters} from './mesh-clusters.js'
import {until} from './until.js'

const NAMESPACE = 'mc-demo'

/** The seed's mirrors and federated services, per cluster: what Linkerd's controllers make of the three-region spec. */
export const SEED_MIRRORS: Readonly<Record<string, readonly string[]>> = {
  west: ['analytics-east-gw', 'api-east', 'frontend-federated'],
  east: ['api-west', 'frontend-federated'],
  north: ['analytics-east-gw', 'api-east', 'api-west', 'frontend-federated'],
}

interface ServiceItem {
  metadata: {name: string; labels?: Record<string, string>; annotations?: Record<string, string>}
}

async function services(mesh: MeshClusters, cluster: string): Promise<ServiceItem[]> {
  return JSON.parse(await mesh.kubectl(cluster, 'get', 'services', '-n', NAMESPACE, '-o', 'json')).items as ServiceItem[]
}

/** What Linkerd's controllers made in a cluster: mirror Services and federated Services, by name, sorted. */
export async function mirrorsOf(mesh: MeshClusters, cluster: string): Promise<string[]> {
  return (await services(mesh, cluster))
    .filter((s) => s.metadata.labels?.['mirror.linkerd.io/mirrored-service'] === 'true' || s.metadata.name.endsWith('-federated'))
    .map((s) => s.metadata.name)
    .sort()
}

/** The clusters a federated Service of `cluster` counts: itself when local-discovery names it, each `svc@link` of remote-discovery. */
export async function federatedMembers(mesh: MeshClusters, cluster: string, federated: string): Promise<string[]> {
  const svc = (await services(mesh, cluster)).find((s) => s.metadata.name === federated)
  if (!svc) return []
  const a = svc.metadata.annotations ?? {}
  const remote = (a['multicluster.linkerd.io/remote-discovery'] ?? '').split(',').filter(Boolean).map((m) => m.split('@')[1]!)
  return [...(a['multicluster.linkerd.io/local-discovery'] ? [cluster] : []), ...remote].sort()
}

/**
 * Waits until every named cluster has exactly these mirrors and federated services, each federated
 * service counting every cluster of the three-region example once: Linkerd's controllers at work.
 */
export async function waitForMirrors(mesh: MeshClusters, expected: Readonly<Record<string, readonly string[]>>, timeoutMs = 120_000): Promise<void> {
  let last = ''
  try {
    await until(
      'Linkerd\'s controllers mirror the spec',
      async () => {
        const seen = await Promise.all(
          Object.keys(expected).map(async (c) => {
            const mirrors = await mirrorsOf(mesh, c)
            const federated = mirrors.includes('frontend-federated') ? await federatedMembers(mesh, c, 'frontend-federated') : []
            return {cluster: c, mirrors, federated}
          }),
        )
        last = JSON.stringify(seen)
        return seen.every((s) => JSON.stringify(s.mirrors) === JSON.stringify(expected[s.cluster]) && (!s.mirrors.includes('frontend-federated') || s.federated.join() === 'east,north,west'))
      },
      timeoutMs,
    )
  } catch (e) {
    throw new Error(`${(e as Error).message}; last seen ${last}`)
  }
}

import {parseAllDocuments} from 'yaml'

import {comparable, firstDeparture, type ClusterTreeDrift, type ObjectDrift} from '../gitops/object-drift.js'
import {readTree} from '../gitops/tree-files.js'
import {objectKey, type KubeObject} from '../linkerd/install/manifests.js'
import type {KubeClient} from '../providers/kube/client.js'

/**
 * The live clusters against a rendered tree (what the engine should have applied): every object
 * of `clusters/<c>/` read back from cluster c and compared field by field with what the tree sets.
 * A stuck sync shows as missing or old objects, a hand edit as a departing field.
 */
export async function treeDrift(dir: string, clientOf: (cluster: string) => Promise<KubeClient | undefined>): Promise<ClusterTreeDrift[]> {
  const byCluster = new Map<string, KubeObject[]>()
  for (const [path, text] of await readTree(dir)) {
    const [top, cluster] = path.split('/')
    if (top !== 'clusters' || !cluster || path.endsWith('/kustomization.yaml')) continue
    const objects = parseAllDocuments(text)
      .map((d) => d.toJS() as KubeObject | null)
      .filter((o): o is KubeObject => !!o?.kind && !!o.metadata?.name)
    byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), ...objects])
  }
  return Promise.all(
    [...byCluster.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(async ([cluster, objects]) => {
        try {
          const client = await clientOf(cluster)
          if (!client) return {cluster, objects: objects.length, drift: [], unreachable: 'it does not exist'}
          const drift: ObjectDrift[] = []
          for (const o of objects) {
            const live = await client.readObject(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace)
            if (!live) {
              drift.push({object: objectKey(o), problem: 'missing'})
              continue
            }
            const departure = firstDeparture(comparable(o), live)
            if (departure) drift.push({object: objectKey(o), problem: 'differs', ...departure})
          }
          return {cluster, objects: objects.length, drift}
        } catch (e) {
          return {cluster, objects: objects.length, drift: [], unreachable: (e as Error).message.split('\n')[0]!}
        }
      }),
  )
}

import type {KubernetesObject} from '@kubernetes/client-node'

import {ProviderError} from '../../diagnostics/errors.js'
import {LABEL, LINKERD_NAMESPACE} from '../../linkerd/names.js'
import type {KubeClient} from './client.js'
import {listMeshedPods} from './linkerd/read-trust.js'

/** What `kubectl rollout restart` sets on a pod template; the rollout itself is the workload controller's. */
const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt'
/** Not mcfed's own manager: the restart annotation is not part of what mcfed's render records vouch for. */
const ROLLOUT_MANAGER = 'mcfed-rollout'
const ROLLOUT_TIMEOUT_MS = 5 * 60_000

interface Workload {
  readonly apiVersion: string
  readonly kind: 'Deployment' | 'StatefulSet' | 'DaemonSet'
  readonly namespace: string
  readonly name: string
}

interface WorkloadObject extends KubernetesObject {
  spec?: {replicas?: number}
  status?: {observedGeneration?: number; replicas?: number; updatedReplicas?: number; readyReplicas?: number; availableReplicas?: number; desiredNumberScheduled?: number; updatedNumberScheduled?: number; numberReady?: number; currentReplicas?: number}
}

/** Restarts Linkerd's control plane (identity, destination, proxy injector) and waits until every new pod runs. */
export async function restartControlPlane(client: KubeClient, signal?: AbortSignal): Promise<void> {
  const deployments = await client.listDeployments(LABEL.controlPlaneComponent)
  const workloads = deployments
    .filter((d) => d.metadata?.namespace === LINKERD_NAMESPACE)
    .map((d): Workload => ({apiVersion: 'apps/v1', kind: 'Deployment', namespace: LINKERD_NAMESPACE, name: d.metadata!.name!}))
  await restartAll(client, workloads, signal)
}

/**
 * Restarts, `wave` at a time, every workload owning a meshed pod created before `before`, and waits
 * for each wave to roll out before the next: a wave never takes down more than it restarts. A pod
 * no controller owns cannot be restarted without losing it: apply names it instead.
 */
export async function restartMeshedWorkloads(client: KubeClient, before: string, wave: number, signal?: AbortSignal): Promise<number> {
  const created = (p: KubernetesObject) => new Date(p.metadata?.creationTimestamp ?? 0).getTime()
  const pods = (await listMeshedPods(client)).filter((p) => p.metadata?.namespace !== LINKERD_NAMESPACE && !p.metadata?.deletionTimestamp && created(p) < Date.parse(before))
  const owners = new Map<string, Workload>()
  const bare: string[] = []
  for (const pod of pods) {
    const owner = await workloadOf(client, pod)
    if (owner) owners.set(`${owner.kind} ${owner.namespace}/${owner.name}`, owner)
    else bare.push(`${pod.metadata?.namespace}/${pod.metadata?.name}`)
  }
  const list = [...owners.values()]
  for (let i = 0; i < list.length; i += Math.max(1, wave)) await restartAll(client, list.slice(i, i + Math.max(1, wave)), signal)
  if (bare.length > 0) {
    throw new ProviderError(`${bare.length} meshed pod${bare.length === 1 ? '' : 's'} no controller owns started before the new trust roots (${bare.slice(0, 5).join(', ')}${bare.length > 5 ? ', …' : ''})`, {
      hint: 'recreate them yourself (mcfed will not delete a pod nothing recreates), then apply again',
    })
  }
  return list.length
}

async function workloadOf(client: KubeClient, pod: KubernetesObject): Promise<Workload | undefined> {
  const namespace = pod.metadata?.namespace ?? ''
  const ref = pod.metadata?.ownerReferences?.find((r) => r.controller)
  if (!ref) return undefined
  if (ref.kind === 'StatefulSet' || ref.kind === 'DaemonSet') return {apiVersion: 'apps/v1', kind: ref.kind, namespace, name: ref.name}
  if (ref.kind !== 'ReplicaSet') return undefined
  const rs = await client.readObject('apps/v1', 'ReplicaSet', ref.name, namespace)
  const deployment = rs?.metadata?.ownerReferences?.find((r) => r.controller && r.kind === 'Deployment')
  return deployment ? {apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: deployment.name} : undefined
}

async function restartAll(client: KubeClient, workloads: readonly Workload[], signal?: AbortSignal): Promise<void> {
  const at = new Date().toISOString()
  await Promise.all(
    workloads.map((w) =>
      client.applyAs({apiVersion: w.apiVersion, kind: w.kind, metadata: {name: w.name, namespace: w.namespace}, spec: {template: {metadata: {annotations: {[RESTARTED_AT]: at}}}}} as KubernetesObject, ROLLOUT_MANAGER),
    ),
  )
  const deadline = Date.now() + ROLLOUT_TIMEOUT_MS
  for (;;) {
    const waiting = (await Promise.all(workloads.map(async (w) => ((await rolledOut(client, w)) ? [] : [`${w.kind} ${w.namespace}/${w.name}`])))).flat()
    if (waiting.length === 0) return
    if (Date.now() > deadline) throw new ProviderError(`${waiting.join(', ')} did not finish restarting within ${ROLLOUT_TIMEOUT_MS / 60_000} minutes`, {hint: 'look at its pods (kubectl rollout status); apply again to resume'})
    signal?.throwIfAborted()
    await new Promise((r) => setTimeout(r, 500))
  }
}

/** `kubectl rollout status`'s test: the controller saw the new template and every replica runs it, ready. */
async function rolledOut(client: KubeClient, w: Workload): Promise<boolean> {
  const o = (await client.readObject(w.apiVersion, w.kind, w.name, w.namespace)) as WorkloadObject | undefined
  if (!o) return true
  const s = o.status ?? {}
  if ((s.observedGeneration ?? 0) < (o.metadata?.generation ?? 0)) return false
  if (w.kind === 'DaemonSet') return (s.updatedNumberScheduled ?? 0) >= (s.desiredNumberScheduled ?? 0) && (s.numberReady ?? 0) >= (s.desiredNumberScheduled ?? 0)
  const want = o.spec?.replicas ?? 1
  return (s.updatedReplicas ?? 0) >= want && (s.readyReplicas ?? 0) >= want && (s.replicas ?? 0) <= want
}

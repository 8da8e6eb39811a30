import type {V1Lease} from '@kubernetes/client-node'

import {modeLabel} from '../../../graph/topology.js'
import {log} from '../../../log/logger.js'
import type {FederationJoin} from '../../../linkerd/federation.js'
import {LABEL, MULTICLUSTER_NAMESPACE} from '../../../linkerd/names.js'
import {KeyedMutex} from '../../../util/keyed-mutex.js'
import type {KubeClient} from '../client.js'

export interface JoinWaitOptions {
  readonly clientFor: (cluster: string) => Promise<KubeClient>
  /** How long a join may take once its controller runs; past it apply warns and goes on. */
  readonly timeoutMs?: number
  /** How long a controller whose Deployment exists may take to hold its Lease (it may be starting). */
  readonly leaseGraceMs?: number
  readonly pollMs?: number
  readonly signal?: AbortSignal
}

const FEDERATED_ANNOTATION = {local: 'multicluster.linkerd.io/local-discovery', remote: 'multicluster.linkerd.io/remote-discovery'}

/**
 * Writes that make Linkerd's controllers join a federated service, one at a time per cluster where
 * a join happens, each waiting until the joins it set off are done.
 *
 * Why: when two controllers of one cluster find `<svc>-federated` missing at once, both create it;
 * the one that gets AlreadyExists returns without adding its member (`handleCreateFederatedService`
 * in multicluster/service-mirror/cluster_watcher.go, 2.19 and 2.20), and the member stays out
 * until the next resync of that controller's informers, up to ten minutes later. Seen here with
 * Linkerd's own controllers: labelling the seed's `frontend` in three clusters at once left every
 * `frontend-federated` with one member of three. Serialised, every join after the first finds the
 * service and updates it (conflicts are retried by the controller).
 */
export class FederationJoins {
  private readonly locks = new KeyedMutex()

  async serialized(joins: readonly FederationJoin[], o: JoinWaitOptions, write: () => Promise<void>): Promise<void> {
    if (joins.length === 0) return write()
    await this.locks.withLocks(
      joins.map((j) => j.consumer),
      async () => {
        await write()
        await Promise.all(joins.map((j) => awaitJoin(j, o)))
      },
    )
  }
}

/** Waits for one join where its controller runs and can act; says so when it does not come. */
async function awaitJoin(j: FederationJoin, o: JoinWaitOptions): Promise<void> {
  const client = await o.clientFor(j.consumer)
  const controller = j.link ? `the ${j.link} controller` : 'the local service mirror'
  if (j.link && !(await client.listLinks(MULTICLUSTER_NAMESPACE))?.some((l) => l.metadata?.name === j.link)) return
  if (!(await controllerRunning(client, j, o))) return
  if (j.link && !(await memberLabelled(j, o))) return
  const federated = `${j.service}-federated`
  const deadline = Date.now() + (o.timeoutMs ?? 60_000)
  while (!o.signal?.aborted) {
    const svc = await client.getService(j.namespace, federated)
    const a = svc?.metadata?.annotations ?? {}
    const joined = j.link ? (a[FEDERATED_ANNOTATION.remote] ?? '').split(',').includes(`${j.service}@${j.link}`) : a[FEDERATED_ANNOTATION.local] === j.service
    if (joined) return
    if (Date.now() >= deadline) {
      log('warn', `${controller} in ${j.consumer} has not added ${j.service}@${j.member} to ${j.namespace}/${federated} within ${Math.round((o.timeoutMs ?? 60_000) / 1000)}s; \`mcfed verify\` shows whether it does`)
      return
    }
    await sleep(o.pollMs ?? 250)
  }
}

/**
 * Whether the controller that would join runs: its Lease is held, or its Deployment exists and
 * the Lease comes within the grace (a controller just installed is starting). Where none runs
 * nothing joins, and there is nothing to wait for.
 */
async function controllerRunning(client: KubeClient, j: FederationJoin, o: JoinWaitOptions): Promise<boolean> {
  const lease = j.link ? `service-mirror-write-${j.link}` : 'local-service-mirror-write'
  const held = async () => leaseHeld((await client.listLeases(MULTICLUSTER_NAMESPACE)).find((l) => l.metadata?.name === lease))
  if (await held()) return true
  const selector = j.link ? `${LABEL.component}=controller,${LABEL.clusterName}=${j.link}` : `${LABEL.component}=local-service-mirror`
  const deployed = (await client.listDeployments(selector)).some((d) => (d.spec?.replicas ?? 1) > 0)
  if (!deployed) return false
  const deadline = Date.now() + (o.leaseGraceMs ?? 15_000)
  while (Date.now() < deadline && !o.signal?.aborted) {
    await sleep(o.pollMs ?? 250)
    if (await held()) return true
  }
  return false
}

/** A remote join happens only once the member's Service carries the federated label in its own cluster. */
async function memberLabelled(j: FederationJoin, o: JoinWaitOptions): Promise<boolean> {
  const svc = await (await o.clientFor(j.member)).getService(j.namespace, j.service)
  const label = modeLabel('federated')
  return svc?.metadata?.labels?.[label.key] === label.value
}

function leaseHeld(lease: V1Lease | undefined): boolean {
  const spec = lease?.spec
  if (!spec?.holderIdentity) return false
  const renewed = spec.renewTime ? new Date(spec.renewTime as unknown as string).getTime() : 0
  return Date.now() - renewed < (spec.leaseDurationSeconds ?? 0) * 1000 + 5_000
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

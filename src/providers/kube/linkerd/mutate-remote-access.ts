import type {Json} from '../../../graph/resource.js'
import {remoteAccessObjects} from '../../../linkerd/objects/remote-access.js'
import type {Mutation} from '../../types.js'
import type {KubeClient} from '../client.js'

/**
 * How long kube-apiserver keeps authenticating a token it accepted recently (its token success
 * cache, 10 s), plus a margin: a removal waits this out so that, once apply returns, the removed
 * link's old token is refused as unauthenticated, not only forbidden.
 */
export const TOKEN_CACHE_TTL_MS = 11_000

/**
 * Writes or removes one link's remote access on its target: a ServiceAccount, a ClusterRole with
 * exactly the plan's rules, and the binding between them, all named after the consumer and link.
 * Deleting the ServiceAccount is what revokes the link's tokens (they are bound to its UID).
 */
export async function mutateRemoteAccess(
  client: KubeClient,
  mutation: Mutation,
  a: {readonly [k: string]: Json},
  owner: Record<string, string>,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<void> {
  const [account, role, binding] = remoteAccessObjects(a, owner)
  if (mutation === 'delete') {
    await client.delete(binding)
    await client.delete(role)
    await client.delete(account)
    await sleep(TOKEN_CACHE_TTL_MS)
    return
  }
  for (const o of [account, role, binding]) await client.apply(o as never, true)
}

import {observeDestinationCredentials, restartDestination} from '../../providers/kube/linkerd/destination-credentials.js'
import {kubeKind, type KubeKind} from './kube-kind.js'

/** How long apply waits for the destination controller's rollout after a new generation. */
const ROLLOUT_TIMEOUT_MS = 5 * 60_000

export const linkerdDestinationCredentials: KubeKind<'linkerd_destination_credentials'> = kubeKind('linkerd_destination_credentials', {
  lists: ['destination'],

  observe: ({cluster, destination}) => ({resources: observeDestinationCredentials(cluster, destination), diagnostics: []}),

  mutate: (ctx, m, c) => restartDestination({client: ctx.client, timeoutMs: ROLLOUT_TIMEOUT_MS, ...(ctx.signal ? {signal: ctx.signal} : {})}, m, c),
})

import type {V1Deployment, V1Secret} from '@kubernetes/client-node'

import {LINK_CREDENTIALS_ANNOTATION, MULTICLUSTER_NAMESPACE} from '../../../linkerd/names.js'
import {serviceAccountTokenFacts} from '../../../util/jwt.js'
import type {LinkCredentialState} from '../../../verify/mesh-state.js'
import {kubeClient, statusOf, type LinkObject} from '../client.js'
import {secretValue} from '../secret-data.js'
import {kubeconfigCredentials} from './kubeconfig.js'
import {namedGeneration} from './read-credentials.js'

/** How long a target may take to answer for a link's token before verify calls the answer unknown. */
const PROBE_TIMEOUT_MS = 5_000

/**
 * What each of a consumer's Links runs on: the generation it names, whether its target grants that
 * token what a service mirror needs (a SelfSubjectAccessReview made with the token itself, to the
 * server and CA the kubeconfig names, so a revoked, expired or stripped credential shows although
 * the Secret still holds it), and the generation the destination controller's stamp names.
 */
export async function probeLinkCredentials(links: readonly LinkObject[], ownedSecrets: readonly V1Secret[], destination: V1Deployment | undefined): Promise<LinkCredentialState[]> {
  const stamp = destination?.spec?.template?.metadata?.annotations?.[LINK_CREDENTIALS_ANNOTATION]
  const stamped = new Map((stamp ?? '').split(' ').filter(Boolean).map((e) => e.split('=') as [string, string]))
  return Promise.all(
    links.map(async (link): Promise<LinkCredentialState> => {
      const name = link.metadata?.name ?? ''
      const generation = namedGeneration(link)
      const secretName = (link.spec as {clusterCredentialsSecret?: string} | undefined)?.clusterCredentialsSecret
      const destinationGeneration = stamped.has(name) ? Number(stamped.get(name)) : undefined
      const base = {link: name, ...(generation !== undefined ? {generation} : {}), ...(destinationGeneration !== undefined ? {destinationGeneration} : {})}
      const secret = ownedSecrets.find((s) => s.metadata?.namespace === MULTICLUSTER_NAMESPACE && s.metadata?.name === secretName)
      const kubeconfig = secretValue(secret, 'kubeconfig')
      const creds = kubeconfig ? kubeconfigCredentials(kubeconfig) : undefined
      if (!creds?.token || !creds.server) return {...base, access: 'missing', detail: `no Secret ${MULTICLUSTER_NAMESPACE}/${secretName ?? '(none named)'} with a kubeconfig`}
      const expires = serviceAccountTokenFacts(creds.token)?.expires
      const withExpiry = {...base, ...(expires ? {expires} : {})}
      try {
        const probe = kubeClient(name, {kind: 'endpoint', server: creds.server, caPem: creds.caPem ?? '', token: creds.token}, PROBE_TIMEOUT_MS)
        const [services, endpointSlices] = await Promise.all([probe.mayI('list', 'services'), probe.mayI('watch', 'endpointslices', 'discovery.k8s.io')])
        if (services && endpointSlices) return {...withExpiry, access: 'ok'}
        return {...withExpiry, access: 'denied', detail: `may not ${!services ? 'list services' : 'watch endpointslices'} there`}
      } catch (e) {
        if (statusOf(e) === 401) return {...withExpiry, access: 'refused', detail: expires && Date.parse(expires) <= Date.now() ? `expired ${expires}` : 'revoked'}
        return {...withExpiry, access: 'unknown', detail: (e as Error).message.split('\n')[0]!.slice(0, 200)}
      }
    }),
  )
}

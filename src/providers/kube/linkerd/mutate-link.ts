import {ProviderError} from '../../../diagnostics/errors.js'
import type {Json} from '../../../graph/resource.js'
import {ANNOTATION, GATEWAY_SERVICE, LABEL, LINK_API_GROUP, LINK_API_VERSION, LINKERD_NAMESPACE, MULTICLUSTER_NAMESPACE, REMOTE_KUBECONFIG_SECRET_TYPE} from '../../../linkerd/names.js'
import type {ResourceChange} from '../../../plan/types.js'
import {parseDuration} from '../../../util/duration.js'
import type {Mutation} from '../../types.js'
import type {KubeClient} from '../client.js'
import {gatewayFacts} from './gateway.js'
import {linkKubeconfig} from './kubeconfig.js'
import {LINK_MODE_LABEL, LINK_TARGET_LABEL, selectorObject} from './read-links.js'

export interface LinkMutationContext {
  readonly consumer: KubeClient
  readonly target: () => Promise<KubeClient>
  readonly owner: Record<string, string>
  /** How long to wait for the target's gateway to get an external address. */
  readonly gatewayTimeoutMs: number
  readonly signal?: AbortSignal
  /** Between two looks at the target's gateway. */
  readonly pollMs?: number
}

/** Attributes whose change means new credentials: a new token, kubeconfig or destination copy. */
const CREDENTIAL_PATHS = new Set(['api_server', 'remote_access', 'credentials', 'credentials_expire', 'credentials_valid', 'trust_domain', 'target_cluster_name', 'target_cluster_domain', 'credentials_secret'])

/** Link fields that must be absent for the link's mode; a merge patch removes them whoever set them. */
const MODE_EXCLUSIVE = ['selector', 'remoteDiscoverySelector', 'federatedServiceSelector', 'gatewayAddress', 'gatewayPort', 'gatewayIdentity', 'probeSpec'] as const

/**
 * Writes a Link from the plan's `after`: its credentials first (a token from the target's
 * TokenRequest API for the link's own ServiceAccount, in both Secrets), then the Link, so that its
 * controller never sees a Link without credentials. Credentials are re-issued only when the plan
 * changes them. Deleting removes the Link, both Secrets and the mirrors the link made (as unlink).
 */
export async function mutateLink(ctx: LinkMutationContext, mutation: Mutation, change: ResourceChange): Promise<void> {
  const a = ((mutation === 'delete' ? change.before : change.after) ?? {}) as {readonly [k: string]: Json}
  const name = String(a.target_cluster_name)
  const secretName = String(a.credentials_secret)
  const meta = (namespace: string, extra: Record<string, string> = {}) => ({name: secretName, namespace, labels: {...ctx.owner, ...extra}})
  const linkMeta = {name, namespace: MULTICLUSTER_NAMESPACE}
  if (mutation === 'delete') {
    await ctx.consumer.delete({apiVersion: `${LINK_API_GROUP}/${LINK_API_VERSION}`, kind: 'Link', metadata: linkMeta})
    await ctx.consumer.delete({apiVersion: 'v1', kind: 'Secret', metadata: meta(MULTICLUSTER_NAMESPACE)})
    await ctx.consumer.delete({apiVersion: 'v1', kind: 'Secret', metadata: meta(LINKERD_NAMESPACE)})
    for (const mirror of await ctx.consumer.listServices(undefined, `mirror.linkerd.io/mirrored-service=true,${LABEL.clusterName}=${name}`)) {
      await ctx.consumer.delete({apiVersion: 'v1', kind: 'Service', metadata: {name: mirror.metadata!.name!, namespace: mirror.metadata!.namespace!}})
    }
    return
  }
  const reissue = change.action === 'create' || change.action === 'replace' || change.changes.some((c) => CREDENTIAL_PATHS.has(c.path))
  const target = await ctx.target()
  let gateway: {address: string; identity: string; port: string; probePath: string; probePort: string; probePeriod: string} | undefined
  if (a.mode === 'gateway') gateway = await gatewayFor(ctx, target, change, a)
  if (reissue) {
    const validity = parseDuration(String(a.credentials_validity ?? '')) ?? 90 * 24 * 3_600_000
    const issued = await target.createToken(MULTICLUSTER_NAMESPACE, String(a.remote_access), Math.round(validity / 1000))
    const {server, caPem} = target.endpoint()
    const kubeconfig = Buffer.from(linkKubeconfig({link: name, server, caPem, user: String(a.remote_access), token: issued.token})).toString('base64')
    const secret = {apiVersion: 'v1', kind: 'Secret', type: REMOTE_KUBECONFIG_SECRET_TYPE, data: {kubeconfig}}
    await ctx.consumer.apply({...secret, metadata: meta(MULTICLUSTER_NAMESPACE)} as never, true)
    // The destination controller's copy: what makes flat and federated services resolve.
    await ctx.consumer.apply(
      {
        ...secret,
        metadata: {
          ...meta(LINKERD_NAMESPACE, {[LABEL.credentialsClusterName]: name}),
          annotations: {[ANNOTATION.trustDomain]: String(a.trust_domain), [ANNOTATION.clusterDomain]: String(a.target_cluster_domain)},
        },
      } as never,
      true,
    )
  }
  const spec: Record<string, unknown> = {
    targetClusterName: name,
    targetClusterDomain: a.target_cluster_domain,
    targetClusterLinkerdNamespace: a.target_linkerd_namespace,
    clusterCredentialsSecret: secretName,
  }
  if (gateway) {
    Object.assign(spec, {
      selector: selectorObject(String(a.selector)),
      gatewayAddress: gateway.address,
      gatewayPort: gateway.port,
      gatewayIdentity: gateway.identity,
      probeSpec: {path: gateway.probePath, port: gateway.probePort, period: gateway.probePeriod},
    })
  } else {
    Object.assign(spec, {remoteDiscoverySelector: selectorObject(String(a.remote_discovery_selector)), federatedServiceSelector: selectorObject(String(a.federated_service_selector))})
  }
  const link = {
    apiVersion: `${LINK_API_GROUP}/${LINK_API_VERSION}`,
    kind: 'Link',
    metadata: {...linkMeta, labels: {...ctx.owner, [LINK_TARGET_LABEL]: String(a.target_cluster), [LINK_MODE_LABEL]: String(a.mode)}},
  }
  await ctx.consumer.apply({...link, spec} as never, true)
  const stray = MODE_EXCLUSIVE.filter((f) => !(f in spec))
  if (change.action !== 'create' && stray.length > 0) {
    await ctx.consumer.mergePatch({...link, metadata: linkMeta, spec: Object.fromEntries(stray.map((f) => [f, null]))} as never)
  }
}

/**
 * The target gateway's address, port, identity and probe, read at apply time: its load balancer
 * may get its address only now. Waits, bounded, for the address to appear (the executor reports
 * the step as still creating meanwhile).
 */
async function gatewayFor(ctx: LinkMutationContext, target: KubeClient, change: ResourceChange, a: {readonly [k: string]: Json}) {
  const deadline = Date.now() + ctx.gatewayTimeoutMs
  for (;;) {
    const services = await target.listServices(MULTICLUSTER_NAMESPACE, `${LABEL.extension}=multicluster`)
    const facts = gatewayFacts(services)
    if (facts?.address) {
      return {
        address: facts.address,
        identity: facts.identity ?? String(a.gateway_identity),
        port: facts.port ?? String(a.gateway_port),
        probePath: facts.probePath ?? String(a.probe_path),
        probePort: facts.probePort ?? String(a.probe_port),
        probePeriod: facts.probePeriod ?? String(a.probe_period),
      }
    }
    if (Date.now() >= deadline || ctx.signal?.aborted) {
      throw new ProviderError(
        `${change.address}: the gateway of ${String(a.target_cluster)} (${MULTICLUSTER_NAMESPACE}/${GATEWAY_SERVICE}) ${facts ? 'has no external address' : 'does not exist'} after ${Math.round(ctx.gatewayTimeoutMs / 1000)}s`,
        {resource: change.address, reason: 'GatewayNotReady', hint: facts ? 'its LoadBalancer Service waits for an address: check the cloud load balancer, then apply again' : `install the multicluster extension with gateway.enabled: true in ${String(a.target_cluster)}`},
      )
    }
    await new Promise((r) => setTimeout(r, ctx.pollMs ?? 1_000))
  }
}

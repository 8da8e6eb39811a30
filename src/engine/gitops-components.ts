import pLimit from 'p-limit'

import type {DesiredResource} from '../graph/resource.js'
import type {ClusterComponents} from '../gitops/cluster-objects.js'
import {CURRENT_ALIAS, STORE_LABELS, TLS_PROPERTIES, webhookSecretId} from '../gitops/secret-store.js'
import {withInventory, type Component, type KubeObject} from '../linkerd/install/manifests.js'
import {controlPlaneSettings, multiclusterValues, withExternalIssuer, type Values} from '../linkerd/install/values.js'
import {DESTINATION_DEPLOYMENT, LINK_CREDENTIALS_ANNOTATION, WEBHOOK_TLS} from '../linkerd/names.js'
import {findLinkerdCli, cliProblem} from '../providers/kube/linkerd/install/cli.js'
import {ComponentRenderer} from '../providers/kube/linkerd/install/render.js'
import type {SecretStore} from '../providers/secrets/secret-store.js'
import type {FederationSpec} from '../spec/types.js'

export interface ComponentSources {
  /** `--linkerd-cli`: else MCFED_LINKERD_CLI, else PATH. */
  readonly linkerdCli?: string
  /** Where the webhook certificates are (their CA goes into the control plane's values); none offline. */
  readonly store?: SecretStore
  /** Renders at once (each is a CLI process of ~50 MB). */
  readonly parallelism?: number
}

/**
 * `install: mcfed` in GitOps mode: each cluster's CRDs, control plane and multicluster extension
 * rendered by Linkerd's own CLI exactly as apply renders them, except that the issuer is Linkerd's
 * external scheme (a Secret from the store), with mcfed's inventory labels so that a live plan
 * reads what the engine applied as mcfed's own. Renders with equal values are made once.
 */
export async function renderComponents(
  spec: FederationSpec,
  desired: readonly DesiredResource[],
  owner: Readonly<Record<string, string>>,
  anchorPem: (fingerprint: string) => string | undefined,
  sources: ComponentSources,
): Promise<Map<string, ClusterComponents>> {
  const controlPlanes = desired.filter((r) => r.kind === 'linkerd_control_plane')
  const stamps = new Map(desired.filter((r) => r.kind === 'linkerd_destination_credentials').map((r) => [r.cluster, String(r.attributes.credentials)]))
  const out = new Map<string, ClusterComponents>()
  if (controlPlanes.length === 0) return out
  const cli = await findLinkerdCli(spec.spec.linkerd.version, {flag: sources.linkerdCli})
  const renderer = new ComponentRenderer(async () => cli)
  const webhooks = sources.store ? await webhookCertificates(sources.store, spec.metadata.name) : undefined
  const limit = pLimit(sources.parallelism ?? 4)
  await Promise.all(
    controlPlanes.map((cp) =>
      limit(async () => {
        const cluster = cp.cluster
        const rendered: Partial<Record<Component, readonly KubeObject[]>> = {}
        const notRendered: Partial<Record<Component, string>> = {}
        const values: Partial<Record<Component, Values>> = {multicluster: multiclusterValues(spec, cluster)}
        const fingerprints = (cp.attributes.trust_anchors ?? []) as string[]
        const anchors = fingerprints.map(anchorPem)
        const webhook = webhooks?.get(cluster)
        if (fingerprints.length === 0 || anchors.some((a) => a === undefined)) notRendered['control-plane'] = 'the trust anchor certificate cannot be read: run `mcfed certs init`, or point certFile at it'
        else if (!sources.store) notRendered['control-plane'] = 'its webhook CA bundle is read from the secret store: render without --offline'
        else if (!webhook) notRendered['control-plane'] = 'the secret store holds no webhook certificates for it yet: run `mcfed apply --layer credentials`, then render again'
        else values['control-plane'] = withExternalIssuer(controlPlaneSettings(spec, cluster), {anchorPem: anchors.join(''), webhookCaPem: webhook.caPem})
        if (!cli.ok) {
          for (const c of ['crds', 'control-plane', 'multicluster'] as const) notRendered[c] ??= `no usable linkerd CLI: ${cliProblem(cli)}`
          return out.set(cluster, {rendered, notRendered, values: {}})
        }
        const components = (['crds', 'control-plane', 'multicluster'] as const).filter((c) => !notRendered[c])
        const made = await Promise.all(components.map((c) => renderer.render(c, values[c])))
        components.forEach((c, i) => (rendered[c] = made[i]!.map((o) => withCredentialsStamp(withInventory(o, owner, c), stamps.get(cluster)))))
        out.set(cluster, {rendered, notRendered, values: Object.fromEntries(components.filter((c) => values[c]).map((c) => [c, values[c]!])), ...(webhook ? {webhookVersion: webhook.version} : {})})
      }),
    ),
  )
  return out
}

/** Each cluster's webhook certificates in the store: the version now current and the CA it holds. */
async function webhookCertificates(store: SecretStore, federation: string): Promise<Map<string, {version: number; caPem: string}>> {
  const listed = await store.list({[STORE_LABELS.federation]: federation, [STORE_LABELS.purpose]: 'webhooks'})
  const out = new Map<string, {version: number; caPem: string}>()
  await Promise.all(
    listed.map(async (s) => {
      const cluster = s.labels[STORE_LABELS.cluster]
      const version = s.aliases[CURRENT_ALIAS]
      if (!cluster || version === undefined || s.id !== webhookSecretId(federation, cluster)) return
      const data = await store.read(s.id, String(version))
      const payload = data ? (JSON.parse(data.toString('utf8')) as Record<string, Record<string, string>>) : undefined
      const caPem = payload?.[WEBHOOK_TLS[0].secret]?.[TLS_PROPERTIES['ca.crt']]
      if (caPem) out.set(cluster, {version, caPem})
    }),
  )
  return out
}

/**
 * The destination Deployment with the pod-template stamp naming the credential generations it must
 * have read (it reads their Secrets only when it starts): in GitOps mode the tree owns the
 * Deployment, so a new generation rolls it out through the engine, as `apply` does with its own
 * stamp. Added after the inventory digest, which names the CLI's render alone.
 */
function withCredentialsStamp(o: KubeObject, stamp: string | undefined): KubeObject {
  if (stamp === undefined || o.kind !== 'Deployment' || o.metadata.name !== DESTINATION_DEPLOYMENT) return o
  const spec = (o.spec ?? {}) as {template?: {metadata?: {annotations?: Record<string, string>}}}
  const template = spec.template ?? {}
  return {...o, spec: {...spec, template: {...template, metadata: {...template.metadata, annotations: {...template.metadata?.annotations, [LINK_CREDENTIALS_ANNOTATION]: stamp}}}}}
}

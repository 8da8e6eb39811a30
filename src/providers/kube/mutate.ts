import {readFile} from 'node:fs/promises'

import {ProviderError} from '../../diagnostics/errors.js'
import {ISSUER_SECRET, LINKERD_NAMESPACE, TRUST_ROOTS_CONFIG_MAP} from '../../linkerd/names.js'
import type {Json} from '../../graph/resource.js'
import type {ResourceChange} from '../../plan/types.js'
import type {FederationSpec} from '../../spec/types.js'
import type {Mutation} from '../types.js'
import {reasonOf, type KubeClient} from './client.js'
import {issueIssuer, issuerValidityMs} from './issuer.js'
import {ownerLabels} from './labels.js'
import {mutateLink} from './linkerd/mutate-link.js'
import {mutateRemoteAccess} from './linkerd/mutate-remote-access.js'
import {liveIssuer, type IssuedIssuers} from './linkerd/install/certificates.js'
import {mutateComponent} from './linkerd/install/mutate-component.js'
import type {ComponentRenderer} from './linkerd/install/render.js'
import {mutateWebhookTls, webhookCaPem} from './linkerd/install/webhook-tls.js'
import {ownerSelector} from './labels.js'
import type {ControlPlaneCertificates} from '../../linkerd/install/values.js'

export interface KubeMutationContext {
  readonly client: KubeClient
  /** Another cluster's client: a Link's credentials come from its target. */
  readonly clientFor: (cluster: string) => Promise<KubeClient>
  readonly gatewayTimeoutMs: number
  readonly signal?: AbortSignal
  readonly spec: FederationSpec
  readonly anchorCertFile: string
  readonly anchorKeyFile: string
  /** Issuers issued in this run, for the control plane to render (`install: mcfed`). */
  readonly issued: IssuedIssuers
  /** Renders Linkerd's components; undefined without a usable CLI. */
  readonly renderer: ComponentRenderer | undefined
}

/** One plan step for one cluster-side resource, by server-side apply under field manager `mcfed`. */
export async function mutateKube(ctx: KubeMutationContext, mutation: Mutation, change: ResourceChange): Promise<void> {
  const attrs = (mutation === 'delete' ? change.before : change.after) ?? {}
  try {
    switch (change.kind) {
      case 'service_label':
        return await serviceLabel(ctx, mutation, attrs, change)
      case 'linkerd_trust_anchor':
        return await trustRoots(ctx, mutation)
      case 'linkerd_issuer':
        return ctx.spec.spec.linkerd.install === 'mcfed' ? await renderedIssuer(ctx, mutation, change.cluster) : await issuer(ctx, mutation)
      case 'linkerd_webhook_tls':
        return await mutateWebhookTls(ctx.client, mutation, ctx.spec)
      case 'linkerd_crds':
      case 'linkerd_control_plane':
      case 'linkerd_multicluster':
        return await mutateComponent({client: ctx.client, spec: ctx.spec, renderer: ctx.renderer, certificates: () => controlPlaneCertificates(ctx, change.cluster), signal: ctx.signal}, mutation, change)
      case 'linkerd_remote_access':
        return await mutateRemoteAccess(ctx.client, mutation, attrs, ownerLabels(ctx.spec))
      case 'linkerd_link':
        return await mutateLink(
          {consumer: ctx.client, target: () => ctx.clientFor(String(attrs.target_cluster)), owner: ownerLabels(ctx.spec), gatewayTimeoutMs: ctx.gatewayTimeoutMs, signal: ctx.signal},
          mutation,
          change,
        )
      default:
        throw new ProviderError(`${change.address}: no Kubernetes provider for ${change.kind} yet`, {resource: change.address})
    }
  } catch (e) {
    if (e instanceof ProviderError) throw e
    throw new ProviderError(`${mutation === 'delete' ? 'deleting' : 'applying'} ${change.address} failed: ${reasonOf(e)}`, {resource: change.address}, {cause: e})
  }
}

async function serviceLabel(ctx: KubeMutationContext, m: Mutation, a: {readonly [k: string]: Json}, c: ResourceChange): Promise<void> {
  const namespace = String(a.namespace)
  const name = String(a.service)
  if (m === 'delete') {
    // Applying the Service with no labels drops the labels mcfed's field manager owned, and only those.
    if (await ctx.client.getService(namespace, name)) await ctx.client.apply({apiVersion: 'v1', kind: 'Service', metadata: {name, namespace}}, true)
    return
  }
  if (!(await ctx.client.getService(namespace, name))) {
    throw new ProviderError(`Service ${namespace}/${name} does not exist in ${c.cluster}`, {
      resource: c.address,
      reason: 'NotFound',
      hint: 'mcfed labels services, it does not deploy them: deploy the app first, then apply again',
    })
  }
  // Forced: the mode label is mcfed's; someone relabelling it by hand is drift to repair.
  await ctx.client.apply({apiVersion: 'v1', kind: 'Service', metadata: {name, namespace, labels: {[String(a.label_key)]: String(a.label_value)}}}, true)
}

async function ensureNamespace(ctx: KubeMutationContext): Promise<void> {
  await ctx.client.apply({apiVersion: 'v1', kind: 'Namespace', metadata: {name: LINKERD_NAMESPACE}}, false)
}

async function trustRoots(ctx: KubeMutationContext, m: Mutation): Promise<void> {
  const object = {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: TRUST_ROOTS_CONFIG_MAP, namespace: LINKERD_NAMESPACE, labels: ownerLabels(ctx.spec)}}
  if (m === 'delete') return ctx.client.delete(object)
  await ensureNamespace(ctx)
  const pem = await readFile(ctx.anchorCertFile, 'utf8')
  await ctx.client.apply({...object, data: {'ca-bundle.crt': pem}} as typeof object, true)
}

async function issuer(ctx: KubeMutationContext, m: Mutation): Promise<void> {
  const object = {apiVersion: 'v1', kind: 'Secret', metadata: {name: ISSUER_SECRET, namespace: LINKERD_NAMESPACE, labels: ownerLabels(ctx.spec)}}
  if (m === 'delete') return ctx.client.delete(object)
  await ensureNamespace(ctx)
  const validityMs = issuerValidityMs(ctx.spec)
  const issued = await issueIssuer(ctx.anchorCertFile, ctx.anchorKeyFile, validityMs)
  const b64 = (s: string) => Buffer.from(s).toString('base64')
  // kubernetes.io/tls with ca.crt: the scheme Linkerd reads when the issuer is managed outside its chart.
  await ctx.client.apply({...object, type: 'kubernetes.io/tls', data: {'tls.crt': b64(issued.certPem), 'tls.key': b64(issued.keyPem), 'ca.crt': b64(issued.caPem)}} as typeof object, true)
}

/**
 * With `install: mcfed` the issuer lives in the control plane's render: issuing it here hands the
 * new key to the control-plane step of this apply (which depends on it), never to a file or plan.
 * Its removal is the control plane's: the render that carried it is pruned with it.
 */
async function renderedIssuer(ctx: KubeMutationContext, m: Mutation, cluster: string): Promise<void> {
  if (m === 'delete') return
  const validityMs = issuerValidityMs(ctx.spec)
  const issued = await issueIssuer(ctx.anchorCertFile, ctx.anchorKeyFile, validityMs)
  ctx.issued.set(cluster, {certPem: issued.certPem, keyPem: issued.keyPem})
}

/** The control plane's certificates at apply time: an issuer issued in this run, else the live one; the live webhook CA. */
async function controlPlaneCertificates(ctx: KubeMutationContext, cluster: string): Promise<ControlPlaneCertificates> {
  const secrets = await ctx.client.listSecrets(LINKERD_NAMESPACE, ownerSelector(ctx.spec))
  const issuer = ctx.issued.get(cluster) ?? liveIssuer(secrets)
  const webhookCa = webhookCaPem(secrets)
  if (!issuer || !webhookCa) {
    throw new ProviderError(`the control plane of ${cluster} cannot be rendered: its ${issuer ? 'webhook certificates are' : 'issuer is'} missing`, {
      hint: 'apply the whole plan (not a --target subset) so the issuer and webhook certificates are issued first',
    })
  }
  return {anchorPem: await readFile(ctx.anchorCertFile, 'utf8'), issuerCertPem: issuer.certPem, issuerKeyPem: issuer.keyPem, webhookCaPem: webhookCa}
}

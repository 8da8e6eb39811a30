import {createHash} from 'node:crypto'

import {gatewayClusters, linksFrom, trustDomainOf} from '../../graph/topology.js'
import type {FederationSpec} from '../../spec/types.js'

/** Linkerd's default trust domain: left out of the values when the spec keeps it, as `linkerd install` users do. */
const DEFAULT_TRUST_DOMAIN = 'cluster.local'

/** The certificates a control-plane render carries; all PEM. Keys stay in memory, never on disk. */
export interface ControlPlaneCertificates {
  readonly anchorPem: string
  readonly issuerCertPem: string
  readonly issuerKeyPem: string
  /** The CA that signed the three webhook serving certificates mcfed stores as Secrets. */
  readonly webhookCaPem: string
}

export type Values = Record<string, unknown>

/**
 * Values for `linkerd install --ignore-cluster -f -`. Everything the chart would otherwise generate
 * on each render is pinned here (issuer, webhook CA bundles, heartbeat schedule), so two renders of
 * the same spec and estate are byte-identical.
 */
export function controlPlaneValues(spec: FederationSpec, cluster: string, certs: ControlPlaneCertificates): Values {
  return withCertificates(controlPlaneSettings(spec, cluster), certs)
}

/**
 * The control plane's values without key material: what a plan carries (as the component's
 * `values`) so that apply renders from the plan, and adds the certificates only then.
 */
export function controlPlaneSettings(spec: FederationSpec, cluster: string): Values {
  const trustDomain = trustDomainOf(spec, cluster)
  return {
    ...(trustDomain && trustDomain !== DEFAULT_TRUST_DOMAIN ? {identityTrustDomain: trustDomain} : {}),
    heartbeatSchedule: heartbeatSchedule(spec.metadata.name, cluster),
  }
}

/** Settings plus the certificates (and the webhooks' CA bundles) a render needs. */
export function withCertificates(settings: Values, certs: ControlPlaneCertificates): Values {
  const webhook = {externalSecret: true, caBundle: certs.webhookCaPem}
  return {
    identityTrustAnchorsPEM: certs.anchorPem,
    ...settings,
    identity: {issuer: {tls: {crtPEM: certs.issuerCertPem, keyPEM: certs.issuerKeyPem}}},
    proxyInjector: webhook,
    profileValidator: webhook,
    policyValidator: webhook,
  }
}

/** Linkerd's scheme for an issuer someone else writes as a `kubernetes.io/tls` Secret. */
export const EXTERNAL_ISSUER_SCHEME = 'kubernetes.io/tls'
/** The Secret `linkerd install` adds beyond the chart: the values, for `linkerd upgrade`. */
export const CLI_OVERRIDES_SECRET = 'linkerd-config-overrides'

/** What a control plane whose issuer is a Secret someone else writes needs of its certificates: public ones only. */
export type PublicCertificates = Pick<ControlPlaneCertificates, 'anchorPem' | 'webhookCaPem'>

/**
 * Settings plus public certificates, for GitOps mode: the issuer is the `kubernetes.io/tls` Secret
 * an ExternalSecret makes from the store (Linkerd's external-issuer scheme), so the render holds no
 * key. The CLI still generates an issuer of its own before it merges these values (it validates
 * one); the empty certificate and key keep that throwaway out of the render (linkerd-config holds
 * the certificate, the CLI's overrides Secret the key), which is then the same on every run.
 */
export function withExternalIssuer(settings: Values, certs: PublicCertificates): Values {
  const webhook = {externalSecret: true, caBundle: certs.webhookCaPem}
  return {
    identityTrustAnchorsPEM: certs.anchorPem,
    ...settings,
    identity: {issuer: {scheme: EXTERNAL_ISSUER_SCHEME, tls: {crtPEM: '', keyPEM: ''}}},
    proxyInjector: webhook,
    profileValidator: webhook,
    policyValidator: webhook,
  }
}

/** The control plane's values as mcfed renders them: the issuer in the render, or (GitOps mode) from the store. */
export function renderValues(settings: Values, certs: ControlPlaneCertificates, issuerFromStore: boolean): Values {
  return issuerFromStore ? withExternalIssuer(settings, certs) : withCertificates(settings, certs)
}

/**
 * Values for `linkerd multicluster install --ignore-cluster -f -`: the gateway only where a
 * gateway-mode service is exported, and one controller per link this cluster consumes. A flat
 * link's controller needs no probe Service (it never talks to a gateway).
 */
export function multiclusterValues(spec: FederationSpec, cluster: string): Values {
  const consumed = linksFrom(spec).get(cluster) ?? []
  return {
    gateway: {enabled: gatewayClusters(spec).has(cluster)},
    controllers: consumed.map((l) => (l.mode === 'gateway' ? {link: {ref: {name: l.name}}} : {link: {ref: {name: l.name}}, gateway: {enabled: false}})),
  }
}

/**
 * A daily schedule fixed per federation and cluster. The CLI derives it from the clock otherwise,
 * which would make every render differ; hashing keeps clusters from all reporting in the same minute.
 */
export function heartbeatSchedule(federation: string, cluster: string): string {
  const digest = createHash('sha256').update(`${federation}/${cluster}`).digest()
  return `${digest.readUInt16BE(0) % 60} ${digest.readUInt16BE(2) % 24} * * *`
}

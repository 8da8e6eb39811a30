import {createHash} from 'node:crypto'

import {gatewayClusters, trustDomainOf, validLinks} from '../../graph/topology.js'
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

/**
 * Values for `linkerd multicluster install --ignore-cluster -f -`: the gateway only where a
 * gateway-mode service is exported, and one controller per link this cluster consumes. A flat
 * link's controller needs no probe Service (it never talks to a gateway).
 */
export function multiclusterValues(spec: FederationSpec, cluster: string): Values {
  const consumed = validLinks(spec)
    .filter((l) => l.from === cluster)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
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

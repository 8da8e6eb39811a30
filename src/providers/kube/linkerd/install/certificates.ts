import type {V1Secret} from '@kubernetes/client-node'

import {ISSUER_COMMON_NAME, ISSUER_SECRET, LINKERD_NAMESPACE} from '../../../../linkerd/names.js'
import type {ControlPlaneCertificates} from '../../../../linkerd/install/values.js'
import {bundleCertificates, certificateFingerprint, parseCertificate, signerOf} from '../../../certs/fingerprint.js'
import {selfSignedCa, signed} from '../../../certs/x509.js'
import {secretValue} from '../../secret-data.js'
import {webhookCaPem} from './webhook-tls.js'

export interface IssuerPair {
  readonly certPem: string
  readonly keyPem: string
}

/**
 * The one port for key material a plan must not carry: issuers issued during this apply, by
 * cluster, handed to the control-plane step that renders them. Lives in memory for one run.
 */
export class IssuedIssuers {
  private readonly issued = new Map<string, IssuerPair>()
  set(cluster: string, pair: IssuerPair): void {
    this.issued.set(cluster, pair)
  }
  get(cluster: string): IssuerPair | undefined {
    return this.issued.get(cluster)
  }
}

/** The issuer a cluster holds: the chart's `crt.pem`/`key.pem`, or the `kubernetes.io/tls` keys mcfed wrote for `install: external`. */
export function liveIssuer(ownedSecrets: readonly V1Secret[]): IssuerPair | undefined {
  const secret = ownedSecrets.find((s) => s.metadata?.namespace === LINKERD_NAMESPACE && s.metadata?.name === ISSUER_SECRET)
  const certPem = secretValue(secret, 'crt.pem') ?? secretValue(secret, 'tls.crt')
  const keyPem = secretValue(secret, 'key.pem') ?? secretValue(secret, 'tls.key')
  return certPem && keyPem ? {certPem, keyPem} : undefined
}

export interface PlanCertificates {
  readonly certs: ControlPlaneCertificates
  /** Fingerprints of the live issuer and webhook CA the render used; absent where a stand-in was used. */
  readonly issuerFingerprint?: string
  readonly webhookCaFingerprint?: string
}

/**
 * Certificates for a plan-time render: the live ones where the cluster has them (so the render is
 * what apply will produce), else throwaway ones made in memory. A stand-in render still names every
 * object; the values that carry the certificates are then known only after apply, which the plan
 * says through the issuer's and webhook CA's own changes.
 */
export async function planCertificates(anchorPem: string | undefined, ownedSecrets: readonly V1Secret[]): Promise<PlanCertificates> {
  const issuer = liveIssuer(ownedSecrets)
  // Mid-rotation the trust roots hold two anchors and the issuer may chain to either.
  const issuerCert = issuer ? parseCertificate(issuer.certPem) : undefined
  const chains = issuerCert !== undefined && signerOf(issuerCert, bundleCertificates(anchorPem ?? '')) !== undefined
  const liveWebhookCa = webhookCaPem(ownedSecrets)
  const webhookCaCert = liveWebhookCa ? parseCertificate(liveWebhookCa) : undefined
  const webhookCa = webhookCaCert ? liveWebhookCa! : (await standInCa('webhook')).certPem
  let certs: ControlPlaneCertificates
  if (chains && anchorPem && issuer) {
    certs = {anchorPem, issuerCertPem: issuer.certPem, issuerKeyPem: issuer.keyPem, webhookCaPem: webhookCa}
  } else {
    // The CLI checks that the issuer chains to the anchor, so a stand-in issuer needs its own anchor.
    const standInAnchor = await standInCa('root', 1)
    const standInIssuer = await signed(standInAnchor, {commonName: ISSUER_COMMON_NAME, validityMs: DAY, ca: true, pathLength: 0})
    certs = {anchorPem: standInAnchor.certPem, issuerCertPem: standInIssuer.certPem, issuerKeyPem: standInIssuer.keyPem, webhookCaPem: webhookCa}
  }
  return {
    certs,
    ...(chains ? {issuerFingerprint: certificateFingerprint(issuerCert!)} : {}),
    ...(webhookCaCert ? {webhookCaFingerprint: certificateFingerprint(webhookCaCert)} : {}),
  }
}

const DAY = 24 * 3600 * 1000

function standInCa(name: string, pathLength = 0) {
  return selfSignedCa({commonName: `${name}.stand-in.mcfed.invalid`, validityMs: DAY, pathLength})
}


import {X509Certificate} from 'node:crypto'

import {certificateFingerprint, parseCertificate, signerOf} from '../certs/fingerprint.js'
import {YEAR_MS, parseDuration} from '../../util/duration.js'
import type {FederationSpec} from '../../spec/types.js'

/** What plan can tell about an issuer certificate from its public part alone. */
export interface IssuerFacts {
  readonly common_name: string
  readonly key_algorithm: string
  readonly validity: string
  readonly anchor_fingerprint: string
  readonly certificate_fingerprint: string
  readonly not_after: string
}

/** Parses an issuer certificate and names the anchor that signed it (one of `anchors`, or its ca.crt). */
export function issuerFacts(certPem: string, caPem: string | undefined, anchors: readonly X509Certificate[]): IssuerFacts {
  const cert = new X509Certificate(certPem)
  const key = cert.publicKey
  const algorithm = key.asymmetricKeyType === 'ec' ? `ECDSA-${key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? 'P256' : key.asymmetricKeyDetails?.namedCurve}` : String(key.asymmetricKeyType).toUpperCase()
  const hours = Math.round((Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 3_600_000)
  // Only a certificate that verifiably signed the issuer names its anchor; ca.crt alone proves nothing.
  const candidates = [...anchors, parseCertificate(caPem)].filter((c): c is X509Certificate => c !== undefined)
  const signerCert = signerOf(cert, candidates)
  const signer = signerCert ? certificateFingerprint(signerCert) : 'unverified: signed by no known anchor'
  return {
    common_name: /CN=([^\n,]+)/.exec(cert.subject)?.[1] ?? '',
    key_algorithm: algorithm,
    validity: `${hours}h`,
    anchor_fingerprint: signer,
    certificate_fingerprint: certificateFingerprint(cert),
    not_after: new Date(cert.validTo).toISOString(),
  }
}


/** How long mcfed's cluster certificates (issuers, webhook serving certificates) are valid: `issuer.validity`, a year if unparsable. */
export function issuerValidityMs(spec: FederationSpec): number {
  return parseDuration(spec.spec.linkerd.issuer.validity) ?? YEAR_MS
}

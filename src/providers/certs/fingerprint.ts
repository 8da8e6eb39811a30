import type {X509Certificate} from 'node:crypto'

/** `sha256:<hex>` of a certificate's DER: how anchors and issuers are compared, never by PEM text. */
export function certificateFingerprint(cert: X509Certificate): string {
  return `sha256:${cert.fingerprint256.replaceAll(':', '').toLowerCase()}`
}

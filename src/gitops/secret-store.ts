/**
 * Names in Google Secret Manager (ids: letters, digits, `-`, `_`, at most 255) of what mcfed keeps
 * there in GitOps mode, and the version alias of each credential generation: ExternalSecrets read
 * `g<N>`, so a generation's Secret holds exactly that generation's token whatever was added later.
 */
export function linkCredentialSecretId(federation: string, consumer: string, link: string): string {
  return `mcfed-${federation}-${consumer}-${link}`
}

export function issuerSecretId(federation: string, cluster: string): string {
  return `mcfed-${federation}-${cluster}-issuer`
}

/** The webhook CA and the three serving certificates it signed: one secret, so one version pins them together. */
export function webhookSecretId(federation: string, cluster: string): string {
  return `mcfed-${federation}-${cluster}-webhooks`
}

export function generationAlias(generation: number): string {
  return `g${generation}`
}

/** The alias of the version an issuer or webhook secret is now at (Secret Manager aliases cannot be `latest`). */
export const CURRENT_ALIAS = 'current'

/** The labels secrets mcfed writes to the store carry: the federation's lets it list and delete only its own. */
export const STORE_LABELS = {
  federation: 'mcfed-federation',
  cluster: 'mcfed-cluster',
  consumer: 'mcfed-consumer',
  link: 'mcfed-link',
  target: 'mcfed-target',
  purpose: 'mcfed-purpose',
} as const

/**
 * The JSON property names of the issuer's and the webhooks' secret values: no dots, because External
 * Secrets reads `property` as a path (`a.b` is b inside a), and the Secret keys (`tls.crt`) have dots.
 */
export const TLS_PROPERTIES = {'tls.crt': 'tls_crt', 'tls.key': 'tls_key', 'ca.crt': 'ca_crt'} as const

/** A kubernetes.io/tls Secret's keys as the JSON a store secret holds. */
export function tlsPayload(pem: {readonly cert: string; readonly key: string; readonly ca: string}): Record<string, string> {
  return {[TLS_PROPERTIES['tls.crt']]: pem.cert, [TLS_PROPERTIES['tls.key']]: pem.key, [TLS_PROPERTIES['ca.crt']]: pem.ca}
}

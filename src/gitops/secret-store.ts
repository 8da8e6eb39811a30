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

export function generationAlias(generation: number): string {
  return `g${generation}`
}

/** The label every secret mcfed writes to the store carries, so it lists and deletes only its own. */
export const STORE_FEDERATION_LABEL = 'mcfed-federation'

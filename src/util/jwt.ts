/**
 * The claims of a JSON Web Token, read without verifying it: mcfed only reads what its own tokens
 * say about themselves (expiry, subject); the API server is what verifies them.
 */
export function jwtClaims(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1]
  if (!payload) return undefined
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** What a Kubernetes ServiceAccount token says of itself. */
export interface ServiceAccountTokenFacts {
  readonly expires?: string
  readonly namespace?: string
  readonly serviceAccount?: string
  readonly serviceAccountUid?: string
  /** The object a bound token dies with (TokenRequest `boundObjectRef`), when it is a Secret. */
  readonly boundSecret?: {readonly name?: string; readonly uid?: string}
}

export function serviceAccountTokenFacts(token: string): ServiceAccountTokenFacts | undefined {
  const claims = jwtClaims(token)
  if (!claims) return undefined
  const k8s = (claims['kubernetes.io'] ?? {}) as {namespace?: string; serviceaccount?: {name?: string; uid?: string}; secret?: {name?: string; uid?: string}}
  const exp = typeof claims.exp === 'number' ? new Date(claims.exp * 1000).toISOString() : undefined
  return {expires: exp, namespace: k8s.namespace, serviceAccount: k8s.serviceaccount?.name, serviceAccountUid: k8s.serviceaccount?.uid, ...(k8s.secret ? {boundSecret: k8s.secret} : {})}
}

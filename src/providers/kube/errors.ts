/** Server-side apply's field manager: mcfed owns exactly the fields it sets under this name. */
export const FIELD_MANAGER = 'mcfed'

/** The HTTP status of a failed Kubernetes call, when it has one. */
export function statusOf(e: unknown): number | undefined {
  const code = (e as {code?: unknown})?.code
  return typeof code === 'number' ? code : undefined
}

/** The API server's own words, from an ApiException body. */
export function reasonOf(e: unknown): string {
  const body = (e as {body?: unknown})?.body
  try {
    const parsed = (typeof body === 'string' ? JSON.parse(body) : body) as {message?: string; reason?: string} | undefined
    if (parsed?.message) return `${parsed.message}${parsed.reason ? ` (${parsed.reason})` : ''}`
  } catch {
    // not JSON
  }
  return e instanceof Error ? e.message : String(e)
}

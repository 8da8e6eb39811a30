/** What a plan knows of a candidate anchor's certificate (never its key). */
export interface AnchorCertificate {
  readonly fingerprint: string
  readonly notBefore: string
  readonly notAfter: string
  /** basicConstraints CA:TRUE. */
  readonly ca: boolean
}

/**
 * Why `trustAnchor.next` cannot be rotated to, or undefined when it can. Rotating to an anchor
 * that is expired, not a CA, or the current one would leave every cluster trusting nothing
 * usable once the old anchor is dropped; a plan refuses before it changes anything.
 */
export function nextAnchorRefusal(current: AnchorCertificate | undefined, next: AnchorCertificate, now: Date): string | undefined {
  if (!next.ca) return 'it is not a CA certificate (basicConstraints CA:TRUE), so it cannot sign issuers'
  if (Date.parse(next.notAfter) <= now.getTime()) return `it expired on ${next.notAfter}`
  if (Date.parse(next.notBefore) > now.getTime()) return `it is not valid before ${next.notBefore}`
  if (current && current.fingerprint === next.fingerprint) return 'it is the current anchor itself'
  return undefined
}

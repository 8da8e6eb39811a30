/**
 * Trace logs show request and response bodies; these keep every secret, token and key out of them.
 * Kubernetes Secrets carry their material under `data`/`stringData`, kubeconfigs and OAuth answers
 * under names like `token`; PEM private keys and JWTs are caught by shape wherever they appear.
 */
const SENSITIVE_KEY = /^(data|stringData|binaryData|.*client.?key.*|.*token.*|.*secret.*|.*password.*|.*private.?key.*|key|tls\.key|.*\.key|client-key-data|kubeconfig|authorization|credentials?)$/i
const PRIVATE_KEY_PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g
const JWT = /\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*/g
/** Base64 of `-----BEGIN`: PEM as Kubernetes stores it in a Secret's data; redacted when it decodes to a private key. */
const BASE64_PEM = /\bLS0tLS1CRUdJTi[A-Za-z0-9+/=]*/g
export const REDACTED = '<redacted>'

export function redactValue(value: unknown, key?: string): unknown {
  if (key !== undefined && SENSITIVE_KEY.test(key) && value !== null && value !== '' && typeof value !== 'boolean' && typeof value !== 'number') {
    return typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.keys(value).map((k) => [k, REDACTED])) : REDACTED
  }
  if (typeof value === 'string') return redactText(value)
  if (Array.isArray(value)) return value.map((v) => redactValue(v))
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, k)]))
  return value
}

export function redactText(text: string): string {
  return text.replace(PRIVATE_KEY_PEM, REDACTED).replace(JWT, REDACTED).replace(BASE64_PEM, (b64) => (Buffer.from(b64, 'base64').toString('latin1').includes('PRIVATE KEY') ? REDACTED : b64))
}

/** A body as it goes on the wire: JSON is redacted by key, anything else by shape. */
export function redactBody(body: string): string {
  try {
    return JSON.stringify(redactValue(JSON.parse(body)))
  } catch {
    return redactText(body)
  }
}

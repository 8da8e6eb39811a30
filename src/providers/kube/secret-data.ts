import type {V1Secret} from '@kubernetes/client-node'

/** One key of a Secret, decoded; undefined when the Secret or the key is absent. */
export function secretValue(secret: V1Secret | undefined, key: string): string | undefined {
  const value = secret?.data?.[key]
  return value ? Buffer.from(value, 'base64').toString('utf8') : undefined
}

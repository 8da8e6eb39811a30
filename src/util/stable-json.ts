import {createHash} from 'node:crypto'

import {configure} from 'safe-stable-stringify'

const stringify = configure({deterministic: true, circularValue: Error})

/** JSON with object keys sorted at every level, so equal data always serializes to equal bytes. */
export function stableStringify(value: unknown, indent = 0): string {
  return stringify(value, null, indent) ?? 'undefined'
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

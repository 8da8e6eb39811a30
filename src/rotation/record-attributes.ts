import type {RotationRecord} from './types.js'

/** A rotation record's fields as plan attributes, in the order a rotation fills them. */
export const RECORD_ATTRIBUTES = {
  next: 'next',
  from: 'from',
  bundleAt: 'bundle_at',
  bundleServedAt: 'bundle_served_at',
  issuerAt: 'issuer_at',
  issuerServedAt: 'issuer_served_at',
  droppedAt: 'dropped_at',
} as const satisfies Record<keyof RotationRecord, string>

/** Every field, null where the record has none, so a plan shows each one the apply sets. */
export function recordAttributes(record: RotationRecord | undefined): Record<string, string | null> {
  return Object.fromEntries(Object.entries(RECORD_ATTRIBUTES).map(([field, attribute]) => [attribute, record?.[field as keyof RotationRecord] ?? null]))
}

/** The record a plan's attributes describe. */
export function recordOfAttributes(attributes: Readonly<Record<string, unknown>>): Partial<RotationRecord> {
  return Object.fromEntries(Object.entries(RECORD_ATTRIBUTES).flatMap(([field, attribute]) => (typeof attributes[attribute] === 'string' ? [[field, attributes[attribute]]] : [])))
}

import {describe, expect, test} from 'vitest'

import {LISTED_FIELDS, listFieldMask} from '../../../../src/providers/gcp/listed-fields.js'
import {applyFieldMask, parseFieldMask} from '../../../../src/sandbox/gcp/field-mask.js'

/** An object holding every field of a tree, plus one more at every level that the tree leaves out. */
function richObject(tree: object): Record<string, unknown> {
  const out: Record<string, unknown> = {unreadField: 'dropped'}
  for (const [field, keep] of Object.entries(tree)) out[field] = keep === true ? {whole: ['kept', 'as is']} : [richObject(keep as object), richObject(keep as object)]
  return out
}

function restricted(value: unknown, tree: object): unknown {
  if (Array.isArray(value)) return value.map((v) => restricted(v, tree))
  const source = value as Record<string, unknown>
  return Object.fromEntries(Object.entries(tree).map(([field, keep]) => [field, keep === true ? source[field] : restricted(source[field], keep as object)]))
}

describe('the field masks of the lists', () => {
  test.each([
    ['networks', 'items', true],
    ['firewalls', 'items', true],
    ['clusters', 'clusters', false],
  ] as const)('%s: the API sends exactly what the read decodes, and the page token', (list, field, paged) => {
    const tree = LISTED_FIELDS[list]
    const response = {kind: 'list', nextPageToken: 'next', [field]: [richObject(tree), richObject(tree)]}
    const got = applyFieldMask(response, parseFieldMask(listFieldMask(list)))
    expect(got).toEqual({...(paged ? {nextPageToken: 'next'} : {}), [field]: restricted(response[field], tree)})
  })

  test('read as a mask reads', () => {
    expect(listFieldMask('firewalls')).toBe('nextPageToken,items(name,description,network,direction,priority,sourceRanges,allowed(IPProtocol))')
  })
})

import {describe, expect, test} from 'vitest'

import {applyFieldMask, parseFieldMask, requestedFieldMask} from '../../../src/sandbox/gcp/field-mask.js'

const network = {
  kind: 'compute#network',
  name: 'a',
  routingConfig: {routingMode: 'REGIONAL', bgpBestPathSelectionMode: 'LEGACY'},
  peerings: [
    {name: 'a-b', network: 'b', state: 'ACTIVE', stackType: 'IPV4_ONLY'},
    {name: 'a-c', network: 'c', state: 'INACTIVE', stackType: 'IPV4_ONLY'},
  ],
}
const list = {kind: 'compute#networkList', nextPageToken: 't', items: [network]}
const masked = (mask: string, value: unknown = list) => applyFieldMask(value, parseFieldMask(mask))

describe('response field masks', () => {
  test('keep the named fields, through lists, by parentheses, dots or slashes alike', () => {
    const want = {nextPageToken: 't', items: [{name: 'a', routingConfig: {routingMode: 'REGIONAL'}, peerings: [{name: 'a-b', state: 'ACTIVE'}, {name: 'a-c', state: 'INACTIVE'}]}]}
    expect(masked('nextPageToken,items(name,routingConfig(routingMode),peerings(name,state))')).toEqual(want)
    expect(masked('nextPageToken,items.name,items.routingConfig.routingMode,items.peerings(name,state)')).toEqual(want)
    expect(masked('nextPageToken,items/name,items/routingConfig/routingMode,items/peerings/name,items/peerings/state')).toEqual(want)
  })

  test('a whole field wins over a part of it, in either order', () => {
    expect(masked('items(routingConfig,routingConfig.routingMode)')).toEqual({items: [{routingConfig: network.routingConfig}]})
    expect(masked('items(routingConfig.routingMode,routingConfig)')).toEqual({items: [{routingConfig: network.routingConfig}]})
  })

  test('* selects every field, or every key of a map', () => {
    const aggregated = {items: {'regions/r1': {subnetworks: [{name: 's', region: 'r1'}]}, 'regions/r2': {warning: {code: 'NO_RESULTS_ON_PAGE'}}}}
    expect(masked('items/*/subnetworks(name)', aggregated)).toEqual({items: {'regions/r1': {subnetworks: [{name: 's'}]}, 'regions/r2': {}}})
    expect(masked('*')).toEqual(list)
  })

  test('a malformed mask is refused with 400', () => {
    for (const bad of ['items(name', 'items)', 'items..name', ',name', 'items(name)x']) expect(() => parseFieldMask(bad), bad).toThrow(expect.objectContaining({status: 400}))
  })

  test('is read from the header, then fields, then $fields; * or none means the whole response', () => {
    expect(requestedFieldMask({'x-goog-fieldmask': 'name'}, new URLSearchParams('fields=kind'))).toEqual(new Map([['name', true]]))
    expect(requestedFieldMask({}, new URLSearchParams('fields=kind'))).toEqual(new Map([['kind', true]]))
    expect(requestedFieldMask({}, new URLSearchParams('$fields=kind'))).toEqual(new Map([['kind', true]]))
    expect(requestedFieldMask({'x-goog-fieldmask': '*'}, new URLSearchParams())).toBeUndefined()
    expect(requestedFieldMask({}, new URLSearchParams())).toBeUndefined()
  })
})

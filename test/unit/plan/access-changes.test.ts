import {describe, expect, it} from 'vitest'

import {accessChanges} from '../../../src/plan/access-changes.js'
import type {Plan, ResourceChange} from '../../../src/plan/types.js'

const attrs = (callers: string[], identities: string[], policy = 'deny') => ({namespace: 'mc-demo', service: 'api', pod_selector: {app: 'api'}, access_policy: policy, ports: [{port: 8080, identities, callers}]})
const change = (action: ResourceChange['action'], before: object | null, after: object | null): ResourceChange =>
  ({address: 'linkerd_authorization.east/mc-demo/api', kind: 'linkerd_authorization', name: 'east/mc-demo/api', cluster: 'east', action, before, after, after_unknown: [], sensitive: [], changes: [], depends_on: []}) as unknown as ResourceChange
const plan = (...changes: ResourceChange[]) => ({resource_changes: changes}) as unknown as Plan
const lines = (p: Plan) => accessChanges(p).map((a) => a.line)

describe('access changes in words', () => {
  it('a new policy denies every caller it does not list (the port was open), and admits those it does', () => {
    expect(lines(plan(change('create', null, attrs(['north/mc-demo/frontend'], ['f'])))) ).toEqual([
      '! every other caller → east/mc-demo/api:8080: denied (no Server restricted the port before)',
      '+ north/mc-demo/frontend → east/mc-demo/api:8080: allowed',
    ])
  })

  it('callers losing access come first and are destructive; gaining is not', () => {
    const changes = accessChanges(plan(change('update', attrs(['west/mc-demo/web'], ['w']), attrs(['north/mc-demo/frontend'], ['f']))))
    expect(changes.map((a) => [a.line, a.destructive])).toEqual([
      ['- west/mc-demo/web → east/mc-demo/api:8080: denied', true],
      ['+ north/mc-demo/frontend → east/mc-demo/api:8080: allowed', false],
    ])
  })

  it('a gateway caller is named for what it admits; an audit policy denies nobody yet; a deleted policy opens the port', () => {
    expect(lines(plan(change('create', null, attrs(["west/mc-demo/frontend via east's gateway"], ['g'], 'audit'))))).toEqual([
      '! every other caller → east/mc-demo/api:8080: audited: still admitted, and logged as denied (no Server restricted the port before)',
      "+ west/mc-demo/frontend via east's gateway → east/mc-demo/api:8080: allowed, and with it every workload that reaches east's gateway",
    ])
    expect(lines(plan(change('delete', attrs(['north/mc-demo/frontend'], ['f']), null)))).toEqual(['+ every caller → east/mc-demo/api:8080: allowed (its Server goes)'])
  })

  it('identities edited by hand under the same callers go back, and say so', () => {
    expect(lines(plan(change('update', attrs(['north/mc-demo/frontend'], ['*']), attrs(['north/mc-demo/frontend'], ['f']))))).toEqual(['- identities set by hand (*) → east/mc-demo/api:8080: denied: back to the spec’s callers'])
  })
})

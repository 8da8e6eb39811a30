import {describe, expect, test} from 'vitest'

import {topologicalOrder} from '../../../src/graph/order.js'

const order = (graph: Record<string, string[]>) => topologicalOrder(Object.keys(graph), (n) => graph[n] ?? [])

describe('topologicalOrder', () => {
  test('an input already in dependency order comes back unchanged', () => {
    expect(order({a: [], b: ['a'], c: ['a', 'b'], d: []})).toEqual(['a', 'b', 'c', 'd'])
  })

  test('otherwise dependencies move first, ties kept in input order', () => {
    expect(order({c: ['b'], a: [], b: ['a'], d: []})).toEqual(['a', 'b', 'c', 'd'])
    expect(order({x: ['z'], y: [], z: []})).toEqual(['y', 'z', 'x'])
  })

  test('dependencies outside the nodes are ignored', () => {
    expect(order({b: ['elsewhere'], a: ['b']})).toEqual(['b', 'a'])
  })

  test('a cycle throws, a node depending on itself included', () => {
    expect(() => order({a: ['b'], b: ['a']})).toThrow(/dependency cycle among: a, b/)
    expect(() => order({a: [], b: ['b']})).toThrow(/dependency cycle among: b/)
  })

  test('random acyclic graphs: unchanged when in order, dependencies first when shuffled', () => {
    let seed = 7
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    for (let round = 0; round < 50; round++) {
      const names = Array.from({length: 30}, (_, i) => `n${i}`)
      const graph: Record<string, string[]> = {}
      names.forEach((n, i) => (graph[n] = names.slice(0, i).filter(() => random() < 0.1)))
      const shuffled = [...names].sort(() => random() - 0.5)
      const sorted = topologicalOrder(names, (n) => graph[n]!)
      expect(sorted).toEqual(names)
      const fromShuffled = topologicalOrder(shuffled, (n) => graph[n]!)
      const at = new Map(fromShuffled.map((n, i) => [n, i]))
      for (const n of names) for (const d of graph[n]!) expect(at.get(d)!).toBeLessThan(at.get(n)!)
    }
  })
})

import {describe, expect, it} from 'vitest'

import {memoByText} from '../../../src/util/memo.js'

describe('memoByText', () => {
  it('computes once per distinct text and returns the same value', () => {
    let calls = 0
    const f = memoByText((t) => ({length: t.length, call: ++calls}))
    const a = f('abc')
    expect(f('abc')).toBe(a)
    expect(f('abcd')).toEqual({length: 4, call: 2})
    expect(calls).toBe(2)
  })

  it('remembers undefined answers too, and starts over past its bound', () => {
    let calls = 0
    const f = memoByText((t) => (calls++, t === 'x' ? undefined : t), 2)
    f('x')
    f('x')
    expect(calls).toBe(1)
    f('a')
    f('b') // the third distinct text: the memory starts over
    f('x')
    expect(calls).toBe(4)
  })
})

import {readFileSync} from 'node:fs'

import {describe, expect, it} from 'vitest'

import {freePort} from '../../../src/sandbox/kube/ports.js'

describe('freePort', () => {
  it('never hands out a port from the kernel ephemeral range, where outgoing connections take theirs', async () => {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number) as [number, number]
    const ports = await Promise.all(Array.from({length: 40}, () => freePort()))
    for (const p of ports) expect(p < low || p > high, `${p} in ${low}-${high}`).toBe(true)
  })

  it('gives servers started side by side distinct ports', async () => {
    const ports = await Promise.all(Array.from({length: 40}, () => freePort()))
    expect(new Set(ports).size).toBe(40)
  })
})

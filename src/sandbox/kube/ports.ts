import {readFileSync} from 'node:fs'
import {createServer} from 'node:net'

/**
 * A port free on 127.0.0.1 right now, chosen outside the kernel's ephemeral range. A port the OS
 * hands out for `listen(0)` comes from that range, which is also where every outgoing connection's
 * local port comes from: between our probe and the server's own bind, an API server's connection
 * to its etcd could take it, and the server exits with "address already in use" (CI saw a
 * kube-apiserver exit 1 within seconds of its start).
 */
export async function freePort(): Promise<number> {
  const [low, high] = PORTS
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low))
    if (handedOut.has(port)) continue
    if (await canListen(port)) {
      handedOut.add(port)
      return port
    }
  }
  throw new Error(`no free port on 127.0.0.1 in ${low}-${high} after 200 tries`)
}

/** Ports this process gave out: two servers started side by side never get the same one. */
const handedOut = new Set<number>()

const PORTS = portsOutsideEphemeralRange()

function portsOutsideEphemeralRange(): [number, number] {
  let range = [32768, 60999]
  try {
    range = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number)
  } catch {
    // Not Linux: the IANA ephemeral range is 49152-65535, the Linux default leaves the same gap.
  }
  const [ephemeralLow = 32768, ephemeralHigh = 60999] = range
  if (ephemeralLow - 10_000 >= 5_000) return [10_000, ephemeralLow]
  return [ephemeralHigh + 1, 65_535]
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer()
    s.once('error', () => resolve(false))
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)))
  })
}

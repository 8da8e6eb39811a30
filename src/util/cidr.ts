import {Address4} from 'ip-address'

/** A parsed IPv4 prefix with its first and last address as integers, for overlap arithmetic. */
export interface Cidr {
  readonly text: string
  readonly canonical: string
  readonly prefix: number
  readonly first: bigint
  readonly last: bigint
}

export type CidrParse = {ok: true; cidr: Cidr; canonical: boolean} | {ok: false; reason: string}

/**
 * Parses `a.b.c.d/n`; reports host bits set as `canonical: false` rather than failing. Results are
 * kept: overlap checks parse the same few ranges again and again (validation per pair of clusters,
 * the simulator per subnet insert against every range of the network and its peers), and
 * ip-address's parsing was most of the simulator's time at 300 clusters.
 */
export function parseCidr(text: string): CidrParse {
  let parsed = parsedCidrs.get(text)
  if (!parsed) {
    if (parsedCidrs.size >= MAX_KEPT_CIDRS) parsedCidrs.clear()
    parsed = parseUncached(text)
    parsedCidrs.set(text, parsed)
  }
  return parsed
}
const parsedCidrs = new Map<string, CidrParse>()
const MAX_KEPT_CIDRS = 100_000

function parseUncached(text: string): CidrParse {
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(text)) return {ok: false, reason: 'not of the form a.b.c.d/n'}
  let address: Address4
  try {
    address = new Address4(text)
  } catch (e) {
    return {ok: false, reason: (e as Error).message.replace(/\.$/, '')}
  }
  const start = address.startAddress()
  const canonical = `${start.correctForm()}/${address.subnetMask}`
  return {
    ok: true,
    canonical: canonical === text,
    cidr: {text, canonical, prefix: address.subnetMask, first: start.bigInt(), last: address.endAddress().bigInt()},
  }
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.first <= b.last && b.first <= a.last
}

export function addressCount(c: Cidr): bigint {
  return c.last - c.first + 1n
}

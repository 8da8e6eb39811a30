import {overlaps, parseCidr, type Cidr} from '../../util/cidr.js'
import type {SimState, SubnetworkRecord} from './state.js'

export interface OwnedRange {
  readonly cidr: Cidr
  readonly subnet: SubnetworkRecord
}

/** Every primary and secondary range of every subnet in a network (`project/network`). */
export function rangesOf(state: SimState, networkKey: string): OwnedRange[] {
  const out: OwnedRange[] = []
  for (const s of Object.values(state.subnetworks)) {
    if (s.network !== networkKey) continue
    for (const text of [s.ipCidrRange, ...s.secondaryIpRanges.map((r) => r.ipCidrRange)]) {
      const p = parseCidr(text)
      if (p.ok) out.push({cidr: p.cidr, subnet: s})
    }
  }
  return out
}

export function firstOverlap(candidates: readonly Cidr[], existing: readonly OwnedRange[]): {candidate: Cidr; existing: OwnedRange} | undefined {
  for (const c of candidates) {
    const hit = existing.find((e) => overlaps(c, e.cidr))
    if (hit) return {candidate: c, existing: hit}
  }
  return undefined
}

/** Networks that `networkKey` peers with, in either direction. */
export function peersOf(state: SimState, networkKey: string): string[] {
  const [project] = networkKey.split('/')
  const out = new Set<string>()
  const own = state.networks[networkKey]
  for (const p of own?.peerings ?? []) out.add(networkKeyOf(p.network, project!))
  for (const [key, n] of Object.entries(state.networks)) {
    if (n.peerings.some((p) => networkKeyOf(p.network, project!) === networkKey)) out.add(key)
  }
  out.delete(networkKey)
  return [...out]
}

/** A full URL, `projects/P/global/networks/N`, `global/networks/N` or a bare name → `P/N`. */
export function networkKeyOf(ref: string, project: string): string {
  const full = /projects\/([^/]+)\/global\/networks\/([^/?]+)/.exec(ref)
  if (full) return `${full[1]}/${full[2]}`
  const partial = /(?:^|\/)global\/networks\/([^/?]+)$/.exec(ref)
  return `${project}/${partial ? partial[1] : ref}`
}

import {readFileSync} from 'node:fs'

import {describe, expect, test} from 'vitest'

import {parseSpec} from '../../../src/spec/parse.js'
import type {ClusterMesh} from '../../../src/verify/mesh-state.js'
import {trustReport} from '../../../src/verify/trust.js'

const spec = parseSpec('f.yaml', readFileSync('examples/three-region/federation.yaml', 'utf8'), {}).spec!
const A = 'sha256:aaaaaaaaaaaaaaaaaaaa'
const B = 'sha256:bbbbbbbbbbbbbbbbbbbb'
const meshOf = (trust: Record<string, {anchors: string[]; issuerAnchor?: string} | undefined>): Record<string, ClusterMesh> =>
  Object.fromEntries(Object.entries(trust).map(([c, t]) => [c, {...(t ? {trust: t} : {})} as unknown as ClusterMesh]))

describe('verify\'s trust check', () => {
  test('every linked pair trusts the anchor the other\'s issuer chains to', () => {
    const r = trustReport(spec, meshOf({west: {anchors: [A], issuerAnchor: A}, east: {anchors: [A], issuerAnchor: A}, north: {anchors: [A], issuerAnchor: A}}))
    expect(r.clusters.map((c) => c.cluster)).toEqual(['west', 'east', 'north'])
    expect(r.pairs.length).toBeGreaterThanOrEqual(3)
    expect(r.pairs.every((p) => p.ok)).toBe(true)
  })

  test('mid-rotation: both anchors in every bundle, issuers on either, still one mesh', () => {
    const r = trustReport(spec, meshOf({west: {anchors: [A, B], issuerAnchor: B}, east: {anchors: [A, B], issuerAnchor: A}, north: {anchors: [A, B], issuerAnchor: A}}))
    expect(r.pairs.every((p) => p.ok)).toBe(true)
  })

  test('an anchor dropped too early breaks exactly the pairs whose issuers still chain to it (linkerd2#4287)', () => {
    const r = trustReport(spec, meshOf({west: {anchors: [B], issuerAnchor: B}, east: {anchors: [A, B], issuerAnchor: A}, north: {anchors: [A, B], issuerAnchor: B}}))
    const broken = r.pairs.filter((p) => !p.ok)
    expect(broken.map((p) => p.clusters.join(' '))).toEqual(['east west'])
    expect(broken[0]!.reason).toContain("west does not trust aaaaaaaaaaaa, which east's issuer chains to")
  })

  test('a cluster whose trust was not read is left out, not called broken', () => {
    const r = trustReport(spec, meshOf({west: {anchors: [A], issuerAnchor: A}, east: undefined, north: {anchors: [A], issuerAnchor: A}}))
    expect(r.clusters.map((c) => c.cluster)).toEqual(['west', 'north'])
    expect(r.pairs.every((p) => !p.clusters.includes('east'))).toBe(true)
  })
})

import {validLinks} from '../graph/topology.js'
import type {FederationSpec} from '../spec/types.js'
import type {Cell, VerifyReport} from '../verify/verdicts.js'
import {style} from './style.js'

export const VERIFY_FORMATS = ['text', 'json', 'markdown', 'mermaid'] as const
export type VerifyFormat = (typeof VERIFY_FORMATS)[number]

export function renderVerify(report: VerifyReport, format: VerifyFormat, o: {color: boolean; spec: FederationSpec}): string {
  switch (format) {
    case 'json':
      return JSON.stringify(report, null, 2) + '\n'
    case 'markdown':
      return verifyMarkdown(report)
    case 'mermaid':
      return verifyMermaid(report, o.spec)
    case 'text':
      return verifyText(report, o.color)
  }
}

const rows = (r: VerifyReport): readonly Cell[] => [...r.cells, ...r.unexpected]

/** A matrix readable at a glance: one line per service and cluster, the broken ones with why. */
export function verifyText(r: VerifyReport, color: boolean): string {
  const s = style(color)
  const header = ['SERVICE', 'MODE', 'CLUSTER', 'CLIENT NAME', 'VERDICT']
  const table = rows(r).map((c) => [`${c.namespace}/${c.service}`, c.mode, c.cluster, c.name, c.ok ? 'ok' : c.verdict])
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)))
  const pad = (cells: string[]) => cells.map((v, i) => (i === cells.length - 1 ? v : v.padEnd(widths[i]!))).join('  ')
  const out = [s.bold(pad(header))]
  rows(r).forEach((c, i) => {
    const line = pad(table[i]!)
    out.push(c.ok ? line : c.verdict === 'unexpected' ? s.warning(line) : s.error(line))
    out.push(s.dim(`    ${c.reason}`))
    const counts = endpointsText(c)
    if (counts) out.push(s.dim(`    ready endpoints: ${counts}`))
  })
  out.push('', ...linksText(r, s))
  if (r.access.length > 0) out.push('', ...accessText(r, s))
  if (r.trust.clusters.length > 0) out.push('', ...trustText(r, s))
  out.push('')
  out.push(r.ok ? `${s.create(s.bold('The mesh works as the spec implies:'))} ${summaryLine(r)}` : `${s.error('The mesh differs from the spec:')} ${summaryLine(r)}`)
  return out.join('\n') + '\n'
}

function summaryLine(r: VerifyReport): string {
  const {ok, broken, unexpected, links_broken, access_broken, trust_broken} = r.summary
  const links = links_broken > 0 ? `; ${links_broken} of ${r.links.length} links not served` : ''
  const access = access_broken > 0 ? `; ${access_broken} of ${r.access.length} ports admit other callers than the spec` : ''
  const trust = trust_broken > 0 ? `; ${trust_broken} of ${r.trust.pairs.length} linked pairs do not trust each other's issuers` : ''
  return `${ok} ok, ${broken} broken, ${unexpected} unexpected${links}${access}${trust}.`
}

const shortPrint = (fingerprint: string | null) => (fingerprint ? fingerprint.replace(/^sha256:/, '').slice(0, 12) : '-')

/** Each cluster's trust roots and issuer anchor; every linked pair that does not trust the other's issuer, with why. */
function trustText(r: VerifyReport, s: ReturnType<typeof style>): string[] {
  const header = ['TRUST', 'ANCHORS IN TRUST ROOTS', 'ISSUER CHAINS TO']
  const table = r.trust.clusters.map((c) => [c.cluster, c.anchors.map(shortPrint).join(', ') || '-', shortPrint(c.issuer_anchor)])
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)))
  const pad = (cells: string[]) => cells.map((v, i) => (i === cells.length - 1 ? v : v.padEnd(widths[i]!))).join('  ')
  const out = [s.bold(pad(header)), ...table.map(pad)]
  for (const p of r.trust.pairs.filter((x) => !x.ok)) out.push(s.error(`  ${p.clusters.join(' ↔ ')}: ${p.reason}`))
  return out
}

/** Who each service's ports admit, per cluster, against the spec's allow lists. */
function accessText(r: VerifyReport, s: ReturnType<typeof style>): string[] {
  const header = ['ACCESS', 'CLUSTER', 'PORT', 'VERDICT']
  const table = r.access.map((a) => [`${a.namespace}/${a.service}`, a.cluster, String(a.port), a.ok ? 'ok' : a.admitted === null ? 'open' : 'differs'])
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)))
  const pad = (cells: string[]) => cells.map((v, i) => (i === cells.length - 1 ? v : v.padEnd(widths[i]!))).join('  ')
  const out = [s.bold(pad(header))]
  r.access.forEach((a, i) => {
    out.push(a.ok ? pad(table[i]!) : s.error(pad(table[i]!)))
    out.push(s.dim(`    ${a.reason}`))
  })
  return out
}

/** Every link: what it runs on and when a change last came through it; a broken one with why. */
function linksText(r: VerifyReport, s: ReturnType<typeof style>): string[] {
  const header = ['LINK', 'MODE', 'GENERATION', 'LAST CONFIRMED', 'VERDICT']
  const table = r.links.map((l) => [`${l.consumer} → ${l.link}`, l.mode, l.generation === undefined ? '-' : String(l.generation), l.last_confirmed ?? '-', l.ok ? 'ok' : l.verdict])
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)))
  const pad = (cells: string[]) => cells.map((v, i) => (i === cells.length - 1 ? v : v.padEnd(widths[i]!))).join('  ')
  const out = [s.bold(pad(header))]
  r.links.forEach((l, i) => {
    out.push(l.ok ? pad(table[i]!) : s.error(pad(table[i]!)))
    if (!l.ok) out.push(s.dim(`    ${l.reason}`))
  })
  return out
}

/** A percentage as people read shares: whole numbers. */
export const percent = (share: number) => `${Math.round(share * 100)}%`

/** Ready endpoints behind a cell, per cluster, with each cluster's share where it has one; '' without numbers. */
export function endpointsText(c: Cell): string {
  if (!c.endpoints) return ''
  const parts = Object.entries(c.endpoints).map(([cluster, n]) => `${cluster} ${n}${c.shares ? ` (${percent(c.shares[cluster] ?? 0)})` : ''}`)
  return [parts.join(', '), ...(c.mirror_ready !== undefined ? [`mirror ${c.mirror_ready} ready at the gateway`] : [])].join('; ')
}

const escape = (v: string) => v.replace(/\|/g, '\\|')

export function verifyMarkdown(r: VerifyReport): string {
  const lines = [`<!-- mcfed-verify federation=${r.federation} -->`, `### mcfed verify: \`${r.federation}\``, '']
  lines.push(r.ok ? `**✅ The mesh works as the spec implies** (${r.summary.ok} ok).` : `**❌ The mesh differs from the spec:** ${summaryLine(r)}`, '')
  lines.push('| service | mode | cluster | client name | verdict | why | ready endpoints |', '|---|---|---|---|---|---|---|')
  for (const c of rows(r)) lines.push(`| \`${c.namespace}/${c.service}\` | ${c.mode} | ${c.cluster} | \`${c.name}\` | ${c.ok ? '✅ ok' : `❌ ${c.verdict}`} | ${escape(c.reason)} | ${escape(endpointsText(c))} |`)
  if (r.access.length > 0) {
    lines.push('', '| access | cluster | port | verdict | why |', '|---|---|---|---|---|')
    for (const a of r.access) lines.push(`| \`${a.namespace}/${a.service}\` | ${a.cluster} | ${a.port} | ${a.ok ? '✅ ok' : a.admitted === null ? '❌ open' : '❌ differs'} | ${escape(a.reason)} |`)
  }
  const distrust = r.trust.pairs.filter((p) => !p.ok)
  if (distrust.length > 0) {
    lines.push('', '**Linked clusters that do not trust each other\'s issuers:**', '')
    for (const p of distrust) lines.push(`- \`${p.clusters[0]}\` ↔ \`${p.clusters[1]}\`: ${escape(p.reason)}`)
  }
  const dead = r.links.filter((l) => !l.ok)
  if (dead.length > 0) {
    lines.push('', '**Links not served:**', '')
    for (const l of dead) lines.push(`- \`${l.consumer}\` → \`${l.link}\` (${l.mode}${l.generation !== undefined ? `, credentials generation ${l.generation}` : ''}): ${escape(l.reason)}`)
  }
  return lines.join('\n') + '\n'
}

/** Clusters as nodes, links as edges labelled flat or gateway; a link not served is dashed and marked. */
export function verifyMermaid(r: VerifyReport, spec: FederationSpec): string {
  const lines = ['graph LR']
  for (const c of Object.keys(spec.spec.clusters)) lines.push(`  ${id(c)}["${c}"]`)
  validLinks(spec).forEach((l) => {
    const h = r.links.find((x) => x.consumer === l.from && x.link === l.name)
    const label = `${l.mode}: ${l.name}${h && !h.ok ? ` ✗ ${h.verdict}` : ''}`
    lines.push(`  ${id(l.from)} ${h && !h.ok ? '-.->' : '-->'}|"${label}"| ${id(l.to)}`)
  })
  const brokenEdges = validLinks(spec)
    .map((l, i) => ({l, i}))
    .filter(({l}) => r.links.some((x) => x.consumer === l.from && x.link === l.name && !x.ok))
    .map(({i}) => i)
  if (brokenEdges.length > 0) lines.push(`  linkStyle ${brokenEdges.join(',')} stroke:#d33,stroke-width:2px`)
  return lines.join('\n') + '\n'
}

function id(cluster: string): string {
  return `c_${cluster.replace(/[^A-Za-z0-9_]/g, '_')}`
}

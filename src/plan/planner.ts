import {hasErrors, type Diagnostic} from '../diagnostics/diagnostic.js'
import {kindSchema} from '../model/kinds.js'
import {dependencyOrder} from '../graph/order.js'
import type {Attributes, DesiredResource, Json, ObservedResource} from '../graph/resource.js'
import {diffAttributes, unknownChange} from './attribute-diff.js'
import {maskSensitive} from './mask.js'
import {targetedAddresses, unknownAddresses} from './targets.js'
import {PLAN_FORMAT_VERSION, type Action, type AttributeChange, type Plan, type ResourceChange} from './types.js'

export interface PlanInput {
  readonly federation: string
  readonly project: string
  readonly mcfedVersion: string
  /** In dependency order, as `desiredGraph` returns it. */
  readonly desired: readonly DesiredResource[]
  /** `undefined` plans offline: nothing exists, everything is created. */
  readonly observed?: readonly ObservedResource[]
  readonly diagnostics?: readonly Diagnostic[]
  readonly fingerprints?: Readonly<Record<string, string>>
  readonly unreachable?: readonly string[]
  /** `--target`: plan only these and what they need (see targetedAddresses). */
  readonly targets?: readonly string[]
  /** `--replace`: replace these although nothing forces it (re-issue one cluster's issuer). */
  readonly replace?: readonly string[]
}

/** What the first pass decides for a resource that exists; the second pass may still change it. */
interface Draft {
  action: Action
  /** The replaced resource this one dies with, when that is why it is replaced. */
  replacedWith?: string
  reason?: string
  replacePaths: string[]
  changes: AttributeChange[]
  after: Attributes
  afterUnknown: Set<string>
}

/**
 * A resource that does not exist yet: created as the spec says, which nothing later changes (an
 * offline plan of 300 clusters has 47,000 of these; they share their empty lists).
 */
interface CreateDraft {
  readonly action: 'create'
  readonly replacePaths: readonly string[]
  readonly changes: readonly AttributeChange[]
  readonly after: Attributes
  readonly afterUnknown: readonly string[]
}

/**
 * Diffs desired against observed into a Plan. Pure and deterministic: the same inputs give the
 * same plan, byte for byte. Decides every action in one place, in three passes: per-resource
 * attribute diffs, then replacements and unknowns carried along dependencies, then deletes of
 * owned resources the spec no longer names.
 */
export function plan(input: PlanInput): Plan {
  const observed = new Map((input.observed ?? []).map((o) => [o.address, o]))
  const diagnostics: Diagnostic[] = [...(input.diagnostics ?? [])]
  if (input.targets?.length || input.replace?.length) {
    const known = [...new Set([...input.desired.map((r) => r.address), ...observed.keys()])].sort()
    diagnostics.push(...unknownAddresses('--target', input.targets ?? [], known), ...unknownAddresses('--replace', input.replace ?? [], known))
  }
  const forced = new Set(input.replace ?? [])

  // One draft per desired resource, by position; by address only when something exists to carry changes to.
  const firstPasses: (Draft | CreateDraft)[] = []
  for (const r of input.desired) {
    const o = observed.get(r.address)
    if (o && !o.owned) {
      diagnostics.push({
        severity: 'error',
        rule: 'ownership/conflict',
        message: `${r.address} already exists but does not carry the ownership marker of federation ${input.federation}`,
        locations: [],
        addresses: [r.address],
        hint: 'mcfed never adopts or changes what it does not own; rename the cluster or network in the spec, or remove the existing object',
      })
    }
    firstPasses.push(firstPass(r, o, forced.has(r.address)))
  }

  // Carry replacements and unknown inputs down the graph; desired is in dependency order.
  const existing = firstPasses.some((d) => d.action !== 'create')
  const drafts = new Map<string, Draft | CreateDraft>(existing ? input.desired.map((r, i) => [r.address, firstPasses[i]!]) : [])
  for (let i = 0; existing && i < input.desired.length; i++) {
    const r = input.desired[i]!
    const draft = firstPasses[i]!
    if (draft.action === 'create') continue
    const o = observed.get(r.address)!
    const schema = kindSchema(r.kind)
    const host = r.replacedWith.find((h) => drafts.get(h)?.action === 'replace')
    if (host && draft.action !== 'replace') {
      draft.action = 'replace'
      draft.reason = `${host} is replaced`
      draft.replacedWith = host
    }
    for (const [attr, source] of Object.entries(r.inputs)) {
      const s = drafts.get(source)
      if (!s || (s.action !== 'create' && s.action !== 'replace') || draft.afterUnknown.has(attr)) continue
      draft.afterUnknown.add(attr)
      draft.changes.push(unknownChange(schema, attr, o.attributes[attr]))
      if (draft.action === 'no-op') draft.action = 'update'
    }
  }

  const changes: ResourceChange[] = []
  for (let i = 0; i < input.desired.length; i++) {
    const r = input.desired[i]!
    const o = observed.get(r.address)
    if (o?.owned === false) continue
    changes.push(toChange(r, o, firstPasses[i]!))
  }
  const desiredAddresses = new Set(observed.size > 0 ? input.desired.map((r) => r.address) : [])
  const deleted = [...observed.values()]
    .filter((o) => o.owned && !desiredAddresses.has(o.address))
    .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0))
  for (const o of deleted) changes.push(deletion(o))

  let selected = changes
  if (input.targets?.length) {
    const kept = targetedAddresses(changes, input.targets)
    selected = changes.filter((c) => kept.has(c.address))
    if (kept.size > 0) diagnostics.push({
      severity: 'warning',
      rule: 'plan/targeted',
      message: `this plan is partial: only ${kept.size} of ${changes.length} resources, those --target names and what they depend on; the rest of the estate may still differ from the spec`,
      locations: [],
      addresses: [...input.targets],
      hint: 'use --target for exceptional cases (recovering from a mistake, working around a limit); plan without it to see everything',
    })
  }
  // Desired resources come in dependency order and a subsequence keeps it; only deletions, appended
  // by address, need sorting (at 47,000 resources a needless sort was a tenth of an offline plan).
  const ordered = deleted.length > 0 ? dependencyOrder(selected, (c) => c.address, (c) => c.depends_on) : selected
  const counts = new Map<Action, number>()
  for (const c of ordered) counts.set(c.action, (counts.get(c.action) ?? 0) + 1)
  const count = (a: Action) => counts.get(a) ?? 0
  return {
    format_version: PLAN_FORMAT_VERSION,
    mcfed_version: input.mcfedVersion,
    federation: input.federation,
    project: input.project,
    mode: input.observed ? 'live' : 'offline',
    applyable: !hasErrors(diagnostics),
    summary: {add: count('create'), change: count('update'), replace: count('replace'), destroy: count('delete'), no_op: count('no-op')},
    resource_changes: ordered,
    diagnostics,
    unreachable: [...(input.unreachable ?? [])].sort(),
    fingerprints: {...(input.fingerprints ?? {})},
    ...(input.targets?.length ? {targets: [...input.targets].sort()} : {}),
  }
}

const NONE: readonly string[] = Object.freeze([])
const NO_CHANGES: readonly AttributeChange[] = Object.freeze([])

function firstPass(r: DesiredResource, o: ObservedResource | undefined, forceReplace: boolean): Draft | CreateDraft {
  const schema = kindSchema(r.kind)
  if (!o || !o.owned) {
    return {action: 'create', replacePaths: NONE, changes: NO_CHANGES, after: r.attributes, afterUnknown: r.unknown.length === 0 ? NONE : [...new Set(r.unknown)].sort()}
  }
  // What the live object already has fills in what the spec cannot know before apply.
  const after: Record<string, Json> = {...r.attributes}
  const afterUnknown = new Set<string>()
  for (const key of r.unknown) {
    const live = o.attributes[key]
    if (live !== undefined && live !== null) after[key] = live
    else afterUnknown.add(key)
  }
  const diff = diffAttributes(schema, o.attributes, after, afterUnknown)
  if (forceReplace) return {action: 'replace', replacePaths: diff.replacePaths, reason: 'replacement requested with --replace', changes: diff.changes, after, afterUnknown}
  // A rendered component changes when any of its objects does, whatever its summary attributes say.
  const action: Action = diff.replacePaths.length > 0 ? 'replace' : diff.changes.length > 0 || (o.objectChanges?.length ?? 0) > 0 ? 'update' : 'no-op'
  return {
    action,
    replacePaths: diff.replacePaths,
    reason: action === 'replace' ? replaceReason(schema, diff.replacePaths, o.attributes) : undefined,
    changes: diff.changes,
    after,
    afterUnknown,
  }
}

function replaceReason(schema: ReturnType<typeof kindSchema>, paths: readonly string[], live: Attributes): string {
  const explained = paths.map((p) => schema.replaceReasons?.[p]?.(live)).filter((r): r is string => r !== undefined)
  return explained.length > 0 ? explained.join('; ') : `${paths.join(', ')} cannot be changed in place`
}

function toChange(r: DesiredResource, o: ObservedResource | undefined, d: Draft | CreateDraft): ResourceChange {
  const schema = kindSchema(r.kind)
  const before = o && o.owned ? maskSensitive(o.attributes, schema.sensitive) : null
  return {
    address: r.address,
    kind: r.kind,
    name: r.name,
    cluster: r.cluster,
    action: d.action,
    ...(d.action === 'replace' ? {replace_order: schema.replaceOrder, reason: d.reason, replace_paths: d.replacePaths} : {}),
    ...((d.action === 'create' || d.action === 'update') && r.reason ? {reason: r.reason} : {}),
    ...(d.action === 'replace' && d.replacedWith ? {replaced_with: d.replacedWith} : {}),
    ...((d.action === 'replace' && schema.destroyGuarded) || (d.action !== 'no-op' && r.guarded) ? {guarded: true as const} : {}),
    before,
    after: maskSensitive(d.after, schema.sensitive),
    after_unknown: !(d.afterUnknown instanceof Set) ? d.afterUnknown : d.afterUnknown.size === 0 ? NONE : [...d.afterUnknown].sort(),
    // Shared, not copied: a plan is read-only, and 47,000 copies were a tenth of an offline plan's garbage.
    sensitive: schema.sensitive,
    changes: d.changes,
    depends_on: r.dependsOn,
    ...(o?.owned && o.objectChanges?.length && (d.action === 'update' || d.action === 'replace') ? {object_changes: [...o.objectChanges]} : {}),
  }
}

function deletion(o: ObservedResource): ResourceChange {
  const schema = kindSchema(o.kind)
  return {
    address: o.address,
    kind: o.kind,
    name: o.name,
    cluster: o.cluster,
    action: 'delete',
    reason: schema.deleteReason?.(o.attributes) ?? 'no longer in the spec',
    ...(schema.destroyGuarded ? {guarded: true as const} : {}),
    before: maskSensitive(o.attributes, schema.sensitive),
    after: null,
    after_unknown: NONE,
    sensitive: schema.sensitive,
    changes: [],
    depends_on: o.dependsOn ?? NONE,
  }
}

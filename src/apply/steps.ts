import {kindSchema} from '../model/kinds.js'
import type {ResourceChange} from '../plan/types.js'
import type {Mutation} from '../providers/types.js'

/** One call to a provider. A replace becomes two steps (delete then create) or one overwrite. */
export interface Step {
  readonly id: string
  readonly address: string
  readonly mutation: Mutation
  readonly change: ResourceChange
  /** Step ids that must succeed first. */
  readonly after: readonly string[]
}

/**
 * Turns a plan into steps. Creates and updates follow dependencies; deletes run in reverse (a
 * network after its subnets, peerings and firewalls). A delete-then-create replace deletes the
 * old resource after its dependents' deletes and creates the new one after its dependencies.
 */
export function planSteps(changes: readonly ResourceChange[]): Step[] {
  const active = changes.filter((c) => c.action !== 'no-op')
  const writeStep = new Map<string, string>()
  const deleteStep = new Map<string, string>()
  for (const c of active) {
    if (c.action === 'create' || c.action === 'update') writeStep.set(c.address, `${c.address}#${c.action}`)
    if (c.action === 'delete') deleteStep.set(c.address, `${c.address}#delete`)
    if (c.action === 'replace' && c.replace_order === 'delete-then-create') {
      deleteStep.set(c.address, `${c.address}#delete`)
      writeStep.set(c.address, `${c.address}#create`)
    }
    if (c.action === 'replace' && c.replace_order !== 'delete-then-create') writeStep.set(c.address, `${c.address}#replace`)
  }
  const dependents = new Map<string, string[]>()
  for (const c of active) {
    for (const d of c.depends_on) {
      const list = dependents.get(d) ?? []
      list.push(c.address)
      dependents.set(d, list)
    }
  }

  const steps: Step[] = []
  for (const c of active) {
    const del = deleteStep.get(c.address)
    if (del) {
      const after = (dependents.get(c.address) ?? []).map((d) => deleteStep.get(d)).filter((x): x is string => x !== undefined)
      const first = kindSchema(c.kind).deleteAfterWritesOf ?? []
      for (const o of active) if (first.includes(o.kind) && o.cluster === c.cluster && o.address !== c.address && writeStep.has(o.address)) after.push(writeStep.get(o.address)!)
      steps.push({id: del, address: c.address, mutation: 'delete', change: c, after})
    }
    const write = writeStep.get(c.address)
    if (write) {
      const after = c.depends_on.map((d) => writeStep.get(d)).filter((x): x is string => x !== undefined)
      if (del) after.push(del)
      const mutation = c.action === 'update' ? 'update' : 'create'
      steps.push({id: write, address: c.address, mutation, change: c, after})
    }
  }
  return steps
}

/** Kinds whose `version` change is a Linkerd upgrade of that cluster. */
const UPGRADED_KINDS: ReadonlySet<string> = new Set(['linkerd_crds', 'linkerd_control_plane', 'linkerd_multicluster'])

function isUpgrade(step: Step): boolean {
  const {change} = step
  return UPGRADED_KINDS.has(change.kind) && change.action === 'update' && change.before?.version != null && change.before.version !== change.after?.version
}

/**
 * Upgrades the mesh cluster by cluster, as operators do: a cluster's upgrade steps start only when
 * the upgrade of the cluster `width` places before it (in plan order) has finished, so a bad
 * release stops at the first cluster (skip-on-failure does the rest). Everything else is untouched.
 */
export function serializeUpgrades(steps: readonly Step[], width: number): Step[] {
  const byCluster = new Map<string, Step[]>()
  for (const s of steps) if (isUpgrade(s)) byCluster.set(s.change.cluster, [...(byCluster.get(s.change.cluster) ?? []), s])
  const clusters = [...byCluster.keys()]
  const waitFor = new Map<string, string[]>()
  clusters.forEach((cluster, i) => {
    if (i < width) return
    const earlier = byCluster.get(clusters[i - width]!)!.map((s) => s.id)
    for (const s of byCluster.get(cluster)!) waitFor.set(s.id, earlier)
  })
  return steps.map((s) => (waitFor.has(s.id) ? {...s, after: [...s.after, ...waitFor.get(s.id)!]} : s))
}

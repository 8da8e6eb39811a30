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

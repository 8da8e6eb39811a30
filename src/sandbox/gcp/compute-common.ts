import {parseCidr} from '../../util/cidr.js'
import type {SimContext} from './context.js'
import {invalid} from './errors.js'
import type {OperationRecord} from './state.js'
import {computeOperationView} from './views.js'

/** Shared by the compute routes: name and CIDR checks as GCP words them, and operation starters. */
export const NAME = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/
export const P = '/compute/v1/projects/{project}'

export function checkName(name: unknown, field: string): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw invalid(`Invalid value for field '${field}': '${String(name)}'. Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'`)
  }
  return name
}

export function checkCidr(text: unknown, field: string) {
  const p = typeof text === 'string' ? parseCidr(text) : undefined
  if (!p || !p.ok || !p.canonical) throw invalid(`Invalid value for field '${field}': '${String(text)}'. Invalid IPCidrRange: ${String(text)}.`)
  return p.cidr
}

export function globalOp(ctx: SimContext, project: string, type: string, target: string, extra: Partial<OperationRecord> = {}): object {
  const op = ctx.startOperation({api: 'compute', scope: 'global', operationType: type, targetLink: target, locks: [], durationMs: ctx.options.operationMs, ...extra})
  ctx.persist()
  return computeOperationView(ctx, project, op)
}

export function regionOp(ctx: SimContext, project: string, region: string, type: string, target: string): object {
  const op = ctx.startOperation({api: 'compute', scope: `regions/${region}`, operationType: type, targetLink: target, locks: [], durationMs: ctx.options.operationMs})
  ctx.persist()
  return computeOperationView(ctx, project, op)
}


import {COMPUTE_BASE, type SimContext} from './context.js'
import {P, globalOp} from './compute-common.js'
import {conditionNotMet, notFound} from './errors.js'
import {route, type Route} from './router.js'
import type {OperationRecord} from './state.js'
import {computeOperationView} from './views.js'

function findOp(ctx: SimContext, name: string): OperationRecord {
  const op = ctx.state.operations[`compute/${name}`]
  if (!op) throw notFound(`operations/${name}`)
  return op
}

async function waitFor(ctx: SimContext, op: OperationRecord): Promise<void> {
  const until = ctx.now() + ctx.options.waitCapMs
  while (!ctx.isDone(op) && ctx.now() < until) {
    const left = Math.min(until, op.doneAt ?? until) - ctx.now()
    await new Promise((r) => setTimeout(r, Math.max(1, Math.min(left, 50))))
  }
}

export const operationRoutes: Route[] = [
  route('GET', 'compute.globalOperations.get', `${P}/global/operations/{operation}`, (ctx, {params}) => computeOperationView(ctx, params.project!, findOp(ctx, params.operation!))),
  route('POST', 'compute.globalOperations.wait', `${P}/global/operations/{operation}/wait`, async (ctx, {params}) => {
    const op = findOp(ctx, params.operation!)
    await waitFor(ctx, op)
    return computeOperationView(ctx, params.project!, op)
  }),
  route('GET', 'compute.regionOperations.get', `${P}/regions/{region}/operations/{operation}`, (ctx, {params}) => computeOperationView(ctx, params.project!, findOp(ctx, params.operation!))),
  route('POST', 'compute.regionOperations.wait', `${P}/regions/{region}/operations/{operation}/wait`, async (ctx, {params}) => {
    const op = findOp(ctx, params.operation!)
    await waitFor(ctx, op)
    return computeOperationView(ctx, params.project!, op)
  }),
]

/** Project metadata: what the apply lock is written in, with compare-and-swap on its fingerprint. */
export const projectRoutes: Route[] = [
  route('GET', 'compute.projects.get', `${P}`, (ctx, {params}) => ({
    kind: 'compute#project',
    id: '123456789012',
    name: params.project,
    commonInstanceMetadata: {kind: 'compute#metadata', fingerprint: ctx.state.metadata.fingerprint, items: ctx.state.metadata.items},
    selfLink: `${COMPUTE_BASE}/projects/${params.project}`,
  })),
  route('POST', 'compute.projects.setCommonInstanceMetadata', `${P}/setCommonInstanceMetadata`, (ctx, {params, body}) => {
    if (body?.fingerprint !== ctx.state.metadata.fingerprint) {
      throw conditionNotMet('Supplied fingerprint does not match current metadata fingerprint.')
    }
    if (!ctx.suppressed) ctx.state.metadata = {fingerprint: ctx.fingerprint(), items: (body.items ?? []).map((i: {key: string; value?: string}) => ({key: i.key, value: i.value ?? ''}))}
    return globalOp(ctx, params.project!, 'setMetadata', `${COMPUTE_BASE}/projects/${params.project}`)
  }),
]


/** A Kubernetes RBAC policy rule, the fields mcfed writes. */
export interface PolicyRule {
  readonly apiGroups: readonly string[]
  readonly resources: readonly string[]
  readonly resourceNames?: readonly string[]
  readonly verbs: readonly string[]
}

/**
 * One rule as one short line, so plans show and diff rules element by element:
 * `apps/replicasets: get,list,watch`, `core/configmaps[linkerd-config]: get`.
 */
export function ruleString(r: {apiGroups?: readonly string[]; resources?: readonly string[]; resourceNames?: readonly string[]; verbs?: readonly string[]}): string {
  const groups = (r.apiGroups ?? []).map((g) => (g === '' ? 'core' : g)).join(',')
  const names = r.resourceNames?.length ? `[${r.resourceNames.join(',')}]` : ''
  return `${groups}/${(r.resources ?? []).join(',')}${names}: ${(r.verbs ?? []).join(',')}`
}

/** The rule a `ruleString` line stands for; undefined for a line that is not one. */
export function parseRule(line: string): PolicyRule | undefined {
  const m = /^([^/]+)\/([^[:]+)(?:\[([^\]]+)\])?: (.+)$/.exec(line)
  if (!m) return undefined
  return {
    apiGroups: m[1]!.split(',').map((g) => (g === 'core' ? '' : g)),
    resources: m[2]!.split(','),
    ...(m[3] ? {resourceNames: m[3].split(',')} : {}),
    verbs: m[4]!.split(','),
  }
}

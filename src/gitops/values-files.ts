import {stableStringify} from '../util/stable-json.js'
import {compareCodePoints} from '../util/compare.js'
import {yamlDocument} from './yaml.js'

type Values = Readonly<Record<string, unknown>>

const isMap = (v: unknown): v is Values => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * The values every cluster gives a component alike, and what each gives beside them, such that
 * `-f shared -f cluster` (Helm's merge: maps merged key by key, anything else replaced) is the
 * cluster's values again. Lists are one value, as Helm treats them: a `controllers:` list that
 * differs anywhere is per cluster everywhere.
 */
export function splitValues(byCluster: ReadonlyMap<string, Values>): {shared: Values; perCluster: Map<string, Values>} {
  const all = [...byCluster.values()]
  const shared = all.length === 0 ? {} : common(all)
  return {shared, perCluster: new Map([...byCluster].map(([c, v]) => [c, beyond(v, shared)]))}
}

function common(values: readonly Values[]): Values {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(values[0]!)) {
    const each = values.map((v) => v[key])
    if (each.some((v) => v === undefined)) continue
    if (each.every(isMap)) {
      const inner = common(each as Values[])
      if (Object.keys(inner).length > 0) out[key] = inner
    } else if (each.every((v) => stableStringify(v) === stableStringify(each[0]))) {
      out[key] = each[0]
    }
  }
  return out
}

function beyond(value: Values, shared: Values): Values {
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) {
    const s = shared[key]
    if (s === undefined) out[key] = v
    else if (isMap(v) && isMap(s)) {
      const inner = beyond(v, s)
      if (Object.keys(inner).length > 0) out[key] = inner
    }
  }
  return out
}

/**
 * `values/<component>/shared.yaml` and `values/<component>/<cluster>.yaml`: what the tree's
 * renders of a component were made from, headed by the command that makes them again. Not
 * applied by anything (no kustomization names them): they are for review and for reproducing.
 */
export function valuesFiles(component: string, command: string, byCluster: ReadonlyMap<string, Values>): Map<string, string> {
  const {shared, perCluster} = splitValues(byCluster)
  const files = new Map<string, string>()
  const head = (cluster: string) => `# ${command} -f values/${component}/shared.yaml -f values/${component}/${cluster}.yaml\n`
  files.set(`values/${component}/shared.yaml`, `# What every cluster's ${component} is rendered with; each cluster's own values are beside it.\n${yamlDocument(shared)}`)
  for (const cluster of [...perCluster.keys()].sort(compareCodePoints)) files.set(`values/${component}/${cluster}.yaml`, head(cluster) + yamlDocument(perCluster.get(cluster)))
  return files
}

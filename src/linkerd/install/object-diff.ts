import type {Json} from '../../graph/resource.js'
import type {AttributeChange, ObjectChange} from '../../plan/types.js'
import {objectKey, RENDERED_DIGEST, type KubeObject} from './manifests.js'

/**
 * What applying `rendered` would change, object by object and field by field, against the live
 * objects this component applied earlier. Only fields the render sets are compared (the API server
 * adds defaults and status that are nobody's drift); lists of named items (containers, ports, env)
 * are matched by name, as server-side apply merges them. Secret data is never copied out.
 */
export function diffObjects(rendered: readonly KubeObject[], live: readonly KubeObject[], serverView: ReadonlyMap<string, KubeObject> = new Map()): ObjectChange[] {
  const byKey = new Map(live.map((o) => [objectKey(o), o]))
  const out: ObjectChange[] = []
  for (const r of rendered) {
    const key = objectKey(r)
    const l = byKey.get(key)
    byKey.delete(key)
    if (!l) {
      out.push({action: 'create', object: key})
      continue
    }
    // Where the server's own answer (a dry-run apply) is known, it is what the render becomes.
    const server = serverView.get(key)
    const changes = fieldChanges(server ? (projectOnto(r, server) as KubeObject) : r, l)
    if (changes.length > 0) out.push({action: 'update', object: key, changes: onlyMeaningful(changes)})
  }
  for (const key of [...byKey.keys()].sort()) out.push({action: 'delete', object: key})
  return out
}

const DIGEST_PATH = `metadata.annotations[${JSON.stringify(RENDERED_DIGEST)}]`

/** The digest moves with every other change; alone, it means the render stopped setting some field. */
function onlyMeaningful(changes: AttributeChange[]): AttributeChange[] {
  const rest = changes.filter((c) => c.path !== DIGEST_PATH)
  return rest.length > 0 ? rest : changes
}

export function fieldChanges(rendered: KubeObject, live: KubeObject): AttributeChange[] {
  const out: AttributeChange[] = []
  const secret = rendered.kind === 'Secret'
  const walk = (r: unknown, l: unknown, path: string, top: string) => {
    if (r === null || r === undefined) return
    // Empty values are what the API omits (omitempty): "" or [] rendered is the field absent live.
    if ((r === '' || (Array.isArray(r) && r.length === 0)) && (l === undefined || l === null)) return
    if (Array.isArray(r)) {
      if (!Array.isArray(l)) return push(path, top, l, r)
      if (r.every(named) && l.every(named)) {
        for (const item of r) {
          const match = l.find((x) => x.name === item.name)
          if (!match) push(`${path}[name=${item.name}]`, top, undefined, item)
          else walk(item, match, `${path}[name=${item.name}]`, top)
        }
        return
      }
      if (r.length !== l.length) return push(path, top, l, r)
      r.forEach((item, i) => walk(item, l[i], `${path}[${i}]`, top))
      return
    }
    if (typeof r === 'object') {
      if (l === null || typeof l !== 'object' || Array.isArray(l)) return Object.keys(r).length > 0 ? push(path, top, l, r) : undefined
      for (const [k, v] of Object.entries(r)) {
        // Status is the server's to write; server-side apply ignores it (a CRD render carries an empty one).
        if (path === '' && k === 'status') continue
        walk(v, (l as Record<string, unknown>)[k], join(path, k), path === '' ? k : top)
      }
      return
    }
    if (!sameScalar(r, l)) push(path, top, l, r)
  }
  const push = (path: string, top: string, before: unknown, after: unknown) => {
    const sensitive = secret && (top === 'data' || top === 'stringData')
    out.push({
      path,
      ...(sensitive ? {sensitive: true as const} : {}),
      ...(!sensitive && before !== undefined && before !== null ? {before: before as Json} : {}),
      ...(!sensitive && after !== undefined ? {after: after as Json} : {}),
    })
  }
  walk(rendered, live, '', '')
  return out
}

function named(x: unknown): x is {name: string} {
  return x !== null && typeof x === 'object' && typeof (x as {name?: unknown}).name === 'string'
}

/** YAML's `"4143"` and the API's 4143 for an int-or-string field are the same value. */
function sameScalar(a: unknown, b: unknown): boolean {
  return a === b || (b !== undefined && b !== null && typeof b !== 'object' && String(a) === String(b))
}

function join(path: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`
}

/**
 * The render's shape with the server's values: what a dry-run apply says each rendered field
 * becomes (normalised quantities, dropped empty fields), so only real differences remain.
 */
export function projectOnto(rendered: unknown, server: unknown): unknown {
  if (Array.isArray(rendered)) {
    if (!Array.isArray(server)) return undefined
    if (rendered.every(named)) return rendered.map((item) => projectOnto(item, server.find((x) => named(x) && x.name === item.name)))
    return rendered.map((item, i) => projectOnto(item, server[i]))
  }
  if (rendered !== null && typeof rendered === 'object') {
    if (server === null || typeof server !== 'object' || Array.isArray(server)) return undefined
    return Object.fromEntries(Object.keys(rendered).map((k) => [k, projectOnto((rendered as Record<string, unknown>)[k], (server as Record<string, unknown>)[k])]))
  }
  return server
}

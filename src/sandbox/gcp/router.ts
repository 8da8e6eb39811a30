import type {SimContext} from './context.js'

export interface SimRequest {
  readonly method: string
  readonly params: Readonly<Record<string, string>>
  readonly query: URLSearchParams
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- request bodies are untyped JSON
  readonly body: any
}

export type Handler = (ctx: SimContext, req: SimRequest) => Promise<object> | object

export interface Route {
  readonly method: string
  /** Route name as gcloud's API method ids spell them, e.g. `compute.networks.list`. */
  readonly name: string
  readonly pattern: RegExp
  readonly handler: Handler
}

/** `/compute/v1/projects/{project}/global/networks/{network}` → a regex with named groups. */
export function route(method: string, name: string, template: string, handler: Handler): Route {
  const source = template.replace(/[.:$]/g, (c) => `\\${c}`).replace(/\{(\w+)\}/g, (_, n: string) => `(?<${n}>[^/:]+)`)
  return {method, name, pattern: new RegExp(`^${source}$`), handler}
}

export function match(routes: readonly Route[], method: string, path: string): {route: Route; params: Record<string, string>} | undefined {
  for (const r of routes) {
    if (r.method !== method) continue
    const m = r.pattern.exec(path)
    if (m) return {route: r, params: {...m.groups}}
  }
  return undefined
}

/** Compute list paging: `maxResults` (≤ 500) and an opaque `pageToken` (an offset here). */
export function page<T>(items: readonly T[], query: URLSearchParams): {items: T[]; nextPageToken?: string} {
  const max = Math.min(500, Number(query.get('maxResults') || 500) || 500)
  const start = Number(query.get('pageToken') ? Buffer.from(query.get('pageToken')!, 'base64url').toString() : 0) || 0
  const slice = items.slice(start, start + max)
  return start + max < items.length ? {items: slice, nextPageToken: Buffer.from(String(start + max)).toString('base64url')} : {items: slice}
}

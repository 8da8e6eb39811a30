import {createHash} from 'node:crypto'

import type {SimContext} from './context.js'
import {GoogleApiError, badRequest, invalid} from './errors.js'
import {route, type Route} from './router.js'
import type {SecretRecord} from './state.js'

const P = '/v1/projects/{project}/secrets'
/** Secret ids: letters, digits, `-` and `_`, 1 to 255. */
const SECRET_ID = /^[A-Za-z0-9_-]{1,255}$/
/** Version aliases: lowercase letters, digits, `-`, `_`, starting with a letter, at most 63. */
const ALIAS = /^[a-z][a-z0-9_-]{0,62}$/
/** The API's limit on one payload. */
const MAX_PAYLOAD = 64 * 1024

const key = (project: string, id: string) => `${project}/${id}`

const notFound = (what: string) => new GoogleApiError(404, 'notFound', `${what} not found or has no versions.`)

function secretOf(ctx: SimContext, project: string, id: string): SecretRecord {
  const s = ctx.state.secrets[key(project, id)]
  if (!s) throw new GoogleApiError(404, 'notFound', `Secret [projects/${project}/secrets/${id}] not found.`)
  return s
}

function secretView(project: string, s: SecretRecord): object {
  return {
    name: `projects/${project}/secrets/${s.name}`,
    replication: {automatic: {}},
    createTime: new Date(s.created).toISOString(),
    labels: {...s.labels},
    ...(Object.keys(s.annotations).length > 0 ? {annotations: {...s.annotations}} : {}),
    ...(Object.keys(s.versionAliases).length > 0 ? {versionAliases: {...s.versionAliases}} : {}),
    etag: `"${s.etag}"`,
  }
}

function versionView(project: string, s: SecretRecord, v: SecretRecord['versions'][number]): object {
  return {
    name: `projects/${project}/secrets/${s.name}/versions/${v.number}`,
    createTime: new Date(v.created).toISOString(),
    state: v.state,
    replicationStatus: {automatic: {}},
    etag: `"${s.etag}"`,
    // gcloud checks that a checksum it sent was verified.
    ...(v.checksummed ? {clientSpecifiedPayloadChecksum: true} : {}),
    ...(v.state === 'DESTROYED' ? {destroyTime: new Date(v.created).toISOString()} : {}),
  }
}

/** `latest` (the newest enabled), a number, or an alias. */
function versionOf(s: SecretRecord, project: string, ref: string) {
  const where = `Secret Version [projects/${project}/secrets/${s.name}/versions/${ref}]`
  if (ref === 'latest') {
    const enabled = s.versions.filter((v) => v.state === 'ENABLED')
    if (enabled.length === 0) throw notFound(where)
    return enabled[enabled.length - 1]!
  }
  const number = /^\d+$/.test(ref) ? Number(ref) : Number(s.versionAliases[ref] ?? NaN)
  const v = s.versions.find((x) => x.number === number)
  if (!v) throw notFound(where)
  return v
}

function touch(s: SecretRecord): void {
  s.etag = createHash('sha256').update(`${s.etag}/${Date.now()}/${Math.random()}`).digest('base64url').slice(0, 16)
}

function stringMap(value: unknown, what: string): Record<string, string> {
  if (value === undefined || value === null) return {}
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(`${what} must be a map of strings.`)
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, String(v)]))
}

function crc32c(data: Buffer): string {
  let crc = 0xffffffff
  for (const byte of data) {
    crc ^= byte
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1
  }
  return String((crc ^ 0xffffffff) >>> 0)
}

/**
 * The Secret Manager v1 REST subset mcfed and gcloud use: secrets created, read, listed (with a
 * `labels.K=V` filter), patched (labels, annotations, version aliases), deleted; versions added,
 * accessed (by number, alias or `latest`), listed, destroyed.
 */
export const secretManagerRoutes: Route[] = [
  route('POST', 'secretmanager.projects.secrets.create', P, (ctx, {params, query, body}) => {
    const id = query.get('secretId') ?? ''
    if (!SECRET_ID.test(id)) throw badRequest(`Invalid secret id "${id}": letters, digits, - and _ only, at most 255.`)
    if (ctx.state.secrets[key(params.project!, id)]) throw new GoogleApiError(409, 'alreadyExists', `Secret [projects/${params.project}/secrets/${id}] already exists.`)
    if (!body?.replication) throw invalid('Secret.replication is required.')
    const s: SecretRecord = {name: id, labels: stringMap(body.labels, 'labels'), annotations: stringMap(body.annotations, 'annotations'), versionAliases: {}, created: ctx.now(), etag: '', versions: []}
    touch(s)
    ctx.state.secrets[key(params.project!, id)] = s
    ctx.persist()
    return secretView(params.project!, s)
  }),
  route('GET', 'secretmanager.projects.secrets.list', P, (ctx, {params, query}) => {
    const filter = query.get('filter') ?? ''
    const wanted = [...filter.matchAll(/labels\.([\w.-]+)\s*[:=]\s*"?([^\s"]+)"?/g)].map((m) => [m[1]!, m[2]!] as const)
    const all = Object.entries(ctx.state.secrets)
      .filter(([k, s]) => k.startsWith(`${params.project}/`) && wanted.every(([lk, lv]) => s.labels[lk] === lv))
      .map(([, s]) => s)
      .sort((a, b) => (a.name < b.name ? -1 : 1))
    const size = Math.min(25_000, Number(query.get('pageSize') || 25_000) || 25_000)
    const start = Number(query.get('pageToken') ? Buffer.from(query.get('pageToken')!, 'base64url').toString() : 0) || 0
    const secrets = all.slice(start, start + size).map((s) => secretView(params.project!, s))
    return {secrets, totalSize: all.length, ...(start + size < all.length ? {nextPageToken: Buffer.from(String(start + size)).toString('base64url')} : {})}
  }),
  route('GET', 'secretmanager.projects.secrets.get', `${P}/{secret}`, (ctx, {params}) => secretView(params.project!, secretOf(ctx, params.project!, params.secret!))),
  route('PATCH', 'secretmanager.projects.secrets.patch', `${P}/{secret}`, (ctx, {params, query, body}) => {
    const s = secretOf(ctx, params.project!, params.secret!)
    const mask = (query.get('updateMask') ?? '').split(',').filter(Boolean)
    if (mask.length === 0) throw invalid('updateMask is required.')
    for (const field of mask) {
      if (field === 'labels') s.labels = stringMap(body?.labels, 'labels')
      else if (field === 'annotations') s.annotations = stringMap(body?.annotations, 'annotations')
      else if (field === 'versionAliases' || field === 'version_aliases') {
        const aliases = stringMap(body?.versionAliases, 'versionAliases')
        for (const [alias, number] of Object.entries(aliases)) {
          if (!ALIAS.test(alias)) throw invalid(`Invalid version alias "${alias}".`)
          const v = s.versions.find((x) => String(x.number) === number)
          if (!v || v.state === 'DESTROYED') throw new GoogleApiError(400, 'failedPrecondition', `Version ${number} of secret ${s.name} does not exist or is destroyed.`, 'FAILED_PRECONDITION')
        }
        s.versionAliases = aliases
      } else throw invalid(`updateMask field "${field}" is not supported by the sandbox.`)
    }
    touch(s)
    ctx.persist()
    return secretView(params.project!, s)
  }),
  route('DELETE', 'secretmanager.projects.secrets.delete', `${P}/{secret}`, (ctx, {params}) => {
    secretOf(ctx, params.project!, params.secret!)
    delete ctx.state.secrets[key(params.project!, params.secret!)]
    ctx.persist()
    return {}
  }),
  route('POST', 'secretmanager.projects.secrets.addVersion', `${P}/{secret}:addVersion`, (ctx, {params, body}) => {
    const s = secretOf(ctx, params.project!, params.secret!)
    const data = body?.payload?.data
    if (typeof data !== 'string') throw invalid('SecretPayload.data is required.')
    const bytes = Buffer.from(data, 'base64')
    if (bytes.length > MAX_PAYLOAD) throw invalid(`Secret payload is larger than ${MAX_PAYLOAD} bytes.`)
    if (body.payload.dataCrc32c !== undefined && String(body.payload.dataCrc32c) !== crc32c(bytes)) throw invalid('Checksum mismatch: the data_crc32c does not match the data.')
    const v = {number: (s.versions.at(-1)?.number ?? 0) + 1, state: 'ENABLED' as const, data, created: ctx.now(), checksummed: body.payload.dataCrc32c !== undefined}
    s.versions.push(v)
    touch(s)
    ctx.persist()
    return versionView(params.project!, s, v)
  }),
  route('GET', 'secretmanager.projects.secrets.versions.list', `${P}/{secret}/versions`, (ctx, {params}) => {
    const s = secretOf(ctx, params.project!, params.secret!)
    return {versions: [...s.versions].reverse().map((v) => versionView(params.project!, s, v)), totalSize: s.versions.length}
  }),
  route('GET', 'secretmanager.projects.secrets.versions.get', `${P}/{secret}/versions/{version}`, (ctx, {params}) => {
    const s = secretOf(ctx, params.project!, params.secret!)
    return versionView(params.project!, s, versionOf(s, params.project!, params.version!))
  }),
  route('GET', 'secretmanager.projects.secrets.versions.access', `${P}/{secret}/versions/{version}:access`, (ctx, {params}) => {
    const s = secretOf(ctx, params.project!, params.secret!)
    const v = versionOf(s, params.project!, params.version!)
    if (v.state !== 'ENABLED' || v.data === null) throw new GoogleApiError(400, 'failedPrecondition', `Secret Version [projects/${params.project}/secrets/${s.name}/versions/${v.number}] is in ${v.state} state.`, 'FAILED_PRECONDITION')
    return {name: `projects/${params.project}/secrets/${s.name}/versions/${v.number}`, payload: {data: v.data, dataCrc32c: crc32c(Buffer.from(v.data, 'base64'))}}
  }),
  route('POST', 'secretmanager.projects.secrets.versions.destroy', `${P}/{secret}/versions/{version}:destroy`, (ctx, {params}) => {
    const s = secretOf(ctx, params.project!, params.secret!)
    const v = versionOf(s, params.project!, params.version!)
    v.state = 'DESTROYED'
    v.data = null
    s.versionAliases = Object.fromEntries(Object.entries(s.versionAliases).filter(([, n]) => n !== String(v.number)))
    touch(s)
    ctx.persist()
    return versionView(params.project!, s, v)
  }),
]

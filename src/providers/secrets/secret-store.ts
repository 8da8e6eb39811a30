import {createRequire} from 'node:module'

import type {SecretManagerServiceClient} from '@google-cloud/secret-manager/build/src/v1/secret_manager_service_client.js'

import {ProviderError} from '../../diagnostics/errors.js'
import {clientOptions, type GcpTarget} from '../gcp/client.js'
import {classify} from '../gcp/errors.js'
import {loadGoogleListSdk} from '../gcp/google-sdk.js'

/** One secret mcfed keeps in the store, as listed: its id, labels and version aliases. */
export interface StoredSecret {
  readonly id: string
  readonly labels: Readonly<Record<string, string>>
  /** alias → version number. */
  readonly aliases: Readonly<Record<string, number>>
}

/** Where GitOps mode keeps what must not be in Git; a narrow port so the core never sees a client. */
export interface SecretStore {
  /** Secrets carrying all these labels. */
  list(labels: Readonly<Record<string, string>>): Promise<StoredSecret[]>
  /** Adds `data` as a new version of secret `id` (created with `labels` when missing) and points `alias` at it. */
  put(id: string, labels: Readonly<Record<string, string>>, alias: string, data: Buffer): Promise<number>
  /** The version an alias names (or `latest`). */
  read(id: string, version: string): Promise<Buffer | undefined>
  /** Destroys the version `alias` names and drops the alias; deletes the secret when it has no alias left. */
  drop(id: string, alias: string): Promise<void>
  close(): Promise<void>
}

const require = createRequire(import.meta.url)

/**
 * Google Secret Manager through Google's own Node client (REST transport, like mcfed's other
 * Google clients), in the project the federation lives in; the sandbox's simulator serves the
 * same API. Errors name the secret and the API's reason.
 */
export function secretManagerStore(target: GcpTarget, project: string): SecretStore {
  const {SecretManagerServiceClient: Client} = require('@google-cloud/secret-manager/build/src/v1/secret_manager_service_client.js') as {SecretManagerServiceClient: typeof SecretManagerServiceClient}
  const client = new Client(clientOptions(loadGoogleListSdk(), target) as ConstructorParameters<typeof Client>[0])
  const parent = `projects/${project}`
  const name = (id: string) => `${parent}/secrets/${id}`
  // Credentials are resolved once, before any call: were they missing, a call made on a client whose
  // stub failed would throw outside every promise this code awaits and end the process.
  let ready: Promise<unknown> | undefined
  /** `id` undefined: the call is about the project's secrets, not one of them. */
  const failing = async <T>(what: string, id: string | undefined, call: () => Promise<T>): Promise<T> => {
    try {
      await (ready ??= client.initialize())
      return await call()
    } catch (e) {
      const f = classify(e)
      throw new ProviderError(`Secret Manager: ${what} ${id === undefined ? parent : name(id)} failed: ${f.message.split('\n')[0]}`, {
        resource: id === undefined ? parent : `secret ${id}`,
        reason: f.reason ?? String(f.status ?? 'unknown'),
        hint: f.status === 403 ? 'the credentials mcfed runs with need roles/secretmanager.admin on the project' : 'check that the Secret Manager API is enabled in the project, then apply again',
      })
    }
  }
  /** The HTTP status of a failed call, whichever transport made it. */
  const code = (e: unknown) => classify(e).status
  const aliasesOf = (s: {versionAliases?: Record<string, unknown> | null}) => Object.fromEntries(Object.entries(s.versionAliases ?? {}).map(([k, v]) => [k, Number(v)]))
  return {
    async list(labels) {
      const filter = Object.entries(labels)
        .map(([k, v]) => `labels.${k}=${v}`)
        .join(' AND ')
      const [secrets] = await failing('listing the secrets of', undefined, () => client.listSecrets({parent, filter}, {autoPaginate: true}))
      return secrets.map((s) => ({id: String(s.name).split('/').pop()!, labels: {...(s.labels ?? {})}, aliases: aliasesOf(s)}))
    },
    async put(id, labels, alias, data) {
      await failing('creating', id, async () => {
        try {
          await client.createSecret({parent, secretId: id, secret: {replication: {automatic: {}}, labels: {...labels}}})
        } catch (e) {
          if (code(e) !== 409) throw e // a run before this one made it
        }
      })
      const [version] = await failing('adding a version to', id, () => client.addSecretVersion({parent: name(id), payload: {data}}))
      const number = Number(String(version.name).split('/').pop())
      const [secret] = await failing('reading', id, () => client.getSecret({name: name(id)}))
      await failing('aliasing a version of', id, () => client.updateSecret({secret: {name: name(id), versionAliases: {...aliasesOf(secret), [alias]: number}}, updateMask: {paths: ['version_aliases']}}))
      return number
    },
    async read(id, version) {
      try {
        const [access] = await client.accessSecretVersion({name: `${name(id)}/versions/${version}`})
        const data = access.payload?.data
        return data === undefined || data === null ? undefined : Buffer.from(data as Uint8Array)
      } catch (e) {
        if (code(e) === 404 || code(e) === 400) return undefined // no such alias, or a destroyed version
        return failing('reading', id, () => Promise.reject(e))
      }
    },
    async drop(id, alias) {
      let secret
      try {
        ;[secret] = await client.getSecret({name: name(id)})
      } catch (e) {
        if (code(e) === 404) return
        return failing('reading', id, () => Promise.reject(e))
      }
      const aliases = aliasesOf(secret)
      const number = aliases[alias]
      const left = Object.fromEntries(Object.entries(aliases).filter(([a]) => a !== alias))
      if (Object.keys(left).length === 0) {
        await failing('deleting', id, () => client.deleteSecret({name: name(id)}))
        return
      }
      await failing('dropping an alias of', id, () => client.updateSecret({secret: {name: name(id), versionAliases: left}, updateMask: {paths: ['version_aliases']}}))
      if (number !== undefined) await failing('destroying a version of', id, () => client.destroySecretVersion({name: `${name(id)}/versions/${number}`}))
    },
    // A client whose credentials never resolved has nothing to close, and its close would only repeat why.
    close: () => client.close().catch(() => undefined),
  }
}

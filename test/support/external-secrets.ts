import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import type {MeshClusters} from './mesh-clusters.js'

interface ExternalSecretObject {
  metadata: {namespace: string}
  spec: {
    target: {name: string; template: {type: string; metadata: {labels?: Record<string, string>; annotations?: Record<string, string>}}}
    data: {secretKey: string; remoteRef: {key: string; version: string; property?: string}}[]
  }
}

/**
 * An External Secrets stand-in that knows nothing of Linkerd or mcfed: each ExternalSecret in the
 * cluster becomes the Secret it names, with its template's type and metadata, from what `gcloud
 * secrets versions access` reads. `property` is read as External Secrets reads it: a path of
 * dot-separated keys into the secret's JSON. ExternalSecrets `skip` accepts are left alone; returns
 * the Secrets made, as `namespace/name`.
 */
export async function syncExternalSecrets(mesh: MeshClusters, cluster: string, gcloud: (args: string[]) => Promise<string>, work: string, skip: (name: string) => boolean = () => false): Promise<string[]> {
  const items = JSON.parse(await mesh.kubectl(cluster, 'get', 'externalsecrets.external-secrets.io', '-A', '-o', 'json')).items as ExternalSecretObject[]
  const made: string[] = []
  for (const es of items.filter((x) => !skip(x.spec.target.name))) {
    const values = new Map<string, Promise<string>>()
    const read = (key: string, version: string) => {
      const id = `${key}@${version}`
      if (!values.has(id)) values.set(id, gcloud(['secrets', 'versions', 'access', version, `--secret=${key}`]))
      return values.get(id)!
    }
    let entries: (readonly [string, string])[]
    try {
      entries = await readAll(es, read)
    } catch (e) {
      // As External Secrets does with a secret the store does not hold yet: that one waits, the others sync.
      if (/NOT_FOUND/.test(String((e as {stderr?: string}).stderr ?? e))) continue
      throw e
    }
    const secret = {apiVersion: 'v1', kind: 'Secret', type: es.spec.target.template.type, metadata: {name: es.spec.target.name, namespace: es.metadata.namespace, ...es.spec.target.template.metadata}, data: Object.fromEntries(entries)}
    const file = join(work, `stand-in-${cluster}.json`)
    writeFileSync(file, JSON.stringify(secret), {mode: 0o600})
    await mesh.kubectl(cluster, 'apply', '--server-side', '--force-conflicts', '--field-manager', 'external-secrets', '-f', file)
    made.push(`${es.metadata.namespace}/${es.spec.target.name}`)
  }
  return made
}

function readAll(es: ExternalSecretObject, read: (key: string, version: string) => Promise<string>): Promise<(readonly [string, string])[]> {
  return Promise.all(
      es.spec.data.map(async (d) => {
        const raw = await read(d.remoteRef.key, d.remoteRef.version)
        const value = d.remoteRef.property ? d.remoteRef.property.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], JSON.parse(raw)) : raw
        if (typeof value !== 'string') throw new Error(`${d.remoteRef.key} version ${d.remoteRef.version} has no property ${d.remoteRef.property}`)
        return [d.secretKey, Buffer.from(value).toString('base64')] as const
      }),
    )
}

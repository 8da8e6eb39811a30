import type {V1Secret} from '@kubernetes/client-node'

import {credentialValidity} from '../../../graph/desired-credentials.js'
import {STORE_LABELS} from '../../../gitops/secret-store.js'
import {credentialSecretMetadata} from '../../../linkerd/objects/credential.js'
import {REMOTE_KUBECONFIG_SECRET_TYPE, generationSecretName} from '../../../linkerd/names.js'
import type {FederationSpec} from '../../../spec/types.js'
import type {SecretStore} from '../../secrets/secret-store.js'

const GENERATION_ALIAS = /^g(\d+)$/

/**
 * GitOps mode: the link credential generations the store holds, by consumer, as the Secrets the
 * tree's ExternalSecrets make of them. A plan reads them as the consumer's own: the generation
 * apply wrote is the one the tree names, before and after the engine and External Secrets sync,
 * so a render or plan between the two never moves the Links to a generation nobody minted.
 */
export async function storedCredentialSecrets(store: SecretStore, spec: FederationSpec, owner: Readonly<Record<string, string>>): Promise<Map<string, V1Secret[]>> {
  const listed = await store.list({[STORE_LABELS.federation]: spec.metadata.name})
  const validity = credentialValidity(spec)
  const out = new Map<string, V1Secret[]>()
  await Promise.all(
    listed.flatMap((s) => {
      const consumer = s.labels[STORE_LABELS.consumer]
      const link = s.labels[STORE_LABELS.link]
      const target = s.labels[STORE_LABELS.target]
      if (!consumer || !link || !target) return []
      return Object.keys(s.aliases).flatMap((alias) => {
        const generation = Number(GENERATION_ALIAS.exec(alias)?.[1])
        if (!generation) return []
        return [
          (async () => {
            const kubeconfig = await store.read(s.id, alias)
            if (!kubeconfig) return
            const attributes = {link, generation, target_cluster: target, secret: generationSecretName(link, generation), validity}
            const metadata = credentialSecretMetadata(attributes, consumer, owner)
            const secret: V1Secret = {apiVersion: 'v1', kind: 'Secret', type: REMOTE_KUBECONFIG_SECRET_TYPE, metadata, data: {kubeconfig: kubeconfig.toString('base64')}}
            out.set(consumer, [...(out.get(consumer) ?? []), secret])
          })(),
        ]
      })
    }),
  )
  return out
}

/** A consumer's Secrets with the stored generations it does not hold yet (the engine has not synced them). */
export function withStoredCredentials(owned: readonly V1Secret[], stored: readonly V1Secret[] | undefined): V1Secret[] {
  if (!stored?.length) return [...owned]
  const held = new Set(owned.map((s) => `${s.metadata?.namespace}/${s.metadata?.name}`))
  return [...owned, ...stored.filter((s) => !held.has(`${s.metadata?.namespace}/${s.metadata?.name}`))]
}

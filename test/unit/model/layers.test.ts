import {describe, expect, test} from 'vitest'

import {selectedLayers} from '../../../src/cli/target.js'
import {inLayers, providerLayers} from '../../../src/model/kinds.js'

describe('--layer credentials', () => {
  test('selects exactly what GitOps mode keeps in the secret store, and reads it through the kube provider', () => {
    const layers = selectedLayers('credentials')!
    expect(inLayers('linkerd_link_credential', layers)).toBe(true)
    expect(inLayers('linkerd_issuer', layers)).toBe(true)
    expect(inLayers('linkerd_webhook_tls', layers)).toBe(true)
    for (const kind of ['linkerd_link', 'linkerd_control_plane', 'service_label', 'gke_cluster'] as const) expect(inLayers(kind, layers), kind).toBe(false)
    expect(providerLayers(layers)).toEqual(['kube'])
  })

  test('with gcp it is what GitOps mode applies: GCP and credentials, nothing the tree holds', () => {
    const layers = selectedLayers(['gcp,credentials'])!
    expect(inLayers('gke_cluster', layers)).toBe(true)
    expect(inLayers('linkerd_link_credential', layers)).toBe(true)
    expect(inLayers('linkerd_multicluster', layers)).toBe(false)
    expect(providerLayers(layers)).toEqual(['gcp', 'kube'])
  })

  test('an unknown layer names the ones there are', () => {
    let error: (Error & {hint?: string}) | undefined
    try {
      selectedLayers('secrets')
    } catch (e) {
      error = e as Error & {hint?: string}
    }
    expect(error?.message).toBe('unknown layer secrets')
    expect(error?.hint).toBe('layers are gcp, kube, credentials')
  })
})

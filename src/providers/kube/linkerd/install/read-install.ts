import type {V1Secret} from '@kubernetes/client-node'

import {ProviderError} from '../../../../diagnostics/errors.js'
import type {InstallFacts} from '../../../../graph/facts.js'
import type {ObservedResource} from '../../../../graph/resource.js'
import {controlPlaneValues, multiclusterValues} from '../../../../linkerd/install/values.js'
import type {FederationSpec} from '../../../../spec/types.js'
import type {KubeClient} from '../../client.js'
import {planCertificates} from './certificates.js'
import {readComponents} from './read-components.js'
import type {ComponentRenderer} from './render.js'
import {observeWebhookTls} from './webhook-tls.js'

/**
 * One cluster's `install: mcfed` state: the webhook certificates, and each component rendered for
 * this plan (with the live issuer and webhook CA, so the render is what apply will produce) beside
 * what mcfed applied of it before.
 */
export async function readInstall(
  client: KubeClient,
  spec: FederationSpec,
  cluster: string,
  ownedSecrets: readonly V1Secret[],
  renderer: ComponentRenderer | undefined,
  anchorPem: string | undefined,
): Promise<{resources: ObservedResource[]; facts?: InstallFacts}> {
  const webhook = observeWebhookTls(cluster, spec, ownedSecrets)
  const resources = webhook ? [webhook] : []
  if (!renderer) return {resources}
  const certs = await planCertificates(anchorPem, ownedSecrets)
  let renders
  try {
    renders = await Promise.all([
      renderer.render('crds'),
      renderer.render('control-plane', controlPlaneValues(spec, cluster, certs.certs)),
      renderer.render('multicluster', multiclusterValues(spec, cluster)),
    ])
  } catch (e) {
    // Not the cluster's fault: the CLI refused or failed. Say so rather than call the cluster unreachable.
    throw new ProviderError(`rendering Linkerd for ${cluster} failed: ${(e as Error).message}`, {hint: `check that ${renderer.cliPath} is the linkerd CLI of spec.linkerd.version`})
  }
  const [crds, controlPlane, multicluster] = renders
  const read = await readComponents(client, spec, cluster, {crds, 'control-plane': controlPlane, multicluster}, {issuerFingerprint: certs.issuerFingerprint, webhookCaFingerprint: certs.webhookCaFingerprint})
  return {
    resources: [...resources, ...read.resources],
    facts: {...read.facts, issuerCertificate: certs.issuerFingerprint, webhookCa: certs.webhookCaFingerprint},
  }
}

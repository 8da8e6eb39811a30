import type {V1Secret} from '@kubernetes/client-node'

import {LINKERD_NAMESPACE, WEBHOOK_TLS} from '../../../../linkerd/names.js'
import {secretValue} from '../../secret-data.js'

/** The webhook CA, as the control-plane values need it (`caBundle`). */
export function webhookCaPem(ownedSecrets: readonly V1Secret[]): string | undefined {
  const secret = ownedSecrets.find((s) => s.metadata?.namespace === LINKERD_NAMESPACE && s.metadata?.name === WEBHOOK_TLS[0].secret)
  return secretValue(secret, 'ca.crt')
}

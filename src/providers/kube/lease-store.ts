import {parseLease, type LeaseHolder, type LeaseStore} from '../lease.js'
import type {KubeClient} from './client.js'
import {statusOf} from './errors.js'

const LEASE_ANNOTATION = 'mcfed.io/lease'
const NAMESPACE = 'kube-system'

/**
 * The federation lease as a coordination.k8s.io Lease in one cluster, for federations that have no
 * GCP project to hold it (every cluster given by kubeContext). The Lease's own fields show the
 * holder to kubectl; mcfed's record is in an annotation. Updates carry the resourceVersion read, so
 * the API server refuses a write that lost a race (409), as the project metadata's fingerprint does.
 */
export class KubeLeaseStore implements LeaseStore {
  readonly where: string
  private readonly name: string

  constructor(
    private readonly client: KubeClient,
    cluster: string,
    federation: string,
  ) {
    this.name = `mcfed-lock-${federation}`
    this.where = `Lease ${NAMESPACE}/${this.name} of cluster ${cluster}`
  }

  async read(): Promise<{lease: LeaseHolder | undefined; version: string}> {
    const object = await this.client.readObject('coordination.k8s.io/v1', 'Lease', this.name, NAMESPACE)
    return {lease: parseLease(object?.metadata?.annotations?.[LEASE_ANNOTATION]), version: object?.metadata?.resourceVersion ?? ''}
  }

  async write(version: string, lease: LeaseHolder | undefined): Promise<boolean> {
    if (!lease) {
      await this.client.deleteRendered({apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: {name: this.name, namespace: NAMESPACE}})
      return true
    }
    const object = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {name: this.name, namespace: NAMESPACE, annotations: {[LEASE_ANNOTATION]: JSON.stringify(lease)}, ...(version ? {resourceVersion: version} : {})},
      spec: {
        holderIdentity: lease.holder,
        leaseDurationSeconds: Math.round((Date.parse(lease.expires_at) - Date.parse(lease.acquired_at)) / 1000),
        acquireTime: microTime(lease.acquired_at),
        renewTime: microTime(new Date().toISOString()),
      },
    }
    try {
      if (!version) {
        // Two runs may both find no Lease: the API server creates it once, and reading back tells who won.
        await this.client.createIfMissing(object)
        return (await this.read()).lease?.holder === lease.holder
      }
      await this.client.applyRendered(object)
      return true
    } catch (e) {
      if (statusOf(e) === 409) return false
      throw e
    }
  }
}

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
function microTime(iso: string): string {
  return iso.replace(/\.(\d{3})Z$/, '.$1000Z')
}

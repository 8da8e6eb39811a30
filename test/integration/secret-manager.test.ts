import {afterAll, beforeAll, describe, expect, test} from 'vitest'

import {secretManagerStore} from '../../src/providers/secrets/secret-store.js'
import {startGcpSimulator, type GcpSimulator} from '../../src/sandbox/gcp/server.js'
import {gcloudFor} from '../support/gcloud.js'

/**
 * The simulator's Secret Manager API, proven with the real gcloud CLI (an independent client):
 * what mcfed's GitOps credentials will write there must read back the way External Secrets and
 * gcloud read it.
 */
let sim: GcpSimulator
let gcloud: (args: string[], input?: string) => Promise<string>

beforeAll(async () => {
  sim = await startGcpSimulator({operationMs: 10, clusterOperationMs: 10, waitCapMs: 500})
  gcloud = await gcloudFor(sim.url, 'my-project')
})
afterAll(async () => {
  await sim?.close()
})

const fails = async (args: string[]) => {
  try {
    await gcloud(args)
    return ''
  } catch (e) {
    return String((e as {stderr?: string}).stderr)
  }
}

describe('Secret Manager in the simulator, through gcloud', () => {
  test('create with labels, add versions, alias them, access by number, alias and latest, list by label, destroy, delete', {timeout: 120_000}, async () => {
    await gcloud(['secrets', 'create', 'mcfed-demo-west-east', '--labels=mcfed-federation=demo,other=x', '--replication-policy=automatic'])
    await gcloud(['secrets', 'create', 'unrelated', '--labels=mcfed-federation=elsewhere', '--replication-policy=automatic'])
    expect(await fails(['secrets', 'create', 'mcfed-demo-west-east', '--replication-policy=automatic'])).toMatch(/already exists/)
    // gcloud sends a CRC32C of the payload and refuses a version the server did not check it for.
    const add = (data: string) => gcloud(['secrets', 'versions', 'add', 'mcfed-demo-west-east', '--data-file=-'], data)
    expect(await add('generation one')).toMatch(/Created version \[1\]/)
    expect(await add('generation two')).toMatch(/Created version \[2\]/)
    await gcloud(['secrets', 'update', 'mcfed-demo-west-east', '--update-version-aliases=g1=1,g2=2'])
    expect(await gcloud(['secrets', 'versions', 'access', 'g1', '--secret=mcfed-demo-west-east'])).toBe('generation one')
    expect(await gcloud(['secrets', 'versions', 'access', 'latest', '--secret=mcfed-demo-west-east'])).toBe('generation two')
    expect(await gcloud(['secrets', 'versions', 'access', '2', '--secret=mcfed-demo-west-east'])).toBe('generation two')
    const listed = JSON.parse(await gcloud(['secrets', 'list', '--filter=labels.mcfed-federation=demo', '--format=json'])) as {name: string; labels: Record<string, string>; versionAliases?: Record<string, string>}[]
    expect(listed.map((s) => s.name)).toEqual(['projects/my-project/secrets/mcfed-demo-west-east'])
    expect(listed[0]!.versionAliases).toEqual({g1: '1', g2: '2'})
    await gcloud(['secrets', 'versions', 'destroy', '1', '--secret=mcfed-demo-west-east'])
    expect(await fails(['secrets', 'versions', 'access', '1', '--secret=mcfed-demo-west-east'])).toMatch(/DESTROYED/)
    expect(await fails(['secrets', 'versions', 'access', 'g1', '--secret=mcfed-demo-west-east'])).toMatch(/not found/)
    const versions = JSON.parse(await gcloud(['secrets', 'versions', 'list', 'mcfed-demo-west-east', '--format=json'])) as {name: string; state: string}[]
    expect(versions.map((v) => [v.name.split('/').pop(), v.state])).toEqual([
      ['2', 'ENABLED'],
      ['1', 'DESTROYED'],
    ])
    await gcloud(['secrets', 'delete', 'mcfed-demo-west-east'])
    expect(await fails(['secrets', 'describe', 'mcfed-demo-west-east'])).toMatch(/NOT_FOUND|not found/)
  })

  test("mcfed's store, through Google's own Node client: generations as aliased versions, read back by gcloud; dropping the last deletes the secret", {timeout: 120_000}, async () => {
    const store = secretManagerStore({kind: 'sandbox', url: sim.url}, 'my-project')
    try {
      const labels = {'mcfed-federation': 'demo', 'mcfed-link': 'east'}
      expect(await store.put('mcfed-demo-north-east', labels, 'g1', Buffer.from('kubeconfig one'))).toBe(1)
      expect(await store.put('mcfed-demo-north-east', labels, 'g2', Buffer.from('kubeconfig two'))).toBe(2)
      expect((await store.read('mcfed-demo-north-east', 'g1'))?.toString()).toBe('kubeconfig one')
      expect(await gcloud(['secrets', 'versions', 'access', 'g2', '--secret=mcfed-demo-north-east'])).toBe('kubeconfig two')
      expect(await store.list({'mcfed-federation': 'demo'})).toEqual([{id: 'mcfed-demo-north-east', labels, aliases: {g1: 1, g2: 2}}])
      expect(await store.list({'mcfed-federation': 'other'})).toEqual([])
      await store.drop('mcfed-demo-north-east', 'g1')
      expect(await store.read('mcfed-demo-north-east', 'g1')).toBeUndefined()
      expect(await fails(['secrets', 'versions', 'access', '1', '--secret=mcfed-demo-north-east'])).toMatch(/DESTROYED/)
      await store.drop('mcfed-demo-north-east', 'g2')
      expect(await fails(['secrets', 'describe', 'mcfed-demo-north-east'])).toMatch(/NOT_FOUND|not found/)
      await store.drop('mcfed-demo-north-east', 'g2')
    } finally {
      await store.close()
    }
  })
})

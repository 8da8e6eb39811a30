import {randomBytes} from 'node:crypto'
import {getHeapSnapshot} from 'node:v8'

import {describe, expect, it} from 'vitest'

import {kubeconfigCredentials, linkKubeconfig} from '../../../../../src/providers/kube/linkerd/kubeconfig.js'

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'

describe('kubeconfigCredentials', () => {
  it('reads back what mcfed writes into a Link credentials Secret', () => {
    const text = linkKubeconfig({link: 'east', server: 'https://192.0.2.10:6443', caPem: CA, user: 'mcfed-link-west-east', token: 'tok.en-1'})
    expect(kubeconfigCredentials(text)).toEqual({server: 'https://192.0.2.10:6443', caPem: CA, token: 'tok.en-1'})
  })

  it('follows the current context among several, as kubectl does, in YAML or JSON', () => {
    const config = {
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'b',
      clusters: [
        {name: 'ca', cluster: {server: 'https://a.example:443'}},
        {name: 'cb', cluster: {server: 'https://b.example:443', 'certificate-authority-data': Buffer.from(CA).toString('base64')}},
      ],
      users: [
        {name: 'ua', user: {token: 'a'}},
        {name: 'ub', user: {token: '0123'}},
      ],
      contexts: [
        {name: 'a', context: {cluster: 'ca', user: 'ua'}},
        {name: 'b', context: {cluster: 'cb', user: 'ub'}},
      ],
    }
    // A token of digits stays a string (YAML's core schema would read a plain 0123 as a number; kubectl quotes it).
    const yaml = linkKubeconfig({link: 'x', server: 'https://x:1', caPem: CA, user: 'u', token: '0123'})
    expect(kubeconfigCredentials(yaml)?.token).toBe('0123')
    expect(kubeconfigCredentials(JSON.stringify(config))).toEqual({server: 'https://b.example:443', caPem: CA, token: '0123'})
  })

  it('is undefined for text that is not YAML, and empty for YAML that is not a kubeconfig', () => {
    expect(kubeconfigCredentials('{unclosed: [')).toBeUndefined()
    expect(kubeconfigCredentials('')).toBeUndefined()
    expect(kubeconfigCredentials('just: text')).toEqual({server: undefined, token: undefined})
  })

  it('keeps nothing of the Secret\'s text alive through the server it returns', {timeout: 30_000}, async () => {
    // V8 returns a substring as a slice of its parent: a server kept for the plan's life would keep
    // the whole kubeconfig, token included, for as long (one per Link in a fleet's plan).
    // Only the token's characters reversed are held while the snapshot is taken, so that the token
    // itself is in the heap only if something the parser returned keeps it.
    const reversed = randomBytes(12).toString('hex').split('').reverse().join('')
    const read = () => kubeconfigCredentials(linkKubeconfig({link: 'east', server: 'https://192.0.2.10:6443', caPem: CA, user: 'u', token: `tok-${[...reversed].reverse().join('')}`}))?.server
    const servers = [read()]
    expect(servers[0]).toBe('https://192.0.2.10:6443')
    // A heap snapshot holds only what is reachable (it collects first).
    let snapshot = ''
    for await (const chunk of getHeapSnapshot()) snapshot += chunk.toString()
    expect(snapshot.includes(`tok-${[...reversed].reverse().join('')}`)).toBe(false)
    expect(servers).toHaveLength(1)
  })
})

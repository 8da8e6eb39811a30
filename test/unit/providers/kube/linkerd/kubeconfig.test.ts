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
})

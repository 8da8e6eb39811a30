import {describe, expect, test} from 'vitest'

import {REDACTED, redactBody, redactValue} from '../../../src/log/redact.js'

const PEM_KEY = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB7zYy\n-----END EC PRIVATE KEY-----'
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2lnbmF0dXJl'

describe('redaction of logged bodies', () => {
  test('a Secret keeps its keys and loses its values', () => {
    const secret = {kind: 'Secret', metadata: {name: 'linkerd-identity-issuer'}, data: {'tls.crt': 'Y2VydA==', 'tls.key': 'a2V5'}, stringData: {kubeconfig: 'apiVersion: v1'}}
    const out = JSON.parse(redactBody(JSON.stringify(secret))) as typeof secret
    expect(out.data).toEqual({'tls.crt': REDACTED, 'tls.key': REDACTED})
    expect(out.stringData).toEqual({kubeconfig: REDACTED})
    expect(out.metadata.name).toBe('linkerd-identity-issuer')
  })

  test('tokens, keys and passwords by name, at any depth, in lists too', () => {
    const body = {access_token: 'ya29.x', items: [{status: {token: 'abc'}}], auth: {password: 'p', clientKey: 'k'}, keyFile: 'certs/root.key'}
    const out = redactValue(body) as Record<string, unknown>
    expect(out).toMatchObject({access_token: REDACTED, items: [{status: {token: REDACTED}}], auth: {password: REDACTED, clientKey: REDACTED}, keyFile: 'certs/root.key'})
    expect(JSON.stringify(out)).not.toContain('ya29')
  })

  test('PEM private keys and JWTs by shape, wherever they are, JSON or not', () => {
    expect(redactBody(JSON.stringify({manifest: `a: b\nkey: |\n${PEM_KEY}\n`}))).not.toContain('MHcCAQEEIB7zYy')
    expect(redactBody(`Authorization: Bearer ${JWT}`)).toBe(`Authorization: Bearer ${REDACTED}`)
    expect(redactBody(`plain ${PEM_KEY} text`)).toBe(`plain ${REDACTED} text`)
    // A body that is not JSON (or was cut) still loses base64-encoded PEM, as Secrets hold it.
    expect(redactBody(`{"data":{"tls.key":"${Buffer.from(PEM_KEY).toString('base64')}"`)).toBe(`{"data":{"tls.key":"${REDACTED}"`)
  })

  test('what is not secret stays readable', () => {
    const cluster = {name: 'west', endpoint: '127.0.0.1', masterAuth: {clusterCaCertificate: 'LS0tLS1CRUdJTi'}, nodeCount: 1, private: false}
    expect(redactValue(cluster)).toEqual(cluster)
  })
})

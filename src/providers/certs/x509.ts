import {webcrypto} from 'node:crypto'

import * as x509 from '@peculiar/x509'

type CryptoKeyPair = webcrypto.CryptoKeyPair

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0])

/** ECDSA P-256 with SHA-256: what Linkerd requires of anchors and issuers, and fine for API servers. */
const ALG = {name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256'} as const

export interface KeyAndCert {
  readonly certPem: string
  readonly keyPem: string
  readonly cert: x509.X509Certificate
  readonly keys: CryptoKeyPair
}

export interface CaOptions {
  readonly commonName: string
  readonly validityMs: number
  /** Path length constraint: 1 for a root that signs intermediates, 0 for an intermediate. */
  readonly pathLength: number
}

async function keyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair
}

async function pemKey(keys: CryptoKeyPair): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY')
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1')
}

const caUsages = () => new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)

export async function selfSignedCa(o: CaOptions): Promise<KeyAndCert> {
  const keys = await keyPair()
  const notBefore = new Date(Date.now() - 60_000)
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${o.commonName}`,
    notBefore,
    notAfter: new Date(notBefore.getTime() + o.validityMs),
    keys,
    signingAlgorithm: ALG,
    extensions: [new x509.BasicConstraintsExtension(true, o.pathLength, true), caUsages(), await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)],
  })
  return {certPem: cert.toString('pem'), keyPem: await pemKey(keys), cert, keys}
}

/** A certificate signed by `issuer`: an intermediate CA, or a TLS server certificate with SANs. */
export async function signed(
  issuer: KeyAndCert,
  o: {commonName: string; validityMs: number} & ({ca: true; pathLength: number} | {ca: false; dnsNames?: string[]; ips?: string[]}),
): Promise<KeyAndCert> {
  const keys = await keyPair()
  const notBefore = new Date(Date.now() - 60_000)
  const extensions: x509.Extension[] = [await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey), await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)]
  if (o.ca) {
    extensions.push(new x509.BasicConstraintsExtension(true, o.pathLength, true), caUsages())
  } else {
    extensions.push(
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([...(o.dnsNames ?? []).map((value) => ({type: 'dns' as const, value})), ...(o.ips ?? []).map((value) => ({type: 'ip' as const, value}))]),
    )
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${o.commonName}`,
    issuer: issuer.cert.subject,
    notBefore,
    notAfter: new Date(notBefore.getTime() + o.validityMs),
    signingKey: issuer.keys.privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: ALG,
    extensions,
  })
  return {certPem: cert.toString('pem'), keyPem: await pemKey(keys), cert, keys}
}

export const YEAR_MS = 365 * 24 * 3600 * 1000

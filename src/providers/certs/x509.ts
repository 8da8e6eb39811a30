import {webcrypto} from 'node:crypto'

import type * as X509 from '@peculiar/x509'

type CryptoKeyPair = webcrypto.CryptoKeyPair

/**
 * Loaded on first use: the library and its ASN.1 stack take a quarter of a second to load, which
 * validate and offline plans (which only name the kinds that issue certificates) never need.
 */
let loaded: Promise<typeof X509> | undefined
export function x509Library(): Promise<typeof X509> {
  loaded ??= import('@peculiar/x509').then((x509) => {
    x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0])
    return x509
  })
  return loaded
}

/** ECDSA P-256 with SHA-256: what Linkerd requires of anchors and issuers, and fine for API servers. */
const ALG = {name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256'} as const

export interface KeyAndCert {
  readonly certPem: string
  readonly keyPem: string
  readonly cert: X509.X509Certificate
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
  const x509 = await x509Library()
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY')
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1')
}

const caUsages = (x509: typeof X509) => new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)

export async function selfSignedCa(o: CaOptions): Promise<KeyAndCert> {
  const x509 = await x509Library()
  const keys = await keyPair()
  const notBefore = new Date(Date.now() - 60_000)
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${o.commonName}`,
    notBefore,
    notAfter: new Date(notBefore.getTime() + o.validityMs),
    keys,
    signingAlgorithm: ALG,
    extensions: [new x509.BasicConstraintsExtension(true, o.pathLength, true), caUsages(x509), await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)],
  })
  return {certPem: cert.toString('pem'), keyPem: await pemKey(keys), cert, keys}
}

/** A certificate signed by `issuer`: an intermediate CA, or a TLS server certificate with SANs. */
export async function signed(
  issuer: KeyAndCert,
  o: {commonName: string; validityMs: number} & ({ca: true; pathLength: number} | {ca: false; dnsNames?: string[]; ips?: string[]}),
): Promise<KeyAndCert> {
  const x509 = await x509Library()
  const keys = await keyPair()
  const notBefore = new Date(Date.now() - 60_000)
  const extensions: X509.Extension[] = [await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey), await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)]
  if (o.ca) {
    extensions.push(new x509.BasicConstraintsExtension(true, o.pathLength, true), caUsages(x509))
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

export {YEAR_MS} from '../../util/duration.js'

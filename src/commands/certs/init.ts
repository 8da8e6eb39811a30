import {dirname, join} from 'node:path'

import {Flags} from '@oclif/core'

import {BaseCommand, specFlag} from '../../cli/base-command.js'
import type {EnvironmentVariable} from '../../cli/environment.js'
import {EXIT} from '../../cli/exit-codes.js'
import {validSpecOrReport} from '../../cli/spec-input.js'
import {UserError} from '../../diagnostics/errors.js'
import {createTrustAnchor, type AnchorFiles} from '../../providers/certs/trust-anchor.js'

export default class CertsInit extends BaseCommand {
  static override summary = 'Create the shared trust anchor the spec names'
  static environment: readonly EnvironmentVariable[] = ['MCFED_GCP_PROJECT']
  static override description =
    'Writes an ECDSA P-256 root (CN root.linkerd.cluster.local, CA, path length 1, ten years) to spec.linkerd.trustAnchor.certFile and its key, mode 0600, to keyFile. Refuses to overwrite either without --force. The key is never printed.'
  static override examples = ['<%= config.bin %> certs init -f examples/three-region/federation.yaml', '<%= config.bin %> certs init --next -f federation.yaml']
  static override flags = {
    file: specFlag,
    force: Flags.boolean({description: 'replace an existing anchor (every cluster must then be re-issued)'}),
    next: Flags.boolean({description: 'create trustAnchor.next, the anchor a rotation moves to, instead of the anchor'}),
  }

  async run(): Promise<AnchorFiles | {valid: false}> {
    const {flags} = await this.parse(CertsInit)
    const validation = await validSpecOrReport(flags.file, this.useColor(flags), 'certs init')
    if (!validation) {
      this.setExitCode(EXIT.error)
      return {valid: false}
    }
    const trustAnchor = validation.spec!.spec.linkerd.trustAnchor
    if (flags.next && !trustAnchor.next) {
      throw new UserError(`${flags.file} names no spec.linkerd.trustAnchor.next`, 'add `next: {certFile: certs/next.crt, keyFile: certs/next.key}` under spec.linkerd.trustAnchor, then run this again')
    }
    const {certFile, keyFile} = flags.next ? trustAnchor.next! : trustAnchor
    const base = dirname(flags.file)
    const anchor = await createTrustAnchor(join(base, certFile), join(base, keyFile), flags.force)
    const what = flags.next ? 'the next trust anchor (trustAnchor.next)' : 'the trust anchor'
    this.print(`Created ${what} ${anchor.certFile} (${anchor.fingerprint}, valid until ${anchor.notAfter}).\nIts key is in ${anchor.keyFile} (mode 0600): keep it out of version control; plan never reads it.\n`)
    return anchor
  }
}

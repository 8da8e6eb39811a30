import {Flags} from '@oclif/core'

import {BaseCommand, specFlag} from '../cli/base-command.js'
import {LIVE_ENVIRONMENT} from '../cli/environment.js'
import {EXIT} from '../cli/exit-codes.js'
import {validSpecOrReport} from '../cli/spec-input.js'
import {resolveGcpTarget} from '../cli/target.js'
import {UserError} from '../diagnostics/errors.js'
import {buildEstate} from '../engine/estate.js'
import {renderGitops} from '../engine/render-gitops.js'
import {diffTrees, type FileChange} from '../gitops/tree-diff.js'
import {readTree, writeTreeChanges} from '../gitops/tree-files.js'
import {renderDiagnostics} from '../render/diagnostics.js'
import {renderTreeChangesMarkdown, renderTreeChangesText, summarizeTreeChanges, type TreeChangeSummary} from '../render/gitops.js'
import {style} from '../render/style.js'

export interface RenderResult {
  readonly dir: string
  readonly written: boolean
  readonly summary: TreeChangeSummary
  readonly changes: readonly Omit<FileChange, 'patch'>[]
}

export default class Render extends BaseCommand {
  static override summary = 'Render every cluster\'s side into a GitOps tree (spec.gitops)'
  static environment = LIVE_ENVIRONMENT
  static override description =
    'Writes the tree Argo CD or Flux applies: clusters/<cluster>/<layer>/ with one file per object kind and a kustomization.yaml in each directory (kubectl apply -k works without an engine), and engine/ with the engine\'s objects. No key, token or kubeconfig is ever written: Secrets come from the secret store through ExternalSecrets. Only changed files are written; files under clusters/ and engine/ that the spec no longer renders are removed. With --check, writes nothing and shows what would change (exit 2 with --detailed-exitcode when something would).'
  static override examples = [
    '<%= config.bin %> render -f federation.yaml -o gitops/ --sandbox',
    '<%= config.bin %> render -o gitops/ --offline',
    '<%= config.bin %> render -o gitops/ --check --diff --detailed-exitcode',
    '<%= config.bin %> render -o gitops/ --check --format markdown > comment.md',
  ]
  static override flags = {
    file: specFlag,
    out: Flags.string({char: 'o', description: 'the tree\'s directory (what spec.gitops.root is in the repository)', required: true}),
    check: Flags.boolean({description: 'write nothing: show what rendering would change in the directory'}),
    diff: Flags.boolean({description: 'also print the unified diff of each changed file'}),
    format: Flags.string({description: 'how to show the changes', options: ['text', 'markdown'], default: 'text'}),
    'detailed-exitcode': Flags.boolean({description: 'with --check: exit 2 when the tree would change, 0 when it would not, 1 on error'}),
    offline: Flags.boolean({description: 'read nothing: render from the spec alone (gateway Links wait for an address; every link on credential generation 1)'}),
    sandbox: Flags.boolean({description: 'read the running `mcfed sandbox` instead of Google Cloud (or set MCFED_SANDBOX=1)', env: 'MCFED_SANDBOX'}),
    'gcp-endpoint': Flags.string({description: 'base URL of a GCP API simulator (or set MCFED_GCP_ENDPOINT)', env: 'MCFED_GCP_ENDPOINT'}),
    'linkerd-cli': Flags.string({description: 'the linkerd CLI that renders Linkerd\'s components with install: mcfed (or set MCFED_LINKERD_CLI; default: linkerd on PATH)'}),
  }

  async run(): Promise<RenderResult | {valid: false}> {
    const {flags} = await this.parse(Render)
    const color = this.useColor(flags)
    const validation = await validSpecOrReport(flags.file, color, 'Rendering')
    if (!validation) {
      this.setExitCode(EXIT.error)
      return {valid: false}
    }
    const spec = validation.spec!
    if (!spec.spec.gitops) throw new UserError(`${flags.file} has no spec.gitops: there is no GitOps tree to render`, 'add spec.gitops with engine: argocd or flux (see README "GitOps"); without it, `mcfed apply` writes into the clusters itself')
    const estate = flags.offline ? undefined : await buildEstate(spec, resolveGcpTarget(flags), {specFile: flags.file, layers: ['kube']})
    const providers = estate?.providers
    let rendered
    try {
      // The control plane's webhook CA bundle is in the store, beside the keys the tree never holds.
      const store = estate?.secretStore && spec.spec.linkerd.install === 'mcfed' ? await estate.secretStore() : undefined
      rendered = await renderGitops({file: flags.file, spec, ...(providers ? {providers} : {}), components: {linkerdCli: flags['linkerd-cli'], ...(store ? {store} : {})}})
    } finally {
      // Closing the Kubernetes provider closes the store with it.
      await Promise.all((providers ?? []).map((p) => p.close()))
    }
    if (rendered.diagnostics.length > 0) process.stderr.write(renderDiagnostics(rendered.diagnostics, style(color), validation.sources) + '\n')
    if (rendered.diagnostics.some((d) => d.severity === 'error')) {
      process.stderr.write(`Rendering stopped: the estate could not be read. Nothing was written to ${flags.out}.\n`)
      this.setExitCode(EXIT.error)
      return {valid: false}
    }
    const changes = diffTrees(await readTree(flags.out), rendered.files)
    if (!flags.check) await writeTreeChanges(flags.out, rendered.files, changes)
    const shown = flags.format === 'markdown' ? renderTreeChangesMarkdown(flags.out, changes) : renderTreeChangesText(flags.out, changes, style(color), flags.diff || false)
    this.print(flags.check || changes.length === 0 ? shown : shown.replace(/\n$/, `\nWrote ${changes.length} files to ${flags.out}.\n`))
    this.setExitCode(flags.check && flags['detailed-exitcode'] && changes.length > 0 ? EXIT.changes : EXIT.ok)
    return {dir: flags.out, written: !flags.check && changes.length > 0, summary: summarizeTreeChanges(changes), changes: changes.map(({patch: _patch, ...c}) => c)}
  }
}

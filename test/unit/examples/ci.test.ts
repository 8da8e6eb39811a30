import {readFileSync} from 'node:fs'

import {describe, expect, test} from 'vitest'
import {parse, parseAllDocuments} from 'yaml'

import {desiredGraph} from '../../../src/graph/desired.js'
import {plan} from '../../../src/plan/planner.js'
import {commentMarker, renderMarkdown} from '../../../src/render/markdown.js'
import {loadValidSpec, THREE_REGION} from '../../support/specs.js'

interface Step {
  name?: string
  run?: string
  uses?: string
  with?: Record<string, string>
}
interface Workflow {
  on: unknown
  permissions: Record<string, string>
  jobs: Record<string, {steps: Step[]}>
}

const workflow = (name: string) => parse(readFileSync(`examples/ci/github/${name}`, 'utf8')) as Workflow
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps)
const runs = (w: Workflow) => steps(w).flatMap((s) => (s.run ? [s.run] : []))

/** Runs an actions/github-script body with a recording fake of the GitHub API. */
async function runScript(script: string, files: Record<string, string>, comments: {id: number; body: string}[]) {
  const calls: {method: string; args: Record<string, unknown>}[] = []
  const record = (method: string) => async (args: Record<string, unknown>) => {
    calls.push({method, args})
    return {data: []}
  }
  const github = {
    paginate: async () => comments,
    rest: {issues: {listComments: record('listComments'), updateComment: record('updateComment'), createComment: record('createComment')}},
  }
  const context = {repo: {owner: 'acme', repo: 'mesh'}, issue: {number: 7}}
  const fakeRequire = (m: string) => (m === 'fs' ? {readFileSync: (p: string) => files[p]} : undefined)
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>
  await new AsyncFunction('require', 'github', 'context', script)(fakeRequire, github, context)
  return calls
}

describe('examples/ci', () => {
  const comment = renderMarkdown(plan({federation: 'mc-demo', project: 'my-project', mcfedVersion: 't', desired: desiredGraph(loadValidSpec(THREE_REGION))}))

  test('the PR workflow plans with detailed exit codes, fails only on 1, and keeps the saved plan', () => {
    const w = workflow('mcfed-plan.yml')
    expect(w.permissions).toMatchObject({'id-token': 'write', 'pull-requests': 'write'})
    const plan = runs(w).find((r) => r.includes('mcfed plan'))!
    expect(plan).toContain('--detailed-exitcode -o plan.json --format markdown > plan.md')
    expect(steps(w).some((s) => s.uses?.startsWith('actions/upload-artifact') && s.with?.path === 'plan.json')).toBe(true)
    // A failed plan still posts its comment (which says why), then fails the job.
    const post = steps(w).find((s) => s.uses?.startsWith('actions/github-script')) as Step & {if?: string}
    expect(post.if).toContain('always()')
    const last = steps(w).at(-1) as Step & {if?: string}
    expect(last).toMatchObject({if: "steps.plan.outputs.exitcode == '1'", run: 'exit 1'})
  })

  test('the comment script creates one comment, then updates that same comment in place', async () => {
    const script = steps(workflow('mcfed-plan.yml')).find((s) => s.uses?.startsWith('actions/github-script'))!.with!.script!
    expect(comment.split('\n')[0]).toBe(commentMarker('mc-demo'))
    const first = await runScript(script, {'plan.md': comment}, [{id: 1, body: 'LGTM'}])
    expect(first.map((c) => c.method)).toEqual(['createComment'])
    expect(first[0]!.args).toMatchObject({issue_number: 7, body: comment})
    const second = await runScript(script, {'plan.md': comment}, [{id: 1, body: 'LGTM'}, {id: 2, body: comment}])
    expect(second.map((c) => c.method)).toEqual(['updateComment'])
    expect(second[0]!.args).toMatchObject({comment_id: 2})
  })

  test('the merge workflow applies the reviewed saved plan, never with --allow-destroy', () => {
    const apply = runs(workflow('mcfed-apply.yml')).find((r) => r.includes('mcfed apply'))!
    expect(apply).toMatch(/^mcfed apply plan\.json -f federation\.yaml/)
    expect(apply).not.toContain('--allow-destroy')
    expect(apply).not.toContain('--auto-approve')
  })

  test('the drift workflow runs on a schedule and treats exit 2 as drift, 1 as failure', () => {
    const w = workflow('mcfed-drift.yml')
    expect((w.on as {schedule: {cron: string}[]}).schedule[0]!.cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/)
    const drift = runs(w).find((r) => r.includes('mcfed drift'))!
    expect(drift).toContain('--format markdown')
    expect(drift).toContain('if [ "$code" -eq 1 ]; then exit 1; fi')
  })

  test('the drift CronJob runs mcfed drift once per schedule, without retries or overlap', () => {
    const docs = parseAllDocuments(readFileSync('examples/ci/kubernetes/mcfed-drift-cronjob.yaml', 'utf8')).map((d) => d.toJS())
    const cron = docs.find((d) => d.kind === 'CronJob')
    expect(docs.find((d) => d.kind === 'ServiceAccount')?.metadata.name).toBe(cron.spec.jobTemplate.spec.template.spec.serviceAccountName)
    expect(cron.spec).toMatchObject({concurrencyPolicy: 'Forbid', jobTemplate: {spec: {backoffLimit: 0}}})
    const container = cron.spec.jobTemplate.spec.template.spec.containers[0]
    expect(container.args.join(' ')).toContain('mcfed drift -f /etc/mcfed/federation.yaml')
    expect(container.args.join(' ')).toContain('exit $code')
  })
})

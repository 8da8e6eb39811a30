/**
 * The cluster side at fleet sizes: a no-op `mcfed plan` of N sandbox clusters with Linkerd
 * installed by mcfed (Linkerd's own 2.19 CLI), beside
 *   B: `kubectl diff --server-side` of the same three renders per cluster, 16 clusters at once
 *      (what mcfed's reads run at), and
 *   C: the Helm-style approach, render every component then diff: mcfed as it was before render
 *      records (`MCFED_BEFORE=<checkout of 1196e5c, built>`; left out when unset).
 * mcfed's plan is also timed alone first (after the same pause, before any kubectl diff of that
 * size): how its own time grows with the fleet. It also counts what one no-op plan costs: runs of
 * the linkerd CLI (through a wrapper) and API requests (the servers' own apiserver_request_total,
 * by verb and resource). The clusters are real
 * kube-apiservers sharing one etcd, each with its controller manager and KWOK node (apply waits for
 * the destination controller's rollout); the controller managers and schedulers are paused
 * (SIGSTOP) while plans are timed and counted, so that neither includes an idle fleet's own work
 * (KWOK keeps renewing its nodes' leases: one request per cluster every 10 s or so). Each timed
 * run starts after a pause (BENCH_SETTLE_MS, 5 s): thirty API servers that just answered a kubectl
 * diff of every render stay busy for seconds, which the next run, either side's, would pay for.
 *
 *   npx tsx bench/fleet-plan.ts 3 10 30      (needs tools/linkerd/binaries.sh 2.19 and tools/kube/build.sh)
 *   BENCH_HOLD=1 npx tsx bench/fleet-plan.ts 10   (keeps each size's fleet up for a profile by hand)
 *   BENCH_LINKS=mesh npx tsx bench/fleet-plan.ts 10 30   (every cluster links every other: memory per Link)
 */
import {execFile, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {stringify} from 'yaml'

import {controlPlaneValues, multiclusterValues} from '../src/linkerd/install/values.js'
import {YEAR_MS, selfSignedCa, signed} from '../src/providers/certs/x509.js'
import {kubeBinaries} from '../src/sandbox/kube/binaries.js'
import {startSharedEtcd} from '../src/sandbox/kube/etcd.js'
import {kubeconfig} from '../src/sandbox/kube/kubeconfig.js'
import {startKubeCluster, type KubeCluster} from '../src/sandbox/kube/launcher.js'
import {linkerdBinaries} from '../src/sandbox/linkerd/binaries.js'
import {parseSpec} from '../src/spec/parse.js'
import {clusterName, generateSpec} from '../test/support/generate.js'
import {paired, series} from './paired.js'

const run = promisify(execFile)
const NON_RESOURCE = '(non-resource: discovery, /metrics)'
const SCRAPE = `GET ${NON_RESOURCE}`
/** Requests an idle sandbox fleet makes by itself; a plan makes none of these. */
const BACKGROUND = /^(WATCH .*|PUT leases|PATCH nodes\/status|(GET|POST|PUT) endpoints)$/
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0)
if (sizes.length === 0) sizes.push(3, 10, 30)
const runs = Number(process.env.BENCH_RUNS ?? 5)
/** A pause before each timed run, so the fleet has digested the previous command (BENCH_SETTLE_MS). */
const settleMs = Number(process.env.BENCH_SETTLE_MS ?? 5_000)
const before = process.env.MCFED_BEFORE
/** BENCH_LINKS=mesh: every cluster links every other (n·(n−1) Links), as inside an island of 50; else a ring (n Links). */
const meshLinks = process.env.BENCH_LINKS === 'mesh'

const linkerd = await linkerdBinaries('edge-25.10.7', {build: true})
if (!linkerd.ok || !linkerd.cli) throw new Error(`Linkerd's binaries: ${'reason' in linkerd ? linkerd.reason : 'no CLI'}`)
const binDir = await kubeBinaries()
const dir = mkdtempSync(join(tmpdir(), 'mcfed-fleet-bench-'))
const etcd = await startSharedEtcd({binDir, dataDir: join(dir, 'etcd')})
const clusters: KubeCluster[] = []
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024
try {
  const started = Date.now()
  const max = Math.max(...sizes)
  // A few at a time: each API server spends a few CPU-seconds starting.
  for (let i = 0; i < max; i += 5) {
    const batch = await Promise.all(
      Array.from({length: Math.min(5, max - i)}, (_, k) => clusterName(i + k)).map((name) =>
        startKubeCluster({name, binDir, dataDir: join(dir, name), sharedEtcd: etcd, serviceCidr: '10.0.0.0/24'}),
      ),
    )
    clusters.push(...batch)
  }
  const kubeconfigFile = join(dir, 'kubeconfig')
  writeFileSync(kubeconfigFile, kubeconfig(clusters), {mode: 0o600})
  const cm = clusters.flatMap((c) => (c.pids.controllerManager ? [rssMb(c.pids.controllerManager)] : []))
  console.log(`${max} clusters on one etcd started in ${((Date.now() - started) / 1000).toFixed(0)} s; idle RSS: API server median ${median(clusters.map((c) => rssMb(c.pids.apiserver))).toFixed(0)} MB, controller manager ${cm.length ? median(cm).toFixed(0) : '—'} MB, etcd ${rssMb(etcd.pid).toFixed(0)} MB`)

  const work = join(dir, 'work')
  mkdirSync(work)
  const countLog = join(work, 'cli-runs.log')
  const counted = join(work, 'linkerd')
  writeFileSync(counted, `#!/bin/sh\necho "$*" >> ${JSON.stringify(countLog)}\nexec ${JSON.stringify(linkerd.cli)} "$@"\n`, {mode: 0o755})
  const env = {...process.env, KUBECONFIG: kubeconfigFile, MCFED_LAYERS: 'kube', MCFED_LINKERD_CLI: counted}
  const services = () => [`apiVersion: v1\nkind: Namespace\nmetadata: {name: apps}`, ...['flat0', 'gw0'].map((s) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${s}, namespace: apps}\nspec: {ports: [{port: 8080}], selector: {app: ${s}}}`)].join('\n---\n')
  for (const c of clusters) {
    writeFileSync(join(work, `${c.name}-services.yaml`), services())
    await run('kubectl', ['--kubeconfig', kubeconfigFile, '--context', c.name, 'apply', '-f', join(work, `${c.name}-services.yaml`)])
  }
  const rows: string[] = []
  for (const n of [...sizes].sort((a, b) => a - b)) {
    const spec = join(work, `federation-${n}.yaml`)
    writeFileSync(spec, generateSpec({clusters: n, topology: meshLinks ? {linkIslands: n} : 'shared'}).replace('version: "2.18"', 'version: "2.19"').replace(/\n    (c\d{3}):\n/g, '\n    $1:\n      kubeContext: $1\n'))
    // Every size's spec sits in the same directory: one anchor for all.
    if (n === Math.min(...sizes)) await run(process.execPath, ['bin/run.js', 'certs', 'init', '-f', spec], {env})
    const applying = Date.now()
    // Not spawnSync: the load balancers' controller runs in this process and must go on answering.
    await run(process.execPath, ['bin/run.js', 'apply', '-f', spec, '--auto-approve', '--parallelism', '8'], {env, maxBuffer: 1 << 28}).catch((e: {stdout?: string; stderr?: string}) => {
      throw new Error(`apply of ${n} clusters: ${e.stdout?.slice(-2000)}${e.stderr?.slice(-2000)}`)
    })
    const applySeconds = (Date.now() - applying) / 1000
    pauseWorkers('SIGSTOP')
    const check = spawnSync(process.execPath, ['bin/run.js', 'plan', '-f', spec, '--detailed-exitcode'], {env, encoding: 'utf8', maxBuffer: 1 << 28})
    if (check.status !== 0) throw new Error(`the plan after apply of ${n} clusters is not empty (exit ${check.status}): ${check.stdout.slice(-3000)}`)

    if (process.env.BENCH_HOLD) await hold(n, spec, env)

    // What one no-op plan costs the CLI and the API servers.
    rmSync(countLog, {force: true})
    const metrics = async () => (await Promise.all(clusters.slice(0, n).map((c) => run('kubectl', ['--kubeconfig', kubeconfigFile, '--context', c.name, 'get', '--raw', '/metrics'], {maxBuffer: 1 << 26})))).map((r) => r.stdout)
    const m0 = requestsByKind(await metrics())
    spawnSync(process.execPath, ['bin/run.js', 'plan', '-f', spec, '--detailed-exitcode'], {env})
    const byKind = requestsByKind(await metrics())
    for (const [k, v] of m0) byKind.set(k, (byKind.get(k) ?? 0) - v)
    // The scrape itself is one request per server, counted in the second reading.
    byKind.set(SCRAPE, (byKind.get(SCRAPE) ?? 0) - n)
    // What the fleet does by itself while the plan runs (KWOK's leases and node status, the API
    // servers' own endpoint reconciler, paused informers' watches timing out) is not the plan's.
    const background = [...byKind].filter(([k]) => BACKGROUND.test(k))
    for (const [k] of background) byKind.delete(k)
    const calls = [...byKind.values()].reduce((a, b) => a + b, 0)
    const cliRuns = readFileSync(countLog, {encoding: 'utf8', flag: 'a+'}).split('\n').filter(Boolean).length

    // B: the same renders, diffed by kubectl against each cluster.
    const parsed = parseSpec(spec, readFileSync(spec, 'utf8'), {}).spec!
    const anchor = await selfSignedCa({commonName: 'root.linkerd.cluster.local', validityMs: YEAR_MS, pathLength: 1})
    const issuer = await signed(anchor, {commonName: 'identity.linkerd.cluster.local', validityMs: YEAR_MS, ca: true, pathLength: 0})
    const webhook = await selfSignedCa({commonName: 'webhook.linkerd.cluster.local', validityMs: YEAR_MS, pathLength: 0})
    const render = (args: string[], values?: object) => spawnSync(linkerd.cli!, [...args, ...(values ? ['-f', '-'] : [])], {input: values ? stringify(values) : '', encoding: 'utf8', maxBuffer: 1 << 28}).stdout
    const certs = {anchorPem: anchor.certPem, issuerCertPem: issuer.certPem, issuerKeyPem: issuer.keyPem, webhookCaPem: webhook.certPem}
    const crds = render(['install', '--crds', '--ignore-cluster'])
    const diffs: string[] = []
    for (const c of clusters.slice(0, n)) {
      const file = join(work, `${c.name}-rendered.yaml`)
      writeFileSync(file, [crds, render(['install', '--ignore-cluster'], controlPlaneValues(parsed, c.name, certs)), render(['multicluster', 'install', '--ignore-cluster'], multiclusterValues(parsed, c.name))].join('\n---\n'))
      diffs.push(`kubectl --kubeconfig ${kubeconfigFile} --context ${c.name} diff --server-side --force-conflicts --field-manager mcfed -f ${file} >/dev/null; [ $? -le 1 ]`)
    }
    const diffScript = join(work, `diff-${n}.sh`)
    // kubectl diff exits 1 when it finds differences (the bench's certificates, not mcfed's): that is its answer, not a failure.
    writeFileSync(diffScript, diffs.join('\n') + '\n')
    const plan = [process.execPath, 'bin/run.js', 'plan', '-f', spec, '--detailed-exitcode']
    console.log(`\n## ${n} clusters, ${meshLinks ? n * (n - 1) : n} Links (apply ${applySeconds.toFixed(0)} s; one no-op plan: ${cliRuns} linkerd CLI runs, ${calls} API requests, ${(calls / n).toFixed(1)} per cluster)`)
    console.log([...byKind].filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]).map(([k, v]) => `  ${v} ${k}`).join('\n'))
    console.log(`  (not counted, the fleet's own: ${background.filter(([, v]) => v > 0).map(([k, v]) => `${v} ${k}`).join(', ') || 'none'})`)
    // mcfed alone first, on a fleet that has done nothing else for a while: how its own time grows
    // with the fleet, which the pairs below (each mcfed run after a kubectl diff of every render) blur.
    const alone = series('mcfed plan (no-op), alone', plan, {runs, env, settleMs})
    const kubectl = paired({a: 'mcfed plan (no-op)', b: 'kubectl diff --server-side, 16 at once'}, plan, ['sh', '-c', `tr '\\n' '\\0' < ${diffScript} | xargs -0 -P 16 -I{} sh -c '{}'`], {runs, env, settleMs})
    const helm = before ? paired({a: 'mcfed plan (no-op)', b: 'render every component, then diff (mcfed 1196e5c)'}, plan, [process.execPath, join(before, 'bin/run.js'), 'plan', '-f', spec, '--detailed-exitcode'], {runs, env: {...env, MCFED_LINKERD_CLI: linkerd.cli}, settleMs}) : undefined
    const med = (xs: readonly number[]) => median(xs).toFixed(2)
    const ratio = (a: readonly {wall: number}[], b: readonly {wall: number}[]) => median(a.map((x, i) => b[i]!.wall / x.wall)).toFixed(1)
    rows.push(
      `| ${n} | ${cliRuns} | ${calls} (${(calls / n).toFixed(1)}) | ${med(alone.map((s) => s.wall))} s | ${med(kubectl.a.map((s) => s.wall))} s | ${median(kubectl.a.map((s) => s.rssMb)).toFixed(0)} MB | ${med(kubectl.b.map((s) => s.wall))} s | **${ratio(kubectl.a, kubectl.b)}×** | ${helm ? `${med(helm.b.map((s) => s.wall))} s | **${ratio(helm.a, helm.b)}×**` : '— | —'} |`,
    )
    pauseWorkers('SIGCONT')
  }
  console.log('\n| clusters | CLI runs | API requests (per cluster) | mcfed wall, alone | mcfed wall, paired | mcfed peak RSS | kubectl diff wall | kubectl / mcfed | render-then-diff wall | render-then-diff / mcfed |')
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
  for (const r of rows) console.log(r)
} finally {
  pauseWorkers('SIGCONT')
  await Promise.all(clusters.map((c) => c.stop()))
  await etcd.stop()
  rmSync(dir, {recursive: true, force: true})
}

/**
 * Leaves the fleet up, paused, for a profile of the no-op plan by hand (`BENCH_HOLD=1`): prints
 * how to plan against it and waits until the file it names exists.
 */
async function hold(n: number, spec: string, env: NodeJS.ProcessEnv): Promise<void> {
  const release = join(dir, `release-${n}`)
  writeFileSync(join(dir, `env-${n}.sh`), `export KUBECONFIG=${env.KUBECONFIG} MCFED_LAYERS=${env.MCFED_LAYERS} MCFED_LINKERD_CLI=${env.MCFED_LINKERD_CLI}\nSPEC=${spec}\n`)
  console.log(`holding ${n} clusters: . ${join(dir, `env-${n}.sh`)}; node bin/run.js plan -f $SPEC; touch ${release} to go on`)
  while (!existsSync(release)) await new Promise((r) => setTimeout(r, 1000))
}

function pauseWorkers(signal: 'SIGSTOP' | 'SIGCONT'): void {
  for (const pid of clusters.flatMap((c) => c.pids.workers)) process.kill(pid, signal)
}

/** apiserver_request_total summed over the servers, by verb and resource (or path). */
function requestsByKind(texts: readonly string[]): Map<string, number> {
  const out = new Map<string, number>()
  for (const t of texts) {
    for (const m of t.matchAll(/^apiserver_request_total\{([^}]*)\} (\d+)$/gm)) {
      const label = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(m[1]!)?.[1] ?? ''
      const what = label('resource') ? `${label('resource')}${label('subresource') ? '/' + label('subresource') : ''}` : NON_RESOURCE
      const key = `${label('verb')} ${what}`
      out.set(key, (out.get(key) ?? 0) + Number(m[2]))
    }
  }
  return out
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((x, y) => x - y)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}

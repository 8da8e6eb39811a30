import {execFile, spawn} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

const run = promisify(execFile)

/**
 * The real gcloud CLI, pointed at a simulator through endpoint overrides in a throwaway
 * configuration directory: an independent client proving the simulator speaks the real API.
 */
export async function gcloudFor(endpoint: string, project: string): Promise<(args: string[], input?: string) => Promise<string>> {
  const config = mkdtempSync(join(tmpdir(), 'gcloud-'))
  const env = {...process.env, CLOUDSDK_CONFIG: config, CLOUDSDK_CORE_DISABLE_PROMPTS: '1'}
  const gcloud = async (args: string[], input?: string) => (input === undefined ? (await run('gcloud', args, {env, timeout: 60_000})).stdout : withInput(args, input, env))
  await gcloud(['config', 'set', 'api_endpoint_overrides/compute', `${endpoint}/compute/v1/`])
  await gcloud(['config', 'set', 'api_endpoint_overrides/container', `${endpoint}/`])
  await gcloud(['config', 'set', 'api_endpoint_overrides/secretmanager', `${endpoint}/`])
  await gcloud(['config', 'set', 'auth/disable_credentials', 'true'])
  await gcloud(['config', 'set', 'core/disable_usage_reporting', 'true'])
  await gcloud(['config', 'set', 'project', project])
  return gcloud
}

/** gcloud with standard input (`--data-file=-`); rejects with its stderr as `stderr`, as execFile does. */
function withInput(args: string[], input: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('gcloud', args, {env, timeout: 60_000})
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve(out + err) : reject(Object.assign(new Error(`gcloud ${args.join(' ')} exited ${code}`), {stdout: out, stderr: err}))))
    child.stdin.end(input)
  })
}

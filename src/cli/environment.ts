/**
 * Every environment variable mcfed reads, said once: command help and the README's table are
 * checked against this list, and a test finds any variable read in src/ that is missing from it.
 */
export const ENVIRONMENT = {
  MCFED_GCP_PROJECT: 'overrides spec.gcp.project, so one spec serves several projects',
  MCFED_LAYERS: 'as --layer: gcp, kube, credentials, or a comma-separated list',
  MCFED_SANDBOX: 'as --sandbox (1 to target the running sandbox)',
  MCFED_GCP_ENDPOINT: 'as --gcp-endpoint',
  MCFED_LINKERD_CLI: 'as --linkerd-cli',
  MCFED_LOG: 'as --log-level: error, warn, info, debug or trace',
  MCFED_SANDBOX_DIR: 'where the sandbox keeps its state and pid file (default ~/.mcfed/sandbox)',
  MCFED_KUBE_BIN: 'a directory holding kube-apiserver and etcd, used instead of building them',
  MCFED_LINKERD_CONTROLLER: "Linkerd's controller binary the sandbox runs for Linkerd's pods (else the one tools/linkerd/binaries.sh built)",
  MCFED_DEBUG: 'any value: print a stack trace for an unexpected failure',
  GOOGLE_APPLICATION_CREDENTIALS: 'Application Default Credentials for Google Cloud (else gcloud\'s own)',
  NO_COLOR: 'any value: no colour unless --color is given',
  FORCE_COLOR: 'colour even through a pipe (0 turns it off)',
} as const

export type EnvironmentVariable = keyof typeof ENVIRONMENT

/** What every command is affected by. */
export const COMMON_ENVIRONMENT: readonly EnvironmentVariable[] = ['MCFED_LOG', 'MCFED_DEBUG', 'NO_COLOR', 'FORCE_COLOR']
/** What a command that reads GCP and the clusters is affected by. */
export const LIVE_ENVIRONMENT: readonly EnvironmentVariable[] = [
  'MCFED_GCP_PROJECT',
  'MCFED_LAYERS',
  'MCFED_SANDBOX',
  'MCFED_GCP_ENDPOINT',
  'MCFED_LINKERD_CLI',
  'GOOGLE_APPLICATION_CREDENTIALS',
  'MCFED_SANDBOX_DIR',
]

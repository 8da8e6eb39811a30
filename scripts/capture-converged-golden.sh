#!/usr/bin/env bash
# Re-captures test/golden/three-region-converged from a real estate, on purpose only: applies the
# case's spec to the sandbox (GCP simulator and kube-apiservers; Linkerd's renders from its own CLI,
# found or built by tools/linkerd/binaries.sh) and records what the providers read, through their
# own read mapping. The trust anchor is made afresh; only its certificate is kept in the case.
# Then: `npm run test:update`, and read the diff.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build >/dev/null

case_dir=test/golden/three-region-converged
work=$(mktemp -d)
cli=$(tools/linkerd/binaries.sh 2.19 | sed -n 's/^cli=//p')
export MCFED_SANDBOX_DIR="$work/sandbox" MCFED_SANDBOX=1 MCFED_LINKERD_CLI="$cli"
mcfed() { node bin/run.js "$@"; }
trap 'mcfed sandbox down --purge >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

cp "$case_dir/federation.yaml" "$work/federation.yaml"
mcfed certs init -f "$work/federation.yaml" >/dev/null
mcfed sandbox up >/dev/null
# Labelling needs the app's Services: the first apply builds the clusters, the second labels.
mcfed apply -f "$work/federation.yaml" --auto-approve --no-color >/dev/null || true
for c in west east north; do kubectl --kubeconfig "$work/sandbox/kubeconfig" --context "$c" apply -f examples/three-region/services.yaml >/dev/null; done
mcfed apply -f "$work/federation.yaml" --auto-approve --no-color >/dev/null
mcfed plan -f "$work/federation.yaml" --detailed-exitcode >/dev/null || { echo "the estate did not converge" >&2; exit 1; }

node scripts/record-observed.mjs "$work/federation.yaml" > "$case_dir/observed.json"
cp "$work/certs/root.crt" "$case_dir/certs/root.crt"
echo "captured $(node -e "console.log(require('./$case_dir/observed.json').length)") resources into $case_dir/observed.json"

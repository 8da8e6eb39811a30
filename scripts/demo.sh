#!/usr/bin/env bash
# The README's main job: the three-region story on the embedded sandbox. Plan, apply, plan again
# (nothing to do), drift made by hand with gcloud, drift detected, apply repairs it.
set -euo pipefail
cd "$(dirname "$0")/.."

spec=examples/three-region/federation.yaml
mcfed() { node bin/run.js "$@"; }
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

export MCFED_SANDBOX_DIR="${MCFED_SANDBOX_DIR:-$(mktemp -d)/sandbox}"
export MCFED_SANDBOX=1
trap 'mcfed sandbox down --purge >/dev/null 2>&1 || true' EXIT

step "validate the spec"
mcfed validate -f "$spec"

if [ ! -f examples/three-region/certs/root.crt ]; then
  step "create the shared trust anchor (once; the key stays local, mode 0600)"
  mcfed certs init -f "$spec"
fi

step "start the sandbox (GCP API simulator on 127.0.0.1)"
mcfed sandbox up

step "plan against the empty sandbox: clusters and what goes inside them, in one plan"
mcfed plan -f "$spec" > "$MCFED_SANDBOX_DIR/plan.txt"
# Linkerd's manifests come from its own CLI; without one, mcfed says once what it leaves out and how to get it.
grep -A1 'linkerd/cli-missing' "$MCFED_SANDBOX_DIR/plan.txt" || true
tail -n 3 "$MCFED_SANDBOX_DIR/plan.txt"

step "apply the GCP layer, and Linkerd where its CLI is found (the app's Services do not exist yet)"
mcfed apply -f "$spec" --auto-approve | tail -n 6 || true

step "deploy the demo app's Services (mcfed labels services, it does not deploy them)"
export KUBECONFIG="$MCFED_SANDBOX_DIR/kubeconfig"
for c in west east north; do kubectl --context "$c" apply -f examples/three-region/services.yaml >/dev/null; done
kubectl config get-contexts

step "apply again: the mode labels"
mcfed apply -f "$spec" --auto-approve | tail -n 3
kubectl --context east get svc -n mc-demo --show-labels

step "plan again: nothing to do (exit code 0 with --detailed-exitcode)"
mcfed plan -f "$spec" --detailed-exitcode | tail -n 1

if command -v gcloud >/dev/null; then
  step "drift by hand: delete a peering half with the real gcloud"
  endpoint=$(mcfed sandbox status --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).gcp.endpoint))')
  export CLOUDSDK_CONFIG="$MCFED_SANDBOX_DIR/gcloud"
  gcloud config set api_endpoint_overrides/compute "$endpoint/compute/v1/" >/dev/null 2>&1
  gcloud config set api_endpoint_overrides/container "$endpoint/" >/dev/null 2>&1
  gcloud config set auth/disable_credentials true >/dev/null 2>&1
  gcloud config set project my-project >/dev/null 2>&1
  gcloud compute networks peerings list
  gcloud compute networks peerings delete mc-demo-east-north --network mc-demo-east --quiet
else
  step "gcloud is not installed: skipping the hand-made drift"
fi

step "drift detection (exit 2 means drift)"
set +e
mcfed drift -f "$spec" > "$MCFED_SANDBOX_DIR/drift.txt"
code=$?
set -e
tail -n 12 "$MCFED_SANDBOX_DIR/drift.txt"
echo "mcfed drift exited $code"
[ "$code" -eq 2 ] || [ "$code" -eq 0 ] || exit "$code"

step "drift inside a cluster: relabel a Service by hand"
kubectl --context east label svc -n mc-demo api mirror.linkerd.io/exported=true --overwrite
set +e
mcfed drift -f "$spec" > "$MCFED_SANDBOX_DIR/drift.txt"
code=$?
set -e
grep -A3 'service_label' "$MCFED_SANDBOX_DIR/drift.txt" | head -n 4
echo "mcfed drift exited $code"

step "apply repairs both"
mcfed apply -f "$spec" --auto-approve | tail -n 3
mcfed drift -f "$spec" | tail -n 1

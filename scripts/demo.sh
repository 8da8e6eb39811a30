#!/usr/bin/env bash
# The README's main job: the three-region story on the embedded sandbox. Plan, apply, plan again
# (nothing to do); with Linkerd's own binaries, Linkerd's controllers mirror through the Links, verify
# is green, a stopped controller turns it red and apply brings it back; drift made by hand with
# gcloud and kubectl, detected, repaired.
set -euo pipefail
cd "$(dirname "$0")/.."

mcfed() { node bin/run.js "$@"; }
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

export MCFED_SANDBOX_DIR="${MCFED_SANDBOX_DIR:-$(mktemp -d)/sandbox}"
export MCFED_SANDBOX=1
trap 'mcfed sandbox down --purge >/dev/null 2>&1 || true' EXIT
work=$(dirname "$MCFED_SANDBOX_DIR")

step "Linkerd's own CLI and controllers (2.19), found or built from its source beside the checkout"
# No registry serves Linkerd's binaries: tools/linkerd/binaries.sh builds them from ../shared/linkerd-source
# (about 8 minutes once per machine). Without them the demo runs everything else and says what it left out.
linkerd=0
if found=$(bash tools/linkerd/binaries.sh 2.19 2>"$work/linkerd-binaries.log"); then
  linkerd=1
  export MCFED_LINKERD_CLI=$(sed -n 's/^cli=//p' <<<"$found")
  echo "$found"
else
  echo "Not found: $(tail -n 1 "$work/linkerd-binaries.log")"
  echo "Left out below: Linkerd's components, its controllers mirroring, verify, and the stopped controller."
fi

# The example pins 2.18; the binaries built here are 2.19's, so the demo plans a copy that says so.
spec=$work/federation.yaml
sed 's/version: "2.18"/version: "2.19"/' examples/three-region/federation.yaml > "$spec"

step "validate the spec"
mcfed validate -f "$spec"

step "create the shared trust anchor (the key stays local, mode 0600)"
mcfed certs init -f "$spec"

step "start the sandbox (GCP API simulator on 127.0.0.1, a real kube-apiserver per GKE cluster, Linkerd's controllers for Linkerd's pods)"
mcfed sandbox up

step "plan against the empty sandbox: clusters and what goes inside them, in one plan"
mcfed plan -f "$spec" > "$work/plan.txt"
# Linkerd's manifests come from its own CLI; without one, mcfed says once what it leaves out and how to get it.
grep -A1 'linkerd/cli-missing' "$work/plan.txt" || true
tail -n 3 "$work/plan.txt"

step "apply: clusters, Linkerd where its CLI is found, Links (the app's Services do not exist yet)"
mcfed apply -f "$spec" --auto-approve | tail -n 6 || true

step "deploy the demo app: its Services, and Deployments where the spec runs them (mcfed labels services, it does not deploy them)"
export KUBECONFIG="$MCFED_SANDBOX_DIR/kubeconfig"
for c in west east north; do
  kubectl --context "$c" apply -f examples/three-region/services.yaml >/dev/null
  kubectl --context "$c" apply -f "examples/three-region/app/$c.yaml" >/dev/null
done
kubectl config get-contexts
# KWOK plays each cluster's kubelet: the pods become Ready with addresses from the cluster's pod range.
kubectl --context east rollout status deployment -n mc-demo --timeout=120s >/dev/null
kubectl --context east get pods -n mc-demo -o wide | cut -c1-90

step "apply again: the mode labels"
mcfed apply -f "$spec" --auto-approve | tail -n 3
kubectl --context east get svc -n mc-demo -l '!mirror.linkerd.io/mirrored-service' --show-labels

step "plan again: nothing to do (exit code 0 with --detailed-exitcode)"
mcfed plan -f "$spec" --detailed-exitcode | tail -n 1

if ((linkerd)); then
  step "Linkerd's own controllers, run by the sandbox for Linkerd's pods, mirror through the Links"
  mcfed sandbox status | sed -n '/^Linkerd.s controllers/,$p' | cut -c1-120
  mcfed verify -f "$spec" --wait 3m
  kubectl --context north get svc -n mc-demo

  step "stop one controller (scale it to zero, as a bad rollout would): verify names what broke"
  kubectl --context west -n linkerd-multicluster scale deployment controller-east-gw --replicas=0
  until [ -z "$(kubectl --context west -n linkerd-multicluster get lease service-mirror-write-east-gw -o jsonpath='{.spec.holderIdentity}')" ]; do sleep 1; done
  set +e
  mcfed verify -f "$spec"
  code=$?
  set -e
  echo "mcfed verify exited $code"

  step "drift shows the scaled-down controller; apply restores it, and verify is green again"
  set +e
  mcfed drift -f "$spec" | grep -B2 -A3 'controller-east-gw' | head -n 8
  set -e
  mcfed apply -f "$spec" --auto-approve | tail -n 2
  mcfed verify -f "$spec" --wait 2m | tail -n 1

  step "drill: lose east (its Deployments scaled to zero), watch west and north absorb it, restore the recorded replicas"
  mcfed drill cluster-loss -f "$spec" --cluster east --hold 20s
  kubectl --context east get deployments -n mc-demo
else
  step "skipped: Linkerd's controllers mirroring and verify (no Linkerd binaries; see the first step)"
fi

if command -v gcloud >/dev/null; then
  step "drift by hand: delete a peering half with the real gcloud"
  endpoint=$(mcfed sandbox status --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).gcp.endpoint))')
  export CLOUDSDK_CONFIG="$work/gcloud"
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
mcfed drift -f "$spec" > "$work/drift.txt"
code=$?
set -e
tail -n 12 "$work/drift.txt"
echo "mcfed drift exited $code"
[ "$code" -eq 2 ] || [ "$code" -eq 0 ] || exit "$code"

step "drift inside a cluster: relabel a Service by hand"
kubectl --context east label svc -n mc-demo api mirror.linkerd.io/exported=true --overwrite
set +e
mcfed drift -f "$spec" > "$work/drift.txt"
code=$?
set -e
grep -A3 'service_label' "$work/drift.txt" | head -n 4
echo "mcfed drift exited $code"

step "apply repairs both"
mcfed apply -f "$spec" --auto-approve | tail -n 3
mcfed drift -f "$spec" | tail -n 1

#!/usr/bin/env bash
# Fetches the CustomResourceDefinitions of the GitOps projects mcfed renders objects for, from the
# Go modules those projects publish (never copied into this repository), and prints each CRD
# file's path, one a line, prefixed by its project:
#   external-secrets=/…/external-secrets.io_externalsecrets.yaml
#   argocd=/…/applicationset-crd.yaml
#   flux=/…/kustomize.toolkit.fluxcd.io_kustomizations.yaml
#
# Usage: tools/gitops/crds.sh [--versions]
#   --versions   print the module versions used instead, `module@version` a line
#
# Versions are pinned here: the newest of each that this machine's Go (1.26) accepts from the
# module proxy (Argo CD 3.2+, kustomize-controller 1.10+ and External Secrets 1.x want Go 1.27).
# The module cache keeps them: the first run downloads (Argo CD's module is the largest, ~1 minute),
# later runs read the cache. Exit 1 when a module cannot be fetched (stderr says which).
set -euo pipefail

modules=(
  "external-secrets github.com/external-secrets/external-secrets v0.16.2 config/crds/bases/external-secrets.io_externalsecrets.yaml config/crds/bases/external-secrets.io_clustersecretstores.yaml"
  "argocd github.com/argoproj/argo-cd/v3 v3.1.0 manifests/crds/application-crd.yaml manifests/crds/applicationset-crd.yaml manifests/crds/appproject-crd.yaml"
  "flux github.com/fluxcd/kustomize-controller v1.9.6 config/crd/bases/kustomize.toolkit.fluxcd.io_kustomizations.yaml"
)

if [[ ${1:-} == --versions ]]; then
  for m in "${modules[@]}"; do read -r _ path version _ <<<"$m"; echo "$path@$version"; done
  exit 0
fi

# Outside any module: `go mod download` of a module@version needs no go.mod.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
export GOFLAGS=-mod=mod GOTOOLCHAIN=local
for m in "${modules[@]}"; do
  read -r project path version files <<<"$m"
  if ! dir=$(go mod download -json "$path@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p') || [[ -z $dir ]]; then
    echo "crds.sh: cannot fetch $path@$version from the Go module proxy" >&2
    exit 1
  fi
  for f in $files; do
    [[ -f $dir/$f ]] || { echo "crds.sh: $path@$version has no $f" >&2; exit 1; }
    echo "$project=$dir/$f"
  done
done

#!/usr/bin/env bash
# Builds kube-apiserver, kube-controller-manager, kube-scheduler, etcd and KWOK from published Go modules and caches them
# outside the repo, keyed by version, so only the first run on a machine pays for the build. Prints the bin directory.
# KWOK (sigs.k8s.io/kwok) plays the kubelets of fake nodes: with the scheduler, Deployments get pods that become Ready,
# with addresses from the node's pod range, and the controller manager fills EndpointSlices from them.
#
# k8s.io/kubernetes is not meant to be imported: its go.mod replaces every k8s.io/* staging
# module with ./staging/src/... . A wrapper module requires it at a pinned release and replaces
# each of those staging modules with the matching published v0.x release instead.
set -euo pipefail

K8S_VERSION="${MCFED_K8S_VERSION:-v1.32.4}"
ETCD_VERSION="${MCFED_ETCD_VERSION:-v3.5.17}"
KWOK_VERSION="${MCFED_KWOK_VERSION:-v0.7.0}"
STAGING_VERSION="v0.${K8S_VERSION#v1.}"
CACHE="${MCFED_KUBE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mcfed/kube}"
BIN="$CACHE/kube-$K8S_VERSION-etcd-$ETCD_VERSION/bin"

if [[ -x "$BIN/kube-apiserver" && -x "$BIN/kube-controller-manager" && -x "$BIN/kube-scheduler" && -x "$BIN/etcd" && -x "$BIN/kwok" ]]; then
  echo "$BIN"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$BIN"
export GOFLAGS="${GOFLAGS:--mod=mod}"
# This workplace reaches the module proxy but not the checksum database; go.sum still pins what
# was downloaded. Set MCFED_GOSUMDB to verify against a checksum database where one is reachable.
export GOSUMDB="${MCFED_GOSUMDB:-off}"

# kube-apiserver, kube-controller-manager and kube-scheduler, from one wrapper module. Only what is missing is
# built, so a cache that predates the controller manager gains it without rebuilding the rest.
missing=()
for cmd in kube-apiserver kube-controller-manager kube-scheduler; do
  [[ -x "$BIN/$cmd" ]] || missing+=("$cmd")
done
if (( ${#missing[@]} > 0 )); then
  mkdir -p "$work/kube" && cd "$work/kube"
  go mod init mcfed.local/kube >/dev/null 2>&1
  gomod="$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  {
    echo "require k8s.io/kubernetes $K8S_VERSION"
    # Every `k8s.io/x => ./staging/src/k8s.io/x` line becomes `k8s.io/x => k8s.io/x v0.N.M`.
    sed -n 's#^[[:space:]]*\(k8s.io/[^ ]*\) => ./staging/src/.*#replace \1 => \1 '"$STAGING_VERSION"'#p' "$gomod"
  } >> go.mod
  {
    echo '//go:build tools'
    echo
    echo 'package tools'
    echo
    for cmd in "${missing[@]}"; do echo "import _ \"k8s.io/kubernetes/cmd/$cmd\""; done
  } > tools.go
  go mod tidy >&2
  for cmd in "${missing[@]}"; do
    go build -trimpath -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=$K8S_VERSION" -o "$BIN/$cmd" "k8s.io/kubernetes/cmd/$cmd" >&2
  done
fi

# etcd: a two-line main around the server module's own entry point.
if [[ ! -x "$BIN/etcd" ]]; then
  mkdir -p "$work/etcd" && cd "$work/etcd"
  go mod init mcfed.local/etcd >/dev/null 2>&1
  cat > main.go <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" >&2
  go mod tidy >&2
  go build -trimpath -ldflags "-s -w" -o "$BIN/etcd" . >&2
fi

# KWOK, from its own module (it pins its own k8s.io releases); the binary is its `kwok` command.
if [[ ! -x "$BIN/kwok" ]]; then
  mkdir -p "$work/kwok" && cd "$work/kwok"
  go mod init mcfed.local/kwok >/dev/null 2>&1
  go get "sigs.k8s.io/kwok@$KWOK_VERSION" >&2
  go build -trimpath -ldflags "-s -w" -o "$BIN/kwok" sigs.k8s.io/kwok/cmd/kwok >&2
fi

echo "$BIN"

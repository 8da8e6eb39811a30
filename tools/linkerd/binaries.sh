#!/usr/bin/env bash
# Finds, or builds, Linkerd's own `linkerd` CLI and `controller` binary of one release, and prints
# where they are, one `key=path` a line:
#   cli=/…/linkerd
#   controller=/…/controller
#
# Usage: tools/linkerd/binaries.sh [--no-build] [--controller-only] [--linkerd-cli PATH] [RELEASE]
#   RELEASE            an edge name (edge-25.10.7) or a 2.x version (2.19 = edge-25.10.7, 2.20 = edge-26.6.3);
#                      default edge-25.10.7
#   --no-build         report what is found without building (exit 3 when something is missing)
#   --controller-only  only the controller (what the sandbox runs); prints no cli= line
#
# The CLI is taken from --linkerd-cli, else MCFED_LINKERD_CLI, else `linkerd` on PATH, when it is
# that release; the controller from MCFED_LINKERD_CONTROLLER when it is that release. Whatever is
# still missing comes from Linkerd's unmodified source beside the checkout
# (${MCFED_LINKERD_SOURCE:-../shared/linkerd-source}/build.sh: about 8 minutes once per machine and
# release, then cached). No registry serves Linkerd's binaries, so there is no other way to get them.
#
# Exit: 0 found (or built); 3 not available here (what is missing is said on stderr); 1 the build failed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

build=1
want_cli=1
cli_flag=
release=edge-25.10.7
while (($#)); do
  case $1 in
    --no-build) build=0 ;;
    --controller-only) want_cli=0 ;;
    --linkerd-cli) cli_flag=${2:?--linkerd-cli takes a path}; shift ;;
    -h | --help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "binaries.sh: unknown option $1" >&2; exit 2 ;;
    *) release=$1 ;;
  esac
  shift
done
case $release in
  2.19 | 2.19.0) release=edge-25.10.7 ;;
  2.20 | 2.20.0) release=edge-26.6.3 ;;
  edge-*) ;;
  *) echo "binaries.sh: $release names no release this script knows (2.19, 2.20 or an edge-YY.M.N name)" >&2; exit 2 ;;
esac

# The version a binary says it is: `linkerd version --client --short`, `controller destination -version`.
version_of() {
  case $2 in
    cli) "$1" version --client --short 2>/dev/null | tr -d '[:space:]' ;;
    controller) "$1" destination -version 2>/dev/null | tr -d '[:space:]' ;;
  esac
}

# The first candidate that is an executable of the release; notes why the others were passed over.
pick() {
  local what=$1 path where found
  shift
  while (($#)); do
    where=$1 path=$2
    shift 2
    [[ -n $path ]] || continue
    if [[ ! -x $path ]]; then
      echo "binaries.sh: $where: $path is not an executable file" >&2
      continue
    fi
    found=$(version_of "$path" "$what" || true)
    if [[ $found == "$release" ]]; then
      echo "$path"
      return 0
    fi
    echo "binaries.sh: $where: $path is ${found:-of no version it would say}, not $release" >&2
  done
  return 1
}

cli=-
if ((want_cli)); then
  cli=$(pick cli --linkerd-cli "$cli_flag" MCFED_LINKERD_CLI "${MCFED_LINKERD_CLI:-}" PATH "$(command -v linkerd || true)") || cli=
fi
controller=$(pick controller MCFED_LINKERD_CONTROLLER "${MCFED_LINKERD_CONTROLLER:-}") || controller=

if [[ -z $cli || -z $controller ]]; then
  source_dir=${MCFED_LINKERD_SOURCE:-$root/../shared/linkerd-source}
  missing=$([[ -z $cli ]] && echo -n 'the linkerd CLI'; [[ -z $cli && -z $controller ]] && echo -n ' and '; [[ -z $controller ]] && echo -n 'the controller')
  if [[ ! -x $source_dir/build.sh ]]; then
    echo "binaries.sh: $missing of Linkerd $release not found, and no Linkerd source to build it from ($source_dir/build.sh): set MCFED_LINKERD_CLI and MCFED_LINKERD_CONTROLLER, or put Linkerd's source beside the checkout" >&2
    exit 3
  fi
  # build.sh prints its cache at once when the release was built before; it builds only otherwise.
  cache=${LINKERD_BUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/linkerd-build}/$release/bin
  if ((!build)) && [[ ! -x $cache/linkerd || ! -x $cache/controller ]]; then
    echo "binaries.sh: $missing of Linkerd $release not built yet: run tools/linkerd/binaries.sh $release (about 8 minutes once per machine)" >&2
    exit 3
  fi
  bin=$("$source_dir/build.sh" "$release") || { echo "binaries.sh: building Linkerd $release from $source_dir failed (its log is above)" >&2; exit 1; }
  cli=${cli:-$bin/linkerd}
  controller=${controller:-$bin/controller}
fi

((want_cli)) && echo "cli=$cli"
echo "controller=$controller"

#!/usr/bin/env bash
# Puts Node.js 24 on PATH when the machine's node is older than 22.12 (Astro's floor).
# Node comes from the npm registry (package node-linux-<arch>), so CI needs no other download source.
# Source it: `source .ci/node.sh`. Cached under ${WSLAB_NODE_CACHE:-$HOME/.cache/ws-lab-node}.

_wslab_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)'
}

_wslab_node_fetch() {
  local want=${WSLAB_NODE_VERSION:-24} cache=${WSLAB_NODE_CACHE:-$HOME/.cache/ws-lab-node} arch
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64|arm64) arch=arm64 ;;
    *) echo "node.sh: unsupported architecture $(uname -m)" >&2; return 1 ;;
  esac
  local dir="$cache/node-$want-$arch"
  if [ ! -x "$dir/bin/node" ]; then
    local tmp; tmp=$(mktemp -d) || return 1
    echo "node.sh: fetching node-linux-$arch@$want from the npm registry" >&2
    (cd "$tmp" && npm pack --silent "node-linux-$arch@$want" >/dev/null && tar xzf node-linux-*.tgz) || {
      echo "node.sh: could not fetch node-linux-$arch@$want" >&2; rm -rf "$tmp"; return 1; }
    mkdir -p "$cache" && rm -rf "$dir" && mv "$tmp/package" "$dir" && rm -rf "$tmp"
  fi
  printf '%s\n' "$dir/bin"
}

if ! _wslab_node_ok; then
  # npm derives its global config path from where node lives; keep the machine's one (registry, cafile).
  export NPM_CONFIG_GLOBALCONFIG="${NPM_CONFIG_GLOBALCONFIG:-$(npm config get globalconfig)}"
  _wslab_bin=$(_wslab_node_fetch) || { return 1 2>/dev/null || exit 1; }
  export PATH="$_wslab_bin:$PATH"
  unset _wslab_bin
fi
echo "node.sh: using node $(node --version) from $(command -v node)"

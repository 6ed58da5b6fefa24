#!/usr/bin/env bash
# Installs puppeteer-core (npm) into tests/e2e/viewer/node_modules for the
# viewer's browser tests. No browser is downloaded: the tests drive Debian's
# chromium (scripts/install-deps.sh installs it). Idempotent: does nothing when
# the pinned version is already installed.
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../tests/e2e/viewer" && pwd)"
# One node start for both versions (each start is ~0.1 s of CPU).
read -r WANT HAVE < <(node -p "[require('$DIR/package.json').dependencies['puppeteer-core'],
  (() => { try { return require('$DIR/node_modules/puppeteer-core/package.json').version }
           catch (e) { return '-' } })()].join(' ')")
if [ "$WANT" = "$HAVE" ]; then
  echo "install-viewer-test-deps: puppeteer-core $HAVE is installed"
  exit 0
fi
command -v npm >/dev/null || { echo "install-viewer-test-deps: npm not found (run scripts/install-deps.sh)" >&2; exit 1; }
echo "install-viewer-test-deps: npm install puppeteer-core@$WANT"
(cd "$DIR" && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --silent)

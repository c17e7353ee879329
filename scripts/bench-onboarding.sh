#!/usr/bin/env bash
# Release-mode benchmark of onboarding file reading: CSV only, then the full row pipeline.
# Usage: scripts/bench-onboarding.sh [ROWS]   (default 1,000,000)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib/apt.sh
source "$here/lib/apt.sh"
ensure_apt_packages libphonenumber-dev zlib1g-dev
cd "$here/bench-onboarding"
swift build -c release --product bench-onboarding >&2
"$(swift build -c release --show-bin-path)/bench-onboarding" "${1:-1000000}"

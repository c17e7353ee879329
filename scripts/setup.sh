#!/usr/bin/env bash
# Installs the Debian packages Bakery needs to build and test, skipping what is installed.
# Safe to run repeatedly (CI runs it on every fresh machine).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib/apt.sh
source "$here/lib/apt.sh"
# libphonenumber: phone normalisation (CPhoneNumber); zlib: .csv.gz uploads (CBakeryZlib).
ensure_apt_packages libphonenumber-dev zlib1g-dev

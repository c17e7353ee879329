#!/usr/bin/env bash
# Installs the Debian packages Bakery needs to build and test, skipping what is installed.
# Safe to run repeatedly (CI runs it on every fresh machine).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib/apt.sh
source "$here/lib/apt.sh"
# libphonenumber: phone normalisation (CPhoneNumber); zlib: .csv.gz uploads (CBakeryZlib);
# ncursesw: the console (CNcurses); sqlite3: the store and the benchmark reference; tmux: console end-to-end tests;
# curl: probing the S3 test servers; faketime: the storage end-to-end run's next night.
ensure_apt_packages libphonenumber-dev zlib1g-dev libncurses-dev libsqlite3-dev sqlite3 tmux curl faketime
# iab-tcf: the independent TC string decoder the consent tests check Bakery's against (Tests/BakeryCoreTests/Consent).
if ! python3 -c 'import iab_tcf' >/dev/null 2>&1; then
    python3 -m pip install --quiet --break-system-packages iab-tcf==0.2.2
fi

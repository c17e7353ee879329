# shellcheck shell=bash
# Idempotent Debian package installation for Bakery's set-up scripts.
# Source this file, then call: ensure_apt_packages PKG...
#
# Packages that `dpkg -s` reports as installed are skipped, so a second run does
# no network work at all; `apt-get update` runs at most once per call, and only
# when something is actually missing.

# Prints the command prefix needed to run apt as root: nothing for root, `sudo`
# when available, and fails otherwise so the caller sees why nothing installed.
_apt_privilege_prefix() {
    if [ "$(id -u)" -eq 0 ]; then
        return 0
    fi
    if command -v sudo >/dev/null 2>&1; then
        printf 'sudo'
        return 0
    fi
    echo "ensure_apt_packages: not root and sudo is not available; install as root: $*" >&2
    return 1
}

# ensure_apt_packages PKG... — installs the packages that are not installed yet.
ensure_apt_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        if ! dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed'; then
            missing+=("$pkg")
        fi
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        return 0
    fi
    local prefix
    prefix="$(_apt_privilege_prefix "${missing[@]}")" || return 1
    echo "installing Debian packages: ${missing[*]}" >&2
    # shellcheck disable=SC2086 # prefix is empty or a single word on purpose
    $prefix env DEBIAN_FRONTEND=noninteractive apt-get update -qq || return 1
    # shellcheck disable=SC2086
    $prefix env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null || return 1
}

#!/usr/bin/env bash
# End-to-end onboarding benchmark: generated CRM files onboarded into a fresh SQLite database by the release
# `bakery onboard`, one process per run, timed with its peak resident memory (GNU time's %M).
# Usage: scripts/bench-onboard-e2e.sh [ROWS]   (default 1,000,000; a quarter-size run shows memory is flat)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib/apt.sh
source "$here/lib/apt.sh"
ensure_apt_packages libphonenumber-dev zlib1g-dev libsqlite3-dev time
rows="${1:-1000000}"
cd "$here/.."
swift build -c release --product bakery >&2
bakery="$(swift build -c release --show-bin-path)/bakery"
work="$(mktemp -d -t bakery-bench-e2e.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# email: one column; email+phone: Dutch mobile numbers written nationally, as CRM exports usually have them.
generate() { # ROWS KIND FILE
    python3 - "$1" "$2" "$3" <<'PY'
import sys
rows, kind, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with open(path, "w", newline="") as out:
    out.write("Email,Phone\r\n" if kind == "email+phone" else "Email\r\n")
    for i in range(rows):
        if kind == "email+phone":
            out.write(f"User.{i}@Example.com,06{10000000 + i % 90000000}\r\n")
        else:
            out.write(f"User.{i}@Example.com\r\n")
PY
}

run() { # LABEL ROWS KIND MODE [FRESH]
    local label="$1" n="$2" kind="$3" mode="$4" file="$work/$3-$2.csv" db="$work/$3-$2.sqlite"
    [[ -f "$file" ]] || generate "$n" "$kind" "$file"
    if [[ "${5:-fresh}" == fresh ]]; then
        rm -f "$db" "$db-wal" "$db-shm"
        "$bakery" --db "$db" client add bench --name Bench --country NL --dmp custom >/dev/null 2>&1
    fi
    /usr/bin/time -f "%e %M" -o "$work/time" "$bakery" --db "$db" onboard bench "$file" --mode "$mode" --json \
        --report "$work/report.csv" >"$work/summary.json"
    read -r wall kib <"$work/time"
    python3 - "$label" "$work/summary.json" "$wall" "$kib" <<'PY'
import json, sys
label, path, wall, kib = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
s = json.load(open(path))
print(f"| {label:<34} | {s['rows']:>9,} | {s['accepted']:>9,} | {s['seconds']:>6.2f} | {s['rows']/wall:>9,.0f} "
      f"| {kib/1024:>6.0f} |")
PY
}

echo "| run                                | rows      | accepted  | s      | rows/s    | peak MiB |"
echo "|------------------------------------|-----------|-----------|--------|-----------|----------|"
run "email, add into empty db" "$rows" email add
run "email, same file again (all present)" "$rows" email add kept
run "email, replace with the same file" "$rows" email replace kept
run "email+phone, add into empty db" "$rows" email+phone add
run "email, quarter size (memory check)" "$((rows / 4))" email add
echo "(rows/s is rows over the whole process's wall time, start-up and commit included; seconds is the"
echo " onboarding's own time. Peak MiB is the process's maximum resident set.)"

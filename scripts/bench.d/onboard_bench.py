#!/usr/bin/env python3
"""`scripts/bench onboard`: Bakery's onboarding at the shapes clients send, beside the references, same run.

Usage: onboard_bench.py --bakery BIN --work DIR [--rows N] [--runs R] [--shapes e,a,b] [--programs bakery,python,...]
(--shapes and --programs narrow a run while working on one path; the ratios need all four programs.)

Shapes (crm_shapes.py; N rows each, e-mails mixed-case and padded, one in 200 invalid, record ids unsorted):
  (e) e-mail only, added; then the same file as an opt-out (remove by e-mail)
  (a) e-mail + custom id, added; then again as a nightly replace; then as an opt-out (remove by custom id)
  (b) e-mail + phone + custom id, added; then again as a nightly replace
Each step runs as a chain on a fresh database per program, and every program's chain runs once per round, the
programs interleaved: `bakery onboard` (release), the Python reference (reference_onboard.py), DuckDB
(reference_duckdb.py) and the floor — the sqlite3 command line writing the finished rows (crm_shapes.py's stage)
into Bakery's own schema with set-based SQL, no reading, parsing or hashing. Every program must end each step with
the same number of active records. Prints per step the medians (wall time of the whole process) and the ratios the
targets are stated in, then Bakery's peak memory at N and 2N rows.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SHAPES = {"e": "email", "a": "email+custom", "b": "email+phone+custom"}
CHAINS = {"e": ["add", "remove"], "a": ["add", "replace", "remove"], "b": ["add", "replace"]}
LABEL = {
    ("e", "add"): "(e) e-mail, add",
    ("e", "remove"): "(d) opt-out by e-mail (remove)",
    ("a", "add"): "(a) e-mail + custom id, add",
    ("a", "replace"): "(c) (a) again, nightly replace",
    ("a", "remove"): "(d) opt-out by custom id (remove)",
    ("b", "add"): "(b) e-mail + phone + custom id, add",
    ("b", "replace"): "(c) (b) again, nightly replace",
}
PROGRAMS = ["bakery", "python", "duckdb", "sqlite3"]


def measured(command):
    """Runs one process; returns its wall seconds, its peak RSS in MiB and its stdout. A wrapper Python process runs
    it, so that getrusage's maximum over the wrapper's children is this process's alone."""
    script = ("import resource, subprocess, sys, time; t = time.monotonic(); "
              "r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
              "print(r.returncode, time.monotonic() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
              "print(r.stdout); print(r.stderr[-2000:], file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", script] + command, capture_output=True, text=True)
    first, _, out = result.stdout.partition("\n")
    code, seconds, kib = first.split()
    if code != "0":
        sys.exit(f"scripts/bench onboard: {' '.join(command[:4])}… failed ({code}): {result.stderr}")
    return float(seconds), int(kib) / 1024, out


def generated(work, rows, name, stage=True):
    """The CSV file of shape `name` with `rows` rows, and its stage for the floor (or None), made once per work folder."""
    csv = os.path.join(work, f"crm-{name}-{rows}.csv")
    staged = os.path.join(work, f"stage-{name}-{rows}.sqlite") if stage else None
    if not os.path.exists(staged or csv):
        subprocess.run([sys.executable, os.path.join(HERE, "crm_shapes.py"), str(rows), name, csv]
                       + ([staged] if staged else []), check=True)
    return csv, staged


def fresh_database(db, bakery=None):
    """Removes `db` and its journal files; with `bakery`, creates it in Bakery's schema with client `bench`."""
    for suffix in ("", "-wal", "-shm", ".wal"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    if bakery:
        subprocess.run([bakery, "--db", db, "client", "add", "bench", "--name", "Bench", "--country", "NL",
                        "--dmp", "custom"], check=True, capture_output=True)


def floor_sql(shape, step, stage):
    client = "'bench'"
    upload = {"add": 1, "replace": 2, "remove": 3}[step]
    head = f"""PRAGMA synchronous = NORMAL; PRAGMA cache_size = -262144; ATTACH '{stage}' AS s; BEGIN IMMEDIATE;
INSERT INTO upload (id, client_id, mode, source, file_name, started_at, finished_at, rows, accepted, rejected,
    duplicates, records_before, records_after, status)
VALUES ({upload}, {client}, '{step}', 'cli', 'floor', 0, 0, 0, 0, 0, 0, 0, 0, 'applied');
"""
    identifiers = (f"INSERT INTO crm_identifier (record, kind, hash) SELECT r.id, 'email', st.email FROM s.stage st "
                   f"JOIN crm_record r ON r.client_id = {client} AND r.record_id = st.record_id ORDER BY st.rowid;\n")
    if shape == "b":
        identifiers += identifiers.replace("'email', st.email", "'phone', st.phone")
    if step == "add":
        body = (f"INSERT INTO crm_record (id, client_id, record_id, active, upload_id, updated_at) "
                f"SELECT rowid, {client}, record_id, 1, 1, 0 FROM s.stage ORDER BY rowid;\n"
                f"INSERT INTO crm_identifier (record, kind, hash) SELECT rowid, 'email', email FROM s.stage ORDER BY rowid;\n")
        if shape == "b":
            body += "INSERT INTO crm_identifier (record, kind, hash) SELECT rowid, 'phone', phone FROM s.stage ORDER BY rowid;\n"
    elif step == "replace":
        body = (f"INSERT INTO crm_record (client_id, record_id, active, upload_id, updated_at) "
                f"SELECT {client}, record_id, 1, 2, 1 FROM s.stage WHERE true ORDER BY rowid "
                f"ON CONFLICT (client_id, record_id) DO UPDATE SET active = 1, upload_id = 2, updated_at = 1;\n"
                f"DELETE FROM crm_identifier WHERE record IN (SELECT id FROM crm_record WHERE client_id = {client} "
                f"AND upload_id = 2);\n" + identifiers +
                f"UPDATE crm_record SET active = 0 WHERE client_id = {client} AND active = 1 AND upload_id IS NOT 2;\n")
    elif shape == "a":
        body = (f"UPDATE crm_record SET active = 0, upload_id = 3, updated_at = 2 WHERE client_id = {client} "
                f"AND active = 1 AND record_id IN (SELECT record_id FROM s.stage);\n")
    else:
        body = (f"UPDATE crm_record SET active = 0, upload_id = 3, updated_at = 2 WHERE client_id = {client} "
                f"AND active = 1 AND id IN (SELECT record FROM crm_identifier WHERE kind = 'email' "
                f"AND hash IN (SELECT email FROM s.stage));\n")
    return head + body + f"COMMIT;\nSELECT count(*) FROM crm_record WHERE client_id = {client} AND active = 1;\n"


def step_command(program, shape, step, files, work, bakery, db):
    """The command one program runs for one step, and how to read the active records from its output."""
    csv, stage = files[shape]
    if program == "bakery":
        report = os.path.join(work, "report.csv")
        return ([bakery, "--db", db, "onboard", "bench", csv, "--mode", step, "--json", "--report", report],
                lambda out: json.loads(out)["records_after"])
    if program in ("python", "duckdb"):
        script = os.path.join(HERE, "reference_onboard.py" if program == "python" else "reference_duckdb.py")
        return [sys.executable, script, csv, db, "--mode", step], lambda out: json.loads(out)["records"]
    sql = os.path.join(work, "floor.sql")
    with open(sql, "w") as f:
        f.write(floor_sql(shape, step, stage))
    return ["sqlite3", db, f".read {sql}"], lambda out: int(out.split()[-1])


def chain(program, shape, files, work, bakery):
    """Runs the shape's chain with one program on a fresh database; yields (step, seconds, peak MiB, active)."""
    db = os.path.join(work, f"{program}-{shape}.db")
    fresh_database(db, bakery if program in ("bakery", "sqlite3") else None)
    for step in CHAINS[shape]:
        command, active = step_command(program, shape, step, files, work, bakery, db)
        seconds, peak, out = measured(command)
        yield step, seconds, peak, active(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bakery", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shapes", default=",".join(CHAINS), help="of e, a, b")
    parser.add_argument("--programs", default=",".join(PROGRAMS), help="of " + ", ".join(PROGRAMS))
    args = parser.parse_args()
    shapes = [shape for shape in args.shapes.split(",") if shape]
    programs = [program for program in args.programs.split(",") if program]
    unknown = [x for x in shapes if x not in CHAINS] + [x for x in programs if x not in PROGRAMS]
    if unknown or not shapes or not programs:
        parser.error(f"unknown or no shapes/programs: {unknown}")
    files = {shape: generated(args.work, args.rows, SHAPES[shape]) for shape in shapes}
    load = lambda: " ".join(open("/proc/loadavg").read().split()[:3])
    print(f"onboard, {args.rows:,} rows a file, {args.runs} interleaved rounds, load before: {load()}")
    times, peaks, expected = {}, {}, {}
    for round_ in range(1, args.runs + 1):
        for shape in shapes:
            for program in programs:
                actives = []
                for step, seconds, peak, active in chain(program, shape, files, args.work, args.bakery):
                    times.setdefault((shape, step, program), []).append(seconds)
                    peaks.setdefault((shape, step, program), []).append(peak)
                    actives.append(active)
                    print(f"  round {round_}  {program:8} {LABEL[(shape, step)]:36} {seconds:7.2f} s {peak:6.0f} MiB "
                          f"active {active:,}", file=sys.stderr, flush=True)
                if expected.setdefault(shape, actives) != actives:
                    sys.exit(f"scripts/bench onboard: {program} left {actives} active records, bakery {expected[shape]}")
    median = lambda key: statistics.median(times[key]) if key in times else float("nan")
    ratio = lambda a, b: f"{a / b:.2f}x" if a == a and b == b else "-"
    print(f"  {'step (medians, s)':36} {'bakery':>7} {'python':>7} {'duckdb':>7} {'sqlite3':>7} "
          f"{'py/bakery':>9} {'bakery/duck':>11} {'bakery/floor':>12} {'peak MiB':>8}")
    for shape in shapes:
        for step in CHAINS[shape]:
            b, p, d, f = (median((shape, step, program)) for program in PROGRAMS)
            peak = statistics.median(peaks.get((shape, step, "bakery"), [float("nan")]))
            print(f"  {LABEL[(shape, step)]:36} {b:7.2f} {p:7.2f} {d:7.2f} {f:7.2f} {ratio(p, b):>9} {ratio(b, d):>11} "
                  f"{ratio(b, f):>12} {peak:8.0f}")
    print("  targets: python/bakery >= 3x for (a)-(d); bakery/duckdb <= 2x for (a) and (e); remove <= 1.5x its add")
    for shape in ("e", "a"):
        if shape in shapes:
            print(f"  {LABEL[(shape, 'remove')]}: "
                  f"{ratio(median((shape, 'remove', 'bakery')), median((shape, 'add', 'bakery')))} the time of its add")
    if "bakery" not in programs or "a" not in shapes:
        return
    # Memory flat in file size: the same shape at twice the rows, one run.
    big, _ = generated(args.work, 2 * args.rows, SHAPES["a"], stage=False)
    db = os.path.join(args.work, "memory.db")
    fresh_database(db, args.bakery)
    seconds, peak, _ = measured([args.bakery, "--db", db, "onboard", "bench", big, "--json", "--report",
                                os.path.join(args.work, "report.csv")])
    one = statistics.median(peaks[("a", "add", "bakery")])
    print(f"  memory: (a) at {args.rows:,} rows peak {one:.0f} MiB; at {2 * args.rows:,} rows {peak:.0f} MiB "
          f"({seconds:.2f} s)")
    print(f"  load after: {load()}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The same onboarding as reference_onboard.py, done by DuckDB (PyPI `duckdb`): the strongest bulk-load reference
`scripts/bench onboard` measures `bakery onboard` against.

Usage: reference_duckdb.py FILE.csv DB.duckdb [--mode add|replace|remove]

One transaction: `read_csv` (all columns as text), normalise in SQL (e-mail: whitespace removed, lower-cased, one
'@' not at either end; phone: the digits, a Dutch national `0…` or international `0031…`/`31…` prefix turned into
E.164 digits, nine digits after the 31), `sha256` of the normalised text stored as 32 bytes, then into a table with
the same keys as the Python reference: the record id (`custom`, else the primary hash in hex) as the primary key,
an index on each hash. The phone rule is a Dutch-only approximation with no number-plan check — less work than
Bakery's libphonenumber parse, so the comparison favours DuckDB. Prints one JSON line of counts.
"""
import argparse
import json
import time

import duckdb

NORMALISED = r"""
    WITH raw AS (SELECT * FROM read_csv(?, header = true, all_varchar = true)),
    cleaned AS (
        SELECT {custom} AS custom,
            lower(regexp_replace(coalesce(email, ''), '\s', '', 'g')) AS e,
            {phone} AS p
        FROM raw),
    checked AS (
        SELECT custom, e, p,
            e = '' OR (length(e) - length(replace(e, '@', '')) = 1 AND NOT starts_with(e, '@')
                AND NOT ends_with(e, '@')) AS e_ok,
            p IS NULL OR (starts_with(p, '31') AND length(p) = 11) AS p_ok
        FROM cleaned)
    SELECT coalesce(custom, sha256(CASE WHEN e <> '' THEN e ELSE p END)) AS record_id,
        CASE WHEN e <> '' THEN unhex(sha256(e)) END AS email_sha256,
        CASE WHEN p IS NOT NULL THEN unhex(sha256(p)) END AS phone_sha256
    FROM checked WHERE e_ok AND p_ok AND (e <> '' OR p IS NOT NULL)
"""
PHONE = r"""CASE WHEN trim(coalesce(phone, '')) = '' THEN NULL ELSE regexp_replace(
    regexp_replace(regexp_replace(phone, '[^0-9]', '', 'g'), '^00', ''), '^0', '31') END"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("db_path")
    parser.add_argument("--mode", choices=["add", "replace", "remove"], default="add")
    args = parser.parse_args()
    path, db_path, mode = args.path, args.db_path, args.mode
    start = time.monotonic()
    with open(path, encoding="utf-8-sig") as source:
        header = source.readline().strip().lower().split(",")
    db = duckdb.connect(db_path)
    db.execute(
        "CREATE TABLE IF NOT EXISTS crm_record (record_id VARCHAR PRIMARY KEY, email_sha256 BLOB, phone_sha256 BLOB, "
        "active BOOLEAN NOT NULL, upload INTEGER NOT NULL)")
    db.execute("CREATE INDEX IF NOT EXISTS crm_record_email ON crm_record(email_sha256)")
    db.execute("CREATE INDEX IF NOT EXISTS crm_record_phone ON crm_record(phone_sha256)")
    db.execute("BEGIN TRANSACTION")
    upload = db.execute("SELECT coalesce(max(upload), 0) + 1 FROM crm_record").fetchone()[0]
    query = NORMALISED.format(custom="nullif(trim(custom), '')" if "custom" in header else "NULL",
                              phone=PHONE if "phone" in header else "NULL")
    db.execute(f"CREATE TEMP TABLE upload_rows AS {query}", [path])
    accepted = db.execute("SELECT count(*) FROM upload_rows").fetchone()[0]
    if mode == "remove":
        key = "record_id" if "custom" in header else "email_sha256"
        db.execute(f"UPDATE crm_record SET active = false, upload = ? WHERE active AND {key} IN "
                   f"(SELECT {key} FROM upload_rows)", [upload])
    else:
        db.execute(
            "INSERT INTO crm_record SELECT record_id, email_sha256, phone_sha256, true, ? FROM upload_rows "
            "ON CONFLICT (record_id) DO UPDATE SET active = true, upload = excluded.upload, "
            "email_sha256 = coalesce(excluded.email_sha256, email_sha256), "
            "phone_sha256 = coalesce(excluded.phone_sha256, phone_sha256)", [upload])
        if mode == "replace":
            db.execute("UPDATE crm_record SET active = false WHERE active AND upload <> ?", [upload])
    db.execute("DROP TABLE upload_rows")
    db.execute("COMMIT")
    records = db.execute("SELECT count(*) FROM crm_record WHERE active").fetchone()[0]
    db.close()
    print(json.dumps({"mode": mode, "accepted": accepted, "records": records,
                      "seconds": round(time.monotonic() - start, 3)}))


if __name__ == "__main__":
    main()

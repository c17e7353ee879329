#!/usr/bin/env python3
"""The onboarding pipeline a data engineer would write without Bakery: the reference `scripts/bench onboard`
measures `bakery onboard` against.

Usage: reference_onboard.py FILE.csv DB.sqlite [REGION] [--mode add|replace|remove]

Reads the CSV with the csv module, normalises e-mail (trim, remove whitespace, lowercase, must hold one '@') and
phone (phonenumbers: parse in REGION, must be valid, E.164 without '+'), hashes each with hashlib SHA-256 exactly as
Bakery does, and writes into SQLite in one transaction, one row per record: record id = the `custom` column when
the file has one, else the primary identifier's hex hash (as Bakery's), the primary key; the hashes as 32-byte
blobs, each with an index (matching and opt-outs look records up by them), and whether the record is active.
- add: new records go in, records already stored are reactivated (an upsert);
- replace: the same, then every record the file did not name is deactivated;
- remove: the records the file names are deactivated — by `custom` id when the file has one, else by e-mail hash.
Prints one JSON line of counts.
"""
import argparse
import csv
import hashlib
import json
import sqlite3
import sys
import time

import phonenumbers


def email_hash(raw):
    value = "".join(raw.split()).lower()
    if value.count("@") != 1 or value.startswith("@") or value.endswith("@"):
        return None
    return hashlib.sha256(value.encode()).digest()


def phone_hash(raw, region):
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return hashlib.sha256(e164[1:].encode()).digest()


UPSERT = ("INSERT INTO crm_record VALUES (?, ?, ?, 1, ?) ON CONFLICT (record_id) DO UPDATE SET active = 1, "
          "upload = excluded.upload, email_sha256 = coalesce(excluded.email_sha256, email_sha256), "
          "phone_sha256 = coalesce(excluded.phone_sha256, phone_sha256)")
REMOVE_BY_ID = "UPDATE crm_record SET active = 0, upload = ? WHERE record_id = ? AND active = 1"
REMOVE_BY_EMAIL = "UPDATE crm_record SET active = 0, upload = ? WHERE email_sha256 = ? AND active = 1"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("db_path")
    parser.add_argument("region", nargs="?", default="NL")
    parser.add_argument("--mode", choices=["add", "replace", "remove"], default="add")
    args = parser.parse_args()
    path, db_path, region, mode = args.path, args.db_path, args.region, args.mode
    start = time.monotonic()
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(
        "CREATE TABLE IF NOT EXISTS crm_record (record_id TEXT PRIMARY KEY, email_sha256 BLOB, phone_sha256 BLOB, "
        "active INTEGER NOT NULL, upload INTEGER NOT NULL) WITHOUT ROWID")
    db.execute("CREATE INDEX IF NOT EXISTS crm_record_email ON crm_record(email_sha256)")
    db.execute("CREATE INDEX IF NOT EXISTS crm_record_phone ON crm_record(phone_sha256)")
    rows = accepted = rejected = changed = 0
    db.execute("BEGIN IMMEDIATE")
    upload = db.execute("SELECT coalesce(max(upload), 0) + 1 FROM crm_record").fetchone()[0]
    with open(path, newline="", encoding="utf-8-sig") as source:
        reader = csv.reader(source)
        header = [name.strip().lower() for name in next(reader)]
        email_at = header.index("email") if "email" in header else None
        phone_at = header.index("phone") if "phone" in header else None
        custom_at = header.index("custom") if "custom" in header else None
        statement = UPSERT if mode != "remove" else REMOVE_BY_ID if custom_at is not None else REMOVE_BY_EMAIL
        batch = []
        for row in reader:
            rows += 1
            email = email_hash(row[email_at]) if email_at is not None and row[email_at].strip() else None
            phone = phone_hash(row[phone_at], region) if phone_at is not None and row[phone_at].strip() else None
            bad_email = email_at is not None and row[email_at].strip() and email is None
            bad_phone = phone_at is not None and row[phone_at].strip() and phone is None
            custom = row[custom_at].strip() if custom_at is not None else ""
            if bad_email or bad_phone or (email is None and phone is None):
                rejected += 1
                continue
            accepted += 1
            record = custom or (email or phone).hex()
            if mode == "remove":
                batch.append((upload, record) if custom_at is not None else (upload, email))
            else:
                batch.append((record, email, phone, upload))
            if len(batch) >= 10000:
                changed += db.executemany(statement, batch).rowcount
                batch.clear()
        changed += db.executemany(statement, batch).rowcount
    if mode == "replace":
        changed += db.execute("UPDATE crm_record SET active = 0 WHERE upload <> ? AND active = 1", (upload,)).rowcount
    db.execute("COMMIT")
    records = db.execute("SELECT count(*) FROM crm_record WHERE active = 1").fetchone()[0]
    db.close()
    print(json.dumps({"mode": mode, "rows": rows, "accepted": accepted, "rejected": rejected, "changed": changed,
                      "records": records, "seconds": round(time.monotonic() - start, 3)}))


if __name__ == "__main__":
    main()

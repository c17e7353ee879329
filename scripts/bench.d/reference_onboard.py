#!/usr/bin/env python3
"""The onboarding pipeline a data engineer would write without Bakery: the reference `scripts/bench onboard`
measures `bakery onboard` against.

Usage: reference_onboard.py FILE.csv DB.sqlite [REGION]

Reads the CSV with the csv module, normalises e-mail (trim, remove whitespace, lowercase, must hold one '@') and
phone (phonenumbers: parse in REGION, must be valid, E.164 without '+'), hashes each with hashlib SHA-256 exactly as
Bakery does, and inserts one row per record into SQLite in one transaction: record id = the primary identifier's hex
hash (as Bakery's), unique, with the hashes as 32-byte blobs. Prints one JSON line of counts.
"""
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


def main():
    path, db_path = sys.argv[1], sys.argv[2]
    region = sys.argv[3] if len(sys.argv) > 3 else "NL"
    start = time.monotonic()
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(
        "CREATE TABLE IF NOT EXISTS crm_record "
        "(record_id TEXT PRIMARY KEY, email_sha256 BLOB, phone_sha256 BLOB) WITHOUT ROWID")
    db.execute("CREATE INDEX IF NOT EXISTS crm_record_phone ON crm_record(phone_sha256)")
    rows = accepted = rejected = 0
    db.execute("BEGIN IMMEDIATE")
    with open(path, newline="", encoding="utf-8-sig") as source:
        reader = csv.reader(source)
        header = [name.strip().lower() for name in next(reader)]
        email_at = header.index("email") if "email" in header else None
        phone_at = header.index("phone") if "phone" in header else None
        batch = []
        for row in reader:
            rows += 1
            email = email_hash(row[email_at]) if email_at is not None and row[email_at].strip() else None
            phone = phone_hash(row[phone_at], region) if phone_at is not None and row[phone_at].strip() else None
            bad_email = email_at is not None and row[email_at].strip() and email is None
            bad_phone = phone_at is not None and row[phone_at].strip() and phone is None
            if bad_email or bad_phone or (email is None and phone is None):
                rejected += 1
                continue
            accepted += 1
            batch.append(((email or phone).hex(), email, phone))
            if len(batch) >= 10000:
                db.executemany("INSERT OR IGNORE INTO crm_record VALUES (?, ?, ?)", batch)
                batch.clear()
        db.executemany("INSERT OR IGNORE INTO crm_record VALUES (?, ?, ?)", batch)
    db.execute("COMMIT")
    records = db.execute("SELECT count(*) FROM crm_record").fetchone()[0]
    db.close()
    print(json.dumps({"rows": rows, "accepted": accepted, "rejected": rejected, "records": records,
                      "seconds": round(time.monotonic() - start, 3)}))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""CRM files as CRM systems write them, for `scripts/bench onboard`, and the finished rows they become.

Usage: crm_shapes.py ROWS SHAPE FILE.csv [STAGE.sqlite]

SHAPE is one of
  email              e-mails only (the record id is then the e-mail's hash)
  email+custom       e-mail and the client's own record id
  email+phone+custom e-mail, Dutch mobile and the client's own record id

E-mails come mixed-case and padded with stray spaces, one in 200 is invalid (no '@'); record ids are the client's
own (`CRM-` and eight digits), issued in no order (i * 7919 mod 10000019, unique for the first ten million rows);
phones are written in the ways Dutch CRM exports hold them (06…, 06-…, +31 6 …, 0031 6…).

With STAGE, also writes the rows Bakery stores for the valid ones into a SQLite file (table `stage`: record_id as
Bakery stores it — text, or the 32 hash bytes for a hash-derived id — email and phone as 32-byte SHA-256 digests),
in the order Bakery writes them (sorted by stored id within batches of 65,536), for the sqlite3-alone floor. The
hashes use Bakery's normalisation (lower-cased e-mail without whitespace; phone as E.164 digits).
"""
import hashlib
import sqlite3
import sys

BATCH = 1 << 16


def email(i):
    match i % 4:
        case 0:
            value = f"User.{i}@Example.com"
        case 1:
            value = f"  user.{i}@EXAMPLE.COM"
        case 2:
            value = f"USER.{i}@example.com "
        case _:
            value = f" User.{i}@example.COM  "
    return value.replace("@", "") if i % 200 == 199 else value


def custom(i):
    return f"CRM-{(i * 7919) % 10000019:08d}"


def mobile(i):
    return f"{10000000 + (i * 31) % 90000000}"


def phone(i):
    digits = mobile(i)
    match i % 4:
        case 0:
            return f"06{digits}"
        case 1:
            return f"06-{digits}"
        case 2:
            return f"+31 6 {digits[:4]} {digits[4:]}"
        case _:
            return f"00316{digits}"


COLUMNS = {"email": email, "custom": custom, "phone": phone}


def main():
    rows, shape, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    stage_path = sys.argv[4] if len(sys.argv) > 4 else None
    columns = {"email": ["email"], "email+custom": ["email", "custom"],
               "email+phone+custom": ["email", "phone", "custom"]}[shape]
    staged = []
    with open(path, "w", newline="") as out:
        out.write(",".join(columns) + "\r\n")
        for i in range(rows):
            values = {column: COLUMNS[column](i) for column in columns}
            out.write(",".join(values[c] for c in columns) + "\r\n")
            if stage_path is None or "@" not in values["email"]:
                continue
            mail = hashlib.sha256("".join(values["email"].split()).lower().encode()).digest()
            tel = None
            if "phone" in columns:
                tel = hashlib.sha256(("316" + mobile(i)).encode()).digest()
            record = values["custom"] if "custom" in columns else mail
            staged.append((record, mail, tel))
    if stage_path is None:
        return
    db = sqlite3.connect(stage_path)
    db.execute("DROP TABLE IF EXISTS stage")
    db.execute("CREATE TABLE stage (record_id, email BLOB, phone BLOB)")
    key = (lambda r: r[0].encode()) if "custom" in columns else (lambda r: r[0])
    for start in range(0, len(staged), BATCH):
        db.executemany("INSERT INTO stage VALUES (?, ?, ?)", sorted(staged[start:start + BATCH], key=key))
    db.commit()
    db.close()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""An oracle for Bakery's TC string decoder, independent of it: PyPI's iab-tcf (0.2.2) reads the strings.

    tcf_oracle.py generate SEED COUNT
        COUNT random consent sets, encoded by the small encoder below (bit field or range vendor encoding,
        with or without padding, sometimes with a disclosed-vendors segment), each checked against
        iab_tcf.decode_v2 before it is printed with iab_tcf's reading.
    tcf_oracle.py decode
        TC strings on stdin, one a line; prints iab_tcf's reading of each.

Prints one JSON object a line: {"string": ..., "reading": {...}}. Exits 2 when iab_tcf is not installed
(scripts/setup.sh installs it) and 1 when the encoder and iab_tcf disagree.
"""
import base64
import calendar
import json
import random
import sys

try:
    import iab_tcf
except ImportError:
    sys.stderr.write("tcf_oracle: the iab_tcf module is missing; run scripts/setup.sh\n")
    sys.exit(2)


def bits(value, width):
    assert 0 <= value < (1 << width), (value, width)
    return format(value, "0%db" % width)


def bit_field(members, width):
    return "".join("1" if index in members else "0" for index in range(1, width + 1))


def letters(text):
    return "".join(bits(ord(c) - ord("A"), 6) for c in text)


def runs(ids):
    """Ascending ids as (first, last) runs of consecutive ids."""
    result = []
    for vendor in sorted(ids):
        if result and result[-1][1] == vendor - 1:
            result[-1] = (result[-1][0], vendor)
        else:
            result.append((vendor, vendor))
    return result


def vendor_section(ids, max_vendor, range_encoding):
    out = bits(max_vendor, 16) + ("1" if range_encoding else "0")
    if not range_encoding:
        return out + bit_field(ids, max_vendor)
    entries = runs(ids)
    out += bits(len(entries), 12)
    for first, last in entries:
        if first == last:
            out += "0" + bits(first, 16)
        else:
            out += "1" + bits(first, 16) + bits(last, 16)
    return out


def base64url(bit_string, padded):
    bit_string += "0" * (-len(bit_string) % 8)
    data = int(bit_string, 2).to_bytes(len(bit_string) // 8, "big") if bit_string else b""
    text = base64.urlsafe_b64encode(data).decode("ascii")
    return text if padded else text.rstrip("=")


def encode(c):
    core = (
        bits(2, 6)
        + bits(c["created"], 36)
        + bits(c["last_updated"], 36)
        + bits(c["cmp_id"], 12)
        + bits(c["cmp_version"], 12)
        + bits(c["consent_screen"], 6)
        + letters(c["consent_language"])
        + bits(c["vendor_list_version"], 12)
        + bits(c["tcf_policy_version"], 6)
        + bits(c["is_service_specific"], 1)
        + bits(c["use_non_standard_stacks"], 1)
        + bit_field(c["special_features"], 12)
        + bit_field(c["purposes_consent"], 24)
        + bit_field(c["purposes_li"], 24)
        + bits(c["purpose_one_treatment"], 1)
        + letters(c["publisher_cc"])
        + vendor_section(c["vendors"], c["max_vendor_id"], c["range_encoding"])
        + vendor_section(set(), 0, False)  # vendor legitimate interests: none
        + bits(0, 12)  # no publisher restrictions
    )
    text = base64url(core, c["padded"])
    if c["disclosed_segment"]:
        # A disclosed-vendors segment (type 1), for the decoder to skip.
        disclosed = bits(1, 3) + vendor_section(c["vendors"], c["max_vendor_id"], True)
        text += "." + base64url(disclosed, False)
    return text


def random_consent(rng):
    upper = lambda: "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(2))
    range_encoding = rng.random() < 0.5
    max_vendor = rng.choice([0, 1, rng.randint(2, 100), rng.randint(100, 1500)])
    if range_encoding and rng.random() < 0.2:
        max_vendor = rng.randint(1500, 65535)
    density = rng.random()
    if max_vendor > 3000:
        # Sparse runs over a wide id space.
        vendors = set()
        for _ in range(rng.randint(0, 40)):
            start = rng.randint(1, max_vendor)
            vendors.update(range(start, min(max_vendor, start + rng.randint(0, 30)) + 1))
    else:
        vendors = {v for v in range(1, max_vendor + 1) if rng.random() < density}
    if vendors and rng.random() < 0.5:
        max_vendor = max(vendors)  # as CMPs write it
    return {
        "created": rng.randint(15_000_000_000, 20_000_000_000),
        "last_updated": rng.randint(15_000_000_000, 20_000_000_000),
        "cmp_id": rng.randint(0, 4095),
        "cmp_version": rng.randint(0, 4095),
        "consent_screen": rng.randint(0, 63),
        "consent_language": upper(),
        "vendor_list_version": rng.randint(0, 4095),
        "tcf_policy_version": rng.choice([2, 4, 5]),
        "is_service_specific": rng.randint(0, 1),
        "use_non_standard_stacks": rng.randint(0, 1),
        "special_features": {f for f in range(1, 13) if rng.random() < 0.3},
        "purposes_consent": {p for p in range(1, 25) if rng.random() < (0.5 if p > 11 else 0.8)},
        "purposes_li": {p for p in range(1, 25) if rng.random() < 0.3},
        "purpose_one_treatment": rng.randint(0, 1),
        "publisher_cc": upper(),
        "max_vendor_id": max_vendor,
        "vendors": vendors,
        "range_encoding": range_encoding,
        "padded": rng.random() < 0.3,
        "disclosed_segment": rng.random() < 0.3,
    }


def members(field):
    return sorted(index for index, value in field.items() if value)


def reading(text):
    """What iab_tcf reads in a TC string, in the decoder's terms."""
    c = iab_tcf.decode_v2(text)
    if c.is_consent_range_encoding:
        vendors = sorted({v for first, last in c.consented_vendors_range for v in range(first, last + 1)})
    else:
        vendors = members(c.consented_vendors)
    return {
        "version": c.version,
        "created_seconds": calendar.timegm(c.created.timetuple()),
        "last_updated_seconds": calendar.timegm(c.last_updated.timetuple()),
        "cmp_id": c.cmp_id,
        "cmp_version": c.cmp_version,
        "consent_screen": c.consent_screen,
        "consent_language": c.consent_language.decode("ascii"),
        "vendor_list_version": c.vendor_list_version,
        "tcf_policy_version": c.tcf_policy_version,
        "is_service_specific": c.is_service_specific,
        "use_non_standard_stacks": c.use_non_standard_stacks,
        "special_features": members(c.special_features_optin),
        "purposes_consent": members(c.purposes_consent),
        "purposes_li": members(c.purposes_legitimate_interests),
        "purpose_one_treatment": c.purpose_one_treatment,
        "publisher_cc": c.publisher_cc.decode("ascii"),
        "max_vendor_id": c.max_consent_vendor_id,
        "range_encoding": c.is_consent_range_encoding,
        "vendors": vendors,
    }


def agrees(consent, read):
    expected = {
        "created_seconds": consent["created"] // 10,
        "last_updated_seconds": consent["last_updated"] // 10,
        "special_features": sorted(consent["special_features"]),
        "purposes_consent": sorted(consent["purposes_consent"]),
        "purposes_li": sorted(consent["purposes_li"]),
        "vendors": sorted(consent["vendors"]),
        "is_service_specific": bool(consent["is_service_specific"]),
        "use_non_standard_stacks": bool(consent["use_non_standard_stacks"]),
        "purpose_one_treatment": bool(consent["purpose_one_treatment"]),
    }
    for key in ["cmp_id", "cmp_version", "consent_screen", "consent_language", "vendor_list_version",
                "tcf_policy_version", "publisher_cc", "max_vendor_id", "range_encoding"]:
        expected[key] = consent[key]
    return [key for key, value in expected.items() if read[key] != value]


def main(argv):
    if len(argv) == 4 and argv[1] == "generate":
        rng = random.Random(int(argv[2]))
        for _ in range(int(argv[3])):
            consent = random_consent(rng)
            text = encode(consent)
            read = reading(text)
            wrong = agrees(consent, read)
            if wrong:
                sys.stderr.write("tcf_oracle: iab_tcf reads %s differently in %s\n" % (wrong, text))
                return 1
            print(json.dumps({"string": text, "reading": read}))
        return 0
    if len(argv) == 2 and argv[1] == "decode":
        for line in sys.stdin:
            text = line.strip()
            if text:
                print(json.dumps({"string": text, "reading": reading(text)}))
        return 0
    sys.stderr.write(__doc__)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#include "bakery_phone.h"

#include <cstring>
#include <string>

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

int write_out(const std::string &digits, char *out, size_t outlen) {
    if (digits.size() + 1 > outlen) return BAKERY_PHONE_BUFFER_TOO_SMALL;
    std::memcpy(out, digits.data(), digits.size());
    out[digits.size()] = '\0';
    return static_cast<int>(digits.size());
}

bool all_digits(const char *s, size_t n) {
    for (size_t i = 0; i < n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
    }
    return n > 0;
}

// Country calling codes whose national prefix is a plain "0" with no carrier
// codes or other parsing rules (NL, SE, FI). For these, a national number that
// does not start with 0 is taken by the full parser exactly as written, which
// is what makes the fast path below give the same answer.
bool fast_path_country(int cc) { return cc == 31 || cc == 46 || cc == 358; }

// A national number with the trunk prefix ("0612345678" in NL, "070-123 45 67"
// in SE). For NL, SE and FI the parser strips a leading "0" whenever what
// remains still fits the country's number pattern, which any valid number
// does; so when the rest is valid the answer is the country code plus the rest.
// When it is not valid this returns 0 and the full parser has the last word.
// Without '+', "00" or a trunk "0", the parser decides whether leading digits
// are a country code from regex metadata that is not public, so such input
// always takes the full parse.
int national_fast_path(const char *raw, size_t n, const std::string &region, char *out, size_t outlen) {
    const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
    if (n < 6 || n > 15 || raw[0] != '0' || raw[1] == '0' || !all_digits(raw, n)) return 0;
    int cc = util->GetCountryCodeForRegion(region);
    if (!fast_path_country(cc)) return 0;
    PhoneNumber number;
    number.set_country_code(cc);
    number.set_national_number(std::stoull(std::string(raw + 1, n - 1)));
    if (!util->IsValidNumber(number)) return 0;
    return write_out(std::to_string(cc) + std::string(raw + 1, n - 1), out, outlen);
}

// Input already in digit form, international ("+31612345678", "0031612345678",
// "+46 70-123 45 67") or national with the trunk 0 ("06 12345678"), skips the regex-heavy Parse() but is still checked by
// IsValidNumber. Returns 0 when it cannot decide, so the caller does the full
// parse; it never accepts what the full parser would reject or map elsewhere.
int fast_path(const char *text, const std::string &region, char *out, size_t outlen) {
    const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
    // Spaces and dashes are only grouping ("+46 70-123 45 67"); the full parser drops them
    // too. Anything else (brackets, letters, dots) goes to the full parser.
    char compact[32];
    size_t n = 0;
    for (const char *c = text; *c != '\0'; ++c) {
        if (*c == ' ' || *c == '-') continue;
        if (n + 1 >= sizeof compact) return 0;
        compact[n++] = *c;
    }
    compact[n] = '\0';
    const char *raw = compact;
    const char *digits = raw;
    bool international = false;
    if (n > 0 && raw[0] == '+') {
        digits = raw + 1;
        n -= 1;
        international = true;
    } else if (n > 2 && raw[0] == '0' && raw[1] == '0') {
        // "00" is the international prefix only where the default region says so.
        int default_cc = util->GetCountryCodeForRegion(region);
        if (!fast_path_country(default_cc)) return 0;
        digits = raw + 2;
        n -= 2;
        international = true;
    }
    if (!international) return national_fast_path(raw, n, region, out, outlen);
    if (n < 8 || n > 15 || !all_digits(digits, n)) return 0;

    // Calling codes are prefix-free, so at most one prefix length matches.
    int cc = 0;
    size_t cc_len = 0;
    for (size_t len = 1; len <= 3 && cc == 0; ++len) {
        int candidate = std::stoi(std::string(digits, len));
        if (fast_path_country(candidate)) { cc = candidate; cc_len = len; }
    }
    if (cc == 0) return 0;
    if (digits[cc_len] == '0') return 0;  // a trunk prefix or a leading zero: let the parser decide

    PhoneNumber number;
    number.set_country_code(cc);
    number.set_national_number(std::stoull(std::string(digits + cc_len, n - cc_len)));
    if (!util->IsValidNumber(number)) return BAKERY_PHONE_INVALID;
    return write_out(std::string(digits, n), out, outlen);
}

}  // namespace

extern "C" int bakery_phone_e164_full(const char *raw, const char *region, char *out, size_t outlen) {
    const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
    std::string region_code(region ? region : "");
    if (util->GetCountryCodeForRegion(region_code) == 0) return BAKERY_PHONE_BAD_REGION;
    PhoneNumber number;
    if (util->Parse(std::string(raw ? raw : ""), region_code, &number) != PhoneNumberUtil::NO_PARSING_ERROR) {
        return BAKERY_PHONE_NOT_A_NUMBER;
    }
    if (number.has_extension()) return BAKERY_PHONE_HAS_EXTENSION;
    if (!util->IsValidNumber(number)) return BAKERY_PHONE_INVALID;
    std::string formatted;
    util->Format(number, PhoneNumberUtil::E164, &formatted);
    if (!formatted.empty() && formatted[0] == '+') formatted.erase(0, 1);
    return write_out(formatted, out, outlen);
}

extern "C" int bakery_phone_e164(const char *raw, const char *region, char *out, size_t outlen) {
    if (raw == nullptr || region == nullptr) return BAKERY_PHONE_NOT_A_NUMBER;
    std::string region_code(region);
    if (PhoneNumberUtil::GetInstance()->GetCountryCodeForRegion(region_code) == 0) return BAKERY_PHONE_BAD_REGION;
    int fast = fast_path(raw, region_code, out, outlen);
    if (fast != 0) return fast;
    return bakery_phone_e164_full(raw, region, out, outlen);
}

extern "C" int bakery_phone_region_known(const char *region) {
    if (region == nullptr) return 0;
    return PhoneNumberUtil::GetInstance()->GetCountryCodeForRegion(std::string(region)) != 0 ? 1 : 0;
}

#ifndef BAKERY_PHONE_H
#define BAKERY_PHONE_H

// A C interface to libphonenumber, so Swift never sees C++ types.
// All functions are thread-safe: PhoneNumberUtil is an immutable singleton
// after its first use, and Debian's build (no Boost) creates it with
// pthread_once and guards its regex cache with POSIX mutexes (see `nm -D` of
// libphonenumber.so). Onboarding calls these from several threads at once.

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Result codes; every failure is negative so callers can test `< 0`.
enum {
    BAKERY_PHONE_NOT_A_NUMBER = -1,   ///< libphonenumber could not parse the text at all
    BAKERY_PHONE_INVALID = -2,        ///< parsed, but not a valid number for its country
    BAKERY_PHONE_BUFFER_TOO_SMALL = -3,
    BAKERY_PHONE_BAD_REGION = -4,     ///< the default region is not a known ISO 3166-1 code
    BAKERY_PHONE_HAS_EXTENSION = -5,  ///< an extension makes it a different line; refused
};

/// Normalises `raw` to E.164 digits without the leading '+', writing a
/// NUL-terminated string to `out`. `region` is the ISO 3166-1 alpha-2 code used
/// when the number has no country code. Returns the number of digits written,
/// or one of the negative codes above. Input already in canonical form for a
/// few well-known countries takes a cheaper path with the same result.
int bakery_phone_e164(const char *raw, const char *region, char *out, size_t outlen);

/// 1 when libphonenumber knows `region` (ISO 3166-1 alpha-2, upper case), else 0.
int bakery_phone_region_known(const char *region);

/// The same as `bakery_phone_e164` but always through libphonenumber's full
/// parser; exists so tests can prove the fast path gives identical answers.
int bakery_phone_e164_full(const char *raw, const char *region, char *out, size_t outlen);

#ifdef __cplusplus
}
#endif

#endif

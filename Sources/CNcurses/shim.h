#ifndef BAKERY_CNCURSES_SHIM_H
#define BAKERY_CNCURSES_SHIM_H

// SwiftPM drops pkg-config's -D_XOPEN_SOURCE, so ask for the wide-character API explicitly;
// without it get_wch, add_wch and setcchar are not declared.
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncurses.h>
#include <wchar.h>

// Swift imports only object-like macros and rejects mutable C globals in Swift 6 mode,
// so the attributes and globals the driver needs are re-exported as functions.
static inline attr_t bakery_a_bold(void) { return A_BOLD; }
static inline attr_t bakery_a_reverse(void) { return A_REVERSE; }
static inline attr_t bakery_a_underline(void) { return A_UNDERLINE; }
static inline attr_t bakery_a_dim(void) { return A_DIM; }
static inline attr_t bakery_a_normal(void) { return A_NORMAL; }
static inline WINDOW *bakery_stdscr(void) { return stdscr; }
static inline int bakery_colors(void) { return COLORS; }
static inline int bakery_color_pairs(void) { return COLOR_PAIRS; }
static inline int bakery_key_resize(void) { return KEY_RESIZE; }
static inline int bakery_key_mouse(void) { return KEY_MOUSE; }

// Mouse reporting: left-button presses and the wheel (buttons 4 and 5 in xterm's protocol).
static inline mmask_t bakery_mouse_mask(void) {
    return BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED;
}
// 1 a left click, 2 wheel up, 3 wheel down, 0 anything else.
static inline int bakery_mouse_kind(mmask_t state) {
    if (state & (BUTTON1_PRESSED | BUTTON1_CLICKED)) return 1;
    if (state & BUTTON4_PRESSED) return 2;
    if (state & BUTTON5_PRESSED) return 3;
    return 0;
}

#endif

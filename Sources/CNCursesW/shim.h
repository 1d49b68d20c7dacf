#ifndef AMQTOP_CNCURSESW_SHIM_H
#define AMQTOP_CNCURSESW_SHIM_H
// cchar_t, setcchar, wadd_wch and wget_wch exist only with this defined, and SwiftPM
// drops -D flags from pkg-config, so it must be set here.
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <sys/ioctl.h>
#include <unistd.h>

// Macros and global variables that Swift cannot import (or that Swift 6 rejects as
// shared mutable state) are wrapped here as small prefixed functions.

static inline attr_t amqtop_a_normal(void) { return A_NORMAL; }
static inline attr_t amqtop_a_bold(void) { return A_BOLD; }
static inline attr_t amqtop_a_reverse(void) { return A_REVERSE; }
static inline attr_t amqtop_a_underline(void) { return A_UNDERLINE; }
static inline attr_t amqtop_a_dim(void) { return A_DIM; }

static inline WINDOW *amqtop_stdscr(void) { return stdscr; }
static inline int amqtop_colors(void) { return COLORS; }
static inline int amqtop_color_pairs(void) { return COLOR_PAIRS; }

/// Starts curses on the process's stdin/stdout; NULL (instead of exiting, as initscr does) on failure.
static inline SCREEN *amqtop_newterm(void) { return newterm(NULL, stdout, stdin); }

/// The terminal's real size from the kernel (TIOCGWINSZ on stdout); 0 on success.
///
/// ioctl is variadic, which Swift cannot call. ncurses can lose a SIGWINCH that lands
/// while it is still handling the previous one, and then keeps drawing for a size the
/// terminal no longer has; comparing with this catches that.
static inline int amqtop_tty_size(int *rows, int *cols) {
    struct winsize size;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0 || size.ws_row == 0 || size.ws_col == 0) return -1;
    *rows = size.ws_row;
    *cols = size.ws_col;
    return 0;
}

/// The locale's character set name after setlocale, e.g. "UTF-8" or "ANSI_X3.4-1968".
static inline const char *amqtop_codeset(void) { return nl_langinfo(CODESET); }

/// Fills a cchar_t with one grapheme (up to a few wide chars), attributes and colour pair.
static inline int amqtop_setcchar(cchar_t *cell, const wchar_t *text, attr_t attrs, short pair) {
    return setcchar(cell, text, attrs, pair, NULL);
}

// Key codes (plain integer macros usually import, but wrapping keeps them in one place).
static inline int amqtop_key_code_yes(void) { return KEY_CODE_YES; }
static inline int amqtop_key_resize(void) { return KEY_RESIZE; }
static inline int amqtop_key_up(void) { return KEY_UP; }
static inline int amqtop_key_down(void) { return KEY_DOWN; }
static inline int amqtop_key_left(void) { return KEY_LEFT; }
static inline int amqtop_key_right(void) { return KEY_RIGHT; }
static inline int amqtop_key_ppage(void) { return KEY_PPAGE; }
static inline int amqtop_key_npage(void) { return KEY_NPAGE; }
static inline int amqtop_key_home(void) { return KEY_HOME; }
static inline int amqtop_key_end(void) { return KEY_END; }
static inline int amqtop_key_enter(void) { return KEY_ENTER; }
static inline int amqtop_key_backspace(void) { return KEY_BACKSPACE; }
static inline int amqtop_key_btab(void) { return KEY_BTAB; }
static inline int amqtop_key_mouse(void) { return KEY_MOUSE; }

/// Mouse reporting for the wheel only (buttons 4 and 5): no click is acted on. Terminals
/// have no wheel-only mode, so while it is on a plain drag no longer selects text; Shift
/// and drag does, in xterm, tmux, GNOME Terminal, iTerm2 and the like.
static inline void amqtop_mouse_wheel_on(void) {
#ifdef BUTTON5_PRESSED
    mousemask(BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
#else
    mousemask(BUTTON4_PRESSED, NULL);
#endif
    mouseinterval(0);
}

/// Mouse reporting off again (before endwin, so the terminal is left as it was found).
static inline void amqtop_mouse_off(void) { mousemask(0, NULL); }

/// The wheel in the mouse event curses queued: 1 up, 2 down, 0 anything else or none.
static inline int amqtop_mouse_wheel(void) {
    MEVENT event;
    if (getmouse(&event) != OK) return 0;
    if (event.bstate & BUTTON4_PRESSED) return 1;
#ifdef BUTTON5_PRESSED
    if (event.bstate & BUTTON5_PRESSED) return 2;
#endif
    return 0;
}
#endif

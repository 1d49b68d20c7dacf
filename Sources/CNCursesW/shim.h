#ifndef AMQTOP_CNCURSESW_SHIM_H
#define AMQTOP_CNCURSESW_SHIM_H
// cchar_t, setcchar, wadd_wch and wget_wch exist only with this defined, and SwiftPM
// drops -D flags from pkg-config, so it must be set here.
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <ncursesw/curses.h>
#endif

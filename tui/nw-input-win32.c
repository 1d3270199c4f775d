/*
 * Keys outside ASCII on the Windows console. ncurses' console driver
 * reads key events with ReadConsoleInputA and keeps one byte of each
 * (uChar.AsciiChar), which MSVCRT's C locale cannot decode: an 'è' or
 * an 'Ω' typed into a field would be lost. The key events it would
 * misread are taken here first, in UTF-16 (ReadConsoleInputW); every
 * other event (ASCII, function keys, a resize, the mouse) stays in the
 * queue for ncurses.
 */
#include "nw.h"

#include <windows.h>

/* A key-down event with a character beyond ASCII? */
static int
wide_key(const INPUT_RECORD *r)
{
	return r->EventType == KEY_EVENT && r->Event.KeyEvent.bKeyDown &&
	    r->Event.KeyEvent.uChar.UnicodeChar >= 0x80;
}

/* Take the next event if it is a key-up: ncurses skips them anyway, and
 * one left in front of a wide key would hand that key to ncurses. */
static int
drop_key_up(HANDLE in, const INPUT_RECORD *r)
{
	INPUT_RECORD x;
	DWORD n;

	if (r->EventType != KEY_EVENT || r->Event.KeyEvent.bKeyDown)
		return 0;
	return ReadConsoleInputW(in, &x, 1, &n) && n == 1;
}

int
nw_console_key(wint_t *ch, int timeout_ms)
{
	HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
	DWORD start = GetTickCount(), n, waited;
	INPUT_RECORD r;
	wchar_t hi;

	for (;;) {
		if (!PeekConsoleInputW(in, &r, 1, &n))
			return 0;	/* not a console: ncurses reads */
		if (n == 0) {
			if (timeout_ms == 0)
				return -1;
			waited = GetTickCount() - start;
			if (timeout_ms > 0 && waited >= (DWORD)timeout_ms)
				return -1;
			if (WaitForSingleObject(in, timeout_ms < 0 ? INFINITE :
			    (DWORD)timeout_ms - waited) != WAIT_OBJECT_0)
				return -1;
			continue;
		}
		if (drop_key_up(in, &r))
			continue;
		if (!wide_key(&r))
			return 0;
		ReadConsoleInputW(in, &r, 1, &n);
		*ch = r.Event.KeyEvent.uChar.UnicodeChar;
		if (*ch < 0xd800 || *ch > 0xdbff)
			return 1;
		/* A high surrogate: its low half is the next key event. */
		hi = (wchar_t)*ch;
		*ch = 0xfffd;
		while (ReadConsoleInputW(in, &r, 1, &n) && n == 1)
			if (wide_key(&r)) {
				wchar_t lo = r.Event.KeyEvent.uChar.UnicodeChar;

				if (lo >= 0xdc00 && lo <= 0xdfff)
					*ch = 0x10000 + (((wint_t)hi - 0xd800) <<
					    10) + ((wint_t)lo - 0xdc00);
				break;
			}
		return 1;
	}
}

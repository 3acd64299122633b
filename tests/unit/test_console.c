/* Unit tests of the console server's pure parts: the terminal on VGA
 * cells (servers/console/vt.c: printing, wrap, scrolling, the ANSI
 * subset) and the keyboard map (kbd.c: set 1 scancodes to bytes, every
 * modifier and special key, Alt-F1..F4). */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "../../servers/console/vt.c"
#include "../../servers/console/kbd.c"

static uint16_t cells[VT_CELLS];
static vt_t vt;

static void setup(void)
{
    vt_init(&vt, cells);
}

static void w(const char *s)
{
    vt_write(&vt, s, (int)strlen(s));
}

static char row_buf[VT_COLS + 1];
static const char *row(int r)
{
    int end = VT_COLS;
    while (end > 0 && (cells[r * VT_COLS + end - 1] & 0xff) == ' ')
        end--;
    for (int i = 0; i < end; i++)
        row_buf[i] = (char)(cells[r * VT_COLS + i] & 0xff);
    row_buf[end] = 0;
    return row_buf;
}

static uint8_t attr_at(int r, int c)
{
    return (uint8_t)(cells[r * VT_COLS + c] >> 8);
}

START_TEST(print_and_newline)
{
    w("hello\nworld\r!");
    ck_assert_str_eq(row(0), "hello");
    ck_assert_str_eq(row(1), "!orld");
    ck_assert_int_eq(vt_cursor(&vt), VT_COLS + 1);
    ck_assert_uint_eq(attr_at(0, 0), 0x07);
    w("\tx\b\by");
    ck_assert_str_eq(row(1), "!orld  yx");
}
END_TEST

START_TEST(wrap_and_scroll)
{
    for (int i = 0; i < VT_COLS; i++)
        w("a");
    ck_assert_int_eq(vt_cursor(&vt), VT_COLS - 1);      /* a wrap is pending */
    w("b");
    ck_assert_str_eq(row(1), "b");
    setup();
    for (int i = 0; i < VT_ROWS + 2; i++) {
        char line[16];
        snprintf(line, sizeof line, "line %d\n", i);
        w(line);
    }
    ck_assert_str_eq(row(0), "line 3");
    ck_assert_str_eq(row(VT_ROWS - 2), "line 26");
    ck_assert_str_eq(row(VT_ROWS - 1), "");
    ck_assert_uint_eq(vt.scrolls, 3);
    ck_assert_int_eq(vt_cursor(&vt), (VT_ROWS - 1) * VT_COLS);
}
END_TEST

/* A screen written by others: kept, and the terminal goes on after the
 * cursor or, where text lies beyond the cursor, below that text. */
START_TEST(adopt)
{
    w("kept\nline two");
    vt_adopt(&vt, cells, 2 * VT_COLS);                  /* the cursor after the text */
    w("x");
    ck_assert_str_eq(row(0), "kept");
    ck_assert_str_eq(row(2), "x");
    setup();
    w("boot loader\nits second line");
    vt_adopt(&vt, cells, 0);                            /* it never moved the cursor */
    ck_assert_int_eq(vt_cursor(&vt), 2 * VT_COLS);
    w("shell");
    ck_assert_str_eq(row(0), "boot loader");
    ck_assert_str_eq(row(1), "its second line");
    ck_assert_str_eq(row(2), "shell");
    setup();
    for (int i = 0; i < VT_ROWS; i++) {
        char line[16];
        snprintf(line, sizeof line, i + 1 < VT_ROWS ? "line %d\n" : "line %d", i);
        w(line);
    }
    vt_adopt(&vt, cells, 5);                            /* text down to the last line */
    ck_assert_int_eq(vt_cursor(&vt), (VT_ROWS - 1) * VT_COLS);
    ck_assert_str_eq(row(0), "line 1");
    ck_assert_str_eq(row(VT_ROWS - 2), "line 24");
    ck_assert_str_eq(row(VT_ROWS - 1), "");
}
END_TEST

START_TEST(colours)
{
    w("\033[31mr\033[1;44mB\033[0mn\033[7mv\033[27;5;93mb\033[m.");
    ck_assert_uint_eq(attr_at(0, 0), 0x04);     /* red */
    ck_assert_uint_eq(attr_at(0, 1), 0x1C);     /* bright red on blue */
    ck_assert_uint_eq(attr_at(0, 2), 0x07);
    ck_assert_uint_eq(attr_at(0, 3), 0x70);     /* reverse */
    ck_assert_uint_eq(attr_at(0, 4), 0x8E);     /* blinking yellow */
    ck_assert_uint_eq(attr_at(0, 5), 0x07);
    ck_assert_str_eq(row(0), "rBnvb.");
    w("\033[42;39m \033[49;32m ");
    ck_assert_uint_eq(attr_at(0, 6), 0x27);
    ck_assert_uint_eq(attr_at(0, 7), 0x02);
    w("\033[0;93mX\033[39mY\033[1;34mZ");    /* 90-97 are bright without bold; 39 ends them */
    ck_assert_uint_eq(attr_at(0, 8), 0x0E);
    ck_assert_uint_eq(attr_at(0, 9), 0x07);
    ck_assert_uint_eq(attr_at(0, 10), 0x09);
}
END_TEST

START_TEST(cursor_and_erase)
{
    w("0123456789\n0123456789");
    w("\033[1;5H");
    ck_assert_int_eq(vt_cursor(&vt), 4);
    w("\033[K");
    ck_assert_str_eq(row(0), "0123");
    w("\033[2;3H\033[1K");
    ck_assert_str_eq(row(1), "   3456789");
    w("\033[2J");
    ck_assert_str_eq(row(1), "");
    w("\033[10;20Hx\033[2Ay\033[3Cz\033[5Dq\033[G<\033[3d>");
    ck_assert_str_eq(row(9), "                   x");
    ck_assert_str_eq(row(7), "<                   q   z");
    ck_assert_str_eq(row(2), " >");
    w("\033[99;99H#");
    ck_assert_uint_eq(cells[VT_CELLS - 1] & 0xff, '#');
    w("\033[s\033[1;1H\033[u!");
    /* restored with its wrap pending: the ! went to a new line */
    ck_assert_int_eq(vt_cursor(&vt), (VT_ROWS - 1) * VT_COLS + 1);
    ck_assert_uint_eq(cells[VT_CELLS - VT_COLS - 1] & 0xff, '#');
    w("\033[?25l");
    ck_assert_int_eq(vt_cursor(&vt), -1);
    w("\033[?25h\033[H\033[0J");
    ck_assert_int_eq(vt_cursor(&vt), 0);
    ck_assert_str_eq(row(VT_ROWS - 1), "");
}
END_TEST

START_TEST(bad_sequences)
{
    w("\033[1;2;3;4;5;6;7;8;9;10mX");       /* too many parameters: ignored */
    ck_assert_uint_eq(attr_at(0, 0), 0x07);
    w("\033[99999999999999mY\033[5zZ\033]W\033");
    ck_assert_str_eq(row(0), "XYZW");        /* ESC + a byte: a two-byte escape, ignored */
    w("[31mR");             /* ESC ending one write, [ starting the next */
    ck_assert_uint_eq(attr_at(0, 4), 0x04);
    w("\033[1\nQ");         /* a control byte inside a sequence acts */
    ck_assert_str_eq(row(1), "Q");
    w("\xc4\xb3\x01\x7f");
    ck_assert_uint_eq(cells[VT_COLS + 1] & 0xff, 0xC4);
    ck_assert_uint_eq(cells[VT_COLS + 2] & 0xff, 0xB3);
    ck_assert_int_eq(vt_cursor(&vt), VT_COLS + 3);   /* ^A and DEL print nothing */
}
END_TEST

/* ---- the keyboard map ---- */

static kbd_t k;

static const char *keys(const uint8_t *sc, int n, int *sw)
{
    static char out[256];
    int len = 0;
    *sw = 0;
    for (int i = 0; i < n; i++) {
        kbd_event_t ev;
        kbd_scancode(&k, sc[i], &ev);
        memcpy(out + len, ev.bytes, (size_t)ev.n);
        len += ev.n;
        if (ev.switch_to)
            *sw = ev.switch_to;
    }
    out[len] = 0;
    return out;
}
#define KEYS(...) keys((const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }), &sw)

START_TEST(plain_and_shifted)
{
    int sw;
    kbd_init(&k);
    ck_assert_str_eq(KEYS(0x1e, 0x9e, 0x30, 0xb0), "ab");
    ck_assert_str_eq(KEYS(0x2a, 0x1e, 0x9e, 0x02, 0x82, 0xaa, 0x1e, 0x9e), "A!a");
    ck_assert_str_eq(KEYS(0x36, 0x28, 0xa8, 0x35, 0xb5, 0xb6), "\"?");
    ck_assert_str_eq(KEYS(0x1c, 0x9c, 0x0f, 0x8f, 0x0e, 0x8e, 0x01, 0x81, 0x39, 0xb9), "\r\t\x7f\033 ");
    ck_assert_str_eq(KEYS(0x37, 0x4a, 0x4e, 0xe0, 0x35, 0xe0, 0x1c), "*-+/\r");
}
END_TEST

START_TEST(caps_lock)
{
    int sw;
    kbd_init(&k);
    kbd_event_t ev;
    kbd_scancode(&k, 0x3a, &ev);
    ck_assert(ev.leds);
    ck_assert_uint_eq(kbd_leds(&k), 4);
    ck_assert_str_eq(KEYS(0xba, 0x1e, 0x9e, 0x02, 0x82), "A1");
    ck_assert_str_eq(KEYS(0x2a, 0x1e, 0x9e, 0x02, 0x82, 0xaa), "a!");
    ck_assert_str_eq(KEYS(0x3a, 0xba, 0x1e, 0x9e), "a");
    ck_assert_uint_eq(kbd_leds(&k), 0);
}
END_TEST

START_TEST(ctrl_and_alt)
{
    int sw;
    kbd_init(&k);
    ck_assert_str_eq(KEYS(0x1d, 0x2e, 0xae, 0x9d), "\x03");
    ck_assert_str_eq(KEYS(0xe0, 0x1d, 0x20, 0xa0, 0xe0, 0x9d), "\x04");       /* right Ctrl */
    ck_assert_str_eq(KEYS(0x1d, 0x1a, 0x9a, 0x2b, 0xab, 0x07, 0x87, 0x0c, 0x8c, 0x9d), "\x1b\x1c\x1e\x1f");
    ck_assert_str_eq(KEYS(0x38, 0x2d, 0xad, 0xb8), "\033x");
    ck_assert_str_eq(KEYS(0xe0, 0x38, 0x2a, 0x2d, 0xad, 0xaa, 0xe0, 0xb8), "\033X");  /* AltGr + Shift */
    ck_assert_str_eq(KEYS(0x2d, 0xad), "x");        /* every modifier released */
}
END_TEST

START_TEST(special_keys)
{
    int sw;
    kbd_init(&k);
    ck_assert_str_eq(KEYS(0xe0, 0x48, 0xe0, 0xc8, 0xe0, 0x50, 0xe0, 0x4d, 0xe0, 0x4b), "\033[A\033[B\033[C\033[D");
    ck_assert_str_eq(KEYS(0xe0, 0x47, 0xe0, 0x4f, 0xe0, 0x49, 0xe0, 0x51), "\033[H\033[F\033[5~\033[6~");
    ck_assert_str_eq(KEYS(0xe0, 0x52, 0xe0, 0x53), "\033[2~\033[3~");
    ck_assert_str_eq(KEYS(0x48, 0x4f), "\033[A\033[F");         /* the keypad (Num Lock off) */
    ck_assert_str_eq(KEYS(0x3b, 0x3e, 0x3f, 0x44, 0x57, 0x58), "\033OP\033OS\033[15~\033[21~\033[23~\033[24~");
    ck_assert_str_eq(KEYS(0x2a, 0xe0, 0x48, 0xaa), "\033[1;2A");                /* Shift-Up */
    ck_assert_str_eq(KEYS(0x1d, 0xe0, 0x4b, 0x9d), "\033[1;5D");                /* Ctrl-Left */
    ck_assert_str_eq(KEYS(0x1d, 0x38, 0xe0, 0x53, 0xb8, 0x9d), "\033[3;7~");    /* Ctrl-Alt-Del */
    ck_assert_str_eq(KEYS(0x2a, 0x3b, 0xaa), "\033[1;2P");                      /* Shift-F1 */
    ck_assert_str_eq(KEYS(0x2a, 0x0f, 0xaa), "\033[Z");
    ck_assert_str_eq(KEYS(0x38, 0x40, 0xb8), "\033[17;3~");                     /* Alt-F6: not a console */
}
END_TEST

START_TEST(console_switch_and_noise)
{
    int sw;
    kbd_init(&k);
    ck_assert_str_eq(KEYS(0x38, 0x3c, 0xbc, 0xb8), "");
    ck_assert_int_eq(sw, 2);
    ck_assert_str_eq(KEYS(0x38, 0x3e, 0xb8), "");
    ck_assert_int_eq(sw, 4);
    ck_assert_str_eq(KEYS(0xfa, 0xfe, 0xee, 0x00, 0xff, 0x45, 0xc5, 0x46), "");  /* replies, locks */
    ck_assert_str_eq(KEYS(0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5, 0x1e), "a");     /* Pause, then a */
    ck_assert_str_eq(KEYS(0xe0, 0x2a, 0xe0, 0x48, 0xe0, 0xaa), "\033[A");       /* fake shifts */
    ck_assert_str_eq(KEYS(0x5b, 0x70, 0x7f), "");                               /* keys without a byte */
}
END_TEST

int main(void)
{
    const unit_case_t cases[] = {
        { "vt", setup, NULL, {
            print_and_newline,
            wrap_and_scroll,
            adopt,
            colours,
            cursor_and_erase,
            bad_sequences, NULL } },
        { "kbd", NULL, NULL, {
            plain_and_shifted,
            caps_lock,
            ctrl_and_alt,
            special_keys,
            console_switch_and_noise, NULL } },
    };
    return unit_run("console", cases, sizeof cases / sizeof cases[0]);
}

/* Unit tests of the front end's screen code (console/screen.c, render.c):
 * CP437, VGA colours as SGR, text/ANSI/HTML dumps, text search, and the
 * diff renderer (only changed cells, the cursor, a small terminal's view). */
#include <check.h>
#include <string.h>

#include "unit.h"
#include "../../console/screen.c"
#include "../../console/render.c"

static scr_frame_t f;

static void blank(void)
{
    for (int i = 0; i < SCR_CELLS; i++)
        f.cell[i] = ' ' | 0x07 << 8;
    f.cursor = 0;
}

static void put(int row, int col, const char *s, uint8_t attr)
{
    for (int i = 0; s[i]; i++)
        f.cell[row * SCR_COLS + col + i] = (uint16_t)((uint8_t)s[i] | attr << 8);
}

START_TEST(cp437_table)
{
    ck_assert_uint_eq(scr_cp437('A'), 'A');
    ck_assert_uint_eq(scr_cp437(0), ' ');
    ck_assert_uint_eq(scr_cp437(0x01), 0x263A);
    ck_assert_uint_eq(scr_cp437(0x1F), 0x25BC);
    ck_assert_uint_eq(scr_cp437(0x7F), 0x2302);
    ck_assert_uint_eq(scr_cp437(0x80), 0x00C7);
    ck_assert_uint_eq(scr_cp437(0xB3), 0x2502);
    ck_assert_uint_eq(scr_cp437(0xC4), 0x2500);
    ck_assert_uint_eq(scr_cp437(0xDB), 0x2588);
    ck_assert_uint_eq(scr_cp437(0xE1), 0x00DF);
    ck_assert_uint_eq(scr_cp437(0xFE), 0x25A0);
    ck_assert_uint_eq(scr_cp437(0xFF), 0x0020);
    GString *s = g_string_new(NULL);
    scr_put_utf8(s, 0x2500);
    scr_put_utf8(s, 0xE9);
    ck_assert_str_eq(s->str, "\xe2\x94\x80\xc3\xa9");
    g_string_free(s, TRUE);
}
END_TEST

START_TEST(colours)
{
    GString *s = g_string_new(NULL);
    scr_sgr(s, 0x07);
    ck_assert_str_eq(s->str, "\033[0;37;40m");
    g_string_truncate(s, 0);
    scr_sgr(s, 0x1E);           /* yellow on blue */
    ck_assert_str_eq(s->str, "\033[0;93;44m");
    g_string_truncate(s, 0);
    scr_sgr(s, 0xC4);           /* blinking red on red */
    ck_assert_str_eq(s->str, "\033[0;31;41;5m");
    g_string_free(s, TRUE);
}
END_TEST

START_TEST(dumps)
{
    blank();
    put(0, 0, "hello", 0x07);
    put(1, 2, "<red>", 0x4F);
    f.cursor = 1 * SCR_COLS + 7;
    GString *s = g_string_new(NULL);
    scr_dump(s, &f, SCR_DUMP_TEXT);
    ck_assert(g_str_has_prefix(s->str, "hello\n  <red>\n\n"));
    ck_assert(g_str_has_suffix(s->str, "\n\ncursor 1,7\n"));
    g_string_truncate(s, 0);
    f.cursor = -1;
    scr_dump(s, &f, SCR_DUMP_ANSI);
    ck_assert(strstr(s->str, "\033[0;97;41m<red>\033[0;37;40m") != NULL);
    ck_assert(g_str_has_suffix(s->str, "cursor hidden\n"));
    g_string_truncate(s, 0);
    scr_dump(s, &f, SCR_DUMP_HTML);
    ck_assert(strstr(s->str, "color:#ffffff;background:#aa0000\">&lt;red&gt;</span>") != NULL);
    g_string_free(s, TRUE);
    enum scr_dump_format fmt;
    ck_assert(scr_dump_format_parse("html", &fmt) && fmt == SCR_DUMP_HTML);
    ck_assert(!scr_dump_format_parse("pdf", &fmt));
}
END_TEST

START_TEST(contains)
{
    blank();
    put(3, 70, "chacmOS:/ >", 0x07);
    ck_assert(scr_contains(&f, "chacmOS:/"));
    ck_assert(!scr_contains(&f, "chacmOS:/ > x"));
    ck_assert(!scr_contains(&f, "nothing"));
    f.cell[0] = 0xC4 | 0x07 << 8;
    ck_assert(scr_contains(&f, "\xe2\x94\x80"));
}
END_TEST

START_TEST(render_only_changes)
{
    render_t r;
    render_init(&r, 30, 100);
    blank();
    GString *s = g_string_new(NULL);
    ck_assert_int_eq(render_frame(&r, &f, s), SCR_CELLS);   /* the first frame draws all */
    ck_assert(g_str_has_prefix(s->str, "\033[0m\033[H\033[2J"));
    g_string_truncate(s, 0);
    ck_assert_int_eq(render_frame(&r, &f, s), 0);
    ck_assert_uint_eq(s->len, 0);
    put(5, 10, "ab", 0x1E);
    put(5, 20, "c", 0x1E);
    ck_assert_int_eq(render_frame(&r, &f, s), 3);
    ck_assert_str_eq(s->str, "\033[6;11H\033[0;93;44mab\033[6;21Hc\033[1;1H");
    g_string_truncate(s, 0);
    /* only the cursor moves */
    f.cursor = 81;
    ck_assert_int_eq(render_frame(&r, &f, s), 0);
    ck_assert_str_eq(s->str, "\033[2;2H");
    g_string_truncate(s, 0);
    f.cursor = -1;
    render_frame(&r, &f, s);
    ck_assert_str_eq(s->str, "\033[?25l");
    g_string_truncate(s, 0);
    f.cursor = 0;
    render_frame(&r, &f, s);
    ck_assert_str_eq(s->str, "\033[1;1H\033[?25h");
    g_string_truncate(s, 0);
    /* a resize redraws everything */
    render_resize(&r, 40, 120);
    ck_assert_int_eq(render_frame(&r, &f, s), SCR_CELLS);
    g_string_free(s, TRUE);
}
END_TEST

START_TEST(render_small_terminal)
{
    render_t r;
    render_init(&r, 10, 40);
    ck_assert(render_small(&r));
    blank();
    f.cursor = 20 * SCR_COLS + 60;
    GString *s = g_string_new(NULL);
    int n = render_frame(&r, &f, s);
    ck_assert_int_eq(n, 9 * 40);            /* 9 rows of 40 cells and the message row */
    ck_assert(strstr(s->str, "\033[10;1H\033[0;7m40x10<80x25 rows 13-21 cols 22-61\033[0m") != NULL);
    /* the cursor is in the view: row 20 - 12, column 60 - 21 */
    ck_assert(g_str_has_suffix(s->str, "\033[9;40H\033[?25h"));
    g_string_truncate(s, 0);
    /* a cell outside the view is not drawn */
    put(0, 0, "x", 0x07);
    ck_assert_int_eq(render_frame(&r, &f, s), 0);
    /* the cursor moving out of the view moves the view */
    f.cursor = 0;
    ck_assert_int_eq(render_frame(&r, &f, s), 9 * 40);
    ck_assert(strstr(s->str, "rows 1-9 cols 1-40") != NULL);
    g_string_free(s, TRUE);
    /* a terminal of one row has only the message */
    render_init(&r, 1, 20);
    s = g_string_new(NULL);
    ck_assert_int_eq(render_frame(&r, &f, s), 0);
    ck_assert(strstr(s->str, "20x1<80x25 rows 1-0") != NULL);
    g_string_free(s, TRUE);
    /* a wide but short one says it in full */
    render_init(&r, 20, 200);
    s = g_string_new(NULL);
    render_frame(&r, &f, s);
    ck_assert(strstr(s->str, "chacmsim: the terminal (200x20) is smaller than the 80x25 screen: rows 1-19, "
                             "columns 1-80 shown") != NULL);
    g_string_free(s, TRUE);
}
END_TEST

int main(void)
{
    const unit_case_t cases[] = {
        { "screen", NULL, NULL, {
            cp437_table,
            colours,
            dumps,
            contains,
            render_only_changes,
            render_small_terminal, NULL } },
    };
    return unit_run("screen", cases, sizeof cases / sizeof cases[0]);
}

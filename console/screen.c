/* Screen frames: CP437, colours, dumps and text search (screen.h). */
#include <string.h>

#include "screen.h"

static const uint16_t cp437[256] = {
    0x0020, 0x263A, 0x263B, 0x2665, 0x2666, 0x2663, 0x2660, 0x2022, 0x25D8, 0x25CB, 0x25D9, 0x2642, 0x2640,
    0x266A, 0x266B, 0x263C, 0x25BA, 0x25C4, 0x2195, 0x203C, 0x00B6, 0x00A7, 0x25AC, 0x21A8, 0x2191, 0x2193,
    0x2192, 0x2190, 0x221F, 0x2194, 0x25B2, 0x25BC,
    /* 0x20..0x7E are ASCII (filled in scr_cp437) */
    [0x7F] = 0x2302,
    0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7, 0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE,
    0x00EC, 0x00C4, 0x00C5, 0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9, 0x00FF, 0x00D6,
    0x00DC, 0x00A2, 0x00A3, 0x00A5, 0x20A7, 0x0192, 0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA,
    0x00BA, 0x00BF, 0x2310, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB, 0x2591, 0x2592, 0x2593, 0x2502,
    0x2524, 0x2561, 0x2562, 0x2556, 0x2555, 0x2563, 0x2551, 0x2557, 0x255D, 0x255C, 0x255B, 0x2510, 0x2514,
    0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F, 0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550,
    0x256C, 0x2567, 0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256B, 0x256A, 0x2518, 0x250C,
    0x2588, 0x2584, 0x258C, 0x2590, 0x2580, 0x03B1, 0x00DF, 0x0393, 0x03C0, 0x03A3, 0x03C3, 0x00B5, 0x03C4,
    0x03A6, 0x0398, 0x03A9, 0x03B4, 0x221E, 0x03C6, 0x03B5, 0x2229, 0x2261, 0x00B1, 0x2265, 0x2264, 0x2320,
    0x2321, 0x00F7, 0x2248, 0x00B0, 0x2219, 0x00B7, 0x221A, 0x207F, 0x00B2, 0x25A0, 0x0020,
};

unsigned scr_cp437(uint8_t c)
{
    return c >= 0x20 && c < 0x7f ? c : cp437[c];
}

void scr_put_utf8(GString *out, unsigned u)
{
    if (u < 0x80) {
        g_string_append_c(out, (char)u);
    } else if (u < 0x800) {
        g_string_append_c(out, (char)(0xC0 | u >> 6));
        g_string_append_c(out, (char)(0x80 | (u & 0x3f)));
    } else {
        g_string_append_c(out, (char)(0xE0 | u >> 12));
        g_string_append_c(out, (char)(0x80 | ((u >> 6) & 0x3f)));
        g_string_append_c(out, (char)(0x80 | (u & 0x3f)));
    }
}

int scr_vga_to_ansi(int c)
{
    static const int map[8] = { 0, 4, 2, 6, 1, 5, 3, 7 };
    return map[c & 7];
}

void scr_sgr(GString *out, uint8_t a)
{
    int fg = scr_vga_to_ansi(a & 7) + (a & 8 ? 90 : 30);
    int bg = scr_vga_to_ansi((a >> 4) & 7) + 40;
    g_string_append_printf(out, "\033[0;%d;%d%sm", fg, bg, a & 0x80 ? ";5" : "");
}

bool scr_dump_format_parse(const char *s, enum scr_dump_format *f)
{
    if (strcmp(s, "text") == 0)
        *f = SCR_DUMP_TEXT;
    else if (strcmp(s, "ansi") == 0)
        *f = SCR_DUMP_ANSI;
    else if (strcmp(s, "html") == 0)
        *f = SCR_DUMP_HTML;
    else
        return false;
    return true;
}

void scr_row_text(GString *out, const scr_frame_t *f, int r)
{
    int end = SCR_COLS;
    while (end > 0) {
        uint8_t c = (uint8_t)f->cell[r * SCR_COLS + end - 1];
        if (c != ' ' && c != 0 && c != 0xff)
            break;
        end--;
    }
    for (int x = 0; x < end; x++)
        scr_put_utf8(out, scr_cp437((uint8_t)f->cell[r * SCR_COLS + x]));
}

/* The HTML colour of VGA colour c (0..15), the standard VGA palette. */
static const char *html_colour(int c)
{
    static const char *pal[16] = { "#000000", "#0000aa", "#00aa00", "#00aaaa", "#aa0000", "#aa00aa",
                                   "#aa5500", "#aaaaaa", "#555555", "#5555ff", "#55ff55", "#55ffff",
                                   "#ff5555", "#ff55ff", "#ffff55", "#ffffff" };
    return pal[c & 15];
}

static void dump_cursor(GString *out, const scr_frame_t *f)
{
    if (f->cursor >= 0)
        g_string_append_printf(out, "cursor %d,%d\n", f->cursor / SCR_COLS, f->cursor % SCR_COLS);
    else
        g_string_append(out, "cursor hidden\n");
}

static void dump_html(GString *out, const scr_frame_t *f)
{
    g_string_append(out, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>chacmsim screen</title>"
                         "</head>\n<body style=\"background:#000\"><pre style=\"font-family:monospace\">");
    for (int r = 0; r < SCR_ROWS; r++) {
        int open = -1;
        for (int x = 0; x < SCR_COLS; x++) {
            int i = r * SCR_COLS + x;
            int a = f->cell[i] >> 8;
            if (i == f->cursor)
                a |= 0x100;
            if (a != open) {
                if (open >= 0)
                    g_string_append(out, "</span>");
                g_string_append_printf(out, "<span style=\"color:%s;background:%s%s\">", html_colour(a & 15),
                                       html_colour((a >> 4) & 7), a & 0x100 ? ";text-decoration:underline" : "");
                open = a;
            }
            unsigned u = scr_cp437((uint8_t)f->cell[i]);
            if (u == '<')
                g_string_append(out, "&lt;");
            else if (u == '>')
                g_string_append(out, "&gt;");
            else if (u == '&')
                g_string_append(out, "&amp;");
            else
                scr_put_utf8(out, u);
        }
        g_string_append(out, "</span>\n");
    }
    g_string_append(out, "</pre></body></html>\n");
}

void scr_dump(GString *out, const scr_frame_t *f, enum scr_dump_format fmt)
{
    if (fmt == SCR_DUMP_HTML) {
        dump_html(out, f);
        return;
    }
    for (int r = 0; r < SCR_ROWS; r++) {
        if (fmt == SCR_DUMP_TEXT) {
            scr_row_text(out, f, r);
        } else {
            int attr = -1;
            for (int x = 0; x < SCR_COLS; x++) {
                uint16_t v = f->cell[r * SCR_COLS + x];
                if ((v >> 8) != attr) {
                    attr = v >> 8;
                    scr_sgr(out, (uint8_t)attr);
                }
                scr_put_utf8(out, scr_cp437((uint8_t)v));
            }
            g_string_append(out, "\033[0m");
        }
        g_string_append_c(out, '\n');
    }
    dump_cursor(out, f);
}

bool scr_contains(const scr_frame_t *f, const char *text)
{
    if (!*text)
        return true;
    GString *row = g_string_sized_new(SCR_COLS * 3);
    bool found = false;
    for (int r = 0; r < SCR_ROWS && !found; r++) {
        g_string_truncate(row, 0);
        for (int x = 0; x < SCR_COLS; x++)
            scr_put_utf8(row, scr_cp437((uint8_t)f->cell[r * SCR_COLS + x]));
        found = strstr(row->str, text) != NULL;
    }
    g_string_free(row, TRUE);
    return found;
}

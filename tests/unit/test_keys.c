/* Unit tests of scancode translation (console/keys.c): US layout
 * characters, key names, set 1 make and break codes with modifiers, and
 * host terminal escape sequences, including ones split across reads. */
#include <check.h>
#include <string.h>

#include "unit.h"
#include "../../console/keys.c"

/* The scancodes of every key that the host bytes s make, as a hex string. */
static const char *codes_of(const char *s, size_t n)
{
    static char hex[1024];
    keyparse_t p;
    keyparse_init(&p);
    hex[0] = 0;
    con_key_t keys[KEYPARSE_MAX_OUT];
    for (size_t i = 0; i <= n; i++) {
        int k = i < n ? keyparse_feed(&p, (unsigned char)s[i], keys) : keyparse_flush(&p, keys);
        for (int j = 0; j < k; j++) {
            uint8_t sc[16];
            int m = key_scancodes(keys[j], sc);
            for (int b = 0; b < m; b++)
                snprintf(hex + strlen(hex), sizeof hex - strlen(hex), "%s%02x", hex[0] ? " " : "", sc[b]);
        }
    }
    return hex;
}
#define CODES(lit) codes_of(lit, sizeof(lit) - 1)

START_TEST(letters_and_digits)
{
    ck_assert_str_eq(CODES("a"), "1e 9e");
    ck_assert_str_eq(CODES("A"), "2a 1e 9e aa");
    ck_assert_str_eq(CODES("z1"), "2c ac 02 82");
    ck_assert_str_eq(CODES("0"), "0b 8b");
    ck_assert_str_eq(CODES(" "), "39 b9");
    ck_assert_str_eq(CODES("!"), "2a 02 82 aa");
    ck_assert_str_eq(CODES("~"), "2a 29 a9 aa");
    ck_assert_str_eq(CODES("|"), "2a 2b ab aa");
    ck_assert_str_eq(CODES("?"), "2a 35 b5 aa");
    ck_assert_str_eq(CODES("\""), "2a 28 a8 aa");
}
END_TEST

START_TEST(every_printable_character_round_trips)
{
    for (int c = ' '; c < 0x7f; c++) {
        con_key_t k;
        ck_assert_msg(key_from_char((unsigned char)c, &k), "no key types %c", c);
        ck_assert_int_eq(key_to_char(k), c);
    }
}
END_TEST

START_TEST(control_bytes)
{
    ck_assert_str_eq(CODES("\r"), "1c 9c");
    ck_assert_str_eq(CODES("\n"), "1c 9c");
    ck_assert_str_eq(CODES("\t"), "0f 8f");
    ck_assert_str_eq(CODES("\x7f"), "0e 8e");
    ck_assert_str_eq(CODES("\x03"), "1d 2e ae 9d");      /* ^C */
    ck_assert_str_eq(CODES("\x04"), "1d 20 a0 9d");      /* ^D */
    ck_assert_str_eq(CODES("\x1c"), "1d 2b ab 9d");      /* ^\ */
}
END_TEST

START_TEST(arrows_and_editing_keys)
{
    ck_assert_str_eq(CODES("\033[A"), "e0 48 e0 c8");
    ck_assert_str_eq(CODES("\033[B"), "e0 50 e0 d0");
    ck_assert_str_eq(CODES("\033[C"), "e0 4d e0 cd");
    ck_assert_str_eq(CODES("\033[D"), "e0 4b e0 cb");
    ck_assert_str_eq(CODES("\033OA"), "e0 48 e0 c8");   /* application cursor mode */
    ck_assert_str_eq(CODES("\033[H"), "e0 47 e0 c7");
    ck_assert_str_eq(CODES("\033[F"), "e0 4f e0 cf");
    ck_assert_str_eq(CODES("\033[1~"), "e0 47 e0 c7");
    ck_assert_str_eq(CODES("\033[4~"), "e0 4f e0 cf");
    ck_assert_str_eq(CODES("\033[5~"), "e0 49 e0 c9");
    ck_assert_str_eq(CODES("\033[6~"), "e0 51 e0 d1");
    ck_assert_str_eq(CODES("\033[2~"), "e0 52 e0 d2");
    ck_assert_str_eq(CODES("\033[3~"), "e0 53 e0 d3");
    ck_assert_str_eq(CODES("\033[Z"), "2a 0f 8f aa");   /* Shift-Tab */
}
END_TEST

START_TEST(function_keys)
{
    ck_assert_str_eq(CODES("\033OP"), "3b bb");
    ck_assert_str_eq(CODES("\033OS"), "3e be");
    ck_assert_str_eq(CODES("\033[11~"), "3b bb");
    ck_assert_str_eq(CODES("\033[15~"), "3f bf");
    ck_assert_str_eq(CODES("\033[17~"), "40 c0");
    ck_assert_str_eq(CODES("\033[21~"), "44 c4");
    ck_assert_str_eq(CODES("\033[23~"), "57 d7");
    ck_assert_str_eq(CODES("\033[24~"), "58 d8");
    ck_assert_str_eq(CODES("\033[[A"), "3b bb");        /* Linux console */
    ck_assert_str_eq(CODES("\033[[E"), "3f bf");
}
END_TEST

START_TEST(modifiers_in_sequences)
{
    ck_assert_str_eq(CODES("\033[1;2A"), "2a e0 48 e0 c8 aa");        /* Shift-Up */
    ck_assert_str_eq(CODES("\033[1;5D"), "1d e0 4b e0 cb 9d");        /* Ctrl-Left */
    ck_assert_str_eq(CODES("\033[1;3P"), "38 3b bb b8");              /* Alt-F1 */
    ck_assert_str_eq(CODES("\033[1;3Q"), "38 3c bc b8");              /* Alt-F2 */
    ck_assert_str_eq(CODES("\033[15;3~"), "38 3f bf b8");             /* Alt-F5 */
    ck_assert_str_eq(CODES("\033[3;8~"), "2a 1d 38 e0 53 e0 d3 b8 9d aa");  /* C-M-S-Del */
    ck_assert_str_eq(CODES("\033\033[A"), "38 e0 48 e0 c8 b8");       /* rxvt Alt-Up */
    ck_assert_str_eq(CODES("\033O3P"), "38 3b bb b8");
}
END_TEST

START_TEST(alt_and_escape)
{
    ck_assert_str_eq(CODES("\033x"), "38 2d ad b8");
    ck_assert_str_eq(CODES("\033X"), "2a 38 2d ad b8 aa");
    ck_assert_str_eq(CODES("\033"), "01 81");           /* a lone ESC, flushed */
    ck_assert_str_eq(CODES("\033\033"), "01 81 01 81");
    ck_assert_str_eq(CODES("\033\033x"), "01 81 38 2d ad b8");
    ck_assert_str_eq(CODES("\033["), "38 1a 9a b8");    /* ESC [ with nothing after: Alt-[ */
}
END_TEST

START_TEST(split_sequences_and_garbage)
{
    keyparse_t p;
    con_key_t k[KEYPARSE_MAX_OUT];
    keyparse_init(&p);
    ck_assert_int_eq(keyparse_feed(&p, 0x1b, k), 0);
    ck_assert(keyparse_pending(&p));
    ck_assert_int_eq(keyparse_feed(&p, '[', k), 0);
    ck_assert_int_eq(keyparse_feed(&p, '2', k), 0);
    ck_assert_int_eq(keyparse_feed(&p, '4', k), 0);
    ck_assert_int_eq(keyparse_feed(&p, '~', k), 1);
    ck_assert_uint_eq(k[0].code, SC_F12);
    ck_assert(!keyparse_pending(&p));
    /* unknown sequences and UTF-8 characters are dropped, the next key is fine */
    ck_assert_str_eq(CODES("\033[99~a"), "1e 9e");
    ck_assert_str_eq(CODES("\033[1;2;3;4;5;6;7;8;9;10;11;12X" "b"), "30 b0");
    ck_assert_str_eq(CODES("\xc3\xa9" "c"), "2e ae");
    ck_assert_str_eq(CODES("\xe2\x82\xac" "d"), "20 a0");
    ck_assert_str_eq(CODES("\033[1\x01" "e"), "1d 1e 9e 9d 12 92");   /* a control byte ends it */
}
END_TEST

START_TEST(names)
{
    con_key_t k;
    ck_assert(key_by_name("Enter", 5, &k) && k.code == SC_ENTER && k.mods == 0);
    ck_assert(key_by_name("C-c", 3, &k) && k.code == 0x2E && k.mods == KEY_CTRL);
    ck_assert(key_by_name("M-F2", 4, &k) && k.code == 0x3C && k.mods == KEY_ALT);
    ck_assert(key_by_name("A-F4", 4, &k) && k.code == 0x3E && k.mods == KEY_ALT);
    ck_assert(key_by_name("S-Tab", 5, &k) && k.code == SC_TAB && k.mods == KEY_SHIFT);
    ck_assert(key_by_name("C-M-Del", 7, &k) && k.code == SC_DELETE && k.mods == (KEY_CTRL | KEY_ALT));
    ck_assert(key_by_name("pgup", 4, &k) && k.code == SC_PGUP);
    ck_assert(key_by_name("F12", 3, &k) && k.code == SC_F12);
    ck_assert(key_by_name("CapsLock", 8, &k) && k.code == SC_CAPSLOCK);
    ck_assert(key_by_name("C--", 3, &k) && k.code == 0x0C && k.mods == KEY_CTRL);
    ck_assert(key_by_name("A", 1, &k) && k.code == 0x1E && k.mods == KEY_SHIFT);
    ck_assert(!key_by_name("F13", 3, &k));
    ck_assert(!key_by_name("F0", 2, &k));
    ck_assert(!key_by_name("Nope", 4, &k));
    ck_assert(!key_by_name("C-", 2, &k));
    ck_assert(!key_by_name("", 0, &k));
    char buf[32];
    ck_assert_str_eq(key_name((con_key_t){ SC_DELETE, KEY_CTRL | KEY_ALT }, buf, sizeof buf), "C-M-Del");
    ck_assert_str_eq(key_name((con_key_t){ 0x2E, KEY_CTRL }, buf, sizeof buf), "C-c");
    ck_assert_str_eq(key_name((con_key_t){ SC_F1 + 2, 0 }, buf, sizeof buf), "F3");
}
END_TEST

START_TEST(every_named_key_scancodes)
{
    /* make then break, the break code with bit 7, extended ones after 0xE0 */
    static const struct { const char *name; const char *codes; } t[] = {
        { "Esc", "01 81" }, { "BS", "0e 8e" }, { "Tab", "0f 8f" }, { "Enter", "1c 9c" },
        { "CapsLock", "3a ba" }, { "F1", "3b bb" }, { "F10", "44 c4" }, { "F11", "57 d7" },
        { "Home", "e0 47 e0 c7" }, { "End", "e0 4f e0 cf" }, { "PgUp", "e0 49 e0 c9" },
        { "PgDn", "e0 51 e0 d1" }, { "Ins", "e0 52 e0 d2" }, { "Del", "e0 53 e0 d3" },
        { "S-F1", "2a 3b bb aa" }, { "C-Home", "1d e0 47 e0 c7 9d" }, { "M-F4", "38 3e be b8" },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        con_key_t k;
        ck_assert(key_by_name(t[i].name, strlen(t[i].name), &k));
        uint8_t sc[16];
        int n = key_scancodes(k, sc);
        char hex[64] = "";
        for (int b = 0; b < n; b++)
            snprintf(hex + strlen(hex), sizeof hex - strlen(hex), "%s%02x", b ? " " : "", sc[b]);
        ck_assert_msg(strcmp(hex, t[i].codes) == 0, "%s: %s, not %s", t[i].name, hex, t[i].codes);
    }
    ck_assert_int_eq(key_scancodes((con_key_t){ 0, 0 }, (uint8_t[16]){ 0 }), 0);
}
END_TEST

int main(void)
{
    const unit_case_t cases[] = {
        { "keys", NULL, NULL, {
            letters_and_digits,
            every_printable_character_round_trips,
            control_bytes,
            arrows_and_editing_keys,
            function_keys,
            modifiers_in_sequences,
            alt_and_escape,
            split_sequences_and_garbage,
            names,
            every_named_key_scancodes, NULL } },
    };
    return unit_run("keys", cases, sizeof cases / sizeof cases[0]);
}

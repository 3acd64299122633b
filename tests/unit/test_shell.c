/* Unit tests of the shell's and the console's pure parts: the command-line
 * parser, path arithmetic, the line editor with history, the message
 * table, and the console's line discipline. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "../../servers/shell/parse.c"
#include "../../servers/shell/path.c"
#include "../../servers/shell/edit.c"
#include "../../servers/shell/errors.c"
#include "../../servers/console/ldisc.c"

/* ---- parser ---- */

static sh_cmd_t cmd;

START_TEST(parse_words)
{
    ck_assert_int_eq(sh_parse("  ls   -l\t/dev  ", 0, &cmd), SH_PARSE_OK);
    ck_assert_int_eq(cmd.argc, 3);
    ck_assert_str_eq(cmd.argv[0], "ls");
    ck_assert_str_eq(cmd.argv[1], "-l");
    ck_assert_str_eq(cmd.argv[2], "/dev");
    ck_assert_ptr_null(cmd.argv[3]);
    ck_assert_ptr_null(cmd.redir);
    ck_assert_int_eq(sh_parse("   ", 0, &cmd), SH_PARSE_OK);
    ck_assert_int_eq(cmd.argc, 0);
    ck_assert_int_eq(sh_parse("# a comment", 0, &cmd), SH_PARSE_OK);
    ck_assert_int_eq(cmd.argc, 0);
    ck_assert_int_eq(sh_parse("echo a#b # c", 0, &cmd), SH_PARSE_OK);
    ck_assert_int_eq(cmd.argc, 2);
    ck_assert_str_eq(cmd.argv[1], "a#b");
}
END_TEST

START_TEST(parse_quotes_and_escapes)
{
    ck_assert_int_eq(sh_parse("echo 'a  b' \"c \\\"d\\\" $?\" e\\ f '' x\"\"y", 42, &cmd), SH_PARSE_OK);
    ck_assert_int_eq(cmd.argc, 6);
    ck_assert_str_eq(cmd.argv[1], "a  b");
    ck_assert_str_eq(cmd.argv[2], "c \"d\" 42");
    ck_assert_str_eq(cmd.argv[3], "e f");
    ck_assert_str_eq(cmd.argv[4], "");
    ck_assert_str_eq(cmd.argv[5], "xy");
    ck_assert_int_eq(sh_parse("echo '$?' $? x$?y \\$?", -3, &cmd), SH_PARSE_OK);
    ck_assert_str_eq(cmd.argv[1], "$?");
    ck_assert_str_eq(cmd.argv[2], "-3");
    ck_assert_str_eq(cmd.argv[3], "x-3y");
    ck_assert_str_eq(cmd.argv[4], "$?");
    ck_assert_int_eq(sh_parse("echo '>' \">>\" \\>", 0, &cmd), SH_PARSE_OK);
    ck_assert_int_eq(cmd.argc, 4);
    ck_assert_str_eq(cmd.argv[1], ">");
    ck_assert_ptr_null(cmd.redir);
}
END_TEST

START_TEST(parse_redirections)
{
    ck_assert_int_eq(sh_parse("echo hello world > /tmp/f", 0, &cmd), SH_PARSE_OK);
    ck_assert_int_eq(cmd.argc, 3);
    ck_assert_str_eq(cmd.redir, "/tmp/f");
    ck_assert_int_eq(cmd.append, 0);
    ck_assert_int_eq(sh_parse("echo hi>>f", 0, &cmd), SH_PARSE_OK);
    ck_assert_int_eq(cmd.argc, 2);
    ck_assert_str_eq(cmd.argv[1], "hi");
    ck_assert_str_eq(cmd.redir, "f");
    ck_assert_int_eq(cmd.append, 1);
    ck_assert_int_eq(sh_parse(">f echo x", 0, &cmd), SH_PARSE_OK);
    ck_assert_int_eq(cmd.argc, 2);
    ck_assert_str_eq(cmd.redir, "f");
    ck_assert_int_eq(sh_parse("echo x > 'a b'", 0, &cmd), SH_PARSE_OK);
    ck_assert_str_eq(cmd.redir, "a b");
}
END_TEST

START_TEST(parse_errors)
{
    ck_assert_int_eq(sh_parse("echo 'open", 0, &cmd), SH_PARSE_QUOTE);
    ck_assert_int_eq(cmd.argc, 0);
    ck_assert_int_eq(sh_parse("echo \"open", 0, &cmd), SH_PARSE_QUOTE);
    ck_assert_int_eq(sh_parse("echo >", 0, &cmd), SH_PARSE_REDIR);
    ck_assert_int_eq(sh_parse("echo > >> f", 0, &cmd), SH_PARSE_REDIR);
    ck_assert_int_eq(sh_parse("echo > a > b", 0, &cmd), SH_PARSE_TWO_REDIRS);
    ck_assert_int_eq(sh_parse("echo > a b > c", 0, &cmd), SH_PARSE_TWO_REDIRS);
    ck_assert_int_eq(sh_parse("echo x\\", 0, &cmd), SH_PARSE_ESCAPE);
    char many[200] = "";
    for (int i = 0; i < SH_ARGS_MAX + 1; i++)
        strcat(many, "w ");
    ck_assert_int_eq(sh_parse(many, 0, &cmd), SH_PARSE_TOO_MANY);
    many[strlen(many) - 2] = 0;
    ck_assert_int_eq(sh_parse(many, 0, &cmd), SH_PARSE_OK);
    ck_assert_int_eq(cmd.argc, SH_ARGS_MAX);
    static char longline[SH_LINE_MAX + 10];
    memset(longline, 'a', sizeof longline - 1);
    ck_assert_int_eq(sh_parse(longline, 0, &cmd), SH_PARSE_TOO_LONG);
    for (int e = SH_PARSE_OK; e <= SH_PARSE_ESCAPE; e++)
        ck_assert_str_ne(sh_parse_message(e), "unknown parse error");
    ck_assert_str_eq(sh_parse_message(99), "unknown parse error");
}
END_TEST

/* ---- paths ---- */

static const char *join(const char *cwd, const char *p)
{
    static char out[SH_PATH_MAX];
    return sh_path_join(cwd, p, out, sizeof out) == 0 ? out : "(too long)";
}

START_TEST(path_join)
{
    ck_assert_str_eq(join("/", "dev"), "/dev");
    ck_assert_str_eq(join("/dev", "console"), "/dev/console");
    ck_assert_str_eq(join("/a/b", ".."), "/a");
    ck_assert_str_eq(join("/a/b", "../../.."), "/");
    ck_assert_str_eq(join("/a/b", "/x//y/./z/"), "/x/y/z");
    ck_assert_str_eq(join("/a", "."), "/a");
    ck_assert_str_eq(join("/a", ""), "/a");
    ck_assert_str_eq(join("/", "/"), "/");
    ck_assert_str_eq(join("/a", "b/../c"), "/a/c");
    char small[6];
    ck_assert_int_eq(sh_path_join("/", "abcde", small, sizeof small), -1);
    ck_assert_int_eq(sh_path_join("/", "abcd", small, sizeof small), 0);
    ck_assert_str_eq(small, "/abcd");
}
END_TEST

START_TEST(path_split)
{
    char parent[SH_PATH_MAX];
    ck_assert_str_eq(sh_path_split("/a/b/c", parent, sizeof parent), "c");
    ck_assert_str_eq(parent, "/a/b");
    ck_assert_str_eq(sh_path_split("/a", parent, sizeof parent), "a");
    ck_assert_str_eq(parent, "/");
    ck_assert_str_eq(sh_path_split("/", parent, sizeof parent), "");
    ck_assert_str_eq(parent, "/");
}
END_TEST

/* ---- line editor ---- */

static char screen[4096];
static int screen_len;

static void to_screen(const char *s, int n, void *arg)
{
    (void)arg;
    memcpy(screen + screen_len, s, (size_t)n);
    screen_len += n;
    screen[screen_len] = 0;
}

static ed_t ed;

static enum ed_result type(const char *keys)
{
    enum ed_result r = ED_MORE;
    for (const char *k = keys; *k; k++)
        r = ed_key(&ed, (unsigned char)*k);
    return r;
}

static void fresh(void)
{
    screen_len = 0;
    screen[0] = 0;
    ed_begin(&ed);
}

START_TEST(edit_typing)
{
    ed_init(&ed, to_screen, NULL);
    fresh();
    ck_assert_int_eq(type("ls /dev"), ED_MORE);
    ck_assert_int_eq(type("\r"), ED_DONE);
    ck_assert_str_eq(ed_line(&ed), "ls /dev");
    ck_assert_str_eq(screen, "ls /dev\n");
    fresh();
    ck_assert_int_eq(type("\n"), ED_MORE);     /* the LF of CR LF */
    ck_assert_int_eq(type("\n"), ED_DONE);     /* a second Enter */
    ck_assert_str_eq(ed_line(&ed), "");
    fresh();
    ck_assert_int_eq(type("abc\x7f\bx\r"), ED_DONE);
    ck_assert_str_eq(ed_line(&ed), "ax");
    fresh();
    type("ac\x1b[Db\x1b[C!\n");                   /* left, insert, right */
    ck_assert_str_eq(ed_line(&ed), "abc!");
    fresh();
    type("world\x01hello \x05.\n");               /* home, end */
    ck_assert_str_eq(ed_line(&ed), "hello world.");
    fresh();
    type("abcdef\x02\x02\x02\x0b\n");             /* ^B thrice, ^K */
    ck_assert_str_eq(ed_line(&ed), "abc");
    fresh();
    type("junk\x15ok\n");                          /* ^U */
    ck_assert_str_eq(ed_line(&ed), "ok");
    fresh();
    type("abc\x01\x04\x1b[3~\n");                 /* ^D and Delete at the cursor */
    ck_assert_str_eq(ed_line(&ed), "c");
    fresh();
    type("x\x1b[1~y\x1b[4~z\x1bOHw\n");
    ck_assert_str_eq(ed_line(&ed), "wyxz");
}
END_TEST

START_TEST(edit_cancel_eof_limits)
{
    ed_init(&ed, to_screen, NULL);
    fresh();
    ck_assert_int_eq(type("abc\x03"), ED_CANCEL);
    ck_assert_str_eq(ed_line(&ed), "");
    ck_assert_str_eq(screen, "abc^C\n");
    fresh();
    ck_assert_int_eq(type("\x04"), ED_EOF);
    fresh();
    for (int i = 0; i < ED_LINE_MAX + 20; i++)
        ed_key(&ed, 'q');
    ck_assert_int_eq((int)strlen(ed_line(&ed)), ED_LINE_MAX - 1);
    ck_assert_int_eq(ed_dropped(&ed), 21);     /* counted, one bell */
    ck_assert_ptr_nonnull(strchr(screen, '\a'));
    ck_assert_ptr_eq(strchr(screen, '\a'), strrchr(screen, '\a'));
    fresh();
    ck_assert_int_eq(ed_dropped(&ed), 0);
    type("\x01\x02\x1b[C\x0b\x7f\x07\x1bx\n");     /* moves on an empty line, a bell, ESC x */
    ck_assert_str_eq(ed_line(&ed), "");
}
END_TEST

START_TEST(edit_history)
{
    ed_init(&ed, to_screen, NULL);
    ed_remember(&ed, "first");
    ed_remember(&ed, "second");
    ed_remember(&ed, "second");
    ed_remember(&ed, "   ");
    ck_assert_str_eq(ed_history(&ed, 0), "first");
    ck_assert_str_eq(ed_history(&ed, 1), "second");
    ck_assert_ptr_null(ed_history(&ed, 2));
    fresh();
    type("draft\x1b[A");
    ck_assert_str_eq(ed_line(&ed), "second");
    type("\x1b[A\x1b[A");
    ck_assert_str_eq(ed_line(&ed), "first");
    type("\x0e");                                  /* ^N */
    ck_assert_str_eq(ed_line(&ed), "second");
    type("\x1b[B");
    ck_assert_str_eq(ed_line(&ed), "draft");
    type("\x1b[B\x10!\n");                         /* past the end, then ^P */
    ck_assert_str_eq(ed_line(&ed), "second!");
    for (int i = 0; i < ED_HISTORY + 5; i++) {
        char l[16];
        snprintf(l, sizeof l, "cmd%d", i);
        ed_remember(&ed, l);
    }
    ck_assert_int_eq(ed.hist_count, ED_HISTORY);
    ck_assert_str_eq(ed_history(&ed, 0), "cmd5");
    ck_assert_str_eq(ed_history(&ed, ED_HISTORY - 1), "cmd36");
}
END_TEST

START_TEST(edit_redraw)
{
    ed_init(&ed, to_screen, NULL);
    fresh();
    type("ac\x1b[Db");
    ck_assert_str_eq(screen, "ac\bbc\b");
    fresh();
    type("abc\x01\x04");
    ck_assert_str_eq(screen, "abc\b\b\bbc \b\b\b");
}
END_TEST

/* ---- messages ---- */

START_TEST(errors_every_code)
{
    for (int c = SH_EINVALID; c <= SH_ESUCCESS; c++)
        ck_assert_str_ne(sh_strerror(c), "unknown error");
    for (int c = SH_ENOTEMPTY; c <= SH_ECALL; c++)
        ck_assert_str_ne(sh_strerror(c), "unknown error");
    ck_assert_str_eq(sh_strerror(SH_ENOTFOUND), "no such file or directory");
    ck_assert_str_eq(sh_strerror(-50), "unknown error");
    ck_assert_str_eq(sh_strerror(7), "unknown error");
    for (unsigned long e = 0; e <= 6; e++)
        ck_assert_str_ne(sh_call_message(e), "unknown call error");
    ck_assert_str_eq(sh_call_message(7), "unknown call error");
}
END_TEST

/* ---- console line discipline ---- */

static ld_t ld;

static int feed(const char *bytes, int *events)
{
    int last = LD_NONE;
    for (const char *b = bytes; *b; b++) {
        last = ld_input(&ld, (unsigned char)*b);
        if (events)
            events[last]++;
    }
    return last;
}

static const char *take(void)
{
    static char got[LD_READY_MAX + 1];
    int n = ld_take(&ld, got, LD_READY_MAX);
    got[n] = 0;
    return got;
}

START_TEST(ldisc_cooked)
{
    ld_init(&ld, to_screen, NULL);
    screen_len = 0;
    ck_assert_int_eq(feed("ab\x7f" "c\r", NULL), LD_READY);
    ck_assert_str_eq(screen, "ab\b \bc\n");
    ck_assert(ld_readable(&ld));
    ck_assert_str_eq(take(), "ac\n");
    ck_assert(!ld_readable(&ld));
    feed("one\ntwo\n", NULL);
    ck_assert_str_eq(take(), "one\n");
    ck_assert_str_eq(take(), "two\n");
    feed("junk\x15\x1b[Aok\x01\n", NULL);
    ck_assert_str_eq(take(), "ok\n");
    feed("part\x04", NULL);
    ck_assert_str_eq(take(), "part");
    ck_assert_int_eq(feed("\x04", NULL), LD_EOF);
    ck_assert(ld_readable(&ld));
    ck_assert_str_eq(take(), "");
    ck_assert(ld_take_eof(&ld));
    ck_assert(!ld_take_eof(&ld));
    screen_len = 0;
    ck_assert_int_eq(feed("lost\x03", NULL), LD_INTR);
    ck_assert_str_eq(screen, "lost^C\n");
    ck_assert(!ld_readable(&ld));
    for (int i = 0; i < LD_LINE_MAX + 10; i++)
        ld_input(&ld, 'z');
    ld_input(&ld, '\n');
    ck_assert_int_eq((int)strlen(take()), LD_LINE_MAX);
}
END_TEST

START_TEST(ldisc_raw)
{
    ld_init(&ld, to_screen, NULL);
    ld_set_mode(&ld, LD_MODE_RAW);
    screen_len = 0;
    screen[0] = 0;
    ld.intr_is_byte = true;
    ck_assert_int_eq(feed("a\x03\x1b[A\n", NULL), LD_READY);
    ck_assert_str_eq(screen, "");
    ck_assert_str_eq(take(), "a\x03\x1b[A\n");
    ld.intr_is_byte = false;
    ck_assert_int_eq(feed("x\x03", NULL), LD_INTR);
    ck_assert(!ld_readable(&ld));
    for (int i = 0; i < LD_READY_MAX + 10; i++)
        ld_input(&ld, 'r');
    ck_assert_int_eq(ld.ready_len, LD_READY_MAX);
}
END_TEST

static Suite *shell_suite(void)
{
    Suite *s = suite_create("shell");
    TCase *parse = tcase_create("parse");
    TCase *path = tcase_create("path");
    TCase *edit = tcase_create("edit");
    TCase *misc = tcase_create("misc");
    tcase_add_test(parse, parse_words);
    tcase_add_test(parse, parse_quotes_and_escapes);
    tcase_add_test(parse, parse_redirections);
    tcase_add_test(parse, parse_errors);
    tcase_add_test(path, path_join);
    tcase_add_test(path, path_split);
    tcase_add_test(edit, edit_typing);
    tcase_add_test(edit, edit_cancel_eof_limits);
    tcase_add_test(edit, edit_history);
    tcase_add_test(edit, edit_redraw);
    tcase_add_test(misc, errors_every_code);
    tcase_add_test(misc, ldisc_cooked);
    tcase_add_test(misc, ldisc_raw);
    suite_add_tcase(s, parse);
    suite_add_tcase(s, path);
    suite_add_tcase(s, edit);
    suite_add_tcase(s, misc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(shell_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}

/* Unit tests of the boot list parser (sim/bootlist.c). */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bootlist.h"

static boot_list_t *parse_ok(const char *text)
{
    GError *err = NULL;
    boot_list_t *bl = boot_list_parse(text, "t.lst", &err);
    ck_assert_msg(bl != NULL, "unexpected error: %s", err ? err->message : "?");
    return bl;
}

static void parse_fails(const char *text, const char *expect)
{
    GError *err = NULL;
    boot_list_t *bl = boot_list_parse(text, "t.lst", &err);
    ck_assert_ptr_null(bl);
    ck_assert_ptr_nonnull(err);
    ck_assert_msg(strstr(err->message, expect), "message '%s' lacks '%s'", err->message, expect);
    g_error_free(err);
}

START_TEST(grub_style_list)
{
    boot_list_t *bl = parse_ok("# ChacmOS\n"
                               "timeout 3\n"
                               "title  ChacmOS demo\n"
                               "kernel /boot/chacmsim memory=64M\n"
                               "module /boot/sigma0\n"
                               "module /boot/roottask.so --verbose  -x\n"
                               "\n"
                               "   module data/disk.img\n");
    ck_assert_str_eq(bl->title, "ChacmOS demo");
    ck_assert_str_eq(bl->kernel, "/boot/chacmsim");
    ck_assert_str_eq(bl->kernel_cmdline, "/boot/chacmsim memory=64M");
    ck_assert_uint_eq(bl->modules->len, 3);
    boot_module_t *m = bl->modules->pdata[1];
    ck_assert_str_eq(m->path, "/boot/roottask.so");
    ck_assert_str_eq(m->name, "roottask");
    ck_assert_str_eq(m->cmdline, "/boot/roottask.so --verbose  -x");
    ck_assert_int_eq(m->line, 6);
    ck_assert_str_eq(((boot_module_t *)bl->modules->pdata[2])->name, "disk.img");
    ck_assert_int_eq(((boot_module_t *)bl->modules->pdata[2])->line, 8);
    boot_list_free(bl);
}
END_TEST

START_TEST(only_the_first_entry)
{
    boot_list_t *bl = parse_ok("title one\nmodule a\ntitle two\nmodule b\nmodule c\n");
    ck_assert_uint_eq(bl->modules->len, 1);
    ck_assert_str_eq(((boot_module_t *)bl->modules->pdata[0])->name, "a");
    boot_list_free(bl);
}
END_TEST

START_TEST(equals_sign_separates_too)
{
    boot_list_t *bl = parse_ok("kernel=chacmsim\nmodule=hello a b\n");
    ck_assert_str_eq(bl->kernel, "chacmsim");
    ck_assert_str_eq(((boot_module_t *)bl->modules->pdata[0])->cmdline, "hello a b");
    boot_list_free(bl);
}
END_TEST

START_TEST(errors_name_the_line)
{
    parse_fails("module a\nfoo bar\n", "t.lst:2: unknown keyword 'foo'");
    parse_fails("kernel\nmodule a\n", "t.lst:1: 'kernel' needs a path");
    parse_fails("module a\nmodule\n", "t.lst:2: 'module' needs a path");
    parse_fails("kernel chacmsim\nkernel b\nmodule a\n", "t.lst:2: second 'kernel' line");
    parse_fails("module a\nmodule b\x01\n", "t.lst:2: control character");
    parse_fails("# nothing\n\n", "no 'module' line");
    parse_fails("", "no 'module' line");
}
END_TEST

START_TEST(sizes_and_kernel_options)
{
    guint64 mib = 0;
    ck_assert_ptr_null(boot_parse_mib("128", &mib));
    ck_assert_uint_eq(mib, 128);
    ck_assert_ptr_null(boot_parse_mib("2G", &mib));
    ck_assert_uint_eq(mib, 2048);
    ck_assert_ptr_null(boot_parse_mib("4096k", &mib));
    ck_assert_uint_eq(mib, 4);
    ck_assert_str_eq(boot_parse_mib("1023K", &mib), "not a whole number of MiB");
    ck_assert_str_eq(boot_parse_mib("99999999999999999999", &mib), "too large");
    ck_assert_str_eq(boot_parse_mib("17179869184G", &mib), "too large");
    ck_assert_ptr_nonnull(boot_parse_mib("", &mib));
    ck_assert_ptr_nonnull(boot_parse_mib("12MB", &mib));
    ck_assert_ptr_nonnull(boot_parse_mib("-4M", &mib));
    boot_list_t *bl = parse_ok("kernel chacmsim memory=64M spaces=8\nmodule a\n");
    ck_assert_uint_eq(bl->memory_mib, 64);
    ck_assert_uint_eq(bl->spaces, 8);
    boot_list_free(bl);
    parse_fails("kernel chacmsim memory=2M\nmodule a\n", "t.lst:1: memory=2M: physical memory must be");
    parse_fails("kernel chacmsim spaces=x\nmodule a\n", "t.lst:1: spaces=x: a count is a number");
    parse_fails("\nkernel chacmsim turbo\nmodule a\n", "t.lst:2: unknown kernel option 'turbo'");
    parse_fails("kernel /boot/linux\nmodule a\n", "t.lst:1: kernel '/boot/linux' is not this kernel");
}
END_TEST

START_TEST(load_rejects_binary_and_missing_files)
{
    GError *err = NULL;
    char path[] = "/tmp/bootlist-test-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, "module a\0b\n", 11), 11);
    close(fd);
    ck_assert_ptr_null(boot_list_load(path, &err));
    ck_assert_ptr_nonnull(strstr(err->message, "NUL byte"));
    g_clear_error(&err);
    unlink(path);
    ck_assert_ptr_null(boot_list_load("/nonexistent/boot.lst", &err));
    ck_assert_ptr_nonnull(err);
    g_clear_error(&err);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("bootlist");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, grub_style_list);
    tcase_add_test(tc, only_the_first_entry);
    tcase_add_test(tc, equals_sign_separates_too);
    tcase_add_test(tc, errors_name_the_line);
    tcase_add_test(tc, load_rejects_binary_and_missing_files);
    tcase_add_test(tc, sizes_and_kernel_options);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* What the unit suites of the screen, the keyboard and the devices share:
 * the main of a Check suite.  A suite is a list of test cases, each a
 * name, an optional fixture and its tests; unit_run runs them all and
 * gives the process's exit status.  The case lists are built inside main
 * (Check's test handles are variables, not constants). */
#ifndef CHACM_TEST_UNIT_H
#define CHACM_TEST_UNIT_H

#include <check.h>
#include <stddef.h>

#define UNIT_MAX_TESTS 24

typedef struct {
    const char *name;
    SFun setup, teardown;                       /* NULL: none */
    const TTest *tests[UNIT_MAX_TESTS + 1];     /* NULL-ended */
} unit_case_t;

static inline int unit_run(const char *suite, const unit_case_t *cases, size_t ncases)
{
    Suite *s = suite_create(suite);
    for (size_t i = 0; i < ncases; i++) {
        TCase *tc = tcase_create(cases[i].name);
        if (cases[i].setup || cases[i].teardown)
            tcase_add_checked_fixture(tc, cases[i].setup, cases[i].teardown);
        for (const TTest *const *t = cases[i].tests; *t; t++)
            tcase_add_test(tc, *t);
        suite_add_tcase(s, tc);
    }
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}

#endif /* CHACM_TEST_UNIT_H */

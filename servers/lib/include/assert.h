/* servers/lib: assert(e) reports file:line, the function and the expression,
 * then panics.  Like ISO C's, this header may be included again after
 * changing NDEBUG. */
#undef assert
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) ((e) ? (void)0 : lib_assert_fail(#e, __FILE__, __LINE__, __func__))
#endif

#ifndef CHACM_ASSERT_H
#define CHACM_ASSERT_H
#define static_assert _Static_assert
_Noreturn void lib_assert_fail(const char *expr, const char *file, int line, const char *func);
#endif /* !CHACM_ASSERT_H */

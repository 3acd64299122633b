/* The virtual registers as both arches lay them out (X.2's ia32 UTCB):
 * the arch's __L4_Utcb() addresses MR0; MR i is word +i, the TCRs are words
 * -4..-15 and BR i is word -16-i.  Included by the arch's vregs.h after it
 * defines __L4_Utcb() and __L4_TCR_MyLocalId(). */
#ifndef __L4__TCR_H__
#define __L4__TCR_H__

/* Word indices relative to MR0. */
#define __L4_TCR_MY_GLOBAL_ID           (-15)
#define __L4_TCR_PROCESSOR_NO           (-14)
#define __L4_TCR_USER_DEFINED_HANDLE    (-13)
#define __L4_TCR_PAGER                  (-12)
#define __L4_TCR_EXCEPTION_HANDLER      (-11)
#define __L4_TCR_FLAGS                  (-10)   /* byte 0 preempt, byte 1 cop */
#define __L4_TCR_ERROR_CODE             (-9)
#define __L4_TCR_XFER_TIMEOUT           (-8)
#define __L4_TCR_INTENDED_RECEIVER      (-7)
#define __L4_TCR_ACTUAL_SENDER          (-6)
#define __L4_TCR_VIRTUAL_SENDER         (-6)
#define __L4_TCR_THREAD_WORD_1          (-5)
#define __L4_TCR_THREAD_WORD_0          (-4)
#define __L4_TCR_BR_OFFSET              (-16)   /* BR i at -16 - i */

#define __L4_NUM_MRS                    64
#define __L4_NUM_BRS                    33

static inline L4_Word_t __L4_TCR_MyGlobalId(void) { return __L4_Utcb()[__L4_TCR_MY_GLOBAL_ID]; }
static inline L4_Word_t __L4_TCR_ProcessorNo(void) { return __L4_Utcb()[__L4_TCR_PROCESSOR_NO]; }
static inline L4_Word_t __L4_TCR_UserDefinedHandle(void) { return __L4_Utcb()[__L4_TCR_USER_DEFINED_HANDLE]; }
static inline void __L4_TCR_Set_UserDefinedHandle(L4_Word_t w) { __L4_Utcb()[__L4_TCR_USER_DEFINED_HANDLE] = w; }
static inline L4_Word_t __L4_TCR_Pager(void) { return __L4_Utcb()[__L4_TCR_PAGER]; }
static inline void __L4_TCR_Set_Pager(L4_Word_t w) { __L4_Utcb()[__L4_TCR_PAGER] = w; }
static inline L4_Word_t __L4_TCR_ExceptionHandler(void) { return __L4_Utcb()[__L4_TCR_EXCEPTION_HANDLER]; }
static inline void __L4_TCR_Set_ExceptionHandler(L4_Word_t w) { __L4_Utcb()[__L4_TCR_EXCEPTION_HANDLER] = w; }
static inline L4_Word_t __L4_TCR_ErrorCode(void) { return __L4_Utcb()[__L4_TCR_ERROR_CODE]; }
static inline L4_Word_t __L4_TCR_XferTimeout(void) { return __L4_Utcb()[__L4_TCR_XFER_TIMEOUT]; }
static inline void __L4_TCR_Set_XferTimeout(L4_Word_t w) { __L4_Utcb()[__L4_TCR_XFER_TIMEOUT] = w; }
static inline L4_Word_t __L4_TCR_IntendedReceiver(void) { return __L4_Utcb()[__L4_TCR_INTENDED_RECEIVER]; }
static inline L4_Word_t __L4_TCR_ActualSender(void) { return __L4_Utcb()[__L4_TCR_ACTUAL_SENDER]; }
static inline void __L4_TCR_Set_VirtualSender(L4_Word_t w) { __L4_Utcb()[__L4_TCR_VIRTUAL_SENDER] = w; }
static inline L4_Word_t __L4_TCR_ThreadWord(L4_Word_t n)
{
    return __L4_Utcb()[n == 0 ? __L4_TCR_THREAD_WORD_0 : __L4_TCR_THREAD_WORD_1];
}
static inline void __L4_TCR_Set_ThreadWord(L4_Word_t n, L4_Word_t w)
{
    __L4_Utcb()[n == 0 ? __L4_TCR_THREAD_WORD_0 : __L4_TCR_THREAD_WORD_1] = w;
}
static inline L4_Word_t __L4_TCR_PreemptFlags(void) { return __L4_Utcb()[__L4_TCR_FLAGS] & 0xff; }
static inline void __L4_TCR_Set_PreemptFlags(L4_Word_t w)
{
    L4_Word_t *f = &__L4_Utcb()[__L4_TCR_FLAGS];
    *f = (*f & ~0xffUL) | (w & 0xff);
}
static inline L4_Word_t __L4_TCR_CopFlags(void) { return (__L4_Utcb()[__L4_TCR_FLAGS] >> 8) & 0xff; }
static inline void __L4_TCR_Set_CopFlags(L4_Word_t w)
{
    L4_Word_t *f = &__L4_Utcb()[__L4_TCR_FLAGS];
    *f = (*f & ~0xff00UL) | ((w & 0xff) << 8);
}

static inline void L4_StoreMR(int i, L4_Word_t *w) { *w = __L4_Utcb()[i]; }
static inline void L4_LoadMR(int i, L4_Word_t w) { __L4_Utcb()[i] = w; }
static inline void L4_StoreMRs(int i, int k, L4_Word_t *w)
{
    L4_Word_t *mr = __L4_Utcb() + i;
    while (k-- > 0)
        *w++ = *mr++;
}
static inline void L4_LoadMRs(int i, int k, const L4_Word_t *w)
{
    L4_Word_t *mr = __L4_Utcb() + i;
    while (k-- > 0)
        *mr++ = *w++;
}
static inline void L4_StoreBR(int i, L4_Word_t *w) { *w = __L4_Utcb()[__L4_TCR_BR_OFFSET - i]; }
static inline void L4_LoadBR(int i, L4_Word_t w) { __L4_Utcb()[__L4_TCR_BR_OFFSET - i] = w; }
static inline void L4_StoreBRs(int i, int k, L4_Word_t *w)
{
    L4_Word_t *br = __L4_Utcb() + __L4_TCR_BR_OFFSET - i;
    while (k-- > 0)
        *w++ = *br--;
}
static inline void L4_LoadBRs(int i, int k, const L4_Word_t *w)
{
    L4_Word_t *br = __L4_Utcb() + __L4_TCR_BR_OFFSET - i;
    while (k-- > 0)
        *br-- = *w++;
}

#endif /* !__L4__TCR_H__ */

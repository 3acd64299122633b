/* L4 X.2 messages as L4Ka::Pistachio names them: the message tag, typed
 * items (map, grant, string with compound strings), message objects kept in
 * memory (L4_Msg_t), acceptors and receive buffers (L4_MsgBuffer_t). */
#ifndef __L4__MESSAGE_H__
#define __L4__MESSAGE_H__

#include <l4/types.h>
#include __L4_ARCH_INC(vregs.h)

#ifndef __L4_NUM_MRS
#define __L4_NUM_MRS 64
#endif
#ifndef __L4_NUM_BRS
#define __L4_NUM_BRS 33
#endif

/*
 * Message tag (MR0): u untyped words, t typed words, 4 flag bits and the label.
 */
typedef union {
    L4_Word_t raw;
    struct {
        L4_Word_t u : 6;
        L4_Word_t t : 6;
        L4_Word_t flags : 4;
        L4_Word_t label : 16 + __L4_TOP_FIELD_EXTRA;
    } X;
} L4_MsgTag_t;

#define L4_Niltag               ((L4_MsgTag_t){ .raw = 0 })

/* Flag bits as returned by the kernel (tag bits 12..15). */
#define __L4_TAG_FLAG_P         0x1     /* propagated */
#define __L4_TAG_FLAG_R         0x2     /* redirected */
#define __L4_TAG_FLAG_X         0x4     /* cross-processor */
#define __L4_TAG_FLAG_E         0x8     /* error: details in the ErrorCode TCR */

L4_INLINE L4_Word_t __L4_TagU(L4_MsgTag_t t) { return t.raw & 0x3f; }
L4_INLINE L4_Word_t __L4_TagT(L4_MsgTag_t t) { return (t.raw >> 6) & 0x3f; }
L4_INLINE L4_Word_t __L4_TagFlags(L4_MsgTag_t t) { return (t.raw >> 12) & 0xf; }

L4_INLINE L4_MsgTag_t __L4_TagSetU(L4_MsgTag_t t, L4_Word_t u)
{
    t.raw = (t.raw & ~(L4_Word_t)0x3f) | (u & 0x3f);
    return t;
}

L4_INLINE L4_MsgTag_t __L4_TagSetT(L4_MsgTag_t t, L4_Word_t n)
{
    t.raw = (t.raw & ~((L4_Word_t)0x3f << 6)) | ((n & 0x3f) << 6);
    return t;
}

L4_INLINE L4_Bool_t L4_IsMsgTagEqual(const L4_MsgTag_t l, const L4_MsgTag_t r)
{
    return l.raw == r.raw;
}

L4_INLINE L4_Bool_t L4_IsMsgTagNotEqual(const L4_MsgTag_t l, const L4_MsgTag_t r)
{
    return l.raw != r.raw;
}

L4_INLINE L4_Word_t L4_Label(L4_MsgTag_t t)
{
    return t.raw >> 16;
}

L4_INLINE L4_Word_t L4_UntypedWords(L4_MsgTag_t t)
{
    return __L4_TagU(t);
}

L4_INLINE L4_Word_t L4_TypedWords(L4_MsgTag_t t)
{
    return __L4_TagT(t);
}

/* Stores the label; bits above the label field's width are dropped. */
L4_INLINE void L4_Set_Label(L4_MsgTag_t *t, L4_Word_t label)
{
    t->raw = (t->raw & 0xffff) | (label << 16);
}

L4_INLINE L4_MsgTag_t L4_MsgTagAddLabel(const L4_MsgTag_t t, int label)
{
    L4_MsgTag_t tag = t;
    L4_Set_Label(&tag, (L4_Word_t)label);
    return tag;
}

L4_INLINE L4_MsgTag_t L4_MsgTagAddLabelTo(L4_MsgTag_t *t, int label)
{
    L4_Set_Label(t, (L4_Word_t)label);
    return *t;
}

/* chacmsim aliases with the tag named in the function (same as L4_Label,
 * L4_UntypedWords, L4_TypedWords). */
L4_INLINE L4_Word_t L4_MsgTagLabel(L4_MsgTag_t t) { return L4_Label(t); }
L4_INLINE L4_Word_t L4_MsgTagUntypedWords(L4_MsgTag_t t) { return L4_UntypedWords(t); }
L4_INLINE L4_Word_t L4_MsgTagTypedWords(L4_MsgTag_t t) { return L4_TypedWords(t); }

/* The tag in MR0. */
L4_INLINE L4_MsgTag_t L4_MsgTag(void)
{
    L4_MsgTag_t tag;
    L4_StoreMR(0, &tag.raw);
    return tag;
}

L4_INLINE void L4_Set_MsgTag(L4_MsgTag_t t)
{
    L4_LoadMR(0, t.raw);
}

/* Outcome of an IPC, from the tag it returned. */
L4_INLINE L4_Bool_t L4_IpcSucceeded(L4_MsgTag_t t)
{
    return (__L4_TagFlags(t) & __L4_TAG_FLAG_E) == 0;
}

L4_INLINE L4_Bool_t L4_IpcFailed(L4_MsgTag_t t)
{
    return (__L4_TagFlags(t) & __L4_TAG_FLAG_E) != 0;
}

L4_INLINE L4_Bool_t L4_IpcPropagated(L4_MsgTag_t t)
{
    return (__L4_TagFlags(t) & __L4_TAG_FLAG_P) != 0;
}

L4_INLINE L4_Bool_t L4_IpcRedirected(L4_MsgTag_t t)
{
    return (__L4_TagFlags(t) & __L4_TAG_FLAG_R) != 0;
}

L4_INLINE L4_Bool_t L4_IpcXcpu(L4_MsgTag_t t)
{
    return (__L4_TagFlags(t) & __L4_TAG_FLAG_X) != 0;
}

/*
 * Map and grant items: {C, type (map 4, grant 5), snd_base} + send fpage.
 */
#define __L4_ITEM_TYPE(w0)      (((w0) >> 1) & 0x7)
#define __L4_ITEM_MAP           0x4
#define __L4_ITEM_GRANT         0x5

typedef union {
    L4_Word_t raw[2];
    struct {
        L4_Word_t C : 1;
        L4_Word_t __type : 3;
        L4_Word_t __zeros : 6;
        L4_Word_t snd_base : 22 + __L4_TOP_FIELD_EXTRA;
        L4_Fpage_t snd_fpage;
    } X;
} L4_MapItem_t;

typedef union {
    L4_Word_t raw[2];
    struct {
        L4_Word_t C : 1;
        L4_Word_t __type : 3;
        L4_Word_t __zeros : 6;
        L4_Word_t snd_base : 22 + __L4_TOP_FIELD_EXTRA;
        L4_Fpage_t snd_fpage;
    } X;
} L4_GrantItem_t;

L4_INLINE L4_MapItem_t L4_MapItem(L4_Fpage_t f, L4_Word_t SndBase)
{
    L4_MapItem_t item;
    item.raw[0] = (SndBase & ~(L4_Word_t)0x3ff) | (__L4_ITEM_MAP << 1);
    item.raw[1] = f.raw;
    return item;
}

L4_INLINE L4_Bool_t L4_IsMapItem(L4_MapItem_t m)
{
    return __L4_ITEM_TYPE(m.raw[0]) == __L4_ITEM_MAP;
}

L4_INLINE L4_Fpage_t L4_MapItemSndFpage(L4_MapItem_t m)
{
    L4_Fpage_t f;
    f.raw = m.raw[1];
    return f;
}

L4_INLINE L4_Word_t L4_MapItemSndBase(L4_MapItem_t m)
{
    return m.raw[0] & ~(L4_Word_t)0x3ff;
}

L4_INLINE L4_GrantItem_t L4_GrantItem(L4_Fpage_t f, L4_Word_t SndBase)
{
    L4_GrantItem_t item;
    item.raw[0] = (SndBase & ~(L4_Word_t)0x3ff) | (__L4_ITEM_GRANT << 1);
    item.raw[1] = f.raw;
    return item;
}

L4_INLINE L4_Bool_t L4_IsGrantItem(L4_GrantItem_t g)
{
    return __L4_ITEM_TYPE(g.raw[0]) == __L4_ITEM_GRANT;
}

L4_INLINE L4_Fpage_t L4_GrantItemSndFpage(L4_GrantItem_t g)
{
    L4_Fpage_t f;
    f.raw = g.raw[1];
    return f;
}

L4_INLINE L4_Word_t L4_GrantItemSndBase(L4_GrantItem_t g)
{
    return g.raw[0] & ~(L4_Word_t)0x3ff;
}

/*
 * String items.  The header word is {C, 0 hh (cache hint), j, c, length}
 * and is followed by j+1 substring addresses, each of `length` bytes.  If c
 * is set, another header (with its own j, length and addresses) continues
 * the same compound string.  C, read from the first header of a string, says
 * that another item follows the whole compound string.
 */
typedef union {
    L4_Word_t raw[2];
    struct {
        L4_Word_t C : 1;
        L4_Word_t __type : 3;
        L4_Word_t j : 5;
        L4_Word_t c : 1;
        L4_Word_t string_length : 22 + __L4_TOP_FIELD_EXTRA;
        union {
            void *string_ptr;
        } str;
    } X;
} L4_StringItem_t;

#define __L4_STR_C              ((L4_Word_t)1 << 0)
#define __L4_STR_c              ((L4_Word_t)1 << 9)
#define __L4_STR_J(w0)          (((w0) >> 4) & 0x1f)
#define __L4_STR_LENGTH(w0)     ((w0) >> 10)

/* End of the compound string starting at w; *last gets its final header. */
L4_INLINE L4_Word_t *__L4_StrEnd(L4_Word_t *w, L4_Word_t **last)
{
    L4_Word_t *hdr;
    do {
        hdr = w;
        w += __L4_STR_J(hdr[0]) + 2;
    } while (hdr[0] & __L4_STR_c);
    if (last)
        *last = hdr;
    return w;
}

/* End of a sequence of strings chained by C; *last gets the first header of
 * the final string. */
L4_INLINE L4_Word_t *__L4_StrsEnd(L4_Word_t *w, L4_Word_t **last)
{
    L4_Word_t *first;
    do {
        first = w;
        w = __L4_StrEnd(w, (L4_Word_t **)0);
    } while (first[0] & __L4_STR_C);
    if (last)
        *last = first;
    return w;
}

/* Words occupied by the compound string at s (all its headers and addresses). */
L4_INLINE L4_Word_t __L4_StrWords(const L4_StringItem_t *s)
{
    L4_Word_t *b = (L4_Word_t *)s;
    return (L4_Word_t)(__L4_StrEnd(b, (L4_Word_t **)0) - b);
}

L4_INLINE void __L4_CopyWords(L4_Word_t *d, const L4_Word_t *s, L4_Word_t n)
{
    while (n-- > 0)
        *d++ = *s++;
}

L4_INLINE L4_StringItem_t L4_StringItem(int size, void *address)
{
    L4_StringItem_t item;
    item.raw[0] = (L4_Word_t)size << 10;
    item.raw[1] = (L4_Word_t)address;
    return item;
}

L4_INLINE L4_Bool_t L4_IsStringItem(L4_StringItem_t *s)
{
    return (s->raw[0] & 0x8) == 0;
}

/* More than one substring (several addresses or a continuation header). */
L4_INLINE L4_Bool_t L4_CompoundString(L4_StringItem_t *s)
{
    return __L4_STR_J(s->raw[0]) != 0 || (s->raw[0] & __L4_STR_c) != 0;
}

/* Number of substrings over all headers of the compound string. */
L4_INLINE L4_Word_t L4_Substrings(L4_StringItem_t *s)
{
    L4_Word_t *w = (L4_Word_t *)s, n = 0, hdr;
    do {
        hdr = w[0];
        n += __L4_STR_J(hdr) + 1;
        w += __L4_STR_J(hdr) + 2;
    } while (hdr & __L4_STR_c);
    return n;
}

/* Address of substring n (counted from 1), or 0 past the last one. */
L4_INLINE void *L4_Substring(L4_StringItem_t *s, L4_Word_t n)
{
    L4_Word_t *w = (L4_Word_t *)s, hdr;
    if (n == 0)
        return (void *)0;
    do {
        hdr = w[0];
        if (n <= __L4_STR_J(hdr) + 1)
            return (void *)w[n];
        n -= __L4_STR_J(hdr) + 1;
        w += __L4_STR_J(hdr) + 2;
    } while (hdr & __L4_STR_c);
    return (void *)0;
}

/* chacmsim addition: total bytes of the compound string (the sum over its
 * headers of length * (j + 1)). */
L4_INLINE L4_Word_t L4_StringItemSize(L4_StringItem_t *s)
{
    L4_Word_t *w = (L4_Word_t *)s, size = 0, hdr;
    do {
        hdr = w[0];
        size += __L4_STR_LENGTH(hdr) * (__L4_STR_J(hdr) + 1);
        w += __L4_STR_J(hdr) + 2;
    } while (hdr & __L4_STR_c);
    return size;
}

/* Appends the compound string substr (with all its headers) after the last
 * header of dest and links it with c.  dest needs room for it.  Returns the
 * copy. */
L4_INLINE L4_StringItem_t *L4_AddSubstringTo(L4_StringItem_t *dest, L4_StringItem_t *substr)
{
    L4_Word_t *last;
    L4_Word_t *end = __L4_StrEnd((L4_Word_t *)dest, &last);
    L4_Word_t n = __L4_StrWords(substr);
    last[0] |= __L4_STR_c;
    __L4_CopyWords(end, (const L4_Word_t *)substr, n);
    return (L4_StringItem_t *)end;
}

/* Adds one more address (same length) to the last header of dest; dest
 * needs room for it.  A header holds at most 32 addresses. */
L4_INLINE L4_StringItem_t *L4_AddSubstringAddressTo(L4_StringItem_t *dest, void *substring_addr)
{
    L4_Word_t *last;
    L4_Word_t j;
    __L4_StrEnd((L4_Word_t *)dest, &last);
    j = __L4_STR_J(last[0]);
    if (j < 31) {
        j++;
        last[0] = (last[0] & ~((L4_Word_t)0x1f << 4)) | (j << 4);
        last[j + 1] = (L4_Word_t)substring_addr;
    }
    return dest;
}

/*
 * Cache allocation hints (the hh bits 1..2 of a string item header).
 */
typedef struct {
    L4_Word_t raw;
} L4_CacheAllocationHint_t;

#define L4_UseDefaultCacheAllocation    ((L4_CacheAllocationHint_t){ .raw = 0 })
#define L4_AllocateNewCacheLines        ((L4_CacheAllocationHint_t){ .raw = 1 << 1 })
#define L4_DoNotAllocateNewCacheLines   ((L4_CacheAllocationHint_t){ .raw = 2 << 1 })
#define L4_AllocateOnlyNewL1CacheLines  ((L4_CacheAllocationHint_t){ .raw = 3 << 1 })

L4_INLINE L4_CacheAllocationHint_t L4_CacheAllocationHint(const L4_StringItem_t s)
{
    L4_CacheAllocationHint_t hint;
    hint.raw = s.raw[0] & 0x6;
    return hint;
}

/* Pistachio's spelling of the above. */
L4_INLINE L4_CacheAllocationHint_t L4_CacheAlloctionHint(const L4_StringItem_t s)
{
    return L4_CacheAllocationHint(s);
}

L4_INLINE L4_Bool_t L4_IsCacheAllocationHintEqual(const L4_CacheAllocationHint_t l,
                                                  const L4_CacheAllocationHint_t r)
{
    return (l.raw & 0x6) == (r.raw & 0x6);
}

L4_INLINE L4_Bool_t L4_IsCacheAllocationHintNotEqual(const L4_CacheAllocationHint_t l,
                                                     const L4_CacheAllocationHint_t r)
{
    return (l.raw & 0x6) != (r.raw & 0x6);
}

L4_INLINE L4_StringItem_t L4_AddCacheAllocationHint(const L4_StringItem_t dest,
                                                    const L4_CacheAllocationHint_t h)
{
    L4_StringItem_t item = dest;
    item.raw[0] = (item.raw[0] & ~(L4_Word_t)0x6) | (h.raw & 0x6);
    return item;
}

L4_INLINE L4_StringItem_t L4_AddCacheAllocationHintTo(L4_StringItem_t *dest,
                                                      const L4_CacheAllocationHint_t h)
{
    dest->raw[0] = (dest->raw[0] & ~(L4_Word_t)0x6) | (h.raw & 0x6);
    return *dest;
}

/*
 * Message objects: a copy of MR0..MR63 in memory.
 */
typedef union {
    L4_Word_t raw[__L4_NUM_MRS];
    L4_Word_t msg[__L4_NUM_MRS];
    L4_MsgTag_t tag;
} L4_Msg_t;

/* Words after the tag in use (u + t), limited to what the MRs hold. */
L4_INLINE L4_Word_t __L4_MsgUsed(L4_MsgTag_t t)
{
    L4_Word_t n = __L4_TagU(t) + __L4_TagT(t);
    return n < __L4_NUM_MRS ? n : __L4_NUM_MRS - 1;
}

L4_INLINE void L4_MsgPut(L4_Msg_t *msg, L4_Word_t label, int u, L4_Word_t *Untyped, int t, void *Items)
{
    int i;
    L4_Word_t *items = (L4_Word_t *)Items;

    if (u < 0)
        u = 0;
    if (t < 0)
        t = 0;
    if (u > __L4_NUM_MRS - 1)
        u = __L4_NUM_MRS - 1;
    if (t > __L4_NUM_MRS - 1 - u)
        t = __L4_NUM_MRS - 1 - u;
    for (i = 0; i < u; i++)
        msg->msg[i + 1] = Untyped[i];
    for (i = 0; i < t; i++)
        msg->msg[i + u + 1] = items[i];
    msg->tag.raw = (label << 16) | ((L4_Word_t)t << 6) | (L4_Word_t)u;
}

L4_INLINE void L4_MsgGet(const L4_Msg_t *msg, L4_Word_t *Untyped, void *Items)
{
    L4_Word_t i, u = __L4_TagU(msg->tag), n = __L4_MsgUsed(msg->tag);
    L4_Word_t *items = (L4_Word_t *)Items;

    if (u > n)
        u = n;
    for (i = 0; i < u; i++)
        Untyped[i] = msg->msg[i + 1];
    for (i = u; i < n; i++)
        items[i - u] = msg->msg[i + 1];
}

L4_INLINE L4_MsgTag_t L4_MsgMsgTag(const L4_Msg_t *msg)
{
    return msg->tag;
}

L4_INLINE void L4_Set_MsgMsgTag(L4_Msg_t *msg, L4_MsgTag_t t)
{
    msg->tag = t;
}

L4_INLINE L4_Word_t L4_MsgLabel(const L4_Msg_t *msg)
{
    return L4_Label(msg->tag);
}

L4_INLINE void L4_Set_MsgLabel(L4_Msg_t *msg, L4_Word_t label)
{
    L4_Set_Label(&msg->tag, label);
}

/* Copies tag, untyped and typed words into MR0.. for sending. */
L4_INLINE void L4_MsgLoad(L4_Msg_t *msg)
{
    L4_LoadMRs(0, (int)__L4_MsgUsed(msg->tag) + 1, &msg->msg[0]);
}

/* Copies a received message (tag t, words in MR1..) into msg. */
L4_INLINE void L4_MsgStore(L4_MsgTag_t t, L4_Msg_t *msg)
{
    L4_StoreMRs(1, (int)__L4_MsgUsed(t), &msg->msg[1]);
    msg->tag = t;
}

L4_INLINE void L4_MsgClear(L4_Msg_t *msg)
{
    msg->msg[0] = 0;
}

/* Appends an untyped word, moving the typed words up by one.  A full
 * message is left unchanged. */
L4_INLINE void L4_MsgAppendWord(L4_Msg_t *msg, L4_Word_t w)
{
    L4_Word_t u = __L4_TagU(msg->tag), i;
    L4_Word_t end = u + __L4_TagT(msg->tag) + 1;   /* first free MR */

    if (end >= __L4_NUM_MRS || u >= 0x3f)
        return;
    for (i = end; i > u + 1; i--)
        msg->msg[i] = msg->msg[i - 1];
    msg->msg[u + 1] = w;
    msg->tag = __L4_TagSetU(msg->tag, u + 1);
}

/* Appends n typed words; a message without room is left unchanged. */
L4_INLINE void __L4_MsgAppendTyped(L4_Msg_t *msg, const L4_Word_t *w, L4_Word_t n)
{
    L4_Word_t t = __L4_TagT(msg->tag);
    L4_Word_t end = __L4_TagU(msg->tag) + t + 1;

    if (end + n > __L4_NUM_MRS || t + n > 0x3f)
        return;
    __L4_CopyWords(&msg->msg[end], w, n);
    msg->tag = __L4_TagSetT(msg->tag, t + n);
}

L4_INLINE void L4_MsgAppendMapItem(L4_Msg_t *msg, L4_MapItem_t m)
{
    __L4_MsgAppendTyped(msg, m.raw, 2);
}

L4_INLINE void L4_MsgAppendGrantItem(L4_Msg_t *msg, L4_GrantItem_t g)
{
    __L4_MsgAppendTyped(msg, g.raw, 2);
}

/* Appends s as a single-address string item (j and c cleared). */
L4_INLINE void L4_MsgAppendSimpleStringItem(L4_Msg_t *msg, L4_StringItem_t s)
{
    s.raw[0] &= ~(((L4_Word_t)0x1f << 4) | __L4_STR_c);
    __L4_MsgAppendTyped(msg, s.raw, 2);
}

/* Appends the compound string s with all its headers and addresses. */
L4_INLINE void L4_MsgAppendStringItem(L4_Msg_t *msg, L4_StringItem_t *s)
{
    __L4_MsgAppendTyped(msg, s->raw, __L4_StrWords(s));
}

L4_INLINE void L4_MsgPutWord(L4_Msg_t *msg, L4_Word_t u, L4_Word_t w)
{
    msg->msg[u + 1] = w;
}

L4_INLINE void L4_MsgPutMapItem(L4_Msg_t *msg, L4_Word_t t, L4_MapItem_t m)
{
    L4_Word_t i = __L4_TagU(msg->tag) + t + 1;
    msg->msg[i] = m.raw[0];
    msg->msg[i + 1] = m.raw[1];
}

L4_INLINE void L4_MsgPutGrantItem(L4_Msg_t *msg, L4_Word_t t, L4_GrantItem_t g)
{
    L4_Word_t i = __L4_TagU(msg->tag) + t + 1;
    msg->msg[i] = g.raw[0];
    msg->msg[i + 1] = g.raw[1];
}

L4_INLINE void L4_MsgPutSimpleStringItem(L4_Msg_t *msg, L4_Word_t t, L4_StringItem_t s)
{
    L4_Word_t i = __L4_TagU(msg->tag) + t + 1;
    msg->msg[i] = s.raw[0] & ~(((L4_Word_t)0x1f << 4) | __L4_STR_c);
    msg->msg[i + 1] = s.raw[1];
}

L4_INLINE void L4_MsgPutStringItem(L4_Msg_t *msg, L4_Word_t t, L4_StringItem_t *s)
{
    __L4_CopyWords(&msg->msg[__L4_TagU(msg->tag) + t + 1], s->raw, __L4_StrWords(s));
}

/* Untyped word u (counted from 0). */
L4_INLINE L4_Word_t L4_MsgWord(L4_Msg_t *msg, L4_Word_t u)
{
    return msg->msg[u + 1];
}

L4_INLINE void L4_MsgGetWord(L4_Msg_t *msg, L4_Word_t u, L4_Word_t *w)
{
    *w = msg->msg[u + 1];
}

/* The item at typed word t (counted from 0); returns the words it takes. */
L4_INLINE L4_Word_t L4_MsgGetMapItem(L4_Msg_t *msg, L4_Word_t t, L4_MapItem_t *m)
{
    L4_Word_t i = __L4_TagU(msg->tag) + t + 1;
    m->raw[0] = msg->msg[i];
    m->raw[1] = msg->msg[i + 1];
    return 2;
}

L4_INLINE L4_Word_t L4_MsgGetGrantItem(L4_Msg_t *msg, L4_Word_t t, L4_GrantItem_t *g)
{
    L4_Word_t i = __L4_TagU(msg->tag) + t + 1;
    g->raw[0] = msg->msg[i];
    g->raw[1] = msg->msg[i + 1];
    return 2;
}

/* Copies the compound string at typed word t into s (which needs room for
 * all its words); returns the number of words. */
L4_INLINE L4_Word_t L4_MsgGetStringItem(L4_Msg_t *msg, L4_Word_t t, L4_StringItem_t *s)
{
    L4_StringItem_t *src = (L4_StringItem_t *)&msg->msg[__L4_TagU(msg->tag) + t + 1];
    L4_Word_t n = __L4_StrWords(src);
    __L4_CopyWords(s->raw, src->raw, n);
    return n;
}

/*
 * Acceptors (BR0): s accepts string items, c control transfer items, and a
 * non-nil receive window accepts map and grant items.
 */
typedef union {
    L4_Word_t raw;
    struct {
        L4_Word_t s : 1;
        L4_Word_t c : 1;
        L4_Word_t __zeros : 2;
        L4_Word_t RcvWindow : 28 + __L4_TOP_FIELD_EXTRA;
    } X;
} L4_Acceptor_t;

#define L4_UntypedWordsAcceptor ((L4_Acceptor_t){ .raw = 0 })
#define L4_StringItemsAcceptor  ((L4_Acceptor_t){ .raw = 1 })
#define L4_CtrlXferAcceptor     ((L4_Acceptor_t){ .raw = 2 })

#define __L4_ACC_WINDOW         (~(L4_Word_t)0xf)

L4_INLINE L4_Acceptor_t L4_MapGrantItems(L4_Fpage_t RcvWindow)
{
    L4_Acceptor_t a;
    a.raw = RcvWindow.raw & __L4_ACC_WINDOW;
    return a;
}

L4_INLINE L4_Acceptor_t L4_AddAcceptor(const L4_Acceptor_t l, const L4_Acceptor_t r)
{
    L4_Acceptor_t a;
    L4_Word_t w = (r.raw & __L4_ACC_WINDOW) ? (r.raw & __L4_ACC_WINDOW) : (l.raw & __L4_ACC_WINDOW);
    a.raw = ((l.raw | r.raw) & 0x3) | w;
    return a;
}

L4_INLINE L4_Acceptor_t L4_AddAcceptorTo(L4_Acceptor_t l, const L4_Acceptor_t r)
{
    return L4_AddAcceptor(l, r);
}

L4_INLINE L4_Acceptor_t L4_RemoveAcceptor(const L4_Acceptor_t l, const L4_Acceptor_t r)
{
    L4_Acceptor_t a = l;
    a.raw &= ~(r.raw & 0x3);
    if (r.raw & __L4_ACC_WINDOW)
        a.raw &= ~__L4_ACC_WINDOW;
    return a;
}

L4_INLINE L4_Acceptor_t L4_RemoveAcceptorFrom(L4_Acceptor_t l, const L4_Acceptor_t r)
{
    return L4_RemoveAcceptor(l, r);
}

L4_INLINE L4_Bool_t L4_HasStringItems(const L4_Acceptor_t a)
{
    return (a.raw & 0x1) != 0;
}

L4_INLINE L4_Bool_t L4_HasMapGrantItems(const L4_Acceptor_t a)
{
    return (a.raw & __L4_ACC_WINDOW) != 0;
}

L4_INLINE L4_Fpage_t L4_RcvWindow(const L4_Acceptor_t a)
{
    L4_Fpage_t fp;
    fp.raw = a.raw & __L4_ACC_WINDOW;
    return fp;
}

/*
 * Receive buffers: string items for BR1..BR32, laid out as in the BRs.
 */
typedef union {
    L4_Word_t raw[__L4_NUM_BRS - 1];
    L4_StringItem_t string[(__L4_NUM_BRS - 1) / 2];
} L4_MsgBuffer_t;

/* Loads the acceptor into BR0. */
L4_INLINE void L4_Accept(const L4_Acceptor_t a)
{
    L4_LoadBR(0, a.raw);
}

/* Loads the acceptor into BR0 and the buffer's string items into BR1.. */
L4_INLINE void L4_AcceptStrings(const L4_Acceptor_t a, L4_MsgBuffer_t *b)
{
    L4_Word_t *w = b->raw, *first, *hdr;
    int i = 1, n;

    L4_LoadBR(0, a.raw);
    do {
        first = w;
        do {
            hdr = w;
            n = (int)__L4_STR_J(hdr[0]) + 2;
            if (i + n > __L4_NUM_BRS)
                return;
            L4_LoadBRs(i, n, hdr);
            i += n;
            w += n;
        } while (hdr[0] & __L4_STR_c);
    } while (first[0] & __L4_STR_C);
}

/* The acceptor currently in BR0. */
L4_INLINE L4_Acceptor_t L4_Accepted(void)
{
    L4_Acceptor_t a;
    L4_StoreBR(0, &a.raw);
    return a;
}

/* An empty buffer has words 0 and 2 clear; a lone two-word string marks
 * word 2 with all ones so that a zero header still counts as present. */
L4_INLINE void L4_MsgBufferClear(L4_MsgBuffer_t *b)
{
    b->raw[0] = 0;
    b->raw[2] = 0;
}

L4_INLINE L4_Bool_t __L4_MsgBufferEmpty(const L4_MsgBuffer_t *b)
{
    return b->raw[0] == 0 && b->raw[2] == 0;
}

/* Where a string of n words goes next (0 if it does not fit); a present
 * last string gets its C bit set. */
L4_INLINE L4_Word_t *__L4_MsgBufferSlot(L4_MsgBuffer_t *b, L4_Word_t n)
{
    L4_Word_t *last, *end;

    if (__L4_MsgBufferEmpty(b))
        return n <= __L4_NUM_BRS - 1 ? b->raw : (L4_Word_t *)0;
    end = __L4_StrsEnd(b->raw, &last);
    if ((L4_Word_t)(end - b->raw) + n > __L4_NUM_BRS - 1)
        return (L4_Word_t *)0;
    last[0] |= __L4_STR_C;
    return end;
}

/* Appends s as a single-address receive string. */
L4_INLINE void L4_MsgBufferAppendSimpleRcvString(L4_MsgBuffer_t *b, L4_StringItem_t s)
{
    L4_Word_t *slot = __L4_MsgBufferSlot(b, 2);

    if (!slot)
        return;
    if (slot == b->raw)
        b->raw[2] = ~(L4_Word_t)0;
    slot[0] = s.raw[0] & ~(((L4_Word_t)0x1f << 4) | __L4_STR_c | __L4_STR_C);
    slot[1] = s.raw[1];
}

/* Appends the compound string s as a receive string. */
L4_INLINE void L4_MsgBufferAppendRcvString(L4_MsgBuffer_t *b, L4_StringItem_t *s)
{
    L4_Word_t n = __L4_StrWords(s);
    L4_Word_t *slot = __L4_MsgBufferSlot(b, n);

    if (!slot)
        return;
    if (slot == b->raw && n == 2)
        b->raw[2] = ~(L4_Word_t)0;
    __L4_CopyWords(slot, s->raw, n);
    slot[0] &= ~__L4_STR_C;
}

#endif /* !__L4__MESSAGE_H__ */

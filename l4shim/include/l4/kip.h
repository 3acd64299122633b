/* The L4 X.2 kernel interface page with L4Ka::Pistachio's layout for 32-bit
 * and 64-bit words (every offset is a word index times the word size), its
 * kernel, memory and processor descriptors, and Pistachio's accessors. */
#ifndef __L4__KIP_H__
#define __L4__KIP_H__

#include <l4/types.h>
#include <l4/message.h>
#include __L4_ARCH_INC(syscalls.h)

/* Bits above 32 of a 64-bit word, as padding or as part of the top field. */
#define __L4_KIP_PLUS32         __L4_TOP_FIELD_EXTRA

typedef union {
    L4_Word_t raw;
    struct {
        L4_Word_t __padding : 16;
        L4_Word_t subid : 8;
        L4_Word_t id : 8 + __L4_KIP_PLUS32;
    } x;
} L4_KernelId_t;

typedef union {
    L4_Word_t raw;
    struct {
        L4_Word_t __padding : 16;
        L4_Word_t subversion : 8;
        L4_Word_t version : 8 + __L4_KIP_PLUS32;
    } x;
} L4_ApiVersion_t;

typedef union {
    L4_Word_t raw;
    struct {
        L4_Word_t ee : 2;           /* endianness: L4_APIFLAG_LE / _BE */
        L4_Word_t ww : 2;           /* word size: L4_APIFLAG_32BIT / _64BIT */
        L4_Word_t __padding : 28 + __L4_KIP_PLUS32;
    } x;
} L4_ApiFlags_t;

/* Number of memory descriptors (low half) and their offset from the KIP
 * (high half). */
typedef struct {
    L4_Word_t n : L4_BITS_PER_WORD / 2;
    L4_Word_t MemDescPtr : L4_BITS_PER_WORD / 2;
} L4_MemoryInfo_t;

/* Descriptor of an initial server (sigma0, sigma1, root server): initial
 * stack and instruction pointers and the physical region it occupies. */
typedef struct {
    L4_Word_t sp;
    L4_Word_t ip;
    L4_Word_t low;
    L4_Word_t high;
} L4_KipServerDesc_t;

typedef struct {
    L4_Word_t low;
    L4_Word_t high;
} L4_KipMemRegion_t;

typedef struct {
    /* 0x00 (word offsets 0..3) */
    L4_Word_t magic;
    L4_ApiVersion_t ApiVersion;
    L4_ApiFlags_t ApiFlags;
    union {
        L4_Word_t KernelVerPtr;     /* Pistachio's name */
        L4_Word_t KernelDescPtr;    /* offset of L4_KernelDesc_t from the KIP */
    };

    /* words 4..7: kernel debugger init and entry, its physical region */
    struct {
        L4_Word_t init;
        L4_Word_t entry;
        L4_Word_t low;
        L4_Word_t high;
    } Kdebug;

    /* words 8..19 */
    L4_KipServerDesc_t Sigma0;
    L4_KipServerDesc_t Sigma1;
    L4_KipServerDesc_t RootServer;

    /* words 20..23 */
    L4_Word_t __reserved20;
    L4_MemoryInfo_t MemoryInfo;
    L4_Word_t KdebugConfig[2];

    /* words 24..39: the pre-X.2 memory regions, kept zero */
    L4_KipMemRegion_t MainMem;
    L4_KipMemRegion_t ReservedMem[2];
    L4_KipMemRegion_t DedicatedMem[5];

    /* words 40..43 */
    L4_Word_t __padding40[2];
    union {
        L4_Word_t raw;
        struct {
            L4_Word_t m : 10;       /* UTCB size = m * 2^a */
            L4_Word_t a : 6;        /* UTCB alignment, log2 */
            L4_Word_t s : 6;        /* minimal UTCB area size, log2 */
            L4_Word_t __padding : 10 + __L4_KIP_PLUS32;
        } X;
    } UtcbAreaInfo;
    union {
        L4_Word_t raw;
        struct {
            L4_Word_t s : 6;        /* KIP area size, log2 */
            L4_Word_t __padding : 26 + __L4_KIP_PLUS32;
        } X;
    } KipAreaInfo;

    /* words 44..47 */
    L4_Word_t __padding44[2];
    L4_Word_t BootInfo;
    L4_Word_t ProcDescPtr;          /* offset of the L4_ProcDesc_t array */

    /* words 48..51 */
    union {
        L4_Word_t raw;
        struct {
            L4_Word_t ReadPrecision : 16;
            L4_Word_t SchedulePrecision : 16;
#if defined(L4_64BIT)
            L4_Word_t __padding : 32;
#endif
        } X;
    } ClockInfo;
    union {
        L4_Word_t raw;
        struct {
            L4_Word_t t : 8;            /* significant thread number bits */
            L4_Word_t SystemBase : 12;  /* first system thread number */
            L4_Word_t UserBase : 12;    /* first user thread number (sigma0) */
#if defined(L4_64BIT)
            L4_Word_t __padding : 32;
#endif
        } X;
    } ThreadInfo;
    union {
        L4_Word_t raw;
        struct {
            L4_Word_t rwx : 3;
            L4_Word_t __padding : 7;
            L4_Word_t page_size_mask : 22 + __L4_KIP_PLUS32;   /* bit k: 2^(k+10) */
        } X;
    } PageInfo;
    union {
        L4_Word_t raw;
        struct {
            L4_Word_t processors : 16;  /* number of processors - 1 */
            L4_Word_t __padding : 12 + __L4_KIP_PLUS32;
            L4_Word_t s : 4;            /* processor descriptor size, log2 */
        } X;
    } ProcessorInfo;

    /* words 52..62: system call links */
    L4_Word_t SpaceControl;
    L4_Word_t ThreadControl;
    L4_Word_t ProcessorControl;
    L4_Word_t MemoryControl;
    L4_Word_t Ipc;
    L4_Word_t Lipc;
    L4_Word_t Unmap;
    L4_Word_t ExchangeRegisters;
    L4_Word_t SystemClock;
    L4_Word_t ThreadSwitch;
    L4_Word_t Schedule;

    /* words 63..67 */
    L4_Word_t __paddingF0;
    L4_Word_t __padding100[4];

    /* words 68..71 */
    L4_Word_t ArchSyscall0;
    L4_Word_t ArchSyscall1;
    L4_Word_t ArchSyscall2;
    L4_Word_t ArchSyscall3;
} L4_KernelInterfacePage_t;

#define __L4_KIP_AT(field, word) \
    _Static_assert(__builtin_offsetof(L4_KernelInterfacePage_t, field) == (word) * sizeof(L4_Word_t), \
                   "KIP field " #field " is not at word " #word)
__L4_KIP_AT(ApiVersion, 1);
__L4_KIP_AT(KernelDescPtr, 3);
__L4_KIP_AT(Kdebug, 4);
__L4_KIP_AT(Sigma0, 8);
__L4_KIP_AT(Sigma1, 12);
__L4_KIP_AT(RootServer, 16);
__L4_KIP_AT(MemoryInfo, 21);
__L4_KIP_AT(KdebugConfig, 22);
__L4_KIP_AT(MainMem, 24);
__L4_KIP_AT(DedicatedMem, 30);
__L4_KIP_AT(UtcbAreaInfo, 42);
__L4_KIP_AT(KipAreaInfo, 43);
__L4_KIP_AT(BootInfo, 46);
__L4_KIP_AT(ProcDescPtr, 47);
__L4_KIP_AT(ClockInfo, 48);
__L4_KIP_AT(ThreadInfo, 49);
__L4_KIP_AT(PageInfo, 50);
__L4_KIP_AT(ProcessorInfo, 51);
__L4_KIP_AT(SpaceControl, 52);
__L4_KIP_AT(Ipc, 56);
__L4_KIP_AT(Schedule, 62);
__L4_KIP_AT(ArchSyscall0, 68);
_Static_assert(sizeof(L4_KernelInterfacePage_t) == 72 * sizeof(L4_Word_t), "KIP size");
_Static_assert(sizeof(L4_MemoryInfo_t) == sizeof(L4_Word_t), "MemoryInfo is one word");
#undef __L4_KIP_AT

/* Processor descriptor (frequencies in kHz); 2^ProcessorInfo.s bytes each. */
typedef union {
    L4_Word_t raw[4];
    struct {
        L4_Word_t ExternalFreq;
        L4_Word_t InternalFreq;
        L4_Word_t __padding[2];
    } X;
} L4_ProcDesc_t;

/* Kernel descriptor, at KernelDescPtr: id, generation date, version,
 * supplier, then the version string and the feature strings (each
 * NUL-terminated, the list ended by an empty string). */
typedef struct {
    L4_KernelId_t KernelId;
    union {
        L4_Word_t raw;
        struct {
            L4_Word_t day : 5;
            L4_Word_t month : 4;
            L4_Word_t year : 7;     /* years since 2000 */
            L4_Word_t __padding : 16 + __L4_KIP_PLUS32;
        } X;
    } KernelGenDate;
    union {
        L4_Word_t raw;
        struct {
            L4_Word_t subsubver : 16;
            L4_Word_t subver : 8;
            L4_Word_t ver : 8 + __L4_KIP_PLUS32;
        } X;
    } KernelVer;
    L4_Word_t Supplier;
    char VersionString[];
} L4_KernelDesc_t;

/* "L4\xe6K" ("L4uK" with a micro sign) as the first word. */
#ifndef L4_MAGIC
#define L4_MAGIC                (('K' << 24) + (230 << 16) + ('4' << 8) + 'L')
#endif

/* Values of the API version field (ApiVersion.x.version). */
#define L4_APIVERSION_2         (0x02)
#define L4_APIVERSION_4         (0x04)
#define L4_APIVERSION_X0        (0x83)
#define L4_APIVERSION_X1        (0x83)
#define L4_APIVERSION_X2        (0x84)
#define L4_APIVERSION_L4SEC     (0x85)
#define L4_APIVERSION_N1        (0x86)
#define L4_APISUBVERSION_X0     (0x80)
#define L4_APISUBVERSION_X1     (0x81)
#define L4_APIVERSION_OKL       (0xA0)
/* chacmsim addition: the subversion Pistachio's X.2 kernels report. */
#define L4_APISUBVERSION_X2     (0x05)

/* Values of the API flags fields. */
#define L4_APIFLAG_LE           (0x00)
#define L4_APIFLAG_BE           (0x01)
#define L4_APIFLAG_32BIT        (0x00)
#define L4_APIFLAG_64BIT        (0x01)

/* Kernel id and subid (id << 8 | subid). */
#define L4_KID_L4_486           ((0 << 8) + 1)
#define L4_KID_L4_PENTIUM       ((0 << 8) + 2)
#define L4_KID_L4_X86           ((0 << 8) + 3)
#define L4_KID_L4_MIPS          ((1 << 8) + 1)
#define L4_KID_L4_ALPHA         ((2 << 8) + 1)
#define L4_KID_FIASCO           ((3 << 8) + 1)
#define L4_KID_L4KA_HAZELNUT    ((4 << 8) + 1)
#define L4_KID_L4KA_PISTACHIO   ((4 << 8) + 2)
#define L4_KID_L4KA_STRAWBERRY  ((4 << 8) + 3)
#define L4_KID_NICTA_PISTACHIO  ((5 << 8) + 1)

/* Kernel suppliers (four characters in a word, little endian). */
#define L4_SUPL_GMD             ((' ' << 24) + ('D' << 16) + ('M' << 8) + 'G')
#define L4_SUPL_IBM             ((' ' << 24) + ('M' << 16) + ('B' << 8) + 'I')
#define L4_SUPL_UNSW            (('W' << 24) + ('S' << 16) + ('N' << 8) + 'U')
#define L4_SUPL_UKA             ((' ' << 24) + ('a' << 16) + ('K' << 8) + 'U')
#define L4_SUPL_NICTA           (('T' << 24) + ('C' << 16) + ('I' << 8) + 'N')

/*
 * Memory descriptors: two words, {type, t (subtype), v (virtual), low >> 10}
 * and {high >> 10}; high is inclusive.
 */
typedef union {
    L4_Word_t raw[2];
    struct {
        L4_Word_t type : 4;
        L4_Word_t t : 4;
        L4_Word_t __padding1 : 1;
        L4_Word_t v : 1;
        L4_Word_t low : L4_BITS_PER_WORD - 10;
        L4_Word_t __padding2 : 10;
        L4_Word_t high : L4_BITS_PER_WORD - 10;
    } x;
} L4_MemoryDesc_t;

#define L4_UndefinedMemoryType                  (0x0)
#define L4_ConventionalMemoryType               (0x1)
#define L4_ReservedMemoryType                   (0x2)
#define L4_DedicatedMemoryType                  (0x3)
#define L4_SharedMemoryType                     (0x4)
#define L4_BootLoaderSpecificMemoryType         (0xe)
#define L4_ArchitectureSpecificMemoryType       (0xf)

/*
 * Accessors.
 */
L4_INLINE void *L4_GetKernelInterface(void)
{
    L4_Word_t version, flags, id;
    return L4_KernelInterface(&version, &flags, &id);
}

L4_INLINE L4_Word_t L4_ApiVersion(void)
{
    L4_Word_t version, flags, id;
    (void)L4_KernelInterface(&version, &flags, &id);
    return version;
}

L4_INLINE L4_Word_t L4_ApiFlags(void)
{
    L4_Word_t version, flags, id;
    (void)L4_KernelInterface(&version, &flags, &id);
    return flags;
}

L4_INLINE L4_Word_t L4_KernelId(void)
{
    L4_Word_t version, flags, id;
    (void)L4_KernelInterface(&version, &flags, &id);
    return id;
}

L4_INLINE L4_KernelInterfacePage_t *__L4_Kip(void *KernelInterface)
{
    return (L4_KernelInterfacePage_t *)KernelInterface;
}

L4_INLINE L4_KernelDesc_t *__L4_KernelDesc(void *KernelInterface)
{
    return (L4_KernelDesc_t *)((L4_Word_t)KernelInterface + __L4_Kip(KernelInterface)->KernelDescPtr);
}

L4_INLINE void L4_KernelGenDate(void *KernelInterface, L4_Word_t *year, L4_Word_t *month, L4_Word_t *day)
{
    L4_Word_t gen = __L4_KernelDesc(KernelInterface)->KernelGenDate.raw;
    *year = ((gen >> 9) & 0x7f) + 2000;
    *month = (gen >> 5) & 0x0f;
    *day = gen & 0x1f;
}

L4_INLINE L4_Word_t L4_KernelVersion(void *KernelInterface)
{
    return __L4_KernelDesc(KernelInterface)->KernelVer.raw;
}

L4_INLINE L4_Word_t L4_KernelSupplier(void *KernelInterface)
{
    return __L4_KernelDesc(KernelInterface)->Supplier;
}

L4_INLINE L4_Word_t L4_NumProcessors(void *KernelInterface)
{
    return __L4_Kip(KernelInterface)->ProcessorInfo.X.processors + 1;
}

L4_INLINE L4_Word_t L4_NumMemoryDescriptors(void *KernelInterface)
{
    return __L4_Kip(KernelInterface)->MemoryInfo.n;
}

/* Supported page sizes: bit k set means 2^k bytes. */
L4_INLINE L4_Word_t L4_PageSizeMask(void *KernelInterface)
{
    return __L4_Kip(KernelInterface)->PageInfo.raw & ~(L4_Word_t)0x3ff;
}

L4_INLINE L4_Word_t L4_PageRights(void *KernelInterface)
{
    return __L4_Kip(KernelInterface)->PageInfo.raw & 0x7;
}

L4_INLINE L4_Word_t L4_ThreadIdBits(void *KernelInterface)
{
    return __L4_Kip(KernelInterface)->ThreadInfo.X.t;
}

L4_INLINE L4_Word_t L4_ThreadIdSystemBase(void *KernelInterface)
{
    return __L4_Kip(KernelInterface)->ThreadInfo.X.SystemBase;
}

L4_INLINE L4_Word_t L4_ThreadIdUserBase(void *KernelInterface)
{
    return __L4_Kip(KernelInterface)->ThreadInfo.X.UserBase;
}

/* Clock precisions, in microseconds. */
L4_INLINE L4_Word_t L4_ReadPrecision(void *KernelInterface)
{
    return __L4_Kip(KernelInterface)->ClockInfo.X.ReadPrecision;
}

L4_INLINE L4_Word_t L4_SchedulePrecision(void *KernelInterface)
{
    return __L4_Kip(KernelInterface)->ClockInfo.X.SchedulePrecision;
}

L4_INLINE L4_Word_t L4_UtcbAreaSizeLog2(void *KernelInterface)
{
    return __L4_Kip(KernelInterface)->UtcbAreaInfo.X.s;
}

L4_INLINE L4_Word_t L4_UtcbAreaSize(void *KernelInterface)
{
    return (L4_Word_t)1 << L4_UtcbAreaSizeLog2(KernelInterface);
}

L4_INLINE L4_Word_t L4_UtcbAlignmentLog2(void *KernelInterface)
{
    return __L4_Kip(KernelInterface)->UtcbAreaInfo.X.a;
}

L4_INLINE L4_Word_t L4_UtcbSize(void *KernelInterface)
{
    L4_KernelInterfacePage_t *kip = __L4_Kip(KernelInterface);
    return ((L4_Word_t)1 << kip->UtcbAreaInfo.X.a) * kip->UtcbAreaInfo.X.m;
}

L4_INLINE L4_Word_t L4_KipAreaSizeLog2(void *KernelInterface)
{
    return __L4_Kip(KernelInterface)->KipAreaInfo.X.s;
}

L4_INLINE L4_Word_t L4_KipAreaSize(void *KernelInterface)
{
    return (L4_Word_t)1 << L4_KipAreaSizeLog2(KernelInterface);
}

/* Address of the boot information (see <l4/bootinfo.h>), or 0. */
L4_INLINE L4_Word_t L4_BootInfo(void *KernelInterface)
{
    return __L4_Kip(KernelInterface)->BootInfo;
}

L4_INLINE char *L4_KernelVersionString(void *KernelInterface)
{
    return __L4_KernelDesc(KernelInterface)->VersionString;
}

/* Feature string num (from 0) after the version string, or 0. */
L4_INLINE char *L4_Feature(void *KernelInterface, L4_Word_t num)
{
    char *str = L4_KernelVersionString(KernelInterface);

    for (;;) {
        while (*str++ != 0) {
        }
        if (*str == 0)
            return (char *)0;
        if (num-- == 0)
            return str;
    }
}

L4_INLINE L4_Bool_t L4_HasFeature(const char *feature_name)
{
    void *kip = L4_GetKernelInterface();
    char *name;
    L4_Word_t i;

    for (i = 0; (name = L4_Feature(kip, i)) != (char *)0; i++) {
        const char *a = name, *b = feature_name;
        while (*a != 0 && *a == *b) {
            a++;
            b++;
        }
        if (*a == 0 && *b == 0)
            return 1;
    }
    return 0;
}

/* Memory descriptor num (from 0), or 0 past the last one. */
L4_INLINE L4_MemoryDesc_t *L4_MemoryDesc(void *KernelInterface, L4_Word_t num)
{
    L4_KernelInterfacePage_t *kip = __L4_Kip(KernelInterface);
    if (num >= kip->MemoryInfo.n)
        return (L4_MemoryDesc_t *)0;
    return (L4_MemoryDesc_t *)((L4_Word_t)kip + kip->MemoryInfo.MemDescPtr) + num;
}

L4_INLINE L4_Bool_t L4_IsMemoryDescVirtual(L4_MemoryDesc_t *m)
{
    return (m->raw[0] >> 9) & 1;
}

/* The type; for the bootloader and arch specific types (0xE, 0xF) the
 * subtype is added as t << 4. */
L4_INLINE L4_Word_t L4_MemoryDescType(L4_MemoryDesc_t *m)
{
    L4_Word_t type = m->raw[0] & 0xf;
    return type >= 0xe ? type + (((m->raw[0] >> 4) & 0xf) << 4) : type;
}

L4_INLINE L4_Word_t L4_MemoryDescLow(L4_MemoryDesc_t *m)
{
    return m->raw[0] & ~(L4_Word_t)0x3ff;
}

/* Last byte of the region (inclusive). */
L4_INLINE L4_Word_t L4_MemoryDescHigh(L4_MemoryDesc_t *m)
{
    return m->raw[1] | 0x3ff;
}

/* Processor descriptor cpu (from 0), or 0 past the last one. */
L4_INLINE L4_ProcDesc_t *L4_ProcDesc(void *KernelInterface, L4_Word_t cpu)
{
    L4_KernelInterfacePage_t *kip = __L4_Kip(KernelInterface);
    if (cpu > kip->ProcessorInfo.X.processors)
        return (L4_ProcDesc_t *)0;
    return (L4_ProcDesc_t *)((L4_Word_t)kip + kip->ProcDescPtr + ((L4_Word_t)1 << kip->ProcessorInfo.X.s) * cpu);
}

L4_INLINE L4_Word_t L4_ProcDescExternalFreq(L4_ProcDesc_t *p)
{
    return p->X.ExternalFreq;
}

L4_INLINE L4_Word_t L4_ProcDescInternalFreq(L4_ProcDesc_t *p)
{
    return p->X.InternalFreq;
}

#endif /* !__L4__KIP_H__ */

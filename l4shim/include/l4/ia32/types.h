/* ia32 arch: word size and byte order (ILP32, little endian), as the X.2
 * ia32 binding fixes them.  L4_Word_t is unsigned long, so formats with
 * %lx print a word on both arches. */
#ifndef __L4__IA32__TYPES_H__
#define __L4__IA32__TYPES_H__

#define L4_32BIT 1
#define L4_LITTLE_ENDIAN 1

typedef unsigned long L4_Word_t;
typedef unsigned long long L4_Word64_t;
typedef unsigned int L4_Word32_t;
typedef unsigned short L4_Word16_t;
typedef unsigned char L4_Word8_t;
typedef unsigned long L4_Size_t;
typedef unsigned long L4_Addr_t;

#endif /* !__L4__IA32__TYPES_H__ */

/* Hosted arch: word size and byte order of the host (x86-64, LP64). */
#ifndef __L4__HOSTED__TYPES_H__
#define __L4__HOSTED__TYPES_H__

#define L4_64BIT 1
#define L4_LITTLE_ENDIAN 1

typedef unsigned long L4_Word_t;
typedef unsigned long long L4_Word64_t;
typedef unsigned int L4_Word32_t;
typedef unsigned short L4_Word16_t;
typedef unsigned char L4_Word8_t;
typedef unsigned long L4_Size_t;
typedef unsigned long L4_Addr_t;

#endif /* !__L4__HOSTED__TYPES_H__ */

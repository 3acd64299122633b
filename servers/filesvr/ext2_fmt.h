/* filesvr: the ext2 on-disk format (revision 0 and 1, 32-bit block numbers):
 * superblock, group descriptor, inode, directory entry and feature bits.
 * Fields are little-endian; both our targets (hosted x86-64, ia32) are. */
#ifndef FS_EXT2_FMT_H
#define FS_EXT2_FMT_H

#include <stdint.h>

#define EXT2_SUPER_OFFSET 1024
#define EXT2_SUPER_MAGIC 0xEF53
#define EXT2_ROOT_INO 2
#define EXT2_NDIR 12
#define EXT2_IND 12
#define EXT2_DIND 13
#define EXT2_TIND 14
#define EXT2_NBLOCKS 15
#define EXT2_NAME_LEN 255
#define EXT2_FAST_LINK_MAX 60   /* a symlink shorter than this lives in i_block */
#define EXT2_LINK_MAX 65000

#define EXT2_VALID_FS 1
#define EXT2_ERROR_FS 2

/* Feature bits. */
#define EXT2_COMPAT_DIR_PREALLOC 0x0001
#define EXT2_COMPAT_IMAGIC 0x0002
#define EXT3_COMPAT_HAS_JOURNAL 0x0004
#define EXT2_COMPAT_EXT_ATTR 0x0008
#define EXT2_COMPAT_RESIZE_INODE 0x0010
#define EXT2_COMPAT_DIR_INDEX 0x0020

#define EXT2_RO_SPARSE_SUPER 0x0001
#define EXT2_RO_LARGE_FILE 0x0002
#define EXT2_RO_BTREE_DIR 0x0004
#define EXT4_RO_HUGE_FILE 0x0008
#define EXT4_RO_GDT_CSUM 0x0010
#define EXT4_RO_DIR_NLINK 0x0020
#define EXT4_RO_EXTRA_ISIZE 0x0040
#define EXT4_RO_METADATA_CSUM 0x0400
/* The read-only-compatible features this code keeps correct when writing. */
#define EXT2_RO_SUPPORTED (EXT2_RO_SPARSE_SUPER | EXT2_RO_LARGE_FILE | EXT2_RO_BTREE_DIR | \
                           EXT4_RO_DIR_NLINK | EXT4_RO_EXTRA_ISIZE)

#define EXT2_INCOMPAT_COMPRESSION 0x0001
#define EXT2_INCOMPAT_FILETYPE 0x0002
#define EXT3_INCOMPAT_RECOVER 0x0004
#define EXT3_INCOMPAT_JOURNAL_DEV 0x0008
#define EXT2_INCOMPAT_META_BG 0x0010
#define EXT4_INCOMPAT_EXTENTS 0x0040
#define EXT4_INCOMPAT_64BIT 0x0080
#define EXT4_INCOMPAT_MMP 0x0100
#define EXT4_INCOMPAT_FLEX_BG 0x0200
#define EXT4_INCOMPAT_EA_INODE 0x0400
#define EXT4_INCOMPAT_DIRDATA 0x1000
#define EXT4_INCOMPAT_CSUM_SEED 0x2000
#define EXT4_INCOMPAT_LARGEDIR 0x4000
#define EXT4_INCOMPAT_INLINE_DATA 0x8000
#define EXT4_INCOMPAT_ENCRYPT 0x10000
#define EXT4_INCOMPAT_CASEFOLD 0x20000
/* flex_bg only moves bitmaps and inode tables; the descriptors say where. */
#define EXT2_INCOMPAT_SUPPORTED (EXT2_INCOMPAT_FILETYPE | EXT4_INCOMPAT_FLEX_BG)

/* Inode mode and flags. */
#define EXT2_S_IFMT 0xF000
#define EXT2_S_IFSOCK 0xC000
#define EXT2_S_IFLNK 0xA000
#define EXT2_S_IFREG 0x8000
#define EXT2_S_IFBLK 0x6000
#define EXT2_S_IFDIR 0x4000
#define EXT2_S_IFCHR 0x2000
#define EXT2_S_IFIFO 0x1000
#define EXT2_INDEX_FL 0x00001000
#define EXT4_EXTENTS_FL 0x00080000
#define EXT4_INLINE_DATA_FL 0x10000000

struct ext2_super {
    uint32_t s_inodes_count, s_blocks_count, s_r_blocks_count;
    uint32_t s_free_blocks_count, s_free_inodes_count;
    uint32_t s_first_data_block, s_log_block_size, s_log_frag_size;
    uint32_t s_blocks_per_group, s_frags_per_group, s_inodes_per_group;
    uint32_t s_mtime, s_wtime;
    uint16_t s_mnt_count, s_max_mnt_count, s_magic, s_state, s_errors, s_minor_rev_level;
    uint32_t s_lastcheck, s_checkinterval, s_creator_os, s_rev_level;
    uint16_t s_def_resuid, s_def_resgid;
    /* revision 1 */
    uint32_t s_first_ino;
    uint16_t s_inode_size, s_block_group_nr;
    uint32_t s_feature_compat, s_feature_incompat, s_feature_ro_compat;
    uint8_t s_uuid[16];
    char s_volume_name[16];
    char s_last_mounted[64];
    uint32_t s_algo_bitmap;
    uint8_t s_prealloc_blocks, s_prealloc_dir_blocks;
    uint16_t s_reserved_gdt_blocks;
    uint8_t s_journal_uuid[16];
    uint32_t s_journal_inum, s_journal_dev, s_last_orphan;
    uint32_t s_hash_seed[4];
    uint8_t s_def_hash_version, s_jnl_backup_type;
    uint16_t s_desc_size;
    uint32_t s_default_mount_opts, s_first_meta_bg, s_mkfs_time;
    uint32_t s_jnl_blocks[17];
    uint8_t s_rest[1024 - 0x150];
};

struct ext2_group_desc {
    uint32_t bg_block_bitmap, bg_inode_bitmap, bg_inode_table;
    uint16_t bg_free_blocks_count, bg_free_inodes_count, bg_used_dirs_count;
    uint16_t bg_flags;
    uint32_t bg_reserved[3];
};

struct ext2_inode {
    uint16_t i_mode, i_uid;
    uint32_t i_size, i_atime, i_ctime, i_mtime, i_dtime;
    uint16_t i_gid, i_links_count;
    uint32_t i_blocks, i_flags, i_osd1;
    uint32_t i_block[EXT2_NBLOCKS];
    uint32_t i_generation, i_file_acl, i_size_high, i_faddr;
    uint8_t i_osd2[12];
};

struct ext2_dirent {
    uint32_t inode;
    uint16_t rec_len;
    uint8_t name_len, file_type;
    char name[];
};

#define EXT2_DIRENT_HDR 8
/* Bytes a directory entry with a name of n bytes needs. */
#define EXT2_DIRENT_LEN(n) ((EXT2_DIRENT_HDR + (n) + 3u) & ~3u)

/* Extended attribute block header (only its reference count is used). */
#define EXT2_XATTR_MAGIC 0xEA020000u
struct ext2_xattr_header {
    uint32_t h_magic, h_refcount, h_blocks, h_hash;
};

_Static_assert(sizeof(struct ext2_super) == 1024, "ext2 superblock is 1024 bytes");
_Static_assert(sizeof(struct ext2_group_desc) == 32, "ext2 group descriptor is 32 bytes");
_Static_assert(sizeof(struct ext2_inode) == 128, "ext2 inode is 128 bytes");

#endif /* !FS_EXT2_FMT_H */

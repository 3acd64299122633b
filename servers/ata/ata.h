/* The ATA driver's private interface: the drive (ata.c) and its MBR
 * partitions (part.c). */
#ifndef ATA_H
#define ATA_H

#include <stdbool.h>
#include <stdint.h>

#define ATA_SECTOR 512u
#define ATA_MULTIPLE 128u           /* most sectors per DRQ block the driver sets (SET MULTIPLE) */
#define ATA_MAX_PARTS 4

typedef struct {
    uint32_t sectors;               /* LBA28 capacity */
    unsigned multiple;              /* sectors per interrupt of READ/WRITE MULTIPLE; 0: READ/WRITE
                                     * SECTORS, one interrupt a sector */
    char model[41];
} ata_drive_t;

/* Errors of the drive (negative; 0 is success). */
enum { ATA_OK = 0, ATA_ENODEV = -1, ATA_ETIMEOUT = -2, ATA_EIO = -3, ATA_ERANGE = -4 };

/* Takes the primary channel's ports and IRQ 14 and identifies the master
 * drive.  ATA_OK, ATA_ENODEV (no drive, or the ports or line are
 * another's), ATA_ETIMEOUT. */
int ata_init(ata_drive_t *d);
/* Reads or writes count sectors at lba through buf (count >= 1). */
int ata_read(ata_drive_t *d, uint32_t lba, uint32_t count, void *buf);
int ata_write(ata_drive_t *d, uint32_t lba, uint32_t count, const void *buf);
/* FLUSH CACHE. */
int ata_flush(ata_drive_t *d);
/* The error register of the last failed command (for messages). */
uint8_t ata_last_error(void);

typedef struct {
    bool used;
    uint8_t type;                   /* MBR partition type */
    uint32_t start, sectors;
} ata_part_t;

/* Reads the MBR from d and fills parts[0..ATA_MAX_PARTS); entries that
 * are empty or do not fit the disk are left unused (the latter with a
 * message).  Returns the number used, 0 for no MBR. */
int part_scan(ata_drive_t *d, ata_part_t parts[ATA_MAX_PARTS]);
/* Parses an MBR sector (pure: for tests too). */
int part_parse(const uint8_t *mbr, uint32_t disk_sectors, ata_part_t parts[ATA_MAX_PARTS]);

#endif /* ATA_H */

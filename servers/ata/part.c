/* MBR partitions: the four primary entries of sector 0 (type, first
 * sector, sectors).  Extended partitions are listed as they are (their
 * logical partitions are not followed). */
#include <stdio.h>
#include <string.h>

#include "ata.h"

static uint32_t le32(const uint8_t *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int part_parse(const uint8_t *mbr, uint32_t disk_sectors, ata_part_t parts[ATA_MAX_PARTS])
{
    memset(parts, 0, ATA_MAX_PARTS * sizeof *parts);
    if (mbr[510] != 0x55 || mbr[511] != 0xAA)
        return 0;
    int used = 0;
    for (int i = 0; i < ATA_MAX_PARTS; i++) {
        const uint8_t *e = mbr + 446 + 16 * i;
        uint8_t type = e[4];
        uint32_t start = le32(e + 8), n = le32(e + 12);
        if (type == 0 || n == 0)
            continue;
        if ((e[0] & 0x7f) != 0 || start == 0 || start >= disk_sectors || n > disk_sectors - start) {
            printf("ata: partition %d (type %#x, sectors %u+%u) does not fit the disk of %u sectors: ignored\n",
                   i + 1, type, start, n, disk_sectors);
            continue;
        }
        parts[i] = (ata_part_t){ .used = true, .type = type, .start = start, .sectors = n };
        used++;
    }
    return used;
}

int part_scan(ata_drive_t *d, ata_part_t parts[ATA_MAX_PARTS])
{
    static uint8_t mbr[ATA_SECTOR];
    memset(parts, 0, ATA_MAX_PARTS * sizeof *parts);
    if (ata_read(d, 0, 1, mbr) != ATA_OK)
        return 0;
    return part_parse(mbr, d->sectors, parts);
}

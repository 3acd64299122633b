/* The PC device models on the bus (bus.h): their constructors and the
 * few calls the machine makes on them besides port I/O. */
#ifndef SIM_DEVICES_MODELS_H
#define SIM_DEVICES_MODELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Intel 8254 PIT (pit.c): three counters at base..base+3 on the 1.193182
 * MHz input clock, counter 0's output on interrupt line irq. */
#define SIM_PIT_HZ 1193182u
typedef struct sim_pit sim_pit_t;
sim_pit_t *sim_pit_create(unsigned base, unsigned irq);
void sim_pit_free(sim_pit_t *p);
/* Interrupts counter 0 has raised (for tests and --stats). */
uint64_t sim_pit_raised(const sim_pit_t *p);

/* 16550A UART (uart.c) at base..base+7 on interrupt line irq.  Bytes
 * sent go to out (NULL: dropped); bytes received come from
 * sim_uart_receive, at the line's rate with hardware flow control (no
 * overruns unless the guest leaves the FIFO full). */
typedef struct sim_uart sim_uart_t;
sim_uart_t *sim_uart_create(unsigned base, unsigned irq, FILE *out);
void sim_uart_free(sim_uart_t *u);
/* Queues bytes for the receiver (on the simulated CPU). */
void sim_uart_receive(sim_uart_t *u, const void *data, size_t n);
/* Feeds everything read from fd to the receiver, from a host thread that
 * posts to the bus; false if the thread cannot start.  The far end is
 * there (DCD) from then on. */
bool sim_uart_feed_fd(sim_uart_t *u, int fd);
/* The far end sends what it reads from fd (a file or pipe), read on the
 * simulated CPU when the receiver takes its next byte, so a file's bytes
 * arrive at the same virtual times in every run; when fd has nothing yet,
 * a host thread waits for it (the kernel's idle gives it a moment before
 * it moves the clock on).  DCD is on until the end of fd, then it drops (a
 * hangup: delta DCD and the modem status interrupt) once every byte read
 * has arrived.  False if the thread cannot start. */
bool sim_uart_pull_fd(sim_uart_t *u, int fd);
/* Bytes sent and received so far, and whether the far end hung up. */
void sim_uart_counts(const sim_uart_t *u, uint64_t *sent, uint64_t *received, bool *hung_up);

/* ATA disk (ata.c): a master drive on the command block base..base+7
 * and the control block ctl, interrupt line irq, backed by the image
 * file fd of `bytes` bytes (whole 512-byte sectors count; at most 2^28).
 * read_only refuses writes with ABRT. */
#define SIM_ATA_SECTOR 512u
typedef struct sim_ata sim_ata_t;
sim_ata_t *sim_ata_create(unsigned base, unsigned ctl, unsigned irq, int fd, uint64_t bytes, bool read_only);
void sim_ata_free(sim_ata_t *a);
/* Sectors read and written (for tests and --stats). */
void sim_ata_counts(const sim_ata_t *a, uint64_t *read, uint64_t *written);
/* Fault injection (set by the simulator's fault plan, or NULL): called with
 * the n sectors at lba in buf after they were read from the image, or
 * before they are written to it; true fails the command (UNC on a read,
 * ABRT on a write), and it may change bytes of buf. */
extern bool (*sim_ata_fault)(bool write, uint64_t lba, unsigned n, uint8_t *buf);

#endif /* SIM_DEVICES_MODELS_H */

/* console: the virtual consoles — each a terminal on the screen or in a
 * shadow buffer, a line discipline, a foreground task and at most one
 * waiting reader — and which of them is shown. */
#ifndef CON_VC_H
#define CON_VC_H

#include <stdbool.h>
#include <stdint.h>
#include <l4/types.h>

#include "ldisc.h"
#include "vt.h"

#define NVC 4

typedef struct {
    int n;                      /* 1..NVC */
    vt_t vt;
    uint16_t shadow[VT_CELLS];  /* its screen while another one is shown */
    ld_t ld;
    L4_ThreadId_t fg_svr;       /* the foreground task, nilthread: none */
    int fg_obj;
    bool reading;               /* a deferred read waits */
    L4_ThreadId_t reader;
    int read_len;
} vc_t;

/* Sets up the consoles on the screen's text memory (NULL: no screen);
 * kdb: console 1 also prints to the kernel debugger. */
void vc_init(volatile uint16_t *vga, bool kdb);
/* The console of object obj (0 and 1 are console 1), NULL for none. */
vc_t *vc_of(int obj);
vc_t *vc_shown(void);
/* Prints n bytes on vc (also its echo). */
void vc_out(const char *s, int n, void *vc);
/* Shows console i (0-based). */
void vc_switch(int i);
/* ^C on vc: its foreground task is killed. */
void vc_interrupt(vc_t *vc);
/* A byte typed on the keyboard for vc: the line discipline, then the
 * waiting reader if there is something for it. */
void vc_key(vc_t *vc, unsigned char c);
/* A read of up to length bytes by caller: true with *size bytes in data
 * (or *rc an end or error) when it is answered now, false when it waits
 * (answered later with console_read_reply). */
bool vc_read(vc_t *vc, L4_ThreadId_t caller, int length, int *size, char *data, int *rc);

#endif /* !CON_VC_H */

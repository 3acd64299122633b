/* console: input from the kernel debugger or the serial line (input.h).
 * ReadChar_Blocked waits for a byte and answers 0 at the end of input
 * (the simulator's stdin has ended); the non-blocking ReadChar answers 0
 * when nothing has arrived (Pistachio: 0xff), so a NUL or 0xff byte
 * cannot be typed there.  The serial line (line.c) ends when its far end
 * hangs up. */
#include <l4/kdebug.h>

#include "input.h"
#include "line.h"

#define IN_QUEUE 1024

static unsigned char queue[IN_QUEUE];
static int q_head, q_len;
static bool ended;

int in_getc(void)
{
    if (q_len > 0) {
        unsigned char c = queue[q_head];
        q_head = (q_head + 1) % IN_QUEUE;
        q_len--;
        return c;
    }
    if (ended)
        return -1;
    if (line_on()) {
        int b = line_read();
        if (b == LINE_END)
            ended = true;
        return b == LINE_END ? -1 : b < 0 ? IN_AGAIN : b;
    }
    unsigned char c = (unsigned char)L4_KDB_ReadChar_Blocked();
    if (c == 0) {
        ended = true;
        return -1;
    }
    return c;
}

int in_poll(void)
{
    if (ended)
        return -1;
    if (line_on()) {
        int b = line_read();
        if (b == LINE_END)
            ended = true;
        return b < 0 ? -1 : b;
    }
    unsigned char c = (unsigned char)L4_KDB_ReadChar();
    return c == 0 || c == 0xff ? -1 : c;
}

bool in_unget(unsigned char c)
{
    if (q_len == IN_QUEUE)
        return false;
    queue[(q_head + q_len) % IN_QUEUE] = c;
    q_len++;
    return true;
}

bool in_room(void)
{
    return q_len < IN_QUEUE;
}

void in_drop(void)
{
    q_head = q_len = 0;
}

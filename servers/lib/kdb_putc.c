/* The default output sink: the L4 kernel debugger's console.  Kept in its own
 * file, as the only part of the library that calls into L4. */
#include <stddef.h>
#include <l4/kdebug.h>

#include "internal.h"

void lib_kdb_putc(int c, void *arg)
{
    (void)arg;
    L4_KDB_PrintChar((char)c);
}

void lib_kdb_write(char *s, size_t n)
{
    size_t len = 0;

    s[n] = '\0';
    while (s[len])
        len++;
    if (len == n) {
        L4_KDB_PrintString(s);
        return;
    }
    for (size_t i = 0; i < n; i++) /* an embedded NUL: PrintString would stop there */
        L4_KDB_PrintChar(s[i]);
}

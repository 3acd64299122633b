/* greeter: serves the greet interface (greet.idl) until the run ends. */
#include <stdio.h>

#include "greet_server.h"

int main(int argc, char **argv);

static int greetings;

static int do_hello(const char *name, char **reply, chacm_srvenv_t *env)
{
    (void)env;
    snprintf(*reply, 81, "hello, %s", name);
    return ++greetings;
}

static const greet_ops_t ops = { .greet_hello = do_hello };
static greet_buffers_t bufs;

int main(int argc, char **argv)
{
    printf("%s: serving greet (%d arguments)\n", argv[0], argc - 1);
    greet_serve(&ops, &bufs, NULL);
    return 0;
}

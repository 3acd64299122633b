/* shell: path arithmetic (path.h). */
#include <string.h>

#include "path.h"

/* Removes the last component of out (length *len, normalised). */
static void drop_last(char *out, size_t *len)
{
    while (*len > 1 && out[*len - 1] != '/')
        (*len)--;
    if (*len > 1)
        (*len)--;           /* the '/' before it, unless it is the root */
    out[*len] = 0;
}

/* Appends the components of p to out. */
static int add_components(char *out, size_t *len, size_t size, const char *p)
{
    while (*p) {
        while (*p == '/')
            p++;
        const char *e = p;
        while (*e && *e != '/')
            e++;
        size_t n = (size_t)(e - p);
        if (n == 0)
            break;
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            drop_last(out, len);
        } else if (!(n == 1 && p[0] == '.')) {
            size_t sep = *len > 1 ? 1 : 0;
            if (*len + sep + n + 1 > size)
                return -1;
            if (sep)
                out[(*len)++] = '/';
            memcpy(out + *len, p, n);
            *len += n;
            out[*len] = 0;
        }
        p = e;
    }
    return 0;
}

int sh_path_join(const char *cwd, const char *path, char *out, size_t size)
{
    size_t len = 1;
    if (size < 2)
        return -1;
    out[0] = '/';
    out[1] = 0;
    if (path[0] != '/' && add_components(out, &len, size, cwd) != 0)
        return -1;
    return add_components(out, &len, size, path);
}

const char *sh_path_split(const char *abs, char *parent, size_t size)
{
    const char *last = strrchr(abs, '/');
    if (!last)
        last = abs - 1;
    size_t n = (size_t)(last - abs);
    if (n == 0)
        n = 1;          /* the parent is the root */
    if (n >= size)
        n = size - 1;
    memcpy(parent, abs, n);
    parent[n] = 0;
    if (abs[0] == '/' && abs[1] == 0)
        return abs + 1;
    return last + 1;
}

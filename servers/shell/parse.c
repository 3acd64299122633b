/* shell: the command-line parser (parse.h).  Outside quotes a backslash
 * takes the next byte literally; '...' takes everything literally;
 * "..." takes \" \\ \$ as escapes and expands $?.  > and >> (also written
 * attached, ">f") name the output file; a quoted ">" is a word. */
#include <stdbool.h>
#include <stddef.h>

#include "parse.h"

typedef struct pstate {
    sh_cmd_t *cmd;
    int used;           /* bytes of cmd->store in use */
    bool in_word;       /* a word has begun (even an empty quoted one) */
    int pending_redir;  /* 0, or 1/2 for > / >> waiting for its word */
    int error;
} pstate_t;

static void put(pstate_t *ps, char c)
{
    if (ps->used >= SH_LINE_MAX) {
        ps->error = SH_PARSE_TOO_LONG;
        return;
    }
    ps->cmd->store[ps->used++] = c;
}

static void put_status(pstate_t *ps, int status)
{
    char digits[16];
    int n = 0;
    unsigned v = status < 0 ? 0u - (unsigned)status : (unsigned)status;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (status < 0)
        put(ps, '-');
    while (n > 0)
        put(ps, digits[--n]);
}

static void begin_word(pstate_t *ps)
{
    if (ps->in_word)
        return;
    ps->in_word = true;
    char *w = ps->cmd->store + ps->used;
    if (ps->pending_redir) {
        if (ps->cmd->redir) {
            ps->error = SH_PARSE_TWO_REDIRS;
            return;
        }
        ps->cmd->redir = w;
        ps->cmd->append = ps->pending_redir == 2;
        ps->pending_redir = 0;
    } else if (ps->cmd->argc == SH_ARGS_MAX) {
        ps->error = SH_PARSE_TOO_MANY;
    } else {
        ps->cmd->argv[ps->cmd->argc++] = w;
    }
}

static void end_word(pstate_t *ps)
{
    if (!ps->in_word)
        return;
    put(ps, 0);
    ps->in_word = false;
}

/* A double-quoted part starting after the quote; returns the position
 * after the closing quote. */
static const char *dquoted(pstate_t *ps, const char *p, int status)
{
    for (; *p && *p != '"'; p++) {
        if (*p == '\\' && (p[1] == '"' || p[1] == '\\' || p[1] == '$')) {
            put(ps, *++p);
        } else if (p[0] == '$' && p[1] == '?') {
            put_status(ps, status);
            p++;
        } else {
            put(ps, *p);
        }
    }
    if (!*p) {
        ps->error = SH_PARSE_QUOTE;
        return p;
    }
    return p + 1;
}

static const char *squoted(pstate_t *ps, const char *p)
{
    while (*p && *p != '\'')
        put(ps, *p++);
    if (!*p) {
        ps->error = SH_PARSE_QUOTE;
        return p;
    }
    return p + 1;
}

/* > or >>: ends the word before it. */
static const char *redirect(pstate_t *ps, const char *p)
{
    end_word(ps);
    if (ps->pending_redir || ps->cmd->redir) {
        ps->error = ps->pending_redir ? SH_PARSE_REDIR : SH_PARSE_TWO_REDIRS;
        return p;
    }
    ps->pending_redir = p[1] == '>' ? 2 : 1;
    return p + ps->pending_redir;
}

int sh_parse(const char *line, int status, sh_cmd_t *cmd)
{
    pstate_t ps = { .cmd = cmd };
    const char *p = line;
    cmd->argc = 0;
    cmd->redir = NULL;
    cmd->append = 0;
    while (*p && !ps.error) {
        char c = *p;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            end_word(&ps);
            p++;
        } else if (c == '#' && !ps.in_word) {
            break;
        } else if (c == '>') {
            p = redirect(&ps, p);
        } else {
            begin_word(&ps);
            if (c == '\'') {
                p = squoted(&ps, p + 1);
            } else if (c == '"') {
                p = dquoted(&ps, p + 1, status);
            } else if (c == '\\') {
                if (!p[1]) {
                    ps.error = SH_PARSE_ESCAPE;
                    break;
                }
                put(&ps, p[1]);
                p += 2;
            } else if (c == '$' && p[1] == '?') {
                put_status(&ps, status);
                p += 2;
            } else {
                put(&ps, c);
                p++;
            }
        }
    }
    end_word(&ps);
    if (!ps.error && ps.pending_redir)
        ps.error = SH_PARSE_REDIR;
    cmd->argv[cmd->argc] = NULL;
    if (ps.error) {
        cmd->argc = 0;
        cmd->redir = NULL;
    }
    return ps.error;
}

const char *sh_parse_message(int error)
{
    switch (error) {
    case SH_PARSE_OK: return "no error";
    case SH_PARSE_QUOTE: return "a quote is not closed";
    case SH_PARSE_REDIR: return "> and >> need a file name";
    case SH_PARSE_TWO_REDIRS: return "only one redirection per command";
    case SH_PARSE_TOO_MANY: return "too many words";
    case SH_PARSE_TOO_LONG: return "command line too long";
    case SH_PARSE_ESCAPE: return "a backslash ends the line";
    default: return "unknown parse error";
    }
}

/* shell: splitting a command line into words (quotes, backslashes, $?)
 * and an output redirection (> FILE, >> FILE).  Pure code. */
#ifndef SH_PARSE_H
#define SH_PARSE_H

#define SH_ARGS_MAX 32
#define SH_LINE_MAX 1024

typedef struct sh_cmd {
    int argc;
    char *argv[SH_ARGS_MAX + 1];   /* argv[argc] == NULL */
    char *redir;                   /* the redirection's file, or NULL */
    int append;                    /* >> rather than > */
    char store[SH_LINE_MAX + 16];  /* the words, NUL-terminated */
} sh_cmd_t;

/* Parse errors (0: none). */
enum sh_parse_error {
    SH_PARSE_OK = 0,
    SH_PARSE_QUOTE,         /* a quote is not closed */
    SH_PARSE_REDIR,         /* > or >> without a file */
    SH_PARSE_TWO_REDIRS,    /* more than one redirection */
    SH_PARSE_TOO_MANY,      /* more than SH_ARGS_MAX words */
    SH_PARSE_TOO_LONG,      /* the words do not fit SH_LINE_MAX */
    SH_PARSE_ESCAPE,        /* a backslash at the end of the line */
};

/* Splits line into cmd; $? becomes status in decimal (not inside single
 * quotes).  '#' at the start of a word begins a comment.  Returns
 * SH_PARSE_OK (cmd->argc may be 0 for a blank line) or an error. */
int sh_parse(const char *line, int status, sh_cmd_t *cmd);
/* The message of a parse error. */
const char *sh_parse_message(int error);

#endif /* !SH_PARSE_H */

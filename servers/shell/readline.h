/* shell: reading a command line from the console in raw mode through the
 * line editor (edit.c), or a line at a time from a cooked console. */
#ifndef SH_READLINE_H
#define SH_READLINE_H

#define RL_EOF (-1)     /* end of input */
#define RL_CANCEL (-2)  /* ^C dropped the line */
#define RL_TOOLONG (-3) /* the line did not fit the editor: dropped */

/* Prints prompt, reads a line into buf (size bytes, NUL-terminated, no
 * '\n'); returns its length, RL_EOF, RL_CANCEL or RL_TOOLONG. */
int rl_read(const char *prompt, char *buf, int size);

#endif /* !SH_READLINE_H */

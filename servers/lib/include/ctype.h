/* servers/lib: character classes of the "C" locale (ASCII).  Arguments outside
 * 0..255, such as EOF, belong to no class. */
#ifndef CHACM_CTYPE_H
#define CHACM_CTYPE_H

int isdigit(int c);
int isspace(int c);
int isalpha(int c);
int isalnum(int c);
int isupper(int c);
int islower(int c);
int isprint(int c);
int isxdigit(int c);
int toupper(int c);
int tolower(int c);

#endif /* !CHACM_CTYPE_H */

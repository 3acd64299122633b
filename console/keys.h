/* The PC keyboard as the front end and the headless scripts see it: keys
 * named by their scancode set 1 make code, host terminal byte sequences
 * turned into keys, and keys turned into the make and break bytes the
 * i8042 delivers.  Pure (no I/O), unit-tested by unit.keys. */
#ifndef CHACM_CON_KEYS_H
#define CHACM_CON_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Modifiers held while a key is pressed. */
#define KEY_SHIFT   1u
#define KEY_CTRL    2u
#define KEY_ALT     4u

/* Extended keys have the 0xE0 prefix: their code is 0xE000 | make code. */
#define KEY_EXT     0xE000u

/* Make codes (set 1) of the keys the front end names. */
enum {
    SC_ESC = 0x01, SC_BACKSPACE = 0x0E, SC_TAB = 0x0F, SC_ENTER = 0x1C, SC_LCTRL = 0x1D,
    SC_LSHIFT = 0x2A, SC_RSHIFT = 0x36, SC_LALT = 0x38, SC_SPACE = 0x39, SC_CAPSLOCK = 0x3A,
    SC_F1 = 0x3B, SC_F10 = 0x44, SC_NUMLOCK = 0x45, SC_SCROLLLOCK = 0x46, SC_F11 = 0x57, SC_F12 = 0x58,
    SC_HOME = KEY_EXT | 0x47, SC_UP = KEY_EXT | 0x48, SC_PGUP = KEY_EXT | 0x49,
    SC_LEFT = KEY_EXT | 0x4B, SC_RIGHT = KEY_EXT | 0x4D, SC_END = KEY_EXT | 0x4F,
    SC_DOWN = KEY_EXT | 0x50, SC_PGDN = KEY_EXT | 0x51, SC_INSERT = KEY_EXT | 0x52,
    SC_DELETE = KEY_EXT | 0x53,
};

/* One key press: a key and the modifiers held with it (code 0: none). */
typedef struct {
    uint16_t code;
    uint8_t mods;
} con_key_t;

/* The make code of F1..F12 (n = 1..12). */
uint16_t key_fn(int n);

/* The key that types ASCII c on a US keyboard (Shift for capitals and the
 * upper symbols, Ctrl for control bytes); false for a byte no key types. */
bool key_from_char(unsigned char c, con_key_t *k);

/* The ASCII character key k types without modifiers beyond Shift (as a
 * US keyboard does, Caps Lock off), or 0 for none. */
int key_to_char(con_key_t k);

/* A key by name, as scripts write it inside <...>: Enter, Esc, Tab, BS,
 * Space, Up, Down, Left, Right, Home, End, PgUp, PgDn, Ins, Del, F1..F12,
 * CapsLock, NumLock, ScrollLock, or one character; any of them after
 * modifier prefixes C- (Ctrl), M- or A- (Alt), S- (Shift), e.g. C-c, M-F2,
 * S-Tab, C-M-Del.  Case matters only for a single character.  false for an
 * unknown name. */
bool key_by_name(const char *name, size_t len, con_key_t *k);

/* The name key_by_name reads back for k, into buf (at least 24 bytes). */
const char *key_name(con_key_t k, char *buf, size_t size);

/* Scancode bytes (set 1) of pressing and releasing k: the modifiers'
 * make codes, the key's make and break codes (0xE0 before extended
 * ones), the modifiers' break codes.  Returns the count (at most 16). */
int key_scancodes(con_key_t k, uint8_t out[16]);

/* Host terminal input: bytes in, keys out.  Escape sequences (xterm,
 * VT220, rxvt and Linux console styles, with xterm's ;MOD parameters)
 * may arrive split across reads; a lone ESC stays pending until
 * keyparse_flush (the front end calls it when no byte follows soon). */
typedef struct {
    unsigned char seq[24];
    unsigned len;
    bool drop_utf8;         /* skipping the rest of a non-ASCII character */
    bool skip_seq;          /* skipping the rest of a sequence too long to keep */
} keyparse_t;

#define KEYPARSE_MAX_OUT 2

void keyparse_init(keyparse_t *p);
/* Feeds byte c; returns how many keys it completed (0..KEYPARSE_MAX_OUT)
 * into out. */
int keyparse_feed(keyparse_t *p, unsigned char c, con_key_t out[KEYPARSE_MAX_OUT]);
/* Whether bytes are pending (an ESC or an unfinished sequence). */
bool keyparse_pending(const keyparse_t *p);
/* Ends what is pending: a lone ESC is the Escape key, ESC + ESC two of
 * them; an unfinished sequence is dropped.  Returns the keys made. */
int keyparse_flush(keyparse_t *p, con_key_t out[KEYPARSE_MAX_OUT]);

#endif /* !CHACM_CON_KEYS_H */

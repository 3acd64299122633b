/* Keys: US layout characters, key names, set 1 scancodes, and the parser
 * of host terminal escape sequences (keys.h). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "keys.h"

/* The US layout: the characters of each key, unshifted and shifted, from
 * make code 0x02 on (0: no character). */
static const char us_plain[] = "\0" "1234567890-=\0\0" "qwertyuiop[]\0\0" "asdfghjkl;'`\0\\" "zxcvbnm,./";
static const char us_shift[] = "\0" "!@#$%^&*()_+\0\0" "QWERTYUIOP{}\0\0" "ASDFGHJKL:\"~\0|" "ZXCVBNM<>?";
#define US_FIRST 0x01   /* us_plain[0] is make code 0x01 (Esc) */

uint16_t key_fn(int n)
{
    if (n >= 1 && n <= 10)
        return (uint16_t)(SC_F1 + n - 1);
    return n == 11 ? SC_F11 : n == 12 ? SC_F12 : 0;
}

bool key_from_char(unsigned char c, con_key_t *k)
{
    k->mods = 0;
    switch (c) {
    case '\r': case '\n': k->code = SC_ENTER; return true;
    case '\t': k->code = SC_TAB; return true;
    case 0x1b: k->code = SC_ESC; return true;
    case 0x7f: case '\b': k->code = SC_BACKSPACE; return true;
    case ' ': k->code = SC_SPACE; return true;
    case 0x00: k->code = SC_SPACE; k->mods = KEY_CTRL; return true;
    case 0x1c: k->code = 0x2B; k->mods = KEY_CTRL; return true;     /* ^\ */
    case 0x1d: k->code = 0x1B; k->mods = KEY_CTRL; return true;     /* ^] */
    case 0x1e: k->code = 0x07; k->mods = KEY_CTRL; return true;     /* ^^ (Ctrl-6) */
    case 0x1f: k->code = 0x0C; k->mods = KEY_CTRL; return true;     /* ^_ (Ctrl--) */
    default: break;
    }
    if (c >= 0x01 && c <= 0x1a) {
        key_from_char((unsigned char)('a' + c - 1), k);
        k->mods = KEY_CTRL;
        return true;
    }
    for (unsigned i = 1; i < sizeof us_plain - 1; i++) {
        if (us_plain[i] == (char)c || us_shift[i] == (char)c) {
            k->code = (uint16_t)(US_FIRST + i);
            k->mods = us_plain[i] == (char)c ? 0 : KEY_SHIFT;
            return true;
        }
    }
    return false;
}

int key_to_char(con_key_t k)
{
    if (k.mods & ~KEY_SHIFT)
        return 0;
    bool shift = k.mods & KEY_SHIFT;
    switch (k.code) {
    case SC_ENTER: return '\r';
    case SC_TAB: return shift ? 0 : '\t';
    case SC_SPACE: return ' ';
    case SC_ESC: return 0x1b;
    case SC_BACKSPACE: return 0x7f;
    default: break;
    }
    unsigned i = (unsigned)k.code - US_FIRST;
    if (k.code < US_FIRST || i >= sizeof us_plain - 1)
        return 0;
    return (unsigned char)(shift ? us_shift[i] : us_plain[i]);
}

static const struct {
    const char *name;
    uint16_t code;
} named[] = {
    { "Enter", SC_ENTER }, { "Return", SC_ENTER }, { "Esc", SC_ESC }, { "Escape", SC_ESC },
    { "Tab", SC_TAB }, { "BS", SC_BACKSPACE }, { "Backspace", SC_BACKSPACE }, { "Space", SC_SPACE },
    { "Up", SC_UP }, { "Down", SC_DOWN }, { "Left", SC_LEFT }, { "Right", SC_RIGHT },
    { "Home", SC_HOME }, { "End", SC_END }, { "PgUp", SC_PGUP }, { "PageUp", SC_PGUP },
    { "PgDn", SC_PGDN }, { "PageDown", SC_PGDN }, { "Ins", SC_INSERT }, { "Insert", SC_INSERT },
    { "Del", SC_DELETE }, { "Delete", SC_DELETE }, { "CapsLock", SC_CAPSLOCK },
    { "NumLock", SC_NUMLOCK }, { "ScrollLock", SC_SCROLLLOCK },
    { "Shift", SC_LSHIFT }, { "Ctrl", SC_LCTRL }, { "Alt", SC_LALT },
};

static bool name_is(const char *s, size_t len, const char *name)
{
    return strlen(name) == len && strncasecmp(s, name, len) == 0;
}

bool key_by_name(const char *s, size_t len, con_key_t *k)
{
    uint8_t mods = 0;
    while (len > 2 && s[1] == '-') {
        char m = s[0];
        uint8_t bit = m == 'C' || m == 'c' ? KEY_CTRL : m == 'M' || m == 'm' || m == 'A' || m == 'a' ? KEY_ALT
                      : m == 'S' || m == 's' ? KEY_SHIFT : 0;
        if (!bit)
            break;
        mods |= bit;
        s += 2;
        len -= 2;
    }
    if (len == 0)
        return false;
    if (len == 1) {
        if (!key_from_char((unsigned char)s[0], k) || (unsigned char)s[0] < ' ')
            return false;
        /* C-c is Ctrl with the c key: a letter named under Ctrl or Alt is the key itself */
        k->mods |= mods;
        return true;
    }
    k->mods = mods;
    if ((s[0] == 'F' || s[0] == 'f') && len <= 3) {
        int n = 0;
        for (size_t i = 1; i < len; i++) {
            if (s[i] < '0' || s[i] > '9')
                return false;
            n = n * 10 + (s[i] - '0');
        }
        k->code = key_fn(n);
        return k->code != 0;
    }
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        if (name_is(s, len, named[i].name)) {
            k->code = named[i].code;
            return true;
        }
    }
    return false;
}

const char *key_name(con_key_t k, char *buf, size_t size)
{
    char base[16] = "?";
    int c = key_to_char((con_key_t){ k.code, 0 });
    for (int n = 1; n <= 12; n++)
        if (key_fn(n) == k.code)
            snprintf(base, sizeof base, "F%d", n);
    for (size_t i = 0; base[0] == '?' && i < sizeof named / sizeof named[0]; i++)
        if (named[i].code == k.code)
            snprintf(base, sizeof base, "%s", named[i].name);
    if (base[0] == '?' && c > ' ' && c < 0x7f)
        snprintf(base, sizeof base, "%c", c);
    snprintf(buf, size, "%s%s%s%s", k.mods & KEY_CTRL ? "C-" : "", k.mods & KEY_ALT ? "M-" : "",
             k.mods & KEY_SHIFT ? "S-" : "", base);
    return buf;
}

static int put_code(uint8_t *out, int n, uint16_t code, bool brk)
{
    if (code & KEY_EXT)
        out[n++] = 0xE0;
    out[n++] = (uint8_t)((code & 0x7f) | (brk ? 0x80 : 0));
    return n;
}

int key_scancodes(con_key_t k, uint8_t out[16])
{
    int n = 0;
    if (k.code == 0)
        return 0;
    if (k.mods & KEY_SHIFT)
        n = put_code(out, n, SC_LSHIFT, false);
    if (k.mods & KEY_CTRL)
        n = put_code(out, n, SC_LCTRL, false);
    if (k.mods & KEY_ALT)
        n = put_code(out, n, SC_LALT, false);
    n = put_code(out, n, k.code, false);
    n = put_code(out, n, k.code, true);
    if (k.mods & KEY_ALT)
        n = put_code(out, n, SC_LALT, true);
    if (k.mods & KEY_CTRL)
        n = put_code(out, n, SC_LCTRL, true);
    if (k.mods & KEY_SHIFT)
        n = put_code(out, n, SC_LSHIFT, true);
    return n;
}

/* ---- host terminal sequences ---- */

void keyparse_init(keyparse_t *p)
{
    memset(p, 0, sizeof *p);
}

bool keyparse_pending(const keyparse_t *p)
{
    return p->len > 0;
}

/* xterm's modifier parameter: 1 + (Shift 1 | Alt 2 | Ctrl 4). */
static uint8_t xterm_mods(int m)
{
    if (m < 2)
        return 0;
    m--;
    return (uint8_t)((m & 1 ? KEY_SHIFT : 0) | (m & 2 ? KEY_ALT : 0) | (m & 4 ? KEY_CTRL : 0));
}

/* The key of a CSI (ESC [) or SS3 (ESC O) sequence that ended with
 * `final`, parameters in p->seq[2 .. len-1); code 0 for one we do not know. */
static con_key_t decode_sequence(const keyparse_t *p, unsigned char final)
{
    int par[4] = { 0, 0, 0, 0 }, np = 0;
    for (unsigned i = 2; i + 1 < p->len && np < 4; i++) {
        unsigned char c = p->seq[i];
        if (c >= '0' && c <= '9')
            par[np] = par[np] * 10 + (c - '0');
        else if (c == ';')
            np++;
        else
            return (con_key_t){ 0, 0 };
    }
    con_key_t k = { 0, xterm_mods(par[1]) };
    switch (final) {
    case 'A': k.code = SC_UP; break;
    case 'B': k.code = SC_DOWN; break;
    case 'C': k.code = SC_RIGHT; break;
    case 'D': k.code = SC_LEFT; break;
    case 'H': k.code = SC_HOME; break;
    case 'F': k.code = SC_END; break;
    case 'P': case 'Q': case 'R': case 'S': k.code = key_fn(final - 'P' + 1); break;
    case 'M': k.code = SC_ENTER; break;                     /* keypad Enter (SS3) */
    case 'Z': k.code = SC_TAB; k.mods |= KEY_SHIFT; break;  /* back tab */
    case '~':
        switch (par[0]) {
        case 1: case 7: k.code = SC_HOME; break;
        case 2: k.code = SC_INSERT; break;
        case 3: k.code = SC_DELETE; break;
        case 4: case 8: k.code = SC_END; break;
        case 5: k.code = SC_PGUP; break;
        case 6: k.code = SC_PGDN; break;
        case 11: case 12: case 13: case 14: case 15: k.code = key_fn(par[0] - 10); break;
        case 17: case 18: case 19: case 20: case 21: k.code = key_fn(par[0] - 11); break;
        case 23: case 24: k.code = key_fn(par[0] - 12); break;
        default: break;
        }
        break;
    default: break;
    }
    if (p->seq[1] == 'O' && np == 0 && par[0] > 1)   /* ESC O 5 P: some terminals' modified F1 */
        k.mods = xterm_mods(par[0]);
    return k;
}

/* Appends key k (if any) to out; alt adds the Alt modifier. */
static int emit(con_key_t *out, int n, con_key_t k, bool alt)
{
    if (k.code == 0)
        return n;
    if (alt)
        k.mods |= KEY_ALT;
    out[n] = k;
    return n + 1;
}

int keyparse_feed(keyparse_t *p, unsigned char c, con_key_t out[KEYPARSE_MAX_OUT])
{
    con_key_t k = { 0, 0 };
    int n = 0;
    if (p->skip_seq) {
        /* the rest of a sequence too long to read: up to its final byte */
        if (c < 0x20 || (c >= 0x40 && c <= 0x7e))
            p->skip_seq = false;
        return 0;
    }
    if (p->len == 0) {
        if (c >= 0x80) {            /* no key types it on a US keyboard: skip the character */
            p->drop_utf8 = (c & 0xC0) == 0xC0;
            return 0;
        }
        if (p->drop_utf8 && (c & 0xC0) == 0x80)
            return 0;
        p->drop_utf8 = false;
        if (c == 0x1b) {
            p->seq[p->len++] = c;
            return 0;
        }
        if (key_from_char(c, &k))
            n = emit(out, n, k, false);
        return n;
    }
    /* a sequence after ESC; "ESC ESC" + sequence is the sequence with Alt (rxvt) */
    bool alt = p->len >= 2 && p->seq[1] == 0x1b;
    unsigned at = alt ? 1 : 0;      /* where the sequence's own ESC is */
    unsigned body = p->len - at;    /* bytes of it so far */
    if (body == 1) {
        if (c == '[' || c == 'O') {
            p->seq[p->len++] = c;
            return 0;
        }
        if (c == 0x1b && !alt) {
            p->seq[p->len++] = c;
            return 0;
        }
        /* ESC + a byte: Alt with that key */
        p->len = 0;
        if (alt)
            n = emit(out, n, (con_key_t){ SC_ESC, 0 }, false);
        if (c == 0x1b) {
            p->seq[p->len++] = c;
            return n;
        }
        if (key_from_char(c, &k))
            n = emit(out, n, k, true);
        return n;
    }
    /* inside CSI or SS3: the Linux console's F1..F5 are ESC [ [ A..E */
    if (body == 2 && p->seq[at + 1] == '[' && c == '[') {
        p->seq[p->len++] = c;
        return 0;
    }
    if (body == 3 && p->seq[at + 2] == '[') {
        p->len = 0;
        if (c >= 'A' && c <= 'E')
            n = emit(out, n, (con_key_t){ key_fn(c - 'A' + 1), 0 }, alt);
        return n;
    }
    if (c >= 0x40 && c <= 0x7e) {
        keyparse_t seq = *p;
        memmove(seq.seq, p->seq + at, body);
        seq.len = body + 1;
        seq.seq[body] = c;
        p->len = 0;
        return emit(out, n, decode_sequence(&seq, c), alt);
    }
    if (c < 0x20 || c >= 0x7f) {
        p->len = 0;         /* not a sequence we read: dropped; the byte counts on its own */
        return keyparse_feed(p, c, out);
    }
    if (p->len + 1 >= sizeof p->seq) {
        p->len = 0;
        p->skip_seq = true;
        return 0;
    }
    p->seq[p->len++] = c;
    return 0;
}

int keyparse_flush(keyparse_t *p, con_key_t out[KEYPARSE_MAX_OUT])
{
    int n = 0;
    bool escapes = p->len >= 1 && p->len <= 2 && p->seq[0] == 0x1b && (p->len == 1 || p->seq[1] == 0x1b);
    if (escapes)
        for (unsigned i = 0; i < p->len; i++)
            n = emit(out, n, (con_key_t){ SC_ESC, 0 }, false);
    else if (p->len == 2 && p->seq[1] == '[')
        n = emit(out, n, (con_key_t){ 0x1A, 0 }, true);     /* ESC [ alone: Alt-[ */
    else if (p->len == 2 && p->seq[1] == 'O')
        n = emit(out, n, (con_key_t){ 0x18, KEY_SHIFT }, true);   /* ESC O alone: Alt-O */
    p->len = 0;
    return n;
}

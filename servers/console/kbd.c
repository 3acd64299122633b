/* console: the keyboard map (kbd.h). */
#include <string.h>

#include "kbd.h"

/* Characters of make codes 0x00..0x39, unshifted and shifted. */
static const char plain[] = "\0\033" "1234567890-=\x7f\t" "qwertyuiop[]\r\0" "asdfghjkl;'`\0\\" "zxcvbnm,./\0*\0 ";
static const char shifted[] = "\0\033" "!@#$%^&*()_+\x7f\t" "QWERTYUIOP{}\r\0" "ASDFGHJKL:\"~\0|" "ZXCVBNM<>?\0*\0 ";

void kbd_init(kbd_t *k)
{
    memset(k, 0, sizeof *k);
}

uint8_t kbd_leds(const kbd_t *k)
{
    return k->caps ? 4 : 0;
}

static void add(kbd_event_t *ev, const char *s)
{
    while (*s && ev->n < (int)sizeof ev->bytes)
        ev->bytes[ev->n++] = *s++;
}

static void add_c(kbd_event_t *ev, char c)
{
    if (ev->n < (int)sizeof ev->bytes)
        ev->bytes[ev->n++] = c;
}

/* xterm's modifier parameter (1 + Shift 1 | Alt 2 | Ctrl 4), 1 for none. */
static int mod_param(const kbd_t *k)
{
    return 1 + ((k->lshift || k->rshift) ? 1 : 0) + ((k->lalt || k->ralt) ? 2 : 0) + ((k->lctrl || k->rctrl) ? 4 : 0);
}

static void add_num(kbd_event_t *ev, int v)
{
    char d[4];
    int n = 0;
    do {
        d[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v && n < 4);
    while (n)
        add_c(ev, d[--n]);
}

/* ESC [ letter, or ESC [ 1 ; m letter with modifiers. */
static void csi_letter(const kbd_t *k, kbd_event_t *ev, char letter)
{
    int m = mod_param(k);
    add(ev, "\033[");
    if (m > 1) {
        add(ev, "1;");
        add_num(ev, m);
    }
    add_c(ev, letter);
}

/* ESC [ n ~, or ESC [ n ; m ~ with modifiers. */
static void csi_tilde(const kbd_t *k, kbd_event_t *ev, int n)
{
    int m = mod_param(k);
    add(ev, "\033[");
    add_num(ev, n);
    if (m > 1) {
        add_c(ev, ';');
        add_num(ev, m);
    }
    add_c(ev, '~');
}

/* The navigation keys, extended or on the keypad; false for another code. */
static bool navigation(const kbd_t *k, uint8_t code, kbd_event_t *ev)
{
    switch (code) {
    case 0x48: csi_letter(k, ev, 'A'); return true;
    case 0x50: csi_letter(k, ev, 'B'); return true;
    case 0x4D: csi_letter(k, ev, 'C'); return true;
    case 0x4B: csi_letter(k, ev, 'D'); return true;
    case 0x47: csi_letter(k, ev, 'H'); return true;
    case 0x4F: csi_letter(k, ev, 'F'); return true;
    case 0x52: csi_tilde(k, ev, 2); return true;
    case 0x53: csi_tilde(k, ev, 3); return true;
    case 0x49: csi_tilde(k, ev, 5); return true;
    case 0x51: csi_tilde(k, ev, 6); return true;
    default: return false;
    }
}

/* F1..F12 (n), with Alt-F1..F4 switching consoles. */
static void function_key(const kbd_t *k, kbd_event_t *ev, int n)
{
    static const int tilde[13] = { 0, 0, 0, 0, 0, 15, 17, 18, 19, 20, 21, 23, 24 };
    bool alt = k->lalt || k->ralt;
    if (alt && n <= 4) {
        ev->switch_to = n;
        return;
    }
    if (n <= 4 && mod_param(k) == 1) {
        add(ev, "\033O");
        add_c(ev, (char)('P' + n - 1));
    } else if (n <= 4) {
        csi_letter(k, ev, (char)('P' + n - 1));
    } else {
        csi_tilde(k, ev, tilde[n]);
    }
}

void kbd_scancode(kbd_t *k, uint8_t sc, kbd_event_t *ev)
{
    memset(ev, 0, sizeof *ev);
    if (k->skip > 0) {
        k->skip--;
        return;
    }
    if (sc == 0xE0) {
        k->e0 = true;
        return;
    }
    if (sc == 0xE1) {       /* Pause: E1 1D 45 E1 9D C5 */
        k->skip = 5;
        return;
    }
    bool ext = k->e0;
    k->e0 = false;
    if (sc == 0xFA || sc == 0xFE || sc == 0xEE || sc == 0x00 || sc == 0xFF)
        return;             /* the keyboard's replies and errors */
    bool brk = sc & 0x80;
    uint8_t code = sc & 0x7f;
    /* modifiers (0xE0 0x2A / 0xAA are the fake shifts around extended keys) */
    if (code == 0x2A || code == 0x36) {
        if (!ext)
            *(code == 0x2A ? &k->lshift : &k->rshift) = !brk;
        return;
    }
    if (code == 0x1D) {
        *(ext ? &k->rctrl : &k->lctrl) = !brk;
        return;
    }
    if (code == 0x38) {
        *(ext ? &k->ralt : &k->lalt) = !brk;
        return;
    }
    if (brk)
        return;
    if (code == 0x3A) {
        k->caps = !k->caps;
        ev->leds = true;
        return;
    }
    if (code == 0x45 || code == 0x46)
        return;             /* Num Lock, Scroll Lock */
    bool shift = k->lshift || k->rshift, ctrl = k->lctrl || k->rctrl, alt = k->lalt || k->ralt;
    if (code >= 0x3B && code <= 0x44) {
        function_key(k, ev, code - 0x3B + 1);
        return;
    }
    if (code == 0x57 || code == 0x58) {
        function_key(k, ev, code - 0x57 + 11);
        return;
    }
    if (code >= 0x47 && code <= 0x53 && navigation(k, code, ev))
        return;
    if (ext && code == 0x1C) {
        add_c(ev, '\r');
        return;
    }
    if (ext && code == 0x35) {
        add_c(ev, '/');
        return;
    }
    if (code == 0x4A || code == 0x4E) {
        add_c(ev, code == 0x4A ? '-' : '+');
        return;
    }
    if (code >= sizeof plain - 1 || plain[code] == 0)
        return;
    if (code == 0x0F && shift) {
        add(ev, "\033[Z");
        return;
    }
    char c = shift ? shifted[code] : plain[code];
    if (k->caps && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
        c = shift ? plain[code] : shifted[code];
    if (ctrl) {
        char base = plain[code];
        if (base >= 'a' && base <= 'z')
            c = (char)(base - 'a' + 1);
        else if (base == '[' || base == '\\' || base == ']')
            c = (char)(base - 0x40);
        else if (base == '6')
            c = 0x1e;
        else if (base == '-')
            c = 0x1f;
        else if (base == '2' || base == ' ')
            c = base == ' ' ? ' ' : c;      /* NUL is not a byte the console reads */
    }
    if (alt)
        add_c(ev, 0x1b);
    add_c(ev, c);
}

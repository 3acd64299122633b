/* Unit tests of the i8042 keyboard controller model's registers
 * (sim/devices/i8042.c): status bits, the output buffer, IRQ 1 per byte,
 * controller and keyboard commands, a full buffer, a disabled keyboard. */
#include <check.h>
#include <string.h>

#include "unit.h"
#include "../../sim/devices/i8042.c"

static i8042_t k;
static int irqs;

static void raise_irq(void *arg)
{
    (void)arg;
    irqs++;
}

static void setup(void)
{
    irqs = 0;
    i8042_reset(&k, raise_irq, NULL);
}

static bool obf(void)
{
    return i8042_in(&k, I8042_PORT_STATUS) & I8042_STR_OBF;
}

START_TEST(empty_after_reset)
{
    uint8_t st = i8042_in(&k, I8042_PORT_STATUS);
    ck_assert_uint_eq(st & I8042_STR_OBF, 0);
    ck_assert_uint_eq(st & I8042_STR_IBF, 0);
    ck_assert_uint_ne(st & I8042_STR_SYS, 0);
    ck_assert_uint_ne(st & I8042_STR_UNLOCKED, 0);
    ck_assert_int_eq(irqs, 0);
}
END_TEST

START_TEST(keys_raise_irq_per_byte)
{
    const uint8_t a[] = { 0x1e, 0x9e };
    ck_assert(i8042_keys(&k, a, 2));
    ck_assert_int_eq(irqs, 1);
    ck_assert(obf());
    ck_assert_uint_eq(i8042_in(&k, I8042_PORT_DATA), 0x1e);
    ck_assert_int_eq(irqs, 2);              /* the break code moved into the output buffer */
    ck_assert(obf());
    ck_assert_uint_eq(i8042_in(&k, I8042_PORT_DATA), 0x9e);
    ck_assert_int_eq(irqs, 2);
    ck_assert(!obf());
    ck_assert_uint_eq(i8042_in(&k, I8042_PORT_DATA), 0x9e);    /* an empty buffer repeats the last */
}
END_TEST

START_TEST(controller_commands)
{
    i8042_out(&k, I8042_PORT_STATUS, 0xAA);
    ck_assert_uint_ne(i8042_in(&k, I8042_PORT_STATUS) & I8042_STR_CMD, 0);
    ck_assert_uint_eq(i8042_in(&k, I8042_PORT_DATA), 0x55);
    i8042_out(&k, I8042_PORT_STATUS, 0xAB);
    ck_assert_uint_eq(i8042_in(&k, I8042_PORT_DATA), 0x00);
    i8042_out(&k, I8042_PORT_STATUS, 0x20);
    ck_assert_uint_eq(i8042_in(&k, I8042_PORT_DATA), 0x45);
    /* write the command byte: IRQ 1 off */
    i8042_out(&k, I8042_PORT_STATUS, 0x60);
    i8042_out(&k, I8042_PORT_DATA, 0x44);
    ck_assert_uint_eq(i8042_in(&k, I8042_PORT_STATUS) & I8042_STR_CMD, 0);
    irqs = 0;
    ck_assert(i8042_keys(&k, (const uint8_t[]){ 0x1c }, 1));
    ck_assert_int_eq(irqs, 0);
    ck_assert(obf());
    /* turning it on again announces the waiting byte */
    i8042_out(&k, I8042_PORT_STATUS, 0x60);
    i8042_out(&k, I8042_PORT_DATA, 0x45);
    ck_assert_int_eq(irqs, 1);
    ck_assert_uint_eq(i8042_in(&k, I8042_PORT_DATA), 0x1c);
    /* 0xD2: a byte as if the keyboard sent it */
    i8042_out(&k, I8042_PORT_STATUS, 0xD2);
    i8042_out(&k, I8042_PORT_DATA, 0x77);
    ck_assert_uint_eq(i8042_in(&k, I8042_PORT_DATA), 0x77);
    /* the absent mouse */
    i8042_out(&k, I8042_PORT_STATUS, 0xA9);
    ck_assert_uint_eq(i8042_in(&k, I8042_PORT_DATA), 0xFF);
}
END_TEST

START_TEST(keyboard_disabled_drops_keys)
{
    i8042_out(&k, I8042_PORT_STATUS, 0xAD);
    ck_assert_uint_eq(i8042_in(&k, I8042_PORT_STATUS) & I8042_STR_UNLOCKED, 0);
    ck_assert(!i8042_keys(&k, (const uint8_t[]){ 0x1e, 0x9e }, 2));
    ck_assert_uint_eq(k.dropped, 2);
    ck_assert(!obf());
    i8042_out(&k, I8042_PORT_STATUS, 0xAE);
    ck_assert(i8042_keys(&k, (const uint8_t[]){ 0x1e, 0x9e }, 2));
    /* scanning off (0xF5) drops them too */
    i8042_in(&k, I8042_PORT_DATA);
    i8042_in(&k, I8042_PORT_DATA);
    i8042_out(&k, I8042_PORT_DATA, 0xF5);
    ck_assert_uint_eq(i8042_in(&k, I8042_PORT_DATA), 0xFA);
    ck_assert(!i8042_keys(&k, (const uint8_t[]){ 0x1e }, 1));
    i8042_out(&k, I8042_PORT_DATA, 0xF4);
    ck_assert_uint_eq(i8042_in(&k, I8042_PORT_DATA), 0xFA);
    ck_assert(i8042_keys(&k, (const uint8_t[]){ 0x1e }, 1));
}
END_TEST

START_TEST(keyboard_commands)
{
    i8042_out(&k, I8042_PORT_DATA, 0xFF);
    ck_assert_uint_eq(i8042_in(&k, I8042_PORT_DATA), 0xFA);
    ck_assert_uint_eq(i8042_in(&k, I8042_PORT_DATA), 0xAA);
    i8042_out(&k, I8042_PORT_DATA, 0xED);
    ck_assert_uint_eq(i8042_in(&k, I8042_PORT_DATA), 0xFA);
    i8042_out(&k, I8042_PORT_DATA, 0x04);   /* Caps Lock LED */
    ck_assert_uint_eq(i8042_in(&k, I8042_PORT_DATA), 0xFA);
    ck_assert_uint_eq(k.leds, 4);
    i8042_out(&k, I8042_PORT_DATA, 0xF2);
    ck_assert_uint_eq(i8042_in(&k, I8042_PORT_DATA), 0xFA);
    ck_assert_uint_eq(i8042_in(&k, I8042_PORT_DATA), 0xAB);
    ck_assert_uint_eq(i8042_in(&k, I8042_PORT_DATA), 0x83);
    i8042_out(&k, I8042_PORT_DATA, 0xEE);
    ck_assert_uint_eq(i8042_in(&k, I8042_PORT_DATA), 0xEE);
    i8042_out(&k, I8042_PORT_DATA, 0xF0);
    ck_assert_uint_eq(i8042_in(&k, I8042_PORT_DATA), 0xFA);
    i8042_out(&k, I8042_PORT_DATA, 0x00);
    ck_assert_uint_eq(i8042_in(&k, I8042_PORT_DATA), 0xFA);
    ck_assert_uint_eq(i8042_in(&k, I8042_PORT_DATA), 0x41);
    i8042_out(&k, I8042_PORT_DATA, 0x12);   /* no such command */
    ck_assert_uint_eq(i8042_in(&k, I8042_PORT_DATA), 0xFE);
    ck_assert(!obf());
}
END_TEST

START_TEST(full_buffer_waits)
{
    uint8_t many[I8042_BUFFER];
    memset(many, 0x1e, sizeof many);
    ck_assert(i8042_keys(&k, many, I8042_BUFFER));
    ck_assert_uint_eq(i8042_room(&k), 0);
    ck_assert(!i8042_keys(&k, many, 1));
    ck_assert_uint_eq(k.dropped, 0);        /* not lost: the sender tries again */
    i8042_in(&k, I8042_PORT_DATA);
    ck_assert_uint_eq(i8042_room(&k), 1);
    ck_assert(i8042_keys(&k, many, 1));
}
END_TEST

int main(void)
{
    const unit_case_t cases[] = {
        { "i8042", setup, NULL, {
            empty_after_reset,
            keys_raise_irq_per_byte,
            controller_commands,
            keyboard_disabled_drops_keys,
            keyboard_commands,
            full_buffer_waits, NULL } },
    };
    return unit_run("i8042", cases, sizeof cases / sizeof cases[0]);
}

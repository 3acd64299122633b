/* chacm-idl: libFuzzer entry — feeds bytes straight to the lexer, parser,
 * checker and generators (no preprocessor), which must report, never crash. */
#include <stdio.h>

#include "gen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *sink;
    if (!sink)
        sink = fopen("/dev/null", "w");
    idl_ctx_t ctx;
    ctx_init(&ctx, true);
    if (setjmp(ctx.fail) == 0) {
        idl_spec_t *spec = parse_spec(&ctx, (const char *)data, size, "fuzz.idl");
        check_spec(&ctx, spec);
        gen_t g = { .ctx = &ctx, .spec = spec, .base = "fuzz", .guard = "fuzz", .out = sink };
        gen_client_header(&g);
        gen_server_header(&g);
        gen_server_source(&g);
        gen_doc(&g);
    }
    ctx_free(&ctx);
    return 0;
}

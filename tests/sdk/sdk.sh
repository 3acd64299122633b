#!/usr/bin/env bash
# The SDK out of tree: installs it into a temporary prefix, builds
# examples/hello-server against it with CMake (find_package(Chacmsim)) and a
# small program with pkg-config, and boots both with the installed chacmsim.
# Usage: sdk.sh SOURCE_DIR BUILD_DIR
set -u
src=$1 build=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "sdk: $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | tail -20; exit 1; }
out=$(cmake --install "$build" --prefix "$tmp/sdk" 2>&1) || fail "cmake --install failed" "$out"
sim=$tmp/sdk/bin/chacmsim
out=$(cmake -S "$src/examples/hello-server" -B "$tmp/hs" -G Ninja -DCMAKE_PREFIX_PATH="$tmp/sdk" \
      -DCMAKE_C_FLAGS="-Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes" 2>&1) ||
  fail "configuring examples/hello-server against the SDK failed" "$out"
out=$(cmake --build "$tmp/hs" 2>&1) || fail "building examples/hello-server failed" "$out"
out=$(cd "$tmp/hs" && "$sim" --timeout 60 -m . "$src/examples/hello-server/hello-server.lst" 2>&1) ||
  fail "booting examples/hello-server failed (status $?)" "$out"
for want in "greeter: serving greet" "greet_client: hello, world (greeting 1)" \
            "greet_client: hello, chacmsim (greeting 2)"; do
  grep -qF "$want" <<<"$out" || fail "examples/hello-server did not print '$want'" "$out"
done
echo "sdk: examples/hello-server built out of tree and ran"

# pkg-config: one compile-and-link line.
cat >"$tmp/args.c" <<'C'
#include <stdio.h>
int main(int argc, char **argv);
int main(int argc, char **argv)
{
    printf("args: %d, last %s\n", argc, argv[argc - 1]);
    return argc == 3 ? 0 : 1;
}
C
pc=$tmp/sdk/lib/pkgconfig
out=$(cc $(PKG_CONFIG_PATH=$pc pkg-config --cflags chacmsim) -Wall -Werror -o "$tmp/args.so" "$tmp/args.c" \
      $(PKG_CONFIG_PATH=$pc pkg-config --libs chacmsim) 2>&1) || fail "building with pkg-config failed" "$out"
out=$("$sim" --timeout 60 -m "$tmp" --root "args x y" 2>&1) || fail "the pkg-config program failed" "$out"
grep -qF "args: 3, last y" <<<"$out" || fail "the pkg-config program printed the wrong thing" "$out"
echo "sdk: a program built with pkg-config ran"

# The installed chacmsim without arguments boots ChacmOS from its own
# default.lst, modules and boot disk, and runs a program from the disk.
if [ -f "$tmp/sdk/lib/chacmsim/modules/disk.img" ]; then
  out=$(printf 'sh_prog from the installed disk\n' | "$sim" --timeout 60 2>&1) ||
    fail "the installed default system failed (status $?)" "$out"
  grep -qF "sh_prog: 4 argument(s): [from] [the] [installed] [disk]" <<<"$out" ||
    fail "the installed default system did not run /bin/sh_prog" "$out"
  echo "sdk: the installed default system booted and ran a program from its disk"
fi

#!/usr/bin/env bash
# Checks the seam between the arches: nothing under servers/, ipc/runtime or
# ipc/idl tests the architecture in the preprocessor, and no program source
# includes an arch directory or the simulator.  Usage: seam_check.sh SOURCE_DIR
set -u
src=$1
cd "$src" || exit 1
arch_if='^\s*#\s*(if|elif|ifdef|ifndef).*(L4_ARCH|HOSTED|hosted|ia32|IA32|__i386__|__x86_64__|__LP64__|L4_64BIT|L4_32BIT)'
found=$(grep -rnE "$arch_if" servers ipc/runtime ipc/idl 2>/dev/null)
incs=$(grep -rnE '^\s*#\s*include\s*[<"](l4/(hosted|ia32)/|sim/|l4shim/hosted/|glib|event2|pthread)' \
       servers ipc/runtime 2>/dev/null)
[ -z "$found" ] || echo "arch tests in shared sources:"$'\n'"$found"
[ -z "$incs" ] || echo "arch or host includes in shared sources:"$'\n'"$incs"
n=$(find servers ipc/runtime ipc/idl -type f \( -name '*.[ch]' -o -name '*.idl' \) | wc -l)
echo "$n shared sources checked"
[ -z "$found" ] && [ -z "$incs" ]

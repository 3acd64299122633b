#!/usr/bin/env bash
# Checks the ia32 cross build: every program directory under servers/ built
# at least one program, and every program is a static ELF32 i386
# executable at its own link address, with no undefined symbols and nothing
# from the host C library.  Usage: elf_check.sh IA32_BUILD_DIR SOURCE_DIR
set -u
dir=$1 src=$2
list=$dir/programs.list
[ -s "$list" ] || { echo "no $list: the ia32 build did not run"; exit 1; }
bad=0 n=0
fail() { echo "$1"; bad=$((bad + 1)); }

# Every servers/* program directory is cross-built.
for d in "$src"/servers/*/; do
  d=${d%/}
  [ "$(basename "$d")" = lib ] && continue
  [ -f "$d/CMakeLists.txt" ] || continue
  grep -q " $d\$" "$list" || fail "servers/$(basename "$d"): no ia32 program built from it"
done

# Symbols only the host C library (or its start files) defines.
libc_syms='^(__libc_|_IO_|__GI_|_dl_|_nl_|__stack_chk_|__errno_location$|environ$|__environ$|_init$|_fini$|__libc$)'
ranges=()
while read -r name base srcdir; do
  f=$dir/programs/$name
  n=$((n + 1))
  [ -f "$f" ] || { fail "$name: $f missing"; continue; }
  desc=$(file -b "$f")
  case $desc in
    "ELF 32-bit LSB executable, Intel 80386"*) ;;
    *) fail "$name: not an ELF32 i386 executable: $desc" ;;
  esac
  case $desc in *"statically linked"*) ;; *) fail "$name: not statically linked: $desc" ;; esac
  if readelf -SW "$f" | grep -Eq '\.(interp|dynamic|dynsym|got\.plt) '; then
    fail "$name: has dynamic-linking sections"
  fi
  undef=$(nm -u "$f")
  [ -z "$undef" ] || fail "$name: undefined symbols: $(echo $undef)"
  libc=$(nm --defined-only --format=just-symbols "$f" | grep -E "$libc_syms" || true)
  [ -z "$libc" ] || fail "$name: symbols of the host C library: $(echo $libc)"
  # The first load segment starts at the program's link address; collect
  # [first, last) of its load segments for the overlap check.
  lo= hi=0
  while read -r _type _off vaddr _paddr _filesz memsz _rest; do
    [ "$_type" = LOAD ] || continue
    a=$((vaddr)) e=$((vaddr + memsz))
    if [ -z "$lo" ] || [ "$a" -lt "$lo" ]; then lo=$a; fi
    if [ "$e" -gt "$hi" ]; then hi=$e; fi
  done < <(readelf -lW "$f")
  [ -n "$lo" ] || { fail "$name: no load segment"; continue; }
  [ "$lo" -eq $((base)) ] || fail "$name: loads at $(printf %#x "$lo"), not at its link address $base"
  for r in "${ranges[@]}"; do
    read -r other olo ohi <<< "$r"
    if [ "$lo" -lt "$ohi" ] && [ "$olo" -lt "$hi" ]; then
      fail "$name: overlaps $other in memory"
    fi
  done
  ranges+=("$name $lo $hi")
done < "$list"
echo "$n ia32 programs checked, $bad problems"
[ "$bad" -eq 0 ] && [ "$n" -gt 0 ]

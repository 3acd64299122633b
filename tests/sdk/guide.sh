#!/usr/bin/env bash
# Runs docs/first-program.md as a reader would, so that the guide cannot
# rot.  In the guide's fenced blocks:
#   ```sh               every line is a command, run in order in one shell
#                       (HOME a fresh directory, starting in the checkout);
#                       a failing command fails the test
#   ```text             right after a sh block: each line must appear in
#                       that block's output
#   ```LANG file=~/P    a file the reader writes: created as ~/P
#   ```LANG file=P      a file of the checkout the guide shows: must equal P
# Usage: guide.sh SOURCE_DIR BUILD_DIR [GUIDE]
set -u
src=$1 build=$2 guide=${3:-$1/docs/first-program.md}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp/home CHACM_BUILD_DIR=$build
mkdir -p "$HOME"
fail() { echo "guide: $guide:$1"; [ -f "$tmp/out" ] && tail -20 "$tmp/out"; exit 1; }

# Splits the guide into blocks: $tmp/b.N holds block N's text, kinds[N]
# its kind (sh, text, write:PATH, same:PATH), lines[N] its first line.
kinds=() lines=()
n=0 kind="" lineno=0
while IFS= read -r line; do
  lineno=$((lineno + 1))
  if [ -z "$kind" ] && [[ $line =~ ^\`\`\`([a-z]*)( file=([^ ]+))?$ ]]; then
    lang=${BASH_REMATCH[1]} file=${BASH_REMATCH[3]}
    n=$((n + 1)); : >"$tmp/b.$n"; lines[$n]=$((lineno + 1))
    if [ -n "$file" ] && [[ $file == "~/"* ]]; then kind="write:$HOME/${file#\~/}"
    elif [ -n "$file" ]; then kind="same:$src/$file"
    elif [ "$lang" = sh ] || [ "$lang" = text ]; then kind=$lang
    else kind=other
    fi
    kinds[$n]=$kind
  elif [ -n "$kind" ] && [ "$line" = '```' ]; then
    kind=""
  elif [ -n "$kind" ]; then
    printf '%s\n' "$line" >>"$tmp/b.$n"
  fi
done <"$guide"
[ -z "$kind" ] || fail "$lineno: unterminated code block"
[ "$n" -gt 0 ] || fail "1: no code blocks"

cd "$src" || exit 1
ran=0 prev=""
for ((i = 1; i <= n; i++)); do
  case ${kinds[$i]} in
    write:*)
      f=${kinds[$i]#write:}
      mkdir -p "$(dirname "$f")" && cp "$tmp/b.$i" "$f" ;;
    same:*)
      f=${kinds[$i]#same:}
      cmp -s "$tmp/b.$i" "$f" || fail "${lines[$i]}: the block differs from ${f#"$src"/}" ;;
    sh)
      : >"$tmp/out"
      l=${lines[$i]}
      while IFS= read -r cmd; do
        [ -n "$cmd" ] || { l=$((l + 1)); continue; }
        echo "\$ $cmd" >>"$tmp/out"
        eval "$cmd" >>"$tmp/out" 2>&1 </dev/null || fail "$l: '$cmd' failed (status $?)"
        l=$((l + 1))
        ran=$((ran + 1))
      done <"$tmp/b.$i"
      cp "$tmp/out" "$tmp/last" ;;
    text)
      [ "$prev" = sh ] || continue
      while IFS= read -r want; do
        [ -z "$want" ] || grep -qF -- "$want" "$tmp/last" ||
          { cp "$tmp/last" "$tmp/out"; fail "${lines[$i]}: the output lacks '$want'"; }
      done <"$tmp/b.$i" ;;
  esac
  prev=${kinds[$i]}
done
echo "guide: $ran commands of $(basename "$guide") ran as written"

#!/usr/bin/env bash
# The interactive front end in a real terminal: chacmsim runs in a tmux
# pane (100x30, bash), is driven with send-keys and read with
# capture-pane.  Checks: the default system boots to the shell on the
# screen, commands run and print, Alt-F2, Alt-F3, Alt-F4, Alt-F1 and
# Ctrl-A 1 switch virtual consoles, Ctrl-A s writes a screen dump, a
# terminal smaller than 80x25 gets a view with a message and growing back
# redraws it all, Ctrl-A c enters the kernel monitor (threads, continue)
# and the system goes on after it, Ctrl-A h shows the key list, output
# that streams (sh_prog spam, ^C) is drawn at most 60 times a second
# (--stats' frame count over the run's time), Ctrl-A x quits with status
# 0; after a SIGTERM and after a SIGKILL (the watchdog's case) the
# simulator is gone too; headless from the terminal with the output on a
# pipe (`| cat`) the shell answers; and each time `stty -a` after equals
# `stty -a` before, the pane has left the alternate screen and shows its
# cursor.  (First the test checks that its stty comparison sees a
# terminal left with -echo.)
# The disk is a snapshot of IMAGE (the build's clean default disk).
# Usage: screen_tmux.sh CHACMSIM IMAGE   (exit 77: no tmux, skipped)
set -uo pipefail
sim=$1 hda=$2
command -v tmux >/dev/null || { echo "screen_tmux: tmux is not installed (scripts/deps --test)"; exit 77; }
dir=$(mktemp -d)
# a socket of our own (not under /tmp/tmux-UID, which other runs share)
tm() { tmux -S "$dir/tmux.sock" -f /dev/null "$@"; }
cleanup() { tm kill-server 2>/dev/null; sleep 0.3; rm -rf "$dir" 2>/dev/null || true; }
trap cleanup EXIT
fail() {
  echo "screen_tmux: $*"
  echo "--- the pane:"
  tm capture-pane -p -t t 2>/dev/null
  exit 1
}

# Waits until the pane shows text (a fixed string), up to $2 seconds.
wait_for() {
  local text=$1 limit=${2:-30} i out
  for ((i = 0; i < limit * 10; i++)); do
    out=$(tm capture-pane -p -t t 2>&1) || fail "tmux went away: $out"
    grep -qF -- "$text" <<<"$out" && return 0
    sleep 0.1
  done
  fail "'$text' did not appear within ${limit}s"
}
# wait_lines TEXT N SECONDS MESSAGE: waits until N lines of the pane hold
# TEXT (a typed command and its output), or fails with MESSAGE
wait_lines() {
  local text=$1 n=$2 limit=$3 i out
  for ((i = 0; i < limit * 10; i++)); do
    out=$(tm capture-pane -p -t t 2>&1) || fail "tmux went away: $out"
    [ "$(grep -cF -- "$text" <<<"$out")" -ge "$n" ] && return 0
    sleep 0.1
  done
  fail "$4"
}

for try in 1 2 3; do
  tm new-session -d -s t -x 100 -y 30 "env -i PATH=$PATH HOME=$dir TERM=screen PS1='$ ' bash --norc --noprofile" &&
    tm has-session -t t 2>/dev/null && break
  echo "screen_tmux: tmux did not start (try $try)"
  tm kill-server 2>/dev/null
  sleep 1
done
tm send-keys -t t "cd $dir" Enter
wait_for '$ '
# the comparison below can fail: a terminal left without echo differs
tm send-keys -t t "stty -a > s0; stty -echo; stty -a > s1; stty echo; cmp -s s0 s1 && echo CMP-BLIND || echo CMP-SEES" Enter
wait_for CMP- 10
tm capture-pane -p -t t | grep -q CMP-SEES || fail "stty -a does not show a terminal left without echo"
tm send-keys -t t "clear" Enter

# One run: starts chacmsim (its pid in $dir/pid), waits for the shell.
start() {
  t_start=$(date +%s.%N)
  # (the pause before the status: after a SIGKILL the watchdog, which the
  # shell does not wait for, restores the terminal a moment later)
  tm send-keys -t t "stty -a > $dir/before; sh -c 'echo \$\$ > $dir/pid; exec $sim --timeout 100 --stats --hda $hda --snapshot'; s=\$?; sleep 1; echo EXIT=\$s" Enter
  wait_for 'chacmOS:/ >' 60
}
# After the run: the status it ended with, and the terminal as it was.
finish() {
  local want=$1
  wait_for "EXIT=$want" 30
  tm send-keys -t t "stty -a > $dir/after; cmp -s $dir/before $dir/after && echo STTY-SAME || echo STTY-DIFFERENT" Enter
  wait_for STTY- 10
  tm capture-pane -p -t t | grep -q STTY-SAME || { diff "$dir/before" "$dir/after"; fail "stty -a differs"; }
  [ "$(tm display-message -p -t t '#{alternate_on}')" = 0 ] || fail "the pane is still on the alternate screen"
  [ "$(tm display-message -p -t t '#{cursor_flag}')" = 1 ] || fail "the cursor is still hidden"
  tm send-keys -t t "clear" Enter
  sleep 0.3
}

# 1. boot, commands, virtual consoles, the key list, Ctrl-A x
start
tm send-keys -t t "echo hello from tmux" Enter
wait_lines 'hello from tmux' 2 20 "the echo's output is missing"
tm send-keys -t t "ls /" Enter
wait_for '3 file(s)' 20
tm send-keys -t t M-F2
wait_for 'virtual console 2' 10
tm capture-pane -p -t t | grep -q 'hello from tmux' && fail "console 2 still shows console 1's text"
tm send-keys -t t M-F3
wait_for 'virtual console 3' 10
tm send-keys -t t M-F4
wait_for 'virtual console 4' 10
tm capture-pane -p -t t | grep -q 'virtual console 3' && fail "console 4 still shows console 3's text"
tm send-keys -t t M-F1
wait_for 'hello from tmux' 10
tm capture-pane -p -t t | grep -q 'virtual console' && fail "console 1 shows another console's banner"
tm send-keys -t t M-F2
wait_for 'virtual console 2' 10
tm send-keys -t t C-a 1          # Ctrl-A 1: console 1 (as Alt-F1)
wait_for 'hello from tmux' 10
tm send-keys -t t C-a s          # a screen dump in the working directory
wait_for 'screen dump written to chacmsim-screen-1.txt' 10
grep -q 'hello from tmux' "$dir/chacmsim-screen-1.txt" || fail "the screen dump lacks the echo"
tm resize-window -t t -x 60 -y 20   # smaller than the screen: a view and a message
wait_for '60x20<80x25' 10
tm resize-window -t t -x 100 -y 30
sleep 0.5
tm capture-pane -p -t t | grep -q '60x20<80x25' && fail "the message stays after the terminal grew"
wait_for 'hello from tmux' 10
tm send-keys -t t C-a c          # the kernel monitor, on the terminal in its normal mode
wait_for 'kdb: entered (Ctrl-A c)' 10
wait_for 'kdb>' 10
tm send-keys -t t "threads" Enter
wait_for 'shell.' 10
tm capture-pane -p -t t | grep -qE '^ *filesvr\.[0-9]+ ' || fail "the monitor's thread list lacks filesvr"
tm send-keys -t t "continue" Enter
wait_for 'hello from tmux' 10       # the screen is back
tm capture-pane -p -t t | grep -q 'kdb>' && fail "the monitor's text stays on the screen"
tm send-keys -t t "echo after the monitor" Enter
wait_lines 'after the monitor' 2 10 "the system does not go on after the monitor"
tm send-keys -t t C-a h
wait_for 'chacmsim keys' 10
tm send-keys -t t Space
sleep 0.5
tm capture-pane -p -t t | grep -q 'chacmsim keys' && fail "the key list stays after a key"
tm send-keys -t t "sh_prog spam" Enter   # output that streams: drawn 60 times a second at most
wait_for 'sh_prog: line' 30
sleep 4
tm send-keys -t t C-c
wait_for '^C' 10
tm send-keys -t t C-a x
wait_for "EXIT=0" 30
t_end=$(date +%s.%N)
frames=$(tm capture-pane -p -t t -S - | sed -nE 's/.*front end ([0-9]+) frames.*/\1/p' | tail -1)
[ -n "$frames" ] || fail "--stats printed no frame count"
# one frame per 1/60 s, and one more for each send-keys above (a key's echo
# is drawn at once; about 30 of them).  Without the limit the 4 s of
# streaming output alone draw over 100 frames a second here.
awk -v f="$frames" -v a="$t_start" -v b="$t_end" 'BEGIN { exit !(f <= 60 * (b - a) + 40) }' ||
  fail "$frames frames in $(awk -v a="$t_start" -v b="$t_end" 'BEGIN { print b - a }') s: more than 60 a second"
echo "screen_tmux: $frames frames in $(awk -v a="$t_start" -v b="$t_end" 'BEGIN { printf "%.1f", b - a }') s"
finish 0
echo "screen_tmux: boot, commands, consoles (Alt-F1..F4, Ctrl-A 1), Ctrl-A s, resize, Ctrl-A c (monitor), Ctrl-A h, Ctrl-A x: ok"

# 2. SIGTERM: the handler restores the terminal, the signal ends the run
start
kill -TERM "$(cat "$dir/pid")"
finish 143
echo "screen_tmux: SIGTERM: ok"

# 3. headless from the terminal (the output is a pipe): the shell on the
# kernel debugger's console, which reads the terminal
tm send-keys -t t "stty -a > $dir/before; $sim --timeout 100 --hda $hda --snapshot | cat; echo EXIT=\$?" Enter
wait_for 'chacmOS:/ >' 60
tm send-keys -t t "echo through a pipe" Enter
wait_lines 'through a pipe' 2 20 "headless: the echo's output is missing"
tm send-keys -t t "exit" Enter
finish 0
echo "screen_tmux: headless with the output on a pipe: ok"

# 4. SIGKILL: no code of the simulator runs; its watchdog restores the terminal
start
kill -KILL "$(cat "$dir/pid")"
finish 137
tm capture-pane -p -t t | grep -q 'ended without restoring' || true
echo "screen_tmux: SIGKILL: ok"

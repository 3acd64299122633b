#!/usr/bin/env bash
# scenario.faults: every fault kind of a fault plan (docs/debugging.md,
# "Fault plans").  ChacmOS boots as boot/default.lst does (ramdisk over
# the data module, filesvr on /dev/filesvr/disk) with fi_work as the
# foreground program, or with the ata driver over --hda.  For each kind:
# the fault happens (an `inject` trace record of that kind), the system
# reports it where it is seen (the line named below), and the run ends
# normally (status 0 or 1, never a crash, a hang or a panic).  Also: a
# plan file with comments, bad rules refused with status 64 and the reason,
# and the same seed and plan giving the same run.
# Usage: faults.sh CHACMSIM DISK_IMAGE
set -uo pipefail
sim=$1 disk=$2
PATH=/usr/sbin:/sbin:$PATH
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
lst() {   # lst NAME BLOCK-DRIVER-LINES...: a boot list with fi_work last
  local name=$1; shift
  { echo "title $name"; echo "kernel chacmsim memory=128M"
    printf 'module %s\n' sigma0 booter memsvr namesvr console "$@" "fi_work 8"
    [ "$name" = ramdisk ] && echo "module $tmp/in.img save=$tmp/out.img"; } > "$tmp/$name.lst"
}
lst ramdisk "ramdisk /dev/ram0" "filesvr disk=/dev/ramdisk"
lst ata ata "filesvr disk=/dev/hda"

# run LIST RULE...: one run; its output in $tmp/out, its trace in $tmp/trace
run() {
  local list=$1; shift
  local args=()
  for r in "$@"; do args+=(--fault "$r"); done
  cp "$disk" "$tmp/in.img"; cp "$disk" "$tmp/hd.img"; rm -f "$tmp/out.img"
  status=0
  "$sim" --timeout 60 --hda "$tmp/hd.img" --trace=inject,death --trace-log="$tmp/trace" "${args[@]}" \
    "$tmp/$list.lst" > "$tmp/out" 2>&1 || status=$?
  what="$list: $*"
}
bad() { echo "FAIL: $what: $1"; sed 's/^/  | /' "$tmp/out"; sed 's/^/  trace| /' "$tmp/trace" 2>/dev/null; failed=1; }
# expect RECORD-REGEX REPORT-REGEX: the trace has the record, the output the report
expect() {
  [ $status -le 1 ] || bad "status $status (want 0 or 1: no crash, hang or panic)"
  grep -Eq " inject +$1" "$tmp/trace" || bad "no inject record matching '$1'"
  grep -Eq "$2" "$tmp/out" || bad "no report matching '$2'"
}
fsck_clean() { e2fsck -fn "$1" > "$tmp/fsck" 2>&1 || bad "e2fsck -fn: $(head -5 "$tmp/fsck")"; }
# fi_bytes I: the bytes fi_work writes into fiII (tests/scenario/fi_work.c)
fi_bytes() {
  awk -v i="$1" 'BEGIN { n = 700 + (i * 5471) % (24576 - 700)
    for (k = 0; k < n; k++) printf "%c", 97 + (k * 7 + i * 13) % 26 }'
}
# synced_intact IMAGE: every file fi_work reported synced has its bytes there
synced_intact() {
  local name size crc
  while read -r _ _ name size crc; do
    [ "$(debugfs -R "cat /$name" "$1" 2>/dev/null | cksum)" = "$crc $size" ] || bad "synced $name is not intact"
  done < <(grep '^fi_work: synced ' "$tmp/out")
  grep -q '^fi_work: synced ' "$tmp/out" || bad "no file synced"
}

# a clean run first: what each fault is compared with
run ramdisk
[ $status -eq 0 ] && grep -q "fi_work: done, 8 of 8 files synced" "$tmp/out" || bad "the run without faults fails"
cp "$tmp/out.img" "$tmp/clean.img"
run ata
[ $status -eq 0 ] && grep -q "fi_work: done, 8 of 8 files synced" "$tmp/out" || bad "the ATA run without faults fails"
cp "$tmp/hd.img" "$tmp/clean_hd.img"

# IPC: lose, delay, duplicate, corrupt, fail, corrupt-data, corrupt-reply
run ramdisk 'ipc lose from=fi_work to=filesvr label=filesystem.sync nth=1'
expect 'lose fi_work\.[0-9]+ -> filesvr\.[0-9]+' 'fi_work: error: sync fi00: call error 1 \(ipc error 0x3\)'
grep -q "fi_work: synced fi07" "$tmp/out" || bad "filesvr did not go on serving after the lost message"
run ramdisk 'ipc delay to=filesvr delay=3ms rate=0.2'
expect 'delay .* by 3000 us' 'fi_work: done, 8 of 8 files synced'
[ $status -eq 0 ] || bad "a delay made the run fail"
run ramdisk 'ipc duplicate from=fi_work to=filesvr label=file.write_bulk nth=2'
expect 'duplicate fi_work\.[0-9]+ -> filesvr\.[0-9]+ label 0x18a' 'fi_work: error: read back wrong bytes at fi01'
run ramdisk 'ipc corrupt from=fi_work to=filesvr nth=12'
expect 'corrupt fi_work\.[0-9]+ -> filesvr\.[0-9]+ label 0x[0-9a-f]+: MR[0-9]+ bit' 'fi_work: error: '
grep -q "fi_work: synced fi07" "$tmp/out" || bad "filesvr did not go on serving after the corrupt message"
run ramdisk 'ipc fail from=fi_work to=filesvr label=directory.create nth=2'
expect 'fail fi_work.* label 0x1c3: error reply 3' 'fi_work: error: create fi01: call error 3'
run ramdisk 'ipc corrupt-data from=fi_work to=filesvr label=file.write_bulk nth=2'
expect 'corrupt data fi_work.* label 0x18a: byte [0-9]+' 'fi_work: error: read back wrong bytes at fi01'
run ramdisk 'ipc corrupt-reply from=fi_work to=filesvr label=file.read_bulk nth=3'
expect 'corrupt reply data filesvr.* -> fi_work.*: byte [0-9]+' 'fi_work: error: read back wrong bytes at fi01'

# a lost request or reply between servers is a timeout, and the call is
# made again: the booter's calls to namesvr, a program's name resolution
run ramdisk 'ipc lose from=booter to=namesvr label=creator.create nth=1'
expect 'lose booter\.[0-9]+ -> namesvr\.[0-9]+ label 0x' 'fi_work: done, 8 of 8 files synced'
[ $status -eq 0 ] || bad "a lost request of the booter to namesvr made the run fail"
run ramdisk 'ipc lose from=namesvr to=booter label=0 nth=3'
expect 'lose namesvr\.[0-9]+ -> booter\.[0-9]+' 'fi_work: done, 8 of 8 files synced'
[ $status -eq 0 ] || bad "a lost reply of namesvr to the booter made the run fail"
run ramdisk 'ipc lose from=fi_work to=namesvr label=directory.resolve nth=1'
expect 'lose fi_work\.[0-9]+ -> namesvr\.[0-9]+ label 0x' 'fi_work: done, 8 of 8 files synced'
[ $status -eq 0 ] || bad "a lost resolve request made the run fail"

# sigma0 and memsvr requests
run ramdisk 'sigma0 fail from=console nth=2'     # 1: the CRTC's ports, 2: the VGA text memory
expect 'refuse console\.[0-9]+ -> sigma0\.[0-9]+ label 0xffa0' 'console: sigma0 does not give the VGA text memory: no screen'
run ramdisk 'memsvr fail from=booter nth=3'
expect 'fail booter\.[0-9]+ -> memsvr\.[0-9]+' 'booter: namesvr failed to start: no thread or memory for it'
run ramdisk 'memsvr fail from=booter label=vm_task.task_create nth=6'
expect 'fail booter\.[0-9]+ -> memsvr\.[0-9]+' 'booter: .* failed to start'

# disk sectors: the ramdisk (the booter's block device calls) and the ATA model
run ramdisk 'disk fail dev=ramdisk op=read nth=3'
expect 'fail ramdisk\.[0-9]+ -> booter\.[0-9]+ label 0x143' 'filesvr: mount: ext2: cannot read the group descriptors'
# write 1 is the mount's superblock (marked not clean while mounted); 3 is in fi_work's sync
run ramdisk 'disk fail dev=ramdisk op=write nth=3'
expect 'fail ramdisk\.[0-9]+ -> booter\.[0-9]+ label 0x144' 'fi_work: error: sync fi00: -7'
fsck_clean "$tmp/out.img"
# a write that fails in a sync is kept and a later sync writes it; a lost
# close leaves fi00 open, but fi_work's own open file does not hold its
# unmount, which writes everything back: e2fsck clean, every file whole
run ramdisk 'ipc lose from=fi_work to=filesvr label=file.close nth=1' 'disk fail dev=ramdisk op=write nth=3'
expect 'lose fi_work\.[0-9]+ -> filesvr\.[0-9]+ label 0x181' 'fi_work: error: close fi00: call error 1'
grep -q 'fi_work: error: sync fi00: -7' "$tmp/out" || bad "the failed write was not reported to fi_work"
grep -q 'fi_work: error: unmount' "$tmp/out" && bad "the unmount failed after a lost close"
fsck_clean "$tmp/out.img"
synced_intact "$tmp/out.img"
[ "$(debugfs -R 'cat /fi00' "$tmp/out.img" 2>/dev/null | cksum)" = "$(fi_bytes 0 | cksum)" ] ||
  bad "fi00, whose sync failed, is not whole after the later syncs"
# the unmount's first write fails: still mounted, nothing dropped; fi_work's
# second unmount writes it all (the clean run's writes counted first)
run ramdisk 'disk fail dev=ramdisk op=write nth=1000000'
w=$(sed -n 's/^chacmsim:   rule 1 .*: 0 of \([0-9]*\) matching events$/\1/p' "$tmp/out")
run ramdisk "disk fail dev=ramdisk op=write nth=$((w - 2))"
expect 'fail ramdisk\.[0-9]+ -> booter\.[0-9]+ label 0x144' 'fi_work: error: unmount /dev/filesvr/disk: -7'
[ "$(grep -c 'fi_work: error: ' "$tmp/out")" -eq 1 ] || bad "the second unmount failed too"
grep -q 'fi_work: done, 8 of 8 files synced' "$tmp/out" || bad "not every file synced"
fsck_clean "$tmp/out.img"
synced_intact "$tmp/out.img"
run ramdisk 'disk corrupt dev=ramdisk op=write rate=0.5'
expect 'corrupt data ramdisk\.[0-9]+ -> booter\.[0-9]+ label 0x144: byte' 'fi_work: done'
cmp -s "$tmp/out.img" "$tmp/clean.img" && bad "the corrupted writes did not reach the image"
run ramdisk 'disk corrupt dev=ramdisk op=read sector=4 nth=2'
expect 'corrupt reply data booter\.[0-9]+ -> ramdisk\.[0-9]+ label 0: byte [0-9]+' 'filesvr: '
run ata 'disk fail dev=ata op=read nth=5'
expect 'disk fail: read of sector [0-9]+' 'ata: read at sector [0-9]+ failed'
run ata 'disk fail dev=ata op=write nth=3'
expect 'disk fail: write of sector [0-9]+' 'ata: write at sector [0-9]+ failed'
grep -q "fi_work: error: sync fi00" "$tmp/out" || bad "the failed write was not reported to fi_work"
fsck_clean "$tmp/hd.img"
run ata 'disk corrupt dev=ata op=write rate=0.5'
expect 'disk corrupt: write of sector [0-9]+, byte [0-9]+' 'fi_work: done'
cmp -s "$tmp/hd.img" "$tmp/clean_hd.img" && bad "the corrupted sector did not reach the image"
run ata 'disk corrupt dev=ata op=read rate=1 max=1'
expect 'disk corrupt: read of sector [0-9]+, byte [0-9]+' 'ata: hda'

# kills: a task at a virtual time, a thread after N IPCs
run ramdisk 'kill filesvr at=5300us'
expect 'kill filesvr\.[0-9]+' 'kernel: thread filesvr\.[0-9]+ \([0-9a-f.]+\) stopped: killed by the fault plan'
grep -Eq ' death +filesvr\.[0-9]+ stopped' "$tmp/trace" || bad "no death record of filesvr"
grep -Eq 'fi_work: error: |booter: filesvr restarted' "$tmp/out" || bad "neither an error nor a restart"
run ramdisk 'kill namesvr.50 after=300'
expect 'kill namesvr\.50' 'kernel: thread namesvr\.50 .* stopped: killed by the fault plan'
run ramdisk 'kill ramdisk rate=0.01 from-time=5ms'
expect 'kill ramdisk\.[0-9]+' 'kernel: thread ramdisk\.[0-9]+ .* stopped: killed by the fault plan'
[ "$(grep -c ' inject .*kill' "$tmp/trace")" -eq 1 ] || bad "a kill by rate happened more than once"

# a plan file: comments, several rules, the summary
cat > "$tmp/plan" <<'PLAN'
# a plan of two rules
ipc delay to=namesvr delay=1ms rate=0.5   # half of namesvr's requests wait
disk fail dev=ramdisk op=write nth=4
PLAN
cp "$disk" "$tmp/in.img"; status=0; what="plan file"
"$sim" --timeout 60 --fault-plan "$tmp/plan" --trace=inject --trace-log="$tmp/trace" "$tmp/ramdisk.lst" \
  > "$tmp/out" 2>&1 || status=$?
expect 'delay .* -> namesvr' 'chacmsim: fault plan: [0-9]+ faults injected'
grep -q "rule 2 (disk fail dev=ramdisk op=write nth=4): 1 of" "$tmp/out" || bad "no summary of rule 2"

# the same seed and plan give the same run; another seed another
hash() {
  cp "$disk" "$tmp/in.img"
  "$sim" --timeout 60 --seed "$1" --trace-hash --fault 'ipc delay to=filesvr delay=2ms rate=0.3' \
    --fault 'ipc corrupt to=namesvr rate=0.05' "$tmp/ramdisk.lst" 2>&1 | grep 'trace hash'
}
a=$(hash 7) b=$(hash 7) c=$(hash 8)
what=determinism
[ -n "$a" ] && [ "$a" = "$b" ] || { echo "FAIL: seed 7 twice: '$a' and '$b'"; failed=1; }
[ "$a" != "$c" ] || { echo "FAIL: seeds 7 and 8 give the same run ($a)"; failed=1; }

# bad rules
refuse() {   # refuse RULE MESSAGE
  status=0
  "$sim" --fault "$1" "$tmp/ramdisk.lst" > "$tmp/out" 2>&1 || status=$?
  [ $status -eq 64 ] && grep -qF "$2" "$tmp/out" || { echo "FAIL: '$1' not refused with '$2' (status $status)";
    sed 's/^/  | /' "$tmp/out"; failed=1; }
}
refuse 'ipc drop nth=1' "chacmsim: fault plan: --fault: ipc needs lose, delay"
refuse 'ipc lose to=namesvr' "the rule needs nth=N or rate=P"
refuse 'ipc lose rate=2' "rate '2' is no number from 0 to 1"
refuse 'ipc lose label=nosuch.method nth=1' "label 'nosuch.method' is no number, range, interface or method"
refuse 'disk fail op=read nth=1' "disk needs dev=ata or dev=ramdisk"
refuse 'disk corrupt dev=ramdisk nth=1' "disk corrupt dev=ramdisk needs op=read or op=write"
refuse 'kill filesvr' "kill needs at=TIME, after=N or rate=P"
refuse 'kill filesvr at=5parsecs' "at '5parsecs' is no time"
refuse 'ipc delay to=namesvr nth=1' "delay needs delay=TIME"
refuse 'reboot now' "a rule starts with ipc, sigma0, memsvr, disk or kill, not 'reboot'"
printf 'ipc lose nth=1\nipc lose frm=x nth=1\n' > "$tmp/badplan"
status=0; "$sim" --fault-plan "$tmp/badplan" "$tmp/ramdisk.lst" > "$tmp/out" 2>&1 || status=$?
[ $status -eq 64 ] && grep -qF "badplan:2: 'frm=' does not belong in this rule" "$tmp/out" ||
  { echo "FAIL: the bad plan line is not named"; cat "$tmp/out"; failed=1; }

[ $failed -eq 0 ] && echo "faults ok"
exit $failed

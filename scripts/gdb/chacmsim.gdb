# gdb settings for debugging chacmsim and its programs.  scripts/gdb-run
# loads this file; in a gdb of your own: source scripts/gdb/chacmsim.gdb
#
# The hosted kernel works with signals: a page fault is a SIGSEGV it
# resolves (or turns into a fault IPC to the pager), and with --preempt a
# busy thread is preempted by SIGXCPU.  Both are normal: pass them on to
# the kernel without stopping or printing.
handle SIGSEGV nostop noprint pass
handle SIGXCPU nostop noprint pass
# A program module is loaded when its task is booted, after "run": a
# breakpoint in a module's source (break area_ipc.c:16) waits until then,
# and each task's instance brings its own symbols.
set breakpoint pending on
set print thread-events off
# Each L4 thread is a host thread named task.thread (info threads); a
# backtrace ends at the program's _start, whose CFI marks it outermost.

/* memsvr's debug view: how a debugger that can read memsvr's memory (the
 * simulator's monitor, `regions TASK`) finds the regions of a task without
 * knowing memsvr's private structures.  memsvr exports one object of this
 * type under the name MEMSVR_DEBUG_SYMBOL and fills it at compile time
 * with the addresses of its tables and the offsets of the fields a reader
 * needs (the way GDB's JIT interface publishes a descriptor).  The reader
 * checks magic and version, then reads memsvr's memory at those addresses;
 * it never calls memsvr, so the system may stand still meanwhile.
 *
 * Tables: tasks[ntasks] of task_size bytes; a task record is in use when
 * its byte at t_used is non-zero.  Its regions are a doubly linked list
 * with a sentinel at t_map_head (an entry itself): the first region is the
 * word at t_map_head + e_next, and the walk ends back at the sentinel.
 * Region addresses are window-relative (add the task's window base).
 * threads[nthreads] of thread_size bytes map a global thread id (the word
 * at th_raw; 0 empty, ~0 deleted) to a task slot (the 32-bit value at
 * th_slot).  Sizes: e_start, e_end, e_offset, e_object, e_next, th_raw,
 * t_pages are words; e_cur, e_max, e_inherit, e_wired, th_slot, o_id are
 * 32-bit; t_used, t_alive, e_needs_copy are bytes.  e_object points to an
 * object whose 32-bit id is at o_id (NULL: zero-fill, no object yet). */
#ifndef CHACM_MEMSVR_DEBUG_H
#define CHACM_MEMSVR_DEBUG_H

#define MEMSVR_DEBUG_SYMBOL "memsvr_debug"
#define MEMSVR_DEBUG_MAGIC 0x4d534442ul     /* "MSDB" */
#define MEMSVR_DEBUG_VERSION 1ul

typedef struct {
    unsigned long magic, version;
    unsigned long tasks, ntasks, task_size;
    unsigned long t_used, t_alive, t_map_head, t_pages;
    unsigned long e_start, e_end, e_offset, e_object, e_next, e_cur, e_max, e_inherit, e_wired, e_needs_copy;
    unsigned long o_id;
    unsigned long threads, nthreads, thread_size, th_raw, th_slot;
} memsvr_debug_t;

#endif /* !CHACM_MEMSVR_DEBUG_H */

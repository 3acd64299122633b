/* <mach/vm_map.h>: the two routines taken from XNU's vm_map.defs: vm_remap
 * (a range of one task mapped into another, or the same) and
 * mach_make_memory_entry (a named memory object that vm_map can map). */
#ifndef CHACM_MACH_VM_MAP_H
#define CHACM_MACH_VM_MAP_H

#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/memory_object.h>
#include <mach/port.h>
#include <mach/vm_inherit.h>
#include <mach/vm_prot.h>
#include <mach/vm_types.h>

/* vm_remap flags (XNU's values). */
#define VM_FLAGS_FIXED    0x0000
#define VM_FLAGS_ANYWHERE 0x0001

/* Maps [src_address, src_address+size) of src_task at *target_address in
 * target_task: copy TRUE is a copy-on-write snapshot, FALSE shares the
 * memory.  *cur_protection and *max_protection are outputs: the strictest
 * across the source range. */
kern_return_t vm_remap(vm_map_t target_task, vm_address_t *target_address, vm_size_t size,
                       vm_address_t mask, int flags, vm_map_t src_task, vm_address_t src_address,
                       boolean_t copy, vm_prot_t *cur_protection, vm_prot_t *max_protection,
                       vm_inherit_t inheritance);

/* A memory entry naming [offset, offset+*size) of target_task's memory with
 * at most the given permission, or (permission | MAP_MEM_NAMED_CREATE) a
 * fresh object of *size bytes; *size is rounded up to pages.  parent_entry
 * must be MACH_PORT_NULL. */
kern_return_t mach_make_memory_entry(vm_map_t target_task, vm_size_t *size, vm_offset_t offset,
                                     vm_prot_t permission, mem_entry_name_port_t *object_handle,
                                     mem_entry_name_port_t parent_entry);

#endif /* !CHACM_MACH_VM_MAP_H */

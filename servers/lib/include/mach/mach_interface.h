/* <mach/mach_interface.h>: the VM and task routines of GNU Mach's mach.defs,
 * as C prototypes with Mach's argument order and types, plus the ChacmOS
 * calls (vm_unmap, task_vm_statistics).  memsvr serves them (ipc/idl/vm.idl);
 * docs/vm.md gives the rules and return codes of each. */
#ifndef CHACM_MACH_MACH_INTERFACE_H
#define CHACM_MACH_MACH_INTERFACE_H

#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/memory_object.h>
#include <mach/port.h>
#include <mach/vm_inherit.h>
#include <mach/vm_prot.h>
#include <mach/vm_statistics.h>
#include <mach/vm_sync.h>
#include <mach/vm_types.h>

/* A new task whose address space is built from target_task's by each
 * region's inheritance (inherit_memory TRUE), or empty. */
kern_return_t task_create(task_t target_task, boolean_t inherit_memory, task_t *child_task);
/* Ends the task; all its memory returns to the free pool. */
kern_return_t task_terminate(task_t target_task);

/* Zero-filled memory at *address (anywhere FALSE) or wherever it fits
 * first from the bottom (anywhere TRUE); the address is returned. */
kern_return_t vm_allocate(vm_task_t target_task, vm_address_t *address, vm_size_t size,
                          boolean_t anywhere);
kern_return_t vm_deallocate(vm_task_t target_task, vm_address_t address, vm_size_t size);
kern_return_t vm_protect(vm_task_t target_task, vm_address_t address, vm_size_t size,
                         boolean_t set_maximum, vm_prot_t new_protection);
kern_return_t vm_inherit(vm_task_t target_task, vm_address_t address, vm_size_t size,
                         vm_inherit_t new_inheritance);
/* The contents of [address, address+size) of target_task, as new memory in
 * the caller's space at *data (*data_count bytes); vm_deallocate it. */
kern_return_t vm_read(vm_task_t target_task, vm_address_t address, vm_size_t size,
                      pointer_t *data, mach_msg_type_number_t *data_count);
kern_return_t vm_write(vm_task_t target_task, vm_address_t address, pointer_t data,
                       mach_msg_type_number_t data_count);
kern_return_t vm_copy(vm_task_t target_task, vm_address_t source_address, vm_size_t size,
                      vm_address_t dest_address);
/* Sends the modified pages of mapped files in [address, address+size) to
 * their file servers (vm_sync.h's flags; 0 waits for them). */
kern_return_t vm_msync(vm_task_t target_task, vm_address_t address, vm_size_t size, vm_sync_t sync_flags);
/* The region at or above *address. */
kern_return_t vm_region(vm_task_t target_task, vm_address_t *address, vm_size_t *size,
                        vm_prot_t *protection, vm_prot_t *max_protection,
                        vm_inherit_t *inheritance, boolean_t *is_shared,
                        memory_object_name_t *object_name, vm_offset_t *offset);
/* System-wide statistics (target_task only names who asks). */
kern_return_t vm_statistics(vm_task_t target_task, vm_statistics_data_t *vm_stats);
/* memory_object MEMORY_OBJECT_NULL maps anonymous memory; copy TRUE maps a
 * private copy-on-write copy of the object, FALSE shares it. */
kern_return_t vm_map(vm_task_t target_task, vm_address_t *address, vm_size_t size,
                     vm_address_t mask, boolean_t anywhere, memory_object_t memory_object,
                     vm_offset_t offset, boolean_t copy, vm_prot_t cur_protection,
                     vm_prot_t max_protection, vm_inherit_t inheritance);

/* ChacmOS: drop the pages of a range from the task's space and keep the
 * region; the next touch faults them back in from their object. */
kern_return_t vm_unmap(vm_task_t target_task, vm_address_t address, vm_size_t size);
/* ChacmOS: statistics of one task (free_count: pages left in its quota). */
kern_return_t task_vm_statistics(task_t target_task, vm_statistics_data_t *vm_stats);

#endif /* !CHACM_MACH_MACH_INTERFACE_H */

/* memsvr: what map.c shares with map_copy.c (the list, the pool and the
 * placement rules); nothing outside the map uses it. */
#ifndef MEMSVR_MAP_IMPL_H
#define MEMSVR_MAP_IMPL_H

#include "map.h"

bool mapi_pool_has(const map_t *m, size_t n);
/* A cleared entry from the pool; the caller checked mapi_pool_has. */
map_entry_t *mapi_entry_get(map_t *m);
void mapi_entry_put(map_t *m, map_entry_t *e);
void mapi_link_after(map_t *m, map_entry_t *prev, map_entry_t *e);
void mapi_unlink_entry(map_t *m, map_entry_t *e);
/* The entry containing addr, or NULL with *prev the last entry below it. */
map_entry_t *mapi_find(map_t *m, vm_address_t addr, map_entry_t **prev);
/* How many entries clipping [start, end) (start < end) takes: 0-2. */
size_t mapi_clip_need(map_t *m, vm_address_t start, vm_address_t end);
/* Clips at start and end; the first entry at or above start (or the
 * sentinel).  Needs mapi_clip_need free entries. */
map_entry_t *mapi_clip_range(map_t *m, vm_address_t start, vm_address_t end);
/* [trunc(addr), round(addr+size)); INVALID_ARGUMENT when it wraps. */
kern_return_t mapi_range_of(vm_address_t addr, vm_size_t size, vm_address_t *start,
                            vm_address_t *end);
bool mapi_inherit_ok(vm_inherit_t i);
/* Where len new bytes go: first fit at or above lower (anywhere), or at
 * lower; *prev is the entry they follow. */
kern_return_t mapi_place(map_t *m, vm_address_t lower, vm_size_t len, vm_address_t mask,
                         bool anywhere, vm_address_t *addr, map_entry_t **prev);
/* A new entry [start, start+len) after prev, object NULL. */
map_entry_t *mapi_new_entry(map_t *m, map_entry_t *prev, vm_address_t start, vm_size_t len,
                            vm_prot_t cur, vm_prot_t max, vm_inherit_t inherit);
/* Flushes, unlinks, releases and frees e. */
void mapi_remove_entry(map_t *m, map_entry_t *e);

#endif /* !MEMSVR_MAP_IMPL_H */

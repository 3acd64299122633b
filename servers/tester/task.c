/* tester: the task object (T01-T04) and the root directory read as a file
 * (N01-N02), as ChacmOS's tester checked them. */
#include <stdio.h>
#include <string.h>
#include <chacm/task.h>
#include <l4/thread.h>

#include "tester.h"
#include "file_client.h"
#include "memory_client.h"
#include "task_client.h"

static chacm_handle_t self, root;

int tester_task(void)
{
    chacm_env_t env = { 0 };
    chacm_handle_t mem;
    L4_ThreadId_t pager = L4_nilthread, t = L4_nilthread;
    char cmdline[CHACM_CMDLINE_MAX + 1], *cp = cmdline;

    if (chacm_task_self(&self) != ESUCCESS)
        return tester_fail("the booter does not tell me my task object");
    printf(" T01 task object is <%lx,%d>\n", self.svr.raw, self.obj);
    if (!tester_is(self, TASK_API))
        return tester_fail("the task object does not implement generic and task");
    if (task_get_root(self.svr, self.obj, &root.svr, &root.obj, &env) != ESUCCESS)
        return tester_fail("cannot get the root directory from the task server");
    printf(" T02 root is <%lx,%d>\n", root.svr.raw, root.obj);
    if (!tester_is(root, DIRECTORY_API) || !tester_is(root, FILE_API))
        return tester_fail("the root does not implement generic, file and directory");
    if (task_get_memory(self.svr, self.obj, &mem.svr, &mem.obj, &env) != ESUCCESS)
        return tester_fail("cannot get my memory object from the task server");
    printf(" T03 this task's memory object is <%lx,%d>\n", mem.svr.raw, mem.obj);
    if (!tester_is(mem, MEMORY_API))
        return tester_fail("the memory object does not implement generic and memory");
    if (memory_get_pagerid(mem.svr, mem.obj, &pager, &env) != ESUCCESS)
        return tester_fail("the memory server does not tell me my pager");
    if (!L4_IsThreadEqual(pager, L4_Pager()))
        return tester_fail("my pager is not the one the memory server names");
    if (task_get_cmdline(self.svr, self.obj, &cp, &env) != ESUCCESS)
        return tester_fail("cannot read my command line");
    printf(" T04 my command line is '%s'\n", cp);
    if (task_get_threadid(self.svr, self.obj, &t, &env) != ESUCCESS)
        return tester_fail("the task server does not tell me my thread id");
    if (!L4_IsThreadEqual(t, L4_Myself()))
        return tester_fail("the task server names another thread as mine");
    return 0;
}

int tester_names_space(void)
{
    chacm_env_t env = { 0 };
    int pos = -1, len = 0;

    if (file_open(root.svr, root.obj, FILE_READ, &env) != ESUCCESS)
        return tester_fail("cannot open the root directory");
    if (file_tell(root.svr, root.obj, &pos, &env) != ESUCCESS || pos != 0)
        return tester_fail("the file position is not 0 after open");
    if (file_seek(root.svr, root.obj, -1, &env) != ESUCCESS || file_tell(root.svr, root.obj, &len, &env) != ESUCCESS)
        return tester_fail("cannot find the end of the root directory");
    if (file_seek(root.svr, root.obj, 0, &env) != ESUCCESS)
        return tester_fail("cannot go back to the start of the root directory");
    printf(" N01 root directory has %d bytes\n", len);
    if (file_close(root.svr, root.obj, &env) != ESUCCESS)
        return tester_fail("cannot close the root directory");
    return tester_list(root, "N02", "files contained", len);
}

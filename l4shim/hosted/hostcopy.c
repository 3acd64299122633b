/* Safe copies between kernel and guest memory through the host kernel,
 * which reports an inaccessible address (EFAULT) instead of faulting.
 *
 * The first choice is process_vm_readv/writev on our own process.  Where a
 * seccomp policy forbids them (a container's default profile does, without
 * CAP_SYS_PTRACE) or CHACM_NO_PROCESS_VM is set, the bytes go through a pipe
 * instead: write(2) from the source and read(2) into the destination check
 * both ends the same way.  Only the current thread copies, so one pipe
 * serves the whole kernel.  Every call moves at most KERN_HOSTCOPY_MAX
 * bytes, which always fit into the pipe. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/uio.h>
#include <unistd.h>

#include "kern.h"

static bool use_pipe;
static int pipe_fd[2] = { -1, -1 };

/* Empties the pipe after a destination turned out to be inaccessible. */
static void drain(size_t n)
{
    char scratch[256];
    while (n > 0) {
        ssize_t r = read(pipe_fd[0], scratch, n < sizeof scratch ? n : sizeof scratch);
        if (r <= 0)
            return;
        n -= (size_t)r;
    }
}

static ssize_t pipe_copy(void *to, const void *from, size_t n)
{
    ssize_t w = write(pipe_fd[1], from, n);
    if (w <= 0)
        return -1;
    ssize_t r = read(pipe_fd[0], to, (size_t)w);
    if (r < w)
        drain((size_t)(w - (r > 0 ? r : 0)));
    return r;
}

void kern_hostcopy_init(void)
{
    char a = 1, b = 0;
    struct iovec l = { &b, 1 }, r = { &a, 1 };
    use_pipe = getenv("CHACM_NO_PROCESS_VM") != NULL || process_vm_readv(getpid(), &l, 1, &r, 1, 0) != 1;
    if (use_pipe && pipe2(pipe_fd, O_CLOEXEC) != 0)
        kern_panic("cannot make the pipe for guest memory copies");
}

/* Copies n bytes from `from` (guest or kernel) to `to`, a kernel buffer or
 * a guest address checked as the local end; bytes copied or -1. */
ssize_t kern_host_read(void *to, const void *from, size_t n)
{
    if (use_pipe)
        return pipe_copy(to, from, n);
    struct iovec local = { to, n }, remote = { (void *)from, n };
    return process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
}

/* Copies n bytes from the kernel buffer `from` to the guest address `to`,
 * checked as the remote end (so memcheck does not take it for ours). */
ssize_t kern_host_write(void *to, const void *from, size_t n)
{
    if (use_pipe)
        return pipe_copy(to, from, n);
    struct iovec local = { (void *)from, n }, remote = { to, n };
    return process_vm_writev(getpid(), &local, 1, &remote, 1, 0);
}

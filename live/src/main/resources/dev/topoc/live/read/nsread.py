# Reads many network namespaces in one process: for each namespace name on standard input (one a line), enter it
# with setns(2) and run `ip -j -d -batch -` there (a child inherits the namespace of whoever starts it), the batch
# being argv[1]. No `nsenter` per namespace: one exec where the shell loop of bench/README.md makes two.
# Writes, per namespace: a line `@@topoc NAME CODE LENGTH`, then LENGTH bytes: ip's standard output when CODE is 0,
# else its standard error (CODE 255: the namespace could not be entered). Run by topoc (BatchDumps.java); any
# failure of this script itself makes topoc read the namespaces it did not report one `nsenter` at a time.
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNET = 0x40000000
batch = sys.argv[1].encode()
out = sys.stdout.buffer
err = os.memfd_create('topoc-ip-stderr', os.MFD_CLOEXEC)

def code_of(status):
    if os.WIFEXITED(status):
        return os.WEXITSTATUS(status)
    return 128 + os.WTERMSIG(status)

for name in sys.stdin.read().split('\n'):
    if not name:
        continue
    try:
        fd = os.open('/run/netns/' + name, os.O_RDONLY | os.O_CLOEXEC)
    except OSError as e:
        msg = e.strerror.encode()
        out.write(b'@@topoc %s 255 %d\n%s' % (name.encode(), len(msg), msg))
        continue
    ok = libc.setns(fd, CLONE_NEWNET)
    os.close(fd)
    if ok != 0:
        msg = os.strerror(ctypes.get_errno()).encode()
        out.write(b'@@topoc %s 255 %d\n%s' % (name.encode(), len(msg), msg))
        continue
    os.ftruncate(err, 0)
    os.lseek(err, 0, os.SEEK_SET)
    r, w = os.pipe()
    o_r, o_w = os.pipe()
    pid = os.posix_spawnp('ip', ['ip', '-j', '-d', '-batch', '-'], os.environ,
                          file_actions=[(os.POSIX_SPAWN_DUP2, r, 0), (os.POSIX_SPAWN_DUP2, o_w, 1),
                                        (os.POSIX_SPAWN_DUP2, err, 2)])
    os.close(r)
    os.close(o_w)
    os.write(w, batch)  # a few lines: within the pipe's buffer
    os.close(w)
    chunks = []
    while True:
        b = os.read(o_r, 1 << 16)
        if not b:
            break
        chunks.append(b)
    os.close(o_r)
    code = code_of(os.waitpid(pid, 0)[1])
    if code == 0:
        data = b''.join(chunks)
    else:
        os.lseek(err, 0, os.SEEK_SET)
        data = os.read(err, 1 << 16)
    out.write(b'@@topoc %s %d %d\n' % (name.encode(), code, len(data)))
    out.write(data)
out.flush()

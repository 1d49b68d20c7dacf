#ifndef AMQTOP_CSYSSHIM_H
#define AMQTOP_CSYSSHIM_H
#include <sys/types.h>
/// Placeholder so the target builds; platform helpers are added beside it.
int amqtop_shim_version(void);

/// Tries to take a POSIX (fcntl F_SETLK) write lock on [start, start+len) of fd,
/// exactly as Java's FileChannel.tryLock does on Linux. Returns 0 when the lock is
/// held, -1 with errno set (EAGAIN/EACCES when another process holds it).
int amqtop_lab_try_write_lock(int fd, off_t start, off_t len);

/// Releases a POSIX lock on [start, start+len) of fd. Returns 0 or -1 with errno.
int amqtop_lab_unlock(int fd, off_t start, off_t len);

/// flock(fd, LOCK_EX | LOCK_NB): amqtop's own per-group action lock (never a broker's lock
/// file). Returns 0 when held, -1 with errno (EWOULDBLOCK when another open file holds it).
/// (Swift cannot call flock(2): the struct flock of fcntl.h hides the function.)
int amqtop_flock_try_exclusive(int fd);

/// The statfs(2) f_type magic number of the filesystem holding path, in *type.
/// Returns 0, or -1 with errno set. (statfs is not imported by Swift's Glibc module.)
int amqtop_statfs_type(const char *path, long long *type);

/// An anonymous in-memory file (memfd_create(2), close-on-exec), or -1 with errno set.
/// (memfd_create is not imported by Swift's Glibc module.)
int amqtop_memfd(const char *name);
#endif

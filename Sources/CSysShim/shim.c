#define _GNU_SOURCE 1
#include "CSysShim.h"
#include <sys/file.h>
#include <sys/vfs.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
int amqtop_shim_version(void) { return 1; }

int amqtop_lab_try_write_lock(int fd, off_t start, off_t len) {
    struct flock fl;
    memset(&fl, 0, sizeof(fl));
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    fl.l_start = start;
    fl.l_len = len;
    return fcntl(fd, F_SETLK, &fl);
}

int amqtop_lab_unlock(int fd, off_t start, off_t len) {
    struct flock fl;
    memset(&fl, 0, sizeof(fl));
    fl.l_type = F_UNLCK;
    fl.l_whence = SEEK_SET;
    fl.l_start = start;
    fl.l_len = len;
    return fcntl(fd, F_SETLK, &fl);
}

int amqtop_flock_try_exclusive(int fd) { return flock(fd, LOCK_EX | LOCK_NB); }

int amqtop_statfs_type(const char *path, long long *type) {
    struct statfs info;
    if (statfs(path, &info) != 0) return -1;
    *type = (long long)info.f_type;
    return 0;
}

int amqtop_memfd(const char *name) { return memfd_create(name, MFD_CLOEXEC); }

#ifndef REEL_FILE_H
#define REEL_FILE_H

#include <stdint.h>

/// Starts writing back to disk the dirty pages of `length` bytes of `fd` from `offset`, without waiting for them
/// (Linux `sync_file_range` with `SYNC_FILE_RANGE_WRITE`), so a later fsync has little left to do. Returns 0, or
/// -1 with errno set. Where the call does not exist it does nothing and returns 0: fsync still does all the work.
int reel_start_writeback(int fd, int64_t offset, int64_t length);

#endif

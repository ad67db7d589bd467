#ifndef REEL_LOG_H
#define REEL_LOG_H

/// Routes libav's log through Reel: nothing is printed, and the last error line is kept per thread so
/// Reel's one-line errors can name the real cause ("moov atom not found"), not only the generic code text.
void reel_capture_log(void);
/// Forgets this thread's last libav error line.
void reel_clear_last_error(void);
/// This thread's last libav error line since the last clear ("" when none).
const char *reel_last_error(void);

#endif

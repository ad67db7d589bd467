#include "reel_log.h"

#include <libavutil/log.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char last_error[256];

static void capture(void *context, int level, const char *format, va_list arguments) {
    (void)context;
    if (level > AV_LOG_ERROR || !format) return;
    vsnprintf(last_error, sizeof last_error, format, arguments);
    size_t length = strlen(last_error);
    while (length > 0 && (last_error[length - 1] == '\n' || last_error[length - 1] == '.')) {
        last_error[--length] = 0;
    }
}

void reel_capture_log(void) { av_log_set_callback(capture); }
void reel_clear_last_error(void) { last_error[0] = 0; }
const char *reel_last_error(void) { return last_error; }

#ifndef REEL_CFFMPEG_SHIM_H
#define REEL_CFFMPEG_SHIM_H

#include <errno.h>
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/display.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libavutil/channel_layout.h>
#include <libavutil/samplefmt.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/md5.h>
#include <libswscale/swscale.h>
#include <libswresample/swresample.h>

/// `AVERROR(e)` for a POSIX errno value.
static inline int reel_averror(int e) { return AVERROR(e); }
static const int REEL_AVERROR_EOF = AVERROR_EOF;
static const int REEL_AVERROR_EAGAIN = AVERROR(EAGAIN);
static const int REEL_AVERROR_EXIT = AVERROR_EXIT;
static const int64_t REEL_AV_NOPTS_VALUE = AV_NOPTS_VALUE;

/// `av_strerror` into a caller's buffer.
static inline int reel_strerror(int err, char *buf, size_t size) { return av_strerror(err, buf, size); }

/// The display matrix rotation of a stream in degrees (counter-clockwise, as ffprobe prints it),
/// or 0 when the stream carries no display matrix. `found` is set to 1 when one exists.
static inline double reel_stream_display_rotation(const AVStream *stream, int *found) {
    size_t size = 0;
    const uint8_t *data = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size);
    if (!data || size < 9 * sizeof(int32_t)) { *found = 0; return 0; }
    *found = 1;
    return av_display_rotation_get((const int32_t *)data);
}

#endif

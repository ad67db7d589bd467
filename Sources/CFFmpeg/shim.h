#ifndef REEL_CFFMPEG_SHIM_H
#define REEL_CFFMPEG_SHIM_H

#include <errno.h>
#include <string.h>
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
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersrc.h>
#include <libavfilter/buffersink.h>

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

/// Writes into `dst` the `width` x `height` plane `src` moved toward `level` (16 for luma, 128 for chroma, black in
/// limited range): each sample becomes level + (sample - level) * gain / 256, rounded.
static inline void reel_fade_plane(const uint8_t *src, int src_stride, uint8_t *dst, int dst_stride, int width,
                                   int height, int level, int gain) {
    for (int y = 0; y < height; y++) {
        const uint8_t *in = src + (ptrdiff_t)y * src_stride;
        uint8_t *out = dst + (ptrdiff_t)y * dst_stride;
        for (int x = 0; x < width; x++) {
            int d = (in[x] - level) * gain;
            out[x] = (uint8_t)(level + (d >= 0 ? (d + 128) >> 8 : -((-d + 128) >> 8)));
        }
    }
}

/// One plane of a dissolve: `a` weighted by 256 - `weight`, `b` by `weight` (0 to 256), rounded.
static inline void reel_blend_planes(const uint8_t *a, int a_stride, const uint8_t *b, int b_stride, uint8_t *dst,
                                     int dst_stride, int width, int height, int weight) {
    for (int y = 0; y < height; y++) {
        const uint8_t *from = a + (ptrdiff_t)y * a_stride;
        const uint8_t *to = b + (ptrdiff_t)y * b_stride;
        uint8_t *out = dst + (ptrdiff_t)y * dst_stride;
        for (int x = 0; x < width; x++) out[x] = (uint8_t)((from[x] * (256 - weight) + to[x] * weight + 128) >> 8);
    }
}

/// One plane of a wipe or slide: `uncovered` columns of `b` at the right edge (`to_left`) or the left edge, the
/// rest `a`. With `slides`, `a` is pushed aside by as many columns and `b` comes in edge first.
static inline void reel_wipe_planes(const uint8_t *a, int a_stride, const uint8_t *b, int b_stride, uint8_t *dst,
                                    int dst_stride, int width, int height, int uncovered, int to_left, int slides) {
    const int covered = width - uncovered;
    for (int y = 0; y < height; y++) {
        const uint8_t *from = a + (ptrdiff_t)y * a_stride;
        const uint8_t *to = b + (ptrdiff_t)y * b_stride;
        uint8_t *out = dst + (ptrdiff_t)y * dst_stride;
        if (to_left) {
            memcpy(out, from + (slides ? uncovered : 0), (size_t)covered);
            memcpy(out + covered, to + (slides ? 0 : covered), (size_t)uncovered);
        } else {
            memcpy(out, to + (slides ? covered : 0), (size_t)uncovered);
            memcpy(out + uncovered, from + (slides ? 0 : uncovered), (size_t)covered);
        }
    }
}

/// Copies the window [left, right) x [top, bottom) of a destination plane from a source plane turned clockwise by
/// `rotation` (0, 90, 180 or 270) whose top-left corner lands at (origin_x, origin_y) in the destination.
static inline void reel_blit_rotated(const uint8_t *src, int src_stride, int src_w, int src_h, uint8_t *dst,
                                     int dst_stride, int left, int top, int right, int bottom, int origin_x,
                                     int origin_y, int rotation) {
    for (int y = top; y < bottom; y++) {
        const int v = y - origin_y;
        uint8_t *row = dst + (ptrdiff_t)y * dst_stride;
        switch (rotation) {
        case 90:
            for (int x = left; x < right; x++) row[x] = src[(ptrdiff_t)(src_h - 1 - (x - origin_x)) * src_stride + v];
            break;
        case 180: {
            const uint8_t *line = src + (ptrdiff_t)(src_h - 1 - v) * src_stride;
            for (int x = left; x < right; x++) row[x] = line[src_w - 1 - (x - origin_x)];
            break;
        }
        case 270:
            for (int x = left; x < right; x++) row[x] = src[(ptrdiff_t)(x - origin_x) * src_stride + (src_w - 1 - v)];
            break;
        default:
            memcpy(row + left, src + (ptrdiff_t)v * src_stride + (left - origin_x), (size_t)(right - left));
        }
    }
}

/// Lays one plane of a picture with straight alpha over a `width` x `height` window of `dst`, as ffmpeg's overlay
/// filter does: each sample becomes (dst * (255 - a) + src * a) / 255, a being the alpha sample scaled by `opacity`
/// (0 to 255). `alpha` is the full-size alpha plane (`alpha_width` x `alpha_height`); with `subsampled` the plane is
/// 4:2:0 chroma and a sample's alpha is the mean of the 2x2 alpha samples it covers (those inside the picture).
static inline void reel_overlay_plane(uint8_t *dst, int dst_stride, const uint8_t *src, int src_stride,
                                      const uint8_t *alpha, int alpha_stride, int width, int height, int alpha_width,
                                      int alpha_height, int subsampled, int opacity) {
    for (int y = 0; y < height; y++) {
        const uint8_t *in = src + (ptrdiff_t)y * src_stride;
        const uint8_t *a0 = alpha + (ptrdiff_t)(subsampled ? 2 * y : y) * alpha_stride;
        const int below = subsampled && 2 * y + 1 < alpha_height;
        const uint8_t *a1 = below ? a0 + alpha_stride : a0;
        uint8_t *out = dst + (ptrdiff_t)y * dst_stride;
        for (int x = 0; x < width; x++) {
            int a;
            if (subsampled) {
                const int left = 2 * x, right = 2 * x + 1 < alpha_width ? 2 * x + 1 : 2 * x;
                a = (a0[left] + a0[right] + a1[left] + a1[right]) >> 2;
            } else {
                a = a0[x];
            }
            a = (a * opacity + 127) / 255;
            const int mixed = out[x] * (255 - a) + in[x] * a;
            out[x] = (uint8_t)(((mixed + 128) * 257) >> 16);
        }
    }
}

#endif

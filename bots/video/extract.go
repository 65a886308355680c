package video

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"os"
	"os/exec"
	"strconv"
	"time"
)

// Options are the model's budgets for one clip.
type Options struct {
	// FramePixels is the most pixels a frame keeps; 0 means
	// DefaultFramePixels.
	FramePixels int
	// TotalPixels bounds the pixels of all frames together; 0 = no bound.
	TotalPixels int
	// MinFramePixels is the fewest pixels a frame is given.
	MinFramePixels int
}

// Clip is a clip's frames, ready to send.
type Clip struct {
	// Frames are JPEG images, all Width×Height, in order; at least
	// MinFrames (a clip with fewer distinct frames repeats its last).
	Frames [][]byte
	// FPS is the rate the frames were taken at, in [MinFPS, MaxFPS].
	FPS           float64
	Width, Height int
	// Duration is the clip's length as its container states it (0 when
	// unknown).
	Duration time.Duration
	// Decoded is how many frames ffmpeg gave before any padding.
	Decoded int
	// PeakRSS is the peak resident memory of the ffmpeg that decoded the
	// clip, in bytes (0 when unknown).
	PeakRSS int64
}

// jpegQuality is the quality frames are encoded at; decodeThreads the
// threads ffmpeg decodes a clip with; maxSourcePixels the largest frame
// (8K UHD) ffmpeg may decode, so a small file claiming a huge picture
// cannot make it allocate gigabytes.
const (
	jpegQuality     = 85
	decodeThreads   = 2
	maxSourcePixels = 7680 * 4320
)

// demuxers are the container formats ffmpeg may open: the video formats
// chats carry. Playlists (HLS, concat) and image sequences, which can
// name other files, are refused.
const demuxers = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,gif,avi,mpegts,flv,ogg,h264,hevc,mpjpeg"

// Frames reads the frames of the clip in data. It checks Config.MaxBytes
// first, then (from the container) Config.MaxDuration, and returns a
// *LimitError for either. A clip ffmpeg cannot read gives ErrUnreadable; a
// missing ffmpeg ErrNoFFmpeg. ffmpeg's messages go only into the returned
// error, for the log.
func (x *Extractor) Frames(ctx context.Context, data []byte, o Options) (Clip, error) {
	if err := x.Available(); err != nil {
		return Clip{}, err
	}
	if int64(len(data)) > x.cfg.MaxBytes {
		return Clip{}, &LimitError{Kind: ErrTooLarge, Bytes: x.cfg.MaxBytes}
	}
	select {
	case x.slots <- struct{}{}:
		defer func() { <-x.slots }()
	case <-ctx.Done():
		return Clip{}, fmt.Errorf("wait to read video: %w", context.Cause(ctx))
	}
	ctx, cancel := context.WithTimeoutCause(ctx, x.cfg.Timeout, ErrTimeout)
	defer cancel()
	path, err := x.spill(data)
	if err != nil {
		return Clip{}, err
	}
	defer os.Remove(path)
	in, err := x.probe(ctx, path)
	if err != nil {
		return Clip{}, err
	}
	if in.width*in.height > maxSourcePixels {
		return Clip{}, fmt.Errorf("video of %dx%d: %w", in.width, in.height, ErrUnreadable)
	}
	if in.duration > x.cfg.MaxDuration {
		return Clip{}, &LimitError{Kind: ErrTooLong, Duration: x.cfg.MaxDuration}
	}
	p := makePlan(in.duration, in.width, in.height, x.cfg.MaxFrames, o)
	clip, err := x.decode(ctx, path, p)
	clip.Duration = in.duration
	return clip, err
}

// spill writes data to a new private temp file and returns its path.
func (x *Extractor) spill(data []byte) (string, error) {
	f, err := os.CreateTemp(x.cfg.TempDir, "qwenbot-video-*")
	if err != nil {
		return "", fmt.Errorf("video temp file: %w", err)
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("video temp file: %w", err)
	}
	return f.Name(), nil
}

// inputArgs open path as a local file only: no network protocols, and
// only the demuxers of ordinary video files.
func inputArgs(path string) []string {
	return []string{"-nostdin", "-hide_banner", "-protocol_whitelist", "file,pipe",
		"-format_whitelist", demuxers, "-i", "file:" + path}
}

// probe asks ffmpeg for the clip's duration and size: "ffmpeg -i FILE"
// with no output prints the banner and exits with an error, by design.
func (x *Extractor) probe(ctx context.Context, path string) (info, error) {
	cmd := exec.CommandContext(ctx, x.path, inputArgs(path)...)
	stderr := &tailBuffer{max: 16 << 10}
	cmd.Stderr = stderr
	cmd.WaitDelay = time.Second
	_ = cmd.Run() // always fails: no output file
	if err := ctxErr(ctx); err != nil {
		return info{}, err
	}
	in, ok := parseInfo(stderr.String())
	if !ok {
		return info{}, fmt.Errorf("probe video: %w: %s", ErrUnreadable, stderr.last(300))
	}
	return in, nil
}

// decode runs ffmpeg to sample and scale the clip per p, reading raw
// YUV 4:2:0 frames one at a time from its stdout and encoding each as
// JPEG, so at most one raw frame of the scaled size is in memory.
func (x *Extractor) decode(ctx context.Context, path string, p plan) (Clip, error) {
	fps := strconv.FormatFloat(p.fps, 'f', -1, 64)
	vf := fmt.Sprintf("fps=%s,scale=%d:%d:flags=bilinear,format=yuv420p", fps, p.width, p.height)
	// A fixed decoder thread count keeps ffmpeg's memory the same on a
	// many-core host (each thread holds frames in flight).
	args := append([]string{"-threads", strconv.Itoa(decodeThreads), "-max_pixels", strconv.Itoa(maxSourcePixels)},
		inputArgs(path)...)
	args = append(args, "-map", "0:V:0", "-an", "-sn", "-dn", "-vf", vf,
		"-frames:v", strconv.Itoa(p.frames), "-f", "rawvideo", "-pix_fmt", "yuv420p", "-loglevel", "error", "pipe:1")
	cmd := exec.CommandContext(ctx, x.path, args...)
	stderr := &tailBuffer{max: 4 << 10}
	cmd.Stderr = stderr
	cmd.WaitDelay = time.Second
	out, err := cmd.StdoutPipe()
	if err != nil {
		return Clip{}, fmt.Errorf("run ffmpeg: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return Clip{}, fmt.Errorf("run ffmpeg: %w", err)
	}
	clip := Clip{FPS: p.fps, Width: p.width, Height: p.height}
	frames, rerr := readFrames(out, p)
	if rerr != nil {
		io.Copy(io.Discard, out)
	}
	werr := cmd.Wait()
	if cmd.ProcessState != nil {
		clip.PeakRSS = peakRSS(cmd.ProcessState)
	}
	if err := ctxErr(ctx); err != nil {
		return Clip{}, err
	}
	if rerr != nil {
		return Clip{}, fmt.Errorf("read frames: %w", rerr)
	}
	if len(frames) == 0 {
		return Clip{}, fmt.Errorf("decode video: %w: %v: %s", ErrUnreadable, werr, stderr.last(300))
	}
	clip.Decoded = len(frames)
	x.cfg.Log.DebugContext(ctx, "read video frames", "frames", len(frames), "fps", p.fps,
		"size", fmt.Sprintf("%dx%d", p.width, p.height), "ffmpeg_rss", clip.PeakRSS)
	for len(frames) < MinFrames {
		frames = append(frames, frames[len(frames)-1])
	}
	clip.Frames = frames
	return clip, nil
}

// readFrames reads raw frames of p's size until EOF (a short last frame
// is dropped) and returns them as JPEGs.
func readFrames(r io.Reader, p plan) ([][]byte, error) {
	w, h := p.width, p.height
	ySize, cSize := w*h, (w/2)*(h/2)
	buf := make([]byte, ySize+2*cSize)
	var out [][]byte
	for len(out) < p.frames {
		if _, err := io.ReadFull(r, buf); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				break
			}
			return nil, err
		}
		img := &image.YCbCr{
			Y: buf[:ySize], Cb: buf[ySize : ySize+cSize], Cr: buf[ySize+cSize:],
			YStride: w, CStride: w / 2, SubsampleRatio: image.YCbCrSubsampleRatio420,
			Rect: image.Rect(0, 0, w, h),
		}
		var b bytes.Buffer
		if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: jpegQuality}); err != nil {
			return nil, fmt.Errorf("encode frame: %w", err)
		}
		out = append(out, b.Bytes())
	}
	return out, nil
}

// ctxErr maps an ended context to ErrTimeout (the run's own deadline) or
// its cause.
func ctxErr(ctx context.Context) error {
	if ctx.Err() == nil {
		return nil
	}
	if cause := context.Cause(ctx); errors.Is(cause, ErrTimeout) {
		return ErrTimeout
	}
	return fmt.Errorf("read video: %w", context.Cause(ctx))
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if over := len(t.b) - t.max; over > 0 {
		t.b = append(t.b[:0], t.b[over:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return string(t.b) }

// last returns about the last n bytes, for error messages.
func (t *tailBuffer) last(n int) string {
	s := bytes.TrimSpace(t.b)
	if len(s) > n {
		s = s[len(s)-n:]
	}
	return string(s)
}

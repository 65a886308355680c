// Package video turns a clip (MP4, WebM, GIF, …) into the few small JPEG
// frames a vision model reads as a video: it runs ffmpeg as a subprocess
// on a private temp file, with a timeout and no network protocols, picks
// the frame rate and frame size so the clip fits a frame cap and the
// model's pixel budgets, and scales inside ffmpeg so full-size frames never
// reach this process. It knows no platform, model client or store.
package video

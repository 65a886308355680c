package bots

import (
	"fmt"
	"time"
)

// VideoTooLarge says that a video is over the size limit of limit bytes.
func (n Notices) VideoTooLarge(limit int64) string {
	return fmt.Sprintf(catalogFor(n.lang).VideoTooLarge, sizeText(limit))
}

// VideoTooLong says that a video is over the duration limit.
func (n Notices) VideoTooLong(limit time.Duration) string {
	return fmt.Sprintf(catalogFor(n.lang).VideoTooLong, durationText(limit))
}

// FirstVideos says that only the first max videos of a message are used.
func (n Notices) FirstVideos(max int) string {
	return fmt.Sprintf(n.pick("Only the first %d videos are used.", "只使用前 %d 个视频。"), max)
}

// VideoDownloadFailed says that a video could not be downloaded.
func (n Notices) VideoDownloadFailed() string {
	return n.pick("⚠️ I couldn't download the video. Please send it again.", "⚠️ 视频下载失败，请重新发送。")
}

package bots

import "fmt"

// Notices are the short texts that platform adapters show users
// themselves (refusals and image download problems), in one language. The
// engine words everything else.
type Notices struct {
	lang string
}

// NoticesFor returns the notices of lang ("en" or "zh"); any other value
// means English.
func NoticesFor(lang string) Notices { return Notices{lang: lang} }

func (n Notices) pick(en, zh string) string {
	if isChinese(n.lang) {
		return zh
	}
	return en
}

// Denied tells a user that the allow-lists keep them out.
func (n Notices) Denied() string {
	return n.pick("Sorry, this bot is not available here.", "抱歉，此机器人在这里不可用。")
}

// DeniedDM tells a user that the bot does not answer direct messages.
func (n Notices) DeniedDM() string {
	return n.pick("Sorry, I don't answer direct messages.", "抱歉，我不回复私信。")
}

// UnknownCommand answers a command the bot does not know.
func (n Notices) UnknownCommand() string {
	return n.pick("Sorry, I don't know that command.", "抱歉，我不认识这个命令。")
}

// Restarting tells a user the bot takes no new questions while it shuts
// down.
func (n Notices) Restarting() string {
	return catalogFor(n.lang).Restarting
}

// Stopped answers a Stop button that stopped the running answer.
func (n Notices) Stopped() string { return catalogFor(n.lang).StopDone }

// NothingToStop answers a Stop button when nothing was running.
func (n Notices) NothingToStop() string { return catalogFor(n.lang).StopNone }

// NotYourStop answers, to the presser only, a Stop button pressed by
// someone who neither asked its answer nor is an admin (see
// Engine.StopTurn).
func (n Notices) NotYourStop() string { return catalogFor(n.lang).StopNotAsker }

// FirstImages says that only the first max images of a message are used.
func (n Notices) FirstImages(max int) string {
	return fmt.Sprintf(n.pick("Only the first %d images are used.", "只使用前 %d 张图片。"), max)
}

// ImageTooLarge says that an image is over the size limit of limit bytes.
func (n Notices) ImageTooLarge(limit int64) string {
	return fmt.Sprintf(n.pick("That image is too large (the limit is %s).", "图片太大了（上限为 %s）。"), sizeText(limit))
}

// SkippedImage says that the named image was left out for being over the
// size limit of limit bytes.
func (n Notices) SkippedImage(name string, limit int64) string {
	return fmt.Sprintf(n.pick("Skipped %s: larger than %s.", "已跳过 %s：超过 %s。"), name, sizeText(limit))
}

// NotDownloaded says that the named image could not be downloaded.
func (n Notices) NotDownloaded(name string) string {
	return fmt.Sprintf(n.pick("Could not download %s.", "无法下载 %s。"), name)
}

// DownloadFailed says that an image could not be downloaded.
func (n Notices) DownloadFailed() string {
	return n.pick("⚠️ I couldn't download the image. Please send it again.", "⚠️ 图片下载失败，请重新发送。")
}

// sizeText renders a byte count for users: "10 MB", "512 KB".
func sizeText(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d KB", max(n>>10, 1))
}

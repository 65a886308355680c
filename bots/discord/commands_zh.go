package discord

import "github.com/bwmarrin/discordgo"

// zhLocalizations returns the Chinese descriptions, Simplified and
// Traditional, of a slash command or one of its options (key "command" or
// "command option"), which Discord shows to clients set to Chinese; nil
// when there is none.
func zhLocalizations(key string) map[discordgo.Locale]string {
	var cn, tw string
	switch key {
	case cmdAsk:
		cn, tw = "向 Qwen 提问，可以附上图片", "向 Qwen 提問，可以附上圖片"
	case cmdAsk + " " + optPrompt:
		cn, tw = "你的问题", "你的問題"
	case cmdAsk + " " + optImage:
		cn, tw = "要问的图片", "要問的圖片"
	case cmdAsk + " " + optImage2:
		cn, tw = "第二张图片", "第二張圖片"
	case cmdAsk + " " + optThink:
		cn, tw = "先思考再回答（较慢，适合难题）", "先思考再回答（較慢，適合難題）"
	case cmdReset:
		cn, tw = "忘掉这段对话", "忘掉這段對話"
	case cmdThink:
		cn, tw = "查看或切换这段对话的思考模式", "查看或切換這段對話的思考模式"
	case cmdThink + " " + optMode:
		cn, tw = "on 或 off", "on 或 off"
	case cmdStop:
		cn, tw = "停止正在写的回答", "停止正在寫的回答"
	default:
		return nil
	}
	return map[discordgo.Locale]string{discordgo.ChineseCN: cn, discordgo.ChineseTW: tw}
}

// localize adds the Chinese descriptions to the slash command c and its
// options.
func localize(c *discordgo.ApplicationCommand) {
	if l := zhLocalizations(c.Name); l != nil {
		c.DescriptionLocalizations = &l
	}
	for _, o := range c.Options {
		o.DescriptionLocalizations = zhLocalizations(c.Name + " " + o.Name)
	}
}

package discord

import "github.com/bwmarrin/discordgo"

// zhLocalizations returns the Chinese descriptions, Simplified and
// Traditional, of a slash command or one of its options (key "command" or
// "command option"), which Discord shows to clients set to Chinese; nil
// when there is none. zhNames has the commands' Chinese names.
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
	case cmdLang:
		cn, tw = "查看或选择机器人在这里使用的语言", "查看或選擇機器人在這裡使用的語言"
	case cmdLang + " " + optLang:
		cn, tw = "en、zh 或 auto（跟随每位用户的 Discord 语言）", "en、zh 或 auto（跟隨每位用戶的 Discord 語言）"
	case cmdSettings:
		cn, tw = "查看这段对话的设置和今天剩余的额度", "查看這段對話的設定和今天剩餘的額度"
	case cmdHelp:
		cn, tw = "如何使用这个机器人", "如何使用這個機器人"
	default:
		return nil
	}
	return map[discordgo.Locale]string{discordgo.ChineseCN: cn, discordgo.ChineseTW: tw}
}

// zhNames returns the Chinese names, Simplified and Traditional, of a
// slash command, which clients set to Chinese show and accept; nil when
// there is none. Interactions still carry the command's own name.
func zhNames(name string) map[discordgo.Locale]string {
	var cn, tw string
	switch name {
	case cmdAsk:
		cn, tw = "提问", "提問"
	case cmdReset:
		cn, tw = "重置", "重置"
	case cmdThink:
		cn, tw = "思考", "思考"
	case cmdStop:
		cn, tw = "停止", "停止"
	case cmdLang:
		cn, tw = "语言", "語言"
	case cmdSettings:
		cn, tw = "设置", "設定"
	case cmdHelp:
		cn, tw = "帮助", "幫助"
	default:
		return nil
	}
	return map[discordgo.Locale]string{discordgo.ChineseCN: cn, discordgo.ChineseTW: tw}
}

// localize adds the Chinese names and descriptions to the slash command c
// and its options' descriptions.
func localize(c *discordgo.ApplicationCommand) {
	if l := zhLocalizations(c.Name); l != nil {
		c.DescriptionLocalizations = &l
	}
	if n := zhNames(c.Name); n != nil {
		c.NameLocalizations = &n
	}
	for _, o := range c.Options {
		o.DescriptionLocalizations = zhLocalizations(c.Name + " " + o.Name)
	}
}

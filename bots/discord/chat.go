package discord

import (
	"github.com/bwmarrin/discordgo"
	"github.com/qwenbot/qwenbot/bots"
)

// chatKey is the history key of a channel: "dc:dm:<channel>" in direct
// messages, "dc:<guild>:<channel>" in guilds. Threads are channels, so each
// thread has its own history.
func chatKey(guild, channel string) string {
	if guild == "" {
		return "dc:dm:" + channel
	}
	return "dc:" + guild + ":" + channel
}

// userKey is the rate-limit and budget key of a user.
func userKey(id string) string { return "dc:" + id }

// sender describes u for the engine: the guild nickname, else the global
// display name, else the username.
func sender(u *discordgo.User, m *discordgo.Member, admin bool) bots.Sender {
	s := bots.Sender{ID: u.ID, Name: u.Username, Admin: admin}
	switch {
	case m != nil && m.Nick != "":
		s.Name = m.Nick
	case u.GlobalName != "":
		s.Name = u.GlobalName
	}
	return s
}

// memberRoles returns the role ids of m, which is nil outside guilds.
func memberRoles(m *discordgo.Member) []string {
	if m == nil {
		return nil
	}
	return m.Roles
}

// interactionUser returns who made an interaction: the member's user in
// guilds, the user in DMs.
func interactionUser(i *discordgo.Interaction) *discordgo.User {
	if i.Member != nil && i.Member.User != nil {
		return i.Member.User
	}
	return i.User
}

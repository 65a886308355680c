package discord

import "net/url"

// invitePermissions are the bot permissions the invite asks for: View
// Channels, Send Messages, Send Messages in Threads and Read Message
// History (README, "Discord setup").
const invitePermissions = "274877975552"

// InviteURL returns the URL that adds the application's bot to a server
// with the slash commands and the permissions the adapter needs.
func InviteURL(applicationID string) string {
	q := url.Values{"client_id": {applicationID}, "scope": {"bot applications.commands"}, "permissions": {invitePermissions}}
	return "https://discord.com/oauth2/authorize?" + q.Encode()
}

package discord

import "github.com/qwenbot/qwenbot/bots"

// place is where and by whom an event was made, as far as access is
// concerned.
type place struct {
	guild   string // "" in DMs
	channel string
	parent  string // the parent channel of a thread, if known
	user    string
	roles   []string
}

// verdict is the outcome of an access check.
type verdict int

const (
	allowed verdict = iota
	// deniedDM: direct messages are turned off.
	deniedDM
	// denied: an allow-list excludes the guild, channel or user.
	denied
)

// policy applies the configured allow-lists. Empty lists allow everyone;
// admins pass every list; direct messages need dms. Users and roles
// combine: when either list is non-empty the user must be listed or hold a
// listed role (roles exist only in guilds). A thread passes the channel
// list when its parent channel is listed. policy is immutable.
type policy struct {
	dms                                   bool
	guilds, channels, users, roles, admin bots.AllowList[string]
}

// newPolicy builds a policy from c.
func newPolicy(c Config) policy {
	return policy{
		dms:      c.DMs,
		guilds:   bots.NewAllowList(c.AllowedGuilds...),
		channels: bots.NewAllowList(c.AllowedChannels...),
		users:    bots.NewAllowList(c.AllowedUsers...),
		roles:    bots.NewAllowList(c.AllowedRoles...),
		admin:    bots.NewAllowList(c.Admins...),
	}
}

// isAdmin reports whether user is an admin.
func (p policy) isAdmin(user string) bool { return p.admin.Contains(user) }

// check decides whether p allows an event at pl.
func (p policy) check(pl place) verdict {
	if pl.guild == "" && !p.dms {
		return deniedDM
	}
	if p.isAdmin(pl.user) {
		return allowed
	}
	if pl.guild != "" && !p.guilds.Allows(pl.guild) {
		return denied
	}
	if pl.guild != "" && !p.channels.Allows(pl.channel) && !p.channels.Contains(pl.parent) {
		return denied
	}
	if p.users.Len() == 0 && p.roles.Len() == 0 || p.users.Contains(pl.user) {
		return allowed
	}
	if p.roles.Len() > 0 && p.roles.AllowsAny(pl.roles...) {
		return allowed
	}
	return denied
}

package discord

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

// set is a set of Discord ids.
type set map[string]struct{}

// newSet returns a set of ids.
func newSet(ids []string) set {
	s := make(set, len(ids))
	for _, id := range ids {
		s[id] = struct{}{}
	}
	return s
}

// has reports whether id is in s.
func (s set) has(id string) bool {
	_, ok := s[id]
	return ok
}

// policy applies the configured allow-lists. Empty lists allow everyone;
// admins pass every list; direct messages need dms. Users and roles
// combine: when either list is non-empty the user must be listed or hold a
// listed role (roles exist only in guilds). A thread passes the channel
// list when its parent channel is listed. policy is immutable.
type policy struct {
	dms                                   bool
	guilds, channels, users, roles, admin set
}

// newPolicy builds a policy from c.
func newPolicy(c Config) policy {
	return policy{
		dms:      c.DMs,
		guilds:   newSet(c.AllowedGuilds),
		channels: newSet(c.AllowedChannels),
		users:    newSet(c.AllowedUsers),
		roles:    newSet(c.AllowedRoles),
		admin:    newSet(c.Admins),
	}
}

// isAdmin reports whether user is an admin.
func (p policy) isAdmin(user string) bool { return p.admin.has(user) }

// check decides whether p allows an event at pl.
func (p policy) check(pl place) verdict {
	if pl.guild == "" && !p.dms {
		return deniedDM
	}
	if p.isAdmin(pl.user) {
		return allowed
	}
	if pl.guild != "" && len(p.guilds) > 0 && !p.guilds.has(pl.guild) {
		return denied
	}
	if pl.guild != "" && len(p.channels) > 0 && !p.channels.has(pl.channel) &&
		(pl.parent == "" || !p.channels.has(pl.parent)) {
		return denied
	}
	if len(p.users) == 0 && len(p.roles) == 0 || p.users.has(pl.user) {
		return allowed
	}
	for _, r := range pl.roles {
		if p.roles.has(r) {
			return allowed
		}
	}
	return denied
}

package discord

import "testing"

func TestPolicy(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		pl   place
		want verdict
	}{
		{"open guild", Config{}, place{guild: "g", channel: "c", user: "u"}, allowed},
		{"DM off", Config{}, place{channel: "d", user: "u"}, deniedDM},
		{"DM off even for admins", Config{Admins: []string{"u"}}, place{channel: "d", user: "u"}, deniedDM},
		{"DM on", Config{DMs: true}, place{channel: "d", user: "u"}, allowed},
		{"DM ignores guild and channel lists", Config{DMs: true, AllowedGuilds: []string{"g"}, AllowedChannels: []string{"c"}},
			place{channel: "d", user: "u"}, allowed},
		{"DM with user list", Config{DMs: true, AllowedUsers: []string{"v"}}, place{channel: "d", user: "u"}, denied},
		{"DM with role list only", Config{DMs: true, AllowedRoles: []string{"r"}}, place{channel: "d", user: "u"}, denied},
		{"guild listed", Config{AllowedGuilds: []string{"g"}}, place{guild: "g", channel: "c", user: "u"}, allowed},
		{"guild not listed", Config{AllowedGuilds: []string{"h"}}, place{guild: "g", channel: "c", user: "u"}, denied},
		{"thread of listed channel", Config{AllowedChannels: []string{"c"}}, place{guild: "g", channel: "t", parent: "c", user: "u"}, allowed},
		{"thread elsewhere", Config{AllowedChannels: []string{"c"}}, place{guild: "g", channel: "t", parent: "x", user: "u"}, denied},
		{"user listed", Config{AllowedUsers: []string{"u"}, AllowedRoles: []string{"r"}}, place{guild: "g", channel: "c", user: "u"}, allowed},
		{"role held", Config{AllowedUsers: []string{"v"}, AllowedRoles: []string{"r"}}, place{guild: "g", channel: "c", user: "u", roles: []string{"q", "r"}}, allowed},
		{"role not held", Config{AllowedRoles: []string{"r"}}, place{guild: "g", channel: "c", user: "u", roles: []string{"q"}}, denied},
		{"admin passes lists", Config{AllowedGuilds: []string{"h"}, AllowedUsers: []string{"v"}, Admins: []string{"u"}}, place{guild: "g", channel: "c", user: "u"}, allowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := newPolicy(tt.cfg).check(tt.pl); got != tt.want {
				t.Errorf("check = %d, want %d", got, tt.want)
			}
		})
	}
}

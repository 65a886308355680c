package discord

import "testing"

func TestInviteURL(t *testing.T) {
	want := "https://discord.com/oauth2/authorize?client_id=123&permissions=274877975552&scope=bot+applications.commands"
	if got := InviteURL("123"); got != want {
		t.Errorf("InviteURL() = %q, want %q", got, want)
	}
}

package discord

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

func TestQuote(t *testing.T) {
	long := strings.Repeat("é", maxQuoted+10)
	tests := []struct {
		name string
		m    *discordgo.Message
		want string
	}{
		{"none", nil, ""},
		{"no text", &discordgo.Message{Author: &discordgo.User{Username: "cat"}}, ""},
		{"lines quoted, named by display name", &discordgo.Message{Content: "a\nb",
			Author: &discordgo.User{Username: "cat", GlobalName: "Cat"}}, "Cat wrote:\n> a\n> b"},
		{"nickname first, mentions by name", &discordgo.Message{Content: "<@9> look",
			Author: &discordgo.User{Username: "cat"}, Member: &discordgo.Member{Nick: "Kitty"},
			Mentions: []*discordgo.User{{ID: "9", Username: "dog"}}}, "Kitty wrote:\n> @dog look"},
		{"long text cut", &discordgo.Message{Content: long, Author: &discordgo.User{Username: "cat"}},
			"cat wrote:\n> " + strings.Repeat("é", maxQuoted) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := quote(tt.m); got != tt.want {
				t.Errorf("quote = %q, want %q", got, tt.want)
			}
		})
	}
}

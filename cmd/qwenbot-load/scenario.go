package main

import (
	"flag"
	"fmt"
	"time"
)

// scenario is what the simulated users do: --scenario.
type scenario string

// The scenarios --scenario selects.
const (
	// scenarioMixed is the default load: private chats and groups, each
	// asking again a think time after its previous answer.
	scenarioMixed scenario = "mixed"
	// scenarioBurst is --users askers in one group who each address the
	// bot at the same moment, once; the run ends when every final is on
	// screen or the drain has passed.
	scenarioBurst scenario = "group-burst"
)

// defaultPerChat is the engine's default of most turns at once per chat,
// which --per-chat assumes unless told otherwise.
const defaultPerChat = 4

// Targets of the group-burst scenario, for the pace (300 answer
// tokens at 40 tokens/s after 800 ms, thinking off): the last full answer
// on screen burstFirstWave after its question when the bot runs every
// asker at once, and burstNextWave later for each further wave of
// --per-chat askers (10 s and 19 s at the default of 4 and 6 askers).
const (
	burstFirstWave = 10 * time.Second
	burstNextWave  = 9 * time.Second
)

// parseScenario parses a --scenario value.
func parseScenario(s string) (scenario, error) {
	switch sc := scenario(s); sc {
	case scenarioMixed, scenarioBurst:
		return sc, nil
	}
	return "", fmt.Errorf("unknown scenario %q (want mixed or group-burst)", s)
}

// String returns the scenario's flag value.
func (s scenario) String() string { return string(s) }

// setFlags returns the names of the flags given on the command line.
func setFlags(fs *flag.FlagSet) map[string]bool {
	set := make(map[string]bool)
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// applyScenario fills in the scenario's own defaults for flags not given:
// a group burst runs the case, with thinking off, and has no
// image conversation.
func (o *options) applyScenario(set map[string]bool) {
	if o.Scenario != scenarioBurst {
		return
	}
	if !set["think-tokens"] {
		o.ThinkTokens = 0
	}
	if !set["image-turns"] {
		o.ImageTurns = 0
	}
}

// burstLimit is the group-burst target for the last full answer: one wave
// of --per-chat askers after another.
func (o options) burstLimit() time.Duration {
	waves := (o.Users + o.PerChat - 1) / o.PerChat
	return burstFirstWave + time.Duration(waves-1)*burstNextWave
}

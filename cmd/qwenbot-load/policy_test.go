package main

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots"
)

// fakeSurface records the requests made to it.
type fakeSurface struct {
	limits bots.Limits

	mu    sync.Mutex
	calls []string
	next  int
}

var _ bots.Drafter = (*fakeSurface)(nil)

func (s *fakeSurface) Send(_ context.Context, m bots.Outgoing) (bots.MessageRef, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next++
	s.calls = append(s.calls, "send "+m.Text)
	return bots.MessageRef{ID: strconv.Itoa(s.next)}, nil
}

func (s *fakeSurface) Edit(_ context.Context, ref bots.MessageRef, m bots.Outgoing) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, "edit "+ref.ID+" "+m.Text)
	return nil
}

func (s *fakeSurface) Delete(context.Context, bots.MessageRef) error { return nil }
func (s *fakeSurface) Typing(context.Context) error                  { return nil }
func (s *fakeSurface) Limits() bots.Limits                           { return s.limits }
func (s *fakeSurface) Draft(context.Context, int64, bots.Outgoing) error {
	return nil
}

// recorded returns the calls so far.
func (s *fakeSurface) recorded() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.calls...)
}

// telegramLimits are the adapter's limits of a private chat or a group.
func telegramLimits(group bool) bots.Limits {
	l := bots.Limits{MaxLen: 4096, Format: bots.FormatHTML, EditInterval: time.Second, Drafts: !group}
	if group {
		l.EditInterval, l.WindowCap, l.Window = 3*time.Second, 18, time.Minute
	}
	return l
}

func TestPolicyLimits(t *testing.T) {
	tests := []struct {
		policy   policy
		group    bool
		interval time.Duration
		window   int
		drafts   bool
	}{
		{policyOurs, false, time.Second, 0, true},
		{policyOurs, true, 3 * time.Second, 18, false},
		{policyEveryN, false, 0, 0, false},
		{policyEveryN, true, 0, 0, false},
		{policyFixed, false, time.Second, 0, false},
		{policyFixed, true, time.Second, 0, false},
	}
	for _, tc := range tests {
		t.Run(string(tc.policy)+"/group="+strconv.FormatBool(tc.group), func(t *testing.T) {
			fs := &fakeSurface{limits: telegramLimits(tc.group)}
			s := tc.policy.wrap(fs)
			l := s.Limits()
			if l.EditInterval != tc.interval || l.WindowCap != tc.window || l.Drafts != tc.drafts {
				t.Errorf("limits = %+v", l)
			}
			if _, drafter := s.(bots.Drafter); tc.policy != policyOurs && drafter {
				t.Error("a peer policy's surface offers drafts")
			}
			if tc.policy == policyOurs && s != bots.Surface(fs) {
				t.Error("ours wraps the adapter's surface")
			}
		})
	}
}

func TestEveryNHoldsBackSmallEdits(t *testing.T) {
	tests := []struct {
		name  string
		group bool
		texts []string // successive states of one reply; the last is final
		want  []string
	}{
		{
			name:  "private: an edit once 15 characters arrived",
			texts: []string{"…", "abc", strings.Repeat("a", 16), strings.Repeat("a", 20), "done"},
			want:  []string{"send …", "edit 1 " + strings.Repeat("a", 16), "edit 1 done"},
		},
		{
			name:  "group: 90 characters once past 50",
			group: true,
			texts: []string{"…", strings.Repeat("b", 60), strings.Repeat("b", 91), "done"},
			want:  []string{"send …", "edit 1 " + strings.Repeat("b", 91), "edit 1 done"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := &fakeSurface{limits: telegramLimits(tc.group)}
			s := policyEveryN.wrap(fs)
			ctx := context.Background()
			ref, err := s.Send(ctx, bots.Outgoing{Text: tc.texts[0], StopButton: true})
			if err != nil {
				t.Fatal(err)
			}
			for i, text := range tc.texts[1:] {
				final := i == len(tc.texts)-2
				if err := s.Edit(ctx, ref, bots.Outgoing{Text: text, StopButton: !final}); err != nil {
					t.Fatal(err)
				}
			}
			if got := fs.recorded(); strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("calls = %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestStreamCutoff(t *testing.T) {
	tests := []struct {
		group bool
		n     int
		want  int
	}{
		{false, 10, 15}, {false, 51, 25}, {false, 201, 45}, {false, 1001, 90},
		{true, 10, 50}, {true, 51, 90}, {true, 201, 120}, {true, 1001, 180},
	}
	for _, tc := range tests {
		t.Run(strconv.FormatBool(tc.group)+"/"+strconv.Itoa(tc.n), func(t *testing.T) {
			if got := streamCutoff(tc.group, tc.n); got != tc.want {
				t.Errorf("streamCutoff = %d, want %d", got, tc.want)
			}
		})
	}
}

// recordingEngine records what the adapter hands the engine.
type recordingEngine struct {
	turns    []bots.Turn
	cmds     []bots.Command
	notified []bots.Surface
}

var _ engine = (*recordingEngine)(nil)

func (e *recordingEngine) Submit(_ context.Context, t bots.Turn) error {
	e.turns = append(e.turns, t)
	return nil
}

func (e *recordingEngine) Command(_ context.Context, c bots.Command) error {
	e.cmds = append(e.cmds, c)
	return nil
}

func (e *recordingEngine) Notify(_ context.Context, _, _ string, s bots.Surface, _ bots.MessageRef, _ string) {
	e.notified = append(e.notified, s)
}

func (e *recordingEngine) StopTurn(string, string, bots.Presser) (bool, error) { return true, nil }

func TestPolicyEngineWrapsSurfaces(t *testing.T) {
	rec := &recordingEngine{}
	pe := policyEngine{eng: rec, policy: policyFixed}
	s := &fakeSurface{limits: telegramLimits(true)}
	ctx := context.Background()
	if err := pe.Submit(ctx, bots.Turn{Chat: "tg:1", Surface: s}); err != nil {
		t.Fatal(err)
	}
	if err := pe.Command(ctx, bots.Command{Chat: "tg:1", Surface: s}); err != nil {
		t.Fatal(err)
	}
	if got := rec.turns[0].Surface.Limits().WindowCap; got != 0 {
		t.Errorf("turn surface keeps the group window %d", got)
	}
	if got := rec.cmds[0].Surface.Limits().EditInterval; got != time.Second {
		t.Errorf("command surface interval = %v", got)
	}
	pe.Notify(ctx, "tg:1", "", s, bots.MessageRef{}, "busy")
	if got := rec.notified[0].Limits().WindowCap; got != 0 {
		t.Errorf("notice surface keeps the group window %d", got)
	}
	if ok, err := pe.StopTurn("tg:1", "7", bots.Presser{}); !ok || err != nil {
		t.Error("StopTurn not passed through")
	}
}

func TestParsePolicy(t *testing.T) {
	for _, s := range []string{"ours", "every-n-chars", "fixed-1s"} {
		if p, err := parsePolicy(s); err != nil || p.String() != s {
			t.Errorf("parsePolicy(%q) = %q, %v", s, p, err)
		}
	}
	if _, err := parsePolicy("fast"); err == nil {
		t.Error("parsePolicy accepted an unknown policy")
	}
}

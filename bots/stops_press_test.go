package bots

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
)

// presserOf returns the asker of t as the presser of a Stop button.
func presserOf(t Turn) Presser {
	return Presser{User: t.User, Sender: t.Sender}
}

// stopped returns what StopTurn reported stopping, for tests that only
// check that.
func stopped(ok bool, _ error) bool { return ok }

// admin presses a button as a bot admin who asked nothing.
var admin = Presser{User: "tg:9", Sender: Sender{ID: "9", Admin: true}}

func TestStopButtonStopsOnlyForTheAskerOrAnAdmin(t *testing.T) {
	asker, classmate := groupTurn("tg:-1", 1, "a", nil), groupTurn("tg:-1", 2, "b", nil)
	tests := []struct {
		name    string
		by      Presser
		bare    bool // the old button that names no turn
		want    bool
		wantErr error
	}{
		{name: "the asker stops the answer", by: presserOf(asker), want: true},
		{name: "an admin stops the answer", by: admin, want: true},
		{name: "a classmate is refused", by: presserOf(classmate), wantErr: ErrNotAsker},
		{name: "a classmate is refused as a private-chat user of the same id", by: Presser{Sender: Sender{ID: "1"}}, wantErr: ErrNotAsker},
		{name: "the bare button: the asker stops their own answer", by: presserOf(asker), bare: true, want: true},
		{name: "the bare button: an admin stops every answer", by: admin, bare: true, want: true},
		{name: "the bare button: a classmate stops no one else's answer", by: presserOf(classmate), bare: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				m := newFakeModel()
				e := newTestEngine(t, Config{}, m, newEmbeddedStore(t))
				s := newRecSurface()
				turn := asker
				turn.Surface = s
				if err := e.Submit(t.Context(), turn); err != nil {
					t.Fatal(err)
				}
				st := m.Next(t)
				st.Steps <- step{ev: llmAnswer("partial answer")}
				id := stopIDOf(t, s)
				if tt.bare {
					id = ""
				}
				ok, err := e.StopTurn("tg:-1", id, tt.by)
				if ok != tt.want || !errors.Is(err, tt.wantErr) {
					t.Fatalf("StopTurn = %v, %v; want %v, %v", ok, err, tt.want, tt.wantErr)
				}
				if tt.want {
					s.WaitText(t, enCatalog().Stopped)
					e.Wait()
					return
				}
				synctest.Wait()
				st.Answer(" done") // the refused press left the answer streaming
				texts := s.WaitText(t, "partial answer done")
				if slices.ContainsFunc(texts, func(x string) bool { return strings.Contains(x, enCatalog().Stopped) }) {
					t.Errorf("replies %q: the answer was stopped", texts)
				}
				e.Wait()
			})
		})
	}
}

func TestPresserMayStop(t *testing.T) {
	asker := groupTurn("tg:-1", 1, "a", nil)
	id := "k3x9.1." + asker.asker()
	tests := []struct {
		name string
		by   Presser
		id   string
		want bool
	}{
		{"the asker", presserOf(asker), id, true},
		{"an admin", admin, id, true},
		{"a classmate", presserOf(groupTurn("tg:-1", 2, "b", nil)), id, false},
		{"anyone, the bare button", presserOf(groupTurn("tg:-1", 2, "b", nil)), "", true},
		{"anyone, not a turn id", presserOf(groupTurn("tg:-1", 2, "b", nil)), "bogus", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.by.MayStop("tg:-1", tt.id); got != tt.want {
				t.Errorf("MayStop(%q) = %v, want %v", tt.id, got, tt.want)
			}
		})
	}
}

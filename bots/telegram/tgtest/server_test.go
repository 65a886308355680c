package tgtest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"testing"
)

// post calls a method with form parameters and decodes the answer.
func post(t *testing.T, s *Server, token, method string, params url.Values) (int, map[string]json.RawMessage) {
	t.Helper()
	resp, err := s.Client().PostForm(s.URL+"/bot"+token+"/"+method, params)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, out
}

func TestGetUpdatesLongPoll(t *testing.T) {
	s := NewServer(t)
	got := make(chan int, 1)
	go func() {
		resp, err := s.Client().PostForm(s.URL+"/bot"+s.Token+"/getUpdates", url.Values{"timeout": {"20"}})
		if err != nil {
			got <- -1
			return
		}
		defer resp.Body.Close()
		var out struct{ Result []json.RawMessage }
		_ = json.NewDecoder(resp.Body).Decode(&out)
		got <- len(out.Result)
	}()
	s.WaitCall(t, "getUpdates", nil) // the poll is waiting
	id := s.Push(Message{Chat: PrivateChat(User{ID: 1}), From: User{ID: 1, FirstName: "A"}, Text: "hi"})
	if n := <-got; n != 1 {
		t.Fatalf("long poll returned %d updates, want 1", n)
	}
	if s.Pending() != 1 {
		t.Fatal("update confirmed without an offset")
	}
	_, out := post(t, s, s.Token, "getUpdates", url.Values{"offset": {strconv.Itoa(id + 1)}, "timeout": {"0"}})
	if string(out["result"]) != "[]" || s.Pending() != 0 {
		t.Errorf("after offset %d: result %s, %d pending", id+1, out["result"], s.Pending())
	}
}

func TestErrorsAndScripts(t *testing.T) {
	s := NewServer(t)
	code, out := post(t, s, "bad", "getMe", nil)
	if code != http.StatusUnauthorized || string(out["ok"]) != "false" {
		t.Errorf("bad token: %d %v", code, out)
	}
	s.FailNext("sendMessage", TooManyRequests(7))
	code, out = post(t, s, s.Token, "sendMessage", url.Values{"chat_id": {"1"}, "text": {"x"}})
	if code != 429 || string(out["parameters"]) != `{"retry_after":7}` || string(out["description"]) != `"Too Many Requests: retry after 7"` {
		t.Errorf("scripted 429: %d %s %s", code, out["parameters"], out["description"])
	}
	code, _ = post(t, s, s.Token, "sendMessage", url.Values{"chat_id": {"1"}, "text": {"x"}})
	if code != http.StatusOK {
		t.Errorf("after the scripted failure: %d", code)
	}
	if calls := s.Calls("sendMessage"); len(calls) != 2 || calls[1].Params["text"] != "x" {
		t.Errorf("calls = %+v", calls)
	}
}

func TestParseHTML(t *testing.T) {
	tests := []struct {
		in, plain, err string
	}{
		{"<b>a</b> &amp; <i>b</i>", "a & b", ""},
		{`<a href="x">l</a>`, "l", ""},
		{"<foo>x</foo>", "", `Unsupported start tag "foo" at byte offset 0`},
		{"<b>x", "", `Can't find end tag corresponding to start tag "b"`},
		{"<b>x</i>", "", `Unmatched end tag at byte offset 4, expected "</b>", found "</i>"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			plain, err := parseHTML(tt.in)
			if plain != tt.plain || err != tt.err {
				t.Errorf("parseHTML = %q, %q; want %q, %q", plain, err, tt.plain, tt.err)
			}
		})
	}
}

func TestDetectEntities(t *testing.T) {
	tests := []struct {
		text string
		want []Entity
	}{
		{"/ask@qwen_bot why", []Entity{{Type: "bot_command", Offset: 0, Length: 13}}},
		{"hi @someone and @abc", []Entity{{Type: "mention", Offset: 3, Length: 8}}},
		{"😀 @qwen_bot", []Entity{{Type: "mention", Offset: 3, Length: 9}}},
		{"a/b mail@example.com", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := DetectEntities(tt.text); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("DetectEntities = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestFileDownload(t *testing.T) {
	s := NewServer(t)
	s.AddFile("f1", []byte("bytes"))
	_, out := post(t, s, s.Token, "getFile", url.Values{"file_id": {"f1"}})
	var f struct {
		Path string `json:"file_path"`
		Size int    `json:"file_size"`
	}
	if err := json.Unmarshal(out["result"], &f); err != nil || f.Size != 5 {
		t.Fatalf("getFile = %s", out["result"])
	}
	resp, err := s.Client().Get(s.URL + "/file/bot" + s.Token + "/" + f.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || string(b) != "bytes" {
		t.Errorf("download = %q, %v", b, err)
	}
}

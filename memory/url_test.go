package memory

import (
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func TestParseURL(t *testing.T) {
	type timeouts struct{ dial, read, write time.Duration }
	defaults := timeouts{DefaultDialTimeout, DefaultReadTimeout, DefaultWriteTimeout}
	for _, tc := range []struct {
		name, url, kind string
		want            timeouts
	}{
		{"single", "redis://127.0.0.1:6379/2", "single", defaults},
		{"tls", "rediss://user:pw@cache.example:6380", "single", defaults},
		{"unix", "unix:///run/redis.sock?db=1", "single", defaults},
		{"url timeouts kept", "redis://h:1?dial_timeout=1s&read_timeout=500ms&write_timeout=4s", "single",
			timeouts{time.Second, 500 * time.Millisecond, 4 * time.Second}},
		{"cluster scheme", "redis+cluster://h1:7000", "cluster", defaults},
		{"cluster addrs", "redis://h1:7000?addr=h2:7000&addr=h3:7000", "cluster", defaults},
		{"sentinel", "redis://s1:26379?master_name=mymaster&addr=s2:26379", "sentinel", defaults},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseURL(tc.url)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			var got timeouts
			var ctxTimeout bool
			switch cl := c.(type) {
			case *redis.ClusterClient:
				o := cl.Options()
				got, ctxTimeout = timeouts{o.DialTimeout, o.ReadTimeout, o.WriteTimeout}, o.ContextTimeoutEnabled
				if tc.kind != "cluster" {
					t.Fatalf("got a cluster client, want %s", tc.kind)
				}
			case *redis.Client:
				o := cl.Options()
				got, ctxTimeout = timeouts{o.DialTimeout, o.ReadTimeout, o.WriteTimeout}, o.ContextTimeoutEnabled
				if tc.kind == "cluster" {
					t.Fatalf("got %T, want a cluster client", c)
				}
			default:
				t.Fatalf("unexpected client %T", c)
			}
			if got != tc.want || !ctxTimeout {
				t.Errorf("timeouts %+v (context %v), want %+v with context deadlines", got, ctxTimeout, tc.want)
			}
		})
	}
}

func TestParseURLErrors(t *testing.T) {
	for _, tc := range []struct{ name, url string }{
		{"bad scheme", "http://h:1"},
		{"bad port", "redis://user:hunter2@h:port"},
		{"bad db", "redis://user:hunter2@h:1/x"},
		{"unknown option", "redis://user:hunter2@h:1?frobnicate=1"},
		{"bad cluster option", "redis+cluster://user:hunter2@h:1?frobnicate=1"},
		{"bad sentinel option", "redis://user:hunter2@h:1?master_name=m&frobnicate=1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseURL(tc.url)
			if err == nil {
				c.Close()
				t.Fatal("no error")
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error %q leaks the password", err)
			}
		})
	}
}

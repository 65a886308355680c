package main

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func readme(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

func TestREADMENamesEveryConfigKey(t *testing.T) {
	rows := map[string]string{} // section → its row of the reference table
	for _, line := range strings.Split(readme(t), "\n") {
		if m := regexp.MustCompile("^\\| `\\[(\\w+)\\]` \\|").FindStringSubmatch(line); m != nil {
			rows[m[1]] = line
		}
	}
	cfg := DefaultConfig()
	walkKeys(reflect.ValueOf(&cfg).Elem(), "", func(key string, _ reflect.Value) {
		section, name, _ := strings.Cut(key, ".")
		if !strings.Contains(rows[section], "`"+name+"`") {
			t.Errorf("README's configuration reference does not name %s", key)
		}
	})
}

func TestREADMENamesEverySecretAndMetric(t *testing.T) {
	text := readme(t)
	for _, v := range append(secretVars, "REDIS_URL") {
		if !strings.Contains(text, "| `"+v+"` |") {
			t.Errorf("README's variable table lacks %s", v)
		}
	}
	descs := make(chan *prometheus.Desc, 100)
	m := newMetrics(prometheus.NewRegistry())
	for _, c := range []prometheus.Collector{m.turnsStarted, m.turnsFinished, m.turnsRejected, m.firstToken, m.firstVisible,
		m.turnSeconds, m.edits, m.rateLimited, m.queueDepth, m.inFlight, m.tokens, m.imageBytes, m.redisErrors, m.buildInfo} {
		c.Describe(descs)
	}
	close(descs)
	name := regexp.MustCompile(`fqName: "([^"]+)"`)
	for d := range descs {
		n := name.FindStringSubmatch(d.String())
		if n == nil {
			t.Fatalf("cannot read the name of %v", d)
		}
		if !strings.Contains(text, "| `"+n[1]+"` |") {
			t.Errorf("README's metrics table lacks %s", n[1])
		}
	}
}

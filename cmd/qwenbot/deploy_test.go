package main

import (
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// compose is the part of docker-compose.yml the deployment relies on.
type compose struct {
	Services map[string]composeService `yaml:"services"`
	Volumes  map[string]any            `yaml:"volumes"`
}

type composeService struct {
	Image       string            `yaml:"image"`
	Build       any               `yaml:"build"`
	Command     []string          `yaml:"command"`
	Volumes     []string          `yaml:"volumes"`
	Environment map[string]string `yaml:"environment"`
	Ports       []string          `yaml:"ports"`
	EnvFile     []struct {
		Path     string `yaml:"path"`
		Required *bool  `yaml:"required"`
	} `yaml:"env_file"`
	DependsOn map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
	Healthcheck struct {
		Test []string `yaml:"test"`
	} `yaml:"healthcheck"`
	StopGracePeriod string `yaml:"stop_grace_period"`
	MemLimit        string `yaml:"mem_limit"`
}

// secretVars are the variables that must come from the operator's
// environment, never from the compose file.
var secretVars = []string{"DASHSCOPE_API_KEY", "TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "DISCORD_BOT_TOKEN", "DISCORD_PUBLIC_KEY"}

// interpolation is a whole value taken from the same-named variable:
// ${NAME}, ${NAME:-default} or ${NAME:?message}.
var interpolation = regexp.MustCompile(`^\$\{([A-Z_][A-Z0-9_]*)(?::?[-?][^}]*)?\}$`)

// interpolationAnywhere is a well-formed interpolation within a line.
var interpolationAnywhere = regexp.MustCompile(`\$\{[A-Z_][A-Z0-9_]*(?::?[-?][^}]*)?\}`)

func loadCompose(t *testing.T) compose {
	t.Helper()
	raw, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var c compose
	if err := yaml.Unmarshal(raw, &c); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		if n := strings.Count(line, "${"); n != len(interpolationAnywhere.FindAllString(line, -1)) {
			t.Errorf("malformed interpolation in %q", line)
		}
	}
	return c
}

func TestComposeRedis(t *testing.T) {
	redis, ok := loadCompose(t).Services["redis"]
	if !ok {
		t.Fatal("no redis service")
	}
	cmd := strings.Join(redis.Command, " ")
	tests := []struct {
		name string
		ok   bool
	}{
		{"redis image", strings.HasPrefix(redis.Image, "redis:")},
		{"append-only persistence", strings.Contains(cmd, "--appendonly yes")},
		{"data on a volume", slices.ContainsFunc(redis.Volumes, func(v string) bool { return strings.HasSuffix(v, ":/data") })},
		{"healthcheck pings", slices.Contains(redis.Healthcheck.Test, "redis-cli") && slices.Contains(redis.Healthcheck.Test, "ping")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.ok {
				t.Errorf("redis service: %+v", redis)
			}
		})
	}
}

func TestComposeBot(t *testing.T) {
	c := loadCompose(t)
	bot, ok := c.Services["qwenbot"]
	if !ok {
		t.Fatal("no qwenbot service")
	}
	if bot.DependsOn["redis"].Condition != "service_healthy" {
		t.Errorf("qwenbot depends_on %+v, want redis: service_healthy", bot.DependsOn)
	}
	if bot.Build == nil {
		t.Error("qwenbot is not built from the Dockerfile")
	}
	for _, v := range redisVolumes(c) {
		if _, ok := c.Volumes[v]; !ok {
			t.Errorf("volume %s is not declared", v)
		}
	}
	if got := bot.Environment["REDIS_URL"]; got != "redis://redis:6379/0" {
		t.Errorf("REDIS_URL = %q, want the redis service", got)
	}
	for _, name := range secretVars {
		if m := interpolation.FindStringSubmatch(bot.Environment[name]); m == nil || m[1] != name {
			t.Errorf("%s = %q, want it interpolated from ${%s}", name, bot.Environment[name], name)
		}
		if strings.Contains(bot.Environment[name], ":?") {
			t.Errorf("%s = %q refuses an empty value", name, bot.Environment[name])
		}
	}
	known := configEnvNames()
	for name, v := range bot.Environment {
		if !strings.HasPrefix(name, envPrefix) {
			continue
		}
		if !known[name] {
			t.Errorf("%s names no config key", name)
		}
		if m := interpolation.FindStringSubmatch(v); m == nil || m[1] != name {
			t.Errorf("%s = %q, want it interpolated from ${%s} so .env can override it", name, v, name)
		}
	}
	if !slices.Contains(bot.Healthcheck.Test, "health") {
		t.Errorf("healthcheck %v does not run qwenbot health", bot.Healthcheck.Test)
	}
	grace, err := time.ParseDuration(bot.StopGracePeriod)
	if drain := DefaultConfig().Chat.DrainTimeout; err != nil || grace <= drain {
		t.Errorf("stop_grace_period %q (%v), want longer than chat.drain_timeout %v", bot.StopGracePeriod, err, drain)
	}
	checkMemoryLimits(t, bot)
	if !slices.ContainsFunc(bot.Ports, func(p string) bool { return strings.HasSuffix(p, ":8080") }) {
		t.Errorf("ports %v do not publish http.listen :8080", bot.Ports)
	}
}

// checkMemoryLimits checks that the bot's container has a memory limit,
// with Go's soft limit under it and room under that for decoding images.
func checkMemoryLimits(t *testing.T, bot composeService) {
	t.Helper()
	hard, err := memBytes(bot.MemLimit, "m", 1<<20)
	if err != nil {
		t.Fatalf("mem_limit %q: %v", bot.MemLimit, err)
	}
	soft, err := memBytes(bot.Environment["GOMEMLIMIT"], "MiB", 1<<20)
	if err != nil {
		t.Fatalf("GOMEMLIMIT %q: %v", bot.Environment["GOMEMLIMIT"], err)
	}
	decode := DefaultConfig().Chat.DecodeMemory
	if !(decode+64<<20 <= soft && soft < hard) {
		t.Errorf("chat.decode_memory %d MiB, GOMEMLIMIT %d MiB, mem_limit %d MiB: want each under the next, with 64 MiB to spare for the rest",
			decode>>20, soft>>20, hard>>20)
	}
	// ffmpeg reads clips outside Go's heap: up to video.parallel at once,
	// about 77 MiB each for a 1080p clip (BenchmarkFrames60s).
	const perFFmpeg = 80 << 20
	if ffmpeg := int64(DefaultConfig().Video.Parallel) * perFFmpeg; soft+ffmpeg > hard {
		t.Errorf("GOMEMLIMIT %d MiB + %d ffmpeg processes × 80 MiB > mem_limit %d MiB", soft>>20, DefaultConfig().Video.Parallel, hard>>20)
	}
}

// memBytes parses a size such as "512m" or "448MiB" with the given unit.
func memBytes(s, unit string, size int64) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSuffix(s, unit), 10, 64)
	if err != nil || !strings.HasSuffix(s, unit) || n <= 0 {
		return 0, fmt.Errorf("want a positive number of %s", unit)
	}
	return n * size, nil
}

// redisVolumes returns the named volumes the redis service mounts.
func redisVolumes(c compose) []string {
	var names []string
	for _, v := range c.Services["redis"].Volumes {
		if src, _, ok := strings.Cut(v, ":"); ok && !strings.HasPrefix(src, ".") && !strings.HasPrefix(src, "/") {
			names = append(names, src)
		}
	}
	return names
}

// configEnvNames returns every QWENBOT_* variable that sets a config key.
func configEnvNames() map[string]bool {
	names := map[string]bool{}
	cfg := DefaultConfig()
	walkKeys(reflect.ValueOf(&cfg).Elem(), "", func(key string, _ reflect.Value) { names[envName(key)] = true })
	return names
}

// dockerStage is one FROM stage of the Dockerfile: its FROM line and the
// instructions after it, without continuation lines joined.
type dockerStage struct {
	from  string
	lines []string
}

func loadDockerfile(t *testing.T) []dockerStage {
	t.Helper()
	raw, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(raw), "\\\n", " ")
	var stages []dockerStage
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "FROM "):
			stages = append(stages, dockerStage{from: line})
		case len(stages) > 0:
			stages[len(stages)-1].lines = append(stages[len(stages)-1].lines, line)
		}
	}
	return stages
}

func TestDockerfile(t *testing.T) {
	stages := loadDockerfile(t)
	if len(stages) < 2 {
		t.Fatalf("%d stages, want a build stage and a final stage", len(stages))
	}
	build, final := stages[0], stages[len(stages)-1]
	has := func(s dockerStage, prefix string, parts ...string) bool {
		return slices.ContainsFunc(s.lines, func(l string) bool {
			if !strings.HasPrefix(l, prefix) {
				return false
			}
			for _, p := range parts {
				if !strings.Contains(l, p) {
					return false
				}
			}
			return true
		})
	}
	user := ""
	for _, l := range final.lines {
		if u, ok := strings.CutPrefix(l, "USER "); ok {
			user, _, _ = strings.Cut(strings.TrimSpace(u), ":")
		}
	}
	tests := []struct {
		name string
		ok   bool
	}{
		{"named build stage", strings.HasSuffix(build.from, " AS build")},
		{"static build", has(build, "RUN ", "CGO_ENABLED=0", "go build", "./cmd/qwenbot")},
		{"binary from the build stage", has(final, "COPY --from=build ")},
		{"config.toml copied", has(final, "COPY config.toml ")},
		{"serves with the copied config", has(final, "CMD ", "serve", "--config", "/etc/qwenbot/config.toml") && has(final, "COPY config.toml /etc/qwenbot/config.toml")},
		{"non-root user", user != "" && user != "root" && user != "0"},
		{"stops with SIGTERM", !has(final, "STOPSIGNAL ") || has(final, "STOPSIGNAL SIGTERM")},
		{"health check without a shell", has(final, "HEALTHCHECK ", `"health"`)},
		{"stamped with version and commit", has(build, "RUN ", "-X main.version=${VERSION}", "-X main.commit=${COMMIT}", "-X main.date=${BUILD_DATE}")},
		{"module cache mounted", has(build, "RUN --mount=type=cache,target=/go/pkg/mod", "go mod download")},
		{"build cache mounted", has(build, "RUN ", "--mount=type=cache,target=/root/.cache/go-build", "go build")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.ok {
				t.Errorf("Dockerfile stages: %+v", stages)
			}
		})
	}
}

func TestDockerignore(t *testing.T) {
	raw, err := os.ReadFile("../../.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(raw), "\n")
	for _, want := range []string{".git", ".env"} {
		if !slices.Contains(lines, want) {
			t.Errorf(".dockerignore does not exclude %s", want)
		}
	}
}

// TestDockerfileBasesArePinnedByDigest keeps every base image pinned by tag
// and digest, so a rebuild gets the same bytes.
func TestDockerfileBasesArePinnedByDigest(t *testing.T) {
	pinned := regexp.MustCompile(`^FROM \S+:\S+@sha256:[0-9a-f]{64}( AS \w+)?$`)
	for _, st := range loadDockerfile(t) {
		if !pinned.MatchString(st.from) {
			t.Errorf("%q: want FROM image:tag@sha256:<digest>", st.from)
		}
	}
}

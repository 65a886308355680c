package main

import (
	"context"
	"os"
	"strings"
	"syscall"
	"testing"
)

func TestUntilSignalled(t *testing.T) {
	tests := []struct {
		name     string
		signals  int
		wantCode int
	}{
		{name: "fn ends by itself", signals: 0, wantCode: 7},
		{name: "first signal cancels and waits for fn", signals: 1, wantCode: 7},
		{name: "second signal returns at once", signals: 2, wantCode: exitError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sigs := make(chan os.Signal, 2)
			cancelled, release, finished := make(chan struct{}), make(chan struct{}), make(chan struct{})
			fn := func(ctx context.Context) int {
				defer close(finished)
				if tt.signals > 0 {
					<-ctx.Done()
					close(cancelled)
				}
				<-release // draining: only the test ends it
				return 7
			}
			var stderr syncBuffer
			got := make(chan int, 1)
			go func() { got <- untilSignalled(context.Background(), sigs, &stderr, fn) }()
			for range tt.signals {
				sigs <- syscall.SIGTERM
			}
			if tt.signals > 0 {
				recv(t, cancelled, "the first signal to cancel fn")
			}
			if tt.signals < 2 {
				select {
				case code := <-got:
					t.Fatalf("returned %d while fn was still running", code)
				default:
				}
			}
			if tt.signals < 2 {
				close(release)
			}
			if code := recv(t, got, "untilSignalled to return"); code != tt.wantCode {
				t.Errorf("code = %d, want %d", code, tt.wantCode)
			}
			if tt.signals == 2 {
				if !strings.Contains(stderr.String(), "second") {
					t.Errorf("stderr = %q, want a note about the second signal", stderr.String())
				}
				close(release) // fn was still draining when untilSignalled returned
			}
			recv(t, finished, "fn to end")
		})
	}
}

func TestRunWithoutPlatformIsAUsageError(t *testing.T) {
	code, _, stderr := runMain(t, map[string]string{"DASHSCOPE_API_KEY": "sk-test"}, "serve")
	if code != exitUsage || !strings.Contains(stderr, "TELEGRAM_BOT_TOKEN") {
		t.Errorf("exit %d, stderr %q; want a usage error naming the tokens", code, stderr)
	}
}

package memorytest

import (
	"bufio"
	"context"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Server is a redis-server of the test's own, on a free loopback port,
// which the test may kill, start again, freeze and thaw to play Redis
// faults. It keeps its data in an append-only file fsynced on every
// write, so a killed server starts again with what it had. It is stopped
// when the test ends. Its methods are for the test's goroutine.
type Server struct {
	tb   testing.TB
	dir  string
	port int
	cmd  *exec.Cmd
	// Addr is the server's host:port.
	Addr string
}

// readyTimeout bounds waiting for redis-server to accept connections.
const readyTimeout = 10 * time.Second

// StartServer starts a redis-server for tb; it skips the test under -short
// or when redis-server is not installed.
func StartServer(tb testing.TB) *Server {
	tb.Helper()
	if testing.Short() {
		tb.Skip("starts redis-server; skipped under -short")
	}
	if _, err := exec.LookPath("redis-server"); err != nil {
		tb.Skip("redis-server is not installed")
	}
	s := &Server{tb: tb, dir: tb.TempDir(), port: freePort(tb)}
	s.Addr = "127.0.0.1:" + strconv.Itoa(s.port)
	tb.Cleanup(s.stop)
	s.Start()
	return s
}

// freePort returns a loopback port nothing listens on now.
func freePort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("find a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Start starts the server (again, after Kill) and returns once it accepts
// connections.
func (s *Server) Start() {
	s.tb.Helper()
	cmd := exec.Command("redis-server", "--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
		"--dir", s.dir, "--save", "", "--appendonly", "yes", "--appendfsync", "always",
		"--protected-mode", "no", "--loglevel", "notice")
	out, err := cmd.StdoutPipe()
	if err != nil {
		s.tb.Fatalf("redis-server: %v", err)
	}
	if err := cmd.Start(); err != nil {
		s.tb.Fatalf("start redis-server: %v", err)
	}
	s.cmd = cmd
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "Ready to accept connections") {
				close(ready)
				break
			}
		}
		for sc.Scan() { // drain, so the server never blocks on its log
		}
	}()
	select {
	case <-ready:
	case <-time.After(readyTimeout):
		s.tb.Fatalf("redis-server on %s not ready after %v", s.Addr, readyTimeout)
	}
}

// Kill kills the server with SIGKILL and waits for it to exit.
func (s *Server) Kill() {
	s.tb.Helper()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}

// Freeze stops the server with SIGSTOP: connections stay open, and nothing
// is answered until Thaw.
func (s *Server) Freeze() { s.signal(syscall.SIGSTOP) }

// Thaw resumes a frozen server with SIGCONT.
func (s *Server) Thaw() { s.signal(syscall.SIGCONT) }

func (s *Server) signal(sig syscall.Signal) {
	s.tb.Helper()
	if s.cmd == nil {
		s.tb.Fatal("redis-server is not running")
	}
	if err := s.cmd.Process.Signal(sig); err != nil {
		s.tb.Fatalf("signal redis-server: %v", err)
	}
}

// stop thaws and kills the server.
func (s *Server) stop() {
	if s.cmd != nil {
		_ = s.cmd.Process.Signal(syscall.SIGCONT)
	}
	s.Kill()
}

// Client returns a client of the server with short timeouts and no
// retries, so faults show at once; it is closed when the test ends.
func (s *Server) Client() *redis.Client {
	rdb := redis.NewClient(&redis.Options{
		Addr: s.Addr, DialTimeout: 200 * time.Millisecond, ReadTimeout: 300 * time.Millisecond,
		WriteTimeout: 300 * time.Millisecond, MaxRetries: -1,
	})
	s.tb.Cleanup(func() { _ = rdb.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		s.tb.Fatalf("ping redis-server: %v", err)
	}
	return rdb
}

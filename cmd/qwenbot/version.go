package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// Set at link time, e.g. by the Dockerfile:
//
//	go build -ldflags "-X main.version=v1.2.0 -X main.commit=abc1234 -X main.date=2026-01-02T03:04:05Z"
//
// Each one overrides what the Go toolchain recorded in the binary's build
// info. They are written only by the linker and read only by buildInfo.
var (
	version string
	commit  string
	date    string
)

// build describes the running binary.
type build struct {
	Version, Commit, Date, GoVersion string
}

// buildInfo returns the binary's version, commit and build date: the
// -ldflags -X values when set, else the module version and the VCS stamp
// that "go build" records ("devel", "unknown" when neither says).
func buildInfo() build {
	bi, _ := debug.ReadBuildInfo()
	return buildFrom(bi, version, commit, date)
}

// buildFrom is buildInfo from the toolchain's record (nil when absent) and
// the linker's values.
func buildFrom(bi *debug.BuildInfo, version, commit, date string) build {
	b := build{Version: "devel", Commit: "unknown", Date: "unknown", GoVersion: runtime.Version()}
	if bi != nil {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			b.Version = v
		}
		modified := false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				b.Commit = s.Value
			case "vcs.time":
				b.Date = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if modified && b.Commit != "unknown" {
			b.Commit += "-dirty"
		}
	}
	for _, o := range []struct {
		dst *string
		src string
	}{{&b.Version, version}, {&b.Commit, commit}, {&b.Date, date}} {
		if s := strings.TrimSpace(o.src); s != "" {
			*o.dst = s
		}
	}
	return b
}

// String is the one-line form "qwenbot VERSION (commit C, built D, GO)".
func (b build) String() string {
	return fmt.Sprintf("qwenbot %s (commit %s, built %s, %s)", b.Version, b.Commit, b.Date, b.GoVersion)
}

// logAttrs are the attributes the start log carries.
func (b build) logAttrs() []any {
	return []any{"version", b.Version, "commit", b.Commit, "build_date", b.Date}
}

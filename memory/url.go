package memory

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Timeouts ParseURL applies unless the URL sets them, so an unavailable
// Redis fails a call in seconds instead of hanging.
const (
	DefaultDialTimeout  = 2 * time.Second
	DefaultReadTimeout  = 3 * time.Second
	DefaultWriteTimeout = 3 * time.Second
)

// ParseURL builds a Redis client from a URL:
//
//	redis://[user:pass@]host:port[/db]            single node ("rediss://" for TLS)
//	unix://[user:pass@]/path/redis.sock?db=N      single node over a Unix socket
//	redis+cluster://host:port?addr=host2:port2    Cluster (seed nodes); also any
//	                                              redis:// URL with addr= params
//	redis://host:port?master_name=M&addr=h2:p2    Sentinel (sentinel addresses)
//
// Query parameters set go-redis options as redis.ParseURL documents
// (dial_timeout=1s, read_timeout=..., max_retries=...). Dial, read and write
// timeouts default to 2s, 3s and 3s, and context deadlines are honoured. The
// caller owns the client and closes it. Errors never echo the URL, which
// may hold a password.
func ParseURL(rawURL string) (redis.UniversalClient, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return nil, fmt.Errorf("parse redis url: %w", err)
	}
	q := u.Query()
	switch {
	case q.Has("master_name"):
		return parseFailover(rawURL)
	case strings.HasSuffix(u.Scheme, "+cluster"):
		u.Scheme = strings.TrimSuffix(u.Scheme, "+cluster")
		return parseCluster(u.String())
	case q.Has("addr"):
		return parseCluster(rawURL)
	}
	opt, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("parse redis url: %w", err)
	}
	applyTimeouts(&opt.DialTimeout, &opt.ReadTimeout, &opt.WriteTimeout, &opt.DialerRetries)
	opt.ContextTimeoutEnabled = true
	return redis.NewClient(opt), nil
}

func parseCluster(rawURL string) (redis.UniversalClient, error) {
	opt, err := redis.ParseClusterURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("parse redis cluster url: %w", err)
	}
	applyTimeouts(&opt.DialTimeout, &opt.ReadTimeout, &opt.WriteTimeout, &opt.DialerRetries)
	opt.ContextTimeoutEnabled = true
	return redis.NewClusterClient(opt), nil
}

func parseFailover(rawURL string) (redis.UniversalClient, error) {
	opt, err := redis.ParseFailoverURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("parse redis sentinel url: %w", err)
	}
	applyTimeouts(&opt.DialTimeout, &opt.ReadTimeout, &opt.WriteTimeout, &opt.DialerRetries)
	opt.ContextTimeoutEnabled = true
	return redis.NewFailoverClient(opt), nil
}

// applyTimeouts fills the timeouts the URL left unset (zero), and dials
// once per attempt (go-redis retries commands anyway) unless the URL sets
// dialer_retries.
func applyTimeouts(dial, read, write *time.Duration, dialerRetries *int) {
	for _, d := range []struct {
		v   *time.Duration
		def time.Duration
	}{{dial, DefaultDialTimeout}, {read, DefaultReadTimeout}, {write, DefaultWriteTimeout}} {
		if *d.v == 0 {
			*d.v = d.def
		}
	}
	if *dialerRetries == 0 {
		*dialerRetries = 1
	}
}

package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"syscall"
)

// loopbackTransport is http.DefaultTransport (what cmd/qwenbot uses,
// through http.DefaultClient) without a proxy and refusing to dial
// anything but loopback, so no request of a load run leaves the machine.
func loopbackTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil
	d := &net.Dialer{Control: loopbackOnly}
	t.DialContext = d.DialContext
	return t
}

// loopbackOnly refuses connections to addresses other than loopback.
func loopbackOnly(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("dial %s: %w", address, err)
	}
	if !ap.Addr().IsLoopback() {
		return fmt.Errorf("dial %s: the load harness only talks to loopback", address)
	}
	return nil
}

// streamGauge counts model responses being read, and their peak.
type streamGauge struct {
	n, peak atomic.Int64
}

// add changes the count by d.
func (g *streamGauge) add(d int64) {
	n := g.n.Add(d)
	for {
		p := g.peak.Load()
		if n <= p || g.peak.CompareAndSwap(p, n) {
			return
		}
	}
}

// countingTransport counts the responses whose bodies are open: the model
// streams in flight.
type countingTransport struct {
	base  http.RoundTripper
	gauge *streamGauge
}

// RoundTrip implements http.RoundTripper.
func (t countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	t.gauge.add(1)
	resp.Body = &countedBody{ReadCloser: resp.Body, done: func() { t.gauge.add(-1) }}
	return resp, nil
}

// countedBody calls done once when closed.
type countedBody struct {
	io.ReadCloser
	once sync.Once
	done func()
}

// Close closes the body and calls done.
func (b *countedBody) Close() error {
	b.once.Do(b.done)
	return b.ReadCloser.Close()
}

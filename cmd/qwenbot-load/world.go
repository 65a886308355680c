package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// worldArg is the hidden first argument that makes the binary run the
// world: the fakes and the simulated users, in a process of their own so
// the bot's CPU and memory are measured alone.
const worldArg = "__qwenbot_load_world"

// The world's bots.
const (
	mainToken  = "1000001:qwenbot-load-main"
	imageToken = "1000002:qwenbot-load-image"
)

// worldHello is the world's first message: where its fakes listen.
type worldHello struct {
	TG         string `json:"tg"`
	LLM        string `json:"llm"`
	Token      string `json:"token"`
	ImageToken string `json:"image_token"`
}

// Phases of a run, which the bot side starts one after the other.
const (
	// phaseLoad is the main load: every chat of the main bot.
	phaseLoad = "load"
	// phaseImage is the long image conversation, run after the load so it
	// does not blur the load's memory and CPU figures.
	phaseImage = "image"
)

// worldStart asks the world to run a phase; the world answers with a
// worldDone carrying that phase's result.
type worldStart struct {
	Phase string `json:"phase"`
}

// worldDone carries the world's measurements of a phase.
type worldDone struct {
	Load  *worldResult `json:"load,omitempty"`
	Image *imageResult `json:"image,omitempty"`
}

// runWorld is the world's side of the protocol: it reads the options from
// in, starts the fakes on loopback and writes a worldHello to out, then
// runs each phase the bot side asks for and writes its worldDone. It keeps
// the fakes up until in is closed (the bot side has stopped its bots).
func runWorld(ctx context.Context, in io.Reader, out io.Writer) error {
	dec, enc := json.NewDecoder(in), json.NewEncoder(out)
	var o options
	if err := dec.Decode(&o); err != nil {
		return fmt.Errorf("read options: %w", err)
	}
	w := newWorld(o, time.Now)
	srv, hello, err := w.serve()
	if err != nil {
		return err
	}
	defer srv.close()
	if err := enc.Encode(hello); err != nil {
		return fmt.Errorf("write hello: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for st := range readStarts(ctx, cancel, dec) {
		var done worldDone
		switch st.Phase {
		case phaseLoad:
			r := w.drive(ctx)
			done.Load = &r
		case phaseImage:
			r := w.driveImage(ctx)
			done.Image = &r
		default:
			return fmt.Errorf("unknown phase %q", st.Phase)
		}
		if err := enc.Encode(done); err != nil {
			return fmt.Errorf("write result: %w", err)
		}
	}
	return nil
}

// readStarts reads the bot side's requests until in ends (the bot side is
// done, or died), then cancels the world's context and closes the channel.
func readStarts(ctx context.Context, cancel context.CancelFunc, dec *json.Decoder) <-chan worldStart {
	ch := make(chan worldStart)
	go func() {
		defer close(ch)
		defer cancel()
		for {
			var st worldStart
			if dec.Decode(&st) != nil {
				return
			}
			select {
			case ch <- st:
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch
}

// servers are the fakes' HTTP servers.
type servers struct {
	tg   *fakeTG
	list []*http.Server
	wg   sync.WaitGroup
}

// serve starts the fake Bot API and the fake DashScope on loopback.
func (w *world) serve() (*servers, worldHello, error) {
	s := &servers{tg: w.tg}
	var urls []string
	for _, h := range []http.Handler{w.tg, w.llm} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			s.close()
			return nil, worldHello{}, fmt.Errorf("listen on loopback: %w", err)
		}
		hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		s.list = append(s.list, hs)
		s.wg.Go(func() { _ = hs.Serve(ln) })
		urls = append(urls, "http://"+ln.Addr().String())
	}
	return s, worldHello{TG: urls[0], LLM: urls[1], Token: mainToken, ImageToken: imageToken}, nil
}

// close ends long polls and streams and stops the servers.
func (s *servers) close() {
	s.tg.close()
	for _, hs := range s.list {
		_ = hs.Close()
	}
	s.wg.Wait()
}

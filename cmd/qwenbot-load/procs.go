package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
)

// worldProc is the bot side's handle on the world: a child process (the
// default) or, with --in-process, a goroutine, spoken to over the same
// JSON lines.
type worldProc struct {
	hello worldHello
	enc   *json.Encoder
	dec   *json.Decoder
	in    io.Closer
	wait  func() error
}

// startWorld starts the world with o and waits for its hello.
func startWorld(ctx context.Context, o options, stderr io.Writer) (*worldProc, error) {
	var (
		in   io.WriteCloser
		out  io.Reader
		wait func() error
	)
	if o.InProcess {
		inR, inW := io.Pipe()
		outR, outW := io.Pipe()
		done := make(chan error, 1)
		go func() {
			err := runWorld(ctx, inR, outW)
			_ = outW.CloseWithError(errors.Join(err, io.EOF))
			_ = inR.Close()
			done <- err
		}()
		in, out, wait = inW, outR, func() error { return <-done }
	} else {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("find own executable: %w", err)
		}
		cmd := exec.CommandContext(ctx, exe, worldArg)
		cmd.Stderr = stderr
		if in, err = cmd.StdinPipe(); err != nil {
			return nil, fmt.Errorf("start world: %w", err)
		}
		if out, err = cmd.StdoutPipe(); err != nil {
			return nil, fmt.Errorf("start world: %w", err)
		}
		if err := cmd.Start(); err != nil {
			return nil, fmt.Errorf("start world: %w", err)
		}
		wait = cmd.Wait
	}
	p := &worldProc{enc: json.NewEncoder(in), dec: json.NewDecoder(out), in: in, wait: wait}
	if err := p.enc.Encode(o); err != nil {
		return nil, errors.Join(fmt.Errorf("send options to world: %w", err), p.close())
	}
	if err := p.dec.Decode(&p.hello); err != nil {
		return nil, errors.Join(fmt.Errorf("read world hello: %w", err), p.close())
	}
	return p, nil
}

// runPhase runs one phase of the world and returns its result.
func (p *worldProc) runPhase(phase string) (worldDone, error) {
	if err := p.enc.Encode(worldStart{Phase: phase}); err != nil {
		return worldDone{}, fmt.Errorf("start %s phase: %w", phase, err)
	}
	var d worldDone
	if err := p.dec.Decode(&d); err != nil {
		return worldDone{}, fmt.Errorf("read %s result: %w", phase, err)
	}
	return d, nil
}

// load runs the load phase.
func (p *worldProc) load() (worldResult, error) {
	d, err := p.runPhase(phaseLoad)
	if err == nil && d.Load == nil {
		err = errors.New("read load result: missing")
	}
	if err != nil {
		return worldResult{}, err
	}
	return *d.Load, nil
}

// image runs the image conversation.
func (p *worldProc) image() (imageResult, error) {
	d, err := p.runPhase(phaseImage)
	if err == nil && d.Image == nil {
		err = errors.New("read image result: missing")
	}
	if err != nil {
		return imageResult{}, err
	}
	return *d.Image, nil
}

// close tells the world to stop its fakes and waits for it to end.
func (p *worldProc) close() error {
	_ = p.in.Close()
	if err := p.wait(); err != nil {
		return fmt.Errorf("world: %w", err)
	}
	return nil
}

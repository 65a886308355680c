// Package keyqueue runs jobs one at a time per key (a chat, a channel), in
// arrival order, with a bound on the keys running at once. Platform
// adapters use it so that one chat's messages reach the engine in order
// while other chats go on. It knows nothing of any platform.
package keyqueue

import "sync"

// MaxPending bounds the jobs waiting behind one key's running job.
const MaxPending = 64

// Queues runs jobs one at a time per key. Go never blocks, so event
// handlers can call it. Every goroutine it starts is waited for by Close.
// It is safe for concurrent use.
type Queues struct {
	sem chan struct{}

	mu     sync.Mutex
	queues map[string][]func()
	closed bool
	wg     sync.WaitGroup
	// idle is closed while no key has jobs.
	idle chan struct{}
}

// New returns Queues running at most limit keys' jobs at once.
func New(limit int) *Queues {
	idle := make(chan struct{})
	close(idle)
	return &Queues{sem: make(chan struct{}, max(limit, 1)), queues: make(map[string][]func()), idle: idle}
}

// Go queues job for key. It reports false, dropping the job, when the
// queues are closed or key already has MaxPending jobs waiting.
func (q *Queues) Go(key string, job func()) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return false
	}
	pending, running := q.queues[key]
	if len(pending) >= MaxPending {
		return false
	}
	q.queues[key] = append(pending, job)
	if !running {
		if len(q.queues) == 1 {
			q.idle = make(chan struct{})
		}
		q.wg.Add(1)
		go q.drain(key)
	}
	return true
}

// drain runs key's jobs until its queue is empty, each holding one of the
// limit slots while it runs.
func (q *Queues) drain(key string) {
	defer q.wg.Done()
	for {
		q.mu.Lock()
		jobs := q.queues[key]
		if len(jobs) == 0 {
			delete(q.queues, key)
			if len(q.queues) == 0 {
				close(q.idle)
			}
			q.mu.Unlock()
			return
		}
		job := jobs[0]
		jobs[0] = nil
		q.queues[key] = jobs[1:]
		q.mu.Unlock()
		q.sem <- struct{}{}
		job()
		<-q.sem
	}
}

// Wait blocks until no key has jobs queued or running.
func (q *Queues) Wait() {
	q.mu.Lock()
	idle := q.idle
	q.mu.Unlock()
	<-idle
}

// Close stops accepting jobs and waits for the queued ones to finish.
func (q *Queues) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.wg.Wait()
}

package discord

import (
	"sync"
)

// maxPending bounds the jobs waiting in one channel's queue.
const maxPending = 64

// channelQueues runs jobs one at a time per key (a channel), in arrival
// order, with at most limit keys' jobs running at once. Go never blocks, so
// gateway handlers can call it. Every goroutine it starts is waited for by
// Close. It is safe for concurrent use.
type channelQueues struct {
	sem chan struct{}

	mu     sync.Mutex
	queues map[string][]func()
	closed bool
	wg     sync.WaitGroup
	// idle is closed while no key has jobs.
	idle chan struct{}
}

func newChannelQueues(limit int) *channelQueues {
	idle := make(chan struct{})
	close(idle)
	return &channelQueues{sem: make(chan struct{}, max(limit, 1)), queues: make(map[string][]func()), idle: idle}
}

// Go queues job for key. It reports false, dropping the job, when the
// queues are closed or key already has maxPending jobs waiting.
func (q *channelQueues) Go(key string, job func()) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return false
	}
	pending, running := q.queues[key]
	if len(pending) >= maxPending {
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
func (q *channelQueues) drain(key string) {
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
func (q *channelQueues) Wait() {
	q.mu.Lock()
	idle := q.idle
	q.mu.Unlock()
	<-idle
}

// Close stops accepting jobs and waits for the queued ones to finish.
func (q *channelQueues) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.wg.Wait()
}

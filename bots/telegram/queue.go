package telegram

import (
	"sync"
)

// maxPending bounds the jobs waiting in one chat's queue.
const maxPending = 64

// chatQueues runs jobs one at a time per chat key, in arrival order, with at
// most limit chats' jobs running at once. Every goroutine it starts is
// waited for by Close. It is safe for concurrent use.
type chatQueues struct {
	sem chan struct{}

	mu     sync.Mutex
	queues map[string][]func()
	closed bool
	wg     sync.WaitGroup
}

func newChatQueues(limit int) *chatQueues {
	return &chatQueues{sem: make(chan struct{}, max(limit, 1)), queues: make(map[string][]func())}
}

// Go queues job for key. It reports false, dropping the job, when the
// queues are closed or key already has maxPending jobs waiting.
func (q *chatQueues) Go(key string, job func()) bool {
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
		q.wg.Add(1)
		go q.drain(key)
	}
	return true
}

// drain runs key's jobs until its queue is empty.
func (q *chatQueues) drain(key string) {
	defer q.wg.Done()
	for {
		q.mu.Lock()
		jobs := q.queues[key]
		if len(jobs) == 0 {
			delete(q.queues, key)
			q.mu.Unlock()
			return
		}
		job := jobs[0]
		q.queues[key] = jobs[1:]
		q.mu.Unlock()
		q.sem <- struct{}{}
		job()
		<-q.sem
	}
}

// Close stops accepting jobs and waits for the queued ones to finish.
func (q *chatQueues) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.wg.Wait()
}

package telegram

import (
	"container/list"
	"sync"
)

// lruSet is a bounded set that forgets its least recently added (or
// re-added) keys. It is
// safe for concurrent use.
type lruSet[K comparable] struct {
	mu    sync.Mutex
	cap   int
	order *list.List // of K, newest at the front
	items map[K]*list.Element
}

func newLRUSet[K comparable](capacity int) *lruSet[K] {
	return &lruSet[K]{cap: max(capacity, 1), order: list.New(), items: make(map[K]*list.Element)}
}

// Add adds k and reports whether it was absent.
func (s *lruSet[K]) Add(k K) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.items[k]; ok {
		s.order.MoveToFront(e)
		return false
	}
	s.items[k] = s.order.PushFront(k)
	if s.order.Len() > s.cap {
		old := s.order.Back()
		s.order.Remove(old)
		delete(s.items, old.Value.(K))
	}
	return true
}

// Contains reports whether k is in the set.
func (s *lruSet[K]) Contains(k K) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.items[k]
	return ok
}

package memory

import (
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// UnsureLockError is returned by TryLockFor and LockFor when Redis did not
// answer a lock request (a broken connection, a timeout, a cancelled
// context): Redis may still apply the request when it answers again (a
// frozen server does), leaving a lock nobody holds until its TTL. Lock is
// the request's lock: the caller should Release it once Redis answers
// again.
type UnsureLockError struct {
	Lock *Lock
	Err  error
}

// Error implements error.
func (e *UnsureLockError) Error() string {
	return fmt.Sprintf("lock request unanswered: %v", e.Err)
}

// Unwrap returns the request's error.
func (e *UnsureLockError) Unwrap() error { return e.Err }

// answered reports whether err is Redis's own reply (an error reply or
// nil), not a failure to hear from it.
func answered(err error) bool {
	var rerr redis.Error
	return err == nil || errors.As(err, &rerr)
}

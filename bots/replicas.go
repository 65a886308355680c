package bots

import (
	"context"
	"time"

	"github.com/qwenbot/qwenbot/bots/pace"
)

// Replicas sharing a store are one bot to Telegram and Discord, which
// limit the bot's requests as a whole; so each takes an even share of the
// per-bot budgets (Config.GlobalPerSecond), for the replicas alive.
const (
	// replicaBeat is how often, at most (jittered down to half), a
	// replica records itself as alive and counts the others.
	replicaBeat = 5 * time.Second
	// replicaTTL is how long a record lasts: a replica that stopped
	// beating (killed, cut off from Redis) counts for at most this long.
	replicaTTL = 3 * replicaBeat
	// replicaTimeout bounds one beat.
	replicaTimeout = 3 * time.Second
)

// replicaBus is what a store shared by replicas offers to count them:
// *memory.Store (and *memory.Embedded, for engines of one process).
type replicaBus interface {
	Replicas(ctx context.Context, id string, ttl time.Duration) (int, error)
	LeaveReplicas(ctx context.Context, id string) error
}

// ShareBudgets splits each per-bot request budget evenly among the
// replicas sharing the engine's store: it counts them once before it
// returns, then every few seconds until Shutdown, which takes this
// replica out of the count. While the store does not answer, the last
// count stands. It does nothing when the store cannot count replicas or
// the engine has no per-bot budget, and when called again.
func (e *Engine) ShareBudgets() {
	bus, ok := e.store.(replicaBus)
	if !ok || len(e.budgets) == 0 {
		return
	}
	e.mu.Lock()
	started := e.sharing
	e.sharing = true
	e.mu.Unlock()
	if started {
		return
	}
	e.beat(bus)
	e.bg.Go(func() { e.shareBudgets(bus) })
}

// shareBudgets beats every replicaBeat (jittered) until the engine's
// context ends, then leaves the count.
func (e *Engine) shareBudgets(bus replicaBus) {
	for {
		select {
		case <-e.clock.After(pace.Jitter(replicaBeat)):
			e.beat(bus)
		case <-e.base.Done():
			ctx, cancel := context.WithTimeout(context.WithoutCancel(e.base), replicaTimeout)
			defer cancel()
			if err := bus.LeaveReplicas(ctx, e.turnIDs); err != nil {
				e.log.WarnContext(ctx, "leave the replicas sharing the bot's request budgets", "err", err)
			}
			return
		}
	}
}

// beat records this replica as alive and takes its share of the budgets
// for the replicas counted.
func (e *Engine) beat(bus replicaBus) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(e.base), replicaTimeout)
	defer cancel()
	n, err := bus.Replicas(ctx, e.turnIDs, replicaTTL)
	if err != nil {
		e.log.WarnContext(ctx, "count the replicas sharing the bot's request budgets; keeping the last count", "err", err)
		return
	}
	e.shareAmong(ctx, max(n, 1))
}

// shareAmong gives each per-bot budget 1/n of its configured rate and
// burst (at least one request).
func (e *Engine) shareAmong(ctx context.Context, n int) {
	e.mu.Lock()
	changed := n != e.replicas
	e.replicas = n
	e.mu.Unlock()
	if !changed {
		return
	}
	for platform, b := range e.budgets {
		full := e.cfg.GlobalPerSecond[platform]
		b.SetRate(float64(full)/float64(n), max(1, full/n))
	}
	e.log.InfoContext(ctx, "the per-bot request budgets are shared among replicas", "replicas", n)
}

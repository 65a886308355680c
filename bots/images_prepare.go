package bots

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"

	"github.com/qwenbot/qwenbot/bots/imaging"
)

// parallelPrepares bounds the images of one turn prepared at once; the
// Limiter bounds the memory of every image being prepared, in all turns.
const parallelPrepares = 3

// prepareAll prepares ups with opt under l, parallelPrepares at a time,
// and returns the results in the order of ups. The first failure cancels
// the images still waiting for memory and is the error returned.
func prepareAll(ctx context.Context, l *imaging.Limiter, ups []Upload, opt imaging.Options) ([]imaging.Result, error) {
	out := make([]imaging.Result, len(ups))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(parallelPrepares)
	for i, up := range ups {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return fmt.Errorf("prepare images: %w", err)
			}
			res, err := l.Prepare(gctx, up.Data, up.MIME, opt)
			if err != nil {
				return fmt.Errorf("prepare image %d: %w", i+1, err)
			}
			out[i] = res
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

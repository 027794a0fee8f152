package provider

import (
	"context"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// listingCache shares the answers of a listing among the resources of one
// walk, so that N resources refreshed from the same list cost one listing
// instead of N. What a Coze user pays for is API calls (DESIGN.md, "Listings
// shared per run"). It serves the publish state (bot_publish_state.go), the
// documents of a knowledge base, the members of a workspace and the
// workspaces.
//
// A listing is named by a scope (what the provider's writes invalidate: a
// workspace, a knowledge base) and a name within it (a connector, or "").
// Resources that ask at the same time share the one listing in flight
// (singleflight), later ones its answer. After this provider writes to a
// scope, forget(scope) makes the next asker list again.
//
// How long an answer lives: a cache hangs off providerData, which Configure
// builds anew each time Terraform configures the provider (once per provider
// process and walk), so an answer serves the refreshes of the plan that read
// it and never another plan. An API error is kept like an answer (the
// resources after the first would only repeat the failed listing); a listing
// cut short by its deadline is not: the deadline belongs to the resource
// that started it. The listing runs on a context detached from that
// resource, bounded by its deadline, so a resource that is cancelled stops
// waiting without failing the others.
//
// The zero value is ready to use.
type listingCache[V any] struct {
	mu      sync.Mutex
	group   singleflight.Group
	epochs  map[string]uint64 // per scope: the number of forget calls
	answers map[listingKey]*listingAnswer[V]
}

// listingKey names one answer: a listing of a scope, in one epoch of it.
type listingKey struct {
	scope, name string
	epoch       uint64
}

type listingAnswer[V any] struct {
	value V
	err   error
}

// get returns the answer of the listing (scope, name), from list, called at
// most once per epoch of scope however many ask.
func (c *listingCache[V]) get(ctx context.Context, scope, name string, list func(context.Context) (V, error)) (V, error) {
	c.mu.Lock()
	key := listingKey{scope: scope, name: name, epoch: c.epochs[scope]}
	if a, ok := c.answers[key]; ok {
		c.mu.Unlock()
		return a.value, a.err
	}
	c.mu.Unlock()

	flightKey := scope + "\x00" + name + "\x00" + strconv.FormatUint(key.epoch, 10)
	result := c.group.DoChan(flightKey, func() (any, error) {
		listCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), listTimeout(ctx))
		defer cancel()
		value, err := list(listCtx)
		a := &listingAnswer[V]{value: value, err: err}
		if listCtx.Err() == nil {
			c.mu.Lock()
			if c.answers == nil {
				c.answers = map[listingKey]*listingAnswer[V]{}
			}
			c.answers[key] = a
			c.mu.Unlock()
		}
		return a, nil
	})
	select {
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	case r := <-result:
		a, _ := r.Val.(*listingAnswer[V])
		return a.value, a.err
	}
}

// forget makes the listings of scope be listed again: this provider has
// just changed what they show.
func (c *listingCache[V]) forget(scope string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.epochs == nil {
		c.epochs = map[string]uint64{}
	}
	c.epochs[scope]++
	for key := range c.answers {
		if key.scope == scope {
			delete(c.answers, key)
		}
	}
}

// listTimeout is what is left of ctx's deadline, or the default read
// timeout without one.
func listTimeout(ctx context.Context) time.Duration {
	if deadline, ok := ctx.Deadline(); ok {
		return time.Until(deadline)
	}
	return defaultReadTimeout
}

package provider

import (
	"context"
	"sync"
	"time"
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
// (listingFlight), later ones its answer. After this provider writes to a
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
// waiting without failing the others; when every resource waiting for it has
// left, the listing is cancelled, and the next asker lists anew.
//
// A listing is kept as its items by id. The zero value is ready to use.
type listingCache[T any] struct {
	mu      sync.Mutex
	epochs  map[string]uint64 // per scope: the number of forget calls
	answers map[listingKey]*listingAnswer[T]
	flights map[listingKey]*listingFlight[T] // the listings in flight
	// joined, when set (tests), runs after a caller joined a flight and
	// before it waits for it.
	joined func()
}

// listingFlight is a listing in flight: its context, how many callers wait
// for it, and its answer once done is closed. It is the one place where
// callers join a listing: they register under listingCache.mu, so a flight
// that ends (under that lock too) either has them counted, and they get its
// answer, or is gone, and they find its kept answer or start anew. It is
// cancelled when the last caller leaves.
type listingFlight[T any] struct {
	ctx     context.Context
	cancel  context.CancelFunc
	callers int
	done    chan struct{}
	answer  *listingAnswer[T] // set before done is closed
}

// listingKey names one answer: a listing of a scope, in one epoch of it.
type listingKey struct {
	scope, name string
	epoch       uint64
}

type listingAnswer[T any] struct {
	items map[string]T
	err   error
}

// lister lists for a listingCache: it calls add for each item listed, and
// returns the listing's error, if any.
type lister[T any] func(ctx context.Context, add func(id string, item T)) error

// get returns the items of the listing (scope, name) by id, and its error.
// list is called at most once per epoch of scope, however many ask.
func (c *listingCache[T]) get(ctx context.Context, scope, name string, list lister[T]) (map[string]T, error) {
	c.mu.Lock()
	key := listingKey{scope: scope, name: name, epoch: c.epochs[scope]}
	if a, ok := c.answers[key]; ok {
		c.mu.Unlock()
		return a.items, a.err
	}
	f := c.flights[key]
	if f == nil || f.ctx.Err() != nil { // one past its deadline belongs to the resource that started it
		listCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), listTimeout(ctx))
		f = &listingFlight[T]{ctx: listCtx, cancel: cancel, done: make(chan struct{})}
		if c.flights == nil {
			c.flights = map[listingKey]*listingFlight[T]{}
		}
		c.flights[key] = f
		go c.fly(key, f, list)
	}
	f.callers++
	c.mu.Unlock()
	if c.joined != nil {
		c.joined()
	}

	select {
	case <-ctx.Done():
		c.leave(key, f)
		return nil, ctx.Err()
	case <-f.done:
		c.leave(key, f)
		return f.answer.items, f.answer.err
	}
}

// fly runs the listing of flight f, keeps its answer unless f's context
// ended (its deadline, or every caller left), and ends f.
func (c *listingCache[T]) fly(key listingKey, f *listingFlight[T], list lister[T]) {
	a := &listingAnswer[T]{items: map[string]T{}}
	a.err = list(f.ctx, func(id string, item T) { a.items[id] = item })
	c.mu.Lock()
	if f.ctx.Err() == nil {
		if c.answers == nil {
			c.answers = map[listingKey]*listingAnswer[T]{}
		}
		c.answers[key] = a
	}
	if c.flights[key] == f {
		delete(c.flights, key)
	}
	f.answer = a
	c.mu.Unlock()
	f.cancel()
	close(f.done)
}

// leave ends a caller's wait for flight f. The last caller to leave cancels
// it; if it left before the answer, the next asker lists anew rather than
// join the cancelled listing.
func (c *listingCache[T]) leave(key listingKey, f *listingFlight[T]) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if f.callers--; f.callers > 0 {
		return
	}
	f.cancel()
	if c.flights[key] == f {
		delete(c.flights, key)
	}
}

// find looks id up in the listing (scope, ""). It returns nil and the
// listing's error when it failed, and nil, nil when id is not listed.
func (c *listingCache[T]) find(ctx context.Context, scope, id string, list lister[T]) (*T, error) {
	return c.findIn(ctx, scope, "", id, list)
}

// findIn is find in the listing (scope, name).
func (c *listingCache[T]) findIn(ctx context.Context, scope, name, id string, list lister[T]) (*T, error) {
	items, err := c.get(ctx, scope, name, list)
	if err != nil {
		return nil, err
	}
	if item, listed := items[id]; listed {
		return &item, nil
	}
	return nil, nil
}

// forget makes the listings of scope be listed again: this provider has
// just changed what they show.
func (c *listingCache[T]) forget(scope string) {
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

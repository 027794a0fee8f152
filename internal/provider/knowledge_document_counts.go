package provider

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

// documentCounts reads back, after its processing, the character and slice
// counts of each document that coze_knowledge_document creates: only the
// document list has them, and a state holding the create answer's 0 would
// change at the next refresh, and with it every reference to them.
//
// One listing per document would cost N²/(2 × page size) list calls for N
// documents of a knowledge base (300 for 200). So the creates of a base
// share their listings: a create whose document is processed waits until no
// other create of its base has been between its create call and the end of
// its processing for documentCountsSettle, and one listing, started then,
// serves every create waiting. While they wait, the creates hold
// Terraform's parallelism slots, so few new creates start, and the wait
// ends with the slowest document of the batch; documentCountsMaxWait bounds
// it, so that a long document does not hold up the others. A base of N
// documents applied with parallelism P costs about N/P listings. The
// listings go through the walk's shared document listing
// (providerData.documents), as a refresh does.
//
// It hangs off providerData (one per walk); the zero value is ready.
type documentCounts struct {
	mu    sync.Mutex
	bases map[string]*baseCounts
	// settle and maxWait replace documentCountsSettle and
	// documentCountsMaxWait when set (tests).
	settle, maxWait time.Duration
}

// documentCountsSettle is how long a base must have no create processing
// before the listing starts: Terraform starts the next create as soon as a
// slot is free, and it joins the batch. documentCountsMaxWait bounds how
// long a processed document waits for the others of its base.
const (
	documentCountsSettle  = 100 * time.Millisecond
	documentCountsMaxWait = 10 * time.Second
)

// baseCounts is the state of one knowledge base's creates.
type baseCounts struct {
	processing int             // creates sent and not yet through their processing
	waiting    []*countsWaiter // processed, waiting for a listing started after their processing
	listing    bool            // a listing is in flight
	quiet      bool            // no create processing for documentCountsSettle
	waited     bool            // the oldest waiter has waited documentCountsMaxWait
	settle     *time.Timer     // runs while no create is processing
	wait       *time.Timer     // runs while creates wait and no listing is in flight
	list       func(context.Context) (map[string]coze.Document, error)
}

type countsWaiter struct {
	id       string
	answer   chan countsAnswer // buffered: delivery never blocks
	deadline time.Time         // its create's, zero if none
	listing  *countsListing    // the listing it waits for, once started
}

// countsListing is a listing in flight: it is cancelled when every create
// that waits for it has given up.
type countsListing struct {
	waiting int
	cancel  context.CancelFunc
}

type countsAnswer struct {
	doc *coze.Document // nil when the listing does not show the document
	err error
}

// countsTicket is one create's place in its base's batch, from before its
// create call: done (when the create gives up) or read (when its document
// is processed) ends its processing, once.
type countsTicket struct {
	counts *documentCounts
	kbID   string
	once   sync.Once
}

// creating counts a create of a document in kbID as processing.
func (c *documentCounts) creating(kbID string) *countsTicket {
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.base(kbID)
	b.processing++
	b.quiet = false
	stopTimer(&b.settle)
	return &countsTicket{counts: c, kbID: kbID}
}

// base returns kbID's state. The caller holds c.mu.
func (c *documentCounts) base(kbID string) *baseCounts {
	if c.bases == nil {
		c.bases = map[string]*baseCounts{}
	}
	b := c.bases[kbID]
	if b == nil {
		b = &baseCounts{}
		c.bases[kbID] = b
	}
	return b
}

// done ends the ticket's processing without a read: the create failed or
// gave up. The waiting creates of its base need not wait for it.
func (t *countsTicket) done() {
	t.once.Do(func() {
		c := t.counts
		c.mu.Lock()
		defer c.mu.Unlock()
		b := c.base(t.kbID)
		b.processing--
		c.maybeListLocked(b)
	})
}

// read ends the ticket's processing and returns document id as a listing
// started after that lists it (nil if it does not), or the listing's error,
// or ctx's. list reads the base's documents.
func (t *countsTicket) read(ctx context.Context, id string, list func(context.Context) (map[string]coze.Document, error)) (*coze.Document, error) {
	w := &countsWaiter{id: id, answer: make(chan countsAnswer, 1)}
	w.deadline, _ = ctx.Deadline()
	c := t.counts
	t.once.Do(func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		b := c.base(t.kbID)
		b.processing--
		b.list = list
		b.waiting = append(b.waiting, w)
		c.maybeListLocked(b)
	})
	select {
	case a := <-w.answer:
		return a.doc, a.err
	case <-ctx.Done():
		c.mu.Lock()
		defer c.mu.Unlock()
		if w.listing == nil { // not listed for yet: the batch need not list for it
			b := c.base(t.kbID)
			b.waiting = slices.DeleteFunc(b.waiting, func(o *countsWaiter) bool { return o == w })
			if len(b.waiting) == 0 {
				// Nobody waits: the clocks start again with the next waiter,
				// which would otherwise list at once, as a batch of one.
				stopTimer(&b.settle)
				stopTimer(&b.wait)
				b.quiet, b.waited = false, false
			}
		} else if w.listing.waiting--; w.listing.waiting == 0 {
			w.listing.cancel() // nobody waits for it any more
		}
		return nil, ctx.Err()
	}
}

// maybeListLocked starts a listing of b for its waiting creates when none is
// in flight and no create of the base has been processing for
// documentCountsSettle, or the oldest waiter has waited
// documentCountsMaxWait; otherwise it starts the clocks of those. The
// caller holds c.mu.
func (c *documentCounts) maybeListLocked(b *baseCounts) {
	if b.listing || len(b.waiting) == 0 {
		return
	}
	if !b.quiet && !b.waited {
		if b.processing == 0 && b.settle == nil {
			b.settle = c.after(b, cmp.Or(c.settle, documentCountsSettle), func() { b.quiet = b.processing == 0 })
		}
		if b.wait == nil {
			b.wait = c.after(b, cmp.Or(c.maxWait, documentCountsMaxWait), func() { b.waited = true })
		}
		return
	}
	waiting, list := b.waiting, b.list
	b.waiting, b.listing, b.quiet, b.waited = nil, true, false, false
	stopTimer(&b.settle)
	stopTimer(&b.wait)
	// The listing serves several creates, so it runs on none of their
	// contexts: it ends by the latest of their deadlines (at most
	// defaultReadTimeout from now), or when all of them have given up.
	deadline := time.Now().Add(defaultReadTimeout)
	latest := time.Time{}
	for _, w := range waiting {
		if w.deadline.IsZero() {
			latest = deadline
			break
		}
		if w.deadline.After(latest) {
			latest = w.deadline
		}
	}
	if latest.Before(deadline) {
		deadline = latest
	}
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	listing := &countsListing{waiting: len(waiting), cancel: cancel}
	for _, w := range waiting {
		w.listing = listing
	}
	go func() {
		docs, err := list(ctx)
		cancel()
		for _, w := range waiting {
			a := countsAnswer{err: err}
			if doc, listed := docs[w.id]; listed && err == nil {
				a.doc = &doc
			}
			w.answer <- a
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		b.listing = false
		c.maybeListLocked(b) // for the creates processed while this listing ran
	}()
}

// after runs fire, then maybeListLocked, under c.mu after d, unless the
// timer was stopped (stopTimer) meanwhile.
func (c *documentCounts) after(b *baseCounts, d time.Duration, fire func()) *time.Timer {
	var timer *time.Timer
	timer = time.AfterFunc(d, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if b.settle != timer && b.wait != timer {
			return // stopped: a listing started, or a create, meanwhile
		}
		if b.settle == timer {
			b.settle = nil
		} else {
			b.wait = nil
		}
		fire()
		c.maybeListLocked(b)
	})
	return timer
}

// stopTimer stops a timer of after and forgets it.
func stopTimer(timer **time.Timer) {
	if *timer != nil {
		(*timer).Stop()
		*timer = nil
	}
}

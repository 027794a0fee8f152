package provider

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

// countsLister is a document listing that counts its calls and lists the
// documents given.
func countsLister(calls *atomic.Int32, ids ...string) func(context.Context) (map[string]coze.Document, error) {
	return func(context.Context) (map[string]coze.Document, error) {
		calls.Add(1)
		docs := map[string]coze.Document{}
		for _, id := range ids {
			docs[id] = coze.Document{ID: coze.FlexString(id), Status: coze.DocumentDone, SliceCount: 3}
		}
		return docs, nil
	}
}

// The creates of a base share one listing, started once none of them is
// processing any more; a create that gives up does not hold the others.
func TestDocumentCountsOneListingPerBatch(t *testing.T) {
	counts := &documentCounts{settle: time.Millisecond, maxWait: time.Minute}
	var calls atomic.Int32
	list := countsLister(&calls, "1", "2", "3")
	a, b, failed, slow := counts.creating("kb"), counts.creating("kb"), counts.creating("kb"), counts.creating("kb")
	other := counts.creating("another kb") // processing in another base holds up nothing here

	// A regression fails instead of hanging, and a Fatalf releases the
	// readers before the test ends.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
	}()
	got := make([]*coze.Document, 3)
	errs := make([]error, 3)
	for i, ticket := range []*countsTicket{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errs[i] = ticket.read(ctx, []string{"1", "2"}[i], list)
		}()
	}
	time.Sleep(50 * time.Millisecond)
	if n := calls.Load(); n != 0 {
		t.Fatalf("%d listings while a create of the base was still processing, want 0", n)
	}
	failed.done()
	failed.done() // once
	time.Sleep(20 * time.Millisecond)
	if n := calls.Load(); n != 0 {
		t.Fatalf("%d listings while a create of the base was still processing, want 0", n)
	}
	got[2], errs[2] = slow.read(ctx, "3", list)
	wg.Wait()
	if err := errors.Join(errs...); err != nil || calls.Load() != 1 {
		t.Fatalf("%d listings (%v), want one for the three processed documents", calls.Load(), err)
	}
	for i, d := range got {
		if d == nil || d.SliceCount != 3 {
			t.Errorf("document %d: %+v", i+1, d)
		}
	}
	other.done()
}

// A document processed while others of its base still are waits at most
// maxWait; a document the listing does not show reads as nil.
func TestDocumentCountsWaitIsBounded(t *testing.T) {
	counts := &documentCounts{settle: time.Millisecond, maxWait: 30 * time.Millisecond}
	var calls atomic.Int32
	processed, stuck := counts.creating("kb"), counts.creating("kb")
	defer stuck.done()
	start := time.Now()
	bounded, cancelBounded := context.WithTimeout(context.Background(), 10*time.Second) // a regression fails instead of hanging
	defer cancelBounded()
	doc, err := processed.read(bounded, "9", countsLister(&calls))
	if err != nil || doc != nil || calls.Load() != 1 {
		t.Fatalf("doc %+v, err %v, %d listings: want nil, nil and one listing", doc, err, calls.Load())
	}
	if waited := time.Since(start); waited > 5*time.Second {
		t.Errorf("waited %v for a document still processing, want about 30ms", waited)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	again := counts.creating("kb")
	if _, err := again.read(ctx, "10", countsLister(&calls)); err == nil {
		t.Error("a cancelled create kept waiting")
	}
}

// The listing serves the creates waiting for it, and no one else: it is
// cancelled when all of them have given up, and ends by the latest of their
// deadlines.
func TestDocumentCountsListingEndsWithItsWaiters(t *testing.T) {
	counts := &documentCounts{settle: time.Millisecond, maxWait: time.Minute}
	started, stopped := make(chan struct{}), make(chan error, 1)
	var deadline time.Time
	list := func(ctx context.Context) (map[string]coze.Document, error) {
		deadline, _ = ctx.Deadline()
		close(started)
		select {
		case <-ctx.Done():
			stopped <- ctx.Err()
		case <-time.After(10 * time.Second):
			stopped <- errors.New("still listing 10s after every create gave up")
		}
		return map[string]coze.Document{}, ctx.Err()
	}
	a, b := counts.creating("kb"), counts.creating("kb")
	ctxA, cancelA := context.WithTimeout(context.Background(), time.Minute)
	ctxB, cancelB := context.WithTimeout(context.Background(), 90*time.Second) // before defaultReadTimeout from the listing's start
	defer cancelA()
	defer cancelB()
	deadlineB, _ := ctxB.Deadline()
	var wg sync.WaitGroup
	for _, r := range []struct {
		ticket *countsTicket
		ctx    context.Context
	}{{a, ctxA}, {b, ctxB}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = r.ticket.read(r.ctx, "1", list)
		}()
	}
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("the listing did not start")
	}
	if !deadline.Equal(deadlineB) {
		t.Errorf("the listing's deadline is %v, want the latest create's, %v", deadline, deadlineB)
	}
	cancelA()
	select {
	case err := <-stopped:
		t.Fatalf("the listing stopped while a create still waited: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	cancelB()
	if err := <-stopped; !errors.Is(err, context.Canceled) {
		t.Errorf("the listing went on after every create gave up: %v", err)
	}
	wg.Wait()
}

// A create whose own time ran out while it waited for its batch's listing
// says so, not that the API did not answer.
func TestCountsNotReadWhyTellsTheCreatesTimeoutFromTheAPIs(t *testing.T) {
	client, err := coze.NewClient(coze.Config{BaseURL: "https://api.coze.cn", Token: "pat_test"})
	if err != nil {
		t.Fatal(err)
	}
	expired, cancel := context.WithTimeout(context.Background(), 0)
	defer cancel()
	why := countsNotReadWhy(expired, client, "7", expired.Err())
	wantAll(t, why, "timeouts.create", "knowledge base 7", "deadline exceeded")
	if strings.Contains(why, "did not get an answer") || strings.Contains(why, "base_url") {
		t.Errorf("the create's timeout is told as the API's silence: %s", why)
	}
	why = countsNotReadWhy(context.Background(), client, "7", errors.New("list documents: connection reset by peer"))
	wantAll(t, why, "connection reset", "did not get an answer")
}

// A create that leaves before its batch is listed for, the last of those
// waiting, stops the batch's clocks: a create processed later waits for its
// own batch instead of listing at once as a batch of one.
func TestDocumentCountsTheLastWaiterToLeaveStopsTheClocks(t *testing.T) {
	counts := &documentCounts{settle: time.Hour, maxWait: time.Hour}
	var calls atomic.Int32
	left, processing := counts.creating("kb"), counts.creating("kb")
	defer processing.done()
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := left.read(gone, "1", countsLister(&calls, "1")); !errors.Is(err, context.Canceled) {
		t.Fatalf("read: %v, want the create's own cancellation", err)
	}
	counts.mu.Lock()
	b := counts.base("kb")
	running, quiet, waited, waiting := b.wait != nil || b.settle != nil, b.quiet, b.waited, len(b.waiting)
	counts.mu.Unlock()
	if running || quiet || waited || waiting != 0 {
		t.Errorf("after the last waiter left: a clock running %v, quiet %v, waited %v, %d waiting; want none of them", running, quiet, waited, waiting)
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("listed %d times for a create that left", n)
	}
}

package provider

import (
	"context"
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

	var wg sync.WaitGroup
	got := make([]*coze.Document, 3)
	for i, ticket := range []*countsTicket{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			doc, err := ticket.read(context.Background(), []string{"1", "2"}[i], list)
			if err != nil {
				t.Error(err)
			}
			got[i] = doc
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
	doc, err := slow.read(context.Background(), "3", list)
	wg.Wait()
	got[2] = doc
	if err != nil || calls.Load() != 1 {
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
	doc, err := processed.read(context.Background(), "9", countsLister(&calls))
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

package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// A no-change plan lists each list once, however many resources it holds:
// the documents of a knowledge base (9 documents, 4 a page in the tests: 3
// pages, where one listing per document cost 15), the members of a
// workspace (5, one page, where one listing per member cost 5) and the
// workspaces (3, one page, where one listing per workspace cost 3).
func TestAccRefreshSharesOneListingPerList(t *testing.T) {
	t.Parallel()
	env := newMemberEnv(t)
	users := make([]string, 5)
	for i := range users {
		users[i] = fmt.Sprint(2601914680000 + i)
		env.mock.AddUser(users[i], "user "+users[i])
	}
	cfg := env.config(knowledgeBaseHCL + fmt.Sprintf(`
resource "coze_knowledge_document" "d" {
  count             = 9
  knowledge_base_id = coze_knowledge_base.kb.id
  name              = "doc-${count.index}.txt"
  content_base64    = base64encode("notes ${count.index}")
}
resource "coze_workspace" "w" {
  count           = 3
  name            = "team-${count.index}"
  description     = "d"
  coze_account_id = "7490888144450001"
}
resource "coze_workspace_member" "m" {
  count        = 5
  workspace_id = coze_workspace.w[0].id
  user_id      = ["%s"][count.index]
  role_type    = "member"
}`, strings.Join(users, `", "`)))
	var workspace string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: func(s *terraform.State) error {
					workspace = stateAttr(s, "coze_workspace.w.0", "id")
					return nil
				},
			},
			{PreConfig: func() { env.mock.ResetRequests() }, Config: cfg, PlanOnly: true},
			{
				// The no-change plan above is checked by the request log it left.
				PreConfig: func() {
					for _, c := range []struct {
						method, path string
						want         int
					}{
						{http.MethodPost, "/open_api/knowledge/document/list", 3},
						{http.MethodGet, "/v1/workspaces/" + workspace + "/members", 1},
						{http.MethodGet, "/v1/workspaces", 1},
					} {
						if got := len(env.mock.RequestsTo(c.method, c.path)); got != c.want {
							t.Errorf("the refresh sent %d %s %s, want %d: one listing, shared", got, c.method, c.path, c.want)
						}
					}
				},
				Config:   cfg,
				PlanOnly: true,
			},
		},
	})
}

// find looks an id up in one listing per scope; forget(scope) makes the next
// asker list that scope again, and no other; an answer of an older epoch is
// dropped.
func TestListingCacheFindAndForget(t *testing.T) {
	t.Parallel()
	var cache listingCache[string]
	calls := map[string]int{}
	list := func(scope string) lister[string] {
		return func(_ context.Context, add func(string, string)) error {
			calls[scope]++
			add("1", fmt.Sprintf("%s, listing %d", scope, calls[scope]))
			return nil
		}
	}
	find := func(scope, id string) string {
		item, err := cache.find(t.Context(), scope, id, list(scope))
		if err != nil || item == nil {
			return fmt.Sprint(item, err)
		}
		return *item
	}
	if got := find("a", "1"); got != "a, listing 1" {
		t.Fatalf("find = %q", got)
	}
	if item, err := cache.find(t.Context(), "a", "2", list("a")); item != nil || err != nil || calls["a"] != 1 {
		t.Fatalf("an id not listed: %v, %v after %d listings; want nil, nil from the one listing", item, err, calls["a"])
	}
	find("b", "1")
	cache.forget("a")
	if got, other := find("a", "1"), find("b", "1"); got != "a, listing 2" || other != "b, listing 1" {
		t.Errorf("after forget(a): %q, %q; want a listed again and b kept", got, other)
	}
	if n := len(cache.answers); n != 2 {
		t.Errorf("%d answers kept, want the 2 of the current epochs", n)
	}
}

// A shared listing goes on while any caller waits for it, is cancelled when
// the last one leaves, and the next caller lists anew rather than join it.
func TestListingCacheCancelsAListingWhenEveryCallerHasLeft(t *testing.T) {
	var cache listingCache[int]
	var calls atomic.Int32
	listings := make(chan context.Context, 2)
	list := func(ctx context.Context, add func(string, int)) error {
		if calls.Add(1) > 1 {
			add("7", 7) // the second listing answers
			return nil
		}
		listings <- ctx
		<-ctx.Done() // the first never does
		return ctx.Err()
	}
	ctxA, cancelA := context.WithCancel(context.Background())
	ctxB, cancelB := context.WithCancel(context.Background())
	defer cancelB()
	done := make(chan error, 2)
	go func() { _, err := cache.get(ctxA, "kb", "", list); done <- err }()
	var listing context.Context
	select {
	case listing = <-listings:
	case <-time.After(10 * time.Second):
		t.Fatal("the listing did not start")
	}
	go func() { _, err := cache.get(ctxB, "kb", "", list); done <- err }()
	// B has joined when the cache counts two callers of the flight.
	for joined := false; !joined; {
		cache.mu.Lock()
		for _, f := range cache.flights {
			joined = f.callers == 2
		}
		cache.mu.Unlock()
		time.Sleep(time.Millisecond)
	}
	cancelA()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("A: %v, want its own cancellation", err)
	}
	if listing.Err() != nil {
		t.Fatal("the listing was cancelled while B still waited for it")
	}
	cancelB()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("B: %v, want its own cancellation", err)
	}
	if !errors.Is(listing.Err(), context.Canceled) {
		t.Errorf("the listing goes on after every caller left: %v", listing.Err())
	}
	items, err := cache.get(context.Background(), "kb", "", list)
	if err != nil || items["7"] != 7 || calls.Load() != 2 {
		t.Errorf("the next caller got %v, %v after %d listings; want a new listing's answer", items, err, calls.Load())
	}
}

// A caller that joins a listing just as it ends gets its answer: the flight
// ends (keeps its answer, leaves the flights, cancels its context) between
// the caller's joining and its waiting, and the caller must neither list
// again nor run a listing on the ended flight's cancelled context.
func TestListingCacheCallerJoiningAsTheListingEndsGetsItsAnswer(t *testing.T) {
	t.Parallel()
	var cache listingCache[int]
	var calls atomic.Int32
	release := make(chan struct{})
	list := func(ctx context.Context, add func(string, int)) error {
		if calls.Add(1) > 1 {
			return fmt.Errorf("listed again: %w", ctx.Err())
		}
		<-release
		add("1", 1)
		return nil
	}
	aJoined, aDone := make(chan struct{}), make(chan error, 1)
	var joins atomic.Int32
	cache.joined = func() {
		if joins.Add(1) == 1 {
			close(aJoined)
			return
		}
		// B has joined A's flight: let it end before B waits.
		close(release)
		if err := <-aDone; err != nil {
			t.Errorf("A: %v", err)
		}
	}
	go func() { _, err := cache.get(t.Context(), "ws", "", list); aDone <- err }()
	<-aJoined
	items, err := cache.get(t.Context(), "ws", "", list)
	if err != nil || items["1"] != 1 || calls.Load() != 1 {
		t.Errorf("B got %v, %v after %d listings; want the one listing's answer", items, err, calls.Load())
	}
}

// A flight past its deadline is not joined: the deadline was the resource's
// that started it, and a later caller lists anew on its own, even while
// another caller still waits for the ending flight.
func TestListingCacheCallerDoesNotJoinAListingPastItsDeadline(t *testing.T) {
	t.Parallel()
	var cache listingCache[int]
	var calls atomic.Int32
	expired, release := make(chan struct{}), make(chan struct{})
	list := func(ctx context.Context, add func(string, int)) error {
		if calls.Add(1) > 1 {
			add("2", 2)
			return nil
		}
		<-ctx.Done()
		close(expired)
		<-release // the first listing has not ended yet when B asks
		return ctx.Err()
	}
	joined := make(chan struct{}, 3)
	cache.joined = func() { joined <- struct{}{} }
	ctxA, cancelA := context.WithTimeout(t.Context(), time.Hour)
	defer cancelA()
	aDone, cDone := make(chan error, 1), make(chan error, 1)
	go func() { _, err := cache.get(ctxA, "ws", "", list); aDone <- err }()
	<-joined
	go func() { _, err := cache.get(t.Context(), "ws", "", list); cDone <- err }()
	<-joined
	cancelA() // A leaves; C keeps the flight
	if err := <-aDone; !errors.Is(err, context.Canceled) {
		t.Fatalf("A: %v, want its cancellation", err)
	}
	cache.mu.Lock()
	for _, f := range cache.flights {
		f.cancel() // stands for A's deadline, which bounds the flight
	}
	cache.mu.Unlock()
	<-expired
	type answer struct {
		items map[string]int
		err   error
	}
	bDone := make(chan answer, 1)
	go func() { items, err := cache.get(t.Context(), "ws", "", list); bDone <- answer{items, err} }()
	<-joined
	close(release)
	b := <-bDone
	items, err := b.items, b.err
	if err != nil || items["2"] != 2 || calls.Load() != 2 {
		t.Errorf("B got %v, %v after %d listings; want a listing of its own", items, err, calls.Load())
	}
	if err := <-cDone; !errors.Is(err, context.Canceled) {
		t.Errorf("C: %v, want the flight's end", err)
	}
}

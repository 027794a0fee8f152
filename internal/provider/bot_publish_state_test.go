package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

// The publish-state cache (bot_publish_state.go), tested against the mock
// through the real client.

// publishedBots makes a mock with n bots in the default workspace, each
// published to the given connectors, and returns it with their ids.
func publishedBots(t *testing.T, n int, connectors ...string) (*testEnv, []string) {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprint(7342866820000 + i)
	}
	env := newTestEnv(t, mockcoze.Options{}, ids...)
	client := env.apiClientFor(t)
	for _, id := range ids {
		if _, err := client.PublishBot(context.Background(), &coze.PublishBotRequest{BotID: id, ConnectorIDs: connectors}); err != nil {
			t.Fatal(err)
		}
	}
	env.mock.ResetRequests()
	return env, ids
}

// listings counts the listings of the mock's bot list: the requests for page 1.
func (e *testEnv) listings() int {
	n := 0
	for _, r := range e.mock.RequestsTo(http.MethodGet, "/v1/bots") {
		if strings.Contains(r.RawQuery, "page_num=1&") {
			n++
		}
	}
	return n
}

// Concurrent askers share one listing in flight; later ones its answer.
// Each (workspace, connector) is listed once, every page of it: a bot on
// page 3 is published too.
func TestPublishStatesShareOneListingPerWorkspaceAndConnector(t *testing.T) {
	t.Parallel()
	env, ids := publishedBots(t, 120, "1024")
	client := env.apiClientFor(t)
	states := newPublishStates()
	var wg sync.WaitGroup
	errs := make(chan error, len(ids))
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			published, err := states.publishedTo(context.Background(), client, mockcoze.DefaultSpaceID, "1024")
			if err == nil && !published[id] {
				err = fmt.Errorf("bot %s reads as unpublished", id)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	// 120 bots, 50 a page: 50, 50, 20, and an empty page that confirms the short one.
	if got := len(env.mock.RequestsTo(http.MethodGet, "/v1/bots")); got != 4 {
		t.Errorf("120 resources asking at once sent %d list requests, want one listing of 4 pages", got)
	}
	for _, r := range env.mock.RequestsTo(http.MethodGet, "/v1/bots") {
		if !strings.Contains(r.RawQuery, "publish_status=published_online") || !strings.Contains(r.RawQuery, "connector_id=1024") ||
			!strings.Contains(r.RawQuery, "page_size=50") {
			t.Errorf("list request %q, want publish_status=published_online, connector_id=1024, page_size=50", r.RawQuery)
		}
	}

	published, err := states.publishedTo(context.Background(), client, mockcoze.DefaultSpaceID, "999")
	if err != nil || len(published) != 0 {
		t.Errorf("connector 999: %v, %v; want its own listing, empty", published, err)
	}
	if got := env.listings(); got != 2 {
		t.Errorf("%d listings after asking for connector 999, want one more", got)
	}
	if _, err := states.publishedTo(context.Background(), client, mockcoze.DefaultSpaceID, "1024"); err != nil || env.listings() != 2 {
		t.Errorf("asking again: %v, %d listings; want the answer kept", err, env.listings())
	}
}

// An answer is never used by another walk: Configure builds a new cache,
// which lists again and sees what changed in between.
func TestPublishStatesAreNotReusedAcrossWalks(t *testing.T) {
	t.Parallel()
	env, ids := publishedBots(t, 3, "1024")
	configure := func() *providerData {
		resp := configureWith(t, map[string]tftypes.Value{"base_url": str(env.url), "api_token": str(testToken)}, nil)
		if resp.Diagnostics.HasError() {
			t.Fatal(resp.Diagnostics)
		}
		return resp.ResourceData.(*providerData)
	}
	plan1 := configure()
	client1, _ := plan1.apiClient()
	if published, err := plan1.publishStates.publishedTo(context.Background(), client1, mockcoze.DefaultSpaceID, "1024"); err != nil || !published[ids[0]] {
		t.Fatalf("first walk: %v, %v", published, err)
	}
	if err := env.apiClientFor(t).UnpublishBot(context.Background(), ids[0], "1024", "out of band"); err != nil {
		t.Fatal(err)
	}
	plan2 := configure()
	if plan2.publishStates == plan1.publishStates {
		t.Fatal("two Configure calls share one publish-state cache")
	}
	client2, _ := plan2.apiClient()
	published, err := plan2.publishStates.publishedTo(context.Background(), client2, mockcoze.DefaultSpaceID, "1024")
	if err != nil || published[ids[0]] || !published[ids[1]] {
		t.Errorf("second walk: %v, %v; want bot %s unpublished, %s published", published, err, ids[0], ids[1])
	}
	if got := env.listings(); got != 2 {
		t.Errorf("%d list requests, want one listing per walk", got)
	}
}

// A publish or unpublish made by this provider forgets its workspace's
// listings; a bot coze_bot created is held without a listing.
func TestPublishStatesForgetAWorkspaceThisProviderChanged(t *testing.T) {
	t.Parallel()
	env, _ := publishedBots(t, 2, "1024")
	client := env.apiClientFor(t)
	states := newPublishStates()
	ask := func() { _, _ = states.publishedTo(context.Background(), client, mockcoze.DefaultSpaceID, "1024") }
	ask()
	states.published("7341999999999999") // another workspace
	ask()
	if got := env.listings(); got != 1 {
		t.Fatalf("%d listings, want 1", got)
	}
	states.published(mockcoze.DefaultSpaceID)
	ask()
	if got := env.listings(); got != 2 {
		t.Errorf("%d listings after a publish in the workspace, want a new one", got)
	}

	states.botCreated("7341999999999999", "7342866829999")
	held, err := states.holds(context.Background(), client, "7341999999999999", "7342866829999")
	if !held || err != nil || env.listings() != 2 {
		t.Errorf("a bot coze_bot created: held %v, err %v, %d listings; want held without a listing", held, err, env.listings())
	}
}

// An error answer is shared by everyone waiting for the listing and kept
// for the walk, with its code, msg and logid; the next walk lists again.
// A resource whose context ends stops waiting, without failing the listing
// for the others waiting for it.
func TestPublishStatesShareErrors(t *testing.T) {
	t.Parallel()
	env, _ := publishedBots(t, 2, "1024")
	client := env.apiClientFor(t)
	env.mock.InjectFault(mockcoze.Fault{Method: http.MethodGet, Path: "/v1/bots", Code: coze.CodePermissionDenied, Msg: "no listBot permission", Delay: 2 * time.Second})
	states := newPublishStates()

	cancelled, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() {
		_, err := states.publishedTo(cancelled, client, mockcoze.DefaultSpaceID, "1024")
		first <- err
	}()
	second := make(chan error, 1)
	go func() {
		_, err := states.publishedTo(context.Background(), client, mockcoze.DefaultSpaceID, "1024")
		second <- err
	}()
	for joined, deadline := false, time.Now().Add(10*time.Second); !joined; time.Sleep(time.Millisecond) { // both wait for the listing in flight
		if time.Now().After(deadline) {
			t.Fatal("the two resources never waited for one listing together")
		}
		states.listings.mu.Lock()
		for _, f := range states.listings.flights {
			joined = f.callers == 2
		}
		states.listings.mu.Unlock()
	}
	cancel()
	if err := <-first; !errors.Is(err, context.Canceled) {
		t.Errorf("the cancelled resource got %v, want its context's error", err)
	}
	if apiErr, ok := coze.AsAPIError(<-second); !ok || apiErr.Code != coze.CodePermissionDenied {
		t.Errorf("the resource still waiting got %v, want the listing's 4101", apiErr)
	}
	for range 3 {
		_, err := states.publishedTo(context.Background(), client, mockcoze.DefaultSpaceID, "1024")
		apiErr, ok := coze.AsAPIError(err)
		if !ok || apiErr.Code != coze.CodePermissionDenied || apiErr.Msg != "no listBot permission" || apiErr.LogID == "" {
			t.Fatalf("err = %v, want the API's 4101 with msg and logid", err)
		}
	}
	if got := env.listings(); got != 1 {
		t.Errorf("%d list requests, want the one failed listing, shared", got)
	}
	published, err := newPublishStates().publishedTo(context.Background(), client, mockcoze.DefaultSpaceID, "1024")
	if err != nil || len(published) != 2 {
		t.Errorf("the next walk: %v, %v; want a new listing that succeeds", published, err)
	}
}

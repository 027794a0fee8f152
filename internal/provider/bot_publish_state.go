package provider

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

// publishStates answers coze_bot_publish's refresh from the workspace's bot
// list instead of one read per bot: GET /v1/bots?workspace_id=…&
// publish_status=published_online&connector_id=… lists, 50 a page, every
// bot the workspace has published to that channel. Each (workspace,
// connector) is listed once, however many resources ask: concurrent askers
// share the one listing in flight (singleflight), later ones its answer.
//
// Every page is read, so that a bot on page 2 is not taken for unpublished,
// and a short page is confirmed by the next one (coze.ListBotsRequest.
// ConfirmShortPage), in case the API serves fewer bots a page than asked.
//
// How long an answer lives: publishStates hangs off providerData, which
// Configure builds anew each time Terraform configures the provider: once
// per provider process and walk (Terraform starts the provider for each
// command, and again for the apply after a plan), and once per walk too when
// one process serves several commands (debug mode, the acceptance tests). So
// an answer is used only by the refreshes of the plan that read it, and never
// by another plan. Within a walk, each publish or unpublish this provider
// makes forgets the listings of its workspace, though Terraform refreshes
// nothing after a change in the same walk today.
type publishStates struct {
	mu       sync.Mutex
	group    singleflight.Group
	epochs   map[string]uint64 // per workspace: the number of publishes and unpublishes made to its bots
	listings map[listingKey]*botListing
	created  map[workspaceBot]bool // bots that coze_bot created in this walk
}

type workspaceBot struct{ workspace, bot string }

// listingKey names one listing: of a workspace's bots published to a
// connector, or (connector "") of all its bots, whatever their state.
type listingKey struct {
	workspace, connector string
	epoch                uint64
}

// botListing is the answer of a listing: the ids it holds, or its error.
type botListing struct {
	bots map[string]bool
	err  error
}

// publishListPageSize is the page size of these listings: the most that the
// sibling listings (workspaces, members) document, and the mock's limit;
// the bot list documents a default of 20 and no maximum.
const publishListPageSize = 50

func newPublishStates() *publishStates {
	return &publishStates{epochs: map[string]uint64{}, listings: map[listingKey]*botListing{}, created: map[workspaceBot]bool{}}
}

// publishedTo returns the bots that workspace lists as published to
// connector.
func (s *publishStates) publishedTo(ctx context.Context, client *coze.Client, workspace, connector string) (map[string]bool, error) {
	return s.listing(ctx, client, workspace, connector, coze.ListBotsRequest{
		WorkspaceID: workspace, PublishStatus: "published_online", ConnectorID: connector,
	})
}

// holds reports whether workspace holds the bot: coze_bot created it there in
// this walk, or a listing of the workspace shows it.
func (s *publishStates) holds(ctx context.Context, client *coze.Client, workspace, botID string) (bool, error) {
	s.mu.Lock()
	created := s.created[workspaceBot{workspace, botID}]
	s.mu.Unlock()
	if created {
		return true, nil
	}
	bots, err := s.listing(ctx, client, workspace, "", coze.ListBotsRequest{WorkspaceID: workspace, PublishStatus: "all"})
	return bots[botID], err
}

// botCreated records a bot that coze_bot created in workspace, which the
// workspace's listing, read before, may not show.
func (s *publishStates) botCreated(workspace, botID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.created[workspaceBot{workspace, botID}] = true
}

// published forgets the listings of workspace: this provider has just
// published or unpublished one of its bots.
func (s *publishStates) published(workspace string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.epochs[workspace]++
}

func (s *publishStates) listing(ctx context.Context, client *coze.Client, workspace, connector string, req coze.ListBotsRequest) (map[string]bool, error) {
	s.mu.Lock()
	key := listingKey{workspace: workspace, connector: connector, epoch: s.epochs[workspace]}
	if l, ok := s.listings[key]; ok {
		s.mu.Unlock()
		return l.bots, l.err
	}
	s.mu.Unlock()

	flightKey := fmt.Sprintf("%s/%s/%d", key.workspace, key.connector, key.epoch)
	result := s.group.DoChan(flightKey, func() (any, error) {
		// The listing is shared: it must not end when the resource that
		// started it is cancelled, only when its deadline passes.
		listCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), listTimeout(ctx))
		defer cancel()
		req.PageSize, req.ConfirmShortPage = publishListPageSize, true
		items, err := client.ListAllBots(listCtx, req, listMaxPages)
		l := &botListing{bots: make(map[string]bool, len(items)), err: err}
		for _, item := range items {
			l.bots[item.ID] = true
		}
		// An API error is kept for the walk like an answer: the resources
		// after the first would only repeat the failed listing. A timeout
		// is not: it belongs to the resource whose deadline ran out.
		if listCtx.Err() == nil {
			s.mu.Lock()
			s.listings[key] = l
			s.mu.Unlock()
		}
		return l, nil
	})
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case r := <-result:
		l, _ := r.Val.(*botListing)
		return l.bots, l.err
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

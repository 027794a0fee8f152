package provider

import (
	"context"
	"sync"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

// publishStates answers coze_bot_publish's refresh from the workspace's bot
// list instead of one read per bot: GET /v1/bots?workspace_id=…&
// publish_status=published_online&connector_id=… lists, 50 a page, every
// bot the workspace has published to that channel. Each (workspace,
// connector) is listed once per walk, however many resources ask, through a
// listingCache (listing_cache.go: sharing, lifetime, errors); each publish
// or unpublish this provider makes forgets the listings of its workspace,
// though Terraform refreshes nothing after a change in the same walk today.
//
// Every page is read, so that a bot on page 2 is not taken for unpublished,
// and a short page is confirmed by the next one (coze.ListBotsRequest.
// ConfirmShortPage), in case the API serves fewer bots a page than asked.
type publishStates struct {
	// listings are the bot ids of a workspace's listings: scope the
	// workspace, name the connector ("" for all its bots, whatever their state).
	listings listingCache[bool]
	mu       sync.Mutex
	created  map[workspaceBot]bool // bots that coze_bot created in this walk
}

type workspaceBot struct{ workspace, bot string }

// publishListPageSize is the page size of these listings: the most that the
// sibling listings (workspaces, members) document, and the mock's limit;
// the bot list documents a default of 20 and no maximum.
const publishListPageSize = 50

func newPublishStates() *publishStates {
	return &publishStates{created: map[workspaceBot]bool{}}
}

// publishedTo returns the bots that workspace lists as published to
// connector.
func (s *publishStates) publishedTo(ctx context.Context, client *coze.Client, workspace, connector string) (map[string]bool, error) {
	return s.listing(ctx, client, workspace, connector, coze.ListBotsRequest{
		WorkspaceID: workspace, PublishStatus: "published_online", ConnectorID: connector,
	})
}

// publishedDraftTo returns the bots that workspace lists as published to
// connector with unpublished changes of their draft (publish_status=
// published_draft). The list's doc defines published_online as "the
// published version" and published_draft as "published, but now a draft";
// whether the two overlap is not said. If they do not, a bot whose draft
// was edited after its publish is missing from published_online although
// it is still published, so a bot missing there is looked up here too.
// Read only when some bot is missing from published_online.
func (s *publishStates) publishedDraftTo(ctx context.Context, client *coze.Client, workspace, connector string) (map[string]bool, error) {
	return s.listing(ctx, client, workspace, "draft:"+connector, coze.ListBotsRequest{
		WorkspaceID: workspace, PublishStatus: "published_draft", ConnectorID: connector,
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
	s.listings.forget(workspace)
}

func (s *publishStates) listing(ctx context.Context, client *coze.Client, workspace, connector string, req coze.ListBotsRequest) (map[string]bool, error) {
	return s.listings.get(ctx, workspace, connector, func(ctx context.Context, add func(string, bool)) error {
		req.PageSize, req.ConfirmShortPage = publishListPageSize, true
		items, err := client.ListAllBots(ctx, req, listMaxPages)
		for _, item := range items {
			add(item.ID, true)
		}
		return err
	})
}

package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

// coze_bot_publish with space_id: the publish state from the workspace's bot
// list, per channel (bot_publish_state.go).

const customChannel = "7470849514748001"

// publishedReads are the reads of a bot's published version, the per-bot
// refresh that space_id replaces.
func (e *testEnv) publishedReads() int {
	n := 0
	for _, r := range e.mock.Requests() {
		if r.Method == http.MethodGet && strings.HasPrefix(r.Path, "/v1/bots/") && strings.Contains(r.RawQuery, "is_published=true") {
			n++
		}
	}
	return n
}

func (e *testEnv) unpublishOutOfBand(t *testing.T, connector string) {
	t.Helper()
	if err := e.apiClientFor(t).UnpublishBot(context.Background(), botID, connector, "out of band"); err != nil {
		t.Fatal(err)
	}
}

// A no-change plan of 5 bots with coze_bot_config and coze_bot_publish
// sends one read per config and one listing, shared by the 5 publish
// resources: no per-bot read of the published version.
func TestAccBotPublish_spaceIDSharesOneListing(t *testing.T) {
	t.Parallel()
	ids := []string{"7342866830000", "7342866830001", "7342866830002", "7342866830003", "7342866830004"}
	env := newTestEnv(t, mockcoze.Options{}, ids...)
	cfg := env.config(fmt.Sprintf(`
resource "coze_bot_config" "b" {
  count  = 5
  bot_id = tostring(7342866830000 + count.index)
  name   = "bot-${count.index}"
}
resource "coze_bot_publish" "b" {
  count    = 5
  bot_id   = coze_bot_config.b[count.index].bot_id
  space_id = %q
  triggers = { config = coze_bot_config.b[count.index].config_hash }
}`, mockcoze.DefaultSpaceID))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg},
			{PreConfig: func() { env.mock.ResetRequests() }, Config: cfg, PlanOnly: true},
			{
				// The no-change plan above is checked by the request log it left.
				PreConfig: func() {
					reads := len(env.mock.Requests()) - len(env.mock.RequestsTo(http.MethodGet, "/v1/bots"))
					if got := env.publishedReads(); got != 0 {
						t.Errorf("the refresh read the published version of bots %d times, want 0", got)
					}
					if got := env.listings(); got != 1 {
						t.Errorf("%d listings of the workspace, want 1 for 5 publish resources", got)
					}
					if reads != 5 {
						t.Errorf("%d other requests, want the 5 reads of coze_bot_config", reads)
					}
				},
				Config:   cfg,
				PlanOnly: true,
			},
		},
	})
}

// A bot published only to the Chat SDK, or to a custom channel and the API,
// reads as published on its channels, with or without space_id, also where
// the API answers the published read with 4015 off the API channel: the
// next plan is empty instead of publishing again on every apply.
func TestAccBotPublish_perConnectorAnswer(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, connectors, space string }{
		{"Chat SDK only, space_id", `["999"]`, mockcoze.DefaultSpaceID},
		{"Chat SDK only, no space_id", `["999"]`, ""},
		{"custom channel, space_id", `["1024", "` + customChannel + `"]`, mockcoze.DefaultSpaceID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, mockcoze.Options{PublishedReadNeedsAPIChannel: true}, botID)
			space := ""
			if tc.space != "" {
				space = fmt.Sprintf("space_id = %q", tc.space)
			}
			cfg := env.config(fmt.Sprintf(`resource "coze_bot_publish" "p" {
  bot_id        = %q
  connector_ids = %s
  %s
}`, botID, tc.connectors, space))
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: cfg},
					{Config: cfg, PlanOnly: true}, // fails on a planned create: the bot read as unpublished
					{
						Config: cfg,
						Check: func(*terraform.State) error {
							if n := len(env.mock.RequestsTo(http.MethodPost, "/v1/bot/publish")); n != 1 {
								return fmt.Errorf("published %d times, want once", n)
							}
							return nil
						},
					},
				},
			})
		})
	}
}

// Refresh with space_id still finds a bot unpublished out of band: from
// one of its channels, as a change of connector_ids that the next apply
// publishes again; from all of them, by removing the resource.
func TestAccBotPublish_unpublishedOutOfBandWithSpaceID(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID)
	cfg := env.config(fmt.Sprintf(`resource "coze_bot_publish" "p" {
  bot_id        = %q
  space_id      = %q
  connector_ids = ["1024", "999"]
}`, botID, mockcoze.DefaultSpaceID))
	published := func(want ...string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if got := env.mock.PublishedConnectors(botID); !slices.Equal(got, want) {
				return fmt.Errorf("published to %v, want %v", got, want)
			}
			return nil
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg, Check: published("1024", "999")},
			{
				PreConfig: func() { env.unpublishOutOfBand(t, "999") },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_bot_publish.p", plancheck.ResourceActionUpdate),
				}},
				Check: published("1024", "999"),
			},
			{
				PreConfig: func() {
					env.unpublishOutOfBand(t, "999")
					env.unpublishOutOfBand(t, "1024")
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_bot_publish.p", plancheck.ResourceActionCreate),
				}},
				Check: published("1024", "999"),
			},
		},
	})
}

// A space_id that does not hold the bot is an error naming both ids: at
// plan time for a new resource or a changed space_id, at refresh for one in
// the state. It never falls back to the per-bot read, and the refresh
// error leaves the state as it was.
func TestAccBotPublish_wrongSpaceID(t *testing.T) {
	t.Parallel()
	const otherSpace = "7341999000000001"
	env := newTestEnv(t, mockcoze.Options{}, botID)
	env.mock.AddBotInSpace("7342866800002", otherSpace)
	res := func(space string) string {
		return env.config(fmt.Sprintf(`resource "coze_bot_publish" "p" {
  bot_id   = %q
  space_id = %q
}`, botID, space))
	}
	mismatch := regexp.MustCompile(`(?s)Coze workspace ` + otherSpace + ` does not hold bot ` + botID + `.*space_id is ` + otherSpace)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: res(otherSpace), PlanOnly: true, ExpectError: mismatch},
			{
				// A bot that exists nowhere is no workspace mismatch: the plan
				// creates, and the apply's publish fails with the API's error.
				Config: env.config(fmt.Sprintf(`resource "coze_bot_publish" "p" {
  bot_id   = "7342866899999"
  space_id = %q
}`, mockcoze.DefaultSpaceID)),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{Config: res(mockcoze.DefaultSpaceID)},
			{Config: res(otherSpace), PlanOnly: true, ExpectError: mismatch},
			{
				// The bot moves to the other workspace (the mock resets it there).
				PreConfig: func() {
					if n := len(env.mock.RequestsTo(http.MethodPost, "/v1/bot/publish")); n != 1 {
						t.Errorf("published %d times, want once: never to a workspace that does not hold the bot", n)
					}
					env.mock.AddBotInSpace(botID, otherSpace)
					env.mock.ResetRequests()
				},
				Config:      res(mockcoze.DefaultSpaceID),
				ExpectError: regexp.MustCompile(`(?s)Coze workspace ` + mockcoze.DefaultSpaceID + ` does not hold bot ` + botID),
			},
			{
				Config:      res(mockcoze.DefaultSpaceID),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`does not hold bot`),
			},
			{
				// Back, and published again: the state was kept, and the plan is empty.
				PreConfig: func() {
					env.mock.AddBotInSpace(botID, mockcoze.DefaultSpaceID)
					if _, err := env.apiClientFor(t).PublishBot(context.Background(), &coze.PublishBotRequest{BotID: botID, ConnectorIDs: []string{"1024"}}); err != nil {
						t.Fatal(err)
					}
				},
				Config:   res(mockcoze.DefaultSpaceID),
				PlanOnly: true,
			},
		},
	})
	if n := len(env.mock.RequestsTo(http.MethodPost, "/v1/bot/publish")); n != 1 {
		t.Errorf("%d publishes after the bot moved, want only the test's own", n)
	}
	if n := env.publishedReads(); n != 0 {
		t.Errorf("read the published version %d times: a silent fallback to the per-bot read", n)
	}
}

// A failed listing is an API error with code, msg and logid, and leaves the
// state as it was; a bot gone from Coze is removed from the state.
func TestAccBotPublish_listErrorKeepsStateAndGoneBotLeavesIt(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID)
	cfg := env.config(fmt.Sprintf(`resource "coze_bot_publish" "p" {
  bot_id   = %q
  space_id = %q
}`, botID, mockcoze.DefaultSpaceID))
	inState := func(s *terraform.State) error {
		if stateAttr(s, "coze_bot_publish.p", "id") != botID {
			return fmt.Errorf("the resource left the state")
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					env.mock.InjectFault(mockcoze.Fault{Method: http.MethodGet, Path: "/v1/bots", Code: 4101, Msg: "no listBot permission"})
				},
				Config:      cfg,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Cannot list the bots of Coze workspace ` + mockcoze.DefaultSpaceID + `.*code:\s+4101.*msg:\s+no listBot permission.*logid:\s+\S+.*left as it was`),
			},
			{Config: cfg, PlanOnly: true, Check: inState},
			{
				PreConfig:          func() { env.mock.DeleteBot(botID) },
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check: func(s *terraform.State) error {
					if _, ok := s.RootModule().Resources["coze_bot_publish.p"]; ok {
						return fmt.Errorf("a deleted bot is still in the state")
					}
					return nil
				},
			},
		},
	})
}

// The lifecycle: space_id from coze_bot.space_id. The bot is created in
// the same apply, so its check happens at apply and needs no listing.
func TestAccBotPublish_spaceIDFromCozeBot(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	cfg := env.config(fmt.Sprintf(`
resource "coze_bot" "b" {
  space_id = %q
  name     = "lifecycle"
}
resource "coze_bot_publish" "p" {
  bot_id   = coze_bot.b.bot_id
  space_id = coze_bot.b.space_id
}`, mockcoze.DefaultSpaceID))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: func(s *terraform.State) error {
					if env.listings() != 0 {
						return fmt.Errorf("%d listings during the apply, want none", env.listings())
					}
					if got := env.mock.PublishedConnectors(stateAttr(s, "coze_bot.b", "bot_id")); !slices.Equal(got, []string{"1024"}) {
						return fmt.Errorf("published to %v", got)
					}
					return nil
				},
			},
			{Config: cfg, PlanOnly: true},
		},
	})
}

// A bot edited after its publish is still published. The docs define
// published_online ("the published version") and published_draft
// ("published, but now a draft") without saying whether they overlap; under
// either reading the refresh keeps the channel, so the next apply does not
// publish the unreviewed draft. Only where they do not overlap is the
// published_draft list read: once per workspace and channel.
func TestAccBotPublish_aDraftEditedAfterThePublishStaysPublished(t *testing.T) {
	t.Parallel()
	for _, apart := range []bool{false, true} {
		t.Run(fmt.Sprint("PublishedStatusesApart=", apart), func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, mockcoze.Options{PublishedStatusesApart: apart}, botID)
			cfg := env.config(fmt.Sprintf(`resource "coze_bot_publish" "p" {
  bot_id        = %q
  space_id      = %q
  connector_ids = ["1024", "999"]
}`, botID, mockcoze.DefaultSpaceID))
			draftListings := func() int {
				n := 0
				for _, r := range env.mock.RequestsTo(http.MethodGet, "/v1/bots") {
					if strings.Contains(r.RawQuery, "publish_status=published_draft") && strings.Contains(r.RawQuery, "page_num=1&") {
						n++
					}
				}
				return n
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: cfg},
					{
						PreConfig: func() {
							env.mock.EditDraft(botID, func(draft map[string]any) { draft["name"] = "edited in the Coze UI" })
							env.mock.ResetRequests()
						},
						Config:   cfg,
						PlanOnly: true, // still published to both channels: nothing to publish
					},
				},
			})
			if n := len(env.mock.RequestsTo(http.MethodPost, "/v1/bot/publish")); n != 0 {
				t.Errorf("%d publishes after the draft was edited, want 0", n)
			}
			want := map[bool]int{false: 0, true: 2}[apart] // one per channel, and only when the lists are apart
			if n := draftListings(); n != want {
				t.Errorf("%d listings of published_draft, want %d", n, want)
			}
			// Listed under published_draft alone, the bot's published read
			// confirms the API channel.
			if n, want := env.publishedReads(), map[bool]int{false: 0, true: 1}[apart]; n != want {
				t.Errorf("%d reads of the published version, want %d", n, want)
			}
		})
	}
}

// "Published, but now a draft" may also mean a bot published once and
// unpublished since (mockcoze.Options.PublishedDraftListsUnpublished): a bot
// listed under published_draft alone is then not known to be published. A
// bot unpublished out of band from the API channel is found under every
// reading of the two lists and of the published read (4015 off the API
// channel, or only when published nowhere), and published again.
func TestAccBotPublish_unpublishedOutOfBandUnderEveryReadingOfPublishedDraft(t *testing.T) {
	t.Parallel()
	for name, opts := range map[string]mockcoze.Options{
		"lists overlap":                          {},
		"lists apart":                            {PublishedStatusesApart: true},
		"draft lists unpublished bots":           {PublishedDraftListsUnpublished: true},
		"draft lists unpublished bots, apart":    {PublishedDraftListsUnpublished: true, PublishedStatusesApart: true},
		"draft lists unpublished bots, API read": {PublishedDraftListsUnpublished: true, PublishedReadNeedsAPIChannel: true},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, opts, botID)
			cfg := env.config(fmt.Sprintf(`resource "coze_bot_publish" "p" {
  bot_id        = %q
  space_id      = %q
  connector_ids = ["1024"]
}`, botID, mockcoze.DefaultSpaceID))
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: cfg},
					{
						PreConfig: func() {
							env.mock.EditDraft(botID, func(draft map[string]any) { draft["name"] = "edited in the Coze UI" })
							env.unpublishOutOfBand(t, "1024")
						},
						Config: cfg,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction("coze_bot_publish.p", plancheck.ResourceActionCreate),
						}},
						Check: func(*terraform.State) error {
							if got := env.mock.PublishedConnectors(botID); !slices.Equal(got, []string{"1024"}) {
								return fmt.Errorf("published to %v after the apply, want [1024]", got)
							}
							return nil
						},
					},
				},
			})
		})
	}
}

// For a channel other than the API's, no read tells whether a bot listed
// under published_draft alone is still published: the channel is kept,
// with a warning that says so.
func TestChannelsStillPublishedKeepsWhatItCannotConfirmWithAWarning(t *testing.T) {
	mock := mockcoze.New(mockcoze.Options{PublishedDraftListsUnpublished: true})
	mock.AddBot(botID)
	client := mockClient(t, mock)
	ctx := context.Background()
	if _, err := client.PublishBot(ctx, &coze.PublishBotRequest{BotID: botID, ConnectorIDs: []string{"1024", "999"}}); err != nil {
		t.Fatal(err)
	}
	if err := client.UnpublishBot(ctx, botID, "999", "out of band"); err != nil {
		t.Fatal(err)
	}
	r := &botPublishResource{resourceBase: resourceBase{data: &providerData{publishStates: newPublishStates()}}}
	var diags diag.Diagnostics
	still, dropped, ok := r.channelsStillPublished(ctx, client, workspaceBot{mockcoze.DefaultSpaceID, botID}, []string{"1024", "999"}, &diags)
	if !ok || len(still) != 2 || len(dropped) != 0 {
		t.Fatalf("still %v, dropped %v, ok %v: want both channels kept", still, dropped, ok)
	}
	d := onlyDiag(t, diags, diag.SeverityWarning)
	wantAll(t, d.Summary(), "Cannot confirm", botID, "999")
	wantAll(t, d.Detail(), "published_draft", "unpublished since", "-replace")
}

// The published read's success may mean "published to some channel"
// (mockcoze.Options.PublishedReadNeedsAPIChannel off): for a bot also
// published to another channel it does not confirm the API channel, which
// is kept with the warning of the channels it cannot confirm.
func TestChannelsStillPublishedDoesNotTakeThePublishedReadForTheAPIChannelOfABotOnOtherChannels(t *testing.T) {
	mock := mockcoze.New(mockcoze.Options{PublishedDraftListsUnpublished: true})
	mock.AddBot(botID)
	client := mockClient(t, mock)
	ctx := context.Background()
	if _, err := client.PublishBot(ctx, &coze.PublishBotRequest{BotID: botID, ConnectorIDs: []string{"1024", "999"}}); err != nil {
		t.Fatal(err)
	}
	if err := client.UnpublishBot(ctx, botID, "1024", "out of band"); err != nil {
		t.Fatal(err)
	}
	r := &botPublishResource{resourceBase: resourceBase{data: &providerData{publishStates: newPublishStates()}}}
	var diags diag.Diagnostics
	still, dropped, ok := r.channelsStillPublished(ctx, client, workspaceBot{mockcoze.DefaultSpaceID, botID}, []string{"1024", "999"}, &diags)
	if !ok || len(still) != 2 || len(dropped) != 0 {
		t.Fatalf("still %v, dropped %v, ok %v: want both channels kept", still, dropped, ok)
	}
	d := onlyDiag(t, diags, diag.SeverityWarning)
	wantAll(t, d.Summary(), "Cannot confirm", botID, "1024")
	wantAll(t, d.Detail(), "published_draft", "may succeed for a bot published to any channel", "-replace")
}

// A published read answered 4006 ("invalid bot id or no permission") for a
// bot its workspace has just listed tells nothing about the channel: the
// refresh fails and keeps the state, rather than drop the API channel.
func TestChannelsStillPublishedKeepsTheStateWhenThePublishedReadIsRefused(t *testing.T) {
	mock := mockcoze.New(mockcoze.Options{PublishedDraftListsUnpublished: true})
	mock.AddBot(botID)
	client := mockClient(t, mock)
	ctx := context.Background()
	if _, err := client.PublishBot(ctx, &coze.PublishBotRequest{BotID: botID, ConnectorIDs: []string{"1024"}}); err != nil {
		t.Fatal(err)
	}
	if err := client.UnpublishBot(ctx, botID, "1024", "out of band"); err != nil {
		t.Fatal(err)
	}
	mock.SetUnreadable(botID, true)
	r := &botPublishResource{resourceBase: resourceBase{data: &providerData{publishStates: newPublishStates()}}}
	var diags diag.Diagnostics
	still, dropped, ok := r.channelsStillPublished(ctx, client, workspaceBot{mockcoze.DefaultSpaceID, botID}, []string{"1024"}, &diags)
	if ok || still != nil || dropped != nil {
		t.Fatalf("still %v, dropped %v, ok %v: want the state left as it was", still, dropped, ok)
	}
	d := onlyDiag(t, diags, diag.SeverityError)
	wantAll(t, d.Detail(), "4006", "published_draft only", "left as it was",
		"lacks the permission to read its published version", "token's permissions", "workspace "+mockcoze.DefaultSpaceID,
		"terraform state rm <address of this coze_bot_publish>")
}

package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

// Before a coze_bot is dropped from the state on 4006/4200, the workspace's
// bot list must confirm that the bot is gone: dropping a bot that exists
// makes the next apply create a second one, which no API can delete.

// botResourceState is coze_bot's state of goneBot in goneBotSpace.
func botResourceState(t *testing.T) tfsdk.State {
	t.Helper()
	resp := &resource.SchemaResponse{}
	NewBotResource().Schema(ctx, resource.SchemaRequest{}, resp)
	state := tfsdk.State{Schema: resp.Schema, Raw: tftypes.NewValue(resp.Schema.Type().TerraformType(ctx), nil)}
	for name, value := range map[string]string{"id": goneBot, "bot_id": goneBot, "space_id": goneBotSpace, "name": "n"} {
		if d := state.SetAttribute(ctx, path.Root(name), value); d.HasError() {
			t.Fatal(d)
		}
	}
	return state
}

func mockClient(t *testing.T, mock *mockcoze.Server) *coze.Client {
	t.Helper()
	srv := httptest.NewServer(mock)
	t.Cleanup(srv.Close)
	client, err := coze.NewClient(coze.Config{BaseURL: srv.URL, Token: mockcoze.DefaultToken, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	return client
}

const (
	goneBot      = "7342866800042"
	goneBotSpace = "7341000000000009"
)

// missingErr reads goneBot as Read does and returns its 4006/4200 error.
func missingErr(t *testing.T, client *coze.Client) error {
	t.Helper()
	_, err := client.GetBot(ctx, goneBot, false)
	if !coze.IsNotFound(err) {
		t.Fatalf("the read must answer 4006 or 4200, got %v", err)
	}
	return err
}

func onlyDiag(t *testing.T, diags diag.Diagnostics, severity diag.Severity) diag.Diagnostic {
	t.Helper()
	if len(diags) != 1 || diags[0].Severity() != severity {
		t.Fatalf("want exactly one diagnostic of severity %v, got %v", severity, diags)
	}
	return diags[0]
}

func wantAll(t *testing.T, text string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(text, p) {
			t.Errorf("%q is missing from:\n%s", p, text)
		}
	}
}

func TestBotGone(t *testing.T) {
	const space, bot = goneBotSpace, goneBot
	logID := regexp.MustCompile(`logid: +[0-9A-F]{26}`)

	t.Run("listed but unreadable: kept, with an error", func(t *testing.T) {
		mock := mockcoze.New(mockcoze.Options{})
		mock.AddBotInSpace(bot, space)
		mock.SetUnreadable(bot, true)
		client := mockClient(t, mock)
		var diags diag.Diagnostics
		if botGone(ctx, client, botResourceState(t), missingErr(t, client), &diags) {
			t.Fatal("a bot that its workspace still lists was dropped")
		}
		d := onlyDiag(t, diags, diag.SeverityError)
		wantAll(t, d.Summary(), bot, space, "still lists")
		wantAll(t, d.Detail(), "code:   4006", "msg:    invalid bot id", "another Coze account", "other Coze site",
			"getMetadata", "kept in the Terraform state", "second bot", "terraform state rm")
		if !logID.MatchString(d.Detail()) {
			t.Errorf("no logid in %s", d.Detail())
		}
	})

	t.Run("not listed in a workspace the token's user owns: dropped, with a warning", func(t *testing.T) {
		mock := mockcoze.New(mockcoze.Options{})
		mock.AddWorkspace(mockcoze.WorkspaceSeed{ID: space, Name: "mine"})
		mock.AddBotInSpace("7342866800043", space) // another bot: the list is not empty
		client := mockClient(t, mock)
		var diags diag.Diagnostics
		if !botGone(ctx, client, botResourceState(t), missingErr(t, client), &diags) {
			t.Fatal("a bot that is neither readable nor listed was kept")
		}
		d := onlyDiag(t, diags, diag.SeverityWarning)
		wantAll(t, d.Detail(), bot, "4200", "removed from the Terraform state", "does not show it either", "creates a new bot",
			"the token's user owns workspace "+space)
	})

	t.Run("not listed in an enterprise's workspace: dropped, with a warning", func(t *testing.T) {
		mock := mockcoze.New(mockcoze.Options{})
		mock.AddWorkspace(mockcoze.WorkspaceSeed{ID: space, Name: "theirs", OwnerUID: "4000000001", EnterpriseID: "volcano_1"})
		mock.AddMember(space, mockcoze.OwnerUserID, coze.RoleMember)
		client := mockClient(t, mock)
		var diags diag.Diagnostics
		if !botGone(ctx, client, botResourceState(t), missingErr(t, client), &diags) {
			t.Fatal("a bot missing from an enterprise workspace's complete list was kept")
		}
		wantAll(t, onlyDiag(t, diags, diag.SeverityWarning).Detail(), "belongs to an enterprise")
	})

	// On the personal edition the bot list shows only the bots of workspaces
	// the token's user owns: "not listed" proves nothing elsewhere.
	for name, seed := range map[string]func(*mockcoze.Server){
		"a workspace of another owner": func(m *mockcoze.Server) {
			m.AddWorkspace(mockcoze.WorkspaceSeed{ID: space, Name: "theirs", OwnerUID: "4000000001"})
			m.AddMember(space, mockcoze.OwnerUserID, coze.RoleAdmin)
		},
		"a workspace the token's list does not show": func(*mockcoze.Server) {},
	} {
		t.Run("not listed in "+name+": kept, with an error", func(t *testing.T) {
			mock := mockcoze.New(mockcoze.Options{})
			seed(mock)
			client := mockClient(t, mock)
			var diags diag.Diagnostics
			if botGone(ctx, client, botResourceState(t), missingErr(t, client), &diags) {
				t.Fatal("dropped although the bot list may not show the bot to this token")
			}
			d := onlyDiag(t, diags, diag.SeverityError)
			wantAll(t, d.Summary(), "Cannot confirm that Coze bot "+bot+" is gone")
			wantAll(t, d.Detail(), "4200", space, "may exist all the same", "kept in the Terraform state", "terraform state rm")
		})
	}

	t.Run("workspace list unreadable: kept, with an error", func(t *testing.T) {
		mock := mockcoze.New(mockcoze.Options{})
		mock.InjectFault(mockcoze.Fault{Method: http.MethodGet, Path: "/v1/workspaces", Code: coze.CodePermissionDenied, Msg: "no listWorkspace permission"})
		client := mockClient(t, mock)
		var diags diag.Diagnostics
		if botGone(ctx, client, botResourceState(t), missingErr(t, client), &diags) {
			t.Fatal("dropped although the workspace list could not be read")
		}
		wantAll(t, onlyDiag(t, diags, diag.SeverityError).Detail(), "code:   4101", "no listWorkspace permission", "listWorkspace",
			"kept in the Terraform state", "terraform state rm")
	})

	t.Run("list unreadable: kept, with an error", func(t *testing.T) {
		mock := mockcoze.New(mockcoze.Options{})
		mock.InjectFault(mockcoze.Fault{Method: http.MethodGet, Path: "/v1/bots", Code: coze.CodePermissionDenied, Msg: "no listBot permission"})
		client := mockClient(t, mock)
		var diags diag.Diagnostics
		if botGone(ctx, client, botResourceState(t), missingErr(t, client), &diags) {
			t.Fatal("dropped although the list could not be read")
		}
		d := onlyDiag(t, diags, diag.SeverityError)
		wantAll(t, d.Detail(), "code:   4101", "no listBot permission", "4200", "kept in the Terraform state")
	})

	t.Run("coze_bot_config has no workspace: dropped, as safe", func(t *testing.T) {
		mock := mockcoze.New(mockcoze.Options{})
		client := mockClient(t, mock)
		var diags diag.Diagnostics
		if !botGone(ctx, client, botConfigState(t, bot), missingErr(t, client), &diags) {
			t.Fatal("coze_bot_config kept")
		}
		wantAll(t, onlyDiag(t, diags, diag.SeverityWarning).Detail(), bot, "never creates a bot")
		if n := len(mock.RequestsTo(http.MethodGet, "/v1/bots")); n != 0 {
			t.Errorf("coze_bot_config listed a workspace %d times", n)
		}
	})
}

// The list is read page by page, to its end: a short or empty page ends it,
// whatever total says.
func TestBotListedReadsEveryPage(t *testing.T) {
	const space = "7341000000000009"
	mock := mockcoze.New(mockcoze.Options{})
	for i := range 2 * coze.DefaultListPageSize {
		mock.AddBotInSpace(fmt.Sprint(7342866800100+i), space)
	}
	client := mockClient(t, mock)

	listed, err := botListed(ctx, client, space, "7342866800999")
	if err != nil || listed {
		t.Fatalf("absent bot: listed %v, err %v", listed, err)
	}
	if n := len(mock.RequestsTo(http.MethodGet, "/v1/bots")); n != 3 { // two full pages, then an empty one
		t.Errorf("read %d pages, want 3", n)
	}

	mock.ResetRequests()
	mock.AddBotInSpace("7342866800999", space) // the highest id comes last among equal times: page 3
	listed, err = botListed(ctx, client, space, "7342866800999")
	if err != nil || !listed {
		t.Fatalf("bot on the last page: listed %v, err %v", listed, err)
	}
	reqs := mock.RequestsTo(http.MethodGet, "/v1/bots")
	if len(reqs) != 3 || !strings.Contains(reqs[0].RawQuery, "publish_status=all") || !strings.Contains(reqs[2].RawQuery, "page_num=3") {
		t.Errorf("want 3 pages of publish_status=all, got %d: %v", len(reqs), reqs)
	}
}

const botInSpace = `
resource "coze_bot" "b" {
  space_id    = "7341000000000000"
  name        = "only one"
  prompt_info = { prompt = "hello" }
}`

func (e *testEnv) checkRequests(method, path string, want int) tfresource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := len(e.mock.RequestsTo(method, path)); got != want {
			return fmt.Errorf("mock saw %d %s %s, want %d", got, method, path, want)
		}
		return nil
	}
}

// Done when: a listed-but-unreadable coze_bot stays in state and no second
// create request is ever sent, across refresh and apply.
func TestAccBot_listedButUnreadableStaysInState(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	cfg := env.config(botInSpace)
	var id string
	unreadable := regexp.MustCompile(`(?s)Cannot read Coze bot [0-9]+, which workspace\s+7341000000000000 still lists.*4006.*kept in the Terraform state`)
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{
				Config: cfg,
				Check: tfresource.ComposeAggregateTestCheckFunc(
					func(s *terraform.State) error { id = stateAttr(s, "coze_bot.b", "bot_id"); return nil },
					env.checkRequests(http.MethodGet, "/v1/bots", 0), // a normal refresh never lists
				),
			},
			{PreConfig: func() { env.mock.SetUnreadable(id, true) }, RefreshState: true, ExpectError: unreadable},
			{Config: cfg, PlanOnly: true, ExpectError: unreadable},
			{Config: cfg, ExpectError: unreadable}, // apply
			{
				PreConfig: func() { env.mock.SetUnreadable(id, false) },
				Config:    cfg,
				PlanOnly:  true, // still in the state: nothing to create
			},
			{
				Config: cfg,
				Check: tfresource.ComposeAggregateTestCheckFunc(
					env.checkRequests(http.MethodPost, "/v1/bot/create", 1),
					func(*terraform.State) error {
						if n := len(env.mock.RequestsTo(http.MethodGet, "/v1/bots")); n < 3 {
							return fmt.Errorf("the workspace list was read %d times, want one per failed read", n)
						}
						return nil
					},
				),
			},
		},
	})
}

// A bot that is gone for real (neither readable nor listed) is dropped with a
// warning, and the next apply creates it again.
func TestAccBot_goneFromItsWorkspaceIsCreatedAgain(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	cfg := env.config(botInSpace)
	var first string
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{
				Config: cfg,
				Check:  func(s *terraform.State) error { first = stateAttr(s, "coze_bot.b", "bot_id"); return nil },
			},
			{
				PreConfig:          func() { env.mock.DeleteBot(first) },
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check: func(s *terraform.State) error {
					if _, ok := s.RootModule().Resources["coze_bot.b"]; ok {
						return fmt.Errorf("a bot gone from its workspace is still in the state")
					}
					return nil
				},
			},
			{
				Config: cfg,
				Check: tfresource.ComposeAggregateTestCheckFunc(
					env.checkRequests(http.MethodPost, "/v1/bot/create", 2),
					func(s *terraform.State) error {
						if second := stateAttr(s, "coze_bot.b", "bot_id"); second == "" || second == first {
							return fmt.Errorf("want a new bot, got %q (first %q)", second, first)
						}
						return nil
					},
				),
			},
		},
	})
}

// 4100 (authentication), 4101 (permission) and any other error but 4006/4200
// say nothing about the bot: no resource is ever dropped on them, and no list
// is read. Each resource alone, so that one's error cannot hide another's drop.
func TestAccBotResources_authAndPermissionErrorsKeepTheState(t *testing.T) {
	t.Parallel()
	for name, hcl := range map[string]string{
		"coze_bot.b": botInSpace,
		"coze_bot_config.c": `
resource "coze_bot_config" "c" {
  bot_id = "7342866800001"
  name   = "configured"
}`,
		"coze_bot_publish.p": `resource "coze_bot_publish" "p" { bot_id = "7342866800001" }`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, mockcoze.Options{}, botID)
			cfg := env.config(hcl)
			failReads := func(code int, msg string) func() {
				return func() {
					env.mock.ClearFaults()
					env.mock.InjectFault(mockcoze.Fault{Method: http.MethodGet, Path: "/v1/bots/*", Code: code, Msg: msg, Times: 1000})
				}
			}
			tfresource.Test(t, tfresource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []tfresource.TestStep{
					{Config: cfg},
					{PreConfig: failReads(coze.CodeAuthInvalid, "authentication is invalid"), RefreshState: true, ExpectError: regexp.MustCompile(`code: +4100`)},
					{PreConfig: failReads(coze.CodePermissionDenied, "no permission"), RefreshState: true, ExpectError: regexp.MustCompile(`code: +4101`)},
					{PreConfig: failReads(coze.CodeBadParameter, "bad parameter"), Config: cfg, PlanOnly: true, ExpectError: regexp.MustCompile(`code: +4000`)},
					{PreConfig: env.mock.ClearFaults, Config: cfg, PlanOnly: true}, // still in the state: nothing to do
					{
						Config: cfg,
						Check: tfresource.ComposeAggregateTestCheckFunc(
							env.checkRequests(http.MethodPost, "/v1/bot/create", map[bool]int{true: 1}[name == "coze_bot.b"]),
							env.checkRequests(http.MethodPost, "/v1/bot/publish", map[bool]int{true: 1}[name == "coze_bot_publish.p"]),
							env.checkRequests(http.MethodGet, "/v1/bots", 0),
						),
					},
				},
			})
		})
	}
}

// On Coze's personal edition, the bot list of a team workspace the token's
// user does not own need not show the bot: "not listed" there proves
// nothing, so the bot stays in the state and no second bot is created.
func TestAccBot_notListedInAWorkspaceOfAnotherOwnerStaysInState(t *testing.T) {
	t.Parallel()
	const team = "7341000000000321"
	env := newTestEnv(t, mockcoze.Options{})
	env.mock.AddWorkspace(mockcoze.WorkspaceSeed{ID: team, Name: "their team", OwnerUID: "4000000001"})
	env.mock.AddMember(team, mockcoze.OwnerUserID, coze.RoleMember)
	cfg := env.config(strings.Replace(botInSpace, mockcoze.DefaultSpaceID, team, 1))
	var id string
	kept := regexp.MustCompile(`(?s)Cannot confirm that Coze bot [0-9]+ is gone.*personal edition.*role in workspace\s+` + team +
		`\s+is\s+member.*kept in the Terraform state.*terraform state rm`)
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{Config: cfg, Check: func(s *terraform.State) error { id = stateAttr(s, "coze_bot.b", "bot_id"); return nil }},
			{PreConfig: func() { env.mock.DeleteBot(id) }, RefreshState: true, ExpectError: kept},
			{Config: cfg, ExpectError: kept}, // apply: refused, nothing created
		},
	})
	if n := len(env.mock.RequestsTo(http.MethodPost, "/v1/bot/create")); n != 1 {
		t.Errorf("%d creates, want 1: the bot was created again", n)
	}
}

// On Coze's personal edition a member of a workspace it does not own sees
// none of its bots in the bot list: the import of such a bot is accepted,
// with a warning, instead of refused (an owner's complete list that does not
// show the bot still refuses it: TestAccBot_createUpdateImportDestroy).
func TestAccBot_importByAMemberWhoDoesNotOwnTheWorkspace(t *testing.T) {
	t.Parallel()
	const team, bot = "7341000000000322", "7342866800077"
	env := newTestEnv(t, mockcoze.Options{BotListOnlyOwnedWorkspaces: true})
	env.mock.AddWorkspace(mockcoze.WorkspaceSeed{ID: team, Name: "their team", OwnerUID: "4000000001"})
	env.mock.AddMember(team, mockcoze.OwnerUserID, coze.RoleMember)
	env.mock.AddBotInSpace(bot, team)
	if listed, err := env.apiClientFor(t).ListAllBots(context.Background(), coze.ListBotsRequest{WorkspaceID: team, PublishStatus: "all"}, 10); err != nil || len(listed) != 0 {
		t.Fatalf("the bot list of a workspace of another owner shows %v (%v), want none", listed, err)
	}
	cfg := env.config(fmt.Sprintf(`
resource "coze_bot" "b" {
  space_id = %q
  name     = "Bot 0077"
}`, team))
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{
				Config:        cfg,
				ResourceName:  "coze_bot.b",
				ImportState:   true,
				ImportStateId: team + "/" + bot,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 || states[0].Attributes["bot_id"] != bot || states[0].Attributes["space_id"] != team ||
						states[0].Attributes["name"] != "Bot 0077" {
						return fmt.Errorf("imported %+v", states)
					}
					return nil
				},
			},
		},
	})
	if n := len(env.mock.RequestsTo(http.MethodPost, "/v1/bot/create")); n != 0 {
		t.Errorf("%d creates, want none", n)
	}
}

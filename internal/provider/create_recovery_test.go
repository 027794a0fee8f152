package provider

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

// A create whose answer was lost (the request reached Coze, then a gateway
// answered 502) is never sent again: the provider adopts the one object of
// the name that the create made, or fails listing the candidates and keeps
// nothing in the state.

// lostAnswer carries the create out and answers a gateway's 502 instead.
func lostAnswer(path string) mockcoze.Fault {
	return mockcoze.Fault{Method: http.MethodPost, Path: path, Status: http.StatusBadGateway,
		RawBody: "<html><h1>502 Bad Gateway</h1></html>", AfterServing: true}
}

// botsNamed lists the ids of the default workspace's bots with this name.
func (e *testEnv) botsNamed(t *testing.T, name string) []string {
	t.Helper()
	bots, err := e.apiClientFor(t).ListAllBots(context.Background(), coze.ListBotsRequest{WorkspaceID: mockcoze.DefaultSpaceID, PublishStatus: "all"}, 10)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, b := range bots {
		if b.Name == name {
			ids = append(ids, b.ID)
		}
	}
	return ids
}

func TestAccBot_aCreateWhoseAnswerWasLostIsAdopted(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	cfg := env.config(botInSpace)
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{
				PreConfig: func() { env.mock.InjectFault(lostAnswer("/v1/bot/create")) },
				Config:    cfg,
				Check: func(s *terraform.State) error {
					ids := env.botsNamed(t, "only one")
					if len(ids) != 1 || stateAttr(s, "coze_bot.b", "bot_id") != ids[0] {
						return fmt.Errorf("want the one bot the create made in the state: bots %v, state %q", ids, stateAttr(s, "coze_bot.b", "bot_id"))
					}
					return env.checkRequests(http.MethodPost, "/v1/bot/create", 1)(s)
				},
			},
			{Config: cfg, PlanOnly: true}, // the adopted bot has the planned settings
		},
	})
}

func TestAccBot_anUncertainCreateWithoutOneNewBotKeepsNothing(t *testing.T) {
	t.Parallel()
	t.Run("none made", func(t *testing.T) {
		t.Parallel()
		env := newTestEnv(t, mockcoze.Options{})
		tfresource.Test(t, tfresource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []tfresource.TestStep{{
				PreConfig: func() {
					env.mock.InjectFault(mockcoze.Fault{Method: http.MethodPost, Path: "/v1/bot/create", Status: http.StatusGatewayTimeout,
						RawBody: "<html>504 Gateway Time-out</html>"})
				},
				Config: env.config(botInSpace),
				// Coze may carry the create out late: the list is read again
				// before the error says that most likely none was made, and it
				// never says to apply again without looking in Coze first.
				ExpectError: regexp.MustCompile(`(?s)Cannot create Coze bot "only one" in workspace 7341000000000000.*HTTP 504.*` +
					`may have\s+reached\s+Coze.*not\s+sent\s+again.*showed\s+no\s+Coze\s+bot\s+named\s+"only\s+one"\s+within\s+[0-9]+s\s+of\s+the\s+failure\s+\(3\s+reads\).*` +
					`Nothing\s+was\s+kept.*Most\s+likely\s+none\s+was\s+made.*Before\s+applying\s+again,\s+look\s+in\s+Coze.*If\s+one\s+appears,\s+import\s+it:\s+` +
					`terraform\s+import\s+<address\s+of\s+this\s+coze_bot>\s+7341000000000000/<id>`),
			}},
		})
		if n := len(env.mock.RequestsTo(http.MethodPost, "/v1/bot/create")); n != 1 {
			t.Errorf("the create was sent %d times, want once", n)
		}
		if n := len(env.mock.RequestsTo(http.MethodGet, "/v1/bots")); n != len(testCreateRechecks) {
			t.Errorf("the bot list was read %d times after the failure, want %d", n, len(testCreateRechecks))
		}
	})
	t.Run("two of the name made meanwhile", func(t *testing.T) {
		t.Parallel()
		// Someone else creates a bot of the same name while the create runs:
		// the create request reaches the mock twice, then a gateway answers 502.
		mock := mockcoze.New(mockcoze.Options{Token: testToken})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodPost || r.URL.Path != "/v1/bot/create" {
				mock.ServeHTTP(w, r)
				return
			}
			body, _ := io.ReadAll(r.Body)
			for range 2 {
				again := r.Clone(r.Context())
				again.Body = io.NopCloser(bytes.NewReader(body))
				mock.ServeHTTP(httptest.NewRecorder(), again)
			}
			w.WriteHeader(http.StatusBadGateway)
			_, _ = io.WriteString(w, "<html>502 Bad Gateway</html>")
		}))
		t.Cleanup(srv.Close)
		env := &testEnv{mock: mock, url: srv.URL}
		tfresource.Test(t, tfresource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []tfresource.TestStep{{
				Config: env.config(botInSpace),
				ExpectError: regexp.MustCompile(`(?s)showed\s+2\s+Coze\s+bot\(s\)\s+named\s+"only\s+one"\s+within\s+[0-9]+s\s+of\s+the\s+failure\s+\(1\s+read\),\s+and\s+2\s+of\s+them.*none\s+was\s+adopted.*` +
					`terraform\s+import\s+<address\s+of\s+this\s+coze_bot>\s+7341000000000000/[0-9]+.*Nothing\s+was\s+kept`),
			}},
		})
		if ids := env.botsNamed(t, "only one"); len(ids) != 2 {
			t.Errorf("bots named \"only one\": %v, want 2: none created again", ids)
		}
	})
}

func TestAccWorkspace_aCreateWhoseAnswerWasLostIsAdopted(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	cfg := env.config(workspaceHCL("Support (dev)", "the team's dev space", ""))
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{
				PreConfig: func() { env.mock.InjectFault(lostAnswer("/v1/workspaces")) },
				Config:    cfg,
				Check: func(s *terraform.State) error {
					id := stateAttr(s, "coze_workspace.w", "id")
					if info, found := env.mock.Workspace(id); !found || info.Name != "Support (dev)" {
						return fmt.Errorf("workspace %q of the state in the mock: %v", id, found)
					}
					if n := env.mock.WorkspaceCount(); n != 2 { // the personal one and this one
						return fmt.Errorf("%d workspaces, want 2", n)
					}
					return env.checkRequests(http.MethodPost, "/v1/workspaces", 1)(s)
				},
			},
			{Config: cfg, PlanOnly: true},
		},
	})
}

// A workspace of the name that the list showed before the create is not the
// create's: it is listed as a candidate, never adopted.
func TestAccWorkspace_anUncertainCreateNeverAdoptsAWorkspaceListedBefore(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	existing := env.mock.AddWorkspace(mockcoze.WorkspaceSeed{Name: "Support (dev)", Description: "older"})
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []tfresource.TestStep{{
			PreConfig: func() {
				env.mock.InjectFault(mockcoze.Fault{Method: http.MethodPost, Path: "/v1/workspaces", Status: http.StatusBadGateway,
					RawBody: "<html>502</html>"})
			},
			Config: env.config(workspaceHCL("Support (dev)", "the team's dev space", "")),
			ExpectError: regexp.MustCompile(`(?s)Cannot create Coze workspace "Support \(dev\)".*HTTP 502.*showed\s+1\s+Coze\s+workspace\(s\).*` +
				`and\s+0\s+of\s+them.*` + existing + `\s+\(listed\s+before\s+the\s+create\).*terraform\s+import.*` + existing + `.*Nothing\s+was\s+kept`),
		}},
	})
	if n := len(env.mock.RequestsTo(http.MethodPost, "/v1/workspaces")); n != 1 {
		t.Errorf("the create was sent %d times, want once", n)
	}
}

// On the personal edition the bot list of a workspace the token's user does
// not own shows none of its bots: "not listed" there proves nothing. The
// error says the bot may exist and how to find and import it, and never to
// apply again, which would make a second bot.
func TestAccBot_anUncertainCreateWhoseListCannotShowTheBotSaysSo(t *testing.T) {
	t.Parallel()
	const team = "7341000000000323"
	env := newTestEnv(t, mockcoze.Options{BotListOnlyOwnedWorkspaces: true})
	env.mock.AddWorkspace(mockcoze.WorkspaceSeed{ID: team, Name: "their team", OwnerUID: "4000000001"})
	env.mock.AddMember(team, mockcoze.OwnerUserID, coze.RoleAdmin)
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []tfresource.TestStep{{
			PreConfig: func() { env.mock.InjectFault(lostAnswer("/v1/bot/create")) },
			Config:    env.config(strings.Replace(botInSpace, mockcoze.DefaultSpaceID, team, 1)),
			ExpectError: regexp.MustCompile(`(?s)Cannot create Coze bot "only one" in workspace ` + team + `.*HTTP 502.*showed\s+no\s+Coze\s+bot.*` +
				`Nothing\s+was\s+kept.*may\s+exist,\s+and\s+the\s+provider\s+cannot\s+check.*personal\s+edition.*role\s+in\s+workspace\s+` + team +
				`\s+is\s+admin.*Before\s+the\s+next\s+apply.*look\s+for\s+it\s+in\s+Coze.*open\s+workspace\s+` + team +
				`.*terraform\s+import\s+<address\s+of\s+this\s+coze_bot>\s+` + team + `/<id>`),
		}},
	})
	if n := len(env.mock.RequestsTo(http.MethodPost, "/v1/bot/create")); n != 1 {
		t.Errorf("the create was sent %d times, want once", n)
	}
}

// A workspace created for an owner (owner_uid and coze_account_id) is in
// the owner's list, not the token's: the recovery reads the owner's list,
// as Create's read-back and Read do, and adopts it.
func TestAccWorkspace_anUncertainCreateForAnOwnerIsFoundInTheOwnersList(t *testing.T) {
	t.Parallel()
	const owner = "4026880821030"
	env := newTestEnv(t, mockcoze.Options{})
	env.mock.AddUser(owner, "lead")
	cfg := env.config(workspaceHCL("Support (prod)", "the team's prod space",
		`coze_account_id = "7490888144450001"
  owner_uid       = "`+owner+`"`))
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{
				PreConfig: func() { env.mock.InjectFault(lostAnswer("/v1/workspaces")) },
				Config:    cfg,
				Check: func(s *terraform.State) error {
					id := stateAttr(s, "coze_workspace.w", "id")
					if info, found := env.mock.Workspace(id); !found || info.Name != "Support (prod)" || info.OwnerUID != owner {
						return fmt.Errorf("workspace %q of the state in the mock: %+v, %v", id, info, found)
					}
					if n := env.mock.WorkspaceCount(); n != 2 {
						return fmt.Errorf("%d workspaces, want 2", n)
					}
					return env.checkRequests(http.MethodPost, "/v1/workspaces", 1)(s)
				},
			},
			{Config: cfg, PlanOnly: true},
		},
	})
}

// Where the list the recovery reads may not show the new workspace (an
// owner without an organization, a service app), nothing is adopted, and
// the error says so without ever suggesting to apply again.
func TestWorkspaceCreateListIsTrustedOnlyWhereItShowsTheNewWorkspace(t *testing.T) {
	key, _ := testAppKeys(t)
	pat, err := coze.NewClient(coze.Config{BaseURL: "https://api.coze.cn", Token: "pat_test"})
	if err != nil {
		t.Fatal(err)
	}
	app, err := coze.NewClient(coze.Config{BaseURL: "https://api.coze.cn",
		OAuthJWT: &coze.JWTApp{ClientID: testAppClientID, PublicKeyID: testAppKid, PrivateKey: key}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name          string
		client        *coze.Client
		req           coze.CreateWorkspaceRequest
		wantUser      string
		wantUnchecked string
	}{
		{"personal token", pat, coze.CreateWorkspaceRequest{}, "", ""},
		{"owner and organization", app, coze.CreateWorkspaceRequest{OwnerUID: "4026880821030", CozeAccountID: "7490888144450001"}, "4026880821030", ""},
		{"owner without organization", pat, coze.CreateWorkspaceRequest{OwnerUID: "4026880821030"}, "", "owner_uid"},
		{"service app", app, coze.CreateWorkspaceRequest{}, "", "service app"},
	} {
		t.Run(c.name, func(t *testing.T) {
			list, _, _, unchecked := workspaceCreateList(c.client, &c.req)
			if list.UserID != c.wantUser || (unchecked == "") != (c.wantUnchecked == "") || !strings.Contains(unchecked, c.wantUnchecked) {
				t.Errorf("list %+v, unchecked %q; want user %q, unchecked about %q", list, unchecked, c.wantUser, c.wantUnchecked)
			}
		})
	}

	// A gateway's 502 page, a 5000 and a lost connection: the generic hints of
	// these failures say to apply again, which the error must not.
	for _, lost := range []error{
		&coze.APIError{Operation: "create workspace", HTTPStatus: 502, Code: -1, BodySnippet: "<html>502 Bad Gateway</html>"},
		&coze.APIError{Operation: "create workspace", HTTPStatus: 200, Code: 5000, Msg: "internal error", LogID: "L"},
		errors.New("create workspace: read tcp: connection reset by peer"),
	} {
		var diags diag.Diagnostics
		adopted := uncertainCreate(&diags, pat, uncertainCreation{
			what: "Coze workspace", resourceType: "coze_workspace", name: "w", where: "the token's workspace list",
			err: &coze.UncertainCreateError{Operation: "create workspace", Err: lost}, unchecked: "the provider authenticates as a service app",
			candidates: []createCandidate{{id: "7530000000000000001", isNew: true, detail: "not listed before the create"}},
			lookIn:     "in the Coze console", importID: func(id string) string { return id },
		})
		if adopted != "" || !diags.HasError() {
			t.Fatalf("adopted %q from a list that may not show the workspace: %v", adopted, diags)
		}
		detail := diags[0].Detail()
		wantAll(t, detail, "may exist, and the provider cannot check", "service app", "7530000000000000001", "terraform import", "Before the next apply")
		if strings.Contains(strings.ToLower(detail), "apply again") {
			t.Errorf("the error suggests applying again, which could create a second workspace:\n%s", detail)
		}
	}
}

// A bot that existed before the create and was updated while it ran is not
// the create's: not one written by this run (the coze_bot_config below),
// not a published one, not one with another description. The one new bot
// is adopted.
func TestAccBot_anUncertainCreateNeverAdoptsABotThatExistedBefore(t *testing.T) {
	t.Parallel()
	const (
		ours      = "7342866800101" // updated by a coze_bot_config of the same run
		published = "7342866800102" // updated in the Coze UI, published
		described = "7342866800103" // updated in the Coze UI, another description
	)
	mock := mockcoze.New(mockcoze.Options{Token: testToken})
	for _, id := range []string{ours, published, described} {
		mock.AddBot(id)
		mock.EditDraft(id, func(d map[string]any) { d["name"], d["description"] = "Support", "answers questions" })
	}
	mock.EditDraft(described, func(d map[string]any) { d["description"] = "an older bot" })
	srv := httptest.NewServer(mock)
	t.Cleanup(srv.Close)
	env := &testEnv{mock: mock, url: srv.URL}
	if _, err := env.apiClientFor(t).PublishBot(context.Background(), &coze.PublishBotRequest{BotID: published, ConnectorIDs: []string{"1024"}}); err != nil {
		t.Fatal(err)
	}

	// The create waits until coze_bot_config's update of the other bot is
	// served, so that the update falls within the create's window; the
	// bots edited in the Coze UI are edited then too. Then the create is
	// carried out and its answer lost.
	createArrived, updated := make(chan struct{}), make(chan struct{})
	var arrive, update sync.Once
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/v1/bot/update":
			wait(createArrived)
			mock.ServeHTTP(w, r)
			update.Do(func() { close(updated) })
		case r.Method == http.MethodPost && r.URL.Path == "/v1/bot/create":
			arrive.Do(func() { close(createArrived) })
			wait(updated)
			mock.EditDraft(published, func(d map[string]any) { d["prompt_info"] = map[string]any{"prompt": "edited"} })
			mock.EditDraft(described, func(d map[string]any) { d["prompt_info"] = map[string]any{"prompt": "edited"} })
			mock.ServeHTTP(httptest.NewRecorder(), r)
			w.WriteHeader(http.StatusBadGateway)
			_, _ = io.WriteString(w, "<html>502 Bad Gateway</html>")
		default:
			mock.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(proxy.Close)
	env.url = proxy.URL
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []tfresource.TestStep{{
			Config: env.config(fmt.Sprintf(`
resource "coze_bot_config" "ours" {
  bot_id      = %q
  name        = "Support"
  description = "answers questions"
  prompt_info = { prompt = "updated by this run" }
}
resource "coze_bot" "b" {
  space_id    = %q
  name        = "Support"
  description = "answers questions"
}`, ours, mockcoze.DefaultSpaceID)),
			Check: func(s *terraform.State) error {
				adopted := stateAttr(s, "coze_bot.b", "bot_id")
				if slices.Contains([]string{ours, published, described}, adopted) {
					return fmt.Errorf("adopted bot %s, which existed before the create", adopted)
				}
				if ids := env.botsNamed(t, "Support"); len(ids) != 4 || !slices.Contains(ids, adopted) {
					return fmt.Errorf("bots named Support: %v; want the 3 old ones and the adopted %s", ids, adopted)
				}
				return env.checkRequests(http.MethodPost, "/v1/bot/create", 1)(s)
			},
		}},
	})
}

// wait waits for ch to close, at most 10 seconds: a test that gets the
// order wrong fails instead of hanging.
func wait(ch chan struct{}) {
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
	}
}

// heldCreateProxy serves mock behind a gateway that, for POST /v1/bot/create,
// answers answer (status, body) and carries the create out only at the
// second read of the bot list after it (late), or right away (!late): Coze
// may carry a create out after its answer was lost.
func heldCreateProxy(t *testing.T, mock *mockcoze.Server, status int, answer string, late bool) *testEnv {
	t.Helper()
	var mu sync.Mutex
	var held *http.Request
	listsAfter := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/v1/bot/create":
			body, _ := io.ReadAll(r.Body)
			create := r.Clone(context.Background())
			create.Body = io.NopCloser(bytes.NewReader(body))
			if late {
				mu.Lock()
				held = create
				mu.Unlock()
			} else {
				mock.ServeHTTP(httptest.NewRecorder(), create)
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = io.WriteString(w, answer)
			return
		case r.Method == http.MethodGet && r.URL.Path == "/v1/bots":
			mu.Lock()
			if held != nil {
				if listsAfter++; listsAfter == 2 {
					mock.ServeHTTP(httptest.NewRecorder(), held)
					held = nil
				}
			}
			mu.Unlock()
		}
		mock.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return &testEnv{mock: mock, url: srv.URL}
}

// A create that Coze carries out after its answer was lost shows in the
// list only at a later read: the list is read again before the provider
// concludes anything, and the bot is adopted.
func TestAccBot_anUncertainCreateCarriedOutLateIsAdopted(t *testing.T) {
	t.Parallel()
	env := heldCreateProxy(t, mockcoze.New(mockcoze.Options{Token: testToken}), http.StatusBadGateway, "<html>502 Bad Gateway</html>", true)
	cfg := env.config(botInSpace)
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{
				Config: cfg,
				Check: func(s *terraform.State) error {
					ids := env.botsNamed(t, "only one")
					if len(ids) != 1 || stateAttr(s, "coze_bot.b", "bot_id") != ids[0] {
						return fmt.Errorf("want the one bot the create made in the state: bots %v, state %q", ids, stateAttr(s, "coze_bot.b", "bot_id"))
					}
					return env.checkRequests(http.MethodPost, "/v1/bot/create", 1)(s)
				},
			},
			{Config: cfg, PlanOnly: true},
		},
	})
}

// A create answered success without its bot_id made the bot: the provider
// adopts it when the list shows it, and otherwise never says that none was
// made.
func TestAccBot_aCreateAnsweredWithoutItsIDNeverSaysNoneWasMade(t *testing.T) {
	t.Parallel()
	const noID = `{"code":0,"msg":"","data":{}}`
	t.Run("listed", func(t *testing.T) {
		t.Parallel()
		env := heldCreateProxy(t, mockcoze.New(mockcoze.Options{Token: testToken}), http.StatusOK, noID, false)
		tfresource.Test(t, tfresource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []tfresource.TestStep{{
				Config: env.config(botInSpace),
				Check: func(s *terraform.State) error {
					if ids := env.botsNamed(t, "only one"); len(ids) != 1 || stateAttr(s, "coze_bot.b", "bot_id") != ids[0] {
						return fmt.Errorf("want the one bot the create made in the state: bots %v", ids)
					}
					return nil
				},
			}},
		})
	})
	t.Run("not listed", func(t *testing.T) {
		t.Parallel()
		// The gateway answers success without carrying the create out: the
		// list never shows the bot, as when Coze lists it late.
		mock := mockcoze.New(mockcoze.Options{Token: testToken})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && r.URL.Path == "/v1/bot/create" {
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, noID)
				return
			}
			mock.ServeHTTP(w, r)
		}))
		t.Cleanup(srv.Close)
		env := &testEnv{mock: mock, url: srv.URL}
		tfresource.Test(t, tfresource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []tfresource.TestStep{{
				Config: env.config(botInSpace),
				ExpectError: regexp.MustCompile(`(?s)returned\s+no\s+bot_id.*so\s+the\s+Coze\s+bot\s+was\s+created.*showed\s+no\s+Coze\s+bot.*` +
					`\(3\s+reads\).*exists\s+all\s+the\s+same.*Before\s+the\s+next\s+apply,\s+which\s+would\s+create\s+a\s+second\s+Coze\s+bot.*` +
					`terraform\s+import\s+<address\s+of\s+this\s+coze_bot>\s+7341000000000000/<id>`),
			}},
		})
	})
}

// The error of a create answered success without its id never says that
// none was made, or to apply again, whatever the list shows.
func TestUncertainCreateOfACreatedObjectNeverSaysNoneWasMade(t *testing.T) {
	client, err := coze.NewClient(coze.Config{BaseURL: "https://api.coze.cn", Token: "pat_test"})
	if err != nil {
		t.Fatal(err)
	}
	created := &coze.UncertainCreateError{Operation: "create bot", Created: true,
		Err: errors.New("create bot in space 1: the API answered success but returned no bot_id")}
	for name, u := range map[string]uncertainCreation{
		"none listed": {reads: 3, within: 10 * time.Second},
		"old one listed": {reads: 3, within: 10 * time.Second,
			candidates: []createCandidate{{id: "7342866800101", detail: "updated at 2020-01-01T00:00:00Z"}}},
		"unchecked": {reads: 1, unchecked: "the token's role in workspace 1 is member"},
	} {
		t.Run(name, func(t *testing.T) {
			u.what, u.resourceType, u.name, u.where, u.err = "Coze bot", "coze_bot", "b", "workspace 1", created
			u.lookIn, u.importID = "in the Coze console", func(id string) string { return "1/" + id }
			var diags diag.Diagnostics
			if adopted := uncertainCreate(&diags, client, u); adopted != "" || !diags.HasError() {
				t.Fatalf("adopted %q: %v", adopted, diags)
			}
			detail := diags[0].Detail()
			wantAll(t, detail, "was created", "answered success without the new object's id", "Before the next apply", "terraform import <address of this coze_bot> 1/<id>")
			for _, never := range []string{"none was made", "apply again", "may exist", "was lost"} {
				if strings.Contains(strings.ToLower(detail), never) {
					t.Errorf("the error says %q of a bot that was created:\n%s", never, detail)
				}
			}
		})
	}
}

// Of two overlapping uncertain creates of one name that find the same new
// object, only one adopts it: the claim is atomic.
func TestLookForCreatedAdoptsAnObjectOnce(t *testing.T) {
	var written writtenIDs
	var listed sync.WaitGroup
	listed.Add(2)
	adopted := make([]string, 2)
	var done sync.WaitGroup
	for i := range 2 {
		done.Add(1)
		go func() {
			defer done.Done()
			u := uncertainCreation{claim: func(id string) bool { return written.claim("bot", id) }}
			first := true
			lookForCreated(context.Background(), testCreateRechecks, &u, func(_ context.Context, u *uncertainCreation) {
				// Both creates read the list before either adopts.
				u.candidates = []createCandidate{{id: "7", isNew: !written.has("bot", "7"), detail: "updated now"}}
				if first {
					first = false
					listed.Done()
					listed.Wait()
				}
			})
			adopted[i] = u.adopted
		}()
	}
	done.Wait()
	if n := len(slices.DeleteFunc(slices.Clone(adopted), func(id string) bool { return id == "" })); n != 1 {
		t.Errorf("adopted %q, want bot 7 adopted by exactly one create", adopted)
	}
	var claims atomic.Int32
	var all sync.WaitGroup
	for range 20 {
		all.Add(1)
		go func() {
			defer all.Done()
			if written.claim("workspace", "8") {
				claims.Add(1)
			}
		}()
	}
	all.Wait()
	if n := claims.Load(); n != 1 || !written.has("workspace", "8") {
		t.Errorf("%d claims of one workspace succeeded, want 1", n)
	}
}

// A workspace created where the list may not show it (an owner without an
// organization) is never adopted from that list, so the list is not read
// before the create: one read, after the failure, to show the candidates.
func TestCreateWorkspaceReadsNoListBeforeWhereItCannotAdopt(t *testing.T) {
	mock := mockcoze.New(mockcoze.Options{})
	mock.InjectFault(mockcoze.Fault{Method: http.MethodPost, Path: "/v1/workspaces", Status: http.StatusBadGateway, RawBody: "<html>502</html>"})
	client := mockClient(t, mock)
	r := &workspaceResource{resourceBase: resourceBase{data: &providerData{createRechecks: testCreateRechecks}}}
	var diags diag.Diagnostics
	id := r.createWorkspace(newCreateRecovery(context.Background(), context.Background()), client, &coze.CreateWorkspaceRequest{Name: "w", Description: "d", OwnerUID: "4026880821030"}, &diags)
	if id != "" || !diags.HasError() {
		t.Fatalf("created %q: %v", id, diags)
	}
	if n := len(mock.RequestsTo(http.MethodGet, "/v1/workspaces")); n != 1 {
		t.Errorf("the workspace list was read %d times, want once (after the failure only)", n)
	}
	wantAll(t, diags[0].Detail(), "may exist, and the provider cannot check", "owner_uid")
}

// A create that failed because its timeout ran out while Coze carried it
// out still looks for the bot (the token's workspace list and the bot list
// are read on the recovery context, not the create's), adopts it and
// applies the planned settings to it.
func TestAccBot_aCreateWhoseTimeoutRanOutIsAdoptedAndConfigured(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	cfg := env.config(`
resource "coze_bot" "b" {
  space_id    = "7341000000000000"
  name        = "only one"
  prompt_info = { prompt = "hello" }
  timeouts    = { create = "2s" }
}`)
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{
				// The create is carried out, and its answer comes long after the timeout.
				PreConfig: func() {
					env.mock.InjectFault(mockcoze.Fault{Method: http.MethodPost, Path: "/v1/bot/create", AfterServing: true, Delay: time.Minute})
				},
				Config: cfg,
				Check: func(s *terraform.State) error {
					ids := env.botsNamed(t, "only one")
					if len(ids) != 1 || stateAttr(s, "coze_bot.b", "bot_id") != ids[0] {
						return fmt.Errorf("want the one bot the create made in the state: bots %v, state %q", ids, stateAttr(s, "coze_bot.b", "bot_id"))
					}
					if n := len(env.mock.RequestsTo(http.MethodPost, "/v1/bot/update")); n != 1 {
						return fmt.Errorf("the adopted bot was updated %d times, want once (its planned settings)", n)
					}
					return env.checkRequests(http.MethodPost, "/v1/bot/create", 1)(s)
				},
			},
			{Config: cfg, PlanOnly: true}, // the adopted bot has the planned settings
		},
	})
}

// The recovery context outlives the create's deadline, so a create whose
// timeout runs out during the looking still gets every read; it ends when
// the create's context is cancelled for another reason (the apply stopped).
func TestCreateRecoveryOutlivesTheCreatesDeadlineOnly(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	recovery := newCreateRecovery(context.Background(), ctx)
	defer recovery.close()
	reads := 0
	u := uncertainCreation{}
	rechecks := []time.Duration{0, 50 * time.Millisecond, 50 * time.Millisecond} // the deadline passes during the first wait
	lookForCreated(recovery.context(), rechecks, &u, func(ctx context.Context, u *uncertainCreation) {
		reads++
		u.listErr = ctx.Err()
	})
	if reads != len(rechecks) || u.listErr != nil {
		t.Errorf("%d reads (last error %v), want %d without error: the create's deadline ended the looking", reads, u.listErr, len(rechecks))
	}
	if d, ok := recovery.context().Deadline(); !ok || time.Until(d) < createRecheckTimeout-10*time.Second {
		t.Errorf("recovery deadline %v, want about %s from the failure", d, createRecheckTimeout)
	}

	stopped, stop := context.WithCancel(context.Background())
	other := newCreateRecovery(stopped, stopped)
	defer other.close()
	rctx := other.context()
	stop()
	select {
	case <-rctx.Done():
	case <-time.After(10 * time.Second):
		t.Error("the recovery context outlived a cancelled create")
	}
}

// A create whose own timeout has run out when the recovery starts is still
// stopped with the apply: the recovery ends when the request's context is
// cancelled, although the create's ended by its deadline long before.
func TestCreateRecoveryStopsWithTheRequestAfterTheCreatesDeadline(t *testing.T) {
	request, stop := context.WithCancel(context.Background())
	defer stop()
	create, cancel := context.WithTimeout(request, 10*time.Millisecond)
	defer cancel()
	<-create.Done() // the create failed because its timeout ran out
	recovery := newCreateRecovery(request, create)
	defer recovery.close()
	rctx := recovery.context()
	if err := rctx.Err(); err != nil {
		t.Fatalf("the recovery context ended with the create's deadline: %v", err)
	}
	stop() // Terraform stops the apply
	select {
	case <-rctx.Done():
	case <-time.After(10 * time.Second):
		t.Error("the recovery context outlived the stopped apply")
	}
}

// A failed read of the token's workspace list, which tells whether the bot
// list shows every bot, is read again like a failed bot list: the bot is
// adopted at the next read.
func TestAccBot_anUncertainCreateRereadsAFailedCoverage(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []tfresource.TestStep{{
			PreConfig: func() {
				env.mock.InjectFault(lostAnswer("/v1/bot/create"))
				env.mock.InjectFault(mockcoze.Fault{Method: http.MethodGet, Path: "/v1/workspaces", Code: 4101, Msg: "no permission"})
			},
			Config: env.config(botInSpace),
			Check: func(s *terraform.State) error {
				ids := env.botsNamed(t, "only one")
				if len(ids) != 1 || stateAttr(s, "coze_bot.b", "bot_id") != ids[0] {
					return fmt.Errorf("want the one bot the create made in the state: bots %v, state %q", ids, stateAttr(s, "coze_bot.b", "bot_id"))
				}
				return env.checkRequests(http.MethodPost, "/v1/bot/create", 1)(s)
			},
		}},
	})
}

// While two resources of a walk create a workspace of one name in one list,
// the new workspace of that name may be either's: an uncertain create then
// adopts nothing, and lists it with its import command.
func TestCreateWorkspaceNeverAdoptsWhileAnotherCreateOfTheNameRuns(t *testing.T) {
	mock := mockcoze.New(mockcoze.Options{})
	mock.InjectFault(mockcoze.Fault{Method: http.MethodPost, Path: "/v1/workspaces", Status: http.StatusBadGateway,
		RawBody: "<html>502</html>", AfterServing: true})
	client := mockClient(t, mock)
	r := &workspaceResource{resourceBase: resourceBase{data: &providerData{createRechecks: testCreateRechecks}}}
	r.data.written.createStarted("workspace", "", "w") // another coze_workspace "w" of this walk, its answer not yet come
	var diags diag.Diagnostics
	id := r.createWorkspace(newCreateRecovery(context.Background(), context.Background()), client, &coze.CreateWorkspaceRequest{Name: "w", Description: "d"}, &diags)
	if id != "" || !diags.HasError() {
		t.Fatalf("adopted %q: %v", id, diags)
	}
	wantAll(t, diags[0].Detail(), "1 of them can be told apart", "none was adopted, since 2 resources of this run are creating",
		"terraform import <address of this coze_workspace> ")
	if n := len(mock.RequestsTo(http.MethodPost, "/v1/workspaces")); n != 1 {
		t.Errorf("the create was sent %d times, want once", n)
	}
}

// Of three workspaces of one name in one list (count = 3; Coze allows it),
// creates that succeeded and claimed their workspaces no longer count: the
// next create of the name, whose answer is lost after the mock served it,
// adopts the one new workspace. A create that failed for certain does not
// count either; an uncertain one that adopted nothing does.
func TestCreateWorkspaceAdoptsOnceTheOtherCreatesOfTheNameResolved(t *testing.T) {
	mock := mockcoze.New(mockcoze.Options{})
	client := mockClient(t, mock)
	r := &workspaceResource{resourceBase: resourceBase{data: &providerData{createRechecks: testCreateRechecks}}}
	create := func() (string, diag.Diagnostics) {
		var diags diag.Diagnostics
		defer r.data.workspaces.forget("") // as Create does
		id := r.createWorkspace(newCreateRecovery(context.Background(), context.Background()), client, &coze.CreateWorkspaceRequest{Name: "w", Description: "d"}, &diags)
		return id, diags
	}
	first, diags := create()
	if first == "" || diags.HasError() {
		t.Fatalf("first create: %v", diags)
	}
	mock.InjectFault(mockcoze.Fault{Method: http.MethodPost, Path: "/v1/workspaces", Code: 4000, Msg: "invalid"})
	if id, diags := create(); id != "" || !diags.HasError() {
		t.Fatalf("a refused create made %q: %v", id, diags)
	}
	mock.InjectFault(mockcoze.Fault{Method: http.MethodPost, Path: "/v1/workspaces", Status: http.StatusBadGateway,
		RawBody: "<html>502</html>", AfterServing: true})
	second, diags := create()
	if second == "" || second == first || diags.HasError() {
		t.Fatalf("an uncertain create after the others resolved adopted %q (first %q): %v", second, first, diags)
	}
	if n := r.data.written.createsUnresolved("workspace", "", "w"); n != 0 {
		t.Errorf("%d creates of w unresolved, want none", n)
	}
	// An uncertain create that adopted nothing (its list shows no new one)
	// stays unresolved.
	mock.InjectFault(mockcoze.Fault{Method: http.MethodPost, Path: "/v1/workspaces", Status: http.StatusBadGateway, RawBody: "<html>502</html>"})
	if id, diags := create(); id != "" || !diags.HasError() {
		t.Fatalf("adopted %q: %v", id, diags)
	}
	if n := r.data.written.createsUnresolved("workspace", "", "w"); n != 1 {
		t.Errorf("%d creates of w unresolved, want the one that adopted nothing", n)
	}
}

// A create answered with an id that another resource of the walk already
// adopted fails instead of sharing the object.
func TestCreateWorkspaceNeverSharesAnAdoptedID(t *testing.T) {
	const adopted = "7530000000000000099"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.Method {
		case http.MethodPost:
			_, _ = io.WriteString(w, `{"code":0,"msg":"","data":{"id":"`+adopted+`"}}`)
		default:
			_, _ = io.WriteString(w, `{"code":0,"msg":"","data":{"workspaces":[],"total_count":0}}`)
		}
	}))
	t.Cleanup(srv.Close)
	client, err := coze.NewClient(coze.Config{BaseURL: srv.URL, Token: mockcoze.DefaultToken, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	r := &workspaceResource{resourceBase: resourceBase{data: &providerData{}}}
	if !r.data.written.claim("workspace", adopted) {
		t.Fatal("claim")
	}
	var diags diag.Diagnostics
	if id := r.createWorkspace(newCreateRecovery(context.Background(), context.Background()), client, &coze.CreateWorkspaceRequest{Name: "w", Description: "d"}, &diags); id != "" || !diags.HasError() {
		t.Fatalf("created %q, shared with the resource that adopted it: %v", id, diags)
	}
	wantAll(t, diags[0].Summary(), adopted, "another resource of this run adopted")
}

// A new object that another resource of the run adopted first is listed
// with what tells it apart, but without an import command: importing it
// would make two resources manage it.
func TestUncertainCreateListsAnObjectAdoptedElsewhereWithoutImport(t *testing.T) {
	client, err := coze.NewClient(coze.Config{BaseURL: "https://api.coze.cn", Token: "pat_test"})
	if err != nil {
		t.Fatal(err)
	}
	var written writtenIDs
	written.claim("bot", "7") // adopted by another resource of this run
	u := uncertainCreation{
		what: "Coze bot", resourceType: "coze_bot", name: "b", where: "workspace 1", err: errors.New("HTTP 502"),
		lookIn: "in the Coze console", importID: func(id string) string { return "1/" + id },
		claim: func(id string) bool { return written.claim("bot", id) },
	}
	lookForCreated(context.Background(), testCreateRechecks, &u, func(_ context.Context, u *uncertainCreation) {
		u.candidates = []createCandidate{{id: "7", isNew: true, detail: "updated now"}, {id: "6", detail: "updated in 2020"}}
	})
	var diags diag.Diagnostics
	if adopted := uncertainCreate(&diags, client, u); adopted != "" || !diags.HasError() {
		t.Fatalf("adopted %q: %v", adopted, diags)
	}
	detail := diags[0].Detail()
	wantAll(t, detail, "- 7 (updated now, adopted by another resource of this run)", "- 6 (updated in 2020): terraform import <address of this coze_bot> 1/6")
	if strings.Contains(detail, "1/7") {
		t.Errorf("the error suggests importing bot 7, which another resource of this run adopted:\n%s", detail)
	}
}

// Where the workspace list before the create could not be read, no
// workspace can be adopted: the first good read after the failure is the
// last.
func TestCreateWorkspaceReadsOnceWhereTheListBeforeFailed(t *testing.T) {
	mock := mockcoze.New(mockcoze.Options{})
	mock.InjectFault(mockcoze.Fault{Method: http.MethodGet, Path: "/v1/workspaces", Code: 4101, Msg: "no permission"})
	mock.InjectFault(mockcoze.Fault{Method: http.MethodPost, Path: "/v1/workspaces", Status: http.StatusBadGateway,
		RawBody: "<html>502</html>", AfterServing: true})
	client := mockClient(t, mock)
	r := &workspaceResource{resourceBase: resourceBase{data: &providerData{createRechecks: testCreateRechecks}}}
	var diags diag.Diagnostics
	if id := r.createWorkspace(newCreateRecovery(context.Background(), context.Background()), client, &coze.CreateWorkspaceRequest{Name: "w", Description: "d"}, &diags); id != "" || !diags.HasError() {
		t.Fatalf("adopted %q: %v", id, diags)
	}
	if n := len(mock.RequestsTo(http.MethodGet, "/v1/workspaces")); n != 2 {
		t.Errorf("the workspace list was read %d times, want twice (the failed read before the create, one after)", n)
	}
	detail := diags[0].Detail()
	wantAll(t, detail, "the list before the create is unknown", "whether it made one is unknown", "terraform import <address of this coze_workspace> ")
	if strings.Contains(detail, "none was made") {
		t.Errorf("the error says none was made:\n%s", detail)
	}
}

// Two coze_bot of one name in one workspace: the first create's answer is
// lost (504, and nothing made) while the second one's bot is made but its
// answer not yet in. The second's bot looks new to the first, which must
// not adopt it: the first fails, the second keeps its own bot. The second's
// answer comes at the first's second list read, or after 10 s when there is
// none. The first's error then says either that two creates of the name
// are unresolved or, once the second's answer is in, that its bot was
// written by another resource: which, depends on the scheduling. Without
// the count of unresolved creates, the first adopts the bot at its first
// read, and the error is the second's.
func TestAccBot_anUncertainCreateNeverAdoptsWhileAnotherCreateOfTheNameRuns(t *testing.T) {
	t.Parallel()
	mock := mockcoze.New(mockcoze.Options{Token: testToken})
	var mu sync.Mutex
	creates, lists := 0, 0
	secondArrived, listed := make(chan struct{}), make(chan struct{})
	var listedOnce sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/v1/bot/create":
			mu.Lock()
			creates++
			n := creates
			mu.Unlock()
			if n == 1 { // lost before it was carried out, answered once both creates run
				wait(secondArrived)
				w.WriteHeader(http.StatusGatewayTimeout)
				_, _ = io.WriteString(w, "<html>504 Gateway Time-out</html>")
				return
			}
			close(secondArrived)
			rec := httptest.NewRecorder()
			mock.ServeHTTP(rec, r)
			wait(listed) // the first create's recovery has looked at this bot
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			_, _ = w.Write(rec.Body.Bytes())
		case r.Method == http.MethodGet && r.URL.Path == "/v1/bots":
			// The second read shows that the first one was looked through.
			mu.Lock()
			if creates == 2 {
				if lists++; lists == 2 {
					listedOnce.Do(func() { close(listed) })
				}
			}
			mu.Unlock()
			mock.ServeHTTP(w, r)
		default:
			mock.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	env := &testEnv{mock: mock, url: srv.URL}
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []tfresource.TestStep{{
			Config: env.config(`
resource "coze_bot" "a" {
  space_id = "7341000000000000"
  name     = "twin"
}
resource "coze_bot" "b" {
  space_id = "7341000000000000"
  name     = "twin"
}`),
			ExpectError: regexp.MustCompile(`(?s)Cannot\s+create\s+Coze\s+bot\s+"twin".*HTTP\s+504.*none\s+was\s+adopted.*Nothing\s+was\s+kept`),
		}},
	})
	if ids := env.botsNamed(t, "twin"); len(ids) != 1 {
		t.Errorf("bots named twin: %v, want the second create's only", ids)
	}
}

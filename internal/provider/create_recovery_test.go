package provider

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

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

// botsNamed lists the ids of the workspace's bots with this name.
func (e *testEnv) botsNamed(t *testing.T, space, name string) []string {
	t.Helper()
	bots, err := e.apiClientFor(t).ListAllBots(context.Background(), coze.ListBotsRequest{WorkspaceID: space, PublishStatus: "all"}, 10)
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
					ids := env.botsNamed(t, mockcoze.DefaultSpaceID, "only one")
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
				ExpectError: regexp.MustCompile(`(?s)Cannot create Coze bot "only one" in workspace 7341000000000000.*HTTP 504.*` +
					`may have\s+reached\s+Coze.*not\s+sent\s+again.*lists\s+no\s+Coze\s+bot\s+named\s+"only\s+one".*Nothing\s+was\s+kept`),
			}},
		})
		if n := len(env.mock.RequestsTo(http.MethodPost, "/v1/bot/create")); n != 1 {
			t.Errorf("the create was sent %d times, want once", n)
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
				ExpectError: regexp.MustCompile(`(?s)lists\s+2\s+Coze\s+bot\(s\)\s+named\s+"only\s+one",\s+and\s+2\s+of\s+them.*none\s+was\s+adopted.*` +
					`terraform\s+import\s+<address\s+of\s+this\s+coze_bot>\s+7341000000000000/[0-9]+.*Nothing\s+was\s+kept`),
			}},
		})
		if ids := env.botsNamed(t, mockcoze.DefaultSpaceID, "only one"); len(ids) != 2 {
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
			ExpectError: regexp.MustCompile(`(?s)Cannot create Coze workspace "Support \(dev\)".*HTTP 502.*lists\s+1\s+Coze\s+workspace\(s\).*` +
				`and\s+0\s+of\s+them.*` + existing + `\s+\(listed\s+before\s+the\s+create\).*terraform\s+import.*` + existing + `.*Nothing\s+was\s+kept`),
		}},
	})
	if n := len(env.mock.RequestsTo(http.MethodPost, "/v1/workspaces")); n != 1 {
		t.Errorf("the create was sent %d times, want once", n)
	}
}

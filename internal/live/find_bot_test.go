package live

import (
	"context"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

// The check bot is created only when the workspace's bot list is known to
// show this token every bot: on Coze's personal edition it shows only the
// bots of workspaces the token's user owns, so elsewhere "none listed"
// proves nothing, and a second bot could never be deleted.
func TestFindOrCreateBotCreatesOnlyWhenTheListIsComplete(t *testing.T) {
	const token = "pat_find_or_create"
	for name, tc := range map[string]struct {
		seed   func(m *mockcoze.Server, space string)
		create bool
	}{
		"a workspace the token's user owns": {func(m *mockcoze.Server, space string) {
			m.AddWorkspace(mockcoze.WorkspaceSeed{ID: space, Name: "mine"})
		}, true},
		"a workspace of another owner": {func(m *mockcoze.Server, space string) {
			m.AddWorkspace(mockcoze.WorkspaceSeed{ID: space, Name: "theirs", OwnerUID: "4000000001"})
			m.AddMember(space, mockcoze.OwnerUserID, coze.RoleMember)
		}, false},
		"a workspace the token's list does not show": {func(*mockcoze.Server, string) {}, false},
	} {
		t.Run(name, func(t *testing.T) {
			const space = "7341000000000888"
			mock := mockcoze.New(mockcoze.Options{Token: token})
			tc.seed(mock, space)
			upstream := httptest.NewServer(mock)
			defer upstream.Close()
			target, _ := url.Parse(upstream.URL)
			proxy := newBudgetProxy(target, defaultBudget)
			proxyServer := httptest.NewServer(proxy)
			defer proxyServer.Close()
			client, err := coze.NewClient(coze.Config{BaseURL: proxyServer.URL, Token: token, MaxRetries: -1})
			if err != nil {
				t.Fatal(err)
			}

			botID, created, err := findOrCreateBot(context.Background(), t.Logf, client, space, proxy)
			creates := len(mock.RequestsTo("POST", "/v1/bot/create"))
			if tc.create {
				if err != nil || !created || botID == "" || creates != 1 {
					t.Fatalf("want the bot created once: bot %q, created %v, %d creates, err %v", botID, created, creates, err)
				}
				return
			}
			if err == nil || creates != 0 {
				t.Fatalf("want no create and an error: %d creates, err %v", creates, err)
			}
			if !strings.Contains(err.Error(), "may exist all the same") && !strings.Contains(err.Error(), "does not show workspace") {
				t.Errorf("err = %v", err)
			}
		})
	}
}

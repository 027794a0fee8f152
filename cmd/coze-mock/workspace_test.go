package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

func TestRunRejectsBadWorkspaceFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-users", "4026880821030,alice"}, `-users: "alice" is not a decimal user id`},
		{[]string{"-workflows", "order_lookup:agent"}, `-workflows: "order_lookup:agent" is not name`},
		{[]string{"-workflows", ":chatflow"}, `-workflows: ":chatflow" is not name`},
	} {
		var stderr syncBuffer
		err := run(t.Context(), append([]string{"-listen", "127.0.0.1:0"}, c.args...), &stderr)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Fatalf("run(%q) = %v, want an error containing %q", c.args, err, c.want)
		}
	}
}

// -users can be added to workspaces; -workflows are in every new workspace.
func TestSeedWorkspaces(t *testing.T) {
	srv := mockcoze.New(mockcoze.Options{Token: "tok"})
	if err := seedWorkspaces(srv, " 4026880821030, ,2601914670001", "order_lookup, refund:chatflow,"); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	call := func(method, path, body string) map[string]any {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), method, ts.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer tok")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		var env struct {
			Code int            `json:"code"`
			Data map[string]any `json:"data"`
		}
		if err := json.Unmarshal(raw, &env); err != nil || env.Code != 0 {
			t.Fatalf("%s %s: %s", method, path, raw)
		}
		return env.Data
	}
	ws, _ := call(http.MethodPost, "/v1/workspaces", `{"name":"dev","description":"d","coze_account_id":"7490888144450001"}`)["id"].(string)
	added := call(http.MethodPost, "/v1/workspaces/"+ws+"/members",
		`{"users":[{"user_id":"4026880821030","role_type":"admin"},{"user_id":"2601914670001","role_type":"member"}]}`)
	if got, _ := added["added_success_user_ids"].([]any); len(got) != 2 {
		t.Fatalf("add result %v", added)
	}
	items, _ := call(http.MethodGet, "/v1/workflows?page_num=1&workspace_id="+ws, "")["items"].([]any)
	if len(items) != 2 || items[0].(map[string]any)["workflow_name"] != "order_lookup" || items[1].(map[string]any)["workflow_name"] != "refund" {
		t.Fatalf("workflows of the new workspace: %v", items)
	}
}

package mockcoze

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const (
	userA = "4026880821030"
	userB = "2601914670001"
)

func createWorkspace(t *testing.T, ts *httptest.Server, body string) string {
	t.Helper()
	r := call(t, ts, http.MethodPost, "/v1/workspaces", goodAuth, body)
	wantOK(t, r)
	id, _ := r.data()["id"].(string)
	if !isDigits(id) {
		t.Fatalf("created workspace id %q", id)
	}
	return id
}

// listOf returns data[key] of an answer as a list of objects.
func listOf(t *testing.T, r resp, key string) []map[string]any {
	t.Helper()
	wantOK(t, r)
	raw, isList := r.data()[key].([]any)
	if !isList {
		t.Fatalf("data.%s is not a list: %s", key, r.raw)
	}
	out := make([]map[string]any, len(raw))
	for i, v := range raw {
		out[i], _ = v.(map[string]any)
	}
	return out
}

func stringList(r resp, key string) []string {
	var out []string
	for _, v := range r.data()[key].([]any) {
		out = append(out, v.(string))
	}
	return out
}

// create_workspace.md's request example (without its trailing comma): with a
// coze_account_id the workspace belongs to that organisation.
func TestCreateWorkspaceDocExample(t *testing.T) {
	s, ts := newTS(t, Options{})
	id := createWorkspace(t, ts, `{"name":"文档组的工作空间","description":"文档组内部使用的工作空间。",
		"icon_file_id":"736949598110001","coze_account_id":"749088814445001"}`)
	info, found := s.Workspace(id)
	if !found || info.Name != "文档组的工作空间" || info.IconFileID != "736949598110001" || info.EnterpriseID != "volcano_749088814445001" ||
		info.OwnerUID != OwnerUserID || info.Type != "team" {
		t.Fatalf("workspace = %+v", info)
	}
	personal := createWorkspace(t, ts, `{"name":"p","description":"d"}`)
	if info, _ := s.Workspace(personal); info.EnterpriseID != "" || info.CozeAccountID != OwnerUserID {
		t.Fatalf("workspace without coze_account_id = %+v", info)
	}
	if s.WorkspaceCount() != 3 {
		t.Fatalf("%d workspaces, want the personal one and 2 created", s.WorkspaceCount())
	}
}

func TestCreateWorkspaceValidation(t *testing.T) {
	s, ts := newTS(t, Options{})
	s.AddUser(userA, "a")
	for _, c := range []struct{ body, msg string }{
		{`{"description":"d"}`, "name is required"},
		{`{"name":"n"}`, "description is required"},
		{fmt.Sprintf(`{"name":%q,"description":"d"}`, strings.Repeat("名", 51)), "name must be 1-50 characters, got 51"},
		{fmt.Sprintf(`{"name":"n","description":%q}`, strings.Repeat("d", 2001)), "description must be 1-2000 characters"},
		{`{"name":"n","description":"d","coze_account_id":"org-1"}`, "coze_account_id must be a string of decimal digits"},
		{`{"name":"n","description":"d","icon_file_id":7}`, "icon_file_id must be a string of decimal digits"},
		{`{"name":"n","description":"d","colour":"red"}`, "unknown field colour"},
		{`{"name":"n","description":"d","owner_uid":"` + userA + `"}`, "owner_uid can only be set for a workspace of an organisation"},
		{`{"name":"n","description":"d","coze_account_id":"7","owner_uid":"999"}`, "owner_uid 999 is not a user"},
		{`[]`, "invalid request body"},
	} {
		wantErr(t, call(t, ts, http.MethodPost, "/v1/workspaces", goodAuth, c.body), http.StatusOK, "4000", c.msg)
	}
	id := createWorkspace(t, ts, `{"name":"n","description":"d","coze_account_id":"7","owner_uid":"`+userA+`"}`)
	if info, _ := s.Workspace(id); info.OwnerUID != userA {
		t.Fatalf("owner = %s", info.OwnerUID)
	}
	if role, status := s.Member(id, userA); role != "owner" || status != "joined" {
		t.Fatalf("owner_uid's membership = %s %s", role, status)
	}
}

// update_workspace_info.md: an empty field is unchanged; personal workspaces refuse.
func TestUpdateWorkspace(t *testing.T) {
	s, ts := newTS(t, Options{})
	id := createWorkspace(t, ts, `{"name":"n","description":"d"}`)
	wantOK(t, call(t, ts, http.MethodPut, "/v1/workspaces/"+id, goodAuth, `{"name":"文档组的工作空间","description":"文档组内部使用的工作空间。"}`))
	wantOK(t, call(t, ts, http.MethodPut, "/v1/workspaces/"+id, goodAuth, `{"name":"","description":"second"}`))
	if info, _ := s.Workspace(id); info.Name != "文档组的工作空间" || info.Description != "second" {
		t.Fatalf("workspace = %+v", info)
	}
	wantErr(t, call(t, ts, http.MethodPut, "/v1/workspaces/"+DefaultSpaceID, goodAuth, `{"name":"x"}`), http.StatusOK, "4000", "personal workspace")
	wantErr(t, call(t, ts, http.MethodPut, "/v1/workspaces/1", goodAuth, `{"name":"x"}`), http.StatusOK, "4200", "workspace 1 does not exist")
	wantErr(t, call(t, ts, http.MethodPut, "/v1/workspaces/"+id, goodAuth, fmt.Sprintf(`{"name":%q}`, strings.Repeat("x", 51))),
		http.StatusOK, "4000", "at most 50 characters")
	wantErr(t, call(t, ts, http.MethodPut, "/v1/workspaces/abc", goodAuth, `{}`), http.StatusOK, "4000", "decimal digits")
}

func TestListWorkspacesPagesAndFilters(t *testing.T) {
	s, ts := newTS(t, Options{})
	s.AddUser(userA, "a")
	for i := range 60 {
		s.AddWorkspace(WorkspaceSeed{Name: fmt.Sprintf("w%02d", i)})
	}
	ent := s.AddWorkspace(WorkspaceSeed{Name: "ent", EnterpriseID: "volcano_1"})
	org := createWorkspace(t, ts, `{"name":"org","description":"d","coze_account_id":"42"}`)
	s.AddMember(org, userA, "member")

	var names []string
	for pageNum := 1; ; pageNum++ {
		r := call(t, ts, http.MethodGet, "/v1/workspaces?page_size=50&page_num="+strconv.Itoa(pageNum), goodAuth, "")
		items := listOf(t, r, "workspaces")
		if total := fmt.Sprint(r.data()["total_count"]); total != "63" {
			t.Fatalf("total_count = %s", total)
		}
		for _, w := range items {
			names = append(names, w["name"].(string))
		}
		if len(items) < 50 {
			break
		}
	}
	if len(names) != 63 || names[0] != "个人空间" || names[1] != "w00" || names[62] != "org" {
		t.Fatalf("%d workspaces: %v ...", len(names), names[:3])
	}
	first := listOf(t, call(t, ts, http.MethodGet, "/v1/workspaces", goodAuth, ""), "workspaces")
	if len(first) != 20 || first[0]["workspace_type"] != "personal" || first[0]["role_type"] != "owner" || first[1]["workspace_type"] != "team" {
		t.Fatalf("default page: %d items, first %v", len(first), first[0])
	}

	byEnterprise := listOf(t, call(t, ts, http.MethodGet, "/v1/workspaces?enterprise_id=volcano_1", goodAuth, ""), "workspaces")
	if len(byEnterprise) != 1 || byEnterprise[0]["id"] != ent || byEnterprise[0]["enterprise_id"] != "volcano_1" {
		t.Fatalf("enterprise filter: %v", byEnterprise)
	}
	byUser := listOf(t, call(t, ts, http.MethodGet, "/v1/workspaces?user_id="+userA+"&coze_account_id=42", goodAuth, ""), "workspaces")
	if len(byUser) != 1 || byUser[0]["id"] != org {
		t.Fatalf("user filter: %v", byUser)
	}
	for _, q := range []string{"page_size=51", "page_num=0", "page_size=x", "user_id=" + userA} {
		wantErr(t, call(t, ts, http.MethodGet, "/v1/workspaces?"+q, goodAuth, ""), http.StatusOK, "4000", "")
	}
}

// list_workspace.md: the list shows the workspaces its user created or
// joined. A workspace owned by another user (owner_uid), or one the token's
// user was removed from, is not in the token's list, but is in its members'
// lists (user_id with coze_account_id).
func TestListWorkspacesShowsOnlyTheUsersWorkspaces(t *testing.T) {
	s, ts := newTS(t, Options{})
	s.AddUser(userA, "a")
	listed := func(query string) []string {
		var ids []string
		for _, w := range listOf(t, call(t, ts, http.MethodGet, "/v1/workspaces"+query, goodAuth, ""), "workspaces") {
			ids = append(ids, w["id"].(string))
		}
		return ids
	}
	othersID := createWorkspace(t, ts, `{"name":"others","description":"d","coze_account_id":"42","owner_uid":"`+userA+`"}`)
	left := createWorkspace(t, ts, `{"name":"left","description":"d","coze_account_id":"42"}`)
	s.SetOwner(left, userA) // the token's user stays, as an admin
	if got := listed(""); !slices.Equal(got, []string{DefaultSpaceID, left}) {
		t.Fatalf("the token's list = %v, want the personal workspace and %s, not %s", got, left, othersID)
	}
	s.RemoveMember(left, OwnerUserID)
	if got := listed(""); !slices.Equal(got, []string{DefaultSpaceID}) {
		t.Fatalf("after the token's user was removed from %s: %v", left, got)
	}
	if got := listed("?user_id=" + userA + "&coze_account_id=42"); !slices.Equal(got, []string{othersID, left}) {
		t.Fatalf("user %s's list = %v", userA, got)
	}
	byUser := listOf(t, call(t, ts, http.MethodGet, "/v1/workspaces?user_id="+userA+"&coze_account_id=42", goodAuth, ""), "workspaces")
	if byUser[0]["role_type"] != "owner" {
		t.Fatalf("role_type in user %s's list = %v, want theirs", userA, byUser[0]["role_type"])
	}
}

// add_space_member.md: a personal-plan workspace invites, AcceptInvitation
// joins; an enterprise one adds directly; every result list.
func TestAddMembersResultLists(t *testing.T) {
	s, ts := newTS(t, Options{})
	s.AddUser(userA, "a")
	s.AddUser(userB, "b")
	personal := createWorkspace(t, ts, `{"name":"p","description":"d"}`)
	add := func(ws, body string) resp {
		return call(t, ts, http.MethodPost, "/v1/workspaces/"+ws+"/members", goodAuth, body)
	}
	body := fmt.Sprintf(`{"users":[{"user_id":%q,"role_type":"member"},{"user_id":"55242585801999","role_type":"admin"}]}`, userA)
	r := add(personal, body)
	wantOK(t, r)
	if got := stringList(r, "invited_success_user_ids"); !slices.Equal(got, []string{userA}) {
		t.Fatalf("invited = %v (%s)", got, r.raw)
	}
	if got := stringList(r, "not_exist_user_ids"); !slices.Equal(got, []string{"55242585801999"}) {
		t.Fatalf("not exist = %v", got)
	}
	if role, status := s.Member(personal, userA); role != "member" || status != "invited" {
		t.Fatalf("after invite: %s %s", role, status)
	}
	if got := stringList(add(personal, body), "already_invited_user_ids"); !slices.Equal(got, []string{userA}) {
		t.Fatalf("second add: already invited = %v", got)
	}
	members := listOf(t, call(t, ts, http.MethodGet, "/v1/workspaces/"+personal+"/members", goodAuth, ""), "items")
	if len(members) != 1 || members[0]["user_id"] != OwnerUserID {
		t.Fatalf("an invitation is not a membership: %v", members)
	}
	if !s.AcceptInvitation(personal, userA) || s.AcceptInvitation(personal, userA) {
		t.Fatal("AcceptInvitation must accept once")
	}
	if got := stringList(add(personal, body), "already_joined_user_ids"); !slices.Equal(got, []string{userA}) {
		t.Fatalf("after accepting: already joined = %v", got)
	}

	enterprise := createWorkspace(t, ts, `{"name":"e","description":"d","coze_account_id":"7490888144450001"}`)
	r = add(enterprise, fmt.Sprintf(`{"users":[{"user_id":%q,"role_type":"admin"},{"user_id":%q,"role_type":"admin"}]}`, userB, OwnerUserID))
	if got := stringList(r, "added_success_user_ids"); !slices.Equal(got, []string{userB}) {
		t.Fatalf("added = %v (%s)", got, r.raw)
	}
	if got := stringList(r, "already_joined_user_ids"); !slices.Equal(got, []string{OwnerUserID}) {
		t.Fatalf("the owner is already joined: %v", got)
	}
	if role, status := s.Member(enterprise, userB); role != "admin" || status != "joined" {
		t.Fatalf("enterprise add: %s %s", role, status)
	}
}

func TestAddMembersValidation(t *testing.T) {
	s, ts := newTS(t, Options{})
	ws := s.AddWorkspace(WorkspaceSeed{Name: "w"})
	var many []string
	for i := range 21 {
		many = append(many, fmt.Sprintf(`{"user_id":"%d","role_type":"member"}`, 100+i))
	}
	for _, c := range []struct{ body, msg string }{
		{`{}`, "users is required"},
		{`{"users":[]}`, "users must have at least 1 item"},
		{`{"users":[` + strings.Join(many, ",") + `]}`, "users must have at most 20 items, got 21"},
		{`{"users":[{"user_id":"1","role_type":"owner"}]}`, `users[0].role_type must be one of admin, member, got "owner"`},
		{`{"users":[{"user_id":"u1","role_type":"member"}]}`, "users[0].user_id must be a string of decimal digits"},
		{`{"users":[{"user_id":"1"}]}`, "users[0].role_type is required"},
	} {
		wantErr(t, call(t, ts, http.MethodPost, "/v1/workspaces/"+ws+"/members", goodAuth, c.body), http.StatusOK, "4000", c.msg)
	}
	wantErr(t, call(t, ts, http.MethodPost, "/v1/workspaces/1/members", goodAuth, `{"users":[{"user_id":"1","role_type":"member"}]}`),
		http.StatusOK, "4200", "workspace 1 does not exist")
	wantErr(t, call(t, ts, http.MethodPost, "/v1/workspaces/"+DefaultSpaceID+"/members", goodAuth, `{"users":[{"user_id":"1","role_type":"member"}]}`),
		http.StatusOK, "4000", "personal workspace")
}

// remove_space_member.md: at most 5 users; the owner is refused; users not in
// the workspace are listed as such.
func TestRemoveMembers(t *testing.T) {
	s, ts := newTS(t, Options{})
	s.AddUser(userA, "a")
	s.AddUser(userB, "b")
	ws := s.AddWorkspace(WorkspaceSeed{Name: "w", EnterpriseID: "volcano_1"})
	s.AddMember(ws, userA, "admin")
	r := call(t, ts, http.MethodDelete, "/v1/workspaces/"+ws+"/members", goodAuth,
		fmt.Sprintf(`{"user_ids":[%q,%q,%q]}`, userA, userB, OwnerUserID))
	wantOK(t, r)
	if !slices.Equal(stringList(r, "removed_success_user_ids"), []string{userA}) ||
		!slices.Equal(stringList(r, "not_in_workspace_user_ids"), []string{userB}) ||
		!slices.Equal(stringList(r, "owner_not_support_remove_user_ids"), []string{OwnerUserID}) {
		t.Fatalf("result %s", r.raw)
	}
	if _, status := s.Member(ws, userA); status != "" {
		t.Fatalf("removed user still %s", status)
	}
	wantErr(t, call(t, ts, http.MethodDelete, "/v1/workspaces/"+ws+"/members", goodAuth, `{"user_ids":["1","2","3","4","5","6"]}`),
		http.StatusOK, "4000", "user_ids must have at most 5 items, got 6")
	wantErr(t, call(t, ts, http.MethodDelete, "/v1/workspaces/"+ws+"/members", goodAuth, `{}`), http.StatusOK, "4000", "user_ids is required")
}

func TestListMembersPages(t *testing.T) {
	s, ts := newTS(t, Options{})
	ws := s.AddWorkspace(WorkspaceSeed{Name: "w", EnterpriseID: "volcano_1"})
	for i := range 60 {
		id := strconv.Itoa(5000 + i)
		s.AddUser(id, "u"+id)
		s.AddMember(ws, id, "member")
	}
	s.SetOwner(ws, "5030") // the owner is listed first
	page1 := listOf(t, call(t, ts, http.MethodGet, "/v1/workspaces/"+ws+"/members?page_size=50", goodAuth, ""), "items")
	r := call(t, ts, http.MethodGet, "/v1/workspaces/"+ws+"/members?page_size=50&page_num=2", goodAuth, "")
	page2 := listOf(t, r, "items")
	if len(page1) != 50 || len(page2) != 11 || page1[0]["user_id"] != "5030" || page1[0]["role_type"] != "owner" || page1[1]["user_id"] != OwnerUserID ||
		page1[1]["role_type"] != "admin" || page1[2]["user_nickname"] != "u5000" {
		t.Fatalf("pages of %d and %d, first %v %v", len(page1), len(page2), page1[0], page1[1])
	}
	if total := fmt.Sprint(r.data()["total_count"]); total != "61" {
		t.Fatalf("total_count = %s", total)
	}
	if n := len(listOf(t, call(t, ts, http.MethodGet, "/v1/workspaces/"+ws+"/members", goodAuth, ""), "items")); n != 20 {
		t.Fatalf("default page size gave %d", n)
	}
	wantErr(t, call(t, ts, http.MethodGet, "/v1/workspaces/"+ws+"/members?page_size=51", goodAuth, ""), http.StatusOK, "4000", "page_size")
	wantErr(t, call(t, ts, http.MethodGet, "/v1/workspaces/1/members", goodAuth, ""), http.StatusOK, "4200", "workspace 1")
}

// get_workflow_list.md: page_num is required, page_size at most 30, has_more
// pages, filters by mode, status and app.
func TestListWorkflows(t *testing.T) {
	s, ts := newTS(t, Options{})
	ws := s.AddWorkspace(WorkspaceSeed{Name: "w"})
	for i := range 35 {
		s.AddWorkflow(ws, Workflow{Name: fmt.Sprintf("wf%02d", i)})
	}
	chat := s.AddWorkflow(ws, Workflow{Name: "chat", Mode: "chatflow", AppID: "744208683001"})
	s.AddWorkflow(ws, Workflow{Name: "draft", Unpublished: true})
	get := func(q string) resp {
		return call(t, ts, http.MethodGet, "/v1/workflows?workspace_id="+ws+"&"+q, goodAuth, "")
	}

	r := get("page_num=1&page_size=30")
	items := listOf(t, r, "items")
	if len(items) != 30 || r.data()["has_more"] != true || items[0]["workflow_name"] != "wf00" || items[0]["app_id"] != "0" {
		t.Fatalf("page 1: %d items, has_more %v, first %v", len(items), r.data()["has_more"], items[0])
	}
	if _, isStr := items[0]["created_at"].(string); !isStr {
		t.Fatalf("created_at must be a string, as documented: %v", items[0]["created_at"])
	}
	r = get("page_num=2&page_size=30")
	if items := listOf(t, r, "items"); len(items) != 6 || r.data()["has_more"] != false {
		t.Fatalf("page 2: %d items, has_more %v", len(items), r.data()["has_more"])
	}
	if n := len(listOf(t, get("page_num=1"), "items")); n != 10 {
		t.Fatalf("default page size gave %d", n)
	}
	if items := listOf(t, get("page_num=1&workflow_mode=chatflow"), "items"); len(items) != 1 || items[0]["workflow_id"] != chat {
		t.Fatalf("chatflow filter: %v", items)
	}
	if items := listOf(t, get("page_num=1&app_id=744208683001"), "items"); len(items) != 1 {
		t.Fatalf("app filter: %v", items)
	}
	if items := listOf(t, get("page_num=1&publish_status=unpublished_draft"), "items"); len(items) != 1 || items[0]["workflow_name"] != "draft" {
		t.Fatalf("draft filter: %v", items)
	}
	if items := listOf(t, get("page_num=2&page_size=30&publish_status=all"), "items"); len(items) != 7 {
		t.Fatalf("all: %d on page 2", len(items))
	}
	for q, msg := range map[string]string{
		"page_size=10":                      "page_num is required",
		"page_num=1&page_size=31":           "page_size must be an integer between 1 and 30",
		"page_num=1&workflow_mode=agent":    "workflow_mode must be one of",
		"page_num=1&publish_status=online":  "publish_status must be one of",
		"page_num=99999999999999999999":     "page_num must be an integer",
		"page_num=1&app_id=app":             "app_id must be a string of decimal digits",
		"page_num=9223372036854775807&x=1":  "",
		"page_num=1&page_size=0&workflow=1": "page_size",
	} {
		r := get(q)
		if msg == "" {
			if len(listOf(t, r, "items")) != 0 || r.data()["has_more"] != false {
				t.Fatalf("%s: %s", q, r.raw)
			}
			continue
		}
		wantErr(t, r, http.StatusOK, "4000", msg)
	}
	wantErr(t, call(t, ts, http.MethodGet, "/v1/workflows?page_num=1", goodAuth, ""), http.StatusOK, "4000", "workspace_id is required")
	wantErr(t, call(t, ts, http.MethodGet, "/v1/workflows?page_num=1&workspace_id=1", goodAuth, ""), http.StatusOK, "4200", "workspace 1")
}

// Workflows seeded for new workspaces appear in every workspace created
// afterwards, and only there.
func TestSeedWorkflowsInNewWorkspaces(t *testing.T) {
	s, ts := newTS(t, Options{})
	before := s.AddWorkspace(WorkspaceSeed{Name: "before"})
	s.SeedWorkflowsInNewWorkspaces(Workflow{Name: "order_lookup"}, Workflow{Name: "refund", Mode: "chatflow"})
	a := createWorkspace(t, ts, `{"name":"a","description":"d"}`)
	b := createWorkspace(t, ts, `{"name":"b","description":"d"}`)
	list := func(ws string) []map[string]any {
		return listOf(t, call(t, ts, http.MethodGet, "/v1/workflows?page_num=1&workspace_id="+ws, goodAuth, ""), "items")
	}
	wa, wb := list(a), list(b)
	if len(list(before)) != 0 || len(wa) != 2 || len(wb) != 2 || wa[1]["workflow_name"] != "refund" || wa[0]["workflow_id"] == wb[0]["workflow_id"] {
		t.Fatalf("before %v, a %v, b %v", list(before), wa, wb)
	}
}

// Bots can be created in, and listed by, workspaces of the workspace API.
func TestBotsLiveInCreatedWorkspaces(t *testing.T) {
	_, ts := newTS(t, Options{})
	ws := createWorkspace(t, ts, `{"name":"a","description":"d"}`)
	botID := createBot(t, ts, ws, "bot")
	items := listOf(t, list(t, ts, "publish_status=all&workspace_id="+ws), "items")
	if len(items) != 1 || items[0]["id"] != botID {
		t.Fatalf("bots of %s: %v", ws, items)
	}
}

func TestWorkspaceRouting(t *testing.T) {
	_, ts := newTS(t, Options{})
	for _, p := range []string{"/v1/workspaces/", "/v1/workspaces/1/members/x", "/v1/workspaces/1/bots", "/v1/workflows/x/y/z/w"} {
		wantErr(t, call(t, ts, http.MethodGet, p, goodAuth, ""), http.StatusNotFound, "4004", "path not found")
	}
	for _, c := range []struct{ method, path, allow string }{
		{http.MethodPut, "/v1/workspaces", "GET, POST"},
		{http.MethodGet, "/v1/workspaces/1", "PUT"},
		{http.MethodPut, "/v1/workspaces/1/members", "GET, POST, DELETE"},
		{http.MethodPost, "/v1/workflows", "GET"},
	} {
		r := call(t, ts, c.method, c.path, goodAuth, "")
		if r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != c.allow {
			t.Fatalf("%s %s: HTTP %d Allow %q", c.method, c.path, r.status, r.header.Get("Allow"))
		}
	}
	if r := call(t, ts, http.MethodGet, "/v1/workspaces", "Bearer wrong", ""); r.status != http.StatusUnauthorized {
		t.Fatalf("unauthenticated list: HTTP %d", r.status)
	}
}

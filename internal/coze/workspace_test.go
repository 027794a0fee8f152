package coze

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func okWith(data string) string {
	return `{"code":0,"msg":"","data":` + data + `,"detail":{"logid":"20241210152726467C48D89D6DB2"}}`
}

// The request of create_workspace.md's example (without its trailing comma)
// and its response.
func TestCreateWorkspaceWireFormat(t *testing.T) {
	srv := newRecorderFunc(t, func(recorded) string { return okWith(`{"id":"7532329396030001"}`) })
	c := newTestClient(t, srv.URL)
	id, err := c.CreateWorkspace(t.Context(), &CreateWorkspaceRequest{
		Name: "文档组的工作空间", Description: "文档组内部使用的工作空间。", IconFileID: "736949598110001", CozeAccountID: "749088814445001",
	})
	if err != nil || id != "7532329396030001" {
		t.Fatalf("CreateWorkspace = %q, %v", id, err)
	}
	got := srv.requests()[0]
	if got.method != http.MethodPost || got.path != "/v1/workspaces" {
		t.Fatalf("request %s %s", got.method, got.path)
	}
	assertJSONEqual(t, got.body, `{"name":"文档组的工作空间","description":"文档组内部使用的工作空间。","icon_file_id":"736949598110001","coze_account_id":"749088814445001"}`)

	if _, err := c.CreateWorkspace(t.Context(), &CreateWorkspaceRequest{Name: "n", Description: "d", OwnerUID: "2478774393001"}); err != nil {
		t.Fatal(err)
	}
	assertJSONEqual(t, srv.requests()[1].body, `{"name":"n","description":"d","owner_uid":"2478774393001"}`)
}

func TestCreateWorkspaceWithoutIDIsAnError(t *testing.T) {
	srv := newRecorderFunc(t, func(recorded) string { return okWith(`{}`) })
	_, err := newTestClient(t, srv.URL).CreateWorkspace(t.Context(), &CreateWorkspaceRequest{Name: "n", Description: "d"})
	if err == nil || !strings.Contains(err.Error(), "no id") {
		t.Fatalf("err = %v", err)
	}
}

// update_workspace_info.md: PUT with the id in the path; an empty field is
// left out, since the API reads it as "unchanged".
func TestUpdateWorkspaceWireFormat(t *testing.T) {
	srv := newRecorderFunc(t, func(recorded) string { return `{"code":0,"msg":"","detail":{"logid":"x"}}` })
	c := newTestClient(t, srv.URL)
	if err := c.UpdateWorkspace(t.Context(), "7361638276870531", &UpdateWorkspaceRequest{Name: "文档组的工作空间", Description: "文档组内部使用的工作空间。"}); err != nil {
		t.Fatal(err)
	}
	if err := c.UpdateWorkspace(t.Context(), "7361638276870531", &UpdateWorkspaceRequest{Description: "only this"}); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if reqs[0].method != http.MethodPut || reqs[0].path != "/v1/workspaces/7361638276870531" {
		t.Fatalf("request %s %s", reqs[0].method, reqs[0].path)
	}
	assertJSONEqual(t, reqs[0].body, `{"name":"文档组的工作空间","description":"文档组内部使用的工作空间。"}`)
	assertJSONEqual(t, reqs[1].body, `{"description":"only this"}`)
}

// list_workspace.md's response example (with the comma it lacks between the
// two workspaces), plus the fields the docs' table has and the SDKs do not.
func TestListWorkspacesDecodesTheDocExample(t *testing.T) {
	srv := newRecorderFunc(t, func(recorded) string {
		return okWith(`{"workspaces":[
			{"id":"748760044237010","name":"test","icon_url":"https://x/team.png","role_type":"member",
			 "enterprise_id":"volcano_2105850","workspace_type":"team","owner_uid":"2478774393201",
			 "admin_uids":["2478774393201","2478774393202"],"description":"这是一个用于测试的空间。","joined_status":"joined"},
			{"id":"748790611610650","name":"个人空间","icon_url":"https://x/team.png","role_type":"owner","enterprise_id":"","workspace_type":"personal"}
		],"total_count":2}`)
	})
	c := newTestClient(t, srv.URL)
	list, err := c.ListWorkspaces(t.Context(), ListWorkspacesRequest{EnterpriseID: "volcano_2101955", PageNum: 2, PageSize: 30})
	if err != nil {
		t.Fatal(err)
	}
	q := srv.requests()[0].query
	if q.Get("enterprise_id") != "volcano_2101955" || q.Get("page_num") != "2" || q.Get("page_size") != "30" || q.Has("user_id") {
		t.Fatalf("query = %v", q)
	}
	if list.TotalCount != 2 || len(list.Workspaces) != 2 {
		t.Fatalf("list = %+v", list)
	}
	w := list.Workspaces[0]
	if w.ID != "748760044237010" || w.RoleType != RoleMember || w.EnterpriseID != "volcano_2105850" || w.WorkspaceType != WorkspaceTypeTeam ||
		w.OwnerUID != "2478774393201" || len(w.AdminUIDs) != 2 || w.Description == nil || *w.Description != "这是一个用于测试的空间。" || w.JoinedStatus != "joined" {
		t.Fatalf("workspace = %+v", w)
	}
	if personal := list.Workspaces[1]; personal.WorkspaceType != WorkspaceTypePersonal || personal.Description != nil {
		t.Fatalf("a workspace without description must decode to nil: %+v", personal)
	}
}

// pagedWorkspaces answers GET /v1/workspaces from n workspaces by page_num and page_size.
func pagedWorkspaces(n int) func(recorded) string {
	return func(r recorded) string {
		num, _ := strconv.Atoi(r.query["page_num"][0])
		size, _ := strconv.Atoi(r.query["page_size"][0])
		var items []string
		for i := (num - 1) * size; i < min(num*size, n); i++ {
			items = append(items, fmt.Sprintf(`{"id":"%d","name":"w%d"}`, 7000+i, i))
		}
		return okWith(fmt.Sprintf(`{"workspaces":[%s],"total_count":%d}`, strings.Join(items, ","), n))
	}
}

func TestEachWorkspaceReadsEveryPageAndFindStopsEarly(t *testing.T) {
	srv := newRecorderFunc(t, pagedWorkspaces(120))
	c := newTestClient(t, srv.URL)
	var names []string
	if err := c.EachWorkspace(t.Context(), ListWorkspacesRequest{}, func(w Workspace) bool { names = append(names, w.Name); return true }); err != nil {
		t.Fatal(err)
	}
	if len(names) != 120 || names[119] != "w119" || len(srv.requests()) != 3 {
		t.Fatalf("%d workspaces in %d requests, want 120 in 3", len(names), len(srv.requests()))
	}
	for i, r := range srv.requests() {
		if r.query["page_size"][0] != strconv.Itoa(WorkspacePageSize) || r.query["page_num"][0] != strconv.Itoa(i+1) {
			t.Fatalf("request %d query %v", i, r.query)
		}
	}

	found, err := c.FindWorkspace(t.Context(), "7060")
	if err != nil || found == nil || found.Name != "w60" || len(srv.requests()) != 5 {
		t.Fatalf("FindWorkspace = %+v, %v after %d requests (want 2 more)", found, err, len(srv.requests()))
	}
	missing, err := c.FindWorkspace(t.Context(), "1")
	if err != nil || missing != nil {
		t.Fatalf("FindWorkspace of a missing id = %+v, %v", missing, err)
	}
}

// A server that always returns a full page ends at the page limit, not never.
func TestEachWorkspaceStopsAtThePageLimit(t *testing.T) {
	srv := newRecorderFunc(t, func(r recorded) string {
		num, _ := strconv.Atoi(r.query["page_num"][0])
		var items []string
		for i := range WorkspacePageSize {
			items = append(items, fmt.Sprintf(`{"id":"%d"}`, num*1000+i))
		}
		return okWith(`{"workspaces":[` + strings.Join(items, ",") + `]}`)
	})
	err := newTestClient(t, srv.URL).EachWorkspace(t.Context(), ListWorkspacesRequest{}, func(Workspace) bool { return true })
	if !errors.Is(err, ErrPaging) || !strings.Contains(err.Error(), "more than 1000 pages") {
		t.Fatalf("err = %v", err)
	}
}

// A server that ignores page_num returns the first page again: that is an
// error, not a listing cut short at total_count.
func TestListingsDetectAnAPIThatIgnoresThePageNumber(t *testing.T) {
	srv := newRecorderFunc(t, func(r recorded) string {
		if r.path == "/v1/workflows" {
			var items []string
			for i := range WorkflowPageSize {
				items = append(items, fmt.Sprintf(`{"workflow_id":"%d"}`, i))
			}
			return okWith(`{"has_more":true,"items":[` + strings.Join(items, ",") + `]}`)
		}
		return pagedWorkspaces(WorkspacePageSize)(recorded{query: url.Values{"page_num": {"1"}, "page_size": {r.query.Get("page_size")}}})
	})
	c := newTestClient(t, srv.URL)
	err := c.EachWorkspace(t.Context(), ListWorkspacesRequest{}, func(Workspace) bool { return true })
	if !errors.Is(err, ErrPaging) || !strings.Contains(err.Error(), "page 2 repeats") || len(srv.requests()) != 2 {
		t.Fatalf("workspaces: %v after %d requests", err, len(srv.requests()))
	}
	err = c.EachWorkflow(t.Context(), ListWorkflowsRequest{WorkspaceID: "9"}, func(Workflow) bool { return true })
	if !errors.Is(err, ErrPaging) || !strings.Contains(err.Error(), "page 2 repeats") {
		t.Fatalf("workflows: %v", err)
	}
}

// add_space_member.md: the request and response examples, and 45 users sent
// as 20 + 20 + 5 with their results merged.
func TestAddWorkspaceMembersWireFormatAndBatches(t *testing.T) {
	srv := newRecorderFunc(t, func(recorded) string {
		return okWith(`{"already_joined_user_ids":["21357147970001"],"already_invited_user_ids":[],
			"added_success_user_ids":["552425858001"],"invited_success_user_ids":[],"not_exist_user_ids":[]}`)
	})
	c := newTestClient(t, srv.URL)
	res, err := c.AddWorkspaceMembers(t.Context(), "7515267805001", []WorkspaceMember{
		{UserID: "21357147977001", RoleType: RoleMember, UserNickname: "not sent"}, {UserID: "55242585801001", RoleType: RoleMember},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := srv.requests()[0]
	if r.method != http.MethodPost || r.path != "/v1/workspaces/7515267805001/members" {
		t.Fatalf("request %s %s", r.method, r.path)
	}
	assertJSONEqual(t, r.body, `{"users":[{"role_type":"member","user_id":"21357147977001"},{"role_type":"member","user_id":"55242585801001"}]}`)
	if !reflect.DeepEqual(res.AlreadyJoined, []string{"21357147970001"}) || !reflect.DeepEqual(res.AddedSuccess, []string{"552425858001"}) {
		t.Fatalf("result = %+v", res)
	}

	users := make([]WorkspaceMember, 45)
	for i := range users {
		users[i] = WorkspaceMember{UserID: strconv.Itoa(1000 + i), RoleType: RoleAdmin}
	}
	res, err = c.AddWorkspaceMembers(t.Context(), "1", users)
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for _, r := range srv.requests()[1:] {
		var body struct{ Users []map[string]string }
		if err := json.Unmarshal(r.body, &body); err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(body.Users))
	}
	if !reflect.DeepEqual(sizes, []int{20, 20, 5}) || len(res.AddedSuccess) != 3 {
		t.Fatalf("batch sizes %v, merged %+v", sizes, res)
	}
}

// A failing batch stops the adding and reports the batches before it.
func TestAddWorkspaceMembersFailingBatch(t *testing.T) {
	calls := 0
	srv := newRecorderFunc(t, func(recorded) string {
		calls++
		if calls == 2 {
			return `{"code":702042018,"msg":"member limit reached","detail":{"logid":"L2"}}`
		}
		return okWith(`{"added_success_user_ids":["1"]}`)
	})
	users := make([]WorkspaceMember, 41)
	for i := range users {
		users[i] = WorkspaceMember{UserID: strconv.Itoa(i + 1), RoleType: RoleMember}
	}
	res, err := newTestClient(t, srv.URL, func(c *Config) { c.MaxRetries = -1 }).AddWorkspaceMembers(t.Context(), "9", users)
	apiErr, isAPI := AsAPIError(err)
	if !isAPI || apiErr.Code != 702042018 || apiErr.LogID != "L2" || len(res.AddedSuccess) != 1 || calls != 2 {
		t.Fatalf("err %v, result %+v after %d calls", err, res, calls)
	}
}

// remove_space_member.md: the request example, its response example (which
// says not_in_space_user_ids), the spec's and SDKs' not_in_workspace_user_ids,
// and 12 users sent as 5 + 5 + 2.
func TestRemoveWorkspaceMembersWireFormatBothNamesAndBatches(t *testing.T) {
	answers := []string{
		`{"removed_success_user_ids":["552425858001"],"not_in_space_user_ids":["2069720125001"],"owner_not_support_remove_user_ids":["21357147977001"]}`,
		`{"removed_success_user_ids":[],"not_in_workspace_user_ids":["1"]}`,
	}
	n := 0
	srv := newRecorderFunc(t, func(recorded) string { n++; return okWith(answers[min(n, len(answers))-1]) })
	c := newTestClient(t, srv.URL)
	res, err := c.RemoveWorkspaceMembers(t.Context(), "7515267805001", []string{"2069720125001", "21357147977001", "552425858001"})
	if err != nil {
		t.Fatal(err)
	}
	r := srv.requests()[0]
	if r.method != http.MethodDelete || r.path != "/v1/workspaces/7515267805001/members" {
		t.Fatalf("request %s %s", r.method, r.path)
	}
	assertJSONEqual(t, r.body, `{"user_ids":["2069720125001","21357147977001","552425858001"]}`)
	if !reflect.DeepEqual(res.NotInWorkspace, []string{"2069720125001"}) || !reflect.DeepEqual(res.OwnerNotSupportRemove, []string{"21357147977001"}) ||
		!reflect.DeepEqual(res.RemovedSuccess, []string{"552425858001"}) {
		t.Fatalf("doc example decoded as %+v", res)
	}

	ids := make([]string, 12)
	for i := range ids {
		ids[i] = strconv.Itoa(i + 1)
	}
	res, err = c.RemoveWorkspaceMembers(t.Context(), "1", ids)
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for _, r := range srv.requests()[1:] {
		var body struct {
			UserIDs []string `json:"user_ids"`
		}
		if err := json.Unmarshal(r.body, &body); err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(body.UserIDs))
	}
	if !reflect.DeepEqual(sizes, []int{5, 5, 2}) || len(res.NotInWorkspace) != 3 {
		t.Fatalf("batch sizes %v, merged %+v", sizes, res)
	}
}

// list_space_member.md's response example, paged by total_count.
func TestListWorkspaceMembersDecodesTheDocExample(t *testing.T) {
	srv := newRecorderFunc(t, func(recorded) string {
		return okWith(`{"total_count":4,"items":[
			{"role_type":"owner","user_id":"2135714797001","user_nickname":"RootUser_210202","user_unique_name":"kou_testing_001","avatar_url":"example.com/a.jpg"},
			{"avatar_url":"https://example.com/b.jpg","role_type":"member","user_id":"402688082103001","user_nickname":"test_user_01","user_unique_name":"user1703836"},
			{"user_id":"260191467001","user_nickname":"test_user_03","user_unique_name":"user127938","avatar_url":"https://example.com/c.jpg","role_type":"member"},
			{"user_id":"55242585801001","user_nickname":"test_003","user_unique_name":"","avatar_url":"https://example.com/d.jpg","role_type":"member"}]}`)
	})
	c := newTestClient(t, srv.URL)
	var got []WorkspaceMember
	if err := c.EachWorkspaceMember(t.Context(), "7515267805001", func(m WorkspaceMember) bool { got = append(got, m); return true }); err != nil {
		t.Fatal(err)
	}
	r := srv.requests()[0]
	if len(srv.requests()) != 1 || r.method != http.MethodGet || r.path != "/v1/workspaces/7515267805001/members" ||
		r.query.Get("page_num") != "1" || r.query.Get("page_size") != "50" {
		t.Fatalf("%d requests, first %+v", len(srv.requests()), r)
	}
	if len(got) != 4 || got[0].RoleType != RoleOwner || got[0].UserUniqueName != "kou_testing_001" || got[1].AvatarURL != "https://example.com/b.jpg" {
		t.Fatalf("members = %+v", got)
	}
	m, err := c.FindWorkspaceMember(t.Context(), "7515267805001", "260191467001")
	if err != nil || m == nil || m.UserNickname != "test_user_03" {
		t.Fatalf("FindWorkspaceMember = %+v, %v", m, err)
	}
}

// get_workflow_list.md's response example; page_num (required by the API)
// is always sent; created_at comes as a string (docs) or a number (coze-py).
func TestListWorkflowsWireFormat(t *testing.T) {
	srv := newRecorderFunc(t, func(recorded) string {
		return okWith(`{"has_more":true,"items":[{"updated_at":"1752060827","workflow_id":"7524966001","description":"Description",
			"app_id":"0","created_at":"1752060786","icon_url":"https://tosv/workflow.png","creator":{"id":"26150001","name":"alan"},
			"workflow_name":"workflow_Name"},{"workflow_id":"7524966002","workflow_name":"n2","created_at":1699574400,"updated_at":null}]}`)
	})
	c := newTestClient(t, srv.URL)
	list, err := c.ListWorkflows(t.Context(), ListWorkflowsRequest{WorkspaceID: "7449600000002844844", WorkflowMode: WorkflowModeChatflow, PublishStatus: "all"})
	if err != nil {
		t.Fatal(err)
	}
	q := srv.requests()[0].query
	if srv.requests()[0].path != "/v1/workflows" || q.Get("workspace_id") != "7449600000002844844" || q.Get("page_num") != "1" ||
		q.Get("workflow_mode") != "chatflow" || q.Get("publish_status") != "all" || q.Has("app_id") || q.Has("page_size") {
		t.Fatalf("query = %v", q)
	}
	w := list.Items[0]
	if !list.HasMore || w.WorkflowID != "7524966001" || w.WorkflowName != "workflow_Name" || w.AppID != "0" || w.CreatedAt != 1752060786 ||
		w.UpdatedAt != 1752060827 || w.Creator == nil || w.Creator.Name != "alan" || list.Items[1].CreatedAt != 1699574400 || list.Items[1].UpdatedAt != 0 {
		t.Fatalf("list = %+v", list)
	}
}

func TestUnixSecondsRejectsGarbage(t *testing.T) {
	var u UnixSeconds
	for _, in := range []string{`"soon"`, `true`, `1.5`} {
		if err := json.Unmarshal([]byte(in), &u); err == nil {
			t.Errorf("%s decoded as %d", in, u)
		}
	}
}

// EachWorkflow follows has_more, and an empty page ends it even when
// has_more stays true.
func TestEachWorkflowFollowsHasMore(t *testing.T) {
	srv := newRecorderFunc(t, func(r recorded) string {
		num, _ := strconv.Atoi(r.query["page_num"][0])
		switch num {
		case 1, 2:
			var items []string
			for i := range WorkflowPageSize {
				items = append(items, fmt.Sprintf(`{"workflow_id":"%d","workflow_name":"w"}`, num*100+i))
			}
			return okWith(`{"has_more":true,"items":[` + strings.Join(items, ",") + `]}`)
		case 3:
			return okWith(`{"has_more":true,"items":[{"workflow_id":"1","workflow_name":"last"}]}`)
		default:
			return okWith(`{"has_more":true,"items":[]}`)
		}
	})
	var n int
	err := newTestClient(t, srv.URL).EachWorkflow(t.Context(), ListWorkflowsRequest{WorkspaceID: "9"}, func(Workflow) bool { n++; return true })
	if err != nil || n != 61 || len(srv.requests()) != 4 {
		t.Fatalf("%d workflows in %d requests (err %v), want 61 in 4", n, len(srv.requests()), err)
	}
	if srv.requests()[0].query.Get("page_size") != "30" {
		t.Fatalf("page_size = %s", srv.requests()[0].query.Get("page_size"))
	}
}

package mockcoze

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Workspaces, their members and their workflows, as the Coze docs describe them:
//
//	POST   /v1/workspaces                           create a team workspace (name, description required)
//	GET    /v1/workspaces                           the workspaces the token's user (or user_id) is a member of, paged (page_size at most 50)
//	PUT    /v1/workspaces/{workspace_id}            change name and description; an empty field is unchanged
//	POST   /v1/workspaces/{workspace_id}/members    add at most 20 users, with the documented result lists
//	DELETE /v1/workspaces/{workspace_id}/members    remove at most 5 users; the owner is refused
//	GET    /v1/workspaces/{workspace_id}/members    the members, paged (page_size 1 to 50)
//	GET    /v1/workflows?workspace_id=&page_num=    a workspace's workflows, paged with has_more (page_size 1 to 30)
//
// The token belongs to OwnerUserID, whose personal workspace is DefaultSpaceID. A workspace
// created without coze_account_id (or with the token user's own id, which is the account id
// on personal plans) belongs to the personal account: adding a user only invites them, and
// AcceptInvitation stands in for the user accepting. With any other coze_account_id it
// belongs to that organisation (an enterprise plan, enterprise_id "volcano_<coze_account_id>"):
// added users join directly. Users must exist (AddUser); bots can be created and listed in
// any of these workspaces through the bot endpoints.

// OwnerUserID is the Coze user the mock's token belongs to.
const OwnerUserID = "2135714797000"

// First ids handed out to created workspaces and seeded workflows.
const (
	firstWorkspaceID = 7530000000000000000
	firstWorkflowID  = 7540000000000000000
)

// Limits of the workspace APIs.
const (
	maxAddUsers          = 20
	maxRemoveUsers       = 5
	maxWorkspacePageSize = 50
	maxMemberPageSize    = 50
	maxWorkflowPageSize  = 30
	defaultWorkflowPage  = 10
	defaultWorkspacePage = 20
)

// Workflow is a workflow seeded with AddWorkflow or SeedWorkflowsInNewWorkspaces.
type Workflow struct {
	Name        string
	Mode        string // "workflow" (default) or "chatflow"
	Description string
	AppID       string // "" lists as "0", as for workflows of no app
	Unpublished bool   // a draft never published: listed only with publish_status all or unpublished_draft
}

// WorkspaceSeed is a workspace added with AddWorkspace.
type WorkspaceSeed struct {
	ID          string // "" picks the next free id
	Name        string
	Description string
	OwnerUID    string // "" means OwnerUserID
	// EnterpriseID, when set, puts the workspace on an enterprise plan: added users join directly.
	EnterpriseID string
}

// WorkspaceInfo is what the mock holds about a workspace.
type WorkspaceInfo struct {
	Name, Description, IconFileID, OwnerUID, CozeAccountID, EnterpriseID, Type string
}

type workspaceState struct {
	workspaces     map[string]*workspace
	order          []string          // creation order, the order of the list
	users          map[string]string // user id -> nickname
	template       []Workflow        // workflows every new workspace starts with
	nextWorkspace  uint64
	nextWorkflowID uint64
}

type workspace struct {
	id            string
	info          WorkspaceInfo
	enterprise    bool
	members       []*wsMember       // owner and joined users, in joining order
	invitations   map[string]string // user id -> role of a pending invitation
	workflows     []*storedWorkflow // in creation order
	createdAtUnix int64
}

type wsMember struct{ userID, role string }

type storedWorkflow struct {
	id       string
	wf       Workflow
	created  int64
	modified int64
}

// workspacesLocked returns the workspace state, made on first use with the token user and
// the personal workspace. The caller holds s.mu.
func (s *Server) workspacesLocked() *workspaceState {
	if s.ws != nil {
		return s.ws
	}
	s.ws = &workspaceState{
		workspaces:     map[string]*workspace{},
		users:          map[string]string{OwnerUserID: "RootUser_" + OwnerUserID[len(OwnerUserID)-4:]},
		nextWorkspace:  firstWorkspaceID,
		nextWorkflowID: firstWorkflowID,
	}
	s.addWorkspaceLocked(DefaultSpaceID, WorkspaceInfo{
		Name: "个人空间", Description: "", OwnerUID: OwnerUserID, CozeAccountID: OwnerUserID, Type: "personal",
	}, false)
	return s.ws
}

func (s *Server) addWorkspaceLocked(id string, info WorkspaceInfo, enterprise bool) *workspace {
	st := s.ws
	if id == "" {
		for {
			id = strconv.FormatUint(st.nextWorkspace, 10)
			st.nextWorkspace++
			if st.workspaces[id] == nil {
				break
			}
		}
	}
	if st.workspaces[id] == nil {
		st.order = append(st.order, id)
	}
	w := &workspace{id: id, info: info, enterprise: enterprise, invitations: map[string]string{},
		members: []*wsMember{{userID: info.OwnerUID, role: "owner"}}, createdAtUnix: time.Now().Unix()}
	st.workspaces[id] = w
	if info.Type != "personal" {
		for _, wf := range st.template {
			s.addWorkflowLocked(w, wf)
		}
	}
	return w
}

func (s *Server) addWorkflowLocked(w *workspace, wf Workflow) string {
	if wf.Mode == "" {
		wf.Mode = "workflow"
	}
	id := strconv.FormatUint(s.ws.nextWorkflowID, 10)
	s.ws.nextWorkflowID++
	now := time.Now().Unix()
	w.workflows = append(w.workflows, &storedWorkflow{id: id, wf: wf, created: now, modified: now})
	return id
}

// ---- controls for tests and cmd/coze-mock ----

// AddUser makes a Coze user known, so that it can be added to workspaces. Unknown users are
// reported in not_exist_user_ids.
func (s *Server) AddUser(userID, nickname string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.workspacesLocked().users[userID] = nickname
}

// AddWorkspace seeds a team workspace and returns its id. Its owner is its only member.
func (s *Server) AddWorkspace(seed WorkspaceSeed) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.workspacesLocked()
	if seed.OwnerUID == "" {
		seed.OwnerUID = OwnerUserID
	}
	if _, known := st.users[seed.OwnerUID]; !known {
		st.users[seed.OwnerUID] = "user_" + seed.OwnerUID
	}
	info := WorkspaceInfo{Name: seed.Name, Description: seed.Description, OwnerUID: seed.OwnerUID,
		EnterpriseID: seed.EnterpriseID, Type: "team"}
	return s.addWorkspaceLocked(seed.ID, info, seed.EnterpriseID != "").id
}

// Workspace returns what the mock holds about a workspace.
func (s *Server) Workspace(workspaceID string) (WorkspaceInfo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.workspacesLocked().workspaces[workspaceID]
	if w == nil {
		return WorkspaceInfo{}, false
	}
	return w.info, true
}

// WorkspaceCount is the number of workspaces, the personal one included.
func (s *Server) WorkspaceCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.workspacesLocked().workspaces)
}

// EditWorkspace changes a workspace's name and description out of band, as in the Coze UI.
func (s *Server) EditWorkspace(workspaceID, name, description string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if w := s.workspacesLocked().workspaces[workspaceID]; w != nil {
		w.info.Name, w.info.Description = name, description
	}
}

// DeleteWorkspace removes a workspace out of band (the API cannot).
func (s *Server) DeleteWorkspace(workspaceID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.workspacesLocked()
	delete(st.workspaces, workspaceID)
	for i, id := range st.order {
		if id == workspaceID {
			st.order = append(st.order[:i:i], st.order[i+1:]...)
			break
		}
	}
}

// AddMember makes a known user a joined member with role out of band (as an accepted
// invitation or a change in the Coze UI), replacing any role they had.
func (s *Server) AddMember(workspaceID, userID, role string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.workspacesLocked().workspaces[workspaceID]
	if w == nil {
		return
	}
	delete(w.invitations, userID)
	if m := w.member(userID); m != nil {
		m.role = role
		return
	}
	w.members = append(w.members, &wsMember{userID: userID, role: role})
}

// RemoveMember removes a member out of band.
func (s *Server) RemoveMember(workspaceID, userID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if w := s.workspacesLocked().workspaces[workspaceID]; w != nil {
		w.remove(userID)
	}
}

// Member returns a user's role in a workspace and whether they joined ("joined") or have a
// pending invitation ("invited"); status is "" when they are neither.
func (s *Server) Member(workspaceID, userID string) (role, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.workspacesLocked().workspaces[workspaceID]
	if w == nil {
		return "", ""
	}
	if m := w.member(userID); m != nil {
		return m.role, "joined"
	}
	if r, invited := w.invitations[userID]; invited {
		return r, "invited"
	}
	return "", ""
}

// AcceptInvitation stands in for the invited user accepting: they join with the invitation's
// role. It reports whether there was an invitation.
func (s *Server) AcceptInvitation(workspaceID, userID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.workspacesLocked().workspaces[workspaceID]
	if w == nil {
		return false
	}
	role, invited := w.invitations[userID]
	if !invited {
		return false
	}
	delete(w.invitations, userID)
	w.members = append(w.members, &wsMember{userID: userID, role: role})
	return true
}

// SetOwner transfers a workspace to a user (who joins if needed); the previous owner stays
// as an admin.
func (s *Server) SetOwner(workspaceID, userID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.workspacesLocked().workspaces[workspaceID]
	if w == nil {
		return
	}
	for _, m := range w.members {
		if m.role == "owner" {
			m.role = "admin"
		}
	}
	delete(w.invitations, userID)
	if m := w.member(userID); m != nil {
		m.role = "owner"
	} else {
		w.members = append(w.members, &wsMember{userID: userID, role: "owner"})
	}
	w.info.OwnerUID = userID
}

// AddWorkflow adds a workflow to a workspace and returns its id ("" for an unknown workspace).
func (s *Server) AddWorkflow(workspaceID string, wf Workflow) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.workspacesLocked().workspaces[workspaceID]
	if w == nil {
		return ""
	}
	return s.addWorkflowLocked(w, wf)
}

// SeedWorkflowsInNewWorkspaces makes every workspace created from now on start with these
// workflows: they stand in for workflows built in the Coze UI, which no API creates.
func (s *Server) SeedWorkflowsInNewWorkspaces(wfs ...Workflow) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.workspacesLocked()
	st.template = append(st.template, wfs...)
}

func (w *workspace) member(userID string) *wsMember {
	for _, m := range w.members {
		if m.userID == userID {
			return m
		}
	}
	return nil
}

func (w *workspace) remove(userID string) {
	for i, m := range w.members {
		if m.userID == userID {
			w.members = append(w.members[:i:i], w.members[i+1:]...)
			return
		}
	}
}

// ---- HTTP ----

const workflowsPath = "/v1/workflows"

// isWorkspaceRoute reports whether path is served by routeWorkspaces.
func isWorkspaceRoute(path string) bool {
	return path == "/v1/workspaces" || strings.HasPrefix(path, "/v1/workspaces/") || path == workflowsPath
}

// routeWorkspaces dispatches a workspace, member or workflow request by path and method.
func (s *Server) routeWorkspaces(r *http.Request, body []byte) reply {
	path, q := r.URL.Path, r.URL.Query()
	type route struct {
		method string
		handle func() reply
	}
	var routes []route
	rest, _ := strings.CutPrefix(path, "/v1/workspaces/")
	workspaceID, sub, hasSub := strings.Cut(rest, "/")
	switch {
	case path == "/v1/workspaces":
		routes = []route{
			{http.MethodGet, func() reply { return s.handleListWorkspaces(q) }},
			{http.MethodPost, func() reply { return s.handleCreateWorkspace(body) }},
		}
	case path == workflowsPath:
		routes = []route{{http.MethodGet, func() reply { return s.handleListWorkflows(q) }}}
	case workspaceID != "" && !hasSub:
		routes = []route{{http.MethodPut, func() reply { return s.handleUpdateWorkspace(workspaceID, body) }}}
	case workspaceID != "" && sub == "members":
		routes = []route{
			{http.MethodGet, func() reply { return s.handleListMembers(workspaceID, q) }},
			{http.MethodPost, func() reply { return s.handleAddMembers(workspaceID, body) }},
			{http.MethodDelete, func() reply { return s.handleRemoveMembers(workspaceID, body) }},
		}
	default:
		return fail(http.StatusNotFound, codePathNotFound, "path not found")
	}
	var allowed []string
	for _, rt := range routes {
		if rt.method == r.Method {
			return rt.handle()
		}
		allowed = append(allowed, rt.method)
	}
	rep := fail(http.StatusMethodNotAllowed, codeInvalidParam,
		fmt.Sprintf("method %s not allowed on %s, use %s", r.Method, path, strings.Join(allowed, " or ")))
	rep.allow = strings.Join(allowed, ", ")
	return rep
}

func workspaceNotFound(workspaceID string) reply {
	return fail(http.StatusOK, codeNotFound, fmt.Sprintf("workspace %s does not exist or you have no permission", workspaceID))
}

var createWorkspaceSchema = object(
	f("name", required(str(runeLen(1, 50)))),
	f("description", required(str(runeLen(1, 2000)))),
	f("icon_file_id", id()),
	f("coze_account_id", id()),
	f("owner_uid", str(nonEmpty)),
)

func (s *Server) handleCreateWorkspace(body []byte) reply {
	clean, bad, valid := s.decodeValid(body, createWorkspaceSchema)
	if !valid {
		return bad
	}
	info := WorkspaceInfo{
		Name: strAt(clean, "name"), Description: strAt(clean, "description"), IconFileID: strAt(clean, "icon_file_id"),
		CozeAccountID: strAt(clean, "coze_account_id"), OwnerUID: strAt(clean, "owner_uid"), Type: "team",
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.workspacesLocked()
	enterprise := info.CozeAccountID != "" && info.CozeAccountID != OwnerUserID
	if enterprise {
		info.EnterpriseID = "volcano_" + info.CozeAccountID
	} else if info.OwnerUID != "" && info.OwnerUID != OwnerUserID {
		return invalidf("owner_uid can only be set for a workspace of an organisation (coze_account_id); on personal plans the token's user owns the workspace")
	}
	if info.OwnerUID == "" {
		info.OwnerUID = OwnerUserID
	} else if _, known := st.users[info.OwnerUID]; !known {
		return invalidf("owner_uid %s is not a user of the organisation", info.OwnerUID)
	}
	if info.CozeAccountID == "" {
		info.CozeAccountID = OwnerUserID
	}
	w := s.addWorkspaceLocked("", info, enterprise)
	return ok(map[string]any{"id": w.id})
}

var updateWorkspaceSchema = object(
	f("name", str(runeLen(0, 50))),
	f("description", str(runeLen(0, 2000))),
)

func (s *Server) handleUpdateWorkspace(workspaceID string, body []byte) reply {
	if !isDigits(workspaceID) {
		return invalidf("workspace_id must be a string of decimal digits, got %q", workspaceID)
	}
	clean, bad, valid := s.decodeValid(body, updateWorkspaceSchema)
	if !valid {
		return bad
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.workspacesLocked().workspaces[workspaceID]
	if w == nil {
		return workspaceNotFound(workspaceID)
	}
	if w.info.Type == "personal" {
		return invalidf("the basic information of a personal workspace cannot be modified")
	}
	// An empty or missing field means "unchanged".
	if name := strAt(clean, "name"); name != "" {
		w.info.Name = name
	}
	if description := strAt(clean, "description"); description != "" {
		w.info.Description = description
	}
	return ok(nil)
}

// pageParams reads page_num (at least 1) and page_size (1 to maxSize); required makes
// page_num mandatory.
func pageParams(q url.Values, defaultSize, maxSize int, required bool) (pageNum, pageSize int, err error) {
	pageNum, pageSize = 1, defaultSize
	if v := q.Get("page_num"); v != "" {
		n, convErr := strconv.Atoi(v)
		if convErr != nil || n < 1 {
			return 0, 0, fmt.Errorf("page_num must be an integer of at least 1, got %q", v)
		}
		pageNum = n
	} else if required {
		return 0, 0, fmt.Errorf("page_num is required")
	}
	if v := q.Get("page_size"); v != "" {
		n, convErr := strconv.Atoi(v)
		if convErr != nil || n < 1 || n > maxSize {
			return 0, 0, fmt.Errorf("page_size must be an integer between 1 and %d, got %q", maxSize, v)
		}
		pageSize = n
	}
	return pageNum, pageSize, nil
}

// page returns the items of one page (none past the end).
func page[T any](items []T, pageNum, pageSize int) []T {
	if pageNum > len(items) { // also keeps the product below from overflowing
		return nil
	}
	from := (pageNum - 1) * pageSize
	if from >= len(items) {
		return nil
	}
	return items[from:min(from+pageSize, len(items))]
}

func (s *Server) handleListWorkspaces(q url.Values) reply {
	pageNum, pageSize, err := pageParams(q, defaultWorkspacePage, maxWorkspacePageSize, false)
	if err != nil {
		return invalidf("%s", err.Error())
	}
	enterpriseID, userID, accountID := q.Get("enterprise_id"), q.Get("user_id"), q.Get("coze_account_id")
	if (userID == "") != (accountID == "") {
		return invalidf("user_id and coze_account_id must be given together")
	}
	// The list shows only workspaces its user created or joined (list_workspace.md): the
	// token's user, or user_id. A workspace the token's user left, or created for another
	// owner (owner_uid), is not in the token's list.
	listedFor := OwnerUserID
	if userID != "" {
		listedFor = userID
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.workspacesLocked()
	var matched []*workspace
	for _, id := range st.order {
		w := st.workspaces[id]
		switch {
		case w.member(listedFor) == nil:
			continue
		case enterpriseID != "" && w.info.EnterpriseID != enterpriseID:
			continue
		case userID != "" && (w.info.Type == "personal" || w.info.CozeAccountID != accountID):
			continue
		}
		matched = append(matched, w)
	}
	items := []any{}
	for _, w := range page(matched, pageNum, pageSize) {
		items = append(items, s.workspaceEntry(w, listedFor))
	}
	return ok(map[string]any{"workspaces": items, "total_count": len(matched)})
}

// workspaceEntry renders a workspace of the list of user listedFor, whose role it shows.
func (s *Server) workspaceEntry(w *workspace, listedFor string) map[string]any {
	admins := []any{}
	for _, m := range w.members {
		if m.role == "admin" {
			admins = append(admins, m.userID)
		}
	}
	entry := map[string]any{
		"id": w.id, "name": w.info.Name, "description": w.info.Description, "icon_url": s.signedURL("space-icon", w.id),
		"owner_uid": w.info.OwnerUID, "admin_uids": admins, "enterprise_id": w.info.EnterpriseID,
		"joined_status": "joined", "workspace_type": w.info.Type,
	}
	if m := w.member(listedFor); m != nil {
		entry["role_type"] = m.role
	}
	return entry
}

func (s *Server) handleListMembers(workspaceID string, q url.Values) reply {
	if !isDigits(workspaceID) {
		return invalidf("workspace_id must be a string of decimal digits, got %q", workspaceID)
	}
	pageNum, pageSize, err := pageParams(q, defaultWorkspacePage, maxMemberPageSize, false)
	if err != nil {
		return invalidf("%s", err.Error())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.workspacesLocked()
	w := st.workspaces[workspaceID]
	if w == nil {
		return workspaceNotFound(workspaceID)
	}
	// The owner first, then in joining order.
	ordered := make([]*wsMember, 0, len(w.members))
	for _, m := range w.members {
		if m.role == "owner" {
			ordered = append(ordered, m)
		}
	}
	for _, m := range w.members {
		if m.role != "owner" {
			ordered = append(ordered, m)
		}
	}
	items := []any{}
	for _, m := range page(ordered, pageNum, pageSize) {
		nickname := st.users[m.userID]
		items = append(items, map[string]any{
			"user_id": m.userID, "role_type": m.role, "user_nickname": nickname, "user_unique_name": "user" + m.userID,
			"avatar_url": s.signedURL("avatar", m.userID),
		})
	}
	return ok(map[string]any{"items": items, "total_count": len(ordered)})
}

// itemsBetween checks an array's length.
func itemsBetween(lo, hi int) func(string, any) error {
	return func(path string, v any) error {
		if err := minItems(lo)(path, v); err != nil {
			return err
		}
		return maxItems(hi)(path, v)
	}
}

var addMembersSchema = object(
	f("users", required(array(object(
		f("user_id", required(id())),
		f("role_type", required(str(oneOf("admin", "member")))),
	), itemsBetween(1, maxAddUsers)))),
)

func (s *Server) handleAddMembers(workspaceID string, body []byte) reply {
	if !isDigits(workspaceID) {
		return invalidf("workspace_id must be a string of decimal digits, got %q", workspaceID)
	}
	clean, bad, valid := s.decodeValid(body, addMembersSchema)
	if !valid {
		return bad
	}
	users := sliceAt(clean, "users")
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.workspacesLocked()
	w := st.workspaces[workspaceID]
	if w == nil {
		return workspaceNotFound(workspaceID)
	}
	if w.info.Type == "personal" {
		return invalidf("users cannot be added to a personal workspace")
	}
	res := map[string][]any{}
	for _, k := range []string{"added_success_user_ids", "invited_success_user_ids", "already_joined_user_ids",
		"already_invited_user_ids", "not_exist_user_ids"} {
		res[k] = []any{}
	}
	for _, u := range users {
		user, _ := u.(map[string]any)
		userID, role := strAt(user, "user_id"), strAt(user, "role_type")
		_, invited := w.invitations[userID]
		_, exists := st.users[userID]
		var list string
		switch {
		case !exists:
			list = "not_exist_user_ids"
		case w.member(userID) != nil:
			list = "already_joined_user_ids"
		case invited:
			list = "already_invited_user_ids"
		case w.enterprise:
			w.members = append(w.members, &wsMember{userID: userID, role: role})
			list = "added_success_user_ids"
		default:
			w.invitations[userID] = role
			list = "invited_success_user_ids"
		}
		res[list] = append(res[list], userID)
	}
	data := map[string]any{}
	for k, v := range res {
		data[k] = v
	}
	return ok(data)
}

var removeMembersSchema = object(
	f("user_ids", required(array(id(), itemsBetween(1, maxRemoveUsers)))),
)

func (s *Server) handleRemoveMembers(workspaceID string, body []byte) reply {
	if !isDigits(workspaceID) {
		return invalidf("workspace_id must be a string of decimal digits, got %q", workspaceID)
	}
	clean, bad, valid := s.decodeValid(body, removeMembersSchema)
	if !valid {
		return bad
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.workspacesLocked().workspaces[workspaceID]
	if w == nil {
		return workspaceNotFound(workspaceID)
	}
	removed, notIn, owners := []any{}, []any{}, []any{}
	for _, v := range sliceAt(clean, "user_ids") {
		userID, _ := v.(string)
		switch m := w.member(userID); {
		case m == nil:
			notIn = append(notIn, userID) // a pending invitation is not a membership: it stays
		case m.role == "owner":
			owners = append(owners, userID)
		default:
			w.remove(userID)
			removed = append(removed, userID)
		}
	}
	return ok(map[string]any{
		"removed_success_user_ids": removed, "not_in_workspace_user_ids": notIn, "owner_not_support_remove_user_ids": owners,
	})
}

func (s *Server) handleListWorkflows(q url.Values) reply {
	workspaceID := q.Get("workspace_id")
	if workspaceID == "" {
		return invalidf("workspace_id is required")
	}
	if !isDigits(workspaceID) {
		return invalidf("workspace_id must be a string of decimal digits, got %q", workspaceID)
	}
	pageNum, pageSize, err := pageParams(q, defaultWorkflowPage, maxWorkflowPageSize, true)
	if err != nil {
		return invalidf("%s", err.Error())
	}
	mode, status, appID := q.Get("workflow_mode"), q.Get("publish_status"), q.Get("app_id")
	if mode != "" && mode != "workflow" && mode != "chatflow" {
		return invalidf("workflow_mode must be one of workflow, chatflow, got %q", mode)
	}
	switch status {
	case "":
		status = statusPublishedOnline
	case statusAll, statusPublishedOnline, statusPublishedDraft, statusUnpublishedDraft:
	default:
		return invalidf("publish_status must be one of all, published_online, unpublished_draft, got %q", status)
	}
	if appID != "" && !isDigits(appID) {
		return invalidf("app_id must be a string of decimal digits, got %q", appID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.workspacesLocked().workspaces[workspaceID]
	if w == nil {
		return workspaceNotFound(workspaceID)
	}
	var matched []*storedWorkflow
	for _, sw := range w.workflows {
		switch {
		case mode != "" && sw.wf.Mode != mode,
			appID != "" && sw.wf.AppID != appID,
			status == statusUnpublishedDraft && !sw.wf.Unpublished,
			(status == statusPublishedOnline || status == statusPublishedDraft) && sw.wf.Unpublished:
			continue
		}
		matched = append(matched, sw)
	}
	sort.SliceStable(matched, func(i, j int) bool { return idLess(matched[i].id, matched[j].id) })
	items := []any{}
	for _, sw := range page(matched, pageNum, pageSize) {
		app := sw.wf.AppID
		if app == "" {
			app = "0"
		}
		items = append(items, map[string]any{
			"workflow_id": sw.id, "workflow_name": sw.wf.Name, "description": sw.wf.Description, "app_id": app,
			"icon_url":   s.signedURL("workflow-icon", sw.id),
			"created_at": strconv.FormatInt(sw.created, 10), "updated_at": strconv.FormatInt(sw.modified, 10),
			"creator": map[string]any{"id": OwnerUserID, "name": "user" + OwnerUserID},
		})
	}
	hasMore := pageNum <= len(matched) && pageNum*pageSize < len(matched) // the first test keeps the product from overflowing
	return ok(map[string]any{"items": items, "has_more": hasMore})
}

// listsEveryBotLocked reports whether GET /v1/bots shows the token's user every bot of the
// workspace under Options.BotListOnlyOwnedWorkspaces: a workspace the mock does not know,
// the user's own, or an enterprise's. The caller holds s.mu.
func (s *Server) listsEveryBotLocked(workspaceID string) bool {
	w := s.workspacesLocked().workspaces[workspaceID]
	return w == nil || w.info.Type == "personal" || w.enterprise || w.info.OwnerUID == OwnerUserID
}

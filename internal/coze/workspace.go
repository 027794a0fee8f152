package coze

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
)

// Workspaces and their members:
//
//	POST   /v1/workspaces                          create a workspace
//	PUT    /v1/workspaces/{workspace_id}           rename it or change its description
//	GET    /v1/workspaces                          list the token's workspaces (page_num, page_size)
//	POST   /v1/workspaces/{workspace_id}/members   add (enterprise plans) or invite (personal plans) at most 20 users
//	DELETE /v1/workspaces/{workspace_id}/members   remove at most 5 users
//	GET    /v1/workspaces/{workspace_id}/members   list the members (page_num, page_size)
//
// There is no API to delete a workspace, nor to change a member's role.

// Documented limits of the workspace APIs.
const (
	MaxWorkspaceNameChars        = 50
	MaxWorkspaceDescriptionChars = 2000
	// MaxMembersPerAdd is the most users one add call takes; AddWorkspaceMembers batches above it.
	MaxMembersPerAdd = 20
	// MaxMembersPerRemove is the most users one remove call takes; RemoveWorkspaceMembers batches above it.
	MaxMembersPerRemove = 5
	// WorkspacePageSize and MemberPageSize are the largest documented page sizes of the list APIs.
	WorkspacePageSize = 50
	MemberPageSize    = 50
)

// Workspace types and member roles as the API spells them.
const (
	WorkspaceTypePersonal = "personal"
	WorkspaceTypeTeam     = "team"
	RoleOwner             = "owner"
	RoleAdmin             = "admin"
	RoleMember            = "member"
)

// CreateWorkspaceRequest is the body of POST /v1/workspaces. Name and
// description are required; the others are left out when empty.
type CreateWorkspaceRequest struct {
	Name          string `json:"name"`
	Description   string `json:"description"`
	IconFileID    string `json:"icon_file_id,omitempty"`
	CozeAccountID string `json:"coze_account_id,omitempty"`
	OwnerUID      string `json:"owner_uid,omitempty"`
}

// CreateWorkspace calls POST /v1/workspaces and returns the new workspace's id.
func (c *Client) CreateWorkspace(ctx context.Context, req *CreateWorkspaceRequest) (string, error) {
	if req == nil || req.Name == "" || req.Description == "" {
		return "", errors.New("create workspace: name and description are required")
	}
	var data struct {
		ID string `json:"id"`
	}
	op := fmt.Sprintf("create workspace %q", req.Name)
	if err := c.do(ctx, request{op: op, method: http.MethodPost, path: "/v1/workspaces", body: req, out: &data}); err != nil {
		return "", err
	}
	if data.ID == "" { // a success without the id: the workspace was created
		return "", &UncertainCreateError{Operation: op, Created: true, Err: fmt.Errorf("%s: the API answered success but returned no id", op)}
	}
	return data.ID, nil
}

// UpdateWorkspaceRequest is the body of PUT /v1/workspaces/{workspace_id}.
// The API reads an empty or missing field as "unchanged".
type UpdateWorkspaceRequest struct {
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
}

// UpdateWorkspace calls PUT /v1/workspaces/{workspace_id}. Personal
// workspaces cannot be changed.
func (c *Client) UpdateWorkspace(ctx context.Context, workspaceID string, req *UpdateWorkspaceRequest) error {
	if workspaceID == "" || req == nil {
		return errors.New("update workspace: workspace_id is required")
	}
	return c.do(ctx, request{op: "update workspace " + workspaceID, method: http.MethodPut,
		path: "/v1/workspaces/" + url.PathEscape(workspaceID), body: req})
}

// Workspace is one entry of GET /v1/workspaces. Description is nil when the
// response has no description field (the SDKs' models have none).
type Workspace struct {
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	Description   *string  `json:"description"`
	IconURL       string   `json:"icon_url"`
	OwnerUID      string   `json:"owner_uid"`
	RoleType      string   `json:"role_type"`
	AdminUIDs     []string `json:"admin_uids"`
	EnterpriseID  string   `json:"enterprise_id"`
	JoinedStatus  string   `json:"joined_status"`
	WorkspaceType string   `json:"workspace_type"`
}

// WorkspaceList is one page of GET /v1/workspaces.
type WorkspaceList struct {
	Workspaces []Workspace `json:"workspaces"`
	TotalCount int64       `json:"total_count"`
}

// ListWorkspacesRequest selects workspaces. Empty fields take the API's
// defaults: the token's own workspaces, personal one included.
type ListWorkspacesRequest struct {
	EnterpriseID string
	// UserID and CozeAccountID go together (the API rejects one alone).
	UserID        string
	CozeAccountID string
	PageNum       int
	PageSize      int
}

// ListWorkspaces calls GET /v1/workspaces for one page.
func (c *Client) ListWorkspaces(ctx context.Context, req ListWorkspacesRequest) (*WorkspaceList, error) {
	query := url.Values{}
	setIfNotEmpty(query, "enterprise_id", req.EnterpriseID)
	setIfNotEmpty(query, "user_id", req.UserID)
	setIfNotEmpty(query, "coze_account_id", req.CozeAccountID)
	setPage(query, req.PageNum, req.PageSize)
	var list WorkspaceList
	if err := c.do(ctx, request{op: "list workspaces", method: http.MethodGet, path: "/v1/workspaces", query: query,
		out: &list}); err != nil {
		return nil, err
	}
	return &list, nil
}

// EachWorkspace calls fn for every workspace that req selects, page after
// page (req's paging fields are ignored), until fn returns false.
func (c *Client) EachWorkspace(ctx context.Context, req ListWorkspacesRequest, fn func(Workspace) bool) error {
	return eachPage(paging[Workspace]{
		op: "list workspaces", noun: "workspaces", pageSize: WorkspacePageSize,
		fetch: func(page int) (listPage[Workspace], error) {
			req.PageNum, req.PageSize = page, WorkspacePageSize
			list, err := c.ListWorkspaces(ctx, req)
			if err != nil {
				return listPage[Workspace]{}, err
			}
			return listPage[Workspace]{items: list.Workspaces}, nil
		},
		key: func(w Workspace) string { return w.ID },
	}, fn)
}

// FindWorkspace looks for a workspace of the token by id, through every
// page; it returns nil (and no error) when no page lists it.
func (c *Client) FindWorkspace(ctx context.Context, workspaceID string) (*Workspace, error) {
	var found *Workspace
	err := c.EachWorkspace(ctx, ListWorkspacesRequest{}, func(w Workspace) bool {
		if w.ID == workspaceID {
			found = &w
			return false
		}
		return true
	})
	return found, err
}

// WorkspaceMember is one entry of the member list, and, with UserID and
// RoleType only, one user of an add call.
type WorkspaceMember struct {
	UserID         string `json:"user_id"`
	RoleType       string `json:"role_type"`
	UserNickname   string `json:"user_nickname,omitempty"`
	UserUniqueName string `json:"user_unique_name,omitempty"`
	AvatarURL      string `json:"avatar_url,omitempty"`
}

// MemberList is one page of GET /v1/workspaces/{workspace_id}/members.
type MemberList struct {
	Items      []WorkspaceMember `json:"items"`
	TotalCount int64             `json:"total_count"`
}

// ListWorkspaceMembers calls GET /v1/workspaces/{workspace_id}/members for one page.
func (c *Client) ListWorkspaceMembers(ctx context.Context, workspaceID string, pageNum, pageSize int) (*MemberList, error) {
	if workspaceID == "" {
		return nil, errors.New("list workspace members: workspace_id is required")
	}
	query := url.Values{}
	setPage(query, pageNum, pageSize)
	var list MemberList
	if err := c.do(ctx, request{op: "list members of workspace " + workspaceID, method: http.MethodGet,
		path: membersPath(workspaceID), query: query, out: &list}); err != nil {
		return nil, err
	}
	return &list, nil
}

// EachWorkspaceMember calls fn for every member of the workspace, page after
// page, until fn returns false. Invited users who have not accepted yet are
// not members.
func (c *Client) EachWorkspaceMember(ctx context.Context, workspaceID string, fn func(WorkspaceMember) bool) error {
	return eachPage(paging[WorkspaceMember]{
		op: "list members of workspace " + workspaceID, noun: "members", pageSize: MemberPageSize,
		fetch: func(page int) (listPage[WorkspaceMember], error) {
			list, err := c.ListWorkspaceMembers(ctx, workspaceID, page, MemberPageSize)
			if err != nil {
				return listPage[WorkspaceMember]{}, err
			}
			return listPage[WorkspaceMember]{items: list.Items}, nil
		},
		key: func(m WorkspaceMember) string { return m.UserID },
	}, fn)
}

// FindWorkspaceMember looks for a user in the workspace's member list; it
// returns nil (and no error) when the user is not a member.
func (c *Client) FindWorkspaceMember(ctx context.Context, workspaceID, userID string) (*WorkspaceMember, error) {
	var found *WorkspaceMember
	err := c.EachWorkspaceMember(ctx, workspaceID, func(m WorkspaceMember) bool {
		if m.UserID == userID {
			found = &m
			return false
		}
		return true
	})
	return found, err
}

// AddMembersResult is the data of an add call: each user of the call is in
// one of the lists.
type AddMembersResult struct {
	// AddedSuccess: joined directly (enterprise plans).
	AddedSuccess []string `json:"added_success_user_ids"`
	// InvitedSuccess: invited (personal plans). The docs and both SDKs call
	// it "invited and agreed to join"; callers must not assume either
	// reading and look the user up in the member list.
	InvitedSuccess []string `json:"invited_success_user_ids"`
	// AlreadyJoined: already a member (any role, owner included); not changed.
	AlreadyJoined []string `json:"already_joined_user_ids"`
	// AlreadyInvited: an invitation is pending (personal plans); not changed.
	AlreadyInvited []string `json:"already_invited_user_ids"`
	// NotExist: no such Coze user.
	NotExist []string `json:"not_exist_user_ids"`
}

// AddWorkspaceMembers calls POST /v1/workspaces/{workspace_id}/members, in
// calls of at most MaxMembersPerAdd users, and merges their results. On an
// error it returns the results of the calls that succeeded before it.
func (c *Client) AddWorkspaceMembers(ctx context.Context, workspaceID string, users []WorkspaceMember) (*AddMembersResult, error) {
	if workspaceID == "" || len(users) == 0 {
		return nil, errors.New("add workspace members: workspace_id and at least one user are required")
	}
	merged := &AddMembersResult{}
	for batch := range slices.Chunk(users, MaxMembersPerAdd) {
		body := struct {
			Users []member `json:"users"`
		}{make([]member, len(batch))}
		ids := make([]string, len(batch))
		for i, u := range batch {
			body.Users[i] = member{UserID: u.UserID, RoleType: u.RoleType}
			ids[i] = u.UserID
		}
		var data AddMembersResult
		if err := c.do(ctx, request{op: fmt.Sprintf("add users %v to workspace %s", ids, workspaceID),
			method: http.MethodPost, path: membersPath(workspaceID), body: body, out: &data}); err != nil {
			return merged, err
		}
		merged.AddedSuccess = append(merged.AddedSuccess, data.AddedSuccess...)
		merged.InvitedSuccess = append(merged.InvitedSuccess, data.InvitedSuccess...)
		merged.AlreadyJoined = append(merged.AlreadyJoined, data.AlreadyJoined...)
		merged.AlreadyInvited = append(merged.AlreadyInvited, data.AlreadyInvited...)
		merged.NotExist = append(merged.NotExist, data.NotExist...)
	}
	return merged, nil
}

// member is a user of an add call: the API takes only these two fields.
type member struct {
	UserID   string `json:"user_id"`
	RoleType string `json:"role_type"`
}

// RemoveMembersResult is the data of a remove call.
type RemoveMembersResult struct {
	RemovedSuccess []string
	// NotInWorkspace: not a member (nothing done). The docs' table, the
	// OpenAPI spec and both SDKs name it not_in_workspace_user_ids, the
	// docs' example not_in_space_user_ids: both are read.
	NotInWorkspace []string
	// OwnerNotSupportRemove: the owner, who cannot be removed.
	OwnerNotSupportRemove []string
}

// UnmarshalJSON reads both names of the not-in-workspace list.
func (r *RemoveMembersResult) UnmarshalJSON(data []byte) error {
	var wire struct {
		RemovedSuccess        []string `json:"removed_success_user_ids"`
		NotInWorkspace        []string `json:"not_in_workspace_user_ids"`
		NotInSpace            []string `json:"not_in_space_user_ids"`
		OwnerNotSupportRemove []string `json:"owner_not_support_remove_user_ids"`
	}
	if err := json.Unmarshal(data, &wire); err != nil {
		return err
	}
	*r = RemoveMembersResult{
		RemovedSuccess:        wire.RemovedSuccess,
		NotInWorkspace:        append(wire.NotInWorkspace, wire.NotInSpace...),
		OwnerNotSupportRemove: wire.OwnerNotSupportRemove,
	}
	return nil
}

// RemoveWorkspaceMembers calls DELETE /v1/workspaces/{workspace_id}/members,
// in calls of at most MaxMembersPerRemove users, and merges their results.
// On an error it returns the results of the calls that succeeded before it.
func (c *Client) RemoveWorkspaceMembers(ctx context.Context, workspaceID string, userIDs []string) (*RemoveMembersResult, error) {
	if workspaceID == "" || len(userIDs) == 0 {
		return nil, errors.New("remove workspace members: workspace_id and at least one user are required")
	}
	merged := &RemoveMembersResult{}
	for batch := range slices.Chunk(userIDs, MaxMembersPerRemove) {
		body := struct {
			UserIDs []string `json:"user_ids"`
		}{batch}
		var data RemoveMembersResult
		if err := c.do(ctx, request{op: fmt.Sprintf("remove users %v from workspace %s", batch, workspaceID),
			method: http.MethodDelete, path: membersPath(workspaceID), body: body, out: &data}); err != nil {
			return merged, err
		}
		merged.RemovedSuccess = append(merged.RemovedSuccess, data.RemovedSuccess...)
		merged.NotInWorkspace = append(merged.NotInWorkspace, data.NotInWorkspace...)
		merged.OwnerNotSupportRemove = append(merged.OwnerNotSupportRemove, data.OwnerNotSupportRemove...)
	}
	return merged, nil
}

func membersPath(workspaceID string) string {
	return "/v1/workspaces/" + url.PathEscape(workspaceID) + "/members"
}

func setIfNotEmpty(query url.Values, key, value string) {
	if value != "" {
		query.Set(key, value)
	}
}

func setPage(query url.Values, pageNum, pageSize int) {
	if pageNum > 0 {
		query.Set("page_num", strconv.Itoa(pageNum))
	}
	if pageSize > 0 {
		query.Set("page_size", strconv.Itoa(pageSize))
	}
}

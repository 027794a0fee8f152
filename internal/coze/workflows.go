package coze

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// WorkflowPageSize is the largest page size of GET /v1/workflows.
const WorkflowPageSize = 30

// Workflow modes and publish statuses of GET /v1/workflows. The docs list
// all, published_online (the default) and unpublished_draft; the OpenAPI spec
// and the SDKs share the bots' enum, which also has published_draft.
const (
	WorkflowModeWorkflow = "workflow"
	WorkflowModeChatflow = "chatflow"
)

// Workflow is one entry of GET /v1/workflows.
type Workflow struct {
	WorkflowID   string      `json:"workflow_id"`
	WorkflowName string      `json:"workflow_name"`
	Description  string      `json:"description"`
	IconURL      string      `json:"icon_url"`
	AppID        string      `json:"app_id"`
	CreatedAt    UnixSeconds `json:"created_at"`
	UpdatedAt    UnixSeconds `json:"updated_at"`
	Creator      *struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"creator"`
}

// WorkflowList is one page of GET /v1/workflows.
type WorkflowList struct {
	Items   []Workflow `json:"items"`
	HasMore bool       `json:"has_more"`
}

// ListWorkflowsRequest selects workflows of a workspace. Empty fields take
// the API's defaults (both modes, published workflows only).
type ListWorkflowsRequest struct {
	WorkspaceID   string
	WorkflowMode  string
	AppID         string
	PublishStatus string
	// PageNum is required by the API; 0 sends 1.
	PageNum  int
	PageSize int
}

// ListWorkflows calls GET /v1/workflows for one page.
func (c *Client) ListWorkflows(ctx context.Context, req ListWorkflowsRequest) (*WorkflowList, error) {
	if req.WorkspaceID == "" {
		return nil, errors.New("list workflows: workspace_id is required")
	}
	query := url.Values{"workspace_id": {req.WorkspaceID}, "page_num": {strconv.Itoa(max(1, req.PageNum))}}
	setIfNotEmpty(query, "workflow_mode", req.WorkflowMode)
	setIfNotEmpty(query, "app_id", req.AppID)
	setIfNotEmpty(query, "publish_status", req.PublishStatus)
	if req.PageSize > 0 {
		query.Set("page_size", strconv.Itoa(req.PageSize))
	}
	var list WorkflowList
	if err := c.do(ctx, request{op: "list workflows of workspace " + req.WorkspaceID, method: http.MethodGet,
		path: "/v1/workflows", query: query, out: &list}); err != nil {
		return nil, err
	}
	return &list, nil
}

// EachWorkflow calls fn for every workflow that req selects, page after page
// while has_more is true and the page is not empty (req's paging fields are
// ignored), until fn returns false.
func (c *Client) EachWorkflow(ctx context.Context, req ListWorkflowsRequest, fn func(Workflow) bool) error {
	return eachPage(paging[Workflow]{
		op: "list workflows of workspace " + req.WorkspaceID, noun: "workflows", pageSize: WorkflowPageSize,
		fetch: func(page int) (listPage[Workflow], error) {
			req.PageNum, req.PageSize = page, WorkflowPageSize
			list, err := c.ListWorkflows(ctx, req)
			if err != nil {
				return listPage[Workflow]{}, err
			}
			return listPage[Workflow]{items: list.Items, hasMore: &list.HasMore}, nil
		},
		key: func(w Workflow) string { return w.WorkflowID },
	}, fn)
}

// UnixSeconds is a time in unix seconds that the API sends as a string
// ("1752060786", as documented) or as a number (as coze-py's model reads it).
type UnixSeconds int64

// UnmarshalJSON accepts a JSON string of digits, a number, "" or null.
func (u *UnixSeconds) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if string(data) == "null" {
		return nil
	}
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		if s == "" {
			*u = 0
			return nil
		}
		data = []byte(s)
	}
	n, err := strconv.ParseInt(string(data), 10, 64)
	if err != nil {
		return fmt.Errorf("unix time %s: %w", data, err)
	}
	*u = UnixSeconds(n)
	return nil
}

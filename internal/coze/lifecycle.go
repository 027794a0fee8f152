package coze

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"

	"github.com/hashicorp/go-retryablehttp"
)

// Connector ids of the publish API.
const (
	ConnectorAPI     = "1024"
	ConnectorChatSDK = "999"
)

// CreateBotRequest is the body of POST /v1/bot/create: the update body's
// shapes, minus knowledge, which create does not accept.
type CreateBotRequest struct {
	SpaceID          string            `json:"space_id"`
	Name             string            `json:"name"`
	Description      *string           `json:"description,omitempty"`
	IconFileID       *string           `json:"icon_file_id,omitempty"`
	PromptInfo       *PromptInfo       `json:"prompt_info,omitempty"`
	OnboardingInfo   *OnboardingInfo   `json:"onboarding_info,omitempty"`
	PluginIDList     *PluginIDList     `json:"plugin_id_list,omitempty"`
	WorkflowIDList   *WorkflowIDList   `json:"workflow_id_list,omitempty"`
	ModelInfoConfig  *ModelInfoConfig  `json:"model_info_config,omitempty"`
	SuggestReplyInfo *SuggestReplyInfo `json:"suggest_reply_info,omitempty"`
}

// CreateBot calls POST /v1/bot/create and returns the new bot's id.
func (c *Client) CreateBot(ctx context.Context, req *CreateBotRequest) (string, error) {
	if req == nil || req.SpaceID == "" || req.Name == "" {
		return "", errors.New("create bot: space_id and name are required")
	}
	var data struct {
		BotID string `json:"bot_id"`
	}
	if err := c.do(ctx, request{op: "create bot in space " + req.SpaceID, method: http.MethodPost,
		path: "/v1/bot/create", body: req, out: &data}); err != nil {
		return "", err
	}
	if data.BotID == "" { // a success without the id: the bot was created
		op := "create bot in space " + req.SpaceID
		return "", &UncertainCreateError{Operation: op, Created: true,
			Err: fmt.Errorf("%s: the API answered success but returned no bot_id", op)}
	}
	return data.BotID, nil
}

// PublishBotRequest is the body of POST /v1/bot/publish. Connector values
// are JSON-encoded strings, as the API wants them.
type PublishBotRequest struct {
	BotID        string                       `json:"bot_id"`
	ConnectorIDs []string                     `json:"connector_ids"`
	Connectors   map[string]map[string]string `json:"connectors,omitempty"`
}

// PublishedBot is the data of a publish.
type PublishedBot struct {
	BotID   string `json:"bot_id"`
	Version string `json:"version"`
}

// PublishBot calls POST /v1/bot/publish.
func (c *Client) PublishBot(ctx context.Context, req *PublishBotRequest) (*PublishedBot, error) {
	if req == nil || req.BotID == "" || len(req.ConnectorIDs) == 0 {
		return nil, errors.New("publish bot: bot_id and connector_ids are required")
	}
	var data PublishedBot
	if err := c.do(ctx, request{op: "publish bot " + req.BotID, method: http.MethodPost, path: "/v1/bot/publish",
		body: req, out: &data}); err != nil {
		return nil, err
	}
	return &data, nil
}

// UnpublishBot calls POST /v1/bots/{bot_id}/unpublish for one connector.
func (c *Client) UnpublishBot(ctx context.Context, botID, connectorID, reason string) error {
	if botID == "" || connectorID == "" {
		return errors.New("unpublish bot: bot_id and connector_id are required")
	}
	body := struct {
		ConnectorID     string `json:"connector_id"`
		UnpublishReason string `json:"unpublish_reason,omitempty"`
	}{connectorID, reason}
	return c.do(ctx, request{op: fmt.Sprintf("unpublish bot %s from connector %s", botID, connectorID),
		method: http.MethodPost, path: "/v1/bots/" + url.PathEscape(botID) + "/unpublish", body: body})
}

// BotList is one page of GET /v1/bots.
type BotList struct {
	Items []BotListItem `json:"items"`
	Total int64         `json:"total"`
}

// BotListItem is one bot of a workspace listing.
type BotListItem struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	IconURL     string `json:"icon_url"`
	FolderID    string `json:"folder_id"`
	UpdatedAt   int64  `json:"updated_at"`
	Description string `json:"description"`
	IsPublished bool   `json:"is_published"`
	PublishedAt int64  `json:"published_at"`
	OwnerUserID string `json:"owner_user_id"`
}

// ListBotsRequest selects bots of a workspace. Empty fields take the API's defaults.
type ListBotsRequest struct {
	WorkspaceID   string
	PublishStatus string
	ConnectorID   string
	PageNum       int
	PageSize      int
	// ConfirmShortPage makes ListAllBots read on after a short page that
	// brought new bots, until a page is empty or brings nothing new. The doc
	// states no maximum page size; a server that caps page_size below what
	// was asked, without an error, answers every page short, and stopping
	// there would miss the bots of later pages. It costs one request per
	// listing whose last page is not full.
	ConfirmShortPage bool
}

// ListBots calls GET /v1/bots for one page.
func (c *Client) ListBots(ctx context.Context, req ListBotsRequest) (*BotList, error) {
	if req.WorkspaceID == "" {
		return nil, errors.New("list bots: workspace_id is required")
	}
	query := url.Values{"workspace_id": {req.WorkspaceID}}
	if req.PublishStatus != "" {
		query.Set("publish_status", req.PublishStatus)
	}
	if req.ConnectorID != "" {
		query.Set("connector_id", req.ConnectorID)
	}
	if req.PageNum > 0 {
		// The doc and the spec name the page number page_num; coze-py sends
		// page_index. Both are sent, so the page is right under either reading.
		query.Set("page_num", strconv.Itoa(req.PageNum))
		query.Set("page_index", strconv.Itoa(req.PageNum))
	}
	if req.PageSize > 0 {
		query.Set("page_size", strconv.Itoa(req.PageSize))
	}
	var list BotList
	if err := c.do(ctx, request{op: "list bots of workspace " + req.WorkspaceID, method: http.MethodGet,
		path: "/v1/bots", query: query, out: &list}); err != nil {
		return nil, err
	}
	return &list, nil
}

// DefaultListPageSize is the documented default page size of GET /v1/bots;
// no maximum is documented.
const DefaultListPageSize = 20

// ListAllBots reads every page of GET /v1/bots (eachPage) until a page comes
// back short or empty (with ConfirmShortPage: until a page is empty or brings
// no new bot). It does not stop on total: the doc defines total as "the number of
// bots returned" (this page's count), the SDKs read it as all matching
// bots. A bot listed twice (the order shifted between pages) is kept once.
// It fails after maxPages pages, and when a full page brings no new bot: an
// API that ignored the page number would otherwise return the first page
// forever.
func (c *Client) ListAllBots(ctx context.Context, req ListBotsRequest, maxPages int) ([]BotListItem, error) {
	if req.PageSize <= 0 {
		req.PageSize = DefaultListPageSize
	}
	items := []BotListItem{}
	err := eachPage(paging[BotListItem]{
		op: "list bots of workspace " + req.WorkspaceID, noun: "bots", pageSize: req.PageSize, maxPages: maxPages,
		confirmShortPage: req.ConfirmShortPage,
		fetch: func(page int) (listPage[BotListItem], error) {
			req.PageNum = page
			list, err := c.ListBots(ctx, req)
			if err != nil {
				return listPage[BotListItem]{}, err
			}
			return listPage[BotListItem]{items: list.Items}, nil
		},
		key: func(b BotListItem) string { return b.ID },
	}, func(b BotListItem) bool {
		items = append(items, b)
		return true
	})
	if err != nil {
		return nil, err
	}
	return items, nil
}

// BotListCoverage is what the token's workspace list says of how much of a
// workspace the bot list (GET /v1/bots) shows this token. The list's doc:
// "on the personal edition, only the bots of workspaces whose owner [the
// user] is; on the enterprise edition, every bot of the workspace". So a
// bot missing from the list is known to be gone from the workspace only
// when Complete.
type BotListCoverage struct {
	Complete bool
	// Why says what Complete rests on, as a clause: "the token's user owns
	// workspace 7341".
	Why string
}

// BotListCoverage reads the token's workspace list (every page, up to the
// workspace) to tell whether the bot list of workspaceID is complete for
// this token: the workspace is an enterprise's (enterprise_id set), or the
// token's user owns it (role_type owner, or the personal workspace).
// Otherwise, or when the list does not show the workspace at all, it is not
// known to be complete.
func (c *Client) BotListCoverage(ctx context.Context, workspaceID string) (BotListCoverage, error) {
	ws, err := c.FindWorkspace(ctx, workspaceID)
	switch {
	case err != nil:
		return BotListCoverage{}, err
	case ws == nil:
		return BotListCoverage{Why: fmt.Sprintf("the token's workspace list (GET /v1/workspaces) does not show workspace %s, "+
			"so the provider cannot tell how much of it the bot list shows", workspaceID)}, nil
	case ws.EnterpriseID != "":
		return BotListCoverage{Complete: true, Why: fmt.Sprintf("workspace %s belongs to an enterprise (%s), whose bot list "+
			"shows every bot", workspaceID, ws.EnterpriseID)}, nil
	case ws.RoleType == RoleOwner || ws.WorkspaceType == WorkspaceTypePersonal:
		return BotListCoverage{Complete: true, Why: fmt.Sprintf("the token's user owns workspace %s", workspaceID)}, nil
	}
	role := ws.RoleType
	if role == "" {
		role = "not stated by the workspace list"
	}
	return BotListCoverage{Why: fmt.Sprintf("on Coze's personal edition the bot list shows only the bots of workspaces the "+
		"token's user owns, and the token's role in workspace %s is %s", workspaceID, role)}, nil
}

// File is an uploaded file.
type File struct {
	ID        string `json:"id"`
	Bytes     int64  `json:"bytes"`
	FileName  string `json:"file_name"`
	CreatedAt int64  `json:"created_at"`
}

// RetrieveFile calls GET /v1/files/retrieve: the details of an uploaded
// file. A file that is gone answers an error (the mock: 4200); a
// success without data returns a File with an empty ID.
func (c *Client) RetrieveFile(ctx context.Context, fileID string) (*File, error) {
	if fileID == "" {
		return nil, errors.New("retrieve file: file_id is required")
	}
	var file File
	err := c.do(ctx, request{op: "retrieve file " + fileID, method: http.MethodGet, path: "/v1/files/retrieve",
		query: url.Values{"file_id": {fileID}}, out: &file})
	if err != nil {
		return nil, err
	}
	return &file, nil
}

// MaxUploadBytes is the API's upload limit (512 MB).
const MaxUploadBytes = 512 << 20

// UploadFile sends one file as multipart form field "file" to
// POST /v1/files/upload. open is called once per attempt, so that a retry
// sends the whole file again without holding it in memory.
func (c *Client) UploadFile(ctx context.Context, fileName string, open func() (io.ReadCloser, error)) (*File, error) {
	op := "upload file " + fileName
	boundary := multipart.NewWriter(io.Discard).Boundary()
	body := func() (io.Reader, error) {
		src, err := open()
		if err != nil {
			return nil, err
		}
		pr, pw := io.Pipe()
		go func() {
			defer src.Close()
			mw := multipart.NewWriter(pw)
			_ = mw.SetBoundary(boundary)
			part, err := mw.CreateFormFile("file", fileName)
			if err == nil {
				_, err = io.Copy(part, src)
			}
			if err == nil {
				err = mw.Close()
			}
			pw.CloseWithError(err)
		}()
		return pr, nil
	}
	var file File
	err := c.send(ctx, request{op: op, method: http.MethodPost, path: "/v1/files/upload", body: retryablehttp.ReaderFunc(body),
		contentType: "multipart/form-data; boundary=" + boundary, logBody: "(multipart upload of " + fileName + ")", out: &file})
	if err != nil {
		return nil, err
	}
	return &file, nil
}

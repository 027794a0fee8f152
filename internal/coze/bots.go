package coze

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
)

// UpdateBot calls POST /v1/bot/update. Fields left nil are not sent and so
// are not changed by the API.
func (c *Client) UpdateBot(ctx context.Context, req *UpdateBotRequest) error {
	if req == nil || req.BotID == "" {
		return errors.New("update bot: bot_id is required")
	}
	return c.do(ctx, request{op: "update bot " + req.BotID, method: http.MethodPost, path: "/v1/bot/update", body: req})
}

// GetBot calls GET /v1/bots/{bot_id}. published=false reads the draft, which
// is what UpdateBot edits; the API's own default is the published version.
func (c *Client) GetBot(ctx context.Context, botID string, published bool) (*Bot, error) {
	if botID == "" {
		return nil, errors.New("get bot: bot_id is required")
	}
	var bot Bot
	query := url.Values{"is_published": {strconv.FormatBool(published)}}
	if err := c.do(ctx, request{op: "get bot " + botID, method: http.MethodGet,
		path: "/v1/bots/" + url.PathEscape(botID), query: query, out: &bot}); err != nil {
		return nil, err
	}
	return &bot, nil
}

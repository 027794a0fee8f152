package mockcoze

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Publish statuses of GET /v1/bots.
const (
	statusAll              = "all"
	statusPublishedOnline  = "published_online"
	statusPublishedDraft   = "published_draft"
	statusUnpublishedDraft = "unpublished_draft"
)

// List paging: the documented defaults; the maximum page size is the mock's choice (the
// doc states none).
const (
	defaultPageSize = 20
	maxPageSize     = 50
)

// PublishedConnectors returns the channels (connector ids) the bot is published to,
// sorted as strings; nil when it is published nowhere or does not exist.
func (s *Server) PublishedConnectors(botID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, found := s.bots[botID]
	if !found || len(b.connectors) == 0 {
		return nil
	}
	out := make([]string, 0, len(b.connectors))
	for id := range b.connectors {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// PublishedConnectorConfig returns a copy of the connectors parameter stored by publish
// for the channels the bot is still published to (channel id -> key -> the JSON-encoded
// string value as sent); nil when the bot does not exist, empty when nothing is stored.
func (s *Server) PublishedConnectorConfig(botID string) map[string]map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, found := s.bots[botID]
	if !found {
		return nil
	}
	out := make(map[string]map[string]string, len(b.connectorCfg))
	for ch, kv := range b.connectorCfg {
		cp := make(map[string]string, len(kv))
		for k, v := range kv {
			cp[k] = v
		}
		out[ch] = cp
	}
	return out
}

// handleCreate serves POST /v1/bot/create.
func (s *Server) handleCreate(body []byte) reply {
	in, err := decodeObject(body)
	if err != nil {
		return fail(http.StatusOK, codeInvalidParam, "invalid request body: "+err.Error())
	}
	clean, verr := validateCreate(in, s.strict)
	if verr != nil {
		return invalidf("%s", verr.Error())
	}
	spaceID := strAt(clean, "space_id")
	delete(clean, "space_id")
	if err := crossCheck(clean); err != nil {
		return invalidf("%s", err.Error())
	}

	now := time.Now().Unix()
	s.mu.Lock()
	defer s.mu.Unlock()
	botID := s.newBotID()
	s.bots[botID] = &bot{
		space:      spaceID,
		createTime: now,
		updateTime: now,
		draftRev:   1,
		draft:      clean,
	}
	return ok(map[string]any{"bot_id": botID})
}

// newBotID returns an unused bot id. The caller holds s.mu.
func (s *Server) newBotID() string {
	for {
		id := strconv.FormatUint(s.nextBotID, 10)
		s.nextBotID++
		if _, taken := s.bots[id]; !taken {
			return id
		}
	}
}

// handleUnpublish serves POST /v1/bots/{bot_id}/unpublish. Unpublishing a channel the bot
// is not published to is an error (code 4000), not a no-op.
func (s *Server) handleUnpublish(botID string, body []byte) reply {
	if !isDigits(botID) {
		return invalidf("bot_id must be a string of decimal digits, got %q", botID)
	}
	in, err := decodeObject(body)
	if err != nil {
		return fail(http.StatusOK, codeInvalidParam, "invalid request body: "+err.Error())
	}
	connectorID, _, verr := validateUnpublish(in, s.strict)
	if verr != nil {
		return invalidf("%s", verr.Error())
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	b, found := s.bots[botID]
	if !found {
		return notFound(botID)
	}
	if !b.connectors[connectorID] {
		return invalidf("bot %s is not published to connector %s, nothing to unpublish", botID, connectorID)
	}
	delete(b.connectors, connectorID)
	delete(b.connectorCfg, connectorID)
	if b.unpublishedFrom == nil {
		b.unpublishedFrom = map[string]bool{}
	}
	b.unpublishedFrom[connectorID] = true
	return ok(nil)
}

// listQuery is a validated query of GET /v1/bots.
type listQuery struct {
	workspaceID string
	status      string
	connectorID string
	pageNum     int
	pageSize    int
}

func parseListQuery(q url.Values) (listQuery, error) {
	lq := listQuery{
		workspaceID: q.Get("workspace_id"),
		status:      q.Get("publish_status"),
		connectorID: q.Get("connector_id"),
	}
	if lq.workspaceID == "" {
		return lq, errors.New("workspace_id is required")
	}
	if !isDigits(lq.workspaceID) {
		return lq, fmt.Errorf("workspace_id must be a string of decimal digits, got %q", lq.workspaceID)
	}
	switch lq.status {
	case "":
		lq.status = statusPublishedOnline
	case statusAll, statusPublishedOnline, statusPublishedDraft, statusUnpublishedDraft:
	default:
		return lq, fmt.Errorf("publish_status must be one of %s, got %q",
			strings.Join([]string{statusAll, statusPublishedOnline, statusPublishedDraft, statusUnpublishedDraft}, ", "), lq.status)
	}
	if lq.connectorID == "" {
		lq.connectorID = connectorAPI
	} else if !isDigits(lq.connectorID) {
		return lq, fmt.Errorf("connector_id must be a string of decimal digits, got %q", lq.connectorID)
	}
	var err error
	lq.pageNum, lq.pageSize, err = pageParams(q, defaultPageSize, maxPageSize, false)
	return lq, err
}

// listItem is one bot of a list answer, with what it is sorted by.
type listItem struct {
	id      string
	updated int64
	data    map[string]any
}

// handleList serves GET /v1/bots: the bots of a space, filtered by publish status.
//
//   - all: every bot, draft data.
//   - published_online: bots published to connector_id, data of the published version
//     (Options.PublishedStatusesApart: only those whose draft did not change since).
//   - published_draft: bots published to connector_id whose draft changed since the last
//     publish, draft data (Options.PublishedDraftListsUnpublished: also those unpublished
//     from connector_id since).
//   - unpublished_draft: bots never published, draft data.
//
// Items are sorted by updated_at descending, then by id ascending (numerically); total
// counts all matching bots, not just the page (Options.ListTotalCountsPage: just the page).
func (s *Server) handleList(q url.Values) reply {
	lq, err := parseListQuery(q)
	if err != nil {
		return invalidf("%s", err.Error())
	}

	s.mu.Lock()
	var matched []listItem
	hidden := s.ownedOnly && !s.listsEveryBotLocked(lq.workspaceID)
	for id, b := range s.bots {
		if b.space != lq.workspaceID || hidden {
			continue
		}
		cfg, updated := b.draft, b.updateTime
		switch lq.status {
		case statusPublishedOnline:
			if b.published == nil || !b.connectors[lq.connectorID] || (s.apart && b.draftRev != b.publishedRev) {
				continue
			}
			cfg, updated = b.published, b.publishedUpdate
		case statusPublishedDraft:
			edited := b.published != nil && b.connectors[lq.connectorID] && b.draftRev != b.publishedRev
			unpublished := s.draftOff && b.unpublishedFrom[lq.connectorID]
			if listed := edited || unpublished; !listed {
				continue
			}
		case statusUnpublishedDraft:
			if b.version != "" {
				continue
			}
		}
		matched = append(matched, listItem{id: id, updated: updated, data: s.listEntry(id, b, cfg, updated)})
	}
	s.mu.Unlock()

	sort.Slice(matched, func(i, j int) bool {
		if matched[i].updated != matched[j].updated {
			return matched[i].updated > matched[j].updated
		}
		return idLess(matched[i].id, matched[j].id)
	})
	items := []any{}
	if lq.pageNum <= len(matched) { // also keeps the product below from overflowing
		if from := (lq.pageNum - 1) * lq.pageSize; from < len(matched) {
			for _, it := range matched[from:min(from+lq.pageSize, len(matched))] {
				items = append(items, it.data)
			}
		}
	}
	total := len(matched)
	if s.pageTotal {
		total = len(items)
	}
	return ok(map[string]any{"items": items, "total": total})
}

// listEntry renders a bot in the BotSimpleInfo shape of the list answer. published_at is
// there only while the bot is published. The caller holds s.mu.
func (s *Server) listEntry(botID string, b *bot, cfg map[string]any, updated int64) map[string]any {
	iconID := strAt(cfg, "icon_file_id")
	if iconID == "" {
		iconID = "default"
	}
	item := map[string]any{
		"id":            botID,
		"name":          strAt(cfg, "name"),
		"icon_url":      s.signedURL("icon", iconID),
		"folder_id":     strAt(cfg, "folder_id"),
		"updated_at":    updated,
		"description":   strAt(cfg, "description"),
		"is_published":  b.isPublished(),
		"owner_user_id": mockOwnerID,
	}
	if b.isPublished() {
		item["published_at"] = b.publishTime
	}
	return item
}

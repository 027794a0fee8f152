package mockcoze

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"time"
)

// Values the retrieve API reports for settings that were never set.
var modelDefaults = []struct {
	key string
	val any
}{
	{"top_k", json.Number("0")},
	{"top_p", json.Number("1")},
	{"max_tokens", json.Number("4096")},
	{"temperature", json.Number("1")},
	{"context_round", json.Number("30")},
	{"response_format", "text"},
	{"presence_penalty", json.Number("0")},
	{"frequency_penalty", json.Number("0")},
	{"api_mode", "chat_api"},
}

const (
	defaultModelID = "1706077826"
	mockModelName  = "Doubao-Mock"
	mockOwnerID    = "3290203001"
)

// botInfo renders a stored configuration (update shape) in the RETRIEVE shape of
// GET /v1/bots/{bot_id}. The caller holds s.mu.
func (s *Server) botInfo(botID string, b *bot, cfg map[string]any, updateTime int64) map[string]any {
	iconID := strAt(cfg, "icon_file_id")
	if iconID == "" {
		iconID = "default"
	}

	// prompt_info
	pi := mapAt(cfg, "prompt_info")
	promptMode := strAt(pi, "prompt_mode")
	if promptMode == "" {
		promptMode = "standard"
	}
	promptInfo := map[string]any{"prompt": strAt(pi, "prompt"), "prompt_mode": promptMode}
	if ppi, stored := pi["prefix_prompt_info"].(map[string]any); stored {
		promptInfo["prefix_prompt_info"] = map[string]any{
			"prefix_prompt":  strAt(ppi, "prefix_prompt"),
			"dynamic_prompt": strAt(ppi, "dynamic_prompt"),
		}
	}

	// onboarding_info
	oi := mapAt(cfg, "onboarding_info")
	questions := stringsAt(oi, "suggested_questions")
	var onboarding map[string]any
	if s.pascal {
		onboarding = map[string]any{
			"Prologue":                   strAt(oi, "prologue"),
			"OnboardingMode":             2,
			"CustomizedOnboardingPrompt": "",
			"SuggestedQuestionsShowMode": 0,
		}
		if len(questions) > 0 {
			onboarding["SuggestedQuestions"] = questions
		}
	} else {
		onboarding = map[string]any{"prologue": strAt(oi, "prologue")}
		if len(questions) > 0 {
			onboarding["suggested_questions"] = questions
		}
	}

	// knowledge: sorted by id, duplicates collapsed (a bot binds a set of
	// knowledge bases), named as the mock holds them; a base it does not hold
	// (bound by id only) is "Knowledge <id>".
	knowledgeInfos := []any{}
	for _, id := range sortedUnique(stringsAt(mapAt(cfg, "knowledge"), "dataset_ids")) {
		name := "Knowledge " + id
		if d, held := s.knowledge.datasets[id]; held {
			name = d.name
		}
		knowledgeInfos = append(knowledgeInfos, map[string]any{"id": id, "name": name})
	}

	// plugins: id_list items grouped by plugin_id, groups and tools sorted by id
	byPlugin := map[string][]string{}
	for _, item := range sliceAt(mapAt(cfg, "plugin_id_list"), "id_list") {
		im, _ := item.(map[string]any)
		pid := strAt(im, "plugin_id")
		if pid == "" {
			continue
		}
		byPlugin[pid] = append(byPlugin[pid], strAt(im, "api_id"))
	}
	pluginIDs := make([]string, 0, len(byPlugin))
	for pid := range byPlugin {
		pluginIDs = append(pluginIDs, pid)
	}
	sort.Slice(pluginIDs, func(i, j int) bool { return idLess(pluginIDs[i], pluginIDs[j]) })
	plugins := []any{}
	for _, pid := range pluginIDs {
		apis := []any{}
		for _, aid := range sortedUnique(byPlugin[pid]) {
			apis = append(apis, map[string]any{
				"api_id": aid, "name": "tool_" + aid, "description": "Mock tool " + aid,
			})
		}
		plugins = append(plugins, map[string]any{
			"plugin_id":     pid,
			"name":          "Plugin " + pid,
			"description":   "Mock plugin " + pid,
			"icon_url":      s.signedURL("plugin_icon", pid),
			"api_info_list": apis,
		})
	}

	// workflows
	var wfIDs []string
	for _, item := range sliceAt(mapAt(cfg, "workflow_id_list"), "ids") {
		im, _ := item.(map[string]any)
		if id := strAt(im, "id"); id != "" {
			wfIDs = append(wfIDs, id)
		}
	}
	workflows := []any{}
	for _, id := range sortedUnique(wfIDs) {
		workflows = append(workflows, map[string]any{
			"id": id, "name": "Workflow " + id, "description": "Mock workflow " + id,
			"icon_url": s.signedURL("workflow_icon", id),
		})
	}

	// model_info: stored values or API defaults; sp_anti_leak, sp_current_time and
	// cache_type are write-only and never returned.
	mic := mapAt(cfg, "model_info_config")
	modelID := strAt(mic, "model_id")
	if modelID == "" {
		modelID = defaultModelID
	}
	modelInfo := map[string]any{"model_id": modelID, "model_name": mockModelName}
	for _, d := range modelDefaults {
		if v, stored := mic[d.key]; stored && v != nil {
			modelInfo[d.key] = deepCopy(v)
		} else {
			modelInfo[d.key] = d.val
		}
	}
	if params, stored := mic["parameters"].(map[string]any); stored {
		if s.paramStrs {
			modelInfo["parameters"] = stringValues(params)
		} else {
			modelInfo["parameters"] = deepCopyMap(params)
		}
	} else {
		modelInfo["parameters"] = map[string]any{}
	}

	// suggest_reply_info
	sr := mapAt(cfg, "suggest_reply_info")
	replyMode := strAt(sr, "reply_mode")
	if replyMode == "" {
		replyMode = "disable"
	}

	return map[string]any{
		"bot_id":                  botID,
		"name":                    strAt(cfg, "name"),
		"description":             strAt(cfg, "description"),
		"icon_url":                s.signedURL("icon", iconID),
		"create_time":             b.createTime,
		"update_time":             updateTime,
		"version":                 b.version,
		"bot_mode":                0,
		"folder_id":               strAt(cfg, "folder_id"),
		"owner_user_id":           mockOwnerID,
		"prompt_info":             promptInfo,
		"onboarding_info":         onboarding,
		"knowledge":               map[string]any{"knowledge_infos": knowledgeInfos},
		"plugin_info_list":        plugins,
		"workflow_info_list":      workflows,
		"model_info":              modelInfo,
		"suggest_reply_info":      map[string]any{"reply_mode": replyMode, "customized_prompt": strAt(sr, "customized_prompt")},
		"variables":               uiSetting(cfg, "variables", []any{}),
		"shortcut_commands":       uiSetting(cfg, "shortcut_commands", []any{}),
		"voice_info_list":         uiSetting(cfg, "voice_info_list", []any{}),
		"default_user_input_type": uiSetting(cfg, "default_user_input_type", "text"),
		"media_config":            uiSetting(cfg, "media_config", map[string]any{"is_voice_call_closed": false}),
		"background_image_info": uiSetting(cfg, "background_image_info", map[string]any{
			"web_background_image": noBackgroundImage(), "mobile_background_image": noBackgroundImage(),
		}),
	}
}

// uiSetting is a setting that only the Coze UI changes (variables, shortcuts, voices, the
// background, ...): what EditDraft stored under its retrieve name, else the value retrieve
// shows for a bot that never set it.
func uiSetting(cfg map[string]any, key string, unset any) any {
	if v, stored := cfg[key]; stored && v != nil {
		return deepCopy(v)
	}
	return unset
}

// noBackgroundImage is a background_image_info entry of a bot without a background, as in
// the doc's example.
func noBackgroundImage() map[string]any {
	return map[string]any{
		"image_url": "", "origin_image_url": "", "theme_color": "",
		"canvas_position": map[string]any{}, "gradient_position": map[string]any{},
	}
}

// stringValues renders parameters as a map of strings, as Coze's OpenAPI spec and SDKs type
// it: strings as they are, anything else as its JSON text.
func stringValues(params map[string]any) map[string]any {
	out := make(map[string]any, len(params))
	for k, v := range params {
		if str, isStr := v.(string); isStr {
			out[k] = str
			continue
		}
		if v == nil {
			continue
		}
		raw, err := json.Marshal(v)
		if err != nil {
			continue
		}
		out[k] = string(raw)
	}
	return out
}

// SetUnreadable makes GET /v1/bots/{bot_id} answer 4006 ("invalid bot id or no permission")
// for the bot while the bot list and every other endpoint go on as before: what a token of
// another account or site, or one that lost getMetadata, sees of a bot that exists.
// Unknown bots are ignored.
func (s *Server) SetUnreadable(botID string, unreadable bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b, ok := s.bots[botID]; ok {
		b.unreadable = unreadable
	}
}

// signedURL returns an expiring, signed-looking URL: never the file id alone, and it
// changes over time, so a client must not compare it.
func (s *Server) signedURL(kind, id string) string {
	expires := time.Now().Unix() + 3600
	sum := sha256.Sum256(fmt.Appendf(nil, "%d/%s/%s/%d", s.logSeed, kind, id, expires))
	return fmt.Sprintf("https://lf-coze-mock.example/%s/%s.png?x-expires=%d&x-signature=%s",
		kind, id, expires, hex.EncodeToString(sum[:16]))
}

func stringsAt(m map[string]any, key string) []string {
	var out []string
	for _, v := range sliceAt(m, key) {
		if s, isStr := v.(string); isStr {
			out = append(out, s)
		}
	}
	return out
}

// idLess orders decimal ids numerically (shorter first, then lexically).
func idLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

func sortedUnique(ids []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	sort.Slice(out, func(i, j int) bool { return idLess(out[i], out[j]) })
	return out
}

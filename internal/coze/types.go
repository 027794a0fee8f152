package coze

import (
	"bytes"
	"encoding/json"
)

// UpdateBotRequest is the body of POST /v1/bot/update. Every optional field is
// a pointer so that "not set" (nil, omitted from the JSON) is distinct from a
// zero value ("", 0, false, []) that must be sent to clear a setting.
type UpdateBotRequest struct {
	BotID            string            `json:"bot_id"`
	Name             *string           `json:"name,omitempty"`
	Description      *string           `json:"description,omitempty"`
	IconFileID       *string           `json:"icon_file_id,omitempty"`
	PromptInfo       *PromptInfo       `json:"prompt_info,omitempty"`
	OnboardingInfo   *OnboardingInfo   `json:"onboarding_info,omitempty"`
	Knowledge        *Knowledge        `json:"knowledge,omitempty"`
	PluginIDList     *PluginIDList     `json:"plugin_id_list,omitempty"`
	WorkflowIDList   *WorkflowIDList   `json:"workflow_id_list,omitempty"`
	ModelInfoConfig  *ModelInfoConfig  `json:"model_info_config,omitempty"`
	SuggestReplyInfo *SuggestReplyInfo `json:"suggest_reply_info,omitempty"`
}

// PromptInfo is the persona prompt, shared by the update body and the
// retrieve response.
type PromptInfo struct {
	Prompt           *string           `json:"prompt,omitempty"`
	PromptMode       *string           `json:"prompt_mode,omitempty"`
	PrefixPromptInfo *PrefixPromptInfo `json:"prefix_prompt_info,omitempty"`
}

// PrefixPromptInfo splits the prompt into a cached and a per-request part.
type PrefixPromptInfo struct {
	PrefixPrompt  *string `json:"prefix_prompt,omitempty"`
	DynamicPrompt *string `json:"dynamic_prompt,omitempty"`
}

// OnboardingInfo is the opening message and its preset questions.
type OnboardingInfo struct {
	Prologue *string `json:"prologue,omitempty"`
	// A pointer to a slice: nil omits the field, a pointer to an empty slice sends [].
	SuggestedQuestions *[]string `json:"suggested_questions,omitempty"`
}

// UnmarshalJSON accepts both the documented snake_case keys and the
// PascalCase keys (Prologue, SuggestedQuestions) that the retrieve endpoint
// returns in the doc's own example. snake_case wins when both are present.
func (o *OnboardingInfo) UnmarshalJSON(data []byte) error {
	var raw struct {
		Prologue                 *string   `json:"prologue"`
		SuggestedQuestions       *[]string `json:"suggested_questions"`
		PascalPrologue           *string   `json:"Prologue"`
		PascalSuggestedQuestions *[]string `json:"SuggestedQuestions"`
	}
	// encoding/json matches keys case-insensitively, so "Prologue" would also
	// fill the snake field; decode the two spellings separately.
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(data, &keys); err != nil {
		return err
	}
	for key, value := range keys {
		var target any
		switch key {
		case "prologue":
			target = &raw.Prologue
		case "suggested_questions":
			target = &raw.SuggestedQuestions
		case "Prologue":
			target = &raw.PascalPrologue
		case "SuggestedQuestions":
			target = &raw.PascalSuggestedQuestions
		default:
			continue
		}
		if err := json.Unmarshal(value, target); err != nil {
			return err
		}
	}
	o.Prologue = firstNonNil(raw.Prologue, raw.PascalPrologue)
	o.SuggestedQuestions = firstNonNil(raw.SuggestedQuestions, raw.PascalSuggestedQuestions)
	return nil
}

func firstNonNil[T any](values ...*T) *T {
	for _, v := range values {
		if v != nil {
			return v
		}
	}
	return nil
}

// Knowledge binds Coze knowledge bases (datasets) to the bot.
type Knowledge struct {
	DatasetIDs     *[]string `json:"dataset_ids,omitempty"`
	AutoCall       *bool     `json:"auto_call,omitempty"`
	SearchStrategy *int64    `json:"search_strategy,omitempty"`
}

// PluginIDList binds plugin tools to the bot.
type PluginIDList struct {
	IDList *[]PluginIDInfo `json:"id_list,omitempty"`
}

// PluginIDInfo is one plugin tool: both ids are required by the API.
type PluginIDInfo struct {
	PluginID string `json:"plugin_id"`
	APIID    string `json:"api_id"`
}

// WorkflowIDList binds workflows to the bot.
type WorkflowIDList struct {
	IDs *[]WorkflowIDInfo `json:"ids,omitempty"`
}

// WorkflowIDInfo is one workflow; id is required by the API.
type WorkflowIDInfo struct {
	ID string `json:"id"`
}

// ModelInfoConfig is the model and its parameters. model_id is required by
// the API whenever the object is sent.
type ModelInfoConfig struct {
	ModelID          string   `json:"model_id"`
	TopK             *int64   `json:"top_k,omitempty"`
	TopP             *float64 `json:"top_p,omitempty"`
	MaxTokens        *int64   `json:"max_tokens,omitempty"`
	Temperature      *float64 `json:"temperature,omitempty"`
	SpAntiLeak       *bool    `json:"sp_anti_leak,omitempty"`
	ContextRound     *int64   `json:"context_round,omitempty"`
	ResponseFormat   *string  `json:"response_format,omitempty"`
	SpCurrentTime    *bool    `json:"sp_current_time,omitempty"`
	PresencePenalty  *float64 `json:"presence_penalty,omitempty"`
	FrequencyPenalty *float64 `json:"frequency_penalty,omitempty"`
	CacheType        *string  `json:"cache_type,omitempty"`
	APIMode          *string  `json:"api_mode,omitempty"`
	// Parameters is an open JSON map (thinking_type, caching, store, ...),
	// passed through unchanged. Empty means "not sent".
	Parameters json.RawMessage `json:"parameters,omitempty"`
}

// SuggestReplyInfo configures the suggested follow-up questions.
type SuggestReplyInfo struct {
	ReplyMode        *string `json:"reply_mode,omitempty"`
	CustomizedPrompt *string `json:"customized_prompt,omitempty"`
}

// Bot is the data of GET /v1/bots/{bot_id}. Its shape differs from the update
// body: knowledge, plugins and workflows come back as info lists with names,
// and the model settings as model_info. Pointers mark fields the API may omit.
type Bot struct {
	BotID            string            `json:"bot_id"`
	Name             *string           `json:"name"`
	Description      *string           `json:"description"`
	IconURL          string            `json:"icon_url"`
	CreateTime       int64             `json:"create_time"`
	UpdateTime       int64             `json:"update_time"`
	Version          string            `json:"version"`
	BotMode          int64             `json:"bot_mode"`
	PromptInfo       *PromptInfo       `json:"prompt_info"`
	OnboardingInfo   *OnboardingInfo   `json:"onboarding_info"`
	Knowledge        *BotKnowledge     `json:"knowledge"`
	PluginInfoList   *[]PluginInfo     `json:"plugin_info_list"`
	WorkflowInfoList *[]WorkflowInfo   `json:"workflow_info_list"`
	ModelInfo        *ModelInfo        `json:"model_info"`
	SuggestReplyInfo *SuggestReplyInfo `json:"suggest_reply_info"`

	// Read-only details that the update API does not take. The settings
	// made in the Coze UI are Lenient: a shape this client does not expect
	// fails only that field (see Lenient.Err), never the whole answer, so
	// that a refresh of the settings above still works.
	FolderID             *string                      `json:"folder_id"`
	OwnerUserID          *string                      `json:"owner_user_id"`
	DefaultUserInputType *string                      `json:"default_user_input_type"`
	Variables            Lenient[[]Variable]          `json:"variables"`
	ShortcutCommands     Lenient[[]ShortcutCommand]   `json:"shortcut_commands"`
	VoiceInfoList        Lenient[[]Voice]             `json:"voice_info_list"`
	MediaConfig          Lenient[MediaConfig]         `json:"media_config"`
	BackgroundImageInfo  Lenient[BackgroundImageInfo] `json:"background_image_info"`
}

// Lenient holds a JSON value that is decoded on its own: a value of an
// unexpected shape sets Err instead of failing the whole answer. Present
// tells an absent or null field from an empty one.
type Lenient[T any] struct {
	Value   T
	Present bool
	Err     error
}

// UnmarshalJSON never fails: a mismatch is kept in Err.
func (l *Lenient[T]) UnmarshalJSON(data []byte) error {
	var value T
	l.Present = string(bytes.TrimSpace(data)) != "null"
	if err := json.Unmarshal(data, &value); err != nil {
		l.Err = err
		return nil //nolint:nilerr // kept in Err: one odd field must not fail the whole answer
	}
	l.Value, l.Err = value, nil
	return nil
}

// Variable is a user variable of the bot.
type Variable struct {
	Keyword      *string `json:"keyword"`
	Channel      *string `json:"channel"`
	Description  *string `json:"description"`
	DefaultValue *string `json:"default_value"`
	Enable       *bool   `json:"enable"`
	PromptEnable *bool   `json:"prompt_enable"`
}

// ShortcutCommand is a shortcut of the bot's chat input.
type ShortcutCommand struct {
	ID            *string                    `json:"id"`
	Name          *string                    `json:"name"`
	Command       *string                    `json:"command"`
	Description   *string                    `json:"description"`
	QueryTemplate *string                    `json:"query_template"`
	IconURL       *string                    `json:"icon_url"`
	AgentID       *string                    `json:"agent_id"`
	Tool          *ShortcutCommandTool       `json:"tool"`
	Components    []ShortcutCommandComponent `json:"components"`
}

// ShortcutCommandTool is the plugin or workflow a shortcut calls.
type ShortcutCommandTool struct {
	Name *string `json:"name"`
	Type *string `json:"type"`
}

// ShortcutCommandComponent is one input of a shortcut (in the spec and the
// doc's example, not in the doc's table).
type ShortcutCommandComponent struct {
	Name          *string  `json:"name"`
	Description   *string  `json:"description"`
	Type          *string  `json:"type"`
	ToolParameter *string  `json:"tool_parameter"`
	DefaultValue  *string  `json:"default_value"`
	IsHide        *bool    `json:"is_hide"`
	Options       []string `json:"options"`
}

// Voice is a voice the bot speaks with.
type Voice struct {
	VoiceID      *string `json:"voice_id"`
	LanguageCode *string `json:"language_code"`
}

// MediaConfig is the bot's voice-call setting.
type MediaConfig struct {
	IsVoiceCallClosed *bool `json:"is_voice_call_closed"`
}

// BackgroundImageInfo is the chat background for web and mobile.
type BackgroundImageInfo struct {
	WebBackgroundImage    *BackgroundImage `json:"web_background_image"`
	MobileBackgroundImage *BackgroundImage `json:"mobile_background_image"`
}

// BackgroundImage is one background picture and its placement.
// origin_image_url is only in the doc's example.
type BackgroundImage struct {
	ImageURL         *string           `json:"image_url"`
	OriginImageURL   *string           `json:"origin_image_url"`
	ThemeColor       *string           `json:"theme_color"`
	CanvasPosition   *CanvasPosition   `json:"canvas_position"`
	GradientPosition *GradientPosition `json:"gradient_position"`
}

// CanvasPosition is the shown area of a background picture, in pixels.
type CanvasPosition struct {
	Top    *float64 `json:"top"`
	Left   *float64 `json:"left"`
	Width  *float64 `json:"width"`
	Height *float64 `json:"height"`
}

// GradientPosition is where a background's gradient starts and ends, in pixels.
type GradientPosition struct {
	Left  *float64 `json:"left"`
	Right *float64 `json:"right"`
}

// BotKnowledge lists the knowledge bases bound to a bot.
type BotKnowledge struct {
	KnowledgeInfos *[]KnowledgeInfo `json:"knowledge_infos"`
}

// KnowledgeInfo is one bound knowledge base.
type KnowledgeInfo struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// PluginInfo is one bound plugin with the tools (APIs) bound from it.
type PluginInfo struct {
	PluginID    string    `json:"plugin_id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	IconURL     string    `json:"icon_url"`
	APIInfoList []APIInfo `json:"api_info_list"`
}

// APIInfo is one plugin tool. The API returns api_id "0" for some store plugins.
type APIInfo struct {
	APIID       string `json:"api_id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// WorkflowInfo is one bound workflow.
type WorkflowInfo struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	IconURL     string `json:"icon_url"`
}

// ModelInfo is the retrieve-side model configuration. It never carries
// sp_anti_leak, sp_current_time or cache_type.
type ModelInfo struct {
	ModelID          *string         `json:"model_id"`
	ModelName        string          `json:"model_name"`
	TopK             *int64          `json:"top_k"`
	TopP             *float64        `json:"top_p"`
	MaxTokens        *int64          `json:"max_tokens"`
	Temperature      *float64        `json:"temperature"`
	ContextRound     *int64          `json:"context_round"`
	ResponseFormat   *string         `json:"response_format"`
	PresencePenalty  *float64        `json:"presence_penalty"`
	FrequencyPenalty *float64        `json:"frequency_penalty"`
	APIMode          *string         `json:"api_mode"`
	Parameters       json.RawMessage `json:"parameters"`
}

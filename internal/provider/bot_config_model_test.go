package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Models of coze_bot_config's values, for building test data with the
// framework's reflection. The provider itself reads and writes attribute
// values directly (see bot_config_mapping.go): reflection is its most
// expensive per-resource step.
type botConfigModel struct {
	ID               types.String   `tfsdk:"id"`
	ConfigHash       types.String   `tfsdk:"config_hash"`
	BotID            types.String   `tfsdk:"bot_id"`
	Name             types.String   `tfsdk:"name"`
	Description      types.String   `tfsdk:"description"`
	IconFileID       types.String   `tfsdk:"icon_file_id"`
	PromptInfo       types.Object   `tfsdk:"prompt_info"`
	OnboardingInfo   types.Object   `tfsdk:"onboarding_info"`
	Knowledge        types.Object   `tfsdk:"knowledge"`
	PluginIDList     types.Object   `tfsdk:"plugin_id_list"`
	WorkflowIDList   types.Object   `tfsdk:"workflow_id_list"`
	ModelInfoConfig  types.Object   `tfsdk:"model_info_config"`
	SuggestReplyInfo types.Object   `tfsdk:"suggest_reply_info"`
	Timeouts         timeouts.Value `tfsdk:"timeouts"`
}

type promptInfoModel struct {
	Prompt           types.String `tfsdk:"prompt"`
	PromptMode       types.String `tfsdk:"prompt_mode"`
	PrefixPromptInfo types.Object `tfsdk:"prefix_prompt_info"`
}

type prefixPromptInfoModel struct {
	PrefixPrompt  types.String `tfsdk:"prefix_prompt"`
	DynamicPrompt types.String `tfsdk:"dynamic_prompt"`
}

type onboardingInfoModel struct {
	Prologue           types.String `tfsdk:"prologue"`
	SuggestedQuestions types.List   `tfsdk:"suggested_questions"`
}

type knowledgeModel struct {
	DatasetIDs     types.List  `tfsdk:"dataset_ids"`
	AutoCall       types.Bool  `tfsdk:"auto_call"`
	SearchStrategy types.Int64 `tfsdk:"search_strategy"`
}

type pluginIDListModel struct {
	IDList types.List `tfsdk:"id_list"`
}

type pluginIDInfoModel struct {
	PluginID types.String `tfsdk:"plugin_id"`
	APIID    types.String `tfsdk:"api_id"`
}

type workflowIDListModel struct {
	IDs types.List `tfsdk:"ids"`
}

type workflowIDInfoModel struct {
	ID types.String `tfsdk:"id"`
}

type modelInfoConfigModel struct {
	ModelID          types.String  `tfsdk:"model_id"`
	TopK             types.Int64   `tfsdk:"top_k"`
	TopP             types.Float64 `tfsdk:"top_p"`
	MaxTokens        types.Int64   `tfsdk:"max_tokens"`
	Temperature      types.Float64 `tfsdk:"temperature"`
	SpAntiLeak       types.Bool    `tfsdk:"sp_anti_leak"`
	ContextRound     types.Int64   `tfsdk:"context_round"`
	ResponseFormat   types.String  `tfsdk:"response_format"`
	SpCurrentTime    types.Bool    `tfsdk:"sp_current_time"`
	PresencePenalty  types.Float64 `tfsdk:"presence_penalty"`
	FrequencyPenalty types.Float64 `tfsdk:"frequency_penalty"`
	CacheType        types.String  `tfsdk:"cache_type"`
	APIMode          types.String  `tfsdk:"api_mode"`
	Parameters       types.Dynamic `tfsdk:"parameters"`
}

type suggestReplyInfoModel struct {
	ReplyMode        types.String `tfsdk:"reply_mode"`
	CustomizedPrompt types.String `tfsdk:"customized_prompt"`
}

func nullTimeouts() timeouts.Value {
	return timeouts.Value{Object: types.ObjectNull(timeoutsAttrTypes)}
}

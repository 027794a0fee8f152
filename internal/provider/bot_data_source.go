package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

var _ datasource.DataSourceWithConfigure = &botDataSource{}

// NewBotDataSource is the coze_bot data source.
func NewBotDataSource() datasource.DataSource {
	return &botDataSource{dataSourceBase: dataSourceBase{typeName: "bot"}}
}

type botDataSource struct {
	dataSourceBase
}

// botDataSourceModel mirrors the data of GET /v1/bots/{bot_id}: the same
// names and nesting as Coze's doc. Nested objects are always set (their
// attributes are null where the API left a value out) and lists are empty
// rather than null, so that expressions such as
// data.coze_bot.x.media_config.is_voice_call_closed and for loops over
// variables never fail on a missing field.
type botDataSourceModel struct {
	BotID                types.String                `tfsdk:"bot_id"`
	IsPublished          types.Bool                  `tfsdk:"is_published"`
	Name                 types.String                `tfsdk:"name"`
	Description          types.String                `tfsdk:"description"`
	IconURL              types.String                `tfsdk:"icon_url"`
	Version              types.String                `tfsdk:"version"`
	CreateTime           types.Int64                 `tfsdk:"create_time"`
	UpdateTime           types.Int64                 `tfsdk:"update_time"`
	BotMode              types.Int64                 `tfsdk:"bot_mode"`
	FolderID             types.String                `tfsdk:"folder_id"`
	OwnerUserID          types.String                `tfsdk:"owner_user_id"`
	DefaultUserInputType types.String                `tfsdk:"default_user_input_type"`
	PromptInfo           botPromptInfoModel          `tfsdk:"prompt_info"`
	OnboardingInfo       botOnboardingInfoModel      `tfsdk:"onboarding_info"`
	ModelInfo            botModelInfoModel           `tfsdk:"model_info"`
	SuggestReplyInfo     botSuggestReplyInfoModel    `tfsdk:"suggest_reply_info"`
	Knowledge            botKnowledgeModel           `tfsdk:"knowledge"`
	PluginInfoList       []botPluginInfoModel        `tfsdk:"plugin_info_list"`
	WorkflowInfoList     []botWorkflowInfoModel      `tfsdk:"workflow_info_list"`
	Variables            []botVariableModel          `tfsdk:"variables"`
	ShortcutCommands     []botShortcutCommandModel   `tfsdk:"shortcut_commands"`
	VoiceInfoList        []botVoiceModel             `tfsdk:"voice_info_list"`
	MediaConfig          botMediaConfigModel         `tfsdk:"media_config"`
	BackgroundImageInfo  botBackgroundImageInfoModel `tfsdk:"background_image_info"`
}

type botPromptInfoModel struct {
	Prompt           types.String             `tfsdk:"prompt"`
	PromptMode       types.String             `tfsdk:"prompt_mode"`
	PrefixPromptInfo botPrefixPromptInfoModel `tfsdk:"prefix_prompt_info"`
}

type botPrefixPromptInfoModel struct {
	PrefixPrompt  types.String `tfsdk:"prefix_prompt"`
	DynamicPrompt types.String `tfsdk:"dynamic_prompt"`
}

type botOnboardingInfoModel struct {
	Prologue           types.String `tfsdk:"prologue"`
	SuggestedQuestions []string     `tfsdk:"suggested_questions"`
}

type botModelInfoModel struct {
	ModelID          types.String  `tfsdk:"model_id"`
	ModelName        types.String  `tfsdk:"model_name"`
	TopK             types.Int64   `tfsdk:"top_k"`
	TopP             types.Float64 `tfsdk:"top_p"`
	MaxTokens        types.Int64   `tfsdk:"max_tokens"`
	Temperature      types.Float64 `tfsdk:"temperature"`
	ContextRound     types.Int64   `tfsdk:"context_round"`
	ResponseFormat   types.String  `tfsdk:"response_format"`
	PresencePenalty  types.Float64 `tfsdk:"presence_penalty"`
	FrequencyPenalty types.Float64 `tfsdk:"frequency_penalty"`
	APIMode          types.String  `tfsdk:"api_mode"`
	Parameters       types.Map     `tfsdk:"parameters"`
}

type botSuggestReplyInfoModel struct {
	ReplyMode        types.String `tfsdk:"reply_mode"`
	CustomizedPrompt types.String `tfsdk:"customized_prompt"`
}

type botKnowledgeModel struct {
	KnowledgeInfos []botKnowledgeInfoModel `tfsdk:"knowledge_infos"`
}

type botKnowledgeInfoModel struct {
	ID   types.String `tfsdk:"id"`
	Name types.String `tfsdk:"name"`
}

type botPluginInfoModel struct {
	PluginID    types.String      `tfsdk:"plugin_id"`
	Name        types.String      `tfsdk:"name"`
	Description types.String      `tfsdk:"description"`
	IconURL     types.String      `tfsdk:"icon_url"`
	APIInfoList []botAPIInfoModel `tfsdk:"api_info_list"`
}

type botAPIInfoModel struct {
	APIID       types.String `tfsdk:"api_id"`
	Name        types.String `tfsdk:"name"`
	Description types.String `tfsdk:"description"`
}

type botWorkflowInfoModel struct {
	ID          types.String `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	Description types.String `tfsdk:"description"`
	IconURL     types.String `tfsdk:"icon_url"`
}

type botVariableModel struct {
	Keyword      types.String `tfsdk:"keyword"`
	Channel      types.String `tfsdk:"channel"`
	Description  types.String `tfsdk:"description"`
	DefaultValue types.String `tfsdk:"default_value"`
	Enable       types.Bool   `tfsdk:"enable"`
	PromptEnable types.Bool   `tfsdk:"prompt_enable"`
}

type botShortcutCommandModel struct {
	ID            types.String                `tfsdk:"id"`
	Name          types.String                `tfsdk:"name"`
	Command       types.String                `tfsdk:"command"`
	Description   types.String                `tfsdk:"description"`
	QueryTemplate types.String                `tfsdk:"query_template"`
	IconURL       types.String                `tfsdk:"icon_url"`
	AgentID       types.String                `tfsdk:"agent_id"`
	Tool          botShortcutToolModel        `tfsdk:"tool"`
	Components    []botShortcutComponentModel `tfsdk:"components"`
}

type botShortcutToolModel struct {
	Name types.String `tfsdk:"name"`
	Type types.String `tfsdk:"type"`
}

type botShortcutComponentModel struct {
	Name          types.String `tfsdk:"name"`
	Description   types.String `tfsdk:"description"`
	Type          types.String `tfsdk:"type"`
	ToolParameter types.String `tfsdk:"tool_parameter"`
	DefaultValue  types.String `tfsdk:"default_value"`
	IsHide        types.Bool   `tfsdk:"is_hide"`
	Options       []string     `tfsdk:"options"`
}

type botVoiceModel struct {
	VoiceID      types.String `tfsdk:"voice_id"`
	LanguageCode types.String `tfsdk:"language_code"`
}

type botMediaConfigModel struct {
	IsVoiceCallClosed types.Bool `tfsdk:"is_voice_call_closed"`
}

type botBackgroundImageInfoModel struct {
	WebBackgroundImage    botBackgroundImageModel `tfsdk:"web_background_image"`
	MobileBackgroundImage botBackgroundImageModel `tfsdk:"mobile_background_image"`
}

type botBackgroundImageModel struct {
	ImageURL         types.String             `tfsdk:"image_url"`
	OriginImageURL   types.String             `tfsdk:"origin_image_url"`
	ThemeColor       types.String             `tfsdk:"theme_color"`
	CanvasPosition   botCanvasPositionModel   `tfsdk:"canvas_position"`
	GradientPosition botGradientPositionModel `tfsdk:"gradient_position"`
}

type botCanvasPositionModel struct {
	Top    types.Float64 `tfsdk:"top"`
	Left   types.Float64 `tfsdk:"left"`
	Width  types.Float64 `tfsdk:"width"`
	Height types.Float64 `tfsdk:"height"`
}

type botGradientPositionModel struct {
	Left  types.Float64 `tfsdk:"left"`
	Right types.Float64 `tfsdk:"right"`
}

func computedString(desc string) schema.StringAttribute {
	return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
}

func computedInt64(desc string) schema.Int64Attribute {
	return schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
}

func computedFloat64(desc string) schema.Float64Attribute {
	return schema.Float64Attribute{Computed: true, MarkdownDescription: desc}
}

func computedBool(desc string) schema.BoolAttribute {
	return schema.BoolAttribute{Computed: true, MarkdownDescription: desc}
}

func computedStrings(desc string) schema.ListAttribute {
	return schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: desc}
}

func computedObject(desc string, attrs map[string]schema.Attribute) schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{Computed: true, MarkdownDescription: desc, Attributes: attrs}
}

func computedList(desc string, attrs map[string]schema.Attribute) schema.ListNestedAttribute {
	return schema.ListNestedAttribute{Computed: true, MarkdownDescription: desc, NestedObject: schema.NestedAttributeObject{Attributes: attrs}}
}

func backgroundImageAttribute(desc string) schema.SingleNestedAttribute {
	return computedObject(desc, map[string]schema.Attribute{
		"image_url":        computedString("URL of the background picture (signed: it expires)."),
		"origin_image_url": computedString("URL of the uploaded original (in the doc's example answer, not in its table)."),
		"theme_color":      computedString("Theme color that goes with the picture, such as `#FFFFFF`."),
		"canvas_position": computedObject("Shown area of the picture, in pixels.", map[string]schema.Attribute{
			"top": computedFloat64("Offset from the top."), "left": computedFloat64("Offset from the left."),
			"width": computedFloat64("Width."), "height": computedFloat64("Height."),
		}),
		"gradient_position": computedObject("Where the gradient starts and ends, in pixels.", map[string]schema.Attribute{
			"left": computedFloat64("Left edge of the gradient."), "right": computedFloat64("Right edge of the gradient."),
		}),
	})
}

func (d *botDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads a bot's configuration with `GET /v1/bots/{bot_id}`: its published version (the API's " +
			"default) or its draft. Every field of the answer is exposed under the API's own name and nesting, including " +
			"the read-only ones the update API does not take (icon URL, version, times, owner, folder, names of plugins, " +
			"workflows and knowledge bases, variables, shortcut commands, voices, background). A nested object is always " +
			"set, and lists are never null: an attribute is null where the API left the value out, and a list the API left " +
			"out is empty. Needs the " +
			"`getMetadata` permission.",
		Attributes: map[string]schema.Attribute{
			"bot_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Id of the bot to read.",
				Validators:          []validator.String{decimalID()},
			},
			"is_published": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "`true` (default, as in the API) reads the published version, which fails with code 4015 " +
					"for a bot never published; `false` reads the draft that `coze_bot_config` edits.",
			},
			"name":                    computedString("Bot name."),
			"description":             computedString("Bot description."),
			"icon_url":                computedString("Signed URL of the bot's avatar. It expires: do not store or compare it."),
			"version":                 computedString("Latest published version (empty for a draft never published)."),
			"create_time":             computedInt64("Creation time, unix seconds."),
			"update_time":             computedInt64("Last update time, unix seconds."),
			"bot_mode":                computedInt64("0 single agent, 1 multi-agent, 2 workflow mode."),
			"folder_id":               computedString("Id of the folder the bot is in."),
			"owner_user_id":           computedString("Coze user id of the bot's creator."),
			"default_user_input_type": computedString("Default input of the chat: `text`, `voice` or `call`."),
			"prompt_info": computedObject("Persona prompt.", map[string]schema.Attribute{
				"prompt":      computedString("Persona and reply logic (standard mode)."),
				"prompt_mode": computedString("`standard` or `prefix` (prefix caching)."),
				"prefix_prompt_info": computedObject("The prompt in prefix-caching mode.", map[string]schema.Attribute{
					"prefix_prompt":  computedString("Cached part of the prompt."),
					"dynamic_prompt": computedString("Per-request part of the prompt."),
				}),
			}),
			"onboarding_info": computedObject("Opening message and preset questions (read from the snake_case or the "+
				"PascalCase keys the doc's example shows).", map[string]schema.Attribute{
				"prologue":            computedString("Opening message."),
				"suggested_questions": computedStrings("Preset opening questions (empty when the API leaves them out)."),
			}),
			"model_info": computedObject("Model and its settings.", map[string]schema.Attribute{
				"model_id":          computedString("Model id."),
				"model_name":        computedString("Model name."),
				"top_k":             computedInt64("Size of the sampling candidate set."),
				"top_p":             computedFloat64("Top P sampling, 0 to 1."),
				"max_tokens":        computedInt64("Maximum reply length in tokens."),
				"temperature":       computedFloat64("Randomness of the output."),
				"context_round":     computedInt64("Rounds of context carried."),
				"response_format":   computedString("`text`, `markdown` or `json`."),
				"presence_penalty":  computedFloat64("Penalty on repeating topics."),
				"frequency_penalty": computedFloat64("Penalty on repeating phrases."),
				"api_mode":          computedString("`chat_api` or `responses_api`."),
				"parameters": schema.MapAttribute{
					Computed:    true,
					ElementType: types.StringType,
					MarkdownDescription: "Model parameters (`thinking_type`, `caching`, `store`, `caching_expire_time`, ...), each " +
						"value as a string whichever way the API answers: Coze's spec and SDKs type `parameters` as a map of " +
						"strings, its docs as typed values. `true` and `\"true\"` both read `\"true\"`, `3600` and `\"3600\"` both " +
						"`\"3600\"`, and an object, or a string holding one, reads as its compact JSON with sorted keys " +
						"(`{\"type\":\"enabled\"}`): use `jsondecode()` on it.",
				},
			}),
			"suggest_reply_info": computedObject("Suggested follow-up questions (in the doc's example answer, not its "+
				"table).", map[string]schema.Attribute{
				"reply_mode":        computedString("`enable`, `disable` or `customized`."),
				"customized_prompt": computedString("Prompt of the `customized` mode."),
			}),
			"knowledge": computedObject("Bound knowledge bases.", map[string]schema.Attribute{
				"knowledge_infos": computedList("The knowledge bases.", map[string]schema.Attribute{
					"id": computedString("Knowledge base id."), "name": computedString("Knowledge base name."),
				}),
			}),
			"plugin_info_list": computedList("Bound plugins and their tools.", map[string]schema.Attribute{
				"plugin_id":   computedString("Plugin id."),
				"name":        computedString("Plugin name."),
				"description": computedString("Plugin description."),
				"icon_url":    computedString("Signed URL of the plugin's icon (expires)."),
				"api_info_list": computedList("The plugin's bound tools.", map[string]schema.Attribute{
					"api_id":      computedString("Tool id (\"0\" for some store plugins)."),
					"name":        computedString("Tool name."),
					"description": computedString("Tool description."),
				}),
			}),
			"workflow_info_list": computedList("Bound workflows.", map[string]schema.Attribute{
				"id":          computedString("Workflow id."),
				"name":        computedString("Workflow name."),
				"description": computedString("Workflow description."),
				"icon_url":    computedString("Signed URL of the workflow's icon (expires)."),
			}),
			"variables": computedList("User variables.", map[string]schema.Attribute{
				"keyword":       computedString("Variable name."),
				"channel":       computedString("Kind of variable, such as `custom`."),
				"description":   computedString("Variable description."),
				"default_value": computedString("Default value."),
				"enable":        computedBool("Whether the variable is enabled."),
				"prompt_enable": computedBool("Whether the prompt may read the variable (else only workflows)."),
			}),
			"shortcut_commands": computedList("Shortcut commands of the chat input.", map[string]schema.Attribute{
				"id":             computedString("Shortcut id."),
				"name":           computedString("Button name."),
				"command":        computedString("Command, such as `/news`."),
				"description":    computedString("Shortcut description."),
				"query_template": computedString("Text the shortcut sends."),
				"icon_url":       computedString("Signed URL of the shortcut's icon (expires)."),
				"agent_id":       computedString("For multi-agent bots: the node that answers."),
				"tool": computedObject("Plugin or workflow the shortcut calls.", map[string]schema.Attribute{
					"name": computedString("Tool name."), "type": computedString("`plugin` or `workflow`."),
				}),
				"components": computedList("Inputs of the shortcut (in Coze's spec and the doc's example).", map[string]schema.Attribute{
					"name":           computedString("Input name."),
					"description":    computedString("Input description."),
					"type":           computedString("Input type, such as `text`."),
					"tool_parameter": computedString("Tool parameter the input fills."),
					"default_value":  computedString("Default value."),
					"is_hide":        computedBool("Whether the input is hidden."),
					"options":        computedStrings("Choices of the input."),
				}),
			}),
			"voice_info_list": computedList("Voices of the bot.", map[string]schema.Attribute{
				"voice_id":      computedString("Voice id."),
				"language_code": computedString("Language of the voice, such as `zh`."),
			}),
			"media_config": computedObject("Voice-call setting.", map[string]schema.Attribute{
				"is_voice_call_closed": computedBool("Whether voice calls are turned off."),
			}),
			"background_image_info": computedObject("Chat background.", map[string]schema.Attribute{
				"web_background_image":    backgroundImageAttribute("Background on the web."),
				"mobile_background_image": backgroundImageAttribute("Background on mobile."),
			}),
		},
	}
}

func (d *botDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	// Only the inputs: the nested objects of the model cannot hold the
	// config's nulls.
	var model botDataSourceModel
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("bot_id"), &model.BotID)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("is_published"), &model.IsPublished)...)
	client := d.client(&resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	botID := model.BotID.ValueString()
	bot, err := client.GetBot(ctx, botID, model.IsPublished.IsNull() || model.IsPublished.ValueBool())
	if err != nil {
		addAPIError(&resp.Diagnostics, client, "read Coze bot "+botID, err)
		return
	}
	resp.Diagnostics.Append(flattenBotDataSource(bot, &model)...)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
	}
}

// flattenBotDataSource fills every attribute but bot_id and is_published
// from the retrieve answer. A read-only detail the client could not decode
// is left empty with a warning; the rest is still read.
func flattenBotDataSource(bot *coze.Bot, m *botDataSourceModel) (diags diag.Diagnostics) {
	m.Name, m.Description = types.StringPointerValue(bot.Name), types.StringPointerValue(bot.Description)
	m.IconURL, m.Version = types.StringValue(bot.IconURL), types.StringValue(bot.Version)
	m.CreateTime, m.UpdateTime = types.Int64Value(bot.CreateTime), types.Int64Value(bot.UpdateTime)
	m.BotMode = types.Int64Value(bot.BotMode)
	m.FolderID, m.OwnerUserID = types.StringPointerValue(bot.FolderID), types.StringPointerValue(bot.OwnerUserID)
	m.DefaultUserInputType = types.StringPointerValue(bot.DefaultUserInputType)

	prompt := deref(bot.PromptInfo)
	prefix := deref(prompt.PrefixPromptInfo)
	m.PromptInfo = botPromptInfoModel{
		Prompt: types.StringPointerValue(prompt.Prompt), PromptMode: types.StringPointerValue(prompt.PromptMode),
		PrefixPromptInfo: botPrefixPromptInfoModel{
			PrefixPrompt: types.StringPointerValue(prefix.PrefixPrompt), DynamicPrompt: types.StringPointerValue(prefix.DynamicPrompt),
		},
	}
	onboarding := deref(bot.OnboardingInfo)
	m.OnboardingInfo = botOnboardingInfoModel{Prologue: types.StringPointerValue(onboarding.Prologue), SuggestedQuestions: []string{}}
	if onboarding.SuggestedQuestions != nil {
		m.OnboardingInfo.SuggestedQuestions = append(m.OnboardingInfo.SuggestedQuestions, *onboarding.SuggestedQuestions...)
	}
	model := deref(bot.ModelInfo)
	parameters, err := parametersAsStrings(model.Parameters)
	if err != nil {
		diags.AddWarning("Cannot read model_info.parameters",
			fmt.Sprintf("The parameters of bot %s are not a JSON object (%v); model_info.parameters is left null.", bot.BotID, err))
	}
	m.ModelInfo = botModelInfoModel{
		ModelID: types.StringPointerValue(model.ModelID), ModelName: types.StringValue(model.ModelName),
		TopK: types.Int64PointerValue(model.TopK), TopP: types.Float64PointerValue(model.TopP),
		MaxTokens: types.Int64PointerValue(model.MaxTokens), Temperature: types.Float64PointerValue(model.Temperature),
		ContextRound: types.Int64PointerValue(model.ContextRound), ResponseFormat: types.StringPointerValue(model.ResponseFormat),
		PresencePenalty: types.Float64PointerValue(model.PresencePenalty), FrequencyPenalty: types.Float64PointerValue(model.FrequencyPenalty),
		APIMode: types.StringPointerValue(model.APIMode), Parameters: parameters,
	}
	suggest := deref(bot.SuggestReplyInfo)
	m.SuggestReplyInfo = botSuggestReplyInfoModel{
		ReplyMode: types.StringPointerValue(suggest.ReplyMode), CustomizedPrompt: types.StringPointerValue(suggest.CustomizedPrompt),
	}

	m.Knowledge.KnowledgeInfos = []botKnowledgeInfoModel{}
	if bot.Knowledge != nil && bot.Knowledge.KnowledgeInfos != nil {
		for _, k := range *bot.Knowledge.KnowledgeInfos {
			m.Knowledge.KnowledgeInfos = append(m.Knowledge.KnowledgeInfos, botKnowledgeInfoModel{ID: types.StringValue(k.ID), Name: types.StringValue(k.Name)})
		}
	}
	m.PluginInfoList = []botPluginInfoModel{}
	for _, p := range derefSlice(bot.PluginInfoList) {
		apis := []botAPIInfoModel{}
		for _, a := range p.APIInfoList {
			apis = append(apis, botAPIInfoModel{APIID: types.StringValue(a.APIID), Name: types.StringValue(a.Name), Description: types.StringValue(a.Description)})
		}
		m.PluginInfoList = append(m.PluginInfoList, botPluginInfoModel{
			PluginID: types.StringValue(p.PluginID), Name: types.StringValue(p.Name), Description: types.StringValue(p.Description),
			IconURL: types.StringValue(p.IconURL), APIInfoList: apis,
		})
	}
	m.WorkflowInfoList = []botWorkflowInfoModel{}
	for _, w := range derefSlice(bot.WorkflowInfoList) {
		m.WorkflowInfoList = append(m.WorkflowInfoList, botWorkflowInfoModel{
			ID: types.StringValue(w.ID), Name: types.StringValue(w.Name), Description: types.StringValue(w.Description), IconURL: types.StringValue(w.IconURL),
		})
	}

	for name, err := range map[string]error{
		"variables": bot.Variables.Err, "shortcut_commands": bot.ShortcutCommands.Err, "voice_info_list": bot.VoiceInfoList.Err,
		"media_config": bot.MediaConfig.Err, "background_image_info": bot.BackgroundImageInfo.Err,
	} {
		if err != nil {
			diags.AddWarning("Cannot read "+name,
				fmt.Sprintf("The %s of bot %s have a shape this provider does not know (%v); the attribute is left empty. "+
					"The other attributes are read.", name, bot.BotID, err))
		}
	}
	m.Variables = []botVariableModel{}
	for _, v := range bot.Variables.Value {
		m.Variables = append(m.Variables, botVariableModel{
			Keyword: types.StringPointerValue(v.Keyword), Channel: types.StringPointerValue(v.Channel),
			Description: types.StringPointerValue(v.Description), DefaultValue: types.StringPointerValue(v.DefaultValue),
			Enable: types.BoolPointerValue(v.Enable), PromptEnable: types.BoolPointerValue(v.PromptEnable),
		})
	}
	m.ShortcutCommands = []botShortcutCommandModel{}
	for _, c := range bot.ShortcutCommands.Value {
		m.ShortcutCommands = append(m.ShortcutCommands, flattenShortcutCommand(c))
	}
	m.VoiceInfoList = []botVoiceModel{}
	for _, v := range bot.VoiceInfoList.Value {
		m.VoiceInfoList = append(m.VoiceInfoList, botVoiceModel{VoiceID: types.StringPointerValue(v.VoiceID), LanguageCode: types.StringPointerValue(v.LanguageCode)})
	}
	m.MediaConfig = botMediaConfigModel{IsVoiceCallClosed: types.BoolPointerValue(bot.MediaConfig.Value.IsVoiceCallClosed)}
	m.BackgroundImageInfo = botBackgroundImageInfoModel{
		WebBackgroundImage:    flattenBackgroundImage(bot.BackgroundImageInfo.Value.WebBackgroundImage),
		MobileBackgroundImage: flattenBackgroundImage(bot.BackgroundImageInfo.Value.MobileBackgroundImage),
	}
	return diags
}

func flattenShortcutCommand(c coze.ShortcutCommand) botShortcutCommandModel {
	tool := deref(c.Tool)
	out := botShortcutCommandModel{
		ID: types.StringPointerValue(c.ID), Name: types.StringPointerValue(c.Name), Command: types.StringPointerValue(c.Command),
		Description: types.StringPointerValue(c.Description), QueryTemplate: types.StringPointerValue(c.QueryTemplate),
		IconURL: types.StringPointerValue(c.IconURL), AgentID: types.StringPointerValue(c.AgentID),
		Tool:       botShortcutToolModel{Name: types.StringPointerValue(tool.Name), Type: types.StringPointerValue(tool.Type)},
		Components: []botShortcutComponentModel{},
	}
	for _, comp := range c.Components {
		out.Components = append(out.Components, botShortcutComponentModel{
			Name: types.StringPointerValue(comp.Name), Description: types.StringPointerValue(comp.Description),
			Type: types.StringPointerValue(comp.Type), ToolParameter: types.StringPointerValue(comp.ToolParameter),
			DefaultValue: types.StringPointerValue(comp.DefaultValue), IsHide: types.BoolPointerValue(comp.IsHide),
			Options: append([]string{}, comp.Options...),
		})
	}
	return out
}

func flattenBackgroundImage(p *coze.BackgroundImage) botBackgroundImageModel {
	img := deref(p)
	return botBackgroundImageModel{
		ImageURL: types.StringPointerValue(img.ImageURL), OriginImageURL: types.StringPointerValue(img.OriginImageURL),
		ThemeColor:       types.StringPointerValue(img.ThemeColor),
		CanvasPosition:   flattenCanvasPosition(img.CanvasPosition),
		GradientPosition: flattenGradientPosition(img.GradientPosition),
	}
}

func flattenCanvasPosition(p *coze.CanvasPosition) botCanvasPositionModel {
	v := deref(p)
	return botCanvasPositionModel{
		Top: types.Float64PointerValue(v.Top), Left: types.Float64PointerValue(v.Left),
		Width: types.Float64PointerValue(v.Width), Height: types.Float64PointerValue(v.Height),
	}
}

func flattenGradientPosition(p *coze.GradientPosition) botGradientPositionModel {
	v := deref(p)
	return botGradientPositionModel{Left: types.Float64PointerValue(v.Left), Right: types.Float64PointerValue(v.Right)}
}

// parametersAsStrings reads model_info.parameters under both typings: a
// string value stays as it is, unless it holds a JSON object or array,
// which is re-encoded compactly like a typed one; a number keeps its
// literal, a bool reads "true" or "false". So the doc's {"store": true} and
// the spec's {"store": "true"} give the same map. null, absent and {} are a
// null map.
func parametersAsStrings(raw json.RawMessage) (types.Map, error) {
	decoded, err := decodeJSON(raw)
	if err != nil {
		return types.MapNull(types.StringType), err
	}
	if decoded == nil {
		return types.MapNull(types.StringType), nil
	}
	obj, ok := decoded.(map[string]any)
	if !ok {
		return types.MapNull(types.StringType), fmt.Errorf("got %s", raw)
	}
	if len(obj) == 0 {
		return types.MapNull(types.StringType), nil
	}
	keys := make([]string, 0, len(obj))
	for key := range obj {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	values := make(map[string]string, len(obj))
	for _, key := range keys {
		values[key] = parameterString(obj[key])
	}
	m, diags := types.MapValueFrom(context.Background(), types.StringType, values)
	if diags.HasError() {
		return types.MapNull(types.StringType), fmt.Errorf("building the map: %v", diags)
	}
	return m, nil
}

func parameterString(v any) string {
	switch val := v.(type) {
	case string:
		if nested, err := decodeJSON([]byte(val)); err == nil {
			switch nested.(type) {
			case map[string]any, []any:
				return compactJSON(nested, val)
			}
		}
		return val
	case json.Number:
		return val.String()
	case nil:
		return "null"
	default:
		return compactJSON(val, fmt.Sprint(val))
	}
}

// compactJSON encodes v (encoding/json sorts map keys), or returns fallback.
func compactJSON(v any, fallback string) string {
	out, err := json.Marshal(v)
	if err != nil {
		return fallback
	}
	return string(out)
}

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

func derefSlice[T any](p *[]T) []T {
	if p == nil {
		return nil
	}
	return *p
}

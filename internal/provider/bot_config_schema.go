package provider

import (
	"context"
	"regexp"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Documented limits of POST /v1/bot/update, counted in Unicode characters.
const (
	maxNameChars              = 20
	maxDescriptionChars       = 500
	maxPromptChars            = 20000
	maxPrologueChars          = 300
	maxSuggestedQuestionChars = 50
	maxDatasets               = 150
	maxCachingExpireSeconds   = 259200
)

var (
	decimalIDPattern = regexp.MustCompile(`^[0-9]+$`)
	promptModes      = []string{"standard", "prefix"}
	responseFormats  = []string{"text", "markdown", "json"}
	cacheTypes       = []string{"closed", "prefix"}
	apiModes         = []string{"chat_api", "responses_api"}
	replyModes       = []string{"enable", "disable", "customized"}
	thinkingTypes    = []string{"enabled", "disabled", "auto"}
	cachingTypes     = []string{"enabled", "disabled"}
	searchStrategies = []int64{0, 1, 20}
)

func decimalID() validator.String {
	return stringvalidator.RegexMatches(decimalIDPattern, "must be a decimal id (digits only), as in the Coze web UI's URL")
}

// botConfigSchema is built once per process: Terraform asks for it on every
// provider start and every resource uses it to derive nested attribute types.
var botConfigSchema = sync.OnceValue(func() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "Manages the configuration of an existing Coze bot (智能体) through " +
			"`POST /v1/bot/update`: name, description, icon, persona prompt, onboarding, knowledge, plugins, " +
			"workflows, model settings and suggested replies. The attributes mirror the API's request body one to one.\n\n" +
			"Only the attributes set in the configuration are sent and managed; anything else on the bot is left alone. " +
			"Create and update both call the update API on the bot's **draft**; publishing is a separate step. " +
			"Destroying this resource only removes it from the Terraform state: Coze has no API to reset a bot, " +
			"so the bot keeps its last configuration.\n\n" +
			"When a refresh cannot find the bot (the read API answers 4006 or 4200), the resource is removed from the state " +
			"with a warning. Those codes also mean that the token cannot see a bot that exists (a token of another account " +
			"or site, or one without `getMetadata`), and this resource has no workspace whose bot list could tell; dropping " +
			"it is safe all the same: the next apply sends the configuration as an update, which never creates a bot and " +
			"fails with the same error while the bot cannot be read. Any other error (4100, 4101, ...) fails the refresh " +
			"and leaves the state as it was.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The bot id, the same as `bot_id`.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"config_hash": configHashAttribute,
			"bot_id": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Id of the bot to configure: the digits after `bot/` in the bot's development page URL " +
					"(`https://www.coze.cn/space/<space>/bot/<bot_id>`). Changing it replaces the resource.",
				Validators:    []validator.String{decimalID()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Bot name, 1 to 20 characters (Unicode characters, not bytes). " +
					"The API cannot clear a name: removing it from the configuration stops managing it.",
				Validators: []validator.String{stringvalidator.UTF8LengthBetween(1, maxNameChars)},
			},
			"description": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Bot description, at most 500 characters. Removing it from the configuration clears it (`\"\"`).",
				Validators:          []validator.String{stringvalidator.UTF8LengthAtMost(maxDescriptionChars)},
			},
			"icon_file_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Id of an uploaded file (upload-file API) to use as the bot's avatar. " +
					"Write-only: the API returns only a signed `icon_url`, so out-of-band changes are not detected. " +
					"The API cannot restore the default avatar: removing it stops managing it.",
				Validators: []validator.String{decimalID()},
			},
			"prompt_info": schema.SingleNestedAttribute{
				Optional:            true,
				MarkdownDescription: "Persona and reply logic (人设与回复逻辑).",
				Attributes: map[string]schema.Attribute{
					"prompt": schema.StringAttribute{
						Optional: true,
						MarkdownDescription: "Persona prompt, at most 20000 characters. Not allowed when `prompt_mode` is `prefix` " +
							"(use `prefix_prompt_info`). Removing it clears it (`\"\"`).",
						Validators: []validator.String{stringvalidator.UTF8LengthAtMost(maxPromptChars)},
					},
					"prompt_mode": schema.StringAttribute{
						Optional: true,
						MarkdownDescription: "Prompt mode: `standard` (API default) or `prefix` (required when prefix caching is on, " +
							"through `model_info_config.cache_type = \"prefix\"` or `parameters.caching.type = \"enabled\"`). " +
							"Removing it sends `standard`.",
						Validators: []validator.String{stringvalidator.OneOf(promptModes...)},
					},
					"prefix_prompt_info": schema.SingleNestedAttribute{
						Optional:            true,
						MarkdownDescription: "The prompt split for prefix caching, used with `prompt_mode = \"prefix\"`.",
						Attributes: map[string]schema.Attribute{
							"prefix_prompt": schema.StringAttribute{
								Optional:            true,
								MarkdownDescription: "Cached part: fixed rules, templates and background. Removing it clears it (`\"\"`).",
							},
							"dynamic_prompt": schema.StringAttribute{
								Optional:            true,
								MarkdownDescription: "Non-cached part, specific to each request. Removing it clears it (`\"\"`).",
							},
						},
					},
				},
			},
			"onboarding_info": schema.SingleNestedAttribute{
				Optional:            true,
				MarkdownDescription: "Opening message (开场白) settings.",
				Attributes: map[string]schema.Attribute{
					"prologue": schema.StringAttribute{
						Optional: true,
						MarkdownDescription: "Opening message, at most 300 characters. May contain `{{user_name}}`, which API " +
							"callers replace themselves. Removing it clears it (`\"\"`).",
						Validators: []validator.String{stringvalidator.UTF8LengthAtMost(maxPrologueChars)},
					},
					"suggested_questions": schema.ListAttribute{
						Optional:            true,
						ElementType:         types.StringType,
						MarkdownDescription: "Preset opening questions, each at most 50 characters, any number of them, in display order. Removing it clears them (`[]`).",
						Validators: []validator.List{listvalidator.ValueStringsAre(
							stringvalidator.UTF8LengthAtMost(maxSuggestedQuestionChars),
						)},
					},
				},
			},
			"knowledge": schema.SingleNestedAttribute{
				Optional:            true,
				MarkdownDescription: "Knowledge bases (Coze knowledge only; Volcano Engine knowledge cannot be bound through the API).",
				Attributes: map[string]schema.Attribute{
					"dataset_ids": schema.ListAttribute{
						Optional:    true,
						ElementType: types.StringType,
						MarkdownDescription: "Ids of the knowledge bases to bind, at most 150, each once. The API does not keep their order, so a " +
							"reordering alone is not a change. Removing it unbinds them all (`[]`).",
						Validators: []validator.List{
							listvalidator.SizeAtMost(maxDatasets),
							listvalidator.UniqueValues(),
							listvalidator.ValueStringsAre(decimalID()),
						},
					},
					"auto_call": schema.BoolAttribute{
						Optional: true,
						MarkdownDescription: "`true` (API default): query the knowledge on every turn; `false`: only when the prompt says so. " +
							"Write-only: the API does not return it. Removing it sends `true`.",
					},
					"search_strategy": schema.Int64Attribute{
						Optional: true,
						MarkdownDescription: "Retrieval strategy: `0` semantic (API default), `1` hybrid, `20` full-text. " +
							"Write-only: the API does not return it. Removing it sends `0`.",
						Validators: []validator.Int64{int64validator.OneOf(searchStrategies...)},
					},
				},
			},
			"plugin_id_list": schema.SingleNestedAttribute{
				Optional:            true,
				MarkdownDescription: "Plugins and their tools bound to the bot.",
				Attributes: map[string]schema.Attribute{
					"id_list": schema.ListNestedAttribute{
						Optional: true,
						MarkdownDescription: "The plugin tools to bind, each once. The API does not keep their order, so a reordering alone " +
							"is not a change. Removing it unbinds them all (`[]`).",
						Validators: []validator.List{listvalidator.UniqueValues()},
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"plugin_id": schema.StringAttribute{
								Required:            true,
								MarkdownDescription: "Plugin id: the digits after `plugin/` in the plugin page URL.",
								Validators:          []validator.String{decimalID()},
							},
							"api_id": schema.StringAttribute{
								Required:            true,
								MarkdownDescription: "Plugin tool id: the digits after `tool/` in the tool page URL.",
								Validators:          []validator.String{decimalID()},
							},
						}},
					},
				},
			},
			"workflow_id_list": schema.SingleNestedAttribute{
				Optional:            true,
				MarkdownDescription: "Workflows bound to the bot.",
				Attributes: map[string]schema.Attribute{
					"ids": schema.ListNestedAttribute{
						Optional: true,
						MarkdownDescription: "The workflows to bind, each once. The API does not keep their order, so a reordering alone is " +
							"not a change. Removing it unbinds them all (`[]`).",
						Validators: []validator.List{listvalidator.UniqueValues()},
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"id": schema.StringAttribute{
								Required:            true,
								MarkdownDescription: "Workflow id: the `workflow_id` in the workflow editor's URL.",
								Validators:          []validator.String{decimalID()},
							},
						}},
					},
				},
			},
			"model_info_config": schema.SingleNestedAttribute{
				Optional: true,
				MarkdownDescription: "The model and its parameters. Supported parameters and ranges differ by model. " +
					"Removing the whole object stops managing the model settings (the API cannot reset them); removing one " +
					"attribute inside it sends its documented default where there is one and otherwise stops managing it.",
				Attributes: map[string]schema.Attribute{
					"model_id": schema.StringAttribute{
						Required:            true,
						MarkdownDescription: "Model id: the digits after `model/` in the workspace's model page URL.",
						Validators:          []validator.String{decimalID()},
					},
					"top_k": schema.Int64Attribute{
						Optional:            true,
						MarkdownDescription: "Size of the sampling candidate set. Removing it stops managing it.",
						Validators:          []validator.Int64{int64validator.AtLeast(0)},
					},
					"top_p": schema.Float64Attribute{
						Optional:            true,
						MarkdownDescription: "Cumulative probability for sampling, between 0 and 1; not every model supports it. Removing it stops managing it.",
						Validators:          []validator.Float64{float64validator.Between(0, 1)},
					},
					"max_tokens": schema.Int64Attribute{
						Optional:            true,
						MarkdownDescription: "Maximum reply length in tokens. Removing it stops managing it.",
						Validators:          []validator.Int64{int64validator.AtLeast(1)},
					},
					"temperature": schema.Float64Attribute{
						Optional:            true,
						MarkdownDescription: "Randomness of the output; not every model supports it. Removing it stops managing it.",
						Validators:          []validator.Float64{float64validator.AtLeast(0)},
					},
					"sp_anti_leak": schema.BoolAttribute{
						Optional: true,
						MarkdownDescription: "Refuse to reveal the system prompt (API default `false`). Write-only: the API does not " +
							"return it. Removing it sends `false`.",
					},
					"context_round": schema.Int64Attribute{
						Optional:            true,
						MarkdownDescription: "Number of conversation rounds carried as context. Removing it stops managing it.",
						Validators:          []validator.Int64{int64validator.AtLeast(0)},
					},
					"response_format": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "Output format: `text`, `markdown` or `json`. Removing it stops managing it.",
						Validators:          []validator.String{stringvalidator.OneOf(responseFormats...)},
					},
					"sp_current_time": schema.BoolAttribute{
						Optional: true,
						MarkdownDescription: "Add the current time to the system prompt (API default `false`). Write-only: the API " +
							"does not return it. Removing it sends `false`.",
					},
					"presence_penalty": schema.Float64Attribute{
						Optional:            true,
						MarkdownDescription: "Penalty for repeating topics. Removing it stops managing it.",
					},
					"frequency_penalty": schema.Float64Attribute{
						Optional:            true,
						MarkdownDescription: "Penalty for repeating phrases. Removing it stops managing it.",
					},
					"cache_type": schema.StringAttribute{
						Optional: true,
						MarkdownDescription: "Prefix caching for the Context API protocol: `closed` (API default) or `prefix` " +
							"(paid plans and some models only; requires `prompt_info.prompt_mode = \"prefix\"`). For the Responses " +
							"API use `parameters.caching`. Write-only: the API does not return it. Removing it sends `closed`.",
						Validators: []validator.String{stringvalidator.OneOf(cacheTypes...)},
					},
					"api_mode": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "Model API protocol: `chat_api` (API default) or `responses_api`. Removing it sends `chat_api`.",
						Validators:          []validator.String{stringvalidator.OneOf(apiModes...)},
					},
					"parameters": schema.DynamicAttribute{
						Optional: true,
						MarkdownDescription: "Open map of model parameters, written in HCL object syntax and sent as JSON as written, " +
							"unknown keys included. Documented keys: `thinking_type` (`enabled`, `disabled` or `auto`; `enabled` " +
							"cannot be combined with plugins or workflows), and for `api_mode = \"responses_api\"`: `caching = { type = " +
							"\"enabled\" | \"disabled\" }`, `store` (bool) and `caching_expire_time` (seconds, at most 259200). " +
							"Coze's docs type these values, while its OpenAPI spec and SDKs type the map as strings, so each may also " +
							"be written as its string form (`store = \"true\"`, `caching_expire_time = \"3600\"`, " +
							"`caching = \"{\\\"type\\\":\\\"enabled\\\"}\"`): it is sent as written, validated by its meaning, and an " +
							"API answer in the other typing (`\"true\"` for `true`, `\"3600\"` for `3600`, an object as a JSON string) " +
							"is not a change. Only the keys you set are compared with the API's, so keys the API adds are not a change. " +
							"Removing it stops managing it.",
						Validators: []validator.Dynamic{modelParametersValidator{}},
					},
				},
			},
			"suggest_reply_info": schema.SingleNestedAttribute{
				Optional:            true,
				MarkdownDescription: "Suggested follow-up questions after each reply.",
				Attributes: map[string]schema.Attribute{
					"reply_mode": schema.StringAttribute{
						Optional: true,
						MarkdownDescription: "`enable` (up to 3 suggestions after each reply), `disable`, or `customized` " +
							"(suggestions driven by `customized_prompt`). The docs state no default, so removing it stops managing " +
							"it: nothing is sent and the bot keeps its current mode.",
						Validators: []validator.String{stringvalidator.OneOf(replyModes...)},
					},
					"customized_prompt": schema.StringAttribute{
						Optional: true,
						MarkdownDescription: "Prompt for the suggestions, used when `reply_mode` is `customized`; it cannot be `\"\"` " +
							"then. Left out, the prompt set in the Coze UI is kept. Removing it clears it (`\"\"`) when the bot is " +
							"left in another mode; while the bot may stay in `customized` mode (which needs a prompt), removing it " +
							"stops managing it.",
					},
				},
			},
		},
	}
})

// timeoutsAttrTypes is the type of the timeouts attribute.
var timeoutsAttrTypes = attributeTypes(timeouts.Attributes(context.Background(), timeoutsOpts).GetType())

var timeoutsOpts = timeouts.Opts{Create: true, Read: true, Update: true}

// schemaWithTimeouts is botConfigSchema with the timeouts attribute, which
// is built per call.
func (r *botConfigResource) schemaWithTimeouts(ctx context.Context) schema.Schema {
	s := botConfigSchema()
	attrs := make(map[string]schema.Attribute, len(s.Attributes)+1)
	for name, a := range s.Attributes {
		attrs[name] = a
	}
	attrs["timeouts"] = timeouts.Attributes(ctx, timeoutsOpts)
	s.Attributes = attrs
	return s
}

// nestedAttrTypes returns the attribute types of the nested object found by
// following names from the schema root (through list elements): the one
// source of truth for building object values. Computed once.
func nestedAttrTypes(names ...string) map[string]attr.Type {
	return nestedObjectTypes()[strings.Join(names, ".")]
}

var nestedObjectTypes = sync.OnceValue(func() map[string]map[string]attr.Type {
	all := map[string]map[string]attr.Type{}
	var walk func(prefix string, t attr.Type)
	walk = func(prefix string, t attr.Type) {
		if list, ok := t.(types.ListType); ok {
			t = list.ElemType
		}
		attrTypes := attributeTypes(t)
		if attrTypes == nil {
			return
		}
		all[prefix] = attrTypes
		for name, child := range attrTypes {
			walk(strings.TrimPrefix(prefix+"."+name, "."), child)
		}
	}
	walk("", botConfigSchema().Type())
	return all
})

// attributeTypes returns the attribute types of an object type (nil for any
// other type).
func attributeTypes(t attr.Type) map[string]attr.Type {
	if obj, ok := t.(attr.TypeWithAttributeTypes); ok {
		return obj.AttributeTypes()
	}
	return nil
}

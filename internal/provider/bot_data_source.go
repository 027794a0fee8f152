package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
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

func computedString(desc string) schema.StringAttribute {
	return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
}

func computedInt64(desc string) schema.Int64Attribute {
	return schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
}

func computedFloat64(desc string) schema.Float64Attribute {
	return schema.Float64Attribute{Computed: true, MarkdownDescription: desc}
}

func (d *botDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads a bot's configuration with `GET /v1/bots/{bot_id}`: its published version (the API's " +
			"default) or its draft, with the read-only details the update API does not take (icon URL, version, times, " +
			"names of plugins, workflows and knowledge bases). Needs the `getMetadata` permission.",
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
			"name":          computedString("Bot name."),
			"description":   computedString("Bot description."),
			"icon_url":      computedString("Signed URL of the bot's avatar. It expires: do not store or compare it."),
			"version":       computedString("Latest published version (empty for a draft never published)."),
			"create_time":   computedInt64("Creation time, unix seconds."),
			"update_time":   computedInt64("Last update time, unix seconds."),
			"bot_mode":      computedInt64("0 single agent, 1 multi-agent, 2 workflow mode."),
			"prompt":        computedString("Persona prompt (`prompt_info.prompt`)."),
			"prompt_mode":   computedString("Prompt mode (`prompt_info.prompt_mode`)."),
			"prologue":      computedString("Opening message."),
			"model_id":      computedString("Model id."),
			"model_name":    computedString("Model name."),
			"temperature":   computedFloat64("Model temperature."),
			"top_p":         computedFloat64("Model top_p."),
			"max_tokens":    computedInt64("Maximum reply length in tokens."),
			"context_round": computedInt64("Rounds of context carried."),
			"reply_mode":    computedString("Suggested replies mode (`suggest_reply_info.reply_mode`)."),
			"suggested_questions": schema.ListAttribute{
				Computed: true, ElementType: types.StringType, MarkdownDescription: "Preset opening questions.",
			},
			"knowledge": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Bound knowledge bases.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id": computedString("Knowledge base id."), "name": computedString("Knowledge base name."),
				}},
			},
			"plugins": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Bound plugins and their tools.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"plugin_id": computedString("Plugin id."), "name": computedString("Plugin name."),
					"description": computedString("Plugin description."),
					"apis": schema.ListNestedAttribute{
						Computed:            true,
						MarkdownDescription: "The plugin's bound tools.",
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"api_id": computedString("Tool id (\"0\" for some store plugins)."), "name": computedString("Tool name."),
						}},
					},
				}},
			},
			"workflows": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Bound workflows.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id": computedString("Workflow id."), "name": computedString("Workflow name."),
					"description": computedString("Workflow description."),
				}},
			},
		},
	}
}

func (d *botDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var botID types.String
	var published types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("bot_id"), &botID)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("is_published"), &published)...)
	client := d.client(&resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	isPublished := published.IsNull() || published.ValueBool()
	bot, err := client.GetBot(ctx, botID.ValueString(), isPublished)
	if err != nil {
		summary, detail := describeAPIError("read Coze bot "+botID.ValueString(), client.BaseURL(), err)
		resp.Diagnostics.AddError(summary, detail)
		return
	}
	values := flattenBotDetails(bot)
	values["bot_id"], values["is_published"] = botID, published
	obj, diags := types.ObjectValue(attributeTypes(req.Config.Schema.Type()), values)
	resp.Diagnostics.Append(diags...)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, obj)...)
	}
}

// flattenBotDetails maps the retrieve response to the data source's
// attributes (all but bot_id and is_published).
func flattenBotDetails(bot *coze.Bot) map[string]attr.Value {
	var prompt, promptMode, prologue, replyMode *string
	var questions *[]string
	if bot.PromptInfo != nil {
		prompt, promptMode = bot.PromptInfo.Prompt, bot.PromptInfo.PromptMode
	}
	if bot.OnboardingInfo != nil {
		prologue, questions = bot.OnboardingInfo.Prologue, bot.OnboardingInfo.SuggestedQuestions
	}
	if bot.SuggestReplyInfo != nil {
		replyMode = bot.SuggestReplyInfo.ReplyMode
	}
	model := bot.ModelInfo
	if model == nil {
		model = &coze.ModelInfo{}
	}
	knowledgeType := map[string]attr.Type{"id": types.StringType, "name": types.StringType}
	knowledge := []attr.Value{}
	if bot.Knowledge != nil && bot.Knowledge.KnowledgeInfos != nil {
		for _, k := range *bot.Knowledge.KnowledgeInfos {
			knowledge = append(knowledge, types.ObjectValueMust(knowledgeType, map[string]attr.Value{"id": types.StringValue(k.ID), "name": types.StringValue(k.Name)}))
		}
	}
	apiType := map[string]attr.Type{"api_id": types.StringType, "name": types.StringType}
	pluginType := map[string]attr.Type{"plugin_id": types.StringType, "name": types.StringType, "description": types.StringType,
		"apis": types.ListType{ElemType: types.ObjectType{AttrTypes: apiType}}}
	plugins := []attr.Value{}
	if bot.PluginInfoList != nil {
		for _, p := range *bot.PluginInfoList {
			apis := []attr.Value{}
			for _, a := range p.APIInfoList {
				apis = append(apis, types.ObjectValueMust(apiType, map[string]attr.Value{"api_id": types.StringValue(a.APIID), "name": types.StringValue(a.Name)}))
			}
			plugins = append(plugins, types.ObjectValueMust(pluginType, map[string]attr.Value{
				"plugin_id": types.StringValue(p.PluginID), "name": types.StringValue(p.Name), "description": types.StringValue(p.Description),
				"apis": types.ListValueMust(types.ObjectType{AttrTypes: apiType}, apis),
			}))
		}
	}
	workflowType := map[string]attr.Type{"id": types.StringType, "name": types.StringType, "description": types.StringType}
	workflows := []attr.Value{}
	if bot.WorkflowInfoList != nil {
		for _, w := range *bot.WorkflowInfoList {
			workflows = append(workflows, types.ObjectValueMust(workflowType, map[string]attr.Value{
				"id": types.StringValue(w.ID), "name": types.StringValue(w.Name), "description": types.StringValue(w.Description),
			}))
		}
	}
	return map[string]attr.Value{
		"name": types.StringPointerValue(bot.Name), "description": types.StringPointerValue(bot.Description),
		"icon_url": types.StringValue(bot.IconURL), "version": types.StringValue(bot.Version),
		"create_time": types.Int64Value(bot.CreateTime), "update_time": types.Int64Value(bot.UpdateTime), "bot_mode": types.Int64Value(bot.BotMode),
		"prompt": types.StringPointerValue(prompt), "prompt_mode": types.StringPointerValue(promptMode),
		"prologue": types.StringPointerValue(prologue), "suggested_questions": stringList(questions),
		"model_id": types.StringPointerValue(model.ModelID), "model_name": types.StringValue(model.ModelName),
		"temperature": types.Float64PointerValue(model.Temperature), "top_p": types.Float64PointerValue(model.TopP),
		"max_tokens": types.Int64PointerValue(model.MaxTokens), "context_round": types.Int64PointerValue(model.ContextRound),
		"reply_mode": types.StringPointerValue(replyMode),
		"knowledge":  types.ListValueMust(types.ObjectType{AttrTypes: knowledgeType}, knowledge),
		"plugins":    types.ListValueMust(types.ObjectType{AttrTypes: pluginType}, plugins),
		"workflows":  types.ListValueMust(types.ObjectType{AttrTypes: workflowType}, workflows),
	}
}

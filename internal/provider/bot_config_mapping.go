package provider

// The mapping between coze_bot_config's Terraform values and the Coze API,
// in one place: expand (plan -> update request), flatten (retrieve response
// -> state values). Both work on the framework's attribute values directly
// rather than through tfsdk struct reflection, which costs more than the
// rest of this provider's per-resource work together (see bench/results.md).

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

// Values sent when the user removes an attribute that the previous apply set.
// Texts are cleared ("") and lists emptied ([]). An enum or a flag is reset
// only to the default that Coze's update page states for it (prompt_mode,
// auto_call, search_strategy, sp_anti_leak, sp_current_time, cache_type,
// api_mode). Every other attribute simply stops being managed: nothing is
// sent for it. That covers what the API cannot clear (name, icon_file_id),
// what has no documented default (suggest_reply_info.reply_mode, the model
// tuning numbers, parameters) and the whole model_info_config.
var (
	resetEmptyString    = ""
	resetPromptMode     = "standard"
	resetAutoCall       = true
	resetSearchStrategy = int64(0)
	resetFalse          = false
	resetCacheType      = "closed"
	resetAPIMode        = "chat_api"
)

// attrsOf is the attribute map of an object value, which the accessors of
// bot_config_accessors.go read; a null or unknown object gives an empty map,
// in which every attribute reads as null.
func attrsOf(v attr.Value) map[string]attr.Value {
	obj, ok := v.(basetypes.ObjectValue)
	if !ok || obj.IsNull() || obj.IsUnknown() {
		return nil
	}
	return obj.Attributes()
}

// get returns attribute name as T; missing or of another type, the zero
// value of T, which for every framework value type is null. Only the
// generated accessors call it with a name.
func get[T attr.Value, M ~map[string]attr.Value](a M, name string) T {
	v, _ := a[name].(T)
	return v
}

type nullable interface {
	IsNull() bool
	IsUnknown() bool
}

// pick chooses what to send for one attribute: the planned value; or, when
// the user removed an attribute that is in the prior state, its reset value;
// or nothing (nil).
func pick[V nullable, T any](plan, prior V, value func(V) T, reset *T) *T {
	if !plan.IsNull() && !plan.IsUnknown() {
		v := value(plan)
		return &v
	}
	if !prior.IsNull() && reset != nil {
		v := *reset
		return &v
	}
	return nil
}

// pickList is pick for lists, whose reset is always the empty list.
func pickList[T any](plan, prior types.List, convert func(attr.Value) T) *[]T {
	if !plan.IsNull() && !plan.IsUnknown() {
		elems := plan.Elements()
		out := make([]T, 0, len(elems))
		for _, e := range elems {
			out = append(out, convert(e))
		}
		return &out
	}
	if !prior.IsNull() {
		return &[]T{}
	}
	return nil
}

func stringOf(v attr.Value) string {
	s, _ := v.(basetypes.StringValue)
	return s.ValueString()
}

// nilIfEmpty drops a nested request object in which nothing is to be sent.
func nilIfEmpty[T comparable](v *T) *T {
	var zero T
	if *v == zero {
		return nil
	}
	return v
}

// expandUpdateBotRequest builds the update body from the planned object.
// prior is the state before this apply (null on create); it tells which
// attributes were removed from the configuration and need their reset value.
func expandUpdateBotRequest(plan, prior types.Object) (*coze.UpdateBotRequest, diag.Diagnostics) {
	var diags diag.Diagnostics
	p, q := botOf(plan), botOf(prior)
	str := types.String.ValueString
	req := &coze.UpdateBotRequest{
		BotID:          p.BotID().ValueString(),
		Name:           pick(p.Name(), q.Name(), str, nil),
		Description:    pick(p.Description(), q.Description(), str, &resetEmptyString),
		IconFileID:     pick(p.IconFileID(), q.IconFileID(), str, nil),
		PromptInfo:     expandPromptInfo(botPromptInfoOf(p.PromptInfo()), botPromptInfoOf(q.PromptInfo())),
		OnboardingInfo: expandOnboardingInfo(botOnboardingInfoOf(p.OnboardingInfo()), botOnboardingInfoOf(q.OnboardingInfo())),
		Knowledge:      expandKnowledge(botKnowledgeOf(p.Knowledge()), botKnowledgeOf(q.Knowledge())),
		PluginIDList:   expandPluginIDList(botPluginIDListOf(p.PluginIDList()), botPluginIDListOf(q.PluginIDList())),
		WorkflowIDList: expandWorkflowIDList(botWorkflowIDListOf(p.WorkflowIDList()), botWorkflowIDListOf(q.WorkflowIDList())),
		ModelInfoConfig: expandModelInfoConfig(botModelInfoConfigOf(p.ModelInfoConfig()),
			botModelInfoConfigOf(q.ModelInfoConfig()), &diags),
		SuggestReplyInfo: expandSuggestReplyInfo(botSuggestReplyInfoOf(p.SuggestReplyInfo()), botSuggestReplyInfoOf(q.SuggestReplyInfo())),
	}
	return req, diags
}

func expandPromptInfo(plan, prior botPromptInfoAttrs) *coze.PromptInfo {
	str := types.String.ValueString
	planPrefix, priorPrefix := botPrefixPromptInfoOf(plan.PrefixPromptInfo()), botPrefixPromptInfoOf(prior.PrefixPromptInfo())
	return nilIfEmpty(&coze.PromptInfo{
		Prompt:     pick(plan.Prompt(), prior.Prompt(), str, &resetEmptyString),
		PromptMode: pick(plan.PromptMode(), prior.PromptMode(), str, &resetPromptMode),
		PrefixPromptInfo: nilIfEmpty(&coze.PrefixPromptInfo{
			PrefixPrompt:  pick(planPrefix.PrefixPrompt(), priorPrefix.PrefixPrompt(), str, &resetEmptyString),
			DynamicPrompt: pick(planPrefix.DynamicPrompt(), priorPrefix.DynamicPrompt(), str, &resetEmptyString),
		}),
	})
}

func expandOnboardingInfo(plan, prior botOnboardingInfoAttrs) *coze.OnboardingInfo {
	return nilIfEmpty(&coze.OnboardingInfo{
		Prologue:           pick(plan.Prologue(), prior.Prologue(), types.String.ValueString, &resetEmptyString),
		SuggestedQuestions: pickList(plan.SuggestedQuestions(), prior.SuggestedQuestions(), stringOf),
	})
}

func expandKnowledge(plan, prior botKnowledgeAttrs) *coze.Knowledge {
	return nilIfEmpty(&coze.Knowledge{
		DatasetIDs:     pickList(plan.DatasetIDs(), prior.DatasetIDs(), stringOf),
		AutoCall:       pick(plan.AutoCall(), prior.AutoCall(), types.Bool.ValueBool, &resetAutoCall),
		SearchStrategy: pick(plan.SearchStrategy(), prior.SearchStrategy(), types.Int64.ValueInt64, &resetSearchStrategy),
	})
}

func expandPluginIDList(plan, prior botPluginIDListAttrs) *coze.PluginIDList {
	return nilIfEmpty(&coze.PluginIDList{
		IDList: pickList(plan.IDList(), prior.IDList(), func(v attr.Value) coze.PluginIDInfo {
			tool := botPluginToolOf(v)
			return coze.PluginIDInfo{PluginID: tool.PluginID().ValueString(), APIID: tool.APIID().ValueString()}
		}),
	})
}

func expandWorkflowIDList(plan, prior botWorkflowIDListAttrs) *coze.WorkflowIDList {
	return nilIfEmpty(&coze.WorkflowIDList{
		IDs: pickList(plan.IDs(), prior.IDs(), func(v attr.Value) coze.WorkflowIDInfo {
			return coze.WorkflowIDInfo{ID: botWorkflowOf(v).ID().ValueString()}
		}),
	})
}

func expandModelInfoConfig(plan, prior botModelInfoConfigAttrs, diags *diag.Diagnostics) *coze.ModelInfoConfig {
	// Without model_id the API rejects the object, so removing the whole
	// object stops managing the model settings instead of resetting them.
	if plan == nil {
		return nil
	}
	str, i64, f64, boolean := types.String.ValueString, types.Int64.ValueInt64, types.Float64.ValueFloat64, types.Bool.ValueBool
	out := &coze.ModelInfoConfig{
		ModelID:          plan.ModelID().ValueString(),
		TopK:             pick(plan.TopK(), prior.TopK(), i64, nil),
		TopP:             pick(plan.TopP(), prior.TopP(), f64, nil),
		MaxTokens:        pick(plan.MaxTokens(), prior.MaxTokens(), i64, nil),
		Temperature:      pick(plan.Temperature(), prior.Temperature(), f64, nil),
		SpAntiLeak:       pick(plan.SpAntiLeak(), prior.SpAntiLeak(), boolean, &resetFalse),
		ContextRound:     pick(plan.ContextRound(), prior.ContextRound(), i64, nil),
		ResponseFormat:   pick(plan.ResponseFormat(), prior.ResponseFormat(), str, nil),
		SpCurrentTime:    pick(plan.SpCurrentTime(), prior.SpCurrentTime(), boolean, &resetFalse),
		PresencePenalty:  pick(plan.PresencePenalty(), prior.PresencePenalty(), f64, nil),
		FrequencyPenalty: pick(plan.FrequencyPenalty(), prior.FrequencyPenalty(), f64, nil),
		CacheType:        pick(plan.CacheType(), prior.CacheType(), str, &resetCacheType),
		APIMode:          pick(plan.APIMode(), prior.APIMode(), str, &resetAPIMode),
	}
	if params := plan.Parameters(); !params.IsNull() && !params.IsUnknown() {
		raw, err := dynamicToJSON(params)
		if err != nil {
			diags.AddAttributeError(pathParameters, "Invalid model parameters", err.Error())
		}
		out.Parameters = raw
	}
	return out
}

func expandSuggestReplyInfo(plan, prior botSuggestReplyInfoAttrs) *coze.SuggestReplyInfo {
	str := types.String.ValueString
	planMode, priorMode := plan.ReplyMode(), prior.ReplyMode()
	// The API wants a prompt in customized mode: clear a removed prompt only
	// when the bot is known to be left in another mode.
	leftMode := planMode
	if planMode.IsNull() {
		leftMode = priorMode
	}
	var resetPrompt *string
	if !leftMode.IsNull() && !leftMode.IsUnknown() && leftMode.ValueString() != "customized" {
		resetPrompt = &resetEmptyString
	}
	return nilIfEmpty(&coze.SuggestReplyInfo{
		ReplyMode:        pick(planMode, priorMode, str, nil),
		CustomizedPrompt: pick(plan.CustomizedPrompt(), prior.CustomizedPrompt(), str, resetPrompt),
	})
}

// flattenBot turns a retrieve response into state values for every bot
// setting (every attribute but id, bot_id, config_hash, space_id and
// timeouts), value for value: a field the API did not return is null; a
// field returned empty stays empty (so that clearing a value in the Coze UI
// shows up as drift). Write-only attributes (icon_file_id, auto_call,
// search_strategy, sp_anti_leak, sp_current_time, cache_type) are always
// null here.
func flattenBot(bot *coze.Bot) (botAttrs, diag.Diagnostics) {
	var diags diag.Diagnostics
	settings := botSettingsValues{
		Name:             types.StringPointerValue(bot.Name),
		Description:      types.StringPointerValue(bot.Description),
		IconFileID:       types.StringNull(),
		PromptInfo:       flattenPromptInfo(bot.PromptInfo),
		OnboardingInfo:   flattenOnboardingInfo(bot.OnboardingInfo),
		Knowledge:        flattenKnowledge(bot.Knowledge),
		PluginIDList:     flattenPluginInfoList(bot.PluginInfoList),
		WorkflowIDList:   flattenWorkflowInfoList(bot.WorkflowInfoList),
		ModelInfoConfig:  flattenModelInfo(bot.ModelInfo, &diags),
		SuggestReplyInfo: flattenSuggestReplyInfo(bot.SuggestReplyInfo),
	}
	return settings.attributes(), diags
}

// newObject builds the object at objectPath of the schema ("prompt_info",
// "plugin_id_list.id_list" for a list's elements) from its attribute values,
// for the generated builders. The attribute types come from the schema, so a
// mismatch is a bug here.
func newObject(objectPath string, values map[string]attr.Value) types.Object {
	return types.ObjectValueMust(nestedObjectTypes()[objectPath], withTypedNulls(objectPath, values))
}

func nullObject(objectPath string) types.Object {
	return types.ObjectNull(nestedObjectTypes()[objectPath])
}

// newObjectList builds a list of the objects at objectPath.
func newObjectList(objectPath string, elems []attr.Value) types.List {
	return types.ListValueMust(types.ObjectType{AttrTypes: nestedObjectTypes()[objectPath]}, elems)
}

// withTypedNulls replaces the zero value of an object or list attribute (a
// field a builder left out), which is null but of no type, with the null of
// the attribute's type in the object at objectPath.
func withTypedNulls[M ~map[string]attr.Value](objectPath string, values M) M {
	attrTypes := nestedObjectTypes()[objectPath]
	for name, v := range values {
		switch val := v.(type) {
		case basetypes.ObjectValue:
			if obj, ok := attrTypes[name].(types.ObjectType); ok && val.IsNull() {
				values[name] = types.ObjectNull(obj.AttrTypes)
			}
		case basetypes.ListValue:
			if list, ok := attrTypes[name].(types.ListType); ok && val.IsNull() {
				values[name] = types.ListNull(list.ElemType)
			}
		}
	}
	return values
}

func stringList(values *[]string) types.List {
	if values == nil {
		return types.ListNull(types.StringType)
	}
	elems := make([]attr.Value, len(*values))
	for i, v := range *values {
		elems[i] = types.StringValue(v)
	}
	return types.ListValueMust(types.StringType, elems)
}

func flattenPromptInfo(in *coze.PromptInfo) types.Object {
	if in == nil {
		return nullBotPromptInfo()
	}
	prefix := nullBotPrefixPromptInfo()
	if in.PrefixPromptInfo != nil {
		prefix = botPrefixPromptInfoValues{
			PrefixPrompt:  types.StringPointerValue(in.PrefixPromptInfo.PrefixPrompt),
			DynamicPrompt: types.StringPointerValue(in.PrefixPromptInfo.DynamicPrompt),
		}.object()
	}
	return botPromptInfoValues{
		Prompt:           types.StringPointerValue(in.Prompt),
		PromptMode:       types.StringPointerValue(in.PromptMode),
		PrefixPromptInfo: prefix,
	}.object()
}

func flattenOnboardingInfo(in *coze.OnboardingInfo) types.Object {
	if in == nil {
		return nullBotOnboardingInfo()
	}
	return botOnboardingInfoValues{
		Prologue:           types.StringPointerValue(in.Prologue),
		SuggestedQuestions: stringList(in.SuggestedQuestions),
	}.object()
}

func flattenKnowledge(in *coze.BotKnowledge) types.Object {
	if in == nil || in.KnowledgeInfos == nil {
		return nullBotKnowledge()
	}
	ids := make([]string, 0, len(*in.KnowledgeInfos))
	for _, k := range *in.KnowledgeInfos {
		ids = append(ids, k.ID)
	}
	return botKnowledgeValues{
		DatasetIDs:     stringList(&ids),
		AutoCall:       types.BoolNull(),
		SearchStrategy: types.Int64Null(),
	}.object()
}

func flattenPluginInfoList(in *[]coze.PluginInfo) types.Object {
	if in == nil {
		return nullBotPluginIDList()
	}
	tools := []botPluginToolValues{}
	for _, plugin := range *in {
		for _, api := range plugin.APIInfoList {
			tools = append(tools, botPluginToolValues{PluginID: types.StringValue(plugin.PluginID), APIID: types.StringValue(api.APIID)})
		}
	}
	return botPluginIDListValues{IDList: botPluginToolList(tools)}.object()
}

func flattenWorkflowInfoList(in *[]coze.WorkflowInfo) types.Object {
	if in == nil {
		return nullBotWorkflowIDList()
	}
	workflows := make([]botWorkflowValues, 0, len(*in))
	for _, wf := range *in {
		workflows = append(workflows, botWorkflowValues{ID: types.StringValue(wf.ID)})
	}
	return botWorkflowIDListValues{IDs: botWorkflowList(workflows)}.object()
}

func flattenModelInfo(in *coze.ModelInfo, diags *diag.Diagnostics) types.Object {
	if in == nil {
		return nullBotModelInfoConfig()
	}
	params, err := jsonToDynamic(in.Parameters)
	if err != nil {
		diags.AddError("Unreadable model parameters from the Coze API", err.Error())
	}
	return botModelInfoConfigValues{
		ModelID:          types.StringPointerValue(in.ModelID),
		TopK:             types.Int64PointerValue(in.TopK),
		TopP:             types.Float64PointerValue(in.TopP),
		MaxTokens:        types.Int64PointerValue(in.MaxTokens),
		Temperature:      types.Float64PointerValue(in.Temperature),
		SpAntiLeak:       types.BoolNull(),
		ContextRound:     types.Int64PointerValue(in.ContextRound),
		ResponseFormat:   types.StringPointerValue(in.ResponseFormat),
		SpCurrentTime:    types.BoolNull(),
		PresencePenalty:  types.Float64PointerValue(in.PresencePenalty),
		FrequencyPenalty: types.Float64PointerValue(in.FrequencyPenalty),
		CacheType:        types.StringNull(),
		APIMode:          types.StringPointerValue(in.APIMode),
		Parameters:       params,
	}.object()
}

func flattenSuggestReplyInfo(in *coze.SuggestReplyInfo) types.Object {
	if in == nil {
		return nullBotSuggestReplyInfo()
	}
	return botSuggestReplyInfoValues{
		ReplyMode:        types.StringPointerValue(in.ReplyMode),
		CustomizedPrompt: types.StringPointerValue(in.CustomizedPrompt),
	}.object()
}

// rootObject reads a whole plan or state (its schema type and raw value) as
// an object value, without struct reflection.
func rootObject(ctx context.Context, typ attr.Type, raw tftypes.Value) (types.Object, diag.Diagnostics) {
	var diags diag.Diagnostics
	v, err := typ.ValueFromTerraform(ctx, raw)
	obj, ok := v.(basetypes.ObjectValue)
	if err != nil || !ok {
		diags.AddError("Cannot read the resource data", fmt.Sprintf("reading %s as an object: %v. This is a bug in the provider.", typ, err))
		return types.ObjectNull(attributeTypes(typ)), diags
	}
	return obj, diags
}

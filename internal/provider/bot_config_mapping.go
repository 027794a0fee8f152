package provider

// The mapping between coze_bot_config's Terraform values and the Coze API,
// in one place: expand (plan -> update request), flatten (retrieve response
// -> state values). Both work on the framework's attribute values directly
// rather than through tfsdk struct reflection, which costs more than the
// rest of this provider's per-resource work together (see bench/results.md).

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
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

// attrs is the attribute map of an object value; a null or unknown object
// gives an empty map, in which every attribute reads as null.
type attrs map[string]attr.Value

func attrsOf(v attr.Value) attrs {
	obj, ok := v.(basetypes.ObjectValue)
	if !ok || obj.IsNull() || obj.IsUnknown() {
		return nil
	}
	return obj.Attributes()
}

// get returns attribute name as T; missing or of another type, the zero
// value of T, which for every framework value type is null.
func get[T attr.Value](a attrs, name string) T {
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
	p, q := attrsOf(plan), attrsOf(prior)
	str := types.String.ValueString
	req := &coze.UpdateBotRequest{
		BotID:            get[types.String](p, "bot_id").ValueString(),
		Name:             pick(get[types.String](p, "name"), get[types.String](q, "name"), str, nil),
		Description:      pick(get[types.String](p, "description"), get[types.String](q, "description"), str, &resetEmptyString),
		IconFileID:       pick(get[types.String](p, "icon_file_id"), get[types.String](q, "icon_file_id"), str, nil),
		PromptInfo:       expandPromptInfo(attrsOf(p["prompt_info"]), attrsOf(q["prompt_info"])),
		OnboardingInfo:   expandOnboardingInfo(attrsOf(p["onboarding_info"]), attrsOf(q["onboarding_info"])),
		Knowledge:        expandKnowledge(attrsOf(p["knowledge"]), attrsOf(q["knowledge"])),
		PluginIDList:     expandPluginIDList(attrsOf(p["plugin_id_list"]), attrsOf(q["plugin_id_list"])),
		WorkflowIDList:   expandWorkflowIDList(attrsOf(p["workflow_id_list"]), attrsOf(q["workflow_id_list"])),
		ModelInfoConfig:  expandModelInfoConfig(p["model_info_config"], attrsOf(q["model_info_config"]), &diags),
		SuggestReplyInfo: expandSuggestReplyInfo(attrsOf(p["suggest_reply_info"]), attrsOf(q["suggest_reply_info"])),
	}
	return req, diags
}

func expandPromptInfo(plan, prior attrs) *coze.PromptInfo {
	str := types.String.ValueString
	planPrefix, priorPrefix := attrsOf(plan["prefix_prompt_info"]), attrsOf(prior["prefix_prompt_info"])
	return nilIfEmpty(&coze.PromptInfo{
		Prompt:     pick(get[types.String](plan, "prompt"), get[types.String](prior, "prompt"), str, &resetEmptyString),
		PromptMode: pick(get[types.String](plan, "prompt_mode"), get[types.String](prior, "prompt_mode"), str, &resetPromptMode),
		PrefixPromptInfo: nilIfEmpty(&coze.PrefixPromptInfo{
			PrefixPrompt:  pick(get[types.String](planPrefix, "prefix_prompt"), get[types.String](priorPrefix, "prefix_prompt"), str, &resetEmptyString),
			DynamicPrompt: pick(get[types.String](planPrefix, "dynamic_prompt"), get[types.String](priorPrefix, "dynamic_prompt"), str, &resetEmptyString),
		}),
	})
}

func expandOnboardingInfo(plan, prior attrs) *coze.OnboardingInfo {
	return nilIfEmpty(&coze.OnboardingInfo{
		Prologue:           pick(get[types.String](plan, "prologue"), get[types.String](prior, "prologue"), types.String.ValueString, &resetEmptyString),
		SuggestedQuestions: pickList(get[types.List](plan, "suggested_questions"), get[types.List](prior, "suggested_questions"), stringOf),
	})
}

func expandKnowledge(plan, prior attrs) *coze.Knowledge {
	return nilIfEmpty(&coze.Knowledge{
		DatasetIDs:     pickList(get[types.List](plan, "dataset_ids"), get[types.List](prior, "dataset_ids"), stringOf),
		AutoCall:       pick(get[types.Bool](plan, "auto_call"), get[types.Bool](prior, "auto_call"), types.Bool.ValueBool, &resetAutoCall),
		SearchStrategy: pick(get[types.Int64](plan, "search_strategy"), get[types.Int64](prior, "search_strategy"), types.Int64.ValueInt64, &resetSearchStrategy),
	})
}

func expandPluginIDList(plan, prior attrs) *coze.PluginIDList {
	return nilIfEmpty(&coze.PluginIDList{
		IDList: pickList(get[types.List](plan, "id_list"), get[types.List](prior, "id_list"), func(v attr.Value) coze.PluginIDInfo {
			item := attrsOf(v)
			return coze.PluginIDInfo{PluginID: stringOf(item["plugin_id"]), APIID: stringOf(item["api_id"])}
		}),
	})
}

func expandWorkflowIDList(plan, prior attrs) *coze.WorkflowIDList {
	return nilIfEmpty(&coze.WorkflowIDList{
		IDs: pickList(get[types.List](plan, "ids"), get[types.List](prior, "ids"), func(v attr.Value) coze.WorkflowIDInfo {
			return coze.WorkflowIDInfo{ID: stringOf(attrsOf(v)["id"])}
		}),
	})
}

func expandModelInfoConfig(planValue attr.Value, prior attrs, diags *diag.Diagnostics) *coze.ModelInfoConfig {
	// Without model_id the API rejects the object, so removing the whole
	// object stops managing the model settings instead of resetting them.
	plan := attrsOf(planValue)
	if plan == nil {
		return nil
	}
	str, i64, f64, boolean := types.String.ValueString, types.Int64.ValueInt64, types.Float64.ValueFloat64, types.Bool.ValueBool
	out := &coze.ModelInfoConfig{
		ModelID:          get[types.String](plan, "model_id").ValueString(),
		TopK:             pick(get[types.Int64](plan, "top_k"), get[types.Int64](prior, "top_k"), i64, nil),
		TopP:             pick(get[types.Float64](plan, "top_p"), get[types.Float64](prior, "top_p"), f64, nil),
		MaxTokens:        pick(get[types.Int64](plan, "max_tokens"), get[types.Int64](prior, "max_tokens"), i64, nil),
		Temperature:      pick(get[types.Float64](plan, "temperature"), get[types.Float64](prior, "temperature"), f64, nil),
		SpAntiLeak:       pick(get[types.Bool](plan, "sp_anti_leak"), get[types.Bool](prior, "sp_anti_leak"), boolean, &resetFalse),
		ContextRound:     pick(get[types.Int64](plan, "context_round"), get[types.Int64](prior, "context_round"), i64, nil),
		ResponseFormat:   pick(get[types.String](plan, "response_format"), get[types.String](prior, "response_format"), str, nil),
		SpCurrentTime:    pick(get[types.Bool](plan, "sp_current_time"), get[types.Bool](prior, "sp_current_time"), boolean, &resetFalse),
		PresencePenalty:  pick(get[types.Float64](plan, "presence_penalty"), get[types.Float64](prior, "presence_penalty"), f64, nil),
		FrequencyPenalty: pick(get[types.Float64](plan, "frequency_penalty"), get[types.Float64](prior, "frequency_penalty"), f64, nil),
		CacheType:        pick(get[types.String](plan, "cache_type"), get[types.String](prior, "cache_type"), str, &resetCacheType),
		APIMode:          pick(get[types.String](plan, "api_mode"), get[types.String](prior, "api_mode"), str, &resetAPIMode),
	}
	if params := get[types.Dynamic](plan, "parameters"); !params.IsNull() && !params.IsUnknown() {
		raw, err := dynamicToJSON(params)
		if err != nil {
			diags.AddAttributeError(path.Root("model_info_config").AtName("parameters"), "Invalid model parameters", err.Error())
		}
		out.Parameters = raw
	}
	return out
}

func expandSuggestReplyInfo(plan, prior attrs) *coze.SuggestReplyInfo {
	str := types.String.ValueString
	planMode, priorMode := get[types.String](plan, "reply_mode"), get[types.String](prior, "reply_mode")
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
		CustomizedPrompt: pick(get[types.String](plan, "customized_prompt"), get[types.String](prior, "customized_prompt"), str, resetPrompt),
	})
}

// flattenBot turns a retrieve response into state values for every attribute
// but id, bot_id and timeouts, value for value: a field the API did not
// return is null; a field returned empty stays empty (so that clearing a
// value in the Coze UI shows up as drift). Write-only attributes
// (icon_file_id, auto_call, search_strategy, sp_anti_leak, sp_current_time,
// cache_type) are always null here.
func flattenBot(bot *coze.Bot) (attrs, diag.Diagnostics) {
	var diags diag.Diagnostics
	return attrs{
		"name":               types.StringPointerValue(bot.Name),
		"description":        types.StringPointerValue(bot.Description),
		"icon_file_id":       types.StringNull(),
		"prompt_info":        flattenPromptInfo(bot.PromptInfo),
		"onboarding_info":    flattenOnboardingInfo(bot.OnboardingInfo),
		"knowledge":          flattenKnowledge(bot.Knowledge),
		"plugin_id_list":     flattenPluginInfoList(bot.PluginInfoList),
		"workflow_id_list":   flattenWorkflowInfoList(bot.WorkflowInfoList),
		"model_info_config":  flattenModelInfo(bot.ModelInfo, &diags),
		"suggest_reply_info": flattenSuggestReplyInfo(bot.SuggestReplyInfo),
	}, diags
}

// object builds a nested object of the schema from its attribute values.
// The attribute types come from the schema, so a mismatch is a bug here.
func object(names string, values attrs) types.Object {
	return types.ObjectValueMust(nestedAttrTypes(strings.Split(names, ".")...), values)
}

func nullObject(names string) types.Object {
	return types.ObjectNull(nestedAttrTypes(strings.Split(names, ".")...))
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
		return nullObject("prompt_info")
	}
	prefix := nullObject("prompt_info.prefix_prompt_info")
	if in.PrefixPromptInfo != nil {
		prefix = object("prompt_info.prefix_prompt_info", attrs{
			"prefix_prompt":  types.StringPointerValue(in.PrefixPromptInfo.PrefixPrompt),
			"dynamic_prompt": types.StringPointerValue(in.PrefixPromptInfo.DynamicPrompt),
		})
	}
	return object("prompt_info", attrs{
		"prompt":             types.StringPointerValue(in.Prompt),
		"prompt_mode":        types.StringPointerValue(in.PromptMode),
		"prefix_prompt_info": prefix,
	})
}

func flattenOnboardingInfo(in *coze.OnboardingInfo) types.Object {
	if in == nil {
		return nullObject("onboarding_info")
	}
	return object("onboarding_info", attrs{
		"prologue":            types.StringPointerValue(in.Prologue),
		"suggested_questions": stringList(in.SuggestedQuestions),
	})
}

func flattenKnowledge(in *coze.BotKnowledge) types.Object {
	if in == nil || in.KnowledgeInfos == nil {
		return nullObject("knowledge")
	}
	ids := make([]string, 0, len(*in.KnowledgeInfos))
	for _, k := range *in.KnowledgeInfos {
		ids = append(ids, k.ID)
	}
	return object("knowledge", attrs{
		"dataset_ids":     stringList(&ids),
		"auto_call":       types.BoolNull(),
		"search_strategy": types.Int64Null(),
	})
}

func flattenPluginInfoList(in *[]coze.PluginInfo) types.Object {
	if in == nil {
		return nullObject("plugin_id_list")
	}
	itemType := types.ObjectType{AttrTypes: nestedAttrTypes("plugin_id_list", "id_list")}
	items := []attr.Value{}
	for _, plugin := range *in {
		for _, api := range plugin.APIInfoList {
			items = append(items, types.ObjectValueMust(itemType.AttrTypes, attrs{
				"plugin_id": types.StringValue(plugin.PluginID),
				"api_id":    types.StringValue(api.APIID),
			}))
		}
	}
	return object("plugin_id_list", attrs{"id_list": types.ListValueMust(itemType, items)})
}

func flattenWorkflowInfoList(in *[]coze.WorkflowInfo) types.Object {
	if in == nil {
		return nullObject("workflow_id_list")
	}
	itemType := types.ObjectType{AttrTypes: nestedAttrTypes("workflow_id_list", "ids")}
	items := make([]attr.Value, 0, len(*in))
	for _, wf := range *in {
		items = append(items, types.ObjectValueMust(itemType.AttrTypes, attrs{"id": types.StringValue(wf.ID)}))
	}
	return object("workflow_id_list", attrs{"ids": types.ListValueMust(itemType, items)})
}

func flattenModelInfo(in *coze.ModelInfo, diags *diag.Diagnostics) types.Object {
	if in == nil {
		return nullObject("model_info_config")
	}
	params, err := jsonToDynamic(in.Parameters)
	if err != nil {
		diags.AddError("Unreadable model parameters from the Coze API", err.Error())
	}
	return object("model_info_config", attrs{
		"model_id":          types.StringPointerValue(in.ModelID),
		"top_k":             types.Int64PointerValue(in.TopK),
		"top_p":             types.Float64PointerValue(in.TopP),
		"max_tokens":        types.Int64PointerValue(in.MaxTokens),
		"temperature":       types.Float64PointerValue(in.Temperature),
		"sp_anti_leak":      types.BoolNull(),
		"context_round":     types.Int64PointerValue(in.ContextRound),
		"response_format":   types.StringPointerValue(in.ResponseFormat),
		"sp_current_time":   types.BoolNull(),
		"presence_penalty":  types.Float64PointerValue(in.PresencePenalty),
		"frequency_penalty": types.Float64PointerValue(in.FrequencyPenalty),
		"cache_type":        types.StringNull(),
		"api_mode":          types.StringPointerValue(in.APIMode),
		"parameters":        params,
	})
}

func flattenSuggestReplyInfo(in *coze.SuggestReplyInfo) types.Object {
	if in == nil {
		return nullObject("suggest_reply_info")
	}
	return object("suggest_reply_info", attrs{
		"reply_mode":        types.StringPointerValue(in.ReplyMode),
		"customized_prompt": types.StringPointerValue(in.CustomizedPrompt),
	})
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

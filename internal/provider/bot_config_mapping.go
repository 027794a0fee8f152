package provider

// The mapping between coze_bot_config's Terraform model and the Coze API,
// in one place: expand (plan -> update request), flatten (retrieve response ->
// model), and the rules that keep Read from fighting the configuration.

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

// Values sent when the user removes an attribute that the previous apply set.
// Attributes without a reset value (name, icon_file_id, model tuning numbers,
// parameters, the whole model_info_config) simply stop being managed: the API
// cannot clear them.
var (
	resetEmptyString    = ""
	resetPromptMode     = "standard"
	resetAutoCall       = true
	resetSearchStrategy = int64(0)
	resetFalse          = false
	resetCacheType      = "closed"
	resetAPIMode        = "chat_api"
	resetReplyMode      = "disable"
)

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
func pickList[T, E any](ctx context.Context, plan, prior types.List, convert func(E) T, diags *diag.Diagnostics) *[]T {
	if !plan.IsNull() && !plan.IsUnknown() {
		var elems []E
		diags.Append(plan.ElementsAs(ctx, &elems, false)...)
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

// objectAs reads a nested object into its model; null gives the zero model,
// whose fields are all null.
func objectAs[T any](ctx context.Context, obj types.Object, diags *diag.Diagnostics) T {
	var m T
	if obj.IsNull() || obj.IsUnknown() {
		return m
	}
	diags.Append(obj.As(ctx, &m, basetypes.ObjectAsOptions{})...)
	return m
}

func identity[T any](v T) T { return v }

// expandUpdateBotRequest builds the update body from the plan. prior is the
// state before this apply (nil on create); it tells which attributes were
// removed from the configuration and need their reset value.
func expandUpdateBotRequest(ctx context.Context, plan, prior *botConfigModel) (*coze.UpdateBotRequest, diag.Diagnostics) {
	var diags diag.Diagnostics
	if prior == nil {
		prior = &botConfigModel{}
	}
	req := &coze.UpdateBotRequest{
		BotID:            plan.BotID.ValueString(),
		Name:             pick(plan.Name, prior.Name, types.String.ValueString, nil),
		Description:      pick(plan.Description, prior.Description, types.String.ValueString, &resetEmptyString),
		IconFileID:       pick(plan.IconFileID, prior.IconFileID, types.String.ValueString, nil),
		PromptInfo:       expandPromptInfo(ctx, plan.PromptInfo, prior.PromptInfo, &diags),
		OnboardingInfo:   expandOnboardingInfo(ctx, plan.OnboardingInfo, prior.OnboardingInfo, &diags),
		Knowledge:        expandKnowledge(ctx, plan.Knowledge, prior.Knowledge, &diags),
		PluginIDList:     expandPluginIDList(ctx, plan.PluginIDList, prior.PluginIDList, &diags),
		WorkflowIDList:   expandWorkflowIDList(ctx, plan.WorkflowIDList, prior.WorkflowIDList, &diags),
		ModelInfoConfig:  expandModelInfoConfig(ctx, plan.ModelInfoConfig, prior.ModelInfoConfig, &diags),
		SuggestReplyInfo: expandSuggestReplyInfo(ctx, plan.SuggestReplyInfo, prior.SuggestReplyInfo, &diags),
	}
	return req, diags
}

// nilIfEmpty drops a nested request object in which nothing is to be sent.
func nilIfEmpty[T comparable](v *T) *T {
	var zero T
	if *v == zero {
		return nil
	}
	return v
}

func expandPromptInfo(ctx context.Context, planObj, priorObj types.Object, diags *diag.Diagnostics) *coze.PromptInfo {
	plan := objectAs[promptInfoModel](ctx, planObj, diags)
	prior := objectAs[promptInfoModel](ctx, priorObj, diags)
	planPrefix := objectAs[prefixPromptInfoModel](ctx, plan.PrefixPromptInfo, diags)
	priorPrefix := objectAs[prefixPromptInfoModel](ctx, prior.PrefixPromptInfo, diags)
	return nilIfEmpty(&coze.PromptInfo{
		Prompt:     pick(plan.Prompt, prior.Prompt, types.String.ValueString, &resetEmptyString),
		PromptMode: pick(plan.PromptMode, prior.PromptMode, types.String.ValueString, &resetPromptMode),
		PrefixPromptInfo: nilIfEmpty(&coze.PrefixPromptInfo{
			PrefixPrompt:  pick(planPrefix.PrefixPrompt, priorPrefix.PrefixPrompt, types.String.ValueString, &resetEmptyString),
			DynamicPrompt: pick(planPrefix.DynamicPrompt, priorPrefix.DynamicPrompt, types.String.ValueString, &resetEmptyString),
		}),
	})
}

func expandOnboardingInfo(ctx context.Context, planObj, priorObj types.Object, diags *diag.Diagnostics) *coze.OnboardingInfo {
	plan := objectAs[onboardingInfoModel](ctx, planObj, diags)
	prior := objectAs[onboardingInfoModel](ctx, priorObj, diags)
	return nilIfEmpty(&coze.OnboardingInfo{
		Prologue:           pick(plan.Prologue, prior.Prologue, types.String.ValueString, &resetEmptyString),
		SuggestedQuestions: pickList(ctx, plan.SuggestedQuestions, prior.SuggestedQuestions, identity[string], diags),
	})
}

func expandKnowledge(ctx context.Context, planObj, priorObj types.Object, diags *diag.Diagnostics) *coze.Knowledge {
	plan := objectAs[knowledgeModel](ctx, planObj, diags)
	prior := objectAs[knowledgeModel](ctx, priorObj, diags)
	return nilIfEmpty(&coze.Knowledge{
		DatasetIDs:     pickList(ctx, plan.DatasetIDs, prior.DatasetIDs, identity[string], diags),
		AutoCall:       pick(plan.AutoCall, prior.AutoCall, types.Bool.ValueBool, &resetAutoCall),
		SearchStrategy: pick(plan.SearchStrategy, prior.SearchStrategy, types.Int64.ValueInt64, &resetSearchStrategy),
	})
}

func expandPluginIDList(ctx context.Context, planObj, priorObj types.Object, diags *diag.Diagnostics) *coze.PluginIDList {
	plan := objectAs[pluginIDListModel](ctx, planObj, diags)
	prior := objectAs[pluginIDListModel](ctx, priorObj, diags)
	return nilIfEmpty(&coze.PluginIDList{
		IDList: pickList(ctx, plan.IDList, prior.IDList, func(m pluginIDInfoModel) coze.PluginIDInfo {
			return coze.PluginIDInfo{PluginID: m.PluginID.ValueString(), APIID: m.APIID.ValueString()}
		}, diags),
	})
}

func expandWorkflowIDList(ctx context.Context, planObj, priorObj types.Object, diags *diag.Diagnostics) *coze.WorkflowIDList {
	plan := objectAs[workflowIDListModel](ctx, planObj, diags)
	prior := objectAs[workflowIDListModel](ctx, priorObj, diags)
	return nilIfEmpty(&coze.WorkflowIDList{
		IDs: pickList(ctx, plan.IDs, prior.IDs, func(m workflowIDInfoModel) coze.WorkflowIDInfo {
			return coze.WorkflowIDInfo{ID: m.ID.ValueString()}
		}, diags),
	})
}

func expandModelInfoConfig(ctx context.Context, planObj, priorObj types.Object, diags *diag.Diagnostics) *coze.ModelInfoConfig {
	// Without model_id the API rejects the object, so removing the whole
	// object stops managing the model settings instead of resetting them.
	if planObj.IsNull() || planObj.IsUnknown() {
		return nil
	}
	plan := objectAs[modelInfoConfigModel](ctx, planObj, diags)
	prior := objectAs[modelInfoConfigModel](ctx, priorObj, diags)
	out := &coze.ModelInfoConfig{
		ModelID:          plan.ModelID.ValueString(),
		TopK:             pick(plan.TopK, prior.TopK, types.Int64.ValueInt64, nil),
		TopP:             pick(plan.TopP, prior.TopP, types.Float64.ValueFloat64, nil),
		MaxTokens:        pick(plan.MaxTokens, prior.MaxTokens, types.Int64.ValueInt64, nil),
		Temperature:      pick(plan.Temperature, prior.Temperature, types.Float64.ValueFloat64, nil),
		SpAntiLeak:       pick(plan.SpAntiLeak, prior.SpAntiLeak, types.Bool.ValueBool, &resetFalse),
		ContextRound:     pick(plan.ContextRound, prior.ContextRound, types.Int64.ValueInt64, nil),
		ResponseFormat:   pick(plan.ResponseFormat, prior.ResponseFormat, types.String.ValueString, nil),
		SpCurrentTime:    pick(plan.SpCurrentTime, prior.SpCurrentTime, types.Bool.ValueBool, &resetFalse),
		PresencePenalty:  pick(plan.PresencePenalty, prior.PresencePenalty, types.Float64.ValueFloat64, nil),
		FrequencyPenalty: pick(plan.FrequencyPenalty, prior.FrequencyPenalty, types.Float64.ValueFloat64, nil),
		CacheType:        pick(plan.CacheType, prior.CacheType, types.String.ValueString, &resetCacheType),
		APIMode:          pick(plan.APIMode, prior.APIMode, types.String.ValueString, &resetAPIMode),
	}
	if !plan.Parameters.IsNull() && !plan.Parameters.IsUnknown() {
		raw, err := dynamicToJSON(plan.Parameters)
		if err != nil {
			diags.AddAttributeError(path.Root("model_info_config").AtName("parameters"), "Invalid model parameters", err.Error())
		}
		out.Parameters = raw
	}
	return out
}

func expandSuggestReplyInfo(ctx context.Context, planObj, priorObj types.Object, diags *diag.Diagnostics) *coze.SuggestReplyInfo {
	plan := objectAs[suggestReplyInfoModel](ctx, planObj, diags)
	prior := objectAs[suggestReplyInfoModel](ctx, priorObj, diags)
	return nilIfEmpty(&coze.SuggestReplyInfo{
		ReplyMode:        pick(plan.ReplyMode, prior.ReplyMode, types.String.ValueString, &resetReplyMode),
		CustomizedPrompt: pick(plan.CustomizedPrompt, prior.CustomizedPrompt, types.String.ValueString, &resetEmptyString),
	})
}

// flattenBot turns a retrieve response into the model, value for value: a
// field the API did not return is null; a field returned empty stays empty
// (so that clearing a value in the Coze UI shows up as drift). Write-only
// attributes (icon_file_id, auto_call, search_strategy, sp_anti_leak,
// sp_current_time, cache_type) are always null here.
func flattenBot(ctx context.Context, bot *coze.Bot) (botConfigModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := botConfigModel{
		ID:               types.StringValue(bot.BotID),
		BotID:            types.StringValue(bot.BotID),
		Name:             types.StringPointerValue(bot.Name),
		Description:      types.StringPointerValue(bot.Description),
		IconFileID:       types.StringNull(),
		PromptInfo:       flattenPromptInfo(ctx, bot.PromptInfo, &diags),
		OnboardingInfo:   flattenOnboardingInfo(ctx, bot.OnboardingInfo, &diags),
		Knowledge:        flattenKnowledge(ctx, bot.Knowledge, &diags),
		PluginIDList:     flattenPluginInfoList(ctx, bot.PluginInfoList, &diags),
		WorkflowIDList:   flattenWorkflowInfoList(ctx, bot.WorkflowInfoList, &diags),
		ModelInfoConfig:  flattenModelInfo(ctx, bot.ModelInfo, &diags),
		SuggestReplyInfo: flattenSuggestReplyInfo(ctx, bot.SuggestReplyInfo, &diags),
	}
	m.Timeouts.Object = types.ObjectNull(timeoutsAttrTypes)
	return m, diags
}

func objectFrom(ctx context.Context, attrTypes map[string]attr.Type, model any, diags *diag.Diagnostics) types.Object {
	obj, d := types.ObjectValueFrom(ctx, attrTypes, model)
	diags.Append(d...)
	return obj
}

func stringList(ctx context.Context, values *[]string, diags *diag.Diagnostics) types.List {
	if values == nil {
		return types.ListNull(types.StringType)
	}
	list, d := types.ListValueFrom(ctx, types.StringType, *values)
	diags.Append(d...)
	return list
}

func flattenPromptInfo(ctx context.Context, in *coze.PromptInfo, diags *diag.Diagnostics) types.Object {
	if in == nil {
		return types.ObjectNull(nestedAttrTypes("prompt_info"))
	}
	prefix := types.ObjectNull(nestedAttrTypes("prompt_info", "prefix_prompt_info"))
	if in.PrefixPromptInfo != nil {
		prefix = objectFrom(ctx, nestedAttrTypes("prompt_info", "prefix_prompt_info"), prefixPromptInfoModel{
			PrefixPrompt:  types.StringPointerValue(in.PrefixPromptInfo.PrefixPrompt),
			DynamicPrompt: types.StringPointerValue(in.PrefixPromptInfo.DynamicPrompt),
		}, diags)
	}
	return objectFrom(ctx, nestedAttrTypes("prompt_info"), promptInfoModel{
		Prompt:           types.StringPointerValue(in.Prompt),
		PromptMode:       types.StringPointerValue(in.PromptMode),
		PrefixPromptInfo: prefix,
	}, diags)
}

func flattenOnboardingInfo(ctx context.Context, in *coze.OnboardingInfo, diags *diag.Diagnostics) types.Object {
	if in == nil {
		return types.ObjectNull(nestedAttrTypes("onboarding_info"))
	}
	return objectFrom(ctx, nestedAttrTypes("onboarding_info"), onboardingInfoModel{
		Prologue:           types.StringPointerValue(in.Prologue),
		SuggestedQuestions: stringList(ctx, in.SuggestedQuestions, diags),
	}, diags)
}

func flattenKnowledge(ctx context.Context, in *coze.BotKnowledge, diags *diag.Diagnostics) types.Object {
	if in == nil || in.KnowledgeInfos == nil {
		return types.ObjectNull(nestedAttrTypes("knowledge"))
	}
	ids := make([]string, 0, len(*in.KnowledgeInfos))
	for _, k := range *in.KnowledgeInfos {
		ids = append(ids, k.ID)
	}
	return objectFrom(ctx, nestedAttrTypes("knowledge"), knowledgeModel{
		DatasetIDs:     stringList(ctx, &ids, diags),
		AutoCall:       types.BoolNull(),
		SearchStrategy: types.Int64Null(),
	}, diags)
}

func flattenPluginInfoList(ctx context.Context, in *[]coze.PluginInfo, diags *diag.Diagnostics) types.Object {
	if in == nil {
		return types.ObjectNull(nestedAttrTypes("plugin_id_list"))
	}
	pairs := []pluginIDInfoModel{}
	for _, plugin := range *in {
		for _, api := range plugin.APIInfoList {
			pairs = append(pairs, pluginIDInfoModel{PluginID: types.StringValue(plugin.PluginID), APIID: types.StringValue(api.APIID)})
		}
	}
	list, d := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: nestedAttrTypes("plugin_id_list", "id_list")}, pairs)
	diags.Append(d...)
	return objectFrom(ctx, nestedAttrTypes("plugin_id_list"), pluginIDListModel{IDList: list}, diags)
}

func flattenWorkflowInfoList(ctx context.Context, in *[]coze.WorkflowInfo, diags *diag.Diagnostics) types.Object {
	if in == nil {
		return types.ObjectNull(nestedAttrTypes("workflow_id_list"))
	}
	ids := make([]workflowIDInfoModel, 0, len(*in))
	for _, wf := range *in {
		ids = append(ids, workflowIDInfoModel{ID: types.StringValue(wf.ID)})
	}
	list, d := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: nestedAttrTypes("workflow_id_list", "ids")}, ids)
	diags.Append(d...)
	return objectFrom(ctx, nestedAttrTypes("workflow_id_list"), workflowIDListModel{IDs: list}, diags)
}

func flattenModelInfo(ctx context.Context, in *coze.ModelInfo, diags *diag.Diagnostics) types.Object {
	if in == nil {
		return types.ObjectNull(nestedAttrTypes("model_info_config"))
	}
	params, err := jsonToDynamic(in.Parameters)
	if err != nil {
		diags.AddError("Unreadable model parameters from the Coze API", err.Error())
	}
	return objectFrom(ctx, nestedAttrTypes("model_info_config"), modelInfoConfigModel{
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
	}, diags)
}

func flattenSuggestReplyInfo(ctx context.Context, in *coze.SuggestReplyInfo, diags *diag.Diagnostics) types.Object {
	if in == nil {
		return types.ObjectNull(nestedAttrTypes("suggest_reply_info"))
	}
	return objectFrom(ctx, nestedAttrTypes("suggest_reply_info"), suggestReplyInfoModel{
		ReplyMode:        types.StringPointerValue(in.ReplyMode),
		CustomizedPrompt: types.StringPointerValue(in.CustomizedPrompt),
	}, diags)
}

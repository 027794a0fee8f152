package provider

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

// The claim behind the hand-written mapping of coze_bot_config and coze_bot
// (DESIGN.md, "Hand-written mapping on the hot path"): reading the plan and
// the prior state through tfsdk struct reflection costs far more than the
// rest of the mapping. BenchmarkUpdateRequestMapping keeps it checkable: it
// builds the same update request from the same plan and state both ways.
//
//	go test ./internal/provider/ -run XXX -bench UpdateRequestMapping -benchmem
//
// The reflection way is the provider's mapping before the hand-written one
// (commit 78f3948): Plan.Get and State.Get into botConfigModel, nested
// objects read with As and ElementsAs. TestReflectionMappingAgreesWithHandMapping
// checks that both send the same request, so the comparison stays fair.

func BenchmarkUpdateRequestMapping(b *testing.B) {
	plan, state := mappingInputs(b)
	b.Run("hand", func(b *testing.B) {
		for b.Loop() {
			if _, diags := handUpdateRequest(plan, state); diags.HasError() {
				b.Fatal(diags)
			}
		}
	})
	b.Run("reflection", func(b *testing.B) {
		for b.Loop() {
			if _, diags := reflectUpdateRequest(plan, state); diags.HasError() {
				b.Fatal(diags)
			}
		}
	})
}

func TestReflectionMappingAgreesWithHandMapping(t *testing.T) {
	plan, state := mappingInputs(t)
	removed := tfsdk.Plan(botConfigState(t, "7342866800001")) // every setting removed: resets
	for name, p := range map[string]tfsdk.Plan{"update": plan, "removal": removed} {
		hand, diags := handUpdateRequest(p, state)
		if diags.HasError() {
			t.Fatal(diags)
		}
		reflected, diags := reflectUpdateRequest(p, state)
		if diags.HasError() {
			t.Fatal(diags)
		}
		h, _ := json.Marshal(hand)
		r, _ := json.Marshal(reflected)
		if string(h) == "{}" || string(h) != string(r) {
			t.Errorf("%s: the two mappings differ\n hand:       %s\n reflection: %s", name, h, r)
		}
	}
}

// mappingInputs is an update of a realistic bot: the plan changes every
// setting of the prior state.
func mappingInputs(tb testing.TB) (tfsdk.Plan, tfsdk.State) {
	t, ok := tb.(*testing.T)
	if !ok {
		t = &testing.T{}
	}
	state := botConfigState(t, "7342866800001")
	prior := fullModel(t)
	if d := state.Set(ctx, &prior); d.HasError() {
		tb.Fatal(d)
	}
	planned := botConfigState(t, "7342866800001")
	m := realisticModel(tb)
	if d := planned.Set(ctx, &m); d.HasError() {
		tb.Fatal(d)
	}
	return tfsdk.Plan(planned), state
}

// handUpdateRequest is what Update does: the plan and the state as object
// values, mapped by hand.
func handUpdateRequest(plan tfsdk.Plan, state tfsdk.State) (*coze.UpdateBotRequest, diag.Diagnostics) {
	var diags diag.Diagnostics
	planned, d := rootObject(ctx, plan.Schema.Type(), plan.Raw)
	diags.Append(d...)
	prior, d := rootObject(ctx, state.Schema.Type(), state.Raw)
	diags.Append(d...)
	req, d := expandUpdateBotRequest(planned, prior)
	diags.Append(d...)
	return req, diags
}

// reflectUpdateRequest is the same through tfsdk reflection.
func reflectUpdateRequest(plan tfsdk.Plan, state tfsdk.State) (*coze.UpdateBotRequest, diag.Diagnostics) {
	var diags diag.Diagnostics
	var p, s botConfigModel
	diags.Append(plan.Get(ctx, &p)...)
	diags.Append(state.Get(ctx, &s)...)
	if diags.HasError() {
		return nil, diags
	}
	return &coze.UpdateBotRequest{
		BotID:            p.BotID.ValueString(),
		Name:             pick(p.Name, s.Name, types.String.ValueString, nil),
		Description:      pick(p.Description, s.Description, types.String.ValueString, &resetEmptyString),
		IconFileID:       pick(p.IconFileID, s.IconFileID, types.String.ValueString, nil),
		PromptInfo:       reflectPromptInfo(ctx, p.PromptInfo, s.PromptInfo, &diags),
		OnboardingInfo:   reflectOnboardingInfo(ctx, p.OnboardingInfo, s.OnboardingInfo, &diags),
		Knowledge:        reflectKnowledge(ctx, p.Knowledge, s.Knowledge, &diags),
		PluginIDList:     reflectPluginIDList(ctx, p.PluginIDList, s.PluginIDList, &diags),
		WorkflowIDList:   reflectWorkflowIDList(ctx, p.WorkflowIDList, s.WorkflowIDList, &diags),
		ModelInfoConfig:  reflectModelInfoConfig(ctx, p.ModelInfoConfig, s.ModelInfoConfig, &diags),
		SuggestReplyInfo: reflectSuggestReplyInfo(ctx, p.SuggestReplyInfo, s.SuggestReplyInfo, &diags),
	}, diags
}

// reflectObjectAs reads a nested object into its model; null gives the
// zero model, whose fields are all null.
func reflectObjectAs[T any](ctx context.Context, obj types.Object, diags *diag.Diagnostics) T {
	var m T
	if obj.IsNull() || obj.IsUnknown() {
		return m
	}
	diags.Append(obj.As(ctx, &m, basetypes.ObjectAsOptions{})...)
	return m
}

func reflectPickList[T, E any](ctx context.Context, plan, prior types.List, convert func(E) T, diags *diag.Diagnostics) *[]T {
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

func sameString(s string) string { return s }

func reflectPromptInfo(ctx context.Context, planObj, priorObj types.Object, diags *diag.Diagnostics) *coze.PromptInfo {
	plan := reflectObjectAs[promptInfoModel](ctx, planObj, diags)
	prior := reflectObjectAs[promptInfoModel](ctx, priorObj, diags)
	planPrefix := reflectObjectAs[prefixPromptInfoModel](ctx, plan.PrefixPromptInfo, diags)
	priorPrefix := reflectObjectAs[prefixPromptInfoModel](ctx, prior.PrefixPromptInfo, diags)
	return nilIfEmpty(&coze.PromptInfo{
		Prompt:     pick(plan.Prompt, prior.Prompt, types.String.ValueString, &resetEmptyString),
		PromptMode: pick(plan.PromptMode, prior.PromptMode, types.String.ValueString, &resetPromptMode),
		PrefixPromptInfo: nilIfEmpty(&coze.PrefixPromptInfo{
			PrefixPrompt:  pick(planPrefix.PrefixPrompt, priorPrefix.PrefixPrompt, types.String.ValueString, &resetEmptyString),
			DynamicPrompt: pick(planPrefix.DynamicPrompt, priorPrefix.DynamicPrompt, types.String.ValueString, &resetEmptyString),
		}),
	})
}

func reflectOnboardingInfo(ctx context.Context, planObj, priorObj types.Object, diags *diag.Diagnostics) *coze.OnboardingInfo {
	plan := reflectObjectAs[onboardingInfoModel](ctx, planObj, diags)
	prior := reflectObjectAs[onboardingInfoModel](ctx, priorObj, diags)
	return nilIfEmpty(&coze.OnboardingInfo{
		Prologue:           pick(plan.Prologue, prior.Prologue, types.String.ValueString, &resetEmptyString),
		SuggestedQuestions: reflectPickList(ctx, plan.SuggestedQuestions, prior.SuggestedQuestions, sameString, diags),
	})
}

func reflectKnowledge(ctx context.Context, planObj, priorObj types.Object, diags *diag.Diagnostics) *coze.Knowledge {
	plan := reflectObjectAs[knowledgeModel](ctx, planObj, diags)
	prior := reflectObjectAs[knowledgeModel](ctx, priorObj, diags)
	return nilIfEmpty(&coze.Knowledge{
		DatasetIDs:     reflectPickList(ctx, plan.DatasetIDs, prior.DatasetIDs, sameString, diags),
		AutoCall:       pick(plan.AutoCall, prior.AutoCall, types.Bool.ValueBool, &resetAutoCall),
		SearchStrategy: pick(plan.SearchStrategy, prior.SearchStrategy, types.Int64.ValueInt64, &resetSearchStrategy),
	})
}

func reflectPluginIDList(ctx context.Context, planObj, priorObj types.Object, diags *diag.Diagnostics) *coze.PluginIDList {
	plan := reflectObjectAs[pluginIDListModel](ctx, planObj, diags)
	prior := reflectObjectAs[pluginIDListModel](ctx, priorObj, diags)
	return nilIfEmpty(&coze.PluginIDList{
		IDList: reflectPickList(ctx, plan.IDList, prior.IDList, func(m pluginIDInfoModel) coze.PluginIDInfo {
			return coze.PluginIDInfo{PluginID: m.PluginID.ValueString(), APIID: m.APIID.ValueString()}
		}, diags),
	})
}

func reflectWorkflowIDList(ctx context.Context, planObj, priorObj types.Object, diags *diag.Diagnostics) *coze.WorkflowIDList {
	plan := reflectObjectAs[workflowIDListModel](ctx, planObj, diags)
	prior := reflectObjectAs[workflowIDListModel](ctx, priorObj, diags)
	return nilIfEmpty(&coze.WorkflowIDList{
		IDs: reflectPickList(ctx, plan.IDs, prior.IDs, func(m workflowIDInfoModel) coze.WorkflowIDInfo {
			return coze.WorkflowIDInfo{ID: m.ID.ValueString()}
		}, diags),
	})
}

func reflectModelInfoConfig(ctx context.Context, planObj, priorObj types.Object, diags *diag.Diagnostics) *coze.ModelInfoConfig {
	if planObj.IsNull() || planObj.IsUnknown() {
		return nil
	}
	plan := reflectObjectAs[modelInfoConfigModel](ctx, planObj, diags)
	prior := reflectObjectAs[modelInfoConfigModel](ctx, priorObj, diags)
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

func reflectSuggestReplyInfo(ctx context.Context, planObj, priorObj types.Object, diags *diag.Diagnostics) *coze.SuggestReplyInfo {
	plan := reflectObjectAs[suggestReplyInfoModel](ctx, planObj, diags)
	prior := reflectObjectAs[suggestReplyInfoModel](ctx, priorObj, diags)
	leftMode := plan.ReplyMode
	if leftMode.IsNull() {
		leftMode = prior.ReplyMode
	}
	var resetPrompt *string
	if !leftMode.IsNull() && !leftMode.IsUnknown() && leftMode.ValueString() != "customized" {
		resetPrompt = &resetEmptyString
	}
	return nilIfEmpty(&coze.SuggestReplyInfo{
		ReplyMode:        pick(plan.ReplyMode, prior.ReplyMode, types.String.ValueString, nil),
		CustomizedPrompt: pick(plan.CustomizedPrompt, prior.CustomizedPrompt, types.String.ValueString, resetPrompt),
	})
}

package provider

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

var ctx = context.Background()

func mustObject(t *testing.T, model any, names ...string) types.Object {
	t.Helper()
	obj, diags := types.ObjectValueFrom(ctx, nestedAttrTypes(names...), model)
	if diags.HasError() {
		t.Fatalf("building %v: %v", names, diags)
	}
	return obj
}

// toObject turns a whole model into the object value the provider works on.
func toObject(t testing.TB, m *botConfigModel) types.Object {
	t.Helper()
	if m == nil {
		return types.ObjectNull(botConfigSchemaWithTimeoutsTypes())
	}
	obj, diags := types.ObjectValueFrom(ctx, botConfigSchemaWithTimeoutsTypes(), m)
	if diags.HasError() {
		t.Fatalf("model to object: %v", diags)
	}
	return obj
}

func strList(t *testing.T, values ...string) types.List {
	t.Helper()
	if values == nil {
		values = []string{} // a nil slice would make a null list
	}
	l, d := types.ListValueFrom(ctx, types.StringType, values)
	if d.HasError() {
		t.Fatal(d)
	}
	return l
}

func emptyModel(botID string) botConfigModel {
	m := botConfigModel{
		ID: types.StringValue(botID), BotID: types.StringValue(botID),
		PromptInfo:       types.ObjectNull(nestedAttrTypes("prompt_info")),
		OnboardingInfo:   types.ObjectNull(nestedAttrTypes("onboarding_info")),
		Knowledge:        types.ObjectNull(nestedAttrTypes("knowledge")),
		PluginIDList:     types.ObjectNull(nestedAttrTypes("plugin_id_list")),
		WorkflowIDList:   types.ObjectNull(nestedAttrTypes("workflow_id_list")),
		ModelInfoConfig:  types.ObjectNull(nestedAttrTypes("model_info_config")),
		SuggestReplyInfo: types.ObjectNull(nestedAttrTypes("suggest_reply_info")),
	}
	m.Timeouts.Object = types.ObjectNull(timeoutsAttrTypes)
	return m
}

func expandJSON(t *testing.T, plan, prior *botConfigModel) string {
	t.Helper()
	req, diags := expandUpdateBotRequest(toObject(t, plan), toObject(t, prior))
	if diags.HasError() {
		t.Fatal(diags)
	}
	b, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func assertSameJSON(t *testing.T, got, want string) {
	t.Helper()
	g, err1 := decodeJSON([]byte(got))
	w, err2 := decodeJSON([]byte(want))
	if err1 != nil || err2 != nil {
		t.Fatalf("bad JSON: %v %v", err1, err2)
	}
	if !jsonEqual(g, w) {
		t.Errorf("JSON differs\n got: %s\nwant: %s", got, want)
	}
}

func fullModel(t *testing.T) botConfigModel {
	m := emptyModel("7342866800001")
	m.Name = types.StringValue("每日学一菜")
	m.Description = types.StringValue("")
	m.IconFileID = types.StringValue("7369495981100")
	m.PromptInfo = mustObject(t, promptInfoModel{
		Prompt: types.StringNull(), PromptMode: types.StringValue("prefix"),
		PrefixPromptInfo: mustObject(t, prefixPromptInfoModel{PrefixPrompt: types.StringValue("rules"), DynamicPrompt: types.StringValue("")}, "prompt_info", "prefix_prompt_info"),
	}, "prompt_info")
	m.OnboardingInfo = mustObject(t, onboardingInfoModel{Prologue: types.StringValue("hi"), SuggestedQuestions: strList(t)}, "onboarding_info")
	m.Knowledge = mustObject(t, knowledgeModel{DatasetIDs: strList(t, "1", "2"), AutoCall: types.BoolValue(false), SearchStrategy: types.Int64Value(0)}, "knowledge")
	plugins, _ := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: nestedAttrTypes("plugin_id_list", "id_list")},
		[]pluginIDInfoModel{{PluginID: types.StringValue("11"), APIID: types.StringValue("12")}})
	m.PluginIDList = mustObject(t, pluginIDListModel{IDList: plugins}, "plugin_id_list")
	workflows, _ := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: nestedAttrTypes("workflow_id_list", "ids")},
		[]workflowIDInfoModel{{ID: types.StringValue("21")}})
	m.WorkflowIDList = mustObject(t, workflowIDListModel{IDs: workflows}, "workflow_id_list")
	params, err := jsonToDynamic(json.RawMessage(`{"thinking_type":"disabled","caching":{"type":"enabled"},"store":true,"caching_expire_time":259200,"x_custom":[1,"a"]}`))
	if err != nil {
		t.Fatal(err)
	}
	m.ModelInfoConfig = mustObject(t, modelInfoConfigModel{
		ModelID: types.StringValue("1706077826"), TopK: types.Int64Value(0), TopP: types.Float64Value(0.7), MaxTokens: types.Int64Value(4096),
		Temperature: types.Float64Value(0), SpAntiLeak: types.BoolValue(false), ContextRound: types.Int64Value(30),
		ResponseFormat: types.StringValue("markdown"), SpCurrentTime: types.BoolValue(true), PresencePenalty: types.Float64Value(-0.5),
		FrequencyPenalty: types.Float64Value(0), CacheType: types.StringValue("prefix"), APIMode: types.StringValue("responses_api"),
		Parameters: params,
	}, "model_info_config")
	m.SuggestReplyInfo = mustObject(t, suggestReplyInfoModel{ReplyMode: types.StringValue("customized"), CustomizedPrompt: types.StringValue("ask more")}, "suggest_reply_info")
	return m
}

func TestExpandSendsEveryConfiguredValueIncludingZeroes(t *testing.T) {
	m := fullModel(t)
	assertSameJSON(t, expandJSON(t, &m, nil), `{
		"bot_id":"7342866800001","name":"每日学一菜","description":"","icon_file_id":"7369495981100",
		"prompt_info":{"prompt_mode":"prefix","prefix_prompt_info":{"prefix_prompt":"rules","dynamic_prompt":""}},
		"onboarding_info":{"prologue":"hi","suggested_questions":[]},
		"knowledge":{"dataset_ids":["1","2"],"auto_call":false,"search_strategy":0},
		"plugin_id_list":{"id_list":[{"plugin_id":"11","api_id":"12"}]},
		"workflow_id_list":{"ids":[{"id":"21"}]},
		"model_info_config":{"model_id":"1706077826","top_k":0,"top_p":0.7,"max_tokens":4096,"temperature":0,"sp_anti_leak":false,
			"context_round":30,"response_format":"markdown","sp_current_time":true,"presence_penalty":-0.5,"frequency_penalty":0,
			"cache_type":"prefix","api_mode":"responses_api",
			"parameters":{"thinking_type":"disabled","caching":{"type":"enabled"},"store":true,"caching_expire_time":259200,"x_custom":[1,"a"]}},
		"suggest_reply_info":{"reply_mode":"customized","customized_prompt":"ask more"}}`)
}

func TestExpandSendsNothingTheUserDidNotSet(t *testing.T) {
	m := emptyModel("42")
	m.Name = types.StringValue("n")
	assertSameJSON(t, expandJSON(t, &m, nil), `{"bot_id":"42","name":"n"}`)
}

func TestExpandResetsRemovedAttributes(t *testing.T) {
	prior := fullModel(t)
	plan := emptyModel("7342866800001")
	// Everything removed: clearable values are cleared, enums with a
	// documented default go back to it, the rest stops being managed.
	// reply_mode has no documented default, and the bot stays in customized
	// mode, which needs its prompt: suggest_reply_info sends nothing.
	assertSameJSON(t, expandJSON(t, &plan, &prior), `{
		"bot_id":"7342866800001","description":"",
		"prompt_info":{"prompt_mode":"standard","prefix_prompt_info":{"prefix_prompt":"","dynamic_prompt":""}},
		"onboarding_info":{"prologue":"","suggested_questions":[]},
		"knowledge":{"dataset_ids":[],"auto_call":true,"search_strategy":0},
		"plugin_id_list":{"id_list":[]},
		"workflow_id_list":{"ids":[]}}`)

	// Leaves removed inside a model_info_config that stays.
	plan.ModelInfoConfig = mustObject(t, modelInfoConfigModel{ModelID: types.StringValue("1706077826")}, "model_info_config")
	got := expandJSON(t, &plan, &prior)
	var body struct {
		ModelInfoConfig json.RawMessage `json:"model_info_config"`
	}
	_ = json.Unmarshal([]byte(got), &body)
	assertSameJSON(t, string(body.ModelInfoConfig),
		`{"model_id":"1706077826","sp_anti_leak":false,"sp_current_time":false,"cache_type":"closed","api_mode":"chat_api"}`)
}

// Removing reply_mode sends nothing (no documented default); removing
// customized_prompt clears it only when the bot is known to be left in a
// mode other than customized, which needs a prompt.
func TestExpandSuggestReplyInfoRemoval(t *testing.T) {
	suggest := func(mode, prompt types.String) types.Object {
		return mustObject(t, suggestReplyInfoModel{ReplyMode: mode, CustomizedPrompt: prompt}, "suggest_reply_info")
	}
	null, unknown, s := types.StringNull(), types.StringUnknown(), types.StringValue
	cases := []struct {
		name        string
		prior, plan types.Object
		want        string
	}{
		{"mode removed, prompt kept", suggest(s("enable"), s("ask")), suggest(null, s("ask")), `{"customized_prompt":"ask"}`},
		{"both removed, left enabled", suggest(s("enable"), s("ask")), suggest(null, null), `{"customized_prompt":""}`},
		{"whole object removed, left disabled", suggest(s("disable"), s("ask")), nullObject("suggest_reply_info"), `{"customized_prompt":""}`},
		{"prompt removed, mode set to enable", suggest(s("customized"), s("ask")), suggest(s("enable"), null), `{"reply_mode":"enable","customized_prompt":""}`},
		{"prompt removed, mode stays customized", suggest(s("customized"), s("ask")), suggest(s("customized"), null), `{"reply_mode":"customized"}`},
		{"both removed, left customized", suggest(s("customized"), s("ask")), nullObject("suggest_reply_info"), ``},
		{"prompt removed, mode never managed", suggest(null, s("ask")), suggest(null, null), ``},
		{"prompt removed, mode unknown", suggest(s("enable"), s("ask")), suggest(unknown, null), ``},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := expandSuggestReplyInfo(attrsOf(c.plan), attrsOf(c.prior))
			raw := ""
			if got != nil {
				b, err := json.Marshal(got)
				if err != nil {
					t.Fatal(err)
				}
				raw = string(b)
			}
			if c.want == "" || raw == "" {
				if raw != c.want {
					t.Fatalf("suggest_reply_info sent %q, want %q (\"\" is nothing)", raw, c.want)
				}
				return
			}
			assertSameJSON(t, raw, c.want)
		})
	}
}

func TestFlattenKeepsEmptyAndAbsentApart(t *testing.T) {
	var bot coze.Bot
	raw := `{"bot_id":"42","name":"n","description":"","prompt_info":{"prompt":""},
		"onboarding_info":{"Prologue":"hi"},"knowledge":{"knowledge_infos":[]},
		"plugin_info_list":[{"plugin_id":"1","api_info_list":[{"api_id":"2"},{"api_id":"3"}]}],
		"model_info":{"model_id":"m","top_p":1,"parameters":{}},"suggest_reply_info":{"reply_mode":"disable","customized_prompt":""}}`
	if err := json.Unmarshal([]byte(raw), &bot); err != nil {
		t.Fatal(err)
	}
	m, diags := flattenBot(&bot)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if d := get[types.String](m, "description"); d.IsNull() || d.ValueString() != "" {
		t.Errorf("description = %v, want empty string", d)
	}
	if !m["workflow_id_list"].IsNull() {
		t.Errorf("absent workflow list must be null, got %v", m["workflow_id_list"])
	}
	onboarding := attrsOf(m["onboarding_info"])
	if stringOf(onboarding["prologue"]) != "hi" || !onboarding["suggested_questions"].IsNull() {
		t.Errorf("onboarding = %v", onboarding)
	}
	if plugins := get[types.List](attrsOf(m["plugin_id_list"]), "id_list"); len(plugins.Elements()) != 2 {
		t.Errorf("plugins flattened to %v, want one item per tool", plugins)
	}
	modelInfo := attrsOf(m["model_info_config"])
	if !modelInfo["parameters"].IsNull() || !modelInfo["sp_anti_leak"].IsNull() || !modelInfo["top_k"].IsNull() ||
		get[types.Float64](modelInfo, "top_p").ValueFloat64() != 1 {
		t.Errorf("model info = %v", modelInfo)
	}
}

func refreshModels(t *testing.T, prior, remote botConfigModel) botConfigModel {
	t.Helper()
	attrTypes := botConfigSchemaWithTimeoutsTypes()
	p, d1 := types.ObjectValueFrom(ctx, attrTypes, prior)
	r, d2 := types.ObjectValueFrom(ctx, attrTypes, remote)
	if d1.HasError() || d2.HasError() {
		t.Fatal(d1, d2)
	}
	merged := refreshValue(path.Empty(), p, r).(types.Object)
	var out botConfigModel
	if d := merged.As(ctx, &out, basetypesObjectAsOptions); d.HasError() {
		t.Fatal(d)
	}
	return out
}

func TestRefreshManagesOnlyConfiguredAttributes(t *testing.T) {
	prior := emptyModel("42")
	prior.Name = types.StringValue("old")
	prior.Knowledge = mustObject(t, knowledgeModel{DatasetIDs: strList(t, "2", "1"), AutoCall: types.BoolValue(false)}, "knowledge")

	remote := emptyModel("42")
	remote.Name = types.StringValue("changed in the UI")
	remote.Description = types.StringValue("not managed")
	remote.Knowledge = mustObject(t, knowledgeModel{DatasetIDs: strList(t, "1", "2")}, "knowledge")
	remote.SuggestReplyInfo = mustObject(t, suggestReplyInfoModel{ReplyMode: types.StringValue("disable"), CustomizedPrompt: types.StringValue("")}, "suggest_reply_info")

	got := refreshModels(t, prior, remote)
	if got.Name.ValueString() != "changed in the UI" {
		t.Errorf("name drift lost: %v", got.Name)
	}
	if !got.Description.IsNull() || !got.SuggestReplyInfo.IsNull() {
		t.Errorf("unmanaged attributes adopted: description %v, suggest_reply_info %v", got.Description, got.SuggestReplyInfo)
	}
	if !got.Knowledge.Equal(prior.Knowledge) {
		t.Errorf("reordered datasets or the write-only auto_call changed the state: %v", got.Knowledge)
	}

	remote.Knowledge = mustObject(t, knowledgeModel{DatasetIDs: strList(t, "1", "3")}, "knowledge")
	got = refreshModels(t, prior, remote)
	k := attrsOf(got.Knowledge)
	if !k["dataset_ids"].Equal(strList(t, "1", "3")) || get[types.Bool](k, "auto_call").ValueBool() {
		t.Errorf("dataset drift = %v, auto_call = %v", k["dataset_ids"], k["auto_call"])
	}
}

func TestRefreshPluginStoreToolIDZero(t *testing.T) {
	objType := types.ObjectType{AttrTypes: nestedAttrTypes("plugin_id_list", "id_list")}
	list := func(apiID string) attr.Value {
		l, _ := types.ListValueFrom(ctx, objType, []pluginIDInfoModel{{PluginID: types.StringValue("1"), APIID: types.StringValue(apiID)}})
		return l
	}
	rule := refreshRules["plugin_id_list.id_list"]
	if got := rule(list("5"), list("0")); !got.Equal(list("5")) {
		t.Errorf("api_id 0 from a store plugin became drift: %v", got)
	}
	if got := rule(list("5"), list("6")); !got.Equal(list("6")) {
		t.Errorf("a different tool was not drift: %v", got)
	}
}

func TestRefreshParametersComparesOnlyConfiguredKeys(t *testing.T) {
	prior, _ := jsonToDynamic(json.RawMessage(`{"thinking_type":"disabled","caching":{"type":"enabled"},"caching_expire_time":3600}`))
	extra, _ := jsonToDynamic(json.RawMessage(`{"thinking_type":"disabled","caching":{"type":"enabled","extra":1},"caching_expire_time":3600.0,"added":true}`))
	if got := refreshParameters(prior, extra); !got.Equal(prior) {
		t.Errorf("keys added by the API became drift: %v", got)
	}
	changed, _ := jsonToDynamic(json.RawMessage(`{"thinking_type":"enabled","caching":{"type":"enabled"},"caching_expire_time":3600}`))
	got := refreshParameters(prior, changed)
	raw, err := dynamicToJSON(got.(types.Dynamic))
	if err != nil {
		t.Fatal(err)
	}
	assertSameJSON(t, string(raw), `{"thinking_type":"enabled","caching":{"type":"enabled"},"caching_expire_time":3600}`)
}

func TestImportViewDropsEmptiesAndDefaults(t *testing.T) {
	remote := emptyModel("42")
	remote.Name = types.StringValue("n")
	remote.Description = types.StringValue("")
	remote.PromptInfo = mustObject(t, promptInfoModel{Prompt: types.StringValue(""), PromptMode: types.StringValue("standard"),
		PrefixPromptInfo: types.ObjectNull(nestedAttrTypes("prompt_info", "prefix_prompt_info"))}, "prompt_info")
	remote.SuggestReplyInfo = mustObject(t, suggestReplyInfoModel{ReplyMode: types.StringValue("disable"), CustomizedPrompt: types.StringValue("")}, "suggest_reply_info")
	remote.Knowledge = mustObject(t, knowledgeModel{DatasetIDs: strList(t)}, "knowledge")
	obj, _ := types.ObjectValueFrom(ctx, botConfigSchemaWithTimeoutsTypes(), remote)
	var got botConfigModel
	if d := importView(path.Empty(), obj).(types.Object).As(ctx, &got, basetypesObjectAsOptions); d.HasError() {
		t.Fatal(d)
	}
	if got.Name.ValueString() != "n" || got.BotID.ValueString() != "42" {
		t.Errorf("import lost values: %+v", got)
	}
	if !got.Description.IsNull() || !got.PromptInfo.IsNull() || !got.SuggestReplyInfo.IsNull() || !got.Knowledge.IsNull() {
		t.Errorf("import kept empties or defaults: %+v", got)
	}
}

func TestDynamicJSONNumbersAreExact(t *testing.T) {
	v, err := jsonToDynamic(json.RawMessage(`{"a":0.7,"b":259200,"c":1e-7,"d":12345678901234567890}`))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := dynamicToJSON(v)
	if err != nil {
		t.Fatal(err)
	}
	if string(raw) != `{"a":0.7,"b":259200,"c":1e-07,"d":12345678901234567890}` {
		t.Errorf("round trip = %s", raw)
	}
	if _, err := dynamicToJSON(types.DynamicUnknown()); err == nil {
		t.Error("unknown value encoded")
	}
}

var basetypesObjectAsOptions = basetypes.ObjectAsOptions{}

func botConfigSchemaWithTimeoutsTypes() map[string]attr.Type {
	return (&botConfigResource{}).schemaWithTimeouts(ctx).Type().(types.ObjectType).AttrTypes
}

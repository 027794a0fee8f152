package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

// words matches a phrase in Terraform's output, which wraps long lines.
func words(phrase string) *regexp.Regexp {
	parts := strings.Fields(phrase)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile(strings.Join(parts, `\s+`))
}

func ids(n int) string {
	quoted := make([]string, n)
	for i := range quoted {
		quoted[i] = fmt.Sprintf("%q", fmt.Sprint(7385093717923000+i))
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// Every documented limit, enum and cross-field rule fails at plan time with
// an error naming the attribute and the limit, and nothing reaches the API.
func TestAccBotConfig_validationRulesFailAtPlanTime(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID)
	han21 := strings.Repeat("菜", 21)
	cases := []struct {
		name, attrs, want string
	}{
		{"empty name", `name = ""`, "Attribute name UTF-8 character count must be between 1 and 20, got: 0"},
		{"21-character name", fmt.Sprintf("name = %q", han21), "Attribute name UTF-8 character count must be between 1 and 20, got: 21"},
		{"description", fmt.Sprintf("description = %q", strings.Repeat("描", 501)), "Attribute description UTF-8 character count must be at most 500, got: 501"},
		{"prompt", fmt.Sprintf("prompt_info = { prompt = %q }", strings.Repeat("p", 20001)), "Attribute prompt_info.prompt UTF-8 character count must be at most 20000, got: 20001"},
		{"prologue", fmt.Sprintf("onboarding_info = { prologue = %q }", strings.Repeat("开", 301)), "Attribute onboarding_info.prologue UTF-8 character count must be at most 300, got: 301"},
		{"suggested question", fmt.Sprintf("onboarding_info = { suggested_questions = [\"ok\", %q] }", strings.Repeat("问", 51)),
			"Attribute onboarding_info.suggested_questions[1] UTF-8 character count must be at most 50, got: 51"},
		{"too many datasets", "knowledge = { dataset_ids = " + ids(151) + " }", "Attribute knowledge.dataset_ids list must contain at most 150 elements, got: 151"},
		{"duplicate dataset", `knowledge = { dataset_ids = ["1", "1"] }`, "duplicate values"},
		{"search_strategy", "knowledge = { search_strategy = 2 }", `Attribute knowledge.search_strategy value must be one of: ["0" "1" "20"], got: 2`},
		{"prompt_mode", `prompt_info = { prompt_mode = "cached" }`, `Attribute prompt_info.prompt_mode value must be one of: ["standard" "prefix"], got: "cached"`},
		{"response_format", `model_info_config = { model_id = "1", response_format = "html" }`, `Attribute model_info_config.response_format value must be one of: ["text" "markdown" "json"]`},
		{"cache_type", `model_info_config = { model_id = "1", cache_type = "on" }`, `Attribute model_info_config.cache_type value must be one of: ["closed" "prefix"]`},
		{"api_mode", `model_info_config = { model_id = "1", api_mode = "grpc" }`, `Attribute model_info_config.api_mode value must be one of: ["chat_api" "responses_api"]`},
		{"reply_mode", `suggest_reply_info = { reply_mode = "on" }`, `Attribute suggest_reply_info.reply_mode value must be one of: ["enable" "disable" "customized"]`},
		{"thinking_type", `model_info_config = { model_id = "1", parameters = { thinking_type = "deep" } }`, `Attribute model_info_config.parameters.thinking_type must be one of ["enabled", "disabled", "auto"], got: "deep"`},
		{"caching.type", `model_info_config = { model_id = "1", parameters = { caching = { type = "on" } } }`, `Attribute model_info_config.parameters.caching.type must be one of ["enabled", "disabled"]`},
		{"caching not an object", `model_info_config = { model_id = "1", parameters = { caching = "on" } }`,
			`Attribute model_info_config.parameters.caching must be an object such as { type = "enabled" }, or a string holding one in JSON such as "{\"type\":\"enabled\"}", got: "on"`},
		{"caching string of an array", `model_info_config = { model_id = "1", parameters = { caching = "[1]" } }`, `Attribute model_info_config.parameters.caching must be an object`},
		{"caching string of a bad type", `model_info_config = { model_id = "1", parameters = { caching = "{\"type\":\"on\"}" } }`,
			`Attribute model_info_config.parameters.caching.type must be one of ["enabled", "disabled"], got: "on"`},
		{"caching_expire_time", `model_info_config = { model_id = "1", parameters = { caching_expire_time = 259201 } }`,
			`Attribute model_info_config.parameters.caching_expire_time must be a whole number of seconds from 0 to 259200 (the documented maximum), or a string holding one such as "3600", got: 259201`},
		{"caching_expire_time string above the maximum", `model_info_config = { model_id = "1", parameters = { caching_expire_time = "259201" } }`,
			`Attribute model_info_config.parameters.caching_expire_time must be a whole number of seconds from 0 to 259200 (the documented maximum), or a string holding one such as "3600", got: "259201"`},
		{"caching_expire_time negative", `model_info_config = { model_id = "1", parameters = { caching_expire_time = -1 } }`, "caching_expire_time must be a whole number of seconds from 0 to 259200"},
		{"caching_expire_time fraction", `model_info_config = { model_id = "1", parameters = { caching_expire_time = "1.5" } }`, `caching_expire_time must be a whole number of seconds from 0 to 259200 (the documented maximum), or a string holding one such as "3600", got: "1.5"`},
		{"caching_expire_time words", `model_info_config = { model_id = "1", parameters = { caching_expire_time = "an hour" } }`, `got: "an hour"`},
		{"store", `model_info_config = { model_id = "1", parameters = { store = "yes" } }`, `Attribute model_info_config.parameters.store must be true or false, or the string "true" or "false", got: "yes"`},
		{"store number", `model_info_config = { model_id = "1", parameters = { store = 1 } }`, `Attribute model_info_config.parameters.store must be true or false, or the string "true" or "false", got: 1`},
		{"parameters not an object", `model_info_config = { model_id = "1", parameters = "thinking" }`, "Attribute model_info_config.parameters must be an object"},
		{"top_p", `model_info_config = { model_id = "1", top_p = 1.5 }`, "Attribute model_info_config.top_p value must be between 0.000000 and 1.000000, got: 1.500000"},
		{"top_k", `model_info_config = { model_id = "1", top_k = -1 }`, "Attribute model_info_config.top_k value must be at least 0, got: -1"},
		{"max_tokens", `model_info_config = { model_id = "1", max_tokens = 0 }`, "Attribute model_info_config.max_tokens value must be at least 1, got: 0"},
		{"temperature", `model_info_config = { model_id = "1", temperature = -0.1 }`, "Attribute model_info_config.temperature value must be at least 0.000000"},
		{"context_round", `model_info_config = { model_id = "1", context_round = -1 }`, "Attribute model_info_config.context_round value must be at least 0"},
		{"model_id required", `model_info_config = { temperature = 1 }`, `attribute "model_id" is required`},
		{"plugin api_id required", `plugin_id_list = { id_list = [{ plugin_id = "1" }] }`, `attribute "api_id" is required`},
		{"plugin_id required", `plugin_id_list = { id_list = [{ api_id = "1" }] }`, `attribute "plugin_id" is required`},
		{"workflow id required", `workflow_id_list = { ids = [{}] }`, `attribute "id" is required`},
		{"duplicate workflow", `workflow_id_list = { ids = [{ id = "1" }, { id = "1" }] }`, "duplicate values"},
		{"duplicate plugin tool", `plugin_id_list = { id_list = [{ plugin_id = "1", api_id = "2" }, { plugin_id = "1", api_id = "2" }] }`, "duplicate values"},
		{"dataset id digits", `knowledge = { dataset_ids = ["k1"] }`, "Attribute knowledge.dataset_ids[0] must be a decimal id"},
		{"plugin_id digits", `plugin_id_list = { id_list = [{ plugin_id = "p", api_id = "1" }] }`, "Attribute plugin_id_list.id_list[0].plugin_id must be a decimal id"},
		{"api_id digits", `plugin_id_list = { id_list = [{ plugin_id = "1", api_id = "a" }] }`, "Attribute plugin_id_list.id_list[0].api_id must be a decimal id"},
		{"workflow id digits", `workflow_id_list = { ids = [{ id = "w" }] }`, "Attribute workflow_id_list.ids[0].id must be a decimal id"},
		{"model_id digits", `model_info_config = { model_id = "doubao" }`, "Attribute model_info_config.model_id must be a decimal id"},
		{"icon_file_id digits", `icon_file_id = "icon.png"`, "Attribute icon_file_id must be a decimal id"},
		{"customized needs a non-empty prompt", `suggest_reply_info = { reply_mode = "customized", customized_prompt = "" }`,
			`Attribute suggest_reply_info.customized_prompt must be a non-empty prompt when suggest_reply_info.reply_mode is "customized", got: ""`},
		{"no prompt in prefix mode", `prompt_info = { prompt_mode = "prefix", prompt = "x" }`,
			`Attribute prompt_info.prompt cannot be set when prompt_info.prompt_mode is "prefix"`},
		{"cache_type prefix needs prefix mode", `
  prompt_info = { prompt_mode = "standard" }
  model_info_config = { model_id = "1", cache_type = "prefix" }`,
			`Attribute prompt_info.prompt_mode must be "prefix" when model_info_config.cache_type is "prefix"`},
		{"caching enabled needs prefix mode", `
  prompt_info = { prompt_mode = "standard" }
  model_info_config = { model_id = "1", api_mode = "responses_api", parameters = { caching = { type = "enabled" } } }`,
			`Attribute prompt_info.prompt_mode must be "prefix" when model_info_config.parameters.caching.type is "enabled", with the prompt in prompt_info.prefix_prompt_info, got: "standard"`},
		{"caching enabled as a JSON string needs prefix mode", `
  prompt_info = { prompt_mode = "standard" }
  model_info_config = { model_id = "1", api_mode = "responses_api", parameters = { caching = "{\"type\":\"enabled\"}" } }`,
			`Attribute prompt_info.prompt_mode must be "prefix" when model_info_config.parameters.caching.type is "enabled"`},
		{"thinking with plugins", `
  plugin_id_list = { id_list = [{ plugin_id = "1", api_id = "2" }] }
  model_info_config = { model_id = "1", parameters = { thinking_type = "enabled" } }`,
			`Attribute model_info_config.parameters.thinking_type cannot be "enabled" while plugin_id_list.id_list binds 1 item(s)`},
		{"thinking with workflows", `
  workflow_id_list = { ids = [{ id = "1" }] }
  model_info_config = { model_id = "1", parameters = { thinking_type = "enabled" } }`,
			`Attribute model_info_config.parameters.thinking_type cannot be "enabled" while workflow_id_list.ids binds 1 item(s)`},
	}
	steps := make([]resource.TestStep, 0, len(cases)+1)
	for _, tc := range cases {
		steps = append(steps, resource.TestStep{
			Config: env.config(fmt.Sprintf(`
# %s
resource "coze_bot_config" "v" {
  bot_id = "7342866800001"
  %s
}`, tc.name, tc.attrs)),
			PlanOnly:    true,
			ExpectError: words(tc.want),
		})
	}
	steps = append(steps, resource.TestStep{
		Config:      env.config(`resource "coze_bot_config" "v" { bot_id = "bot-1" }`),
		PlanOnly:    true,
		ExpectError: words("Attribute bot_id must be a decimal id"),
	})
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, Steps: steps})
	if got := env.mock.Requests(); len(got) != 0 {
		t.Errorf("invalid configurations reached the API: %d requests, first %s %s", len(got), got[0].Method, got[0].Path)
	}
}

// The limits count characters, not bytes, and the values at each limit are
// accepted by the plan and by the (independently validating) mock API.
func TestAccBotConfig_valuesAtTheLimitsAreAccepted(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID)
	cfg := env.config(fmt.Sprintf(`
resource "coze_bot_config" "max" {
  bot_id      = "7342866800001"
  name        = %q
  description = %q
  prompt_info = { prompt = %q }
  onboarding_info = { prologue = %q, suggested_questions = [%q, ""] }
  knowledge = { dataset_ids = %s, search_strategy = 20 }
  model_info_config = {
    model_id = "1706077826", top_p = 1, top_k = 0, temperature = 0
    parameters = { caching_expire_time = 259200, store = true, vendor_extension = { nested = [1, "two"] } }
  }
  suggest_reply_info = { reply_mode = "customized", customized_prompt = "问得更深一些" }
}`, strings.Repeat("菜", 20), strings.Repeat("描", 500), strings.Repeat("人", 20000), strings.Repeat("开", 300), strings.Repeat("问", 50), ids(150)))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg,
			Check: resource.ComposeAggregateTestCheckFunc(
				env.checkUpdates(1),
				env.checkDraft(botID, "name", fmt.Sprintf("%q", strings.Repeat("菜", 20))),
				env.checkDraft(botID, "model_info_config.parameters", `{"caching_expire_time":259200,"store":true,"vendor_extension":{"nested":[1,"two"]}}`),
			),
		}},
	})
}

// Validators skip values that are unknown until apply; the API gets the
// final values.
func TestAccBotConfig_unknownValuesPassValidation(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID)
	cfg := env.config(`
resource "terraform_data" "later" {
  input = { name = "late name", mode = "customized", thinking = "disabled", datasets = ["41", "42"] }
}
resource "coze_bot_config" "u" {
  bot_id             = "7342866800001"
  name               = terraform_data.later.output.name
  knowledge          = { dataset_ids = terraform_data.later.output.datasets }
  suggest_reply_info = { reply_mode = terraform_data.later.output.mode, customized_prompt = terraform_data.later.output.name }
  plugin_id_list     = { id_list = [{ plugin_id = "1", api_id = "2" }] }
  model_info_config  = { model_id = "1706077826", parameters = { thinking_type = terraform_data.later.output.thinking } }
}`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg,
			Check: resource.ComposeAggregateTestCheckFunc(
				env.checkDraft(botID, "name", `"late name"`),
				env.checkDraft(botID, "knowledge.dataset_ids", `["41","42"]`),
				env.checkDraft(botID, "suggest_reply_info", `{"reply_mode":"customized","customized_prompt":"late name"}`),
				env.checkDraft(botID, "model_info_config.parameters", `{"thinking_type":"disabled"}`),
			),
		}},
	})
}

// rawValue reads what the cross-field rules need from a raw configuration,
// with null and unknown parents, and parameters given as an object or a map.
func TestRawValueNavigation(t *testing.T) {
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	paramsAsMap := tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{"thinking_type": str("enabled")})
	modelType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"parameters": tftypes.DynamicPseudoType}}
	listType := tftypes.List{ElementType: tftypes.String}
	rootType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"model_info_config":  modelType,
		"prompt_info":        tftypes.Object{AttributeTypes: map[string]tftypes.Type{"prompt": tftypes.String}},
		"suggest_reply_info": tftypes.Object{AttributeTypes: map[string]tftypes.Type{"reply_mode": tftypes.String}},
		"ids":                listType,
	}}
	root := rawValue{tftypes.NewValue(rootType, map[string]tftypes.Value{
		"model_info_config":  tftypes.NewValue(modelType, map[string]tftypes.Value{"parameters": paramsAsMap}),
		"prompt_info":        tftypes.NewValue(rootType.AttributeTypes["prompt_info"], nil),
		"suggest_reply_info": tftypes.NewValue(rootType.AttributeTypes["suggest_reply_info"], tftypes.UnknownValue),
		"ids":                tftypes.NewValue(listType, []tftypes.Value{str("a"), str("b")}),
	})}

	if got := root.at("model_info_config", "parameters", "thinking_type").str(); got != "enabled" {
		t.Errorf("a key of parameters given as a map: got %q, want \"enabled\"", got)
	}
	if v := root.at("model_info_config", "parameters", "caching", "type"); !v.IsNull() || v.str() != "" {
		t.Errorf("an absent key reads as null, got %v", v)
	}
	if v := root.at("prompt_info", "prompt"); !v.IsNull() {
		t.Errorf("under a null parent a value is null, got %v", v)
	}
	if v := root.at("suggest_reply_info", "reply_mode"); v.IsKnown() || v.str() != "" {
		t.Errorf("under an unknown parent a value is unknown, got %v", v)
	}
	if n := root.at("ids").length(); n != 2 {
		t.Errorf("list length: got %d, want 2", n)
	}
	if n := root.at("prompt_info", "prompt").length(); n != 0 {
		t.Errorf("a null value has length 0, got %d", n)
	}
}

// A cross-field rule fires only when every value it involves is set and
// known: an attribute left out of the configuration is not managed (here the
// prompt and the suggestion prompt are edited in the Coze UI), so it is
// neither "standard" nor "". The API, which sees the whole bot, accepts these.
func TestAccBotConfig_crossFieldRulesSkipUnmanagedAttributes(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID)
	env.mock.EditDraft(botID, func(d map[string]any) {
		d["prompt_info"] = map[string]any{"prompt_mode": "prefix", "prefix_prompt_info": map[string]any{"prefix_prompt": "set in the UI"}}
		d["suggest_reply_info"] = map[string]any{"customized_prompt": "set in the UI"}
	})
	cases := []string{
		`model_info_config = { model_id = "1706077826", cache_type = "prefix" }`,
		`model_info_config = { model_id = "1706077826", api_mode = "responses_api", parameters = { caching = { type = "enabled" }, store = true } }`,
		`
  prompt_info       = { prefix_prompt_info = { prefix_prompt = "rules" } }
  model_info_config = { model_id = "1706077826", api_mode = "responses_api", parameters = { caching = "{\"type\":\"enabled\"}" } }`,
		`suggest_reply_info = { reply_mode = "customized" }`,
	}
	steps := make([]resource.TestStep, 0, len(cases))
	for i, attrs := range cases {
		steps = append(steps, resource.TestStep{
			Config: env.config(fmt.Sprintf(`
resource "coze_bot_config" "u" {
  bot_id = "7342866800001"
  %s
}`, attrs)),
			Check: env.checkUpdates(i + 1),
		})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, Steps: steps})
	draft, _ := env.mock.Draft(botID)
	if got := draft["suggest_reply_info"]; fmt.Sprint(got) != "map[customized_prompt:set in the UI reply_mode:customized]" {
		t.Errorf("suggest_reply_info = %v, want customized with the prompt set in the UI", got)
	}
}

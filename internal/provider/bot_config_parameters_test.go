package provider

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

// model_info_config.parameters in both typings: the docs' (bool, number,
// object) and the spec's and SDKs' (a map of strings).

func TestRefreshJSONComparesParametersByMeaning(t *testing.T) {
	cases := []struct {
		name, prior, remote string
		same                bool
		want                string // the merged value on drift
	}{
		{"bool and its string", `true`, `"true"`, true, ``},
		{"string and its bool", `"false"`, `false`, true, ``},
		{"number and its string", `3600`, `"3600"`, true, ``},
		{"string and its number", `"3600"`, `3600.0`, true, ``},
		{"object and its JSON string", `{"type":"enabled"}`, `"{\"type\":\"enabled\"}"`, true, ``},
		{"JSON string and its object, keys in another order", `"{\"a\":1,\"b\":\"x\"}"`, `{"b":"x","a":1}`, true, ``},
		{"two JSON strings spelled differently", `"{\"a\": 1}"`, `"{\"a\":1}"`, true, ``},
		{"keys the API adds are not managed", `{"type":"enabled"}`, `"{\"type\":\"enabled\",\"ttl\":5}"`, true, ``},
		{"nested unknown key in string form", `{"nested":[1,"two"]}`, `"{\"nested\":[1,\"two\"]}"`, true, ``},
		{"absent in the answer", `true`, `null`, true, ``},

		{"bool drift keeps the bool typing", `true`, `"false"`, false, `false`},
		{"number drift keeps the number typing", `3600`, `"7200"`, false, `7200`},
		{"string drift keeps the string typing", `"true"`, `false`, false, `"false"`},
		{"string number drift", `"3600"`, `7200`, false, `"7200"`},
		{"object drift keeps the object typing", `{"type":"enabled"}`, `"{\"type\":\"disabled\"}"`, false, `{"type":"disabled"}`},
		{"JSON string drift keeps the string typing", `"{\"type\":\"enabled\"}"`, `{"type":"disabled","ttl":5}`, false, `"{\"type\":\"disabled\"}"`},
		{"not a bool", `true`, `"yes"`, false, `"yes"`},
		{"another type altogether", `{"type":"enabled"}`, `"enabled"`, false, `"enabled"`},
		{"array length", `[1,2]`, `"[1]"`, false, `[1]`},
		{"plain strings", `"disabled"`, `"enabled"`, false, `"enabled"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			prior, err1 := decodeJSON([]byte(c.prior))
			remote, err2 := decodeJSON([]byte(c.remote))
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			merged, same := refreshJSON(prior, remote)
			if same != c.same {
				t.Fatalf("same = %v, want %v (merged %v)", same, c.same, merged)
			}
			if same {
				if raw, _ := json.Marshal(merged); string(raw) != mustCompact(t, c.prior) {
					t.Errorf("an answer equal in meaning changed the state's form: %s, want %s", raw, c.prior)
				}
				return
			}
			want, _ := decodeJSON([]byte(c.want))
			if !jsonEqual(merged, want) {
				raw, _ := json.Marshal(merged)
				t.Errorf("drift merged as %s, want %s", raw, c.want)
			}
		})
	}
}

func mustCompact(t *testing.T, s string) string {
	t.Helper()
	v, err := decodeJSON([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(v)
	return string(raw)
}

// The refresh rule on whole values: a typed configuration against an answer
// in strings is not a change, and the state keeps the user's form.
func TestRefreshParametersKeepsTheStatesTyping(t *testing.T) {
	typed, _ := jsonToDynamic(json.RawMessage(`{"thinking_type":"disabled","store":true,"caching_expire_time":3600,"caching":{"type":"enabled"}}`))
	strs, _ := jsonToDynamic(json.RawMessage(`{"thinking_type":"disabled","store":"true","caching_expire_time":"3600","caching":"{\"type\":\"enabled\"}","added":"x"}`))
	if got := refreshParameters(typed, strs); !got.Equal(typed) {
		t.Errorf("typed state against a string answer: got %v, want the state unchanged", got)
	}
	if got := refreshParameters(strs, typed); !got.Equal(strs) {
		t.Errorf("string state against a typed answer: got %v, want the state unchanged", got)
	}
	drifted, _ := jsonToDynamic(json.RawMessage(`{"thinking_type":"disabled","store":"false","caching_expire_time":"3600","caching":"{\"type\":\"enabled\"}"}`))
	got := refreshParameters(typed, drifted)
	raw, err := dynamicToJSON(got.(types.Dynamic))
	if err != nil {
		t.Fatal(err)
	}
	assertSameJSON(t, string(raw), `{"thinking_type":"disabled","store":false,"caching_expire_time":3600,"caching":{"type":"enabled"}}`)
}

const responsesAPIBot = `
resource "coze_bot_config" "p" {
  bot_id      = "7342866800001"
  prompt_info = { prompt_mode = "prefix", prefix_prompt_info = { prefix_prompt = "rules" } }
  model_info_config = {
    model_id   = "1706077826"
    api_mode   = "responses_api"
    parameters = %s
  }
}`

const typedParameters = `{
      thinking_type       = "disabled"
      store               = true
      caching_expire_time = 3600
      caching             = { type = "enabled" }
      vendor_extension    = { nested = [1, "two"] }
    }`

const stringParameters = `{
      thinking_type       = "disabled"
      store               = "true"
      caching_expire_time = "3600"
      caching             = "{\"type\":\"enabled\"}"
      vendor_extension    = "{\"nested\":[1,\"two\"]}"
    }`

// Against an API that answers parameters as strings (as the spec and both
// SDKs type them), a typed configuration stays plan-empty; the string form
// validates, is sent as written and stays plan-empty too; a change of
// meaning made in the Coze UI is drift, and the next apply reverts it.
func TestAccBotConfig_parametersInBothTypings(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{ParametersAsStrings: true}, botID)
	typed := env.config(strings.Replace(responsesAPIBot, "%s", typedParameters, 1))
	asStrings := env.config(strings.Replace(responsesAPIBot, "%s", stringParameters, 1))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: typed,
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkUpdates(1),
					env.checkDraft(botID, "model_info_config.parameters",
						`{"thinking_type":"disabled","store":true,"caching_expire_time":3600,"caching":{"type":"enabled"},"vendor_extension":{"nested":[1,"two"]}}`),
				),
			},
			{Config: typed, PlanOnly: true}, // no perpetual diff against the string answer
			{
				Config: asStrings,
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkUpdates(2),
					env.checkDraft(botID, "model_info_config.parameters",
						`{"thinking_type":"disabled","store":"true","caching_expire_time":"3600","caching":"{\"type\":\"enabled\"}","vendor_extension":"{\"nested\":[1,\"two\"]}"}`),
				),
			},
			{Config: asStrings, PlanOnly: true},
			{
				// Changed in the Coze UI, in the docs' typing: a change of meaning.
				PreConfig: func() {
					env.mock.EditDraft(botID, func(d map[string]any) {
						d["model_info_config"].(map[string]any)["parameters"].(map[string]any)["store"] = false
					})
				},
				Config: asStrings,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("coze_bot_config.p", plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkUpdates(3),
					env.checkDraft(botID, "model_info_config.parameters.store", `"true"`),
				),
			},
		},
	})
}

// The same against an API that answers in the docs' typing.
func TestAccBotConfig_stringParametersAgainstATypedAPI(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID)
	asStrings := env.config(strings.Replace(responsesAPIBot, "%s", stringParameters, 1))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: asStrings,
				Check:  env.checkDraft(botID, "model_info_config.parameters.caching_expire_time", `"3600"`),
			},
			{
				// The API normalised the values to their typed form: same meaning.
				PreConfig: func() {
					env.mock.EditDraft(botID, func(d map[string]any) {
						d["model_info_config"].(map[string]any)["parameters"] = map[string]any{
							"thinking_type": "disabled", "store": true, "caching_expire_time": 3600,
							"caching": map[string]any{"type": "enabled"}, "vendor_extension": map[string]any{"nested": []any{1, "two"}},
						}
					})
				},
				Config:   asStrings,
				PlanOnly: true,
			},
		},
	})
}

// The validator on its own: both typings of each documented key, the limits
// (0 to 259200, no invented minimum), and errors that name the value.
func TestModelParametersValidatorAcceptsBothTypings(t *testing.T) {
	validate := func(raw string) diag.Diagnostics {
		t.Helper()
		v, err := jsonToDynamic(json.RawMessage(raw))
		if err != nil {
			t.Fatal(err)
		}
		resp := &validator.DynamicResponse{}
		modelParametersValidator{}.ValidateDynamic(ctx, validator.DynamicRequest{Path: pathParameters, ConfigValue: v}, resp)
		return resp.Diagnostics
	}
	for _, ok := range []string{
		`{"store":true}`, `{"store":"false"}`,
		`{"caching_expire_time":0}`, `{"caching_expire_time":"0"}`, `{"caching_expire_time":259200}`, `{"caching_expire_time":"259200"}`, `{"caching_expire_time":3600.0}`,
		`{"caching":{"type":"enabled"}}`, `{"caching":"{\"type\":\"disabled\"}"}`, `{"caching":{}}`, `{"caching":"{\"ttl\":5}"}`,
		`{"thinking_type":"auto"}`, `{"vendor":"anything","other":{"a":[1]}}`,
	} {
		if d := validate(ok); d.HasError() {
			t.Errorf("%s rejected: %v", ok, d)
		}
	}
	for bad, want := range map[string]string{
		`{"store":"yes"}`:                  `store must be true or false, or the string "true" or "false", got: "yes"`,
		`{"store":"TRUE"}`:                 `got: "TRUE"`,
		`{"store":0}`:                      `got: 0`,
		`{"caching_expire_time":-1}`:       `caching_expire_time must be a whole number of seconds from 0 to 259200`,
		`{"caching_expire_time":"259201"}`: `got: "259201"`,
		`{"caching_expire_time":"1e3"}`:    `got: "1e3"`,
		`{"caching_expire_time":"3600.0"}`: `got: "3600.0"`,
		`{"caching_expire_time":" 60"}`:    `got: " 60"`,
		`{"caching_expire_time":true}`:     `got: true`,
		`{"caching":"enabled"}`:            `caching must be an object such as { type = "enabled" }, or a string holding one in JSON`,
		`{"caching":"{\"type\":\"on\"}"}`:  `caching.type must be one of ["enabled", "disabled"], got: "on"`,
		`{"caching":{"type":1}}`:           `caching.type must be one of ["enabled", "disabled"], got: 1`,
		`{"thinking_type":true}`:           `thinking_type must be one of ["enabled", "disabled", "auto"], got: true`,
	} {
		if d := validate(bad); !d.HasError() || !strings.Contains(d[0].Detail(), "Attribute model_info_config.parameters.") || !strings.Contains(d[0].Detail(), want) {
			t.Errorf("%s: got %v, want an error containing %q", bad, d, want)
		}
	}
}

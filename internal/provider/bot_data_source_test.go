package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

// uiSettings is what a user sets in the Coze UI and only retrieve shows,
// in the documented shape; the draft of a mock bot takes it through
// EditDraft.
func uiSettings(draft map[string]any) {
	draft["folder_id"] = "7523161255335420"
	draft["default_user_input_type"] = "call"
	draft["variables"] = []any{map[string]any{"keyword": "name", "channel": "custom", "description": "user name",
		"default_value": "guest", "enable": true, "prompt_enable": false}}
	draft["shortcut_commands"] = []any{map[string]any{"id": "7457010833525570", "name": "News", "command": "/news",
		"description": "today's news", "query_template": "search today's news", "icon_url": "https://example.com/sc.png",
		"agent_id": "7457051342671440", "tool": map[string]any{"name": "Toutiao", "type": "plugin"},
		"components": []any{map[string]any{"name": "query", "description": "keyword", "type": "text", "tool_parameter": "query",
			"default_value": "AI", "is_hide": true, "options": []any{"AI", "sports"}}}}}
	draft["voice_info_list"] = []any{map[string]any{"voice_id": "7468512265134800000", "language_code": "zh"}}
	draft["media_config"] = map[string]any{"is_voice_call_closed": true}
	draft["background_image_info"] = map[string]any{
		"web_background_image": map[string]any{"image_url": "https://example.com/bg.jpg", "origin_image_url": "https://example.com/o.jpg",
			"theme_color": "#FFFFFF", "canvas_position": map[string]any{"top": 100, "left": 50, "width": 300, "height": 200.5},
			"gradient_position": map[string]any{"left": 0, "right": 800}},
		"mobile_background_image": map[string]any{"image_url": "", "theme_color": "", "canvas_position": map[string]any{}, "gradient_position": map[string]any{}},
	}
	draft["prompt_info"] = map[string]any{"prompt_mode": "prefix", "prefix_prompt_info": map[string]any{"prefix_prompt": "rules", "dynamic_prompt": "today"}}
	draft["suggest_reply_info"] = map[string]any{"reply_mode": "customized", "customized_prompt": "ask about orders"}
	draft["plugin_id_list"] = map[string]any{"id_list": []any{map[string]any{"plugin_id": "21", "api_id": "22"}}}
	draft["workflow_id_list"] = map[string]any{"ids": []any{map[string]any{"id": "31"}}}
}

// modelSettings puts model settings in a draft, with parameters typed (the
// doc's reading) or as strings (the spec's and the SDKs' reading).
func modelSettings(typedParameters bool) func(map[string]any) {
	parameters := map[string]any{"thinking_type": "disabled", "store": true, "caching_expire_time": 3600,
		"caching": map[string]any{"type": "enabled", "mode": "prefix"}}
	if !typedParameters {
		parameters = map[string]any{"thinking_type": "disabled", "store": "true", "caching_expire_time": "3600",
			"caching": `{ "mode": "prefix", "type": "enabled" }`}
	}
	return func(draft map[string]any) {
		draft["model_info_config"] = map[string]any{"model_id": "1737521813", "top_k": 50, "top_p": 0.9, "temperature": 0.7,
			"max_tokens": 2048, "context_round": 10, "response_format": "markdown", "presence_penalty": 0.5,
			"frequency_penalty": -0.5, "api_mode": "responses_api", "parameters": parameters}
	}
}

func TestAccBotDataSource_everyDocumentedField(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID, "7342866800002")
	env.mock.EditDraft(botID, uiSettings)
	env.mock.EditDraft(botID, modelSettings(true))
	env.mock.EditDraft("7342866800002", modelSettings(false))
	at := func(name string, steps ...any) tfjsonpath.Path {
		p := tfjsonpath.New(name)
		for _, s := range steps {
			switch v := s.(type) {
			case string:
				p = p.AtMapKey(v)
			case int:
				p = p.AtSliceIndex(v)
			}
		}
		return p
	}
	check := func(value knownvalue.Check, path ...any) statecheck.StateCheck {
		return statecheck.ExpectKnownValue("data.coze_bot.b", at(path[0].(string), path[1:]...), value)
	}
	str, num, yes := knownvalue.StringExact, knownvalue.Float64Exact, knownvalue.Bool(true)
	wantParameters := knownvalue.MapExact(map[string]knownvalue.Check{
		"thinking_type": str("disabled"), "store": str("true"), "caching_expire_time": str("3600"),
		"caching": str(`{"mode":"prefix","type":"enabled"}`),
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.config(`
data "coze_bot" "b" {
  bot_id       = "7342866800001"
  is_published = false
}
data "coze_bot" "strings" {
  bot_id       = "7342866800002"
  is_published = false
}`),
			ConfigStateChecks: []statecheck.StateCheck{
				check(str("7523161255335420"), "folder_id"),
				check(str("3290203001"), "owner_user_id"),
				check(str("call"), "default_user_input_type"),
				check(str("prefix"), "prompt_info", "prompt_mode"),
				check(str("rules"), "prompt_info", "prefix_prompt_info", "prefix_prompt"),
				check(str("today"), "prompt_info", "prefix_prompt_info", "dynamic_prompt"),
				check(knownvalue.Int64Exact(50), "model_info", "top_k"),
				check(num(0.9), "model_info", "top_p"),
				check(knownvalue.Int64Exact(2048), "model_info", "max_tokens"),
				check(knownvalue.Int64Exact(10), "model_info", "context_round"),
				check(str("markdown"), "model_info", "response_format"),
				check(num(0.5), "model_info", "presence_penalty"),
				check(num(-0.5), "model_info", "frequency_penalty"),
				check(str("responses_api"), "model_info", "api_mode"),
				check(str("Doubao-Mock"), "model_info", "model_name"),
				check(wantParameters, "model_info", "parameters"),
				statecheck.ExpectKnownValue("data.coze_bot.strings", at("model_info", "parameters"), wantParameters),
				check(str("customized"), "suggest_reply_info", "reply_mode"),
				check(str("ask about orders"), "suggest_reply_info", "customized_prompt"),
				check(knownvalue.StringRegexp(regexpMust(`^https://lf-coze-mock\.example/plugin_icon/21\.png\?`)), "plugin_info_list", 0, "icon_url"),
				check(str("Mock tool 22"), "plugin_info_list", 0, "api_info_list", 0, "description"),
				check(knownvalue.StringRegexp(regexpMust(`^https://lf-coze-mock\.example/workflow_icon/31\.png\?`)), "workflow_info_list", 0, "icon_url"),
				check(knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
					"keyword": str("name"), "channel": str("custom"), "description": str("user name"), "default_value": str("guest"),
					"enable": yes, "prompt_enable": knownvalue.Bool(false),
				})}), "variables"),
				check(str("/news"), "shortcut_commands", 0, "command"),
				check(str("search today's news"), "shortcut_commands", 0, "query_template"),
				check(str("7457051342671440"), "shortcut_commands", 0, "agent_id"),
				check(str("plugin"), "shortcut_commands", 0, "tool", "type"),
				check(yes, "shortcut_commands", 0, "components", 0, "is_hide"),
				check(knownvalue.ListExact([]knownvalue.Check{str("AI"), str("sports")}), "shortcut_commands", 0, "components", 0, "options"),
				check(str("zh"), "voice_info_list", 0, "language_code"),
				check(yes, "media_config", "is_voice_call_closed"),
				check(str("#FFFFFF"), "background_image_info", "web_background_image", "theme_color"),
				check(str("https://example.com/o.jpg"), "background_image_info", "web_background_image", "origin_image_url"),
				check(num(200.5), "background_image_info", "web_background_image", "canvas_position", "height"),
				check(num(800), "background_image_info", "web_background_image", "gradient_position", "right"),
				// Left out by the API: null attributes of a set object, not an error.
				check(knownvalue.Null(), "background_image_info", "mobile_background_image", "origin_image_url"),
				check(knownvalue.Null(), "background_image_info", "mobile_background_image", "canvas_position", "top"),
				check(knownvalue.ListSizeExact(0), "knowledge", "knowledge_infos"),
			},
		}},
	})
}

// A read-only detail of an unexpected shape is left empty with a warning;
// the data source still reads everything else.
func TestAccBotDataSource_unexpectedShapeOfADetailIsNotFatal(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID)
	env.mock.EditDraft(botID, func(d map[string]any) {
		d["name"] = "still read"
		d["variables"] = map[string]any{"keyword": "not a list"}
		d["media_config"] = "closed"
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.config(`data "coze_bot" "b" {
  bot_id       = "7342866800001"
  is_published = false
}`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.coze_bot.b", tfjsonpath.New("name"), knownvalue.StringExact("still read")),
				statecheck.ExpectKnownValue("data.coze_bot.b", tfjsonpath.New("variables"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue("data.coze_bot.b", tfjsonpath.New("media_config").AtMapKey("is_voice_call_closed"), knownvalue.Null()),
			},
		}},
	})
}

// coze_bots reads pages until one comes back short or empty, whatever
// total says: here total is, as the doc defines it, the number of bots on
// the page (20 for a full page).
func TestAccBotsDataSource_pagesUntilAShortPageWhateverTotalSays(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{ListTotalCountsPage: true})
	for i := range 45 {
		env.mock.AddBotInSpace(fmt.Sprint(7342866820000+i), "7341000000000045")
	}
	for i := range 40 {
		env.mock.AddBotInSpace(fmt.Sprint(7342866830000+i), "7341000000000040")
	}
	pagesOf := func(workspace string) []string {
		var pages []string
		for _, r := range env.mock.RequestsTo("GET", "/v1/bots") {
			if q, _ := url.ParseQuery(r.RawQuery); q.Get("workspace_id") == workspace {
				pages = append(pages, q.Get("page_num"))
			}
		}
		sort.Strings(pages)
		return slices.Compact(pages)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.config(`
data "coze_bots" "b45" {
  workspace_id   = "7341000000000045"
  publish_status = "all"
}
data "coze_bots" "b40" {
  workspace_id   = "7341000000000040"
  publish_status = "all"
}`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.coze_bots.b45", tfjsonpath.New("bots"), knownvalue.ListSizeExact(45)),
				statecheck.ExpectKnownValue("data.coze_bots.b45", tfjsonpath.New("total"), knownvalue.Int64Exact(45)),
				statecheck.ExpectKnownValue("data.coze_bots.b40", tfjsonpath.New("bots"), knownvalue.ListSizeExact(40)),
				statecheck.ExpectKnownValue("data.coze_bots.b40", tfjsonpath.New("total"), knownvalue.Int64Exact(40)),
			},
			Check: func(*terraform.State) error {
				// 40 bots fill two pages: only an empty third page says the list ended.
				for workspace, want := range map[string][]string{"7341000000000045": {"1", "2", "3"}, "7341000000000040": {"1", "2", "3"}} {
					if got := pagesOf(workspace); !slices.Equal(got, want) {
						return fmt.Errorf("workspace %s: read pages %v, want %v", workspace, got, want)
					}
				}
				return nil
			},
		}},
	})
}

// Every field of the mock's retrieve answer (the documented shape, every
// UI setting filled in) is an attribute of the data source under the same
// path, and every attribute is a field of the answer.
func TestBotDataSourceSchemaCoversTheRetrieveAnswer(t *testing.T) {
	mock := mockcoze.New(mockcoze.Options{Token: testToken})
	mock.AddBot(botID)
	mock.EditDraft(botID, uiSettings)
	mock.EditDraft(botID, modelSettings(true))
	mock.EditDraft(botID, func(d map[string]any) { // what uiSettings leaves empty
		d["knowledge"] = map[string]any{"dataset_ids": []any{"11"}}
		d["onboarding_info"] = map[string]any{"prologue": "hi", "suggested_questions": []any{"q"}}
		background := d["background_image_info"].(map[string]any)
		background["mobile_background_image"] = background["web_background_image"]
	})
	srv := httptest.NewServer(mock)
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/bots/"+botID+"?is_published=false", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var envelope struct {
		Data map[string]any `json:"data"`
	}
	if err := json.Unmarshal(raw, &envelope); err != nil || envelope.Data == nil {
		t.Fatalf("retrieve answer: %v %s", err, raw)
	}
	answer := map[string]bool{}
	jsonKeyPaths("", envelope.Data, answer)

	resp := &datasource.SchemaResponse{}
	NewBotDataSource().Schema(context.Background(), datasource.SchemaRequest{}, resp)
	attributes := map[string]bool{}
	schemaPaths("", resp.Schema.Attributes, attributes)
	delete(attributes, "is_published")

	for p := range answer {
		if !attributes[p] {
			t.Errorf("the retrieve answer has %s, the data source has no such attribute", p)
		}
	}
	for p := range attributes {
		if !answer[p] {
			t.Errorf("the data source has %s, the retrieve answer has no such field", p)
		}
	}
}

// jsonKeyPaths records the paths of every key; list elements add "[]",
// and the open map model_info.parameters stops there.
func jsonKeyPaths(prefix string, v any, out map[string]bool) {
	switch val := v.(type) {
	case map[string]any:
		for key, child := range val {
			p := joinAttrPath(prefix, key)
			out[p] = true
			if p != "model_info.parameters" {
				jsonKeyPaths(p, child, out)
			}
		}
	case []any:
		for _, elem := range val {
			jsonKeyPaths(prefix+"[]", elem, out)
		}
	}
}

func schemaPaths(prefix string, attrs map[string]dsschema.Attribute, out map[string]bool) {
	for name, a := range attrs {
		p := joinAttrPath(prefix, name)
		out[p] = true
		switch v := a.(type) {
		case dsschema.SingleNestedAttribute:
			schemaPaths(p, v.Attributes, out)
		case dsschema.ListNestedAttribute:
			schemaPaths(p+"[]", v.NestedObject.Attributes, out)
		}
	}
}

func joinAttrPath(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

func TestParametersReadTheSameUnderBothTypings(t *testing.T) {
	typed, err := parametersAsStrings(json.RawMessage(`{"store":true,"caching_expire_time":3600,"caching":{"type":"enabled","mode":"prefix"},"ratio":0.25,"list":[1,"a"]}`))
	if err != nil {
		t.Fatal(err)
	}
	strings, err := parametersAsStrings(json.RawMessage(`{"store":"true","caching_expire_time":"3600","caching":"{\"mode\": \"prefix\", \"type\": \"enabled\"}","ratio":"0.25","list":"[1, \"a\"]"}`))
	if err != nil {
		t.Fatal(err)
	}
	if !typed.Equal(strings) {
		t.Errorf("typed %v != strings %v", typed, strings)
	}
	want := map[string]string{"store": "true", "caching_expire_time": "3600", "caching": `{"mode":"prefix","type":"enabled"}`, "ratio": "0.25", "list": `[1,"a"]`}
	got := map[string]string{}
	typed.ElementsAs(context.Background(), &got, false)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	for _, empty := range []string{``, `null`, `{}`} {
		if m, err := parametersAsStrings(json.RawMessage(empty)); err != nil || !m.IsNull() {
			t.Errorf("%q: %v %v, want a null map", empty, m, err)
		}
	}
	if _, err := parametersAsStrings(json.RawMessage(`"thinking"`)); err == nil {
		t.Error("a string for parameters must be an error")
	}
}

func regexpMust(re string) *regexp.Regexp { return regexp.MustCompile(re) }

package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

const botID = "7342866800001"

func TestAccBotConfig_docExampleSendsTheDocRequest(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, "7342866800000")
	hcl, err := os.ReadFile("testdata/doc_update_request.tf")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/doc_update_request.json")
	if err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.config(string(hcl)),
			Check: resource.ComposeAggregateTestCheckFunc(
				env.checkUpdates(1),
				func(*terraform.State) error {
					got, _ := decodeJSON(env.updates()[0].Body)
					wantDecoded, _ := decodeJSON(want)
					if !jsonEqual(got, wantDecoded) {
						return fmt.Errorf("request body differs from the doc example\n got: %s\nwant: %s", env.updates()[0].Body, want)
					}
					return nil
				},
			),
		}},
	})
}

const chefConfig = `
resource "coze_bot_config" "chef" {
  bot_id      = "7342866800001"
  name        = "每日学一菜"
  description = "每天教你一道菜的做法"
  prompt_info = { prompt = "你是一位经验丰富的中餐大厨……" }
  onboarding_info = {
    prologue            = "欢迎你，学徒，今天想学一道什么样的菜？"
    suggested_questions = ["川菜，我想吃辣的", "随机教我一道菜"]
  }
  knowledge         = { dataset_ids = ["7385093717923410", "7385093717923409"], auto_call = true, search_strategy = 1 }
  plugin_id_list    = { id_list = [{ plugin_id = "7311989349275530", api_id = "7350575366173620" }] }
  workflow_id_list  = { ids = [{ id = "7460491086110370" }] }
  model_info_config = { model_id = "1706077826", temperature = 0.7, parameters = { thinking_type = "disabled" } }
  suggest_reply_info = { reply_mode = "enable" }
}
`

func TestAccBotConfig_createThenNoOpPlan(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.config(chefConfig),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("coze_bot_config.chef", tfjsonpath.New("id"), knownvalue.StringExact(botID)),
					statecheck.ExpectKnownValue("coze_bot_config.chef", tfjsonpath.New("name"), knownvalue.StringExact("每日学一菜")),
					statecheck.ExpectKnownValue("coze_bot_config.chef", tfjsonpath.New("knowledge").AtMapKey("dataset_ids"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("7385093717923410"), knownvalue.StringExact("7385093717923409")})),
					statecheck.ExpectKnownValue("coze_bot_config.chef", tfjsonpath.New("model_info_config").AtMapKey("parameters"),
						knownvalue.ObjectExact(map[string]knownvalue.Check{"thinking_type": knownvalue.StringExact("disabled")})),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkUpdates(1),
					env.checkDraft(botID, "model_info_config", `{"model_id":"1706077826","temperature":0.7,"parameters":{"thinking_type":"disabled"}}`),
					env.checkDraft(botID, "suggest_reply_info", `{"reply_mode":"enable"}`),
					checkNoToken,
				),
			},
			{
				// Refresh reads the draft back: the API re-sorts the datasets and
				// fills defaults (top_p, reply_mode, ...), and none of it is a change.
				Config:   env.config(chefConfig),
				PlanOnly: true,
			},
		},
	})
}

func TestAccBotConfig_updateInPlace(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID, "7342866800002")
	v1 := `
resource "coze_bot_config" "b" {
  bot_id = "7342866800001"
  name   = "first"
  model_info_config = { model_id = "1706077826", top_p = 0.5 }
}`
	v2 := `
resource "coze_bot_config" "b" {
  bot_id      = "7342866800001"
  name        = "second"
  description = "added"
  model_info_config = { model_id = "1706077826", top_p = 0.9, sp_anti_leak = true, parameters = { thinking_type = "auto", caching_expire_time = 3600 } }
}`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: env.config(v1), Check: env.checkUpdates(1)},
			{
				Config: env.config(v2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_bot_config.b", plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkUpdates(2),
					env.checkDraft(botID, "name", `"second"`),
					env.checkDraft(botID, "description", `"added"`),
					env.checkDraft(botID, "model_info_config", `{"model_id":"1706077826","top_p":0.9,"sp_anti_leak":true,"parameters":{"thinking_type":"auto","caching_expire_time":3600}}`),
				),
			},
			{
				// Another bot is another resource: bot_id forces replacement.
				Config: env.config(strings.Replace(v2, "7342866800001", "7342866800002", 1)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_bot_config.b", plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("coze_bot_config.b", tfjsonpath.New("id"), knownvalue.StringExact("7342866800002")),
				},
				Check: env.checkDraft("7342866800002", "name", `"second"`),
			},
		},
	})
}

func TestAccBotConfig_removingAttributesClearsWhatTheAPICan(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID)
	full := `
resource "coze_bot_config" "b" {
  bot_id      = "7342866800001"
  name        = "keeper"
  description = "to be cleared"
  onboarding_info    = { prologue = "hi", suggested_questions = ["q1"] }
  knowledge          = { dataset_ids = ["1"], auto_call = false }
  workflow_id_list   = { ids = [{ id = "2" }] }
  suggest_reply_info = { reply_mode = "customized", customized_prompt = "ask" }
  model_info_config  = { model_id = "1706077826", sp_current_time = true, temperature = 0.3 }
}`
	trimmed := `
resource "coze_bot_config" "b" {
  bot_id = "7342866800001"
  model_info_config = { model_id = "1706077826" }
}`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: env.config(full)},
			{
				Config: env.config(trimmed),
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkDraft(botID, "name", `"keeper"`), // cannot be cleared: no longer managed
					env.checkDraft(botID, "description", `""`),
					env.checkDraft(botID, "onboarding_info", `{"prologue":"","suggested_questions":[]}`),
					env.checkDraft(botID, "knowledge", `{"dataset_ids":[],"auto_call":true}`), // search_strategy was never set
					env.checkDraft(botID, "workflow_id_list", `{"ids":[]}`),
					// no documented default: the bot keeps its mode, and its prompt, which that mode needs
					env.checkDraft(botID, "suggest_reply_info", `{"reply_mode":"customized","customized_prompt":"ask"}`),
					env.checkDraft(botID, "model_info_config.sp_current_time", `false`),
					env.checkDraft(botID, "model_info_config.temperature", `0.3`), // no documented default: left alone
				),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("coze_bot_config.b", tfjsonpath.New("name"), knownvalue.Null()),
					statecheck.ExpectKnownValue("coze_bot_config.b", tfjsonpath.New("knowledge"), knownvalue.Null()),
				},
			},
			{Config: env.config(trimmed), PlanOnly: true},
		},
	})
}

func TestAccBotConfig_driftFromTheCozeUI(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID)
	cfg := env.config(`
resource "coze_bot_config" "b" {
  bot_id      = "7342866800001"
  name        = "managed"
  prompt_info = { prompt = "be nice" }
  onboarding_info = { suggested_questions = ["a", "b"] }
  knowledge   = { dataset_ids = ["11", "12"] }
  plugin_id_list = { id_list = [{ plugin_id = "21", api_id = "22" }] }
  workflow_id_list = { ids = [{ id = "31" }] }
  model_info_config = { model_id = "1706077826", top_k = 5, parameters = { thinking_type = "disabled" } }
  suggest_reply_info = { reply_mode = "enable" }
}`)
	steps := []resource.TestStep{
		{Config: cfg},
		{
			// A change to something the configuration does not manage is not drift.
			PreConfig: func() {
				env.mock.EditDraft(botID, func(d map[string]any) { d["description"] = "set in the UI" })
			},
			Config:   cfg,
			PlanOnly: true,
		},
	}
	// Each managed field changed out of band is drift: the plan updates the
	// bot and the apply puts the configured value back.
	drifts := map[string]struct {
		path, configured string
		edit             func(d map[string]any)
	}{
		"name":      {"name", `"managed"`, func(d map[string]any) { d["name"] = "renamed in the UI" }},
		"prompt":    {"prompt_info.prompt", `"be nice"`, func(d map[string]any) { d["prompt_info"] = map[string]any{"prompt": ""} }},
		"questions": {"onboarding_info.suggested_questions", `["a","b"]`, func(d map[string]any) { d["onboarding_info"] = map[string]any{"suggested_questions": []any{"b", "a"}} }},
		"datasets":  {"knowledge.dataset_ids", `["11","12"]`, func(d map[string]any) { d["knowledge"] = map[string]any{"dataset_ids": []any{"11"}} }},
		"plugins": {"plugin_id_list.id_list", `[{"plugin_id":"21","api_id":"22"}]`, func(d map[string]any) {
			d["plugin_id_list"] = map[string]any{"id_list": []any{map[string]any{"plugin_id": "21", "api_id": "23"}}}
		}},
		"workflows": {"workflow_id_list.ids", `[{"id":"31"}]`, func(d map[string]any) { d["workflow_id_list"] = map[string]any{"ids": []any{}} }},
		"top_k":     {"model_info_config.top_k", `5`, func(d map[string]any) { d["model_info_config"].(map[string]any)["top_k"] = 6 }},
		"parameters": {"model_info_config.parameters", `{"thinking_type":"disabled"}`, func(d map[string]any) {
			d["model_info_config"].(map[string]any)["parameters"] = map[string]any{"thinking_type": "auto"}
		}},
		"reply_mode": {"suggest_reply_info.reply_mode", `"enable"`, func(d map[string]any) { d["suggest_reply_info"] = map[string]any{"reply_mode": "disable"} }},
	}
	for name, drift := range drifts {
		steps = append(steps, resource.TestStep{
			PreConfig: func() { env.mock.EditDraft(botID, drift.edit) },
			Config:    cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("coze_bot_config.b", plancheck.ResourceActionUpdate),
			}},
			Check: resource.ComposeAggregateTestCheckFunc(
				env.checkDraft(botID, drift.path, drift.configured),
				env.checkDraft(botID, "description", `"set in the UI"`),
				func(*terraform.State) error { t.Logf("drift of %s detected and corrected", name); return nil },
			),
		})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, Steps: steps})
}

// suggest_reply_info.reply_mode has no documented default: removing it sends
// nothing and the bot keeps its mode. customized_prompt, a text, is cleared on
// removal when the bot is left in another mode, and left alone while the bot
// stays in customized mode, which needs a prompt.
func TestAccBotConfig_removingReplyModeKeepsTheBotsMode(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID)
	cfg := func(suggest string) string {
		return env.config(fmt.Sprintf(`
resource "coze_bot_config" "s" {
  bot_id = "7342866800001"
  name   = "suggester"
  %s
}`, suggest))
	}
	lastSuggest := func(want string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			updates := env.updates()
			var body struct {
				SuggestReplyInfo json.RawMessage `json:"suggest_reply_info"`
			}
			if err := json.Unmarshal(updates[len(updates)-1].Body, &body); err != nil {
				return err
			}
			if got := string(body.SuggestReplyInfo); got != want {
				return fmt.Errorf("the last update sent suggest_reply_info %s, want %s", got, want)
			}
			return nil
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg(`suggest_reply_info = { reply_mode = "enable", customized_prompt = "ask" }`)},
			{
				Config: cfg(``),
				Check: resource.ComposeAggregateTestCheckFunc(
					lastSuggest(`{"customized_prompt":""}`),
					env.checkDraft(botID, "suggest_reply_info", `{"reply_mode":"enable","customized_prompt":""}`),
				),
			},
			{Config: cfg(`suggest_reply_info = { reply_mode = "customized", customized_prompt = "ask" }`)},
			{
				Config: cfg(`suggest_reply_info = { reply_mode = "customized" }`),
				Check: resource.ComposeAggregateTestCheckFunc(
					lastSuggest(`{"reply_mode":"customized"}`),
					env.checkDraft(botID, "suggest_reply_info", `{"reply_mode":"customized","customized_prompt":"ask"}`),
				),
			},
			{
				Config: cfg(``),
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkUpdates(5),
					lastSuggest(``),
					env.checkDraft(botID, "suggest_reply_info", `{"reply_mode":"customized","customized_prompt":"ask"}`),
				),
			},
			{Config: cfg(``), PlanOnly: true},
		},
	})
}

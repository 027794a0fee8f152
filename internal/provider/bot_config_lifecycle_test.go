package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

// A config that sets every attribute the retrieve endpoint returns, plus
// the write-only ones, so that import can be compared with create.
const everyFieldConfig = `
resource "coze_bot_config" "all" {
  bot_id       = "7342866800001"
  name         = "全字段"
  description  = "every field"
  icon_file_id = "7369495981100"
  prompt_info = {
    prompt_mode        = "prefix"
    prefix_prompt_info = { prefix_prompt = "fixed rules", dynamic_prompt = "today" }
  }
  onboarding_info = { prologue = "你好 {{user_name}}", suggested_questions = ["a", "b"] }
  knowledge       = { dataset_ids = ["11", "12"], auto_call = false, search_strategy = 20 }
  plugin_id_list  = { id_list = [{ plugin_id = "21", api_id = "22" }, { plugin_id = "21", api_id = "23" }] }
  model_info_config = {
    model_id          = "1706077826"
    top_k             = 40
    top_p             = 0.8
    max_tokens        = 2048
    temperature       = 0.7
    sp_anti_leak      = true
    context_round     = 10
    response_format   = "markdown"
    sp_current_time   = true
    presence_penalty  = 0.1
    frequency_penalty = 0.2
    cache_type        = "prefix"
    api_mode          = "responses_api"
    parameters        = { thinking_type = "disabled", caching = { type = "enabled" }, store = true, caching_expire_time = 3600 }
  }
  suggest_reply_info = { reply_mode = "customized", customized_prompt = "ask deeper" }
}
`

// Attributes the API never returns: an import cannot know them.
var writeOnlyAttributes = []string{
	"icon_file_id", "knowledge.auto_call", "knowledge.search_strategy",
	"model_info_config.sp_anti_leak", "model_info_config.sp_current_time", "model_info_config.cache_type",
}

func TestAccBotConfig_importMatchesCreate(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{OnboardingPascalCase: true}, botID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: env.config(everyFieldConfig)},
			{
				ResourceName:      "coze_bot_config.all",
				ImportState:       true,
				ImportStateId:     botID,
				ImportStateVerify: true,
				// config_hash covers the write-only attributes too, so it differs as they do.
				ImportStateVerifyIgnore: append([]string{"timeouts", "config_hash"}, writeOnlyAttributes...),
			},
		},
	})
}

// A bot configured by hand in Coze is imported, and a configuration that
// matches it (without write-only attributes) plans no change.
func TestAccBotConfig_importThenMatchingConfigPlansNothing(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID)
	env.mock.EditDraft(botID, func(d map[string]any) {
		d["name"] = "hand made"
		d["prompt_info"] = map[string]any{"prompt": "be brief"}
		d["onboarding_info"] = map[string]any{"prologue": "hello"}
		d["knowledge"] = map[string]any{"dataset_ids": []any{"12", "11"}}
		d["model_info_config"] = map[string]any{"model_id": "1706077826", "temperature": 0.5}
	})
	// What the retrieve endpoint reports, API defaults included.
	matching := env.config(`
resource "coze_bot_config" "imported" {
  bot_id      = "7342866800001"
  name        = "hand made"
  prompt_info = { prompt = "be brief" }
  onboarding_info = { prologue = "hello" }
  knowledge   = { dataset_ids = ["11", "12"] }
  model_info_config = {
    model_id = "1706077826", temperature = 0.5, top_p = 1, max_tokens = 4096, context_round = 30,
    response_format = "text", presence_penalty = 0, frequency_penalty = 0, top_k = 0
  }
}`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:             matching,
				ResourceName:       "coze_bot_config.imported",
				ImportState:        true,
				ImportStateId:      botID,
				ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 {
						return fmt.Errorf("imported %d instances", len(states))
					}
					for key, want := range map[string]string{"name": "hand made", "prompt_info.prompt": "be brief", "knowledge.dataset_ids.#": "2"} {
						if got := states[0].Attributes[key]; got != want {
							return fmt.Errorf("imported %s = %q, want %q", key, got, want)
						}
					}
					for _, key := range []string{"description", "suggest_reply_info.%", "prompt_info.prompt_mode"} {
						if got, ok := states[0].Attributes[key]; ok && got != "" {
							return fmt.Errorf("import kept the API default %s = %q", key, got)
						}
					}
					return nil
				},
			},
			{Config: matching, PlanOnly: true},
		},
	})
	if n := len(env.updates()); n != 0 {
		t.Errorf("import wrote to the bot: %d updates", n)
	}
}

func TestAccBotConfig_importErrors(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID)
	cfg := env.config(`resource "coze_bot_config" "x" { bot_id = "7342866809999" }`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg, ResourceName: "coze_bot_config.x", ImportState: true, ImportStateId: "my-bot", ExpectError: words("Import coze_bot_config by bot id")},
			{Config: cfg, ResourceName: "coze_bot_config.x", ImportState: true, ImportStateId: "7342866809999", ExpectError: regexp.MustCompile(`(?i)non-existent|no longer exists|not found`)},
		},
	})
}

func TestAccBotConfig_botDeletedOutOfBandLeavesState(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID)
	cfg := env.config(`resource "coze_bot_config" "gone" {
  bot_id = "7342866800001"
  name   = "soon gone"
}`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig:          func() { env.mock.DeleteBot(botID) },
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check: func(s *terraform.State) error {
					if _, ok := s.RootModule().Resources["coze_bot_config.gone"]; ok {
						return fmt.Errorf("a deleted bot is still in state")
					}
					return nil
				},
			},
		},
	})
}

func TestAccBotConfig_failedUpdateKeepsPriorState(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID)
	withIcon := func(icon string) string {
		return env.config(fmt.Sprintf(`resource "coze_bot_config" "b" {
  bot_id       = "7342866800001"
  name         = "n"
  icon_file_id = %q
}`, icon))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: withIcon("1001")},
			{
				PreConfig: func() {
					env.mock.InjectFault(mockcoze.Fault{Path: "/v1/bot/update", Code: 4101, Msg: "token has no edit permission"})
				},
				Config: withIcon("1002"),
				// code, msg and logid of the API, and a hint naming the permission.
				ExpectError: regexp.MustCompile(`(?s)Cannot update bot config of Coze bot 7342866800001.*code:\s+4101.*msg:\s+token has no edit permission.*HTTP:\s+200.*logid:\s+\w+.*` + "`edit`"),
			},
			{
				// icon_file_id is write-only, so the refresh keeps it from state: an
				// empty plan with the first value proves the failed update left the
				// state as it was.
				Config:   withIcon("1001"),
				PlanOnly: true,
			},
			{
				Config: withIcon("1002"),
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkUpdates(3),
					env.checkDraft(botID, "icon_file_id", `"1002"`),
				),
			},
		},
	})
}

func TestAccBotConfig_failedCreateLeavesNothingInState(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID)
	cfg := env.config(`resource "coze_bot_config" "b" {
  bot_id = "7342866800001"
  name   = "n"
}`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { env.mock.InjectFault(mockcoze.Fault{Path: "/v1/bot/update", Code: 4200, Msg: "bot not found"}) },
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)code:\s+4200.*Check bot_id`),
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_bot_config.b", plancheck.ResourceActionCreate),
				}},
				Check: env.checkUpdates(2),
			},
		},
	})
}

func TestAccBotConfig_transientErrorsAreRetried(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID)
	cfg := func(name string) string {
		return env.config(fmt.Sprintf(`resource "coze_bot_config" "b" {
  bot_id = "7342866800001"
  name   = %q
}`, name))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					env.mock.InjectFault(mockcoze.Fault{Path: "/v1/bot/update", Status: 429, Code: 4020, RetryAfter: "0"})
				},
				Config: cfg("after 429"),
				Check:  resource.ComposeAggregateTestCheckFunc(env.checkUpdates(2), env.checkDraft(botID, "name", `"after 429"`)),
			},
			{
				PreConfig: func() {
					env.mock.ResetRequests()
					env.mock.InjectFault(mockcoze.Fault{Path: "/v1/bot/update", Status: 503, Times: 2})
				},
				Config: cfg("after two 503s"),
				Check:  resource.ComposeAggregateTestCheckFunc(env.checkUpdates(3), env.checkDraft(botID, "name", `"after two 503s"`)),
			},
			{
				PreConfig: func() {
					env.mock.ResetRequests()
					env.mock.InjectFault(mockcoze.Fault{Path: "/v1/bot/update", Status: 502, RawBody: "<html><h1>502 Bad Gateway</h1></html>"})
				},
				Config: cfg("after an HTML 502"),
				Check:  resource.ComposeAggregateTestCheckFunc(env.checkUpdates(2), env.checkDraft(botID, "name", `"after an HTML 502"`)),
			},
			{
				PreConfig: func() {
					env.mock.InjectFault(mockcoze.Fault{Path: "/v1/bot/update", Status: 502, RawBody: "<html><h1>502 Bad Gateway</h1></html>", Times: 3})
				},
				Config: cfg("never sent"),
				// max_retries = 2 in the test provider block: three attempts, then
				// an error that shows the status and the start of the body.
				ExpectError: regexp.MustCompile(`(?s)HTTP 502 with a body that is\s+not a Coze API response.*502 Bad Gateway.*attempts: 3`),
			},
		},
	})
}

func TestAccBotConfig_providerConfigurationErrors(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID)
	res := `resource "coze_bot_config" "b" { bot_id = "7342866800001" }`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      fmt.Sprintf("provider \"coze\" {\n  base_url = %q\n}\n%s", env.url, res),
				ExpectError: words("Set the COZE_API_TOKEN environment variable"),
			},
			{
				Config:      fmt.Sprintf("provider \"coze\" {\n  base_url = \"http://api.coze.cn\"\n  api_token = \"t\"\n}\n%s", res),
				ExpectError: words("base_url must use https"),
			},
			{
				Config:      fmt.Sprintf("provider \"coze\" {\n  api_token = %q\n  base_url = %q\n}\n%s", "wrong-token", env.url, res),
				ExpectError: regexp.MustCompile(`(?s)code:\s+4100.*base_url`),
			},
		},
	})
	if n := len(env.updates()); n != 1 {
		t.Errorf("want exactly the one update with the wrong token, got %d", n)
	}
}

// The provider block can be empty: the token and base URL come from the
// environment, as in CI and Terraform Cloud.
func TestAccBotConfig_configurationFromEnvironment(t *testing.T) {
	env := newTestEnv(t, mockcoze.Options{}, botID)
	t.Setenv(EnvAPIToken, testToken)
	t.Setenv(EnvBaseURL, env.url)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
provider "coze" {}
resource "coze_bot_config" "b" {
  bot_id = "7342866800001"
  name   = "from env"
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("coze_bot_config.b", tfjsonpath.New("name"), knownvalue.StringExact("from env")),
			},
			Check: resource.ComposeAggregateTestCheckFunc(env.checkUpdates(1), checkNoToken),
		}},
	})
}

func TestAccBotConfig_slowRequestTimesOut(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID)
	env.mock.InjectFault(mockcoze.Fault{Path: "/v1/bot/update", Delay: time.Minute})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "coze" {
  base_url        = %q
  api_token       = %q
  request_timeout = "300ms"
  max_retries     = 0
}
resource "coze_bot_config" "b" {
  bot_id = "7342866800001"
  name   = "slow"
}`, env.url, testToken),
			ExpectError: regexp.MustCompile(`(?s)Cannot create bot config of Coze bot 7342866800001.*(Timeout|deadline exceeded)`),
		}},
	})
}

// 50 bots applied with Terraform's default parallelism (10) against an API
// that answers 429 above 20 requests per second: every apply succeeds and
// every bot ends with its own configuration.
func TestAccBotConfig_manyBotsUnderRateLimit(t *testing.T) {
	t.Parallel()
	const bots = 50
	botIDs := make([]string, bots)
	for i := range botIDs {
		botIDs[i] = fmt.Sprint(7342866810000 + i)
	}
	for _, clientLimit := range []string{"", "requests_per_second = 10"} {
		env := newTestEnv(t, mockcoze.Options{RateLimit: 20}, botIDs...)
		cfg := fmt.Sprintf(`
provider "coze" {
  base_url    = %q
  api_token   = %q
  max_retries = 10
  %s
}
resource "coze_bot_config" "fleet" {
  count  = %d
  bot_id = tostring(7342866810000 + count.index)
  name   = "fleet-${count.index}"
  onboarding_info = { prologue = "bot ${count.index}" }
}`, env.url, testToken, clientLimit, bots)
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config: cfg,
				Check: func(*terraform.State) error {
					for i, id := range botIDs {
						draft, _ := env.mock.Draft(id)
						if draft["name"] != fmt.Sprintf("fleet-%d", i) {
							return fmt.Errorf("bot %s has name %v, want fleet-%d", id, draft["name"], i)
						}
					}
					if clientLimit == "" && env.mock.RateLimited() == 0 {
						return fmt.Errorf("the mock never rate-limited: the test did not exercise 429s")
					}
					if clientLimit != "" && env.mock.RateLimited() != 0 {
						return fmt.Errorf("with requests_per_second below the server's limit, the mock still answered %d times 429", env.mock.RateLimited())
					}
					return nil
				},
			}},
		})
		t.Logf("client limit %q: %d requests, %d answered 429", clientLimit, len(env.mock.Requests()), env.mock.RateLimited())
	}
}

// The update API's errors do not name an attribute of the resource, so
// Terraform shows them on the resource block, not on bot_id (which would
// point the user at an id that is most likely right).
func TestAccBotConfig_updateErrorIsOnTheResourceNotOnBotID(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID)
	withName := func(name string) string {
		return env.config(fmt.Sprintf(`resource "coze_bot_config" "b" {
  bot_id = "7342866800001"
  name   = %q
}`, name))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: withName("n")},
			{
				PreConfig: func() {
					env.mock.InjectFault(mockcoze.Fault{Path: "/v1/bot/update", Code: 4105, Msg: "content is sensitive"})
				},
				Config: withName("m"),
				// Terraform quotes the configuration line the diagnostic is attached to.
				ExpectError: regexp.MustCompile(`(?s)Cannot update bot config.*\d+: resource "coze_bot_config" "b" \{.*code:\s+4105`),
			},
		},
	})
}

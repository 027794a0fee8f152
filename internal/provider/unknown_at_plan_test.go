package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

// Settings from module outputs: an attribute that holds a dynamic value
// (model_info_config.parameters, coze_bot_publish.connectors), unknown at
// plan time as a whole object, as the dynamic attribute itself, or as one
// key inside it. Each plans, creates, plans no change once known, and
// updates in place when the upstream value changes. terraform_data stands in
// for the module: its output is unknown until it is applied.

// unknownLevel is one way of writing a setting from terraform_data.later.
type unknownLevel struct {
	name    string
	setting string // HCL of the attribute, reading terraform_data.later.output
	unknown tfjsonpath.Path
}

func modelSettingLevels() []unknownLevel {
	return []unknownLevel{
		{"whole object", `model_info_config = terraform_data.later.output.model`, tfjsonpath.New("model_info_config")},
		{"the dynamic attribute", `model_info_config = { model_id = "1706077826", temperature = terraform_data.later.output.model.temperature,
    parameters = terraform_data.later.output.model.parameters }`, tfjsonpath.New("model_info_config").AtMapKey("parameters")},
		{"one key inside it", `model_info_config = { model_id = "1706077826", temperature = terraform_data.later.output.model.temperature,
    parameters = { thinking_type = terraform_data.later.output.model.parameters.thinking_type, store = true, caching_expire_time = 3600 } }`,
			tfjsonpath.New("model_info_config").AtMapKey("parameters").AtMapKey("thinking_type")},
	}
}

// later is the stand-in module: its output is unknown at plan time whenever
// its input changes.
func later(thinking string, temperature float64) string {
	return fmt.Sprintf(`
resource "terraform_data" "later" {
  input = {
    model = { model_id = "1706077826", temperature = %v, parameters = { thinking_type = %q, store = true, caching_expire_time = 3600 } }
  }
}`, temperature, thinking)
}

func unknownSteps(env *testEnv, resourceName string, level unknownLevel, config func(upstream string) string, botIDOf func(*terraform.State) string) []resource.TestStep {
	draftHas := func(thinking, temperature string) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			id := botIDOf(s)
			return resource.ComposeAggregateTestCheckFunc(
				env.checkDraft(id, "model_info_config.parameters", fmt.Sprintf(`{"thinking_type":%q,"store":true,"caching_expire_time":3600}`, thinking)),
				env.checkDraft(id, "model_info_config.temperature", temperature),
				checkNoToken,
			)(s)
		}
	}
	return []resource.TestStep{
		{
			Config: config(later("disabled", 0.5)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectUnknownValue(resourceName, level.unknown),
			}},
			Check: draftHas("disabled", "0.5"),
		},
		{Config: config(later("disabled", 0.5)), PlanOnly: true},
		{
			Config: config(later("auto", 0.7)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate),
				plancheck.ExpectUnknownValue(resourceName, level.unknown),
			}},
			Check: draftHas("auto", "0.7"),
		},
		{Config: config(later("auto", 0.7)), PlanOnly: true},
	}
}

func TestAccBotConfig_modelSettingsUnknownAtPlan(t *testing.T) {
	t.Parallel()
	for _, level := range modelSettingLevels() {
		t.Run(level.name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, mockcoze.Options{}, botID)
			config := func(upstream string) string {
				return env.config(upstream + `
resource "coze_bot_config" "b" {
  bot_id = "7342866800001"
  ` + level.setting + `
}`)
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps:                    unknownSteps(env, "coze_bot_config.b", level, config, func(*terraform.State) string { return botID }),
			})
		})
	}
}

func TestAccBot_modelSettingsUnknownAtPlan(t *testing.T) {
	t.Parallel()
	for _, level := range modelSettingLevels() {
		t.Run(level.name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, mockcoze.Options{})
			config := func(upstream string) string {
				return env.config(upstream + fmt.Sprintf(`
resource "coze_bot" "b" {
  space_id = %q
  name     = "from a module"
  %s
}`, mockcoze.DefaultSpaceID, level.setting))
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps:                    unknownSteps(env, "coze_bot.b", level, config, func(s *terraform.State) string { return stateAttr(s, "coze_bot.b", "bot_id") }),
			})
		})
	}
}

// connectors is a top-level dynamic attribute: Terraform keeps the type of
// its unknown values, so it plans at every level without help.
func TestAccBotPublish_connectorsUnknownAtPlan(t *testing.T) {
	t.Parallel()
	const channel = "7470849514748001"
	for name, setting := range map[string]string{
		"the dynamic attribute": `connectors = terraform_data.later.output.connectors`,
		"one channel inside it": fmt.Sprintf(`connectors = { %q = terraform_data.later.output.connectors[%q] }`, channel, channel),
		"one key inside that":   fmt.Sprintf(`connectors = { %q = { mode = terraform_data.later.output.connectors[%q].mode, device_id = ["51237825001"] } }`, channel, channel),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, mockcoze.Options{}, botID)
			config := func(mode string) string {
				return env.config(fmt.Sprintf(`
resource "terraform_data" "later" {
  input = { connectors = { %q = { mode = %q, device_id = ["51237825001"] } } }
}
resource "coze_bot_publish" "p" {
  bot_id        = "7342866800001"
  connector_ids = ["1024", %q]
  %s
}`, channel, mode, channel, setting))
			}
			published := func(mode string) resource.TestCheckFunc {
				return func(*terraform.State) error {
					got := env.mock.PublishedConnectorConfig(botID)[channel]
					if got["mode"] != mode || got["device_id"] != `["51237825001"]` {
						return fmt.Errorf("connector %s published with %v, want mode %q", channel, got, mode)
					}
					return nil
				}
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: config("kiosk"), Check: published("kiosk")},
					{Config: config("kiosk"), PlanOnly: true},
					{Config: config("desk"), Check: published("desk")},
				},
			})
		})
	}
}

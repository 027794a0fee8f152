package provider

import (
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

// A number such as 1e60000000 (14 bytes) is an integer of 200 million bits:
// writing it exactly takes minutes. It is refused before any conversion,
// whether it comes from the API or from a configuration, and a refresh
// converts only the parameters that the state manages.

const absurdNumber = "1e60000000"

func TestAbsurdNumbersAreRefusedBeforeConversion(t *testing.T) {
	_, err := jsonToDynamic([]byte(`{"x":` + absurdNumber + `}`))
	if !errors.Is(err, errNumberOutOfBounds) {
		t.Fatalf("want errNumberOutOfBounds, got %v", err)
	}
	// 2^200000000: what 1e60000000 parses to, built without parsing.
	huge := new(big.Float).SetMantExp(big.NewFloat(1), 200_000_000)
	if _, err := attrToJSON(types.NumberValue(huge)); !errors.Is(err, errNumberOutOfBounds) {
		t.Fatalf("a configuration's number: want errNumberOutOfBounds, got %v", err)
	}
	tiny := new(big.Float).SetMantExp(big.NewFloat(1), -200_000_000)
	if _, err := attrToJSON(types.NumberValue(tiny)); !errors.Is(err, errNumberOutOfBounds) {
		t.Fatalf("a configuration's tiny number: want errNumberOutOfBounds, got %v", err)
	}
	// A string holding one reads as text, never as a number.
	if _, ok := parameterNumber(absurdNumber); ok {
		t.Error("parameterNumber read an absurd number")
	}
	for _, fine := range []string{"3600", "1e300", "-2.5e-300", "0.7"} {
		if _, err := jsonToDynamic([]byte(`{"x":` + fine + `}`)); err != nil {
			t.Errorf("%s: %v", fine, err)
		}
	}
}

func TestRefreshConvertsOnlyTheManagedParameters(t *testing.T) {
	prior := botWithParameters(t, `{"thinking_type":"disabled"}`)
	bot := &coze.Bot{BotID: "1", ModelInfo: &coze.ModelInfo{
		Parameters: []byte(`{"thinking_type":"disabled","unmanaged":` + absurdNumber + `,"other":{"deep":[1,2]}}`),
	}}
	refreshed, diags := refreshBot(prior, bot, false)
	if diags.HasError() {
		t.Fatalf("a refresh converted a parameter the state does not manage: %v", diags)
	}
	if !refreshed.Equal(prior) {
		t.Errorf("refreshed = %v, want the prior state", refreshed)
	}
	if !strings.Contains(string(bot.ModelInfo.Parameters), absurdNumber) {
		t.Error("the API's answer was changed")
	}

	// Drift of a managed key still shows.
	bot.ModelInfo.Parameters = []byte(`{"thinking_type":"enabled","unmanaged":` + absurdNumber + `}`)
	refreshed, diags = refreshBot(prior, bot, false)
	if diags.HasError() || refreshed.Equal(prior) {
		t.Fatalf("drift of a managed key was missed: %v", diags)
	}

	// Without parameters in the state, none is converted.
	none := botWithParameters(t, ``)
	if _, diags := refreshBot(none, bot, false); diags.HasError() {
		t.Fatalf("no parameters managed: %v", diags)
	}
}

// botWithParameters is a coze_bot_config state with model_info_config set
// to these parameters (none when "").
func botWithParameters(t *testing.T, params string) types.Object {
	t.Helper()
	state := botConfigState(t, "1")
	obj, d := rootObject(ctx, state.Schema.Type(), state.Raw)
	if d.HasError() {
		t.Fatal(d)
	}
	attrs := botOf(obj)
	model := botModelInfoConfigValues{ModelID: types.StringValue("m"), Parameters: types.DynamicNull()}
	if params != "" {
		dyn, err := jsonToDynamic([]byte(params))
		if err != nil {
			t.Fatal(err)
		}
		model.Parameters = dyn
	}
	attrs["model_info_config"] = model.object()
	out, diags := types.ObjectValue(obj.AttributeTypes(ctx), attrs)
	if diags.HasError() {
		t.Fatal(diags)
	}
	return out
}

// Against the mock: an answer with such a number fails the refresh at once,
// with a clear error, and leaves the state as it was.
func TestAccBotConfig_absurdNumberInAnAnswerIsAReadError(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID)
	cfg := env.config(`
resource "coze_bot_config" "b" {
  bot_id = "` + botID + `"
  name   = "numbers"
  model_info_config = {
    model_id   = "1706077826"
    parameters = { thinking_type = "disabled" }
  }
}`)
	answer := `{"code":0,"msg":"","data":{"bot_id":"` + botID + `","name":"numbers","model_info":{"model_id":"1706077826",` +
		`"parameters":{"thinking_type":"disabled","unmanaged":` + absurdNumber + `}}}}`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					env.mock.InjectFault(mockcoze.Fault{Method: "GET", Path: "/v1/bots/" + botID, RawBody: answer, Times: 100})
				},
				Config:      cfg,
				PlanOnly:    true,
				ExpectError: words("holds the number " + absurdNumber + ", beyond what this client accepts"),
			},
			{
				PreConfig: func() { env.mock.ClearFaults() },
				Config:    cfg,
				PlanOnly:  true, // the state was kept: nothing to change
			},
		},
	})
}

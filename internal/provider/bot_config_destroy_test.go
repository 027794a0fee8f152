package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func botConfigState(t *testing.T, botID string) tfsdk.State {
	t.Helper()
	s := (&botConfigResource{}).schemaWithTimeouts(ctx)
	state := tfsdk.State{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(ctx), nil)}
	m := emptyModel(botID)
	if d := state.Set(ctx, &m); d.HasError() {
		t.Fatal(d)
	}
	return state
}

// Destroy cannot un-configure a bot: it warns, at plan time and at apply time.
func TestDestroyWarnsThatTheBotKeepsItsConfiguration(t *testing.T) {
	r := &botConfigResource{}
	state := botConfigState(t, "42")

	planResp := &resource.ModifyPlanResponse{}
	nullPlan := tfsdk.Plan{Schema: state.Schema, Raw: tftypes.NewValue(state.Schema.Type().TerraformType(ctx), nil)}
	r.ModifyPlan(ctx, resource.ModifyPlanRequest{State: state, Plan: nullPlan}, planResp)
	if planResp.Diagnostics.WarningsCount() != 1 || !strings.Contains(planResp.Diagnostics[0].Detail(), "keeps its current") {
		t.Errorf("plan-time destroy warning missing: %v", planResp.Diagnostics)
	}

	deleteResp := &resource.DeleteResponse{State: state}
	r.Delete(ctx, resource.DeleteRequest{State: state}, deleteResp)
	if deleteResp.Diagnostics.HasError() || deleteResp.Diagnostics.WarningsCount() != 1 ||
		!strings.Contains(deleteResp.Diagnostics[0].Detail(), "bot 42") {
		t.Errorf("delete must warn about bot 42 and not fail: %v", deleteResp.Diagnostics)
	}
}

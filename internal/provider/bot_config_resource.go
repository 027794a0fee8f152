package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ resource.ResourceWithConfigure      = &botConfigResource{}
	_ resource.ResourceWithImportState    = &botConfigResource{}
	_ resource.ResourceWithModifyPlan     = &botConfigResource{}
	_ resource.ResourceWithValidateConfig = &botConfigResource{}
)

const (
	defaultWriteTimeout = 5 * time.Minute
	defaultReadTimeout  = 2 * time.Minute
	// privateKeyImporting marks the Read that follows an import: that Read
	// fills every attribute the API returns instead of only managed ones.
	privateKeyImporting = "importing"
)

// NewBotConfigResource is the coze_bot_config resource.
func NewBotConfigResource() resource.Resource {
	return &botConfigResource{botSettingsResource: botSettingsResource{resourceBase: resourceBase{typeName: "bot_config"}}}
}

// botConfigResource gets ValidateConfig and Read from botSettingsResource.
type botConfigResource struct {
	botSettingsResource
}

func (r *botConfigResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = r.schemaWithTimeouts(ctx)
}

func (r *botConfigResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		resp.Diagnostics.AddWarning("Destroying coze_bot_config does not change the bot",
			"Coze has no API to reset a bot's configuration. Destroying this resource only removes it from the Terraform state; "+
				"the bot keeps its current name, prompt, knowledge, plugins, workflows and model settings.")
		return
	}
	r.requireClientAtPlan(&resp.Diagnostics)
	r.planConfigHash(ctx, req, resp)
}

func (r *botConfigResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, diags := rootObject(ctx, req.Plan.Schema.Type(), req.Plan.Raw)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := withTimeout(ctx, botOf(plan).Timeouts().Create, defaultWriteTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.sendUpdate(ctx, "create bot config", plan, types.ObjectNull(plan.AttributeTypes(ctx)))...)
	if resp.Diagnostics.HasError() {
		return // nothing is recorded in state
	}
	// The API echoes nothing back: the plan becomes the state, with id = bot_id.
	resp.State.Raw = req.Plan.Raw.Copy()
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), botOf(plan).BotID())...)
}

func (r *botConfigResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.update(ctx, "update bot config", req, resp)
}

func (r *botConfigResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, diags := rootObject(ctx, req.State.Schema.Type(), req.State.Raw)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.AddWarning("Bot configuration left in place",
		fmt.Sprintf("coze_bot_config for bot %s was removed from the Terraform state only. Coze has no API to reset a bot: "+
			"the bot keeps its configuration.", botOf(state).BotID().ValueString()))
}

func (r *botConfigResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !decimalIDPattern.MatchString(req.ID) {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("Import coze_bot_config by bot id, the digits after bot/ in the bot's URL, for example: terraform import coze_bot_config.example 7342866800001. Got: %q", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("bot_id"), req.ID)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateKeyImporting, []byte("true"))...)
}

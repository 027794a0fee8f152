package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

// What coze_bot and coze_bot_config share: both manage a bot's settings
// through the update API, so they validate, plan, read and update them the
// same way. Each embeds botSettingsResource, which embeds resourceBase, as
// terraform-provider-aws's framework resources embed its base types.

// botSettingsResource gives coze_bot and coze_bot_config ValidateConfig and
// Read, and the shared steps of ModifyPlan, Create and Update.
type botSettingsResource struct {
	resourceBase
	// createsBots is set for coze_bot, which creates its bot: a bot dropped
	// from the state is created again by the next apply, so it is dropped
	// only when its workspace's bot list confirms that it is gone (see gone).
	createsBots bool
}

var pathConfigHash = path.Root("config_hash")

var configHashAttribute = schema.StringAttribute{
	Computed: true,
	MarkdownDescription: "SHA-256 of the bot settings this resource applies (the update request its configuration " +
		"maps to). It changes exactly when the configured settings change, and is known at plan time when the " +
		"configuration is: use it in `coze_bot_publish.triggers` to publish after each change.",
}

// configHash hashes the update request that the settings in obj map to.
func configHash(obj types.Object) (string, diag.Diagnostics) {
	req, diags := expandUpdateBotRequest(obj, types.ObjectNull(obj.AttributeTypes(context.Background())))
	if diags.HasError() {
		return "", diags
	}
	req.BotID = "" // the hash describes the settings, wherever they apply
	raw, err := json.Marshal(req)
	if err != nil {
		diags.AddError("Cannot hash the bot settings", err.Error())
		return "", diags
	}
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:]), diags
}

// ValidateConfig enforces the API's cross-field rules at plan time
// (validateBotSettings).
func (r *botSettingsResource) ValidateConfig(_ context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	validateBotSettings(req.Config, resp)
}

// planConfigHash sets config_hash in the plan: computed from the planned
// settings, or unknown while some of them are unknown.
func (r *botSettingsResource) planConfigHash(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !req.Config.Raw.IsFullyKnown() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, pathConfigHash, types.StringUnknown())...)
		return
	}
	plan, diags := rootObject(ctx, req.Plan.Schema.Type(), req.Plan.Raw)
	resp.Diagnostics.Append(diags...)
	hash, diags := configHash(plan)
	resp.Diagnostics.Append(diags...)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, pathConfigHash, hash)...)
	}
}

// Read refreshes the state from the bot's draft (see bot_config_refresh.go
// for the rules). A bot that the API does not find is handled by gone; any
// other error leaves the state as it was.
func (r *botSettingsResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	client := r.client(&resp.Diagnostics)
	priorObj, diags := rootObject(ctx, req.State.Schema.Type(), req.State.Raw)
	resp.Diagnostics.Append(diags...)
	prior := botOf(priorObj)
	ctx, cancel := withTimeout(ctx, prior.Timeouts().Read, defaultReadTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	botID := prior.BotID().ValueString()
	bot, err := client.GetBot(ctx, botID, false)
	if coze.IsNotFound(err) {
		gone, diags := r.gone(ctx, client, prior, err)
		resp.Diagnostics.Append(diags...)
		if gone {
			resp.State.RemoveResource(ctx)
		}
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, client, "read coze_"+r.typeName+" of Coze bot "+botID, err)
		return
	}

	importing, diags := req.Private.GetKey(ctx, privateKeyImporting)
	resp.Diagnostics.Append(diags...)
	if len(importing) > 0 && r.createsBots {
		resp.Diagnostics.Append(checkImportedWorkspace(ctx, client, prior)...)
		if resp.Diagnostics.HasError() {
			return // the import fails: nothing goes into the state
		}
	}
	refreshed, diags := refreshBot(priorObj, bot, len(importing) > 0)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if len(importing) > 0 {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateKeyImporting, nil)...)
	}
	if refreshed.Equal(priorObj) {
		return // no drift: the state stays as it is, without converting it back
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, refreshed)...)
}

// refreshBot merges the API's view of a bot into the prior state. After an
// import (the importing private key), the API's view trimmed by importView
// stands in for the prior state, which has nothing but the ids.
func refreshBot(prior types.Object, bot *coze.Bot, importing bool) (types.Object, diag.Diagnostics) {
	if !importing {
		bot = onlyManagedParameters(bot, prior)
	}
	remote, diags := flattenBot(bot)
	// Attributes the retrieve endpoint does not describe keep their state.
	for name, value := range botOf(prior) {
		if _, ok := remote[name]; !ok {
			remote[name] = value
		}
	}
	remoteObj, d := types.ObjectValue(prior.AttributeTypes(context.Background()), remote)
	diags.Append(d...)
	if diags.HasError() {
		return prior, diags
	}
	if importing {
		if imported, ok := importView(path.Empty(), remoteObj).(types.Object); ok {
			prior = imported
			hash, d := configHash(prior)
			diags.Append(d...)
			if !d.HasError() {
				attrs := botOf(prior)
				attrs.setConfigHash(types.StringValue(hash))
				prior, d = types.ObjectValue(prior.AttributeTypes(context.Background()), attrs)
				diags.Append(d...)
			}
		}
	}
	refreshed, ok := refreshValue(path.Empty(), prior, remoteObj).(types.Object)
	if !ok {
		return prior, diags
	}
	return refreshed, diags
}

// onlyManagedParameters keeps, of the model parameters the API answered,
// the keys of the prior state: a refresh compares only those (the API adds
// its own), so converting the others into Terraform values would be work
// for nothing, and work that an absurd value makes unbounded. Without
// parameters in the prior state none is kept. bot is not changed.
func onlyManagedParameters(bot *coze.Bot, prior types.Object) *coze.Bot {
	if bot.ModelInfo == nil || len(bot.ModelInfo.Parameters) == 0 {
		return bot
	}
	var keys map[string]attr.Value
	params := botModelInfoConfigOf(botOf(prior).ModelInfoConfig()).Parameters()
	if !params.IsNull() && !params.IsUnknown() && !params.IsUnderlyingValueNull() && !params.IsUnderlyingValueUnknown() {
		switch v := params.UnderlyingValue().(type) {
		case types.Object:
			keys = v.Attributes()
		case types.Map:
			keys = v.Elements()
		default:
			return bot // not an object: compared whole
		}
	}
	var answered map[string]json.RawMessage // the values stay raw: nothing is converted
	if err := json.Unmarshal(bot.ModelInfo.Parameters, &answered); err != nil {
		return bot // flattenBot reports it
	}
	kept := make(map[string]json.RawMessage, len(keys))
	for key := range keys {
		if value, ok := answered[key]; ok {
			kept[key] = value
		}
	}
	raw, err := json.Marshal(kept)
	if err != nil {
		return bot
	}
	trimmed, model := *bot, *bot.ModelInfo
	model.Parameters = raw
	trimmed.ModelInfo = &model
	return &trimmed
}

// gone decides whether a bot whose retrieve answered 4006 or 4200 (missing)
// is gone, and says why in the diagnostics. Those codes mean "wrong id,
// deleted, or no permission": a token of another account or site, or one
// without getMetadata, gets them for a bot that exists.
//
// coze_bot creates the bot again once it leaves the state, and Coze has no
// API to delete a bot: a wrong guess leaves a second bot in the workspace
// for good. So coze_bot, which knows its workspace, drops the bot only when
// the workspace's bot list does not show it either; listed, or when the list
// cannot be read, the bot stays in the state with an error. Not listed, it
// is dropped only when the list is known to show this token every bot of
// the workspace (coze.Client.BotListCoverage: on Coze's personal edition it
// shows only the bots of workspaces the token's user owns). The lists are
// read only here, on this rare path.
//
// coze_bot_config has no workspace, and dropping it is safe: its create is an
// update of an existing bot, which never makes a new one, and fails with the
// same error if the bot exists but cannot be read with this token.
func (r *botSettingsResource) gone(ctx context.Context, client *coze.Client, prior botAttrs, missing error) (bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	botID, spaceID := prior.BotID().ValueString(), prior.SpaceID().ValueString()
	if !r.createsBots {
		addRemovedFromStateWarning(&diags, "Coze bot", botID, missing,
			"coze_bot_config never creates a bot: the next apply sends the configuration as an update, which fails with "+
				"the same error if the bot still exists but this token cannot read it (a token of another account or "+
				"site, or one without the getMetadata permission).")
		return true, diags
	}
	kept := fmt.Sprintf("Coze bot %s was kept in the Terraform state, so that the next apply does not create a second bot: "+
		"Coze has no API to delete one.", botID)
	listed, err := botListed(ctx, client, spaceID, botID)
	if errors.Is(err, errListTooLong) {
		diags.AddError("Cannot confirm that Coze bot "+botID+" is gone",
			fmt.Sprintf("Reading the bot failed (%v), and workspace %s has more than %d bots, too many to check whether it still lists this one. %s "+
				"If the bot is gone, remove it from the state with terraform state rm.", missing, spaceID, coze.DefaultListPageSize*listMaxPages, kept))
		return false, diags
	}
	if err != nil {
		addAPIError(&diags, client, fmt.Sprintf("confirm that Coze bot %s is gone from workspace %s", botID, spaceID), err,
			fmt.Sprintf("Reading the bot failed (%v), and listing workspace %s to check whether it still exists failed as well. %s "+
				"Fix the cause (the listBot permission, the token, or the network), then run Terraform again.",
				missing, spaceID, kept))
		return false, diags
	}
	if listed {
		addAPIError(&diags, client, fmt.Sprintf("read Coze bot %s, which workspace %s still lists", botID, spaceID), missing,
			fmt.Sprintf("The bot exists: the bot list of workspace %s shows it, yet reading it failed. Likely causes: the token "+
				"belongs to another Coze account, or to the other Coze site (coze.cn and coze.com tokens and bots do not mix: check "+
				"base_url), or it lacks the getMetadata permission. %s Fix the token or its permissions, then run Terraform again; "+
				"if the bot is no longer yours to manage, remove it from the state with terraform state rm.",
				spaceID, kept))
		return false, diags
	}
	// Not listed: gone, if the list shows this token every bot of the
	// workspace. On the personal edition it shows only the bots of
	// workspaces the token's user owns.
	coverage, err := client.BotListCoverage(ctx, spaceID)
	if err != nil {
		more := fmt.Sprintf("Reading the bot failed (%v), and the bot list of workspace %s does not show it; but the token's "+
			"workspace list (GET /v1/workspaces, the listWorkspace permission), which tells whether that bot list shows every bot "+
			"of the workspace to this token, could not be read, so the bot may exist all the same. %s Fix the cause, then run "+
			"Terraform again; if the bot is gone, remove it from the state with terraform state rm.", missing, spaceID, kept)
		if errors.Is(err, coze.ErrPaging) {
			diags.AddError("Cannot confirm that Coze bot "+botID+" is gone", err.Error()+"\n\n"+more)
		} else {
			addAPIError(&diags, client, fmt.Sprintf("confirm that Coze bot %s is gone from workspace %s", botID, spaceID), err, more)
		}
		return false, diags
	}
	if !coverage.Complete {
		diags.AddError("Cannot confirm that Coze bot "+botID+" is gone",
			fmt.Sprintf("Reading the bot failed (%v), and the bot list of workspace %s does not show it; but %s, so the bot may "+
				"exist all the same (in a workspace of another owner, or read with a token of another account). %s If the bot is "+
				"gone, remove it from the state with terraform state rm; otherwise fix the token or space_id.",
				missing, spaceID, coverage.Why, kept))
		return false, diags
	}
	addRemovedFromStateWarning(&diags, "Coze bot", botID, missing,
		fmt.Sprintf("The bot list of workspace %s does not show it either, and that list shows every bot of the workspace to "+
			"this token (%s). The next apply creates a new bot.", spaceID, coverage.Why))
	return true, diags
}

// checkImportedWorkspace checks, on the first read after coze_bot's import,
// that the workspace given as space_id holds the bot: the read API does not
// say a bot's workspace, and a wrong space_id would later make the gone
// check read the wrong workspace's list. It costs one listing of the
// workspace per import. Only a list known to show this token every bot of
// the workspace can refuse the import: on Coze's personal edition a bot of
// a workspace the token's user does not own is never in the list, so there
// the import is accepted with a warning (the gone check never drops such a
// bot either).
func checkImportedWorkspace(ctx context.Context, client *coze.Client, imported botAttrs) diag.Diagnostics {
	var diags diag.Diagnostics
	botID, spaceID := imported.BotID().ValueString(), imported.SpaceID().ValueString()
	summary := fmt.Sprintf("Cannot import Coze bot %s with workspace %s", botID, spaceID)
	listed, err := botListed(ctx, client, spaceID, botID)
	switch {
	case errors.Is(err, errListTooLong):
		diags.AddError(summary, fmt.Sprintf("Workspace %s has more than %d bots, too many to check that it holds bot %s.",
			spaceID, coze.DefaultListPageSize*listMaxPages, botID))
		return diags
	case err != nil:
		addAPIError(&diags, client, fmt.Sprintf("check that Coze workspace %s holds bot %s", spaceID, botID), err,
			"The import reads the workspace's bot list (the listBot permission) to check the space_id it was given. Nothing was imported.")
		return diags
	case listed:
		return diags
	}
	coverage, err := client.BotListCoverage(ctx, spaceID)
	if err != nil {
		addAPIError(&diags, client, fmt.Sprintf("check that Coze workspace %s holds bot %s", spaceID, botID), err,
			fmt.Sprintf("The bot list of workspace %s does not show bot %s, and the token's workspace list (GET /v1/workspaces), "+
				"which tells whether that list shows every bot of the workspace, could not be read. Nothing was imported; "+
				"try the import again.", spaceID, botID))
		return diags
	}
	if coverage.Complete {
		diags.AddError(summary, fmt.Sprintf("The bot list of workspace %s does not show bot %s, and that list shows every bot "+
			"of the workspace to this token (%s): the bot is in another workspace. Import it with the id of the workspace that "+
			"holds it (the number after /space/ in the bot's URL in Coze): terraform import <address> <space_id>/%s. Nothing "+
			"was imported.", spaceID, botID, coverage.Why, botID))
		return diags
	}
	diags.AddWarning(fmt.Sprintf("Imported Coze bot %s without checking workspace %s", botID, spaceID),
		fmt.Sprintf("The bot list of workspace %s does not show bot %s, but that list may not show every bot of the workspace to "+
			"this token: %s. The bot was imported with space_id %s as given. Check that it is the workspace that holds the bot "+
			"(the number after /space/ in the bot's URL in Coze): correcting space_id later would replace the resource and create "+
			"a new bot, so if it is wrong, run terraform state rm on it and import it again with the right workspace id.",
			spaceID, botID, coverage.Why, spaceID))
	return diags
}

// botListed reports whether the workspace lists the bot, reading every page
// of GET /v1/bots?publish_status=all (see coze.ListAllBots for why total is
// not trusted).
func botListed(ctx context.Context, client *coze.Client, spaceID, botID string) (bool, error) {
	bots, err := client.ListAllBots(ctx, coze.ListBotsRequest{WorkspaceID: spaceID, PublishStatus: "all"}, listMaxPages)
	if errors.Is(err, coze.ErrPaging) {
		return false, errListTooLong
	}
	if err != nil {
		return false, err
	}
	for _, b := range bots {
		if b.ID == botID {
			return true, nil
		}
	}
	return false, nil
}

var errListTooLong = errors.New("the workspace lists more bots than the provider reads, or pages without end")

// update is Update for coze_bot and coze_bot_config: it sends the plan,
// with resets for removed attributes, and makes it the new state. On
// failure the framework keeps the prior state. It returns the planned
// object. action names the change in logs and errors ("update bot").
func (r *botSettingsResource) update(ctx context.Context, action string, req resource.UpdateRequest, resp *resource.UpdateResponse) types.Object {
	plan, diags := rootObject(ctx, req.Plan.Schema.Type(), req.Plan.Raw)
	resp.Diagnostics.Append(diags...)
	prior, diags := rootObject(ctx, req.State.Schema.Type(), req.State.Raw)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := withTimeout(ctx, botOf(plan).Timeouts().Update, defaultWriteTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return plan
	}
	resp.Diagnostics.Append(r.sendUpdate(ctx, action, plan, prior)...)
	if !resp.Diagnostics.HasError() {
		resp.State.Raw = req.Plan.Raw.Copy()
	}
	return plan
}

// sendUpdate sends the planned settings to POST /v1/bot/update. prior is
// the state before this apply (null on create): attributes removed since
// are sent with their reset value. ctx bounds the call.
func (r *botSettingsResource) sendUpdate(ctx context.Context, action string, plan, prior types.Object) diag.Diagnostics {
	var diags diag.Diagnostics
	client := r.client(&diags)
	if diags.HasError() {
		return diags
	}
	body, d := expandUpdateBotRequest(plan, prior)
	diags.Append(d...)
	if diags.HasError() {
		return diags
	}
	tflog.Debug(ctx, "Updating Coze bot", map[string]any{"bot_id": body.BotID, "action": action})
	r.data.written.addBot(body.BotID) // before the write: an uncertain create of this walk must not adopt it
	if err := client.UpdateBot(ctx, body); err != nil {
		// Not attached to an attribute: the API's errors name no attribute
		// of the resource, and bot_id is rarely the one at fault.
		addAPIError(&diags, client, action+" of Coze bot "+body.BotID, err)
	}
	return diags
}

package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

// What coze_bot and coze_bot_config share: reading a bot back into state,
// and the configuration hash that coze_bot_publish triggers on.

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

// planConfigHash sets config_hash in the plan: computed from the planned
// settings, or unknown while some of them are unknown.
func planConfigHash(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !req.Config.Raw.IsFullyKnown() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("config_hash"), types.StringUnknown())...)
		return
	}
	plan, diags := rootObject(ctx, req.Plan.Schema.Type(), req.Plan.Raw)
	resp.Diagnostics.Append(diags...)
	hash, diags := configHash(plan)
	resp.Diagnostics.Append(diags...)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("config_hash"), hash)...)
	}
}

// readBotInto refreshes a bot's state from the draft: see
// bot_config_refresh.go for the rules. missing is the retrieve's error when
// it answered 4006 or 4200 (not found, or not visible to this token): the
// caller decides whether the bot is gone. Any other error is in diags and
// leaves the state as it was.
func readBotInto(ctx context.Context, client *coze.Client, state *tfsdk.State, private interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
}, setPrivate func(context.Context, string, []byte) diag.Diagnostics, resourceName string) (diags diag.Diagnostics, missing error) {
	prior, d := rootObject(ctx, state.Schema.Type(), state.Raw)
	diags.Append(d...)
	if diags.HasError() {
		return diags, nil
	}
	priorAttrs := attrsOf(prior)
	botID := get[types.String](priorAttrs, "bot_id").ValueString()
	bot, err := client.GetBot(ctx, botID, false)
	if coze.IsNotFound(err) {
		return diags, err
	}
	if err != nil {
		addAPIError(&diags, client, "read "+resourceName+" of Coze bot "+botID, err)
		return diags, nil
	}

	remote, d := flattenBot(bot)
	diags.Append(d...)
	// Attributes the retrieve endpoint does not describe keep their state.
	for name, value := range priorAttrs {
		if _, ok := remote[name]; !ok {
			remote[name] = value
		}
	}
	remoteObj, d := types.ObjectValue(prior.AttributeTypes(ctx), remote)
	diags.Append(d...)
	if diags.HasError() {
		return diags, nil
	}

	current := prior
	importing, d := private.GetKey(ctx, privateKeyImporting)
	diags.Append(d...)
	if len(importing) > 0 {
		if imported, ok := importView(path.Empty(), remoteObj).(types.Object); ok {
			prior = imported
			hash, d := configHash(prior)
			diags.Append(d...)
			if attrs := prior.Attributes(); !d.HasError() && attrs["config_hash"] != nil {
				attrs["config_hash"] = types.StringValue(hash)
				prior, d = types.ObjectValue(prior.AttributeTypes(ctx), attrs)
				diags.Append(d...)
			}
		}
		diags.Append(setPrivate(ctx, privateKeyImporting, nil)...)
	}
	refreshed := refreshValue(path.Empty(), prior, remoteObj)
	if refreshed.Equal(current) {
		return diags, nil // no drift: the state stays as it is, without converting it back
	}
	diags.Append(state.Set(ctx, refreshed)...)
	return diags, nil
}

// readBotResource is Read for coze_bot and coze_bot_config; client is nil
// when there is none (the diagnostic is in resp already).
func readBotResource(ctx context.Context, client *coze.Client, resourceName string, req resource.ReadRequest, resp *resource.ReadResponse) {
	var t timeouts.Value
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("timeouts"), &t)...)
	ctx, cancel := withTimeout(ctx, t.Read, defaultReadTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	resp.State = req.State
	diags, missing := readBotInto(ctx, client, &resp.State, req.Private, resp.Private.SetKey, resourceName)
	resp.Diagnostics.Append(diags...)
	if missing != nil && botGone(ctx, client, req.State, missing, &resp.Diagnostics) {
		resp.State.RemoveResource(ctx)
	}
}

// botGone decides whether a bot whose retrieve answered 4006 or 4200
// (missing) is gone, and says why in diags. Those codes mean "wrong id,
// deleted, or no permission": a token of another account or site, or one
// without getMetadata, gets them for a bot that exists.
//
// coze_bot creates the bot again once it leaves the state, and Coze has no
// API to delete a bot: a wrong guess leaves a second bot in the workspace
// for good. So coze_bot, which knows its workspace, drops the bot only when
// the workspace's bot list does not show it either; listed, or when the list
// cannot be read, the bot stays in the state with an error. The list is read
// only here, on this rare path.
//
// coze_bot_config has no workspace, and dropping it is safe: its create is an
// update of an existing bot, which never makes a new one, and fails with the
// same error if the bot exists but cannot be read with this token.
func botGone(ctx context.Context, client *coze.Client, state tfsdk.State, missing error, diags *diag.Diagnostics) bool {
	var botID, spaceID types.String
	diags.Append(state.GetAttribute(ctx, path.Root("bot_id"), &botID)...)
	if _, hasSpace := state.Schema.GetAttributes()["space_id"]; !hasSpace {
		addRemovedFromStateWarning(diags, "Coze bot", botID.ValueString(), missing,
			"coze_bot_config never creates a bot: the next apply sends the configuration as an update, which fails with "+
				"the same error if the bot still exists but this token cannot read it (a token of another account or "+
				"site, or one without the getMetadata permission).")
		return true
	}
	diags.Append(state.GetAttribute(ctx, path.Root("space_id"), &spaceID)...)
	if diags.HasError() {
		return false
	}
	kept := fmt.Sprintf("Coze bot %s was kept in the Terraform state, so that the next apply does not create a second bot: "+
		"Coze has no API to delete one.", botID.ValueString())
	listed, err := botListed(ctx, client, spaceID.ValueString(), botID.ValueString())
	if errors.Is(err, errListTooLong) {
		diags.AddError("Cannot confirm that Coze bot "+botID.ValueString()+" is gone",
			fmt.Sprintf("Reading the bot failed (%v), and workspace %s has more than %d bots, too many to check whether it still lists this one. %s "+
				"If the bot is gone, remove it from the state with terraform state rm.", missing, spaceID.ValueString(), coze.DefaultListPageSize*listMaxPages, kept))
		return false
	}
	if err != nil {
		addAPIError(diags, client, fmt.Sprintf("confirm that Coze bot %s is gone from workspace %s", botID.ValueString(), spaceID.ValueString()), err,
			fmt.Sprintf("Reading the bot failed (%v), and listing workspace %s to check whether it still exists failed as well. %s "+
				"Fix the cause (the listBot permission, the token, or the network), then run Terraform again.",
				missing, spaceID.ValueString(), kept))
		return false
	}
	if listed {
		addAPIError(diags, client, fmt.Sprintf("read Coze bot %s, which workspace %s still lists", botID.ValueString(), spaceID.ValueString()), missing,
			fmt.Sprintf("The bot exists: the bot list of workspace %s shows it, yet reading it failed. Likely causes: the token "+
				"belongs to another Coze account, or to the other Coze site (coze.cn and coze.com tokens and bots do not mix: check "+
				"base_url), or it lacks the getMetadata permission. %s Fix the token or its permissions, then run Terraform again; "+
				"if the bot is no longer yours to manage, remove it from the state with terraform state rm.",
				spaceID.ValueString(), kept))
		return false
	}
	addRemovedFromStateWarning(diags, "Coze bot", botID.ValueString(), missing,
		fmt.Sprintf("The bot list of workspace %s does not show it either. The next apply creates a new bot.", spaceID.ValueString()))
	return true
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

// updateBotResource is Update for coze_bot and coze_bot_config: it sends the
// plan, with resets for removed attributes, and makes it the new state. On
// failure the framework keeps the prior state. It returns the planned object.
func updateBotResource(ctx context.Context, data *providerData, action string, req resource.UpdateRequest, resp *resource.UpdateResponse) types.Object {
	plan, diags := rootObject(ctx, req.Plan.Schema.Type(), req.Plan.Raw)
	resp.Diagnostics.Append(diags...)
	prior, diags := rootObject(ctx, req.State.Schema.Type(), req.State.Raw)
	resp.Diagnostics.Append(diags...)
	var t timeouts.Value
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("timeouts"), &t)...)
	timeout, diags := t.Update(ctx, defaultWriteTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return plan
	}
	updateBot(ctx, data, action, plan, prior, timeout, &resp.Diagnostics)
	if !resp.Diagnostics.HasError() {
		resp.State.Raw = req.Plan.Raw.Copy()
	}
	return plan
}

package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
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
// bot_config_refresh.go for the rules. gone reports a bot that no longer
// exists, which the caller removes from state.
func readBotInto(ctx context.Context, client *coze.Client, state *tfsdk.State, private interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
}, setPrivate func(context.Context, string, []byte) diag.Diagnostics, resourceName string) (gone bool, diags diag.Diagnostics) {
	prior, d := rootObject(ctx, state.Schema.Type(), state.Raw)
	diags.Append(d...)
	if diags.HasError() {
		return false, diags
	}
	priorAttrs := attrsOf(prior)
	botID := get[types.String](priorAttrs, "bot_id").ValueString()
	bot, err := client.GetBot(ctx, botID, false)
	if coze.IsNotFound(err) {
		diags.AddWarning("Coze bot no longer exists",
			fmt.Sprintf("Bot %s of %s was not found (%v). It was removed from the Terraform state.", botID, resourceName, err))
		return true, diags
	}
	if err != nil {
		summary, detail := describeAPIError("read "+resourceName+" of Coze bot "+botID, client.BaseURL(), err)
		diags.AddError(summary, detail)
		return false, diags
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
		return false, diags
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
		return false, diags // no drift: the state stays as it is, without converting it back
	}
	diags.Append(state.Set(ctx, refreshed)...)
	return false, diags
}

// readBotResource is Read for coze_bot and coze_bot_config.
func readBotResource(ctx context.Context, data *providerData, resourceName string, req resource.ReadRequest, resp *resource.ReadResponse) {
	client, diags := data.apiClient()
	resp.Diagnostics.Append(diags...)
	var t timeouts.Value
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("timeouts"), &t)...)
	timeout, diags := t.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	resp.State = req.State
	gone, diags := readBotInto(ctx, client, &resp.State, req.Private, resp.Private.SetKey, resourceName)
	resp.Diagnostics.Append(diags...)
	if gone {
		resp.State.RemoveResource(ctx)
	}
}

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

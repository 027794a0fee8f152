package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

var (
	_ resource.ResourceWithConfigure  = &botPublishResource{}
	_ resource.ResourceWithModifyPlan = &botPublishResource{}
)

const maxUnpublishReasonChars = 1024

// NewBotPublishResource is the coze_bot_publish resource.
func NewBotPublishResource() resource.Resource {
	return &botPublishResource{resourceBase: resourceBase{typeName: "bot_publish"}}
}

type botPublishResource struct {
	resourceBase
}

type botPublishModel struct {
	ID              types.String  `tfsdk:"id"`
	BotID           types.String  `tfsdk:"bot_id"`
	SpaceID         types.String  `tfsdk:"space_id"`
	ConnectorIDs    types.List    `tfsdk:"connector_ids"`
	Connectors      types.Dynamic `tfsdk:"connectors"`
	Triggers        types.Map     `tfsdk:"triggers"`
	UnpublishReason types.String  `tfsdk:"unpublish_reason"`
	Version         types.String  `tfsdk:"version"`
}

func (r *botPublishResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Publishes a bot's draft with `POST /v1/bot/publish` to one or more channels (connectors). " +
			"Changing `connector_ids`, `connectors` or `triggers` publishes again, in place; a connector removed from " +
			"`connector_ids` is unpublished. Destroying the resource unpublishes the bot from every connector with " +
			"`POST /v1/bots/{bot_id}/unpublish`.\n\n" +
			"With `space_id`, a refresh learns whether the bot is still published from the workspace's bot list, per channel " +
			"(`GET /v1/bots?workspace_id=…&publish_status=published_online&connector_id=…`, every page of 50 bots): one listing " +
			"per workspace and channel, shared by every `coze_bot_publish` of the plan, instead of one read per bot. A bot " +
			"missing from it is looked up in the channel's `published_draft` list too (one more listing per workspace and " +
			"channel, only then): the docs do not say whether a published bot whose draft was edited since stays in " +
			"`published_online`, and it is published all the same. A channel " +
			"the bot is no longer published to shows as a change of `connector_ids`, which the next apply publishes again. " +
			"Without `space_id`, a refresh reads the bot's published version (`GET /v1/bots/{bot_id}?is_published=true`), " +
			"which answers for the API channel (`1024`) only.\n\n" +
			"A refresh that finds the bot published to none of its channels (4015 without `space_id`) or gone (4006, 4200) " +
			"removes the resource from the state with a warning, and the next apply publishes again: that creates nothing, and " +
			"fails with the same error while the token cannot see the bot. Any other error (4100, 4101, a failed listing, ...) " +
			"fails the refresh and leaves the state as it was.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The bot id, the same as `bot_id`.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"bot_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Id of the bot to publish. Changing it publishes another bot (and unpublishes this one).",
				Validators:          []validator.String{decimalID()},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"space_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Id of the workspace (space) that holds the bot, such as `coze_bot.<name>.space_id`. With it, " +
					"a refresh reads the bot's publish state per channel from the workspace's bot list, shared by every " +
					"`coze_bot_publish` of the plan: about one request per 50 published bots and channel instead of one per bot, " +
					"and right for a bot published only to the Chat SDK (`999`) or a custom channel. A workspace that does not hold " +
					"the bot is an error naming both ids, at plan time when both are known. Changing it changes nothing in Coze. " +
					"Needs the token's `listBot` permission.",
				Validators: []validator.String{decimalID()},
			},
			"connector_ids": schema.ListAttribute{
				Optional:    true,
				Computed:    true,
				ElementType: types.StringType,
				Default:     listdefault.StaticValue(types.ListValueMust(types.StringType, []attr.Value{types.StringValue(coze.ConnectorAPI)})),
				MarkdownDescription: "Channels to publish to: `1024` the API channel (the default), `999` the Chat SDK, or custom " +
					"channel ids, which also need `1024`. Other ids seen in Coze's docs: 10000122 Coze store, 10000011 Feishu, " +
					"10000113 WeChat customer service.",
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
					listvalidator.UniqueValues(),
					listvalidator.ValueStringsAre(decimalID()),
					customChannelNeedsAPIValidator{},
				},
			},
			"connectors": schema.DynamicAttribute{
				Optional: true,
				MarkdownDescription: "Per-channel settings, as an object of connector id to an object of settings, for example " +
					"`{ \"7470849514748001\" = { device_id = [\"51237825001\"] } }`. Setting values that are not strings are " +
					"JSON-encoded, as the API expects (`device_id = \"[\\\"51237825001\\\"]\"`).",
				Validators: []validator.Dynamic{connectorsValidator{}},
			},
			"triggers": schema.MapAttribute{
				Optional:    true,
				ElementType: types.StringType,
				MarkdownDescription: "Arbitrary strings; any change publishes again. Reference `coze_bot_config.<name>.config_hash` " +
					"(or `coze_bot.<name>.config_hash`) to publish after each change of the bot's settings.",
			},
			"unpublish_reason": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Reason sent when the resource is destroyed and the bot unpublished, at most 1024 characters.",
				Validators:          []validator.String{stringvalidator.UTF8LengthAtMost(maxUnpublishReasonChars)},
			},
			"version": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The published version (a millisecond timestamp) returned by the last publish.",
			},
		},
	}
}

// ModifyPlan keeps the version unless this plan publishes again, and checks
// a new or changed space_id against the workspace's bot list.
func (r *botPublishResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan botPublishModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if req.State.Raw.IsNull() {
		r.requireClientAtPlan(&resp.Diagnostics)
		if !resp.Diagnostics.HasError() {
			r.checkWorkspaceHoldsBot(ctx, plan, nil, &resp.Diagnostics)
		}
		return
	}
	var state botPublishModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	version := state.Version
	if republishes(plan, state) {
		r.requireClientAtPlan(&resp.Diagnostics)
		version = types.StringUnknown()
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("version"), version)...)
	if !resp.Diagnostics.HasError() {
		r.checkWorkspaceHoldsBot(ctx, plan, &state, &resp.Diagnostics)
	}
}

// checkWorkspaceHoldsBot fails the plan when a new or changed space_id (or
// bot_id) names a workspace that does not hold the bot: never fall back to
// another way of reading it. Terraform plans each resource again during the
// apply, so values unknown in the plan (a bot that coze_bot creates) are
// checked then.
func (r *botPublishResource) checkWorkspaceHoldsBot(ctx context.Context, plan botPublishModel, state *botPublishModel, diags *diag.Diagnostics) {
	space, bot := plan.SpaceID, plan.BotID
	if space.IsNull() || space.IsUnknown() || bot.IsNull() || bot.IsUnknown() {
		return
	}
	if state != nil && state.SpaceID.Equal(space) && state.BotID.Equal(bot) {
		return // checked when it was set; each refresh checks it again
	}
	client := r.client(diags)
	if client == nil {
		return
	}
	held, err := r.data.publishStates.holds(ctx, client, space.ValueString(), bot.ValueString())
	if err != nil {
		addPublishListError(diags, client, space.ValueString(), "check that it holds Coze bot "+bot.ValueString(), err)
		return
	}
	if !held {
		// A bot that does not exist is left to the apply, whose publish fails
		// with the API's error, as without space_id: failing the plan would
		// also fail a refresh-only run that records the bot gone.
		_ = r.addWorkspaceMismatch(ctx, client, space.ValueString(), bot.ValueString(), diags)
	}
}

// addWorkspaceMismatch says that the workspace does not list the bot. It
// reads the bot to tell a wrong space_id from a wrong bot_id, and returns
// the read's error when the bot is gone (4006, 4200) without adding any.
func (r *botPublishResource) addWorkspaceMismatch(ctx context.Context, client *coze.Client, space, bot string, diags *diag.Diagnostics) (gone error) {
	_, err := client.GetBot(ctx, bot, false)
	if coze.IsNotFound(err) {
		return err
	}
	if err != nil {
		addAPIError(diags, client, "read Coze bot "+bot+", which workspace "+space+" does not list", err)
		return nil
	}
	diags.AddAttributeError(path.Root("space_id"), "Coze workspace "+space+" does not hold bot "+bot,
		fmt.Sprintf("space_id is %s, but the bot list of workspace %s does not show bot %s, which exists. Set space_id to the "+
			"workspace that holds the bot (coze_bot.<name>.space_id, or the number after /space/ in the bot's URL in Coze), or "+
			"remove space_id to read the publish state one bot at a time. On Coze's personal edition the list shows only the "+
			"bots of workspaces that the token's user owns.", space, space, bot))
	return nil
}

// addPublishListError reports a failed listing of a workspace's bots: an API error
// with its code, msg and logid, or a listing the provider gave up on.
func addPublishListError(diags *diag.Diagnostics, client *coze.Client, space, purpose string, err error) {
	operation := fmt.Sprintf("list the bots of Coze workspace %s to %s", space, purpose)
	if errors.Is(err, coze.ErrPaging) {
		diags.AddError("Cannot "+operation, err.Error()+
			"\n\nRemove space_id to read the publish state one bot at a time. The state was left as it was.")
		return
	}
	addAPIError(diags, client, operation, err, "The state was left as it was. The listing needs the token's listBot permission; "+
		"without it, remove space_id to read the publish state one bot at a time.")
}

func republishes(plan, state botPublishModel) bool {
	return !plan.ConnectorIDs.Equal(state.ConnectorIDs) || !plan.Connectors.Equal(state.Connectors) || !plan.Triggers.Equal(state.Triggers)
}

func (r *botPublishResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan botPublishModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.publish(ctx, &plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = plan.BotID
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

func (r *botPublishResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state botPublishModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if republishes(plan, state) {
		client := r.client(&resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
		planned, oldIDs := stringElements(plan.ConnectorIDs), stringElements(state.ConnectorIDs)
		for _, id := range oldIDs {
			if slices.Contains(planned, id) {
				continue
			}
			r.data.publishStates.published(plan.SpaceID.ValueString())
			r.data.written.addBot(plan.BotID.ValueString())
			if err := client.UnpublishBot(ctx, plan.BotID.ValueString(), id, plan.UnpublishReason.ValueString()); err != nil && !alreadyUnpublished(err) {
				addAPIError(&resp.Diagnostics, client, "unpublish Coze bot "+plan.BotID.ValueString()+" from connector "+id, err)
				return
			}
		}
		r.publish(ctx, &plan, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
	} else {
		plan.Version = state.Version
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

func (r *botPublishResource) publish(ctx context.Context, plan *botPublishModel, diags *diag.Diagnostics) {
	client := r.client(diags)
	if diags.HasError() {
		return
	}
	connectors, err := encodeConnectors(plan.Connectors)
	if err != nil {
		diags.AddAttributeError(path.Root("connectors"), "Invalid connectors", err.Error())
		return
	}
	r.data.publishStates.published(plan.SpaceID.ValueString())
	r.data.written.addBot(plan.BotID.ValueString()) // an uncertain create of this walk must not adopt it
	published, err := client.PublishBot(ctx, &coze.PublishBotRequest{
		BotID: plan.BotID.ValueString(), ConnectorIDs: stringElements(plan.ConnectorIDs), Connectors: connectors,
	})
	if err != nil {
		addAPIError(diags, client, "publish Coze bot "+plan.BotID.ValueString(), err)
		return
	}
	plan.Version = types.StringValue(published.Version)
}

// Read checks that the bot is still published: from the workspace's bot
// list with space_id, else from the bot's published version. A bot
// unpublished out of band is removed from the state (or, from some of its
// channels, loses them from connector_ids), so that the next apply
// publishes it again.
func (r *botPublishResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state botPublishModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	client := r.client(&resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if !state.SpaceID.IsNull() {
		r.readFromList(ctx, client, &state, resp)
		return
	}
	bot, err := client.GetBot(ctx, state.BotID.ValueString(), true)
	// 4015 answers for the API channel: it says nothing of a bot published
	// to other channels only (when the API reads it that way: the mock's
	// PublishedReadNeedsAPIChannel). The state then stays as it is.
	if notPublishedToAPI(err) && !slices.Contains(stringElements(state.ConnectorIDs), coze.ConnectorAPI) {
		return
	}
	// Dropping is safe on an ambiguous 4006/4200: the next apply only
	// publishes, which creates nothing and fails alike while the bot is unreadable.
	if coze.IsNotFound(err) || notPublishedToAPI(err) {
		addRemovedFromStateWarning(&resp.Diagnostics, "Published version of Coze bot", state.BotID.ValueString(), err,
			"The next apply publishes the bot again.")
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, client, "read the published version of Coze bot "+state.BotID.ValueString(), err)
		return
	}
	if bot.Version != "" {
		state.Version = types.StringValue(bot.Version)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// readFromList refreshes the resource from the workspace's lists of bots
// published to each of its channels. The version stays as the last publish
// set it: the list does not say it.
func (r *botPublishResource) readFromList(ctx context.Context, client *coze.Client, state *botPublishModel, resp *resource.ReadResponse) {
	space, bot := state.SpaceID.ValueString(), state.BotID.ValueString()
	still, dropped, ok := r.channelsStillPublished(ctx, client, workspaceBot{space, bot}, stringElements(state.ConnectorIDs), &resp.Diagnostics)
	if !ok {
		return
	}
	if len(dropped) == 0 {
		return // no drift: the state stays as it is
	}
	held, err := r.data.publishStates.holds(ctx, client, space, bot)
	if err != nil {
		addPublishListError(&resp.Diagnostics, client, space, "check that it holds Coze bot "+bot, err)
		return
	}
	if !held {
		if gone := r.addWorkspaceMismatch(ctx, client, space, bot, &resp.Diagnostics); gone != nil {
			addRemovedFromStateWarning(&resp.Diagnostics, "Coze bot", bot, gone, "The next apply publishes it again, "+
				"which fails alike while the bot cannot be read.")
			resp.State.RemoveResource(ctx)
		}
		return
	}
	if len(still) == 0 {
		addRemovedFromStateWarning(&resp.Diagnostics, "Published version of Coze bot", bot,
			fmt.Errorf("workspace %s lists it as published to none of its channels %s", space, strings.Join(dropped, ", ")),
			"The next apply publishes the bot again.")
		resp.State.RemoveResource(ctx)
		return
	}
	state.ConnectorIDs = types.ListValueMust(types.StringType, still)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// channelsStillPublished splits the channels of a bot into those its
// workspace still lists it as published to and those it does not; ok is
// false after an error, when the state must stay as it is.
//
// The list's doc defines published_online as "the published version" and
// published_draft as "published, but now a draft". A bot missing from a
// channel's published_online is looked up in published_draft, where a bot
// whose draft was edited after its publish may be listed instead
// (mockcoze.Options.PublishedStatusesApart). But "published, but now a
// draft" may also mean a bot published once and unpublished since
// (mockcoze.Options.PublishedDraftListsUnpublished), so being listed there
// only proves nothing: for the API channel the bot's published version is
// read (GET /v1/bots/{id}?is_published=true answers 4015 for a bot not
// published to it), once per bot and refresh; for other channels, where
// that read tells nothing, the channel is kept, with a warning. The read
// may also answer success for a bot published to any channel
// (mockcoze.Options.PublishedReadNeedsAPIChannel is the other reading), so
// its success confirms the API channel only for a bot the state holds
// published to no other channel; otherwise the API channel is kept with the
// same warning.
func (r *botPublishResource) channelsStillPublished(ctx context.Context, client *coze.Client, wb workspaceBot, connectors []string,
	diags *diag.Diagnostics) (still []attr.Value, dropped []string, ok bool) {
	var unconfirmed []string
	for _, connector := range connectors {
		online, err := r.data.publishStates.publishedTo(ctx, client, wb.workspace, connector)
		isPublished := err == nil && online[wb.bot]
		if err == nil && !isPublished {
			var draft map[string]bool
			draft, err = r.data.publishStates.publishedDraftTo(ctx, client, wb.workspace, connector)
			switch {
			case err != nil || !draft[wb.bot]:
			case connector == coze.ConnectorAPI:
				var readErr error
				if isPublished, readErr = publishedToAPI(ctx, client, wb.bot); readErr != nil {
					hint := "Workspace " + wb.workspace + " lists the bot under published_draft only, which does not tell whether it is " +
						"still published; the state was left as it was."
					if coze.IsNotFound(readErr) {
						// The workspace has just listed the bot: most likely a
						// permission, which every refresh meets again.
						hint += " The workspace has just listed the bot, so the token's user most likely lacks the permission to " +
							"read its published version: check the token's permissions and its role in workspace " + wb.workspace +
							". If this bot's publishing should no longer be managed, remove the resource from the state with " +
							"terraform state rm <address of this coze_bot_publish>."
					}
					addAPIError(diags, client, "read the published version of Coze bot "+wb.bot, readErr, hint)
					return nil, nil, false
				}
				if isPublished && len(connectors) > 1 {
					unconfirmed = append(unconfirmed, connector) // its published version may be another channel's
				}
			default:
				isPublished = true
				unconfirmed = append(unconfirmed, connector)
			}
		}
		if err != nil {
			addPublishListError(diags, client, wb.workspace, "read the publish state of Coze bot "+wb.bot, err)
			return nil, nil, false
		}
		if isPublished {
			still = append(still, types.StringValue(connector))
		} else {
			dropped = append(dropped, connector)
		}
	}
	if len(unconfirmed) > 0 {
		diags.AddWarning(fmt.Sprintf("Cannot confirm that Coze bot %s is still published to %s", wb.bot, strings.Join(unconfirmed, ", ")),
			fmt.Sprintf("Workspace %s lists the bot under publish_status published_draft for these channels, not under "+
				"published_online. Coze's docs define published_draft as \"published, but now a draft\": a bot published whose "+
				"draft was edited since, or one unpublished since. Only the API channel (1024) can be checked bot by bot, by "+
				"reading the bot's published version, and that read may succeed for a bot published to any channel, so it "+
				"confirms 1024 only for a bot published to no other channel of this resource. The state keeps these channels "+
				"as published. If the bot was unpublished from them in Coze, publish it again with "+
				"terraform apply -replace=<address of this coze_bot_publish>.", wb.workspace))
	}
	return still, dropped, true
}

// publishedToAPI reads whether a bot is published to the API channel: its
// published version reads (true: published to some channel, see
// channelsStillPublished), or answers 4015 "not published to the API
// channel" (false). Any other error, 4006/4200 included, is returned: the
// workspace has just listed the bot, so "invalid bot id or no permission"
// is most likely about permission and tells nothing about the channel.
// Bots published to the API channel are also listed under published_online
// unless their draft changed since, so this read is made only for a bot
// listed under published_draft alone.
func publishedToAPI(ctx context.Context, client *coze.Client, botID string) (bool, error) {
	_, err := client.GetBot(ctx, botID, true)
	switch {
	case err == nil:
		return true, nil
	case notPublishedToAPI(err):
		return false, nil
	}
	return false, err
}

func (r *botPublishResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state botPublishModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	client := r.client(&resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	r.data.publishStates.published(state.SpaceID.ValueString())
	r.data.written.addBot(state.BotID.ValueString())
	for _, id := range stringElements(state.ConnectorIDs) {
		err := client.UnpublishBot(ctx, state.BotID.ValueString(), id, state.UnpublishReason.ValueString())
		if err != nil && !alreadyUnpublished(err) {
			addAPIError(&resp.Diagnostics, client, "unpublish Coze bot "+state.BotID.ValueString()+" from connector "+id, err)
			return // the state keeps the resource: destroy can be retried
		}
	}
}

// alreadyUnpublished is an unpublish error that means the goal is reached.
func alreadyUnpublished(err error) bool {
	return coze.IsNotFound(err) || notPublishedToAPI(err)
}

// notPublishedToAPI is the published read's 4015: the bot is not published
// to the API channel.
func notPublishedToAPI(err error) bool {
	apiErr, ok := coze.AsAPIError(err)
	return ok && apiErr.Code == coze.CodeNotPublishedToAPI
}

func stringElements(list types.List) []string {
	out := make([]string, 0, len(list.Elements()))
	for _, e := range list.Elements() {
		out = append(out, stringOf(e))
	}
	return out
}

// encodeConnectors turns the HCL connectors object into the API's map of
// channel id to settings whose values are strings, JSON-encoding every value
// that is not a string already.
func encodeConnectors(v types.Dynamic) (map[string]map[string]string, error) {
	if v.IsNull() || v.IsUnknown() || v.IsUnderlyingValueNull() {
		return nil, nil
	}
	channels, ok := objectAttributes(v)
	if !ok {
		return nil, fmt.Errorf("connectors must be an object of connector id to an object of settings")
	}
	out := make(map[string]map[string]string, len(channels))
	for channel, settingsValue := range channels {
		if settingsValue.IsUnknown() {
			return nil, errUnknownValue
		}
		settings, ok := objectAttributes(settingsValue)
		if !ok {
			return nil, fmt.Errorf("connectors[%q] must be an object of settings", channel)
		}
		if !decimalIDPattern.MatchString(channel) {
			return nil, fmt.Errorf("connectors key %q must be a connector id (digits)", channel)
		}
		encoded := make(map[string]string, len(settings))
		for key, value := range settings {
			if s, isString := unwrapDynamic(value).(basetypes.StringValue); isString {
				encoded[key] = s.ValueString()
				continue
			}
			decoded, err := attrToJSON(value)
			if err != nil {
				return nil, fmt.Errorf("connectors[%q].%s: %w", channel, key, err)
			}
			raw, err := json.Marshal(decoded)
			if err != nil {
				return nil, fmt.Errorf("connectors[%q].%s: %w", channel, key, err)
			}
			encoded[key] = string(raw)
		}
		out[channel] = encoded
	}
	return out, nil
}

func unwrapDynamic(v attr.Value) attr.Value {
	if d, ok := v.(basetypes.DynamicValue); ok {
		return d.UnderlyingValue()
	}
	return v
}

type connectorsValidator struct{}

func (connectorsValidator) Description(context.Context) string {
	return "must be an object of connector id (digits) to an object of settings"
}
func (v connectorsValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (connectorsValidator) ValidateDynamic(_ context.Context, req validator.DynamicRequest, resp *validator.DynamicResponse) {
	if _, err := encodeConnectors(req.ConfigValue); err != nil && !errors.Is(err, errUnknownValue) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid connectors", "Attribute connectors: "+err.Error())
	}
}

type customChannelNeedsAPIValidator struct{}

func (customChannelNeedsAPIValidator) Description(context.Context) string {
	return "a custom channel id also needs the API channel 1024"
}
func (v customChannelNeedsAPIValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (customChannelNeedsAPIValidator) ValidateList(_ context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	ids := []string{}
	for _, e := range req.ConfigValue.Elements() {
		if e.IsUnknown() {
			return
		}
		ids = append(ids, stringOf(e))
	}
	custom := slices.ContainsFunc(ids, func(id string) bool { return id != coze.ConnectorAPI && id != coze.ConnectorChatSDK })
	if custom && !slices.Contains(ids, coze.ConnectorAPI) {
		sorted := slices.Clone(ids)
		sort.Strings(sorted)
		resp.Diagnostics.AddAttributeError(req.Path, "Custom channel needs the API channel",
			fmt.Sprintf("Attribute %s must include \"1024\" (the API channel) when it lists a custom channel, got: %q", req.Path, sorted))
	}
}

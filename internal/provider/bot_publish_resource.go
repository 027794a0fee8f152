package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"

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
			"A refresh that finds the bot unpublished (4015) or unreadable (4006, 4200) removes the resource from the state " +
			"with a warning, and the next apply publishes again: that creates nothing, and fails with the same error while " +
			"the token cannot see the bot. Any other error (4100, 4101, ...) fails the refresh and leaves the state as it was.",
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

// ModifyPlan keeps the version unless this plan publishes again.
func (r *botPublishResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || req.State.Raw.IsNull() {
		if !req.Plan.Raw.IsNull() {
			r.requireClientAtPlan(&resp.Diagnostics)
		}
		return
	}
	var plan, state botPublishModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
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
		client, diags := r.data.apiClient()
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		planned, oldIDs := stringElements(plan.ConnectorIDs), stringElements(state.ConnectorIDs)
		for _, id := range oldIDs {
			if slices.Contains(planned, id) {
				continue
			}
			if err := client.UnpublishBot(ctx, plan.BotID.ValueString(), id, plan.UnpublishReason.ValueString()); err != nil && !alreadyUnpublished(err) {
				summary, detail := describeAPIError("unpublish Coze bot "+plan.BotID.ValueString()+" from connector "+id, client.BaseURL(), err)
				resp.Diagnostics.AddError(summary, detail)
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
	client, d := r.data.apiClient()
	diags.Append(d...)
	if diags.HasError() {
		return
	}
	connectors, err := encodeConnectors(plan.Connectors)
	if err != nil {
		diags.AddAttributeError(path.Root("connectors"), "Invalid connectors", err.Error())
		return
	}
	published, err := client.PublishBot(ctx, &coze.PublishBotRequest{
		BotID: plan.BotID.ValueString(), ConnectorIDs: stringElements(plan.ConnectorIDs), Connectors: connectors,
	})
	if err != nil {
		summary, detail := describeAPIError("publish Coze bot "+plan.BotID.ValueString(), client.BaseURL(), err)
		diags.AddError(summary, detail)
		return
	}
	plan.Version = types.StringValue(published.Version)
}

// Read checks that the bot is still published; a bot unpublished out of
// band is removed from the state, so that the next apply publishes it again.
func (r *botPublishResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state botPublishModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	client, diags := r.data.apiClient()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	bot, err := client.GetBot(ctx, state.BotID.ValueString(), true)
	// Dropping is safe on an ambiguous 4006/4200: the next apply only
	// publishes, which creates nothing and fails alike while the bot is unreadable.
	if coze.IsNotFound(err) || isCode(err, coze.CodeNotPublishedToAPI) {
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

func (r *botPublishResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state botPublishModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	client, diags := r.data.apiClient()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	for _, id := range stringElements(state.ConnectorIDs) {
		err := client.UnpublishBot(ctx, state.BotID.ValueString(), id, state.UnpublishReason.ValueString())
		if err != nil && !alreadyUnpublished(err) {
			summary, detail := describeAPIError("unpublish Coze bot "+state.BotID.ValueString()+" from connector "+id, client.BaseURL(), err)
			resp.Diagnostics.AddError(summary, detail)
			return // the state keeps the resource: destroy can be retried
		}
	}
}

// alreadyUnpublished is an unpublish error that means the goal is reached.
func alreadyUnpublished(err error) bool {
	return coze.IsNotFound(err) || isCode(err, coze.CodeNotPublishedToAPI)
}

func isCode(err error, code int64) bool {
	apiErr, ok := coze.AsAPIError(err)
	return ok && apiErr.Code == code
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

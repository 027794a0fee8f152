package provider

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

var (
	_ resource.ResourceWithConfigure      = &botResource{}
	_ resource.ResourceWithImportState    = &botResource{}
	_ resource.ResourceWithModifyPlan     = &botResource{}
	_ resource.ResourceWithValidateConfig = &botResource{}
)

// NewBotResource is the coze_bot resource: it creates a bot, then manages the
// same settings as coze_bot_config.
func NewBotResource() resource.Resource {
	return &botResource{botSettingsResource: botSettingsResource{resourceBase: resourceBase{typeName: "bot"}, createsBots: true}}
}

// botResource gets ValidateConfig and Read from botSettingsResource.
type botResource struct {
	botSettingsResource
}

// botSchema is coze_bot_config's schema with a space_id, a required name and
// a computed bot_id: the settings are the same, so is their mapping.
var botSchema = sync.OnceValue(func() schema.Schema {
	base := botConfigSchema()
	attrs := maps.Clone(base.Attributes)
	attrs["id"] = schema.StringAttribute{
		Computed:            true,
		MarkdownDescription: "The bot id, the same as `bot_id`.",
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
	attrs["bot_id"] = schema.StringAttribute{
		Computed:            true,
		MarkdownDescription: "Id of the created bot. Use it in `coze_bot_config`, `coze_bot_publish` and the `coze_bot` data source.",
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
	attrs["space_id"] = schema.StringAttribute{
		Required: true,
		MarkdownDescription: "Id of the workspace to create the bot in: the digits after `space/` in the Coze URL. " +
			"Changing it creates a new bot (the old one is left in place: there is no delete API).",
		Validators:    []validator.String{decimalID()},
		PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
	attrs["name"] = schema.StringAttribute{
		Required:            true,
		MarkdownDescription: "Bot name, 1 to 20 characters (Unicode characters, not bytes).",
		Validators:          []validator.String{stringvalidator.UTF8LengthBetween(1, maxNameChars)},
	}
	return schema.Schema{
		MarkdownDescription: "Creates a Coze bot (智能体) with `POST /v1/bot/create` and manages its settings through the update " +
			"API, like `coze_bot_config`. The bot is created as an unpublished draft; publish it with `coze_bot_publish`.\n\n" +
			"`knowledge` is not accepted by the create API: when it is set, the create is followed by an update. " +
			"Coze has no API to delete a bot: destroying this resource only removes it from the Terraform state.\n\n" +
			"For the same reason a bot is never dropped from the state on an ambiguous answer. When a refresh gets 4006 or 4200 " +
			"from the read API (\"wrong id, deleted, or no permission\"), the provider reads the workspace's bot list " +
			"(`GET /v1/bots`, which needs the `listBot` permission): if the bot is still listed, or the list cannot be read, " +
			"the refresh fails with the API's code, msg and logid and the state is kept, so that no second bot is created. " +
			"A bot the list does not show either is removed from the state, with a warning, and created again by the next " +
			"apply, only when that list is known to show the token every bot of the workspace: the token's workspace list " +
			"(`GET /v1/workspaces`, the `listWorkspace` permission) shows the token's user as the workspace's owner, or the " +
			"workspace as an enterprise's. On Coze's personal edition the bot list shows only the bots of workspaces the " +
			"user owns, so elsewhere the refresh fails, keeps the state, and says to run `terraform state rm` if the bot " +
			"is gone. Any other error (4100, 4101, ...) fails the refresh and leaves the state as it was.\n\n" +
			"Import takes `<space_id>/<bot_id>`; the first read checks that the workspace's bot list shows the bot.",
		Attributes: attrs,
	}
})

func (r *botResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	s := botSchema()
	s.Attributes = maps.Clone(s.Attributes)
	s.Attributes["timeouts"] = timeouts.Attributes(ctx, timeoutsOpts)
	resp.Schema = s
}

func (r *botResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		resp.Diagnostics.AddWarning("Destroying coze_bot does not delete the bot",
			"Coze has no API to delete a bot. Destroying this resource only removes it from the Terraform state; "+
				"the bot stays in its workspace. Delete it in the Coze console if you no longer need it.")
		return
	}
	r.requireClientAtPlan(&resp.Diagnostics)
	r.planConfigHash(ctx, req, resp)
	if unbound, d := req.Private.GetKey(ctx, privateKeyKnowledgeUnbound); len(unbound) > 0 && !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(d...)
		// An unknown hash makes this an update, which sends the knowledge again.
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, pathConfigHash, types.StringUnknown())...)
	}
}

func (r *botResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	client := r.client(&resp.Diagnostics)
	plan, diags := rootObject(ctx, req.Plan.Schema.Type(), req.Plan.Raw)
	resp.Diagnostics.Append(diags...)
	planned := botOf(plan)
	requestCtx := ctx // Terraform stopping the apply cancels it: it ends the recovery of an uncertain create too
	ctx, cancel := withTimeout(ctx, planned.Timeouts().Create, defaultWriteTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	settings, diags := expandUpdateBotRequest(plan, types.ObjectNull(plan.AttributeTypes(ctx)))
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	spaceID := planned.SpaceID().ValueString()
	create := &coze.CreateBotRequest{
		SpaceID: spaceID, Name: planned.Name().ValueString(),
		Description: settings.Description, IconFileID: settings.IconFileID, PromptInfo: settings.PromptInfo,
		OnboardingInfo: settings.OnboardingInfo, PluginIDList: settings.PluginIDList, WorkflowIDList: settings.WorkflowIDList,
		ModelInfoConfig: settings.ModelInfoConfig, SuggestReplyInfo: settings.SuggestReplyInfo,
	}
	started := time.Now()
	finish := r.data.written.createStarted("bot", spaceID, create.Name)
	botID, err := client.CreateBot(ctx, create)
	adopted := false
	recovery := newCreateRecovery(requestCtx, ctx)
	defer recovery.close()
	switch {
	case coze.IsUncertainCreate(err):
		// The bot may exist: never create it again (recoverBotCreate). The
		// looking and the adopted bot's update run on the recovery context:
		// the create's may have run out.
		ctx = recovery.context()
		if botID = r.recoverBotCreate(ctx, client, botCreateAttempt{request: create, started: started, err: err}, &resp.Diagnostics); botID == "" {
			return // unresolved for the walk: its bot may still be listed
		}
		finish() // adopted, so claimed
		adopted = true
	case err != nil:
		finish()
		addAPIError(&resp.Diagnostics, client, "create bot in space "+spaceID, err)
		return
	default:
		claimed := r.data.written.claim("bot", botID)
		finish() // after the claim: until then, the new bot may look adoptable to another create
		if !claimed {
			addCreatedButAdoptedError(&resp.Diagnostics, "Coze bot", botID, create.Name)
			return
		}
		tflog.Info(ctx, "Created Coze bot", map[string]any{"bot_id": botID, "space_id": spaceID})
	}
	r.data.publishStates.botCreated(spaceID, botID) // a coze_bot_publish of this walk may check its space_id

	resp.State.Raw = req.Plan.Raw.Copy()
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), botID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("bot_id"), botID)...)

	// The create API does not take knowledge: bind it with an update. If that
	// fails the bot exists all the same, so it must stay in the state: an
	// error would taint it, and its replacement would create a second bot,
	// since there is no delete API. Terraform requires the state to match the
	// plan here, so the failure is kept in private state instead, and every
	// later plan updates the bot until the knowledge is bound.
	//
	// An adopted bot gets every planned setting in that update: which of them
	// its uncertain create applied is unknown.
	update := &coze.UpdateBotRequest{BotID: botID, Knowledge: settings.Knowledge}
	if adopted {
		update = settings
		update.BotID = botID
	}
	if update.Knowledge != nil || adopted {
		if err := client.UpdateBot(ctx, update); err != nil {
			what, outcome := "bind knowledge to the new Coze bot "+botID, ": knowledge not bound"
			next := "The bot was created and is in the state, but its knowledge is not bound: the next plan updates the bot to bind it."
			if adopted {
				what, outcome = "apply the planned settings to the adopted Coze bot "+botID, ": settings not applied"
				next = "The bot is in the state, but its settings may differ from the plan: the next plan updates the bot again."
			}
			summary, detail := describeAPIError(what, client.BaseURL(), err)
			resp.Diagnostics.AddWarning(summary+outcome, detail+"\n\n"+next)
			resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateKeyKnowledgeUnbound, []byte("true"))...)
		}
	}
}

// privateKeyKnowledgeUnbound marks a bot whose knowledge could not be bound
// after creation.
const privateKeyKnowledgeUnbound = "knowledge_unbound"

func (r *botResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan := r.update(ctx, "update bot", req, resp)
	if resp.Diagnostics.HasError() {
		return
	}
	// A plan forced by an unbound knowledge (see ModifyPlan) left the hash unknown.
	if botOf(plan).ConfigHash().IsUnknown() {
		hash, diags := configHash(plan)
		resp.Diagnostics.Append(diags...)
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, pathConfigHash, hash)...)
	}
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateKeyKnowledgeUnbound, nil)...)
}

func (r *botResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, diags := rootObject(ctx, req.State.Schema.Type(), req.State.Raw)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.AddWarning("Bot left in place",
		fmt.Sprintf("coze_bot %s was removed from the Terraform state only: Coze has no API to delete a bot.", botOf(state).BotID().ValueString()))
}

// ImportState takes "<space_id>/<bot_id>": the read API does not tell a
// bot's workspace, and a missing space_id would plan a replacement.
func (r *botResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	spaceID, botID, ok := strings.Cut(req.ID, "/")
	if !ok || !decimalIDPattern.MatchString(spaceID) || !decimalIDPattern.MatchString(botID) {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("Import coze_bot by <space_id>/<bot_id>, for example: terraform import coze_bot.example 7341000000000000/7342866800001. Got: %q", req.ID))
		return
	}
	for name, value := range map[string]string{"id": botID, "bot_id": botID, "space_id": spaceID} {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), value)...)
	}
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateKeyImporting, []byte("true"))...)
}

package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
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
	_ resource.ResourceWithConfigure   = &workspaceResource{}
	_ resource.ResourceWithImportState = &workspaceResource{}
	_ resource.ResourceWithModifyPlan  = &workspaceResource{}
)

// NewWorkspaceResource is the coze_workspace resource.
func NewWorkspaceResource() resource.Resource {
	return &workspaceResource{resourceBase: resourceBase{typeName: "workspace"}}
}

type workspaceResource struct {
	resourceBase
}

type workspaceModel struct {
	ID            types.String   `tfsdk:"id"`
	Name          types.String   `tfsdk:"name"`
	Description   types.String   `tfsdk:"description"`
	IconFileID    types.String   `tfsdk:"icon_file_id"`
	CozeAccountID types.String   `tfsdk:"coze_account_id"`
	OwnerUID      types.String   `tfsdk:"owner_uid"`
	WorkspaceType types.String   `tfsdk:"workspace_type"`
	EnterpriseID  types.String   `tfsdk:"enterprise_id"`
	Timeouts      timeouts.Value `tfsdk:"timeouts"`
}

// createOnlyAttributes are taken by the create API only: the update API
// changes name and description. A change of coze_account_id or owner_uid
// replaces the workspace (it is another organization's or user's); a change
// of icon_file_id does not (see ModifyPlan).
var createOnlyAttributes = []string{"icon_file_id", "coze_account_id", "owner_uid"}

// replacingAttributes are the create-only attributes whose change replaces
// the workspace. icon_file_id is not one: replacing a workspace, which
// cannot be deleted, and every bot whose space_id refers to it, for an icon
// would leave the old ones behind; a new icon_file_id is recorded, with a
// warning, and applies only when a workspace is created.
var replacingAttributes = []string{"coze_account_id", "owner_uid"}

// privateKeyUnknownSinceImport lists the create-only attributes whose value
// Terraform has not known since an import: the list API does not return them,
// so the first value configured for each is adopted instead of replacing.
const privateKeyUnknownSinceImport = "unknown_since_import"

// userIDPattern accepts a Coze UID: digits everywhere in the docs, but
// create_workspace.md's example owner_uid is "user_1234567890".
var userIDPattern = regexp.MustCompile(`^(user_)?[0-9]+$`)

func (r *workspaceResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Creates a Coze workspace (工作空间) with `POST /v1/workspaces` and keeps its name and description " +
			"with `PUT /v1/workspaces/{workspace_id}`; refresh finds it in `GET /v1/workspaces`, every page. Needs the " +
			"`createWorkspace`, `Workspace.update` and `listWorkspace` permissions.\n\n" +
			"Coze has **no API to delete a workspace**: destroying this resource only removes it from the Terraform state, " +
			"with a warning at plan time and at apply time. For the same reason a change of `coze_account_id` or `owner_uid`, " +
			"which only the create API takes, creates a new workspace and leaves the old one in place (the plan warns); a " +
			"change of `icon_file_id`, which only the create API takes too, is recorded without replacing anything and " +
			"without changing the icon (the plan warns). Personal workspaces cannot be renamed: a change of their name or " +
			"description fails at plan time.\n\n" +
			"A workspace that the list does not show is **never removed from the state**: the list shows only the " +
			"workspaces that the token's user created or joined (with `owner_uid` and `coze_account_id` set, the owner's " +
			"list is read too), so a token of another account or a service app, a token user removed from the workspace or " +
			"another owner hides it without deleting it. The refresh fails with an error instead, and the state is kept; " +
			"if the workspace was really deleted, run `terraform state rm`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The workspace id: the digits after `space/` in the Coze URL. Use it as `space_id` of `coze_bot`.",
				PlanModifiers:       keep,
			},
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: fmt.Sprintf("Workspace name, 1 to %d characters (Unicode characters, not bytes).", coze.MaxWorkspaceNameChars),
				Validators:          []validator.String{stringvalidator.UTF8LengthBetween(1, coze.MaxWorkspaceNameChars)},
			},
			"description": schema.StringAttribute{
				Required: true,
				MarkdownDescription: fmt.Sprintf("What the workspace is for, 1 to %d characters. Required by the create API; "+
					"it cannot be emptied later, since the update API reads an empty description as \"unchanged\".", coze.MaxWorkspaceDescriptionChars),
				Validators: []validator.String{stringvalidator.UTF8LengthBetween(1, coze.MaxWorkspaceDescriptionChars)},
			},
			"icon_file_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Id of an uploaded file (`coze_file`) to use as the workspace's icon; Coze's default icon " +
					"when unset. Only the create API takes it: a change is recorded in the state, with a warning at plan and " +
					"apply time, but does not change the icon of an existing workspace (change it in the Coze console) and " +
					"does not replace the workspace.",
				Validators: []validator.String{decimalID()},
			},
			"coze_account_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "On enterprise plans, the id of the organization to create the workspace in (shown on the " +
					"organization settings page); members added to such a workspace join directly. Leave it unset on personal " +
					"plans: the workspace belongs to the token's user and members are invited. Changing it replaces the workspace.",
				Validators: []validator.String{decimalID()},
			},
			"owner_uid": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "On enterprise plans, the Coze UID of the employee who owns the workspace (default: the " +
					"token's user); not used on personal plans. Changing it replaces the workspace. Ownership transferred in the " +
					"Coze console is not tracked.",
				Validators: []validator.String{stringvalidator.RegexMatches(userIDPattern,
					`must be a Coze UID: digits (as shown in the account settings), or "user_" and digits`)},
			},
			"workspace_type": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`team` for workspaces created by this resource, `personal` for an imported personal workspace.",
				PlanModifiers:       keep,
			},
			"enterprise_id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Id of the enterprise the workspace belongs to; empty for workspaces of a personal account.",
				PlanModifiers:       keep,
			},
			"timeouts": timeouts.Attributes(ctx, timeoutsOpts),
		},
	}
}

func (r *workspaceResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		resp.Diagnostics.AddWarning("Destroying coze_workspace does not delete the workspace",
			"Coze has no API to delete a workspace. Destroying this resource only removes it from the Terraform state; "+
				"the workspace stays, with its bots, workflows and members. Delete it in the Coze console if you no longer need it.")
		return
	}
	r.requireClientAtPlan(&resp.Diagnostics)
	if req.State.Raw.IsNull() {
		return
	}
	var plan, state workspaceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if state.WorkspaceType.ValueString() == coze.WorkspaceTypePersonal {
		for name, change := range map[string][2]types.String{"name": {plan.Name, state.Name}, "description": {plan.Description, state.Description}} {
			// A null prior value was never returned by the API: it is adopted (see Update).
			if !change[1].IsNull() && !change[0].Equal(change[1]) {
				resp.Diagnostics.AddAttributeError(path.Root(name), "Personal workspaces cannot be changed",
					fmt.Sprintf("Workspace %s is a personal workspace: Coze's update API does not change the name or description of "+
						"personal workspaces. Set %s back to %s.", state.ID.ValueString(), name, change[1].String()))
			}
		}
	}

	unknown, diags := unknownSinceImport(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	planned := map[string]types.String{"icon_file_id": plan.IconFileID, "coze_account_id": plan.CozeAccountID, "owner_uid": plan.OwnerUID}
	prior := map[string]types.String{"icon_file_id": state.IconFileID, "coze_account_id": state.CozeAccountID, "owner_uid": state.OwnerUID}
	changed := func(name string) bool {
		// unchanged, or adopted: its value was unknown since the import
		return !planned[name].Equal(prior[name]) && !adoptedSinceImport(prior[name], name, unknown)
	}
	if changed("icon_file_id") {
		resp.Diagnostics.AddAttributeWarning(path.Root("icon_file_id"), "The workspace's icon is not changed", iconNotChanged(state.ID.ValueString()))
	}
	var replacedBy []string
	for _, name := range replacingAttributes {
		if changed(name) {
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root(name))
			replacedBy = append(replacedBy, name)
		}
	}
	if len(replacedBy) > 0 {
		resp.Diagnostics.AddWarning("Replacing coze_workspace leaves the old workspace in place",
			fmt.Sprintf("Only the create API takes %s, so this change creates a new workspace. Coze has no API to delete a "+
				"workspace: workspace %s stays, with its bots, workflows and members, and is only removed from the Terraform state.",
				strings.Join(replacedBy, " and "), state.ID.ValueString()))
	}
}

// iconNotChanged says why a new icon_file_id is only recorded.
func iconNotChanged(id string) string {
	return fmt.Sprintf("icon_file_id is used only when a workspace is created: Coze's update API (PUT /v1/workspaces/{id}) "+
		"changes only the name and the description. The new value is recorded in the state, but workspace %s keeps its icon; "+
		"change the icon in the Coze console. The workspace is not replaced: Coze has no API to delete a workspace.", id)
}

// addListError is addAPIError for a call that pages through a list: a
// listing the client gave up on (coze.ErrPaging: too many pages, or an API
// that ignores the page number) is reported as such, since every call
// succeeded.
func addListError(diags *diag.Diagnostics, client *coze.Client, operation string, err error) {
	if errors.Is(err, coze.ErrPaging) {
		diags.AddError("Cannot "+operation, err.Error())
		return
	}
	addAPIError(diags, client, operation, err)
}

// adoptedSinceImport reports a create-only value that Terraform has not
// known since an import: the first value configured is adopted, not a change.
func adoptedSinceImport(prior types.String, name string, unknown []string) bool {
	return prior.IsNull() && slices.Contains(unknown, name)
}

// unknownSinceImport reads privateKeyUnknownSinceImport.
func unknownSinceImport(ctx context.Context, private interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
}) ([]string, diag.Diagnostics) {
	raw, diags := private.GetKey(ctx, privateKeyUnknownSinceImport)
	var names []string
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &names); err != nil {
			diags.AddError("Invalid private state", fmt.Sprintf("%s: %v. This is a bug in the provider.", privateKeyUnknownSinceImport, err))
		}
	}
	return names, diags
}

func (r *workspaceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan workspaceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	client := r.client(&resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	requestCtx := ctx // Terraform stopping the apply cancels it: it ends the recovery of an uncertain create too
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Create, defaultWriteTimeout, &resp.Diagnostics)
	defer cancel()

	name := plan.Name.ValueString()
	defer r.data.workspaces.forget("")
	recovery := newCreateRecovery(requestCtx, ctx)
	defer recovery.close()
	id := r.createWorkspace(recovery, client, &coze.CreateWorkspaceRequest{ // create_recovery.go: never twice
		Name: name, Description: plan.Description.ValueString(), IconFileID: plan.IconFileID.ValueString(),
		CozeAccountID: plan.CozeAccountID.ValueString(), OwnerUID: plan.OwnerUID.ValueString(),
	}, &resp.Diagnostics)
	if id == "" {
		return
	}
	ctx = recovery.current() // an adopted workspace is read back within the recovery's time
	tflog.Info(ctx, "Created Coze workspace", map[string]any{"workspace_id": id})
	plan.ID = types.StringValue(id)

	// The workspace exists from here on: whatever happens, it goes into the
	// state, or the next apply would create a second one.
	ws, err := client.FindWorkspace(ctx, id)
	if owners, hasOwner := ownersWorkspaces(plan); err == nil && ws == nil && hasOwner {
		ws, err = findWorkspaceIn(ctx, client, owners, id) // created for another owner: not in the token's list
	}
	switch {
	case err == nil && ws != nil:
		plan.WorkspaceType, plan.EnterpriseID = types.StringValue(ws.WorkspaceType), types.StringValue(ws.EnterpriseID)
	default:
		detail := "it is not in the workspace list yet"
		if errors.Is(err, coze.ErrPaging) {
			detail = err.Error()
		} else if err != nil {
			_, detail = describeAPIError("list workspaces", client.BaseURL(), err)
		}
		resp.Diagnostics.AddWarning("Created Coze workspace "+id+" but could not read it back",
			detail+"\n\nThe workspace is in the state; workspace_type and enterprise_id are filled in by the next refresh.")
		plan.WorkspaceType, plan.EnterpriseID = types.StringValue(coze.WorkspaceTypeTeam), types.StringValue("")
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// listedWorkspace finds a workspace in the token's workspace list, every
// page of it, which the resources of a walk share (listingCache): N
// workspaces cost one listing, not one each. It returns nil, nil when no
// page lists it.
func (r *workspaceResource) listedWorkspace(ctx context.Context, client *coze.Client, id string) (*coze.Workspace, error) {
	return r.data.workspaces.find(ctx, "", id, func(ctx context.Context, add func(string, coze.Workspace)) error {
		return client.EachWorkspace(ctx, coze.ListWorkspacesRequest{}, func(w coze.Workspace) bool {
			add(w.ID, w)
			return true
		})
	})
}

// ownersWorkspaces is the listing of the workspaces that the workspace's
// owner joined in its organization (user_id with coze_account_id), where a
// workspace created for another owner (owner_uid) is found when the token's
// own list does not show it. ok is false when the state does not know both.
func ownersWorkspaces(m workspaceModel) (req coze.ListWorkspacesRequest, ok bool) {
	if m.OwnerUID.ValueString() == "" || m.CozeAccountID.ValueString() == "" {
		return req, false
	}
	return coze.ListWorkspacesRequest{UserID: m.OwnerUID.ValueString(), CozeAccountID: m.CozeAccountID.ValueString()}, true
}

// findWorkspaceIn looks for a workspace in a listing, every page of it,
// asking the API (not the walk's shared listing): for a read-back after a
// write. It returns nil, nil when no page lists it.
func findWorkspaceIn(ctx context.Context, client *coze.Client, req coze.ListWorkspacesRequest, id string) (*coze.Workspace, error) {
	var found *coze.Workspace
	err := client.EachWorkspace(ctx, req, func(w coze.Workspace) bool {
		if w.ID == id {
			found = &w
		}
		return found == nil
	})
	return found, err
}

// notListedDetail explains why a workspace missing from the lists is kept
// in the state. GET /v1/workspaces lists only the workspaces that the
// token's user created or joined (list_workspace.md), and Coze has no API to
// delete a workspace: a missing workspace is not known to be gone, and
// dropping it would make the next apply create a second one, which could
// never be deleted.
func notListedDetail(id string, owners coze.ListWorkspacesRequest, hasOwner bool) string {
	where := "No page of GET /v1/workspaces lists workspace " + id
	if hasOwner {
		where += fmt.Sprintf(", nor does the list of its owner %s in organization %s", owners.UserID, owners.CozeAccountID)
	}
	return where + ". That list shows only the workspaces that the token's user created or joined, so the workspace may " +
		"well exist: the token may belong to another account or to a service app, the token's user may have been removed " +
		"from the workspace, or the workspace may belong to another owner (owner_uid).\n\n" +
		"Coze has no API to delete a workspace, so Terraform cannot tell that it is gone, and removing it from the state " +
		"would make the next apply create a second workspace that could never be deleted. The state is kept. Check the " +
		"token and the workspace's members in the Coze console. If the workspace was really deleted, remove it from the " +
		"state with `terraform state rm <address>` (and from the configuration, or the next apply creates a new one)."
}

func (r *workspaceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state workspaceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	client := r.client(&resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, state.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	defer cancel()

	id := state.ID.ValueString()
	ws, err := r.listedWorkspace(ctx, client, id)
	if err != nil {
		addListError(&resp.Diagnostics, client, "read Coze workspace "+id, err)
		return
	}
	owners, hasOwner := ownersWorkspaces(state)
	if ws == nil && hasOwner {
		ws, err = r.data.workspaces.findIn(ctx, "", owners.UserID+"/"+owners.CozeAccountID, id,
			func(ctx context.Context, add func(string, coze.Workspace)) error {
				return client.EachWorkspace(ctx, owners, func(w coze.Workspace) bool { add(w.ID, w); return true })
			})
		if err != nil {
			addListError(&resp.Diagnostics, client, fmt.Sprintf("read Coze workspace %s from the workspace list of its owner %s", id, owners.UserID), err)
			return
		}
	}
	if ws == nil {
		// Never dropped: see notListedDetail.
		resp.Diagnostics.AddError("Coze workspace "+id+" is not in the workspace list", notListedDetail(id, owners, hasOwner))
		return
	}
	state.Name = types.StringValue(ws.Name)
	if ws.Description != nil { // absent from some answers (the SDKs' models have no description)
		state.Description = types.StringValue(*ws.Description)
	}
	state.WorkspaceType, state.EnterpriseID = types.StringValue(ws.WorkspaceType), types.StringValue(ws.EnterpriseID)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

func (r *workspaceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state workspaceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	client := r.client(&resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Update, defaultWriteTimeout, &resp.Diagnostics)
	defer cancel()

	id := state.ID.ValueString()
	// A personal workspace cannot be changed: a value the API never returned
	// (null in the state) is adopted as configured.
	personal := state.WorkspaceType.ValueString() == coze.WorkspaceTypePersonal
	send := func(planned, prior types.String) bool {
		return !planned.Equal(prior) && (!personal || !prior.IsNull())
	}
	var body coze.UpdateWorkspaceRequest
	if send(plan.Name, state.Name) {
		body.Name = plan.Name.ValueString()
	}
	if send(plan.Description, state.Description) {
		body.Description = plan.Description.ValueString()
	}
	if body != (coze.UpdateWorkspaceRequest{}) {
		defer r.data.workspaces.forget("")
		if err := client.UpdateWorkspace(ctx, id, &body); err != nil {
			addAPIError(&resp.Diagnostics, client, "update Coze workspace "+id, err)
			return
		}
	}

	// Create-only values adopted after an import are known from now on.
	unknown, diags := unknownSinceImport(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if !plan.IconFileID.Equal(state.IconFileID) && !adoptedSinceImport(state.IconFileID, "icon_file_id", unknown) {
		resp.Diagnostics.AddAttributeWarning(path.Root("icon_file_id"), "The workspace's icon is not changed", iconNotChanged(id))
	}
	planned := map[string]types.String{"icon_file_id": plan.IconFileID, "coze_account_id": plan.CozeAccountID, "owner_uid": plan.OwnerUID}
	unknown = slices.DeleteFunc(unknown, func(name string) bool { return !planned[name].IsNull() })
	resp.Diagnostics.Append(setUnknownSinceImport(ctx, resp.Private, unknown)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

func setUnknownSinceImport(ctx context.Context, private interface {
	SetKey(context.Context, string, []byte) diag.Diagnostics
}, names []string) diag.Diagnostics {
	if len(names) == 0 {
		return private.SetKey(ctx, privateKeyUnknownSinceImport, nil)
	}
	raw, _ := json.Marshal(names) // a []string always encodes
	return private.SetKey(ctx, privateKeyUnknownSinceImport, raw)
}

func (r *workspaceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state workspaceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.AddWarning("Workspace left in place",
		fmt.Sprintf("coze_workspace %s (%s) was removed from the Terraform state only: Coze has no API to delete a workspace.",
			state.ID.ValueString(), state.Name.String()))
}

// ImportState takes the workspace id. The list API does not return
// icon_file_id, coze_account_id or owner_uid, so the first value configured
// for each after the import is adopted rather than replacing the workspace.
func (r *workspaceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !decimalIDPattern.MatchString(req.ID) {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("Import coze_workspace by workspace id, the digits after space/ in the Coze URL, for example: "+
				"terraform import coze_workspace.example 7530000000000000001. Got: %q", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(setUnknownSinceImport(ctx, resp.Private, createOnlyAttributes)...)
}

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
// changes name and description, so a change of one of these replaces the
// workspace (see ModifyPlan).
var createOnlyAttributes = []string{"icon_file_id", "coze_account_id", "owner_uid"}

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
			"with a warning at plan time and at apply time. For the same reason a change of `icon_file_id`, `coze_account_id` " +
			"or `owner_uid`, which only the create API takes, creates a new workspace and leaves the old one in place " +
			"(the plan warns). Personal workspaces cannot be renamed: a change of their name or description fails at plan time.",
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
					"when unset. Only the create API takes it: changing it replaces the workspace.",
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
	var replacedBy []string
	for _, name := range createOnlyAttributes {
		if planned[name].Equal(prior[name]) || (prior[name].IsNull() && slices.Contains(unknown, name)) {
			continue // unchanged, or adopted: its value was unknown since the import
		}
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root(name))
		replacedBy = append(replacedBy, name)
	}
	if len(replacedBy) > 0 {
		resp.Diagnostics.AddWarning("Replacing coze_workspace leaves the old workspace in place",
			fmt.Sprintf("Only the create API takes %s, so this change creates a new workspace. Coze has no API to delete a "+
				"workspace: workspace %s stays, with its bots, workflows and members, and is only removed from the Terraform state.",
				strings.Join(replacedBy, " and "), state.ID.ValueString()))
	}
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
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Create, defaultWriteTimeout, &resp.Diagnostics)
	defer cancel()

	name := plan.Name.ValueString()
	defer r.data.workspaces.forget("")
	id := createWorkspace(ctx, client, r.data, &coze.CreateWorkspaceRequest{ // create_recovery.go: never twice
		Name: name, Description: plan.Description.ValueString(), IconFileID: plan.IconFileID.ValueString(),
		CozeAccountID: plan.CozeAccountID.ValueString(), OwnerUID: plan.OwnerUID.ValueString(),
	}, &resp.Diagnostics)
	if id == "" {
		return
	}
	tflog.Info(ctx, "Created Coze workspace", map[string]any{"workspace_id": id})
	plan.ID = types.StringValue(id)

	// The workspace exists from here on: whatever happens, it goes into the
	// state, or the next apply would create a second one.
	ws, err := client.FindWorkspace(ctx, id)
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
	if ws == nil {
		addRemovedFromStateWarning(&resp.Diagnostics, "Coze workspace", id,
			fmt.Errorf("no page of GET /v1/workspaces lists it"), "The next apply creates a new workspace.")
		resp.State.RemoveResource(ctx)
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

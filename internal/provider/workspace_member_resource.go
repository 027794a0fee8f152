package provider

import (
	"context"
	"fmt"
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
	_ resource.ResourceWithConfigure   = &workspaceMemberResource{}
	_ resource.ResourceWithImportState = &workspaceMemberResource{}
	_ resource.ResourceWithModifyPlan  = &workspaceMemberResource{}
)

// Values of coze_workspace_member.status.
const (
	memberJoined  = "joined"
	memberInvited = "invited"
)

// memberTimeoutsOpts: a member, unlike a workspace, is really deleted.
var memberTimeoutsOpts = timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}

// NewWorkspaceMemberResource is the coze_workspace_member resource.
func NewWorkspaceMemberResource() resource.Resource {
	return &workspaceMemberResource{resourceBase: resourceBase{typeName: "workspace_member"}}
}

type workspaceMemberResource struct {
	resourceBase
}

type workspaceMemberModel struct {
	ID          types.String   `tfsdk:"id"`
	WorkspaceID types.String   `tfsdk:"workspace_id"`
	UserID      types.String   `tfsdk:"user_id"`
	RoleType    types.String   `tfsdk:"role_type"`
	Status      types.String   `tfsdk:"status"`
	Timeouts    timeouts.Value `tfsdk:"timeouts"`
}

func (r *workspaceMemberResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "One user's membership of a Coze workspace: added with `POST /v1/workspaces/{workspace_id}/members`, " +
			"found in `GET /v1/workspaces/{workspace_id}/members` (every page) on refresh, removed with " +
			"`DELETE /v1/workspaces/{workspace_id}/members`. Needs the `addMember`, `readMember` and `removeMember` permissions.\n\n" +
			"On enterprise plans the user joins directly (`status = \"joined\"`). On personal plans the user is only invited " +
			"(`status = \"invited\"`, with a warning) and must accept in Coze; until then nothing is planned, and once they " +
			"accept, a refresh sets `status` to `joined`.\n\n" +
			"Coze has **no API to change a member's role**: a change of `role_type` removes the user and adds them again " +
			"in the same apply (on personal plans this sends a new invitation, which the user must accept again).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`<workspace_id>/<user_id>`.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"workspace_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Id of the workspace, for example `coze_workspace.<name>.id`. Changing it moves the membership (remove, then add).",
				Validators:          []validator.String{decimalID()},
				PlanModifiers:       replace,
			},
			"user_id": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Coze UID of the user, shown at the bottom of the user's account settings. Changing it " +
					"removes this user and adds the other.",
				Validators:    []validator.String{decimalID()},
				PlanModifiers: replace,
			},
			"role_type": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "`admin` or `member`. The owner is set when the workspace is created (`owner_uid`) and " +
					"cannot be set, changed or removed through the API. A change removes the user and adds them again.",
				Validators: []validator.String{stringvalidator.OneOf(coze.RoleAdmin, coze.RoleMember)},
			},
			"status": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "`joined`, or `invited` while an invitation (personal plans) waits for the user to accept it. " +
					"Coze lists invitations nowhere: an invitation declined or expired stays `invited`; " +
					"`terraform apply -replace=<address>` sends a new one.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"timeouts": timeouts.Attributes(ctx, memberTimeoutsOpts),
		},
	}
}

func (r *workspaceMemberResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	r.requireClientAtPlan(&resp.Diagnostics)
	if req.State.Raw.IsNull() {
		return
	}
	var plan, state workspaceMemberModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || plan.RoleType.Equal(state.RoleType) || !plan.WorkspaceID.Equal(state.WorkspaceID) || !plan.UserID.Equal(state.UserID) {
		return
	}
	who := fmt.Sprintf("user %s of workspace %s", state.UserID.ValueString(), state.WorkspaceID.ValueString())
	if state.RoleType.ValueString() == coze.RoleOwner {
		// A warning, not an error: an error here would also block `terraform
		// destroy`, whose refresh plans with the configuration.
		resp.Diagnostics.AddAttributeWarning(path.Root("role_type"), "The workspace's owner cannot change role",
			fmt.Sprintf("The member list says %s is now the workspace's owner. Coze cannot change or remove an owner through "+
				"the API, so applying this change fails and keeps the state. Transfer the ownership in the Coze console first, "+
				"or stop managing this membership (`terraform state rm`, then remove it from the configuration).", who))
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("status"), types.StringUnknown())...)
	resp.Diagnostics.AddWarning("A role change removes and adds the member again",
		fmt.Sprintf("Coze has no API to change a member's role: to make %s %s instead of %s, the apply removes the user from the "+
			"workspace and adds them again. On personal plans the user gets a new invitation and is not a member until they accept it.",
			who, plan.RoleType.String(), state.RoleType.String()))
}

func (r *workspaceMemberResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan workspaceMemberModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	client := r.client(&resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Create, defaultWriteTimeout, &resp.Diagnostics)
	defer cancel()

	defer r.data.members.forget(plan.WorkspaceID.ValueString())
	status := addMember(ctx, client, plan.WorkspaceID.ValueString(), plan.UserID.ValueString(), plan.RoleType.ValueString(), &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = types.StringValue(plan.WorkspaceID.ValueString() + "/" + plan.UserID.ValueString())
	plan.Status = types.StringValue(status)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// addMember adds one user with the add API and reads its result lists: it
// returns the membership's status, or adds an error.
func addMember(ctx context.Context, client *coze.Client, workspaceID, userID, role string, diags *diag.Diagnostics) string {
	operation := fmt.Sprintf("add user %s to Coze workspace %s", userID, workspaceID)
	res, err := client.AddWorkspaceMembers(ctx, workspaceID, []coze.WorkspaceMember{{UserID: userID, RoleType: role}})
	if err != nil {
		addAPIError(diags, client, operation, err)
		return ""
	}
	tflog.Debug(ctx, "Added Coze workspace member", map[string]any{"workspace_id": workspaceID, "user_id": userID, "result": fmt.Sprintf("%+v", *res)})
	invitedWarning := func(detail string) {
		diags.AddWarning(fmt.Sprintf("User %s is invited to Coze workspace %s, not yet a member", userID, workspaceID),
			detail+" The user must accept the invitation in Coze; until then status is \"invited\" and nothing is planned. "+
				"Once they accept, a refresh sets status to \"joined\".")
	}
	switch {
	case slices.Contains(res.NotExist, userID):
		diags.AddAttributeError(path.Root("user_id"), "Cannot "+operation+": no such Coze user",
			fmt.Sprintf("The add API lists user %s in not_exist_user_ids: no Coze user has this UID. Check user_id: it is the "+
				"UID shown at the bottom of the user's account settings.", userID))
		return ""
	case slices.Contains(res.AddedSuccess, userID):
		return memberJoined
	case slices.Contains(res.AlreadyInvited, userID):
		invitedWarning("An invitation to this workspace was already pending (already_invited_user_ids); it keeps the role it was sent with.")
		return memberInvited
	}
	// Already joined, invited (which the docs describe both as "invited" and as
	// "invited and accepted"), or in no list: the member list tells.
	member, err := client.FindWorkspaceMember(ctx, workspaceID, userID)
	if err != nil {
		addListError(diags, client, fmt.Sprintf("read the members of Coze workspace %s after adding user %s", workspaceID, userID), err)
		return ""
	}
	switch {
	case member != nil && member.RoleType == coze.RoleOwner:
		diags.AddAttributeError(path.Root("user_id"), "Cannot "+operation+": the user is the workspace's owner",
			fmt.Sprintf("User %s owns workspace %s. The owner's role cannot be set or changed through the API; ownership is set "+
				"when the workspace is created (owner_uid). Remove this coze_workspace_member from the configuration.", userID, workspaceID))
		return ""
	case member != nil:
		if slices.Contains(res.AlreadyJoined, userID) && member.RoleType != role {
			diags.AddWarning(fmt.Sprintf("User %s was already a member of Coze workspace %s", userID, workspaceID),
				fmt.Sprintf("The existing membership (role %q) was adopted, unchanged. The next plan shows the role change to %q, "+
					"which the next apply makes (by removing and adding the user again).", member.RoleType, role))
		}
		return memberJoined
	case slices.Contains(res.InvitedSuccess, userID):
		invitedWarning("Personal plans only invite users (invited_success_user_ids).")
		return memberInvited
	case slices.Contains(res.AlreadyJoined, userID):
		return memberJoined // not listed yet: the add API's word is taken
	}
	diags.AddError("Cannot "+operation,
		fmt.Sprintf("The add API did not report user %s as added, invited, already joined or not existing, and the member list "+
			"does not show the user. Result: %+v", userID, *res))
	return ""
}

// listedMember finds a user in the workspace's member list, every page of
// it, which the resources of a walk share (listingCache): N members of a
// workspace cost one listing, not one each. It returns nil, nil when the
// user is not a member.
func (r *workspaceMemberResource) listedMember(ctx context.Context, client *coze.Client, workspaceID, userID string) (*coze.WorkspaceMember, error) {
	return r.data.members.find(ctx, workspaceID, userID, func(ctx context.Context, add func(string, coze.WorkspaceMember)) error {
		return client.EachWorkspaceMember(ctx, workspaceID, func(m coze.WorkspaceMember) bool {
			add(m.UserID, m)
			return true
		})
	})
}

func (r *workspaceMemberResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state workspaceMemberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	client := r.client(&resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, state.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	defer cancel()

	workspaceID, userID := state.WorkspaceID.ValueString(), state.UserID.ValueString()
	member, err := r.listedMember(ctx, client, workspaceID, userID)
	if coze.IsNotFound(err) {
		// 4006 and 4200 mean "no such workspace" and "no permission" alike: a
		// membership dropped on them would be added again, or forgotten.
		addAPIError(&resp.Diagnostics, client, fmt.Sprintf("read member %s of Coze workspace %s", userID, workspaceID), err,
			"Likely causes: the token's user was removed from the workspace or lost its admin role, the token lacks the "+
				"readMember permission, it belongs to another account or site (check base_url), or the workspace was deleted. "+
				"The membership stays in the Terraform state: only a member list that succeeds without the user shows that "+
				"it is gone. If the workspace was really deleted, remove the membership from the state with `terraform state rm`.")
		return
	}
	if err != nil {
		addListError(&resp.Diagnostics, client, fmt.Sprintf("read member %s of Coze workspace %s", userID, workspaceID), err)
		return
	}
	switch {
	case member != nil:
		state.RoleType, state.Status = types.StringValue(member.RoleType), types.StringValue(memberJoined)
	case state.Status.ValueString() == memberInvited:
		return // the invitation is still pending: no drift
	case state.Status.IsNull(): // the Read that follows an import
		resp.Diagnostics.AddError("Cannot import Coze workspace member "+state.ID.ValueString(),
			fmt.Sprintf("User %s is not a member of workspace %s. A pending invitation cannot be imported: Coze lists no invitations.", userID, workspaceID))
		return
	default:
		addRemovedFromStateWarning(&resp.Diagnostics, "Coze workspace member", state.ID.ValueString(),
			fmt.Errorf("user %s is not in the member list of workspace %s", userID, workspaceID), "The next apply adds the user again.")
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// Update changes the role, the only attribute that does not replace: there
// is no role API, so it removes the user and adds them again.
func (r *workspaceMemberResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state workspaceMemberModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	client := r.client(&resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Update, defaultWriteTimeout, &resp.Diagnostics)
	defer cancel()

	if !plan.RoleType.Equal(state.RoleType) {
		workspaceID, userID := state.WorkspaceID.ValueString(), state.UserID.ValueString()
		defer r.data.members.forget(workspaceID)
		if !removeMember(ctx, client, workspaceID, userID, &resp.Diagnostics) {
			return // nothing changed: the state stays
		}
		var added diag.Diagnostics
		status := addMember(ctx, client, workspaceID, userID, plan.RoleType.ValueString(), &added)
		if added.HasError() {
			resp.Diagnostics.AddError(fmt.Sprintf("User %s was removed from Coze workspace %s but not added back", userID, workspaceID),
				fmt.Sprintf("Changing the role removes the user and adds them again, and the add failed (below). The next refresh finds "+
					"the user gone and the next apply adds them with role %s.", plan.RoleType.String()))
			resp.Diagnostics.Append(added...)
			return
		}
		resp.Diagnostics.Append(added...)
		plan.Status = types.StringValue(status)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

func (r *workspaceMemberResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state workspaceMemberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	client := r.client(&resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, state.Timeouts.Delete, defaultWriteTimeout, &resp.Diagnostics)
	defer cancel()

	workspaceID, userID := state.WorkspaceID.ValueString(), state.UserID.ValueString()
	defer r.data.members.forget(workspaceID)
	if removeMember(ctx, client, workspaceID, userID, &resp.Diagnostics) && state.Status.ValueString() == memberInvited {
		resp.Diagnostics.AddWarning(fmt.Sprintf("The invitation of user %s to Coze workspace %s may still be pending", userID, workspaceID),
			"The user had not accepted the invitation, and Coze has no API to withdraw one: if they accept it later, they join the workspace.")
	}
}

// removeMember removes one user with the remove API. It reports whether the
// user is no longer a member; otherwise it adds an error. Only the remove
// API's result lists, or a member list read without error that no longer
// shows the user, say so: an error, 4006 and 4200 included (a token without
// permission, or one that cannot see the workspace), removed nobody that
// Terraform can tell, and reporting success would leave the user with access
// that the state no longer records.
func removeMember(ctx context.Context, client *coze.Client, workspaceID, userID string, diags *diag.Diagnostics) bool {
	operation := fmt.Sprintf("remove user %s from Coze workspace %s", userID, workspaceID)
	res, err := client.RemoveWorkspaceMembers(ctx, workspaceID, []string{userID})
	if err != nil {
		addAPIError(diags, client, operation, err, "The membership stays in the Terraform state: the user may still have "+
			"access. If the workspace or the membership is really gone, remove it from the state with `terraform state rm`.")
		return false
	}
	switch {
	case slices.Contains(res.OwnerNotSupportRemove, userID):
		diags.AddError("Cannot "+operation+": the user is the workspace's owner",
			fmt.Sprintf("The remove API lists user %s in owner_not_support_remove_user_ids: Coze does not remove a workspace's owner. "+
				"Nothing was changed and the membership stays in the Terraform state. Transfer the ownership in the Coze console "+
				"first, or stop managing this membership with `terraform state rm`.", userID))
		return false
	case slices.Contains(res.RemovedSuccess, userID), slices.Contains(res.NotInWorkspace, userID):
		return true
	}
	// In no list: trust the member list.
	member, err := client.FindWorkspaceMember(ctx, workspaceID, userID)
	if err != nil {
		addListError(diags, client, fmt.Sprintf("read the members of Coze workspace %s after removing user %s", workspaceID, userID), err)
		return false
	}
	if member != nil {
		diags.AddError("Cannot "+operation,
			fmt.Sprintf("The remove API did not report user %s as removed, and the member list still shows them (role %s).", userID, member.RoleType))
		return false
	}
	return true
}

// ImportState takes "<workspace_id>/<user_id>".
func (r *workspaceMemberResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	workspaceID, userID, found := strings.Cut(req.ID, "/")
	if !found || !decimalIDPattern.MatchString(workspaceID) || !decimalIDPattern.MatchString(userID) {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("Import coze_workspace_member by <workspace_id>/<user_id>, for example: "+
				"terraform import coze_workspace_member.example 7530000000000000001/4026880821030. Got: %q", req.ID))
		return
	}
	for name, value := range map[string]string{"id": req.ID, "workspace_id": workspaceID, "user_id": userID} {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), value)...)
	}
}

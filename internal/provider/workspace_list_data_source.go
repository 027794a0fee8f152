package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

var _ datasource.DataSourceWithConfigure = &workspacesDataSource{}

// NewWorkspacesDataSource is the coze_workspaces data source.
func NewWorkspacesDataSource() datasource.DataSource {
	return &workspacesDataSource{dataSourceBase: dataSourceBase{typeName: "workspaces"}}
}

type workspacesDataSource struct {
	dataSourceBase
}

type workspacesModel struct {
	Name          types.String      `tfsdk:"name"`
	WorkspaceType types.String      `tfsdk:"workspace_type"`
	Items         []listedWorkspace `tfsdk:"items"`
	Timeouts      timeouts.Value    `tfsdk:"timeouts"`
}

type listedWorkspace struct {
	ID            types.String `tfsdk:"id"`
	Name          types.String `tfsdk:"name"`
	Description   types.String `tfsdk:"description"`
	IconURL       types.String `tfsdk:"icon_url"`
	OwnerUID      types.String `tfsdk:"owner_uid"`
	RoleType      types.String `tfsdk:"role_type"`
	AdminUIDs     []string     `tfsdk:"admin_uids"`
	EnterpriseID  types.String `tfsdk:"enterprise_id"`
	JoinedStatus  types.String `tfsdk:"joined_status"`
	WorkspaceType types.String `tfsdk:"workspace_type"`
}

func (d *workspacesDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("Lists the workspaces the token's user created or joined, personal workspace included, with "+
			"`GET /v1/workspaces`, every page (%d a page). Filter by exact `name` to turn a workspace's name into its id at plan "+
			"time. Needs the `listWorkspace` permission.", coze.WorkspacePageSize),
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only the workspaces with exactly this name (case-sensitive). When none has it, reading fails " +
					"with an error that names it, instead of returning an empty list that fails later.",
				Validators: []validator.String{stringvalidator.UTF8LengthBetween(1, coze.MaxWorkspaceNameChars)},
			},
			"workspace_type": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only `personal` (the user's own workspace) or only `team` workspaces.",
				Validators:          []validator.String{stringvalidator.OneOf(coze.WorkspaceTypePersonal, coze.WorkspaceTypeTeam)},
			},
			"items": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The matching workspaces, in the API's order.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":          computedString("Workspace id."),
					"name":        computedString("Workspace name."),
					"description": computedString("Workspace description (empty when the API returns none)."),
					"icon_url":    computedString("URL of the workspace's icon."),
					"owner_uid":   computedString("Coze UID of the owner."),
					"role_type":   computedString("The token user's role in the workspace: `owner`, `admin` or `member`."),
					"admin_uids": schema.ListAttribute{
						Computed: true, ElementType: types.StringType,
						MarkdownDescription: "Coze UIDs of the workspace's admins.",
					},
					"enterprise_id":  computedString("Enterprise id; empty for workspaces of a personal account."),
					"joined_status":  computedString("The token user's joining status (`joined`)."),
					"workspace_type": computedString("`personal` or `team`."),
				}},
			},
			"timeouts": timeouts.Attributes(ctx),
		},
	}
}

func (d *workspacesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m workspacesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	client := d.client(&resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, m.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	defer cancel()

	m.Items = []listedWorkspace{}
	listed := 0
	err := client.EachWorkspace(ctx, coze.ListWorkspacesRequest{}, func(w coze.Workspace) bool {
		listed++
		if (!m.Name.IsNull() && w.Name != m.Name.ValueString()) || (!m.WorkspaceType.IsNull() && w.WorkspaceType != m.WorkspaceType.ValueString()) {
			return true
		}
		description := ""
		if w.Description != nil {
			description = *w.Description
		}
		admins := w.AdminUIDs
		if admins == nil {
			admins = []string{}
		}
		m.Items = append(m.Items, listedWorkspace{
			ID: types.StringValue(w.ID), Name: types.StringValue(w.Name), Description: types.StringValue(description),
			IconURL: types.StringValue(w.IconURL), OwnerUID: types.StringValue(w.OwnerUID), RoleType: types.StringValue(w.RoleType),
			AdminUIDs: admins, EnterpriseID: types.StringValue(w.EnterpriseID), JoinedStatus: types.StringValue(w.JoinedStatus),
			WorkspaceType: types.StringValue(w.WorkspaceType),
		})
		return true
	})
	if err != nil {
		addListError(&resp.Diagnostics, client, "list Coze workspaces", err)
		return
	}
	if !m.Name.IsNull() && len(m.Items) == 0 {
		filter := ""
		if !m.WorkspaceType.IsNull() {
			filter = " of type " + m.WorkspaceType.String()
		}
		resp.Diagnostics.AddAttributeError(path.Root("name"), fmt.Sprintf("No Coze workspace named %s", m.Name.String()),
			fmt.Sprintf("None of the %d workspaces this token lists is a workspace%s named exactly %s (names are case-sensitive). "+
				"Check the name, and that the token's user created or joined the workspace.", listed, filter, m.Name.String()))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

var _ datasource.DataSourceWithConfigure = &workspaceMembersDataSource{}

// NewWorkspaceMembersDataSource is the coze_workspace_members data source.
func NewWorkspaceMembersDataSource() datasource.DataSource {
	return &workspaceMembersDataSource{dataSourceBase: dataSourceBase{typeName: "workspace_members"}}
}

type workspaceMembersDataSource struct {
	dataSourceBase
}

type workspaceMembersModel struct {
	WorkspaceID types.String   `tfsdk:"workspace_id"`
	RoleType    types.String   `tfsdk:"role_type"`
	Items       []listedMember `tfsdk:"items"`
	Timeouts    timeouts.Value `tfsdk:"timeouts"`
}

type listedMember struct {
	UserID         types.String `tfsdk:"user_id"`
	RoleType       types.String `tfsdk:"role_type"`
	UserNickname   types.String `tfsdk:"user_nickname"`
	UserUniqueName types.String `tfsdk:"user_unique_name"`
	AvatarURL      types.String `tfsdk:"avatar_url"`
}

func (d *workspaceMembersDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("Lists the members of a workspace, owner included, with "+
			"`GET /v1/workspaces/{workspace_id}/members`, every page (%d a page). Users invited on a personal plan are not "+
			"members until they accept, so they are not listed. Needs the `readMember` permission.", coze.MemberPageSize),
		Attributes: map[string]schema.Attribute{
			"workspace_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Id of the workspace.",
				Validators:          []validator.String{decimalID()},
			},
			"role_type": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only the members with this role: `owner`, `admin` or `member`.",
				Validators:          []validator.String{stringvalidator.OneOf(coze.RoleOwner, coze.RoleAdmin, coze.RoleMember)},
			},
			"items": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The matching members, in the API's order.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"user_id":          computedString("Coze UID of the member."),
					"role_type":        computedString("`owner`, `admin` or `member`."),
					"user_nickname":    computedString("The member's nickname."),
					"user_unique_name": computedString("The member's user name."),
					"avatar_url":       computedString("URL of the member's avatar."),
				}},
			},
			"timeouts": timeouts.Attributes(ctx),
		},
	}
}

func (d *workspaceMembersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m workspaceMembersModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	client := d.client(&resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, m.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	defer cancel()

	workspaceID := m.WorkspaceID.ValueString()
	m.Items = []listedMember{}
	err := client.EachWorkspaceMember(ctx, workspaceID, func(u coze.WorkspaceMember) bool {
		if m.RoleType.IsNull() || u.RoleType == m.RoleType.ValueString() {
			m.Items = append(m.Items, listedMember{
				UserID: types.StringValue(u.UserID), RoleType: types.StringValue(u.RoleType), UserNickname: types.StringValue(u.UserNickname),
				UserUniqueName: types.StringValue(u.UserUniqueName), AvatarURL: types.StringValue(u.AvatarURL),
			})
		}
		return true
	})
	if err != nil {
		addListError(&resp.Diagnostics, client, "list the members of Coze workspace "+workspaceID, err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

var _ datasource.DataSourceWithConfigure = &botsDataSource{}

// Paging of GET /v1/bots inside the provider: pages of listPageSize, at most
// listMaxPages of them, so a huge workspace cannot make a plan run forever.
const (
	listPageSize = 20 // the documented default; no maximum is documented
	listMaxPages = 500
)

var publishStatuses = []string{"all", "published_online", "published_draft", "unpublished_draft"}

// NewBotsDataSource is the coze_bots data source.
func NewBotsDataSource() datasource.DataSource {
	return &botsDataSource{dataSourceBase: dataSourceBase{typeName: "bots"}}
}

type botsDataSource struct {
	dataSourceBase
}

var listedBotType = map[string]attr.Type{
	"id": types.StringType, "name": types.StringType, "description": types.StringType, "icon_url": types.StringType,
	"folder_id": types.StringType, "is_published": types.BoolType, "updated_at": types.Int64Type,
	"published_at": types.Int64Type, "owner_user_id": types.StringType,
}

func (d *botsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("Lists the bots of a workspace with `GET /v1/bots`, every page (%d bots a page, at most %d "+
			"pages). Needs the `listBot` permission.", listPageSize, listMaxPages),
		Attributes: map[string]schema.Attribute{
			"workspace_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Id of the workspace (space) to list.",
				Validators:          []validator.String{decimalID()},
			},
			"publish_status": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "`all`, `published_online` (the API's default: published bots), `published_draft` (published, " +
					"with unpublished draft changes) or `unpublished_draft` (never published).",
				Validators: []validator.String{stringvalidator.OneOf(publishStatuses...)},
			},
			"connector_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "For the published statuses: the channel to check (API default `1024`).",
				Validators:          []validator.String{decimalID()},
			},
			"total": computedInt64("Number of matching bots."),
			"bots": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The matching bots, most recently updated first.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id": computedString("Bot id."), "name": computedString("Bot name."), "description": computedString("Bot description."),
					"icon_url":      computedString("Signed avatar URL (expires)."),
					"folder_id":     computedString("Folder id."),
					"is_published":  schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the bot is published."},
					"updated_at":    computedInt64("Last update, unix seconds."),
					"published_at":  computedInt64("Last publish, unix seconds (0 if never)."),
					"owner_user_id": computedString("Coze user id of the owner."),
				}},
			},
		},
	}
}

func (d *botsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var workspaceID, status, connectorID types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("workspace_id"), &workspaceID)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("publish_status"), &status)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("connector_id"), &connectorID)...)
	client, diags := d.data.apiClient()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	var items []attr.Value
	var total int64
	for page := 1; ; page++ {
		if page > listMaxPages {
			resp.Diagnostics.AddError("Too many bots",
				fmt.Sprintf("Workspace %s has more than %d bots matching; narrow publish_status.", workspaceID.ValueString(), listPageSize*listMaxPages))
			return
		}
		list, err := client.ListBots(ctx, coze.ListBotsRequest{
			WorkspaceID: workspaceID.ValueString(), PublishStatus: status.ValueString(), ConnectorID: connectorID.ValueString(),
			PageNum: page, PageSize: listPageSize,
		})
		if err != nil {
			summary, detail := describeAPIError("list bots in workspace "+workspaceID.ValueString(), client.BaseURL(), err)
			resp.Diagnostics.AddError(summary, detail)
			return
		}
		total = list.Total
		for _, b := range list.Items {
			items = append(items, types.ObjectValueMust(listedBotType, map[string]attr.Value{
				"id": types.StringValue(b.ID), "name": types.StringValue(b.Name), "description": types.StringValue(b.Description),
				"icon_url": types.StringValue(b.IconURL), "folder_id": types.StringValue(b.FolderID),
				"is_published": types.BoolValue(b.IsPublished), "updated_at": types.Int64Value(b.UpdatedAt),
				"published_at": types.Int64Value(b.PublishedAt), "owner_user_id": types.StringValue(b.OwnerUserID),
			}))
		}
		if len(list.Items) < listPageSize || int64(len(items)) >= list.Total {
			break
		}
	}
	if items == nil {
		items = []attr.Value{}
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("workspace_id"), workspaceID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("publish_status"), status)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("connector_id"), connectorID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("total"), total)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("bots"), types.ListValueMust(types.ObjectType{AttrTypes: listedBotType}, items))...)
}

package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

var _ datasource.DataSourceWithConfigure = &botsDataSource{}

// listMaxPages bounds the paging of GET /v1/bots, so that a huge workspace
// (or an API that never returns a short page) cannot make a plan run forever.
const listMaxPages = 500

var publishStatuses = []string{"all", "published_online", "published_draft", "unpublished_draft"}

// NewBotsDataSource is the coze_bots data source.
func NewBotsDataSource() datasource.DataSource {
	return &botsDataSource{dataSourceBase: dataSourceBase{typeName: "bots"}}
}

type botsDataSource struct {
	dataSourceBase
}

type botsDataSourceModel struct {
	WorkspaceID   types.String     `tfsdk:"workspace_id"`
	PublishStatus types.String     `tfsdk:"publish_status"`
	ConnectorID   types.String     `tfsdk:"connector_id"`
	Total         types.Int64      `tfsdk:"total"`
	Bots          []listedBotModel `tfsdk:"bots"`
}

type listedBotModel struct {
	ID          types.String `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	Description types.String `tfsdk:"description"`
	IconURL     types.String `tfsdk:"icon_url"`
	FolderID    types.String `tfsdk:"folder_id"`
	IsPublished types.Bool   `tfsdk:"is_published"`
	UpdatedAt   types.Int64  `tfsdk:"updated_at"`
	PublishedAt types.Int64  `tfsdk:"published_at"`
	OwnerUserID types.String `tfsdk:"owner_user_id"`
}

func (d *botsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("Lists the bots of a workspace with `GET /v1/bots`, every page: %d bots a page until "+
			"a page comes back short or empty (at most %d pages). The API's `total` is not used to stop, because Coze's doc "+
			"defines it as the number of bots returned (one page) while the SDKs read it as all matching bots. Needs the "+
			"`listBot` permission.", coze.DefaultListPageSize, listMaxPages),
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
			"total": computedInt64("Number of bots listed: the length of `bots`, counted by the provider over every page."),
			"bots": computedList("The matching bots, most recently updated first; a bot that moved between pages while "+
				"they were read is listed once.", map[string]schema.Attribute{
				"id": computedString("Bot id."), "name": computedString("Bot name."), "description": computedString("Bot description."),
				"icon_url":      computedString("Signed avatar URL (expires)."),
				"folder_id":     computedString("Folder id."),
				"is_published":  computedBool("Whether the bot is published."),
				"updated_at":    computedInt64("Last update, unix seconds."),
				"published_at":  computedInt64("Last publish, unix seconds (0 if never)."),
				"owner_user_id": computedString("Coze user id of the owner."),
			}),
		},
	}
}

func (d *botsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var model botsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	client := d.client(&resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	workspaceID := model.WorkspaceID.ValueString()
	items, err := client.ListAllBots(ctx, coze.ListBotsRequest{
		WorkspaceID: workspaceID, PublishStatus: model.PublishStatus.ValueString(), ConnectorID: model.ConnectorID.ValueString(),
	}, listMaxPages)
	if errors.Is(err, coze.ErrPaging) {
		resp.Diagnostics.AddError("Cannot list bots in workspace "+workspaceID, err.Error())
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, client, "list bots in workspace "+workspaceID, err)
		return
	}
	model.Bots = make([]listedBotModel, 0, len(items))
	for _, b := range items {
		model.Bots = append(model.Bots, listedBotModel{
			ID: types.StringValue(b.ID), Name: types.StringValue(b.Name), Description: types.StringValue(b.Description),
			IconURL: types.StringValue(b.IconURL), FolderID: types.StringValue(b.FolderID),
			IsPublished: types.BoolValue(b.IsPublished), UpdatedAt: types.Int64Value(b.UpdatedAt),
			PublishedAt: types.Int64Value(b.PublishedAt), OwnerUserID: types.StringValue(b.OwnerUserID),
		})
	}
	model.Total = types.Int64Value(int64(len(model.Bots)))
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}

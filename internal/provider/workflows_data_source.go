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

var _ datasource.DataSourceWithConfigure = &workflowsDataSource{}

// workflowPublishStatuses: the docs list all, published_online and
// unpublished_draft; the OpenAPI spec and the SDKs also published_draft.
var workflowPublishStatuses = []string{"all", "published_online", "unpublished_draft", "published_draft"}

// NewWorkflowsDataSource is the coze_workflows data source.
func NewWorkflowsDataSource() datasource.DataSource {
	return &workflowsDataSource{dataSourceBase: dataSourceBase{typeName: "workflows"}}
}

type workflowsDataSource struct {
	dataSourceBase
}

type workflowsModel struct {
	WorkspaceID   types.String     `tfsdk:"workspace_id"`
	Name          types.String     `tfsdk:"name"`
	WorkflowMode  types.String     `tfsdk:"workflow_mode"`
	PublishStatus types.String     `tfsdk:"publish_status"`
	AppID         types.String     `tfsdk:"app_id"`
	Items         []listedWorkflow `tfsdk:"items"`
	Timeouts      timeouts.Value   `tfsdk:"timeouts"`
}

type listedWorkflow struct {
	WorkflowID   types.String `tfsdk:"workflow_id"`
	WorkflowName types.String `tfsdk:"workflow_name"`
	Description  types.String `tfsdk:"description"`
	IconURL      types.String `tfsdk:"icon_url"`
	AppID        types.String `tfsdk:"app_id"`
	CreatedAt    types.Int64  `tfsdk:"created_at"`
	UpdatedAt    types.Int64  `tfsdk:"updated_at"`
	CreatorID    types.String `tfsdk:"creator_id"`
	CreatorName  types.String `tfsdk:"creator_name"`
}

func (d *workflowsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("Lists the workflows (and chatflows) of a workspace with `GET /v1/workflows`, every page "+
			"(%d a page, while `has_more`). Its purpose is to reference workflows by name instead of pasting ids: "+
			"`workflow_id_list = { ids = [{ id = data.coze_workflows.x.items[0].workflow_id }] }`. Needs the `listWorkflow` permission.",
			coze.WorkflowPageSize),
		Attributes: map[string]schema.Attribute{
			"workspace_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Id of the workspace, for example `coze_workspace.<name>.id`.",
				Validators:          []validator.String{decimalID()},
			},
			"name": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only the workflows with exactly this name (case-sensitive). When none has it, reading fails " +
					"with an error naming the workspace and the name, instead of returning an empty list that fails later.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"workflow_mode": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only `workflow`s or only `chatflow`s; both when unset.",
				Validators:          []validator.String{stringvalidator.OneOf(coze.WorkflowModeWorkflow, coze.WorkflowModeChatflow)},
			},
			"publish_status": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "`published_online` (the API's default: published workflows, the ones a bot can use), " +
					"`unpublished_draft`, `all`, or `published_draft` (in the OpenAPI spec and SDKs, not in the docs).",
				Validators: []validator.String{stringvalidator.OneOf(workflowPublishStatuses...)},
			},
			"app_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only the workflows of this Coze app (the digits after `project-ide/` in the app's URL).",
				Validators:          []validator.String{decimalID()},
			},
			"items": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The matching workflows, in the API's order.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"workflow_id":   computedString("Workflow id: the value for `workflow_id_list.ids[*].id` of a bot."),
					"workflow_name": computedString("Workflow name."),
					"description":   computedString("Workflow description."),
					"icon_url":      computedString("URL of the workflow's icon."),
					"app_id":        computedString("Id of the app the workflow belongs to; `0` for none."),
					"created_at":    computedInt64("Creation time, unix seconds."),
					"updated_at":    computedInt64("Last update, unix seconds."),
					"creator_id":    computedString("Coze UID of the creator."),
					"creator_name":  computedString("User name of the creator."),
				}},
			},
			"timeouts": timeouts.Attributes(ctx),
		},
	}
}

func (d *workflowsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m workflowsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	client := d.client(&resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, m.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	defer cancel()

	workspaceID := m.WorkspaceID.ValueString()
	m.Items = []listedWorkflow{}
	listed := 0
	err := client.EachWorkflow(ctx, coze.ListWorkflowsRequest{
		WorkspaceID: workspaceID, WorkflowMode: m.WorkflowMode.ValueString(), PublishStatus: m.PublishStatus.ValueString(),
		AppID: m.AppID.ValueString(),
	}, func(w coze.Workflow) bool {
		listed++
		if !m.Name.IsNull() && w.WorkflowName != m.Name.ValueString() {
			return true
		}
		item := listedWorkflow{
			WorkflowID: types.StringValue(w.WorkflowID), WorkflowName: types.StringValue(w.WorkflowName),
			Description: types.StringValue(w.Description), IconURL: types.StringValue(w.IconURL), AppID: types.StringValue(w.AppID),
			CreatedAt: types.Int64Value(int64(w.CreatedAt)), UpdatedAt: types.Int64Value(int64(w.UpdatedAt)),
			CreatorID: types.StringValue(""), CreatorName: types.StringValue(""),
		}
		if w.Creator != nil {
			item.CreatorID, item.CreatorName = types.StringValue(w.Creator.ID), types.StringValue(w.Creator.Name)
		}
		m.Items = append(m.Items, item)
		return true
	})
	if err != nil {
		addListError(&resp.Diagnostics, client, "list the workflows of Coze workspace "+workspaceID, err)
		return
	}
	if !m.Name.IsNull() && len(m.Items) == 0 {
		status := m.PublishStatus.ValueString()
		if status == "" {
			status = "published_online"
		}
		hint := ""
		if status == "published_online" {
			hint = ` A workflow that was never published is listed only with publish_status = "all" or "unpublished_draft".`
		}
		resp.Diagnostics.AddAttributeError(path.Root("name"),
			fmt.Sprintf("No workflow named %s in Coze workspace %s", m.Name.String(), workspaceID),
			fmt.Sprintf("Workspace %s has no workflow named exactly %s (names are case-sensitive) among the %d it lists with "+
				"publish_status %q%s.%s", workspaceID, m.Name.String(), listed, status, modeFilter(m), hint))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

func modeFilter(m workflowsModel) string {
	s := ""
	if !m.WorkflowMode.IsNull() {
		s += ", workflow_mode " + m.WorkflowMode.String()
	}
	if !m.AppID.IsNull() {
		s += ", app_id " + m.AppID.String()
	}
	return s
}

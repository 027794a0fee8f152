package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

var _ datasource.DataSourceWithConfigure = &knowledgeBasesDataSource{}

// NewKnowledgeBasesDataSource is the coze_knowledge_bases data source.
func NewKnowledgeBasesDataSource() datasource.DataSource {
	return &knowledgeBasesDataSource{dataSourceBase: dataSourceBase{typeName: "knowledge_bases"}}
}

type knowledgeBasesDataSource struct {
	dataSourceBase
}

type knowledgeBasesModel struct {
	SpaceID        types.String          `tfsdk:"space_id"`
	Name           types.String          `tfsdk:"name"`
	FormatType     types.String          `tfsdk:"format_type"`
	KnowledgeBases []listedKnowledgeBase `tfsdk:"knowledge_bases"`
}

type listedKnowledgeBase struct {
	ID          types.String `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	Description types.String `tfsdk:"description"`
	FormatType  types.String `tfsdk:"format_type"`
	DocCount    types.Int64  `tfsdk:"doc_count"`
	Status      types.Int64  `tfsdk:"status"`
	CanEdit     types.Bool   `tfsdk:"can_edit"`
}

func (d *knowledgeBasesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the knowledge bases of a workspace with `GET /v1/datasets`, every page (300 a page), " +
			"to look ids up by name. Includes Volcano knowledge bases and those of other members; not those inside low-code " +
			"apps. Needs the `listKnowledge` permission.",
		Attributes: map[string]schema.Attribute{
			"space_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Id of the workspace to list.",
				Validators:          []validator.String{decimalID()},
			},
			"name": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only knowledge bases whose name matches, by the API's fuzzy search (a part of the name " +
					"matches). To pick one name exactly, filter the result: `[for kb in data.coze_knowledge_bases.x.knowledge_bases : kb.id if kb.name == \"FAQ\"]`.",
			},
			"format_type": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only knowledge bases of this type: `text`, `table` or `image`.",
				Validators:          []validator.String{stringvalidator.OneOf("text", "table", "image")},
			},
			"knowledge_bases": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The matching knowledge bases, newest first.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":          computedString("Knowledge base id (`dataset_id`), for `coze_bot_config.knowledge.dataset_ids`."),
					"name":        computedString("Name."),
					"description": computedString("Description."),
					"format_type": computedString("`text`, `table` or `image`; the spec also lists `database`, `volcano_structured` and `volcano_unstructured`."),
					"doc_count":   computedInt64("Number of documents."),
					"status":      computedInt64("`1` enabled, `3` disabled."),
					"can_edit":    schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the token's user owns it (and so may change it)."},
				}},
			},
		},
	}
}

func (d *knowledgeBasesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m knowledgeBasesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	client := d.client(&resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	list := coze.ListDatasetsRequest{SpaceID: m.SpaceID.ValueString(), Name: m.Name.ValueString()}
	if !m.FormatType.IsNull() {
		n := knowledgeFormatNumber(m.FormatType.ValueString())
		list.FormatType = &n
	}
	m.KnowledgeBases = []listedKnowledgeBase{}
	for kb, err := range client.AllDatasets(ctx, list) {
		if err != nil {
			addAPIError(&resp.Diagnostics, client, "list the Coze knowledge bases of space "+list.SpaceID, err)
			return
		}
		m.KnowledgeBases = append(m.KnowledgeBases, listedKnowledgeBase{
			ID: types.StringValue(kb.ID.String()), Name: types.StringValue(kb.Name), Description: types.StringValue(kb.Description),
			FormatType: types.StringValue(knowledgeFormatName(kb.FormatType)), DocCount: types.Int64Value(int64(kb.DocCount)),
			Status: types.Int64Value(int64(kb.Status)), CanEdit: types.BoolValue(kb.CanEdit),
		})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

var (
	_ resource.ResourceWithConfigure   = &knowledgeBaseResource{}
	_ resource.ResourceWithImportState = &knowledgeBaseResource{}
	_ resource.ResourceWithModifyPlan  = &knowledgeBaseResource{}
)

// NewKnowledgeBaseResource is the coze_knowledge_base resource.
func NewKnowledgeBaseResource() resource.Resource {
	return &knowledgeBaseResource{resourceBase: resourceBase{typeName: "knowledge_base"}}
}

type knowledgeBaseResource struct {
	resourceBase
}

type knowledgeBaseModel struct {
	ID          types.String   `tfsdk:"id"`
	SpaceID     types.String   `tfsdk:"space_id"`
	Name        types.String   `tfsdk:"name"`
	Description types.String   `tfsdk:"description"`
	IconFileID  types.String   `tfsdk:"icon_file_id"`
	FormatType  types.String   `tfsdk:"format_type"`
	DocCount    types.Int64    `tfsdk:"doc_count"`
	SliceCount  types.Int64    `tfsdk:"slice_count"`
	AllFileSize types.Int64    `tfsdk:"all_file_size"`
	Status      types.Int64    `tfsdk:"status"`
	CreateTime  types.Int64    `tfsdk:"create_time"`
	UpdateTime  types.Int64    `tfsdk:"update_time"`
	Timeouts    timeouts.Value `tfsdk:"timeouts"`
}

// Knowledge base format types: names in Terraform, numbers on the wire. The
// docs name 0 to 2; the spec adds 3 to 5, which the list API may return.
var knowledgeFormatNames = map[int64]string{
	coze.FormatText: "text", coze.FormatTable: "table", coze.FormatImage: "image",
	3: "database", 4: "volcano_structured", 5: "volcano_unstructured",
}

func knowledgeFormatName(n coze.FlexInt64) string {
	if name, known := knowledgeFormatNames[int64(n)]; known {
		return name
	}
	return strconv.FormatInt(int64(n), 10)
}

func knowledgeFormatNumber(name string) int {
	for n, s := range knowledgeFormatNames {
		if s == name {
			return int(n)
		}
	}
	return coze.FormatText
}

// readOnlyInt64 is a computed attribute that refresh keeps current. Between
// refreshes it keeps its value (an update does not change it), so it never
// shows in a plan: see the Behaviour section of the docs.
func readOnlyInt64(desc string) schema.Int64Attribute {
	return schema.Int64Attribute{
		Computed:            true,
		MarkdownDescription: desc,
		PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
	}
}

func (r *knowledgeBaseResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Coze knowledge base (知识库, a *dataset* in the API), created with `POST /v1/datasets`, changed with " +
			"`PUT /v1/datasets/{id}` and deleted, with every document in it, by `DELETE /v1/datasets/{id}`. Fill it with " +
			"`coze_knowledge_document` and bind it to a bot through `coze_bot_config.knowledge.dataset_ids`. Needs the " +
			"`createKnowledge`, `update`, `delete` and `listKnowledge` permissions.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The knowledge base id (`dataset_id`), for `coze_bot_config.knowledge.dataset_ids`.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"space_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Id of the workspace: the digits after `space/` in the Coze URL. Changing it creates a new knowledge base.",
				Validators:          []validator.String{decimalID()},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: fmt.Sprintf("Name, 1 to %d characters (Unicode characters, not bytes).", coze.MaxKnowledgeNameChars),
				Validators:          []validator.String{stringvalidator.UTF8LengthBetween(1, coze.MaxKnowledgeNameChars)},
			},
			"description": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(""),
				MarkdownDescription: "Description. Defaults to none (`\"\"`).",
			},
			"icon_file_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Icon: the `id` of a `coze_file` holding an image. Without it, Coze's default icon: the " +
					"update API sets the icon on every call, so an update without `icon_file_id` resets the icon to the default. " +
					"The API returns only the icon's URI, so a change made in the Coze UI is not detected, and an import leaves " +
					"`icon_file_id` unset: when an update would reset an icon of the base's own that `icon_file_id` does not " +
					"manage, the plan warns; set `icon_file_id` to keep it.",
				Validators: []validator.String{decimalID()},
			},
			"format_type": schema.StringAttribute{
				Optional: true,
				Computed: true,
				Default:  stringdefault.StaticString("text"),
				MarkdownDescription: "`text` (the default: pdf, txt, doc and docx files and web pages) or `image` (images " +
					"uploaded with `coze_file`). Sent as the API's `format_type` 0 or 2; table knowledge bases cannot be " +
					"created through the API. Changing it creates a new knowledge base.",
				Validators:    []validator.String{stringvalidator.OneOf("text", "image")},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"doc_count":     readOnlyInt64("Number of documents, as of the last refresh."),
			"slice_count":   readOnlyInt64("Number of slices (chunks) of all documents, as of the last refresh."),
			"all_file_size": readOnlyInt64("Total size of the documents in bytes, as of the last refresh."),
			"status":        readOnlyInt64("`1` enabled, `3` disabled (in the Coze UI)."),
			"create_time":   readOnlyInt64("Creation time, unix seconds."),
			"update_time":   readOnlyInt64("Time of the last change, unix seconds, as of the last refresh."),
			"timeouts": timeouts.Attributes(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true,
				CreateDescription: "Default `5m`.", ReadDescription: "Default `2m`.", UpdateDescription: "Default `5m`.",
				DeleteDescription: "Default `5m`."}),
		},
	}
}

// ModifyPlan fails the plan, not the apply, when there is no token, and
// warns when an update would reset an icon that icon_file_id does not
// manage (iconResetWarning).
func (r *knowledgeBaseResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	r.requireClientAtPlan(&resp.Diagnostics)
	if req.State.Raw.IsNull() {
		return
	}
	var plan, state knowledgeBaseModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	raw, diags := req.Private.GetKey(ctx, privateKeyIconURI)
	resp.Diagnostics.Append(diags...)
	var iconURI string
	_ = json.Unmarshal(raw, &iconURI) // absent or not a string: no icon known
	if warning := iconResetWarning(plan, state, iconURI); warning != "" && !resp.Diagnostics.HasError() {
		resp.Diagnostics.AddAttributeWarning(path.Root("icon_file_id"), "The update resets the knowledge base's icon", warning)
	}
}

// privateKeyIconURI holds the icon_uri that the last listing showed for the
// base: the API returns its icon as a URI, never as the file id that
// icon_file_id is.
const privateKeyIconURI = "icon_uri"

// jsonString encodes s for the private state, which holds JSON.
func jsonString(s string) []byte {
	raw, _ := json.Marshal(s) // a string always encodes
	return raw
}

// hasCustomIcon tells a base's own icon from Coze's default one by its
// icon_uri. The docs do not say what the default's URI is: one that is empty
// or names "default" (Coze Studio's is default_icon/default_dataset_icon.png)
// is taken for the default.
func hasCustomIcon(iconURI string) bool {
	return iconURI != "" && !strings.Contains(strings.ToLower(iconURI), "default")
}

// iconResetWarning returns the plan-time warning for an update that resets
// an icon: update_dataset.md says the update API sets name, file_id (the
// icon) and description on every call, and what is left out returns to its
// default. With icon_file_id null in the configuration and in the state
// (after an import, whose API answer has only the icon's URI, or when the
// icon was set in the Coze UI), an update sends no file_id, and a base with
// its own icon loses it. The update goes ahead as planned; the warning says
// how to keep the icon. It returns "" when there is nothing to warn about.
func iconResetWarning(plan, state knowledgeBaseModel, iconURI string) string {
	updates := !plan.Name.Equal(state.Name) || !plan.Description.Equal(state.Description) || !plan.IconFileID.Equal(state.IconFileID)
	if !updates || !plan.IconFileID.IsNull() || !state.IconFileID.IsNull() || !hasCustomIcon(iconURI) {
		return ""
	}
	return fmt.Sprintf("Knowledge base %s has its own icon (%s), which icon_file_id does not manage: it was imported, or the "+
		"icon was set in the Coze UI. Coze's update API (PUT /v1/datasets/{id}) sets the name, the icon and the description "+
		"on every call and resets what it is not sent, so this update gives the base Coze's default icon. To keep the icon, "+
		"upload the image with coze_file and set icon_file_id to its id before applying.", state.ID.ValueString(), iconURI)
}

func (r *knowledgeBaseResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan knowledgeBaseModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	client := r.client(&resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Create, defaultWriteTimeout, &resp.Diagnostics)
	defer cancel()

	spaceID, name := plan.SpaceID.ValueString(), plan.Name.ValueString()
	id, err := client.CreateDataset(ctx, &coze.CreateDatasetRequest{
		Name: name, SpaceID: spaceID, FormatType: knowledgeFormatNumber(plan.FormatType.ValueString()),
		Description: plan.Description.ValueString(), IconFileID: plan.IconFileID.ValueString(),
	})
	if err != nil {
		var more []string
		if coze.IsUncertainCreate(err) {
			more = append(more, fmt.Sprintf("In the Coze console, look in workspace %s for a knowledge base named %q; if it is "+
				"there, import it: terraform import <address of this coze_knowledge_base> %s/<dataset_id>.", spaceID, name, spaceID))
		}
		addAPIError(&resp.Diagnostics, client, fmt.Sprintf("create Coze knowledge base %q in space %s", name, spaceID), err, more...)
		return
	}
	tflog.Info(ctx, "Created Coze knowledge base", map[string]any{"dataset_id": id, "space_id": spaceID})
	plan.ID = types.StringValue(id)

	// The create API answers only the id: the listing has the rest.
	found, err := findKnowledgeBase(ctx, client, spaceID, id, name)
	switch {
	case err != nil || found == nil:
		plan.setReadOnly(nil)
		resp.Diagnostics.AddWarning("Coze knowledge base created but not read back",
			fmt.Sprintf("Knowledge base %s was created, but the list API did not show it yet (%v). Its read-only attributes "+
				"are empty until the next refresh.", id, err))
	default:
		plan.setReadOnly(found)
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateKeyIconURI, jsonString(found.IconURI))...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// setReadOnly copies the read-only attributes from the API, or sets them
// null when d is nil.
func (m *knowledgeBaseModel) setReadOnly(d *coze.Dataset) {
	if d == nil {
		m.DocCount, m.SliceCount, m.AllFileSize = types.Int64Null(), types.Int64Null(), types.Int64Null()
		m.Status, m.CreateTime, m.UpdateTime = types.Int64Null(), types.Int64Null(), types.Int64Null()
		return
	}
	m.DocCount, m.SliceCount = types.Int64Value(int64(d.DocCount)), types.Int64Value(int64(d.SliceCount))
	m.AllFileSize, m.Status = types.Int64Value(int64(d.AllFileSize)), types.Int64Value(int64(d.Status))
	m.CreateTime, m.UpdateTime = types.Int64Value(int64(d.CreateTime)), types.Int64Value(int64(d.UpdateTime))
}

// findKnowledgeBase finds a base in its workspace's listing: first among the
// bases matching its name (the API filters by name), then, if it was renamed
// outside Terraform or the name is unknown (import), among all of them. It
// returns nil, nil when the base is not there.
func findKnowledgeBase(ctx context.Context, client *coze.Client, spaceID, id, name string) (*coze.Dataset, error) {
	filters := []string{""}
	if name != "" {
		filters = []string{name, ""}
	}
	for _, filter := range filters {
		for d, err := range client.AllDatasets(ctx, coze.ListDatasetsRequest{SpaceID: spaceID, Name: filter}) {
			if err != nil {
				return nil, err
			}
			if d.ID.String() == id {
				return d, nil
			}
		}
	}
	return nil, nil
}

func (r *knowledgeBaseResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state knowledgeBaseModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	client := r.client(&resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, state.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	defer cancel()

	id, spaceID := state.ID.ValueString(), state.SpaceID.ValueString()
	found, err := findKnowledgeBase(ctx, client, spaceID, id, state.Name.ValueString())
	if err != nil {
		// 4006 and 4200 too: the token may have lost its permission or its
		// access to the workspace, which says nothing about the base.
		addAPIError(&resp.Diagnostics, client, "read Coze knowledge base "+id, err,
			"The knowledge base stays in the Terraform state: only a listing of its workspace that succeeds without it shows "+
				"that it is gone. If it was really deleted, remove it from the state with `terraform state rm`.")
		return
	}
	if found == nil {
		r.data.goneBases.add(id)
		addRemovedFromStateWarning(&resp.Diagnostics, "Coze knowledge base", id,
			fmt.Errorf("the knowledge base list of workspace %s does not show it", spaceID), "The next apply creates it again.")
		resp.State.RemoveResource(ctx)
		return
	}
	state.Name = types.StringValue(found.Name)
	state.Description = types.StringValue(found.Description)
	state.FormatType = types.StringValue(knowledgeFormatName(found.FormatType))
	state.setReadOnly(found)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateKeyIconURI, jsonString(found.IconURI))...)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// knowledgeBasesGone records, for one walk, the knowledge bases that a
// listing of their workspace showed gone, so that the refresh of their
// documents, whose listing then fails with 4006 or 4200 (which can also
// mean a token without permission), can tell a base that is gone from one it
// cannot read. It hangs off providerData; a document refreshes after the
// coze_knowledge_base it refers to. The zero value is ready to use.
type knowledgeBasesGone struct {
	mu  sync.Mutex
	ids map[string]bool
}

func (g *knowledgeBasesGone) add(id string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.ids == nil {
		g.ids = map[string]bool{}
	}
	g.ids[id] = true
}

func (g *knowledgeBasesGone) has(id string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.ids[id]
}

// Update sends name, icon and description: the API sets all three on every
// call. The read-only attributes keep their planned (prior) values; the
// next refresh brings them up to date without a diff.
func (r *knowledgeBaseResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan knowledgeBaseModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	client := r.client(&resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Update, defaultWriteTimeout, &resp.Diagnostics)
	defer cancel()

	id := plan.ID.ValueString()
	err := client.UpdateDataset(ctx, &coze.UpdateDatasetRequest{
		DatasetID: id, Name: plan.Name.ValueString(), IconFileID: plan.IconFileID.ValueString(), Description: plan.Description.ValueString(),
	})
	if err != nil {
		addAPIError(&resp.Diagnostics, client, "update Coze knowledge base "+id, err)
		return
	}
	// The icon is now icon_file_id's, or the default: the next refresh reads its URI.
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateKeyIconURI, nil)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// Delete deletes the base and, with it, every document in it.
func (r *knowledgeBaseResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state knowledgeBaseModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	client := r.client(&resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, state.Timeouts.Delete, defaultWriteTimeout, &resp.Diagnostics)
	defer cancel()

	id := state.ID.ValueString()
	defer r.data.documents.forget(id) // its documents go with it
	err := client.DeleteDataset(ctx, id)
	if coze.IsNotFound(err) {
		// "Deleted already" or "no permission": only its workspace's listing tells.
		if found, listErr := findKnowledgeBase(ctx, client, state.SpaceID.ValueString(), id, state.Name.ValueString()); listErr == nil && found == nil {
			return
		}
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, client, "delete Coze knowledge base "+id, err,
			"The knowledge base stays in the Terraform state: it may still exist, with its documents.")
	}
}

// ImportState takes "<space_id>/<dataset_id>": the list API, the only way to
// read a base, needs the workspace.
func (r *knowledgeBaseResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	spaceID, id, ok := strings.Cut(req.ID, "/")
	if !ok || !decimalIDPattern.MatchString(spaceID) || !decimalIDPattern.MatchString(id) {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("Import coze_knowledge_base by <space_id>/<dataset_id>, for example: terraform import "+
				"coze_knowledge_base.docs 7341000000000000/7700000000000000000. Got: %q", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("space_id"), spaceID)...)
}

// knowledgeErrorHint says what to do about the common failures of the
// knowledge APIs; "" leaves it to errorHint.
func knowledgeErrorHint(operation string, e *coze.APIError) string {
	if !strings.Contains(operation, "knowledge") {
		return ""
	}
	switch e.Code {
	case coze.CodeNotFound, coze.CodeInvalidBot:
		return "Check the ids: the knowledge base (and document) must exist in a workspace the token can access, on the " +
			"site of base_url."
	case coze.CodeBadParameter:
		return "The API rejected a value in the request; msg names it. Local files go to text knowledge bases (pdf, txt, " +
			"doc, docx) and so do web pages; images (file_id) go to image knowledge bases."
	}
	return ""
}

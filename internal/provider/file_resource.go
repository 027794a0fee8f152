package provider

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

var (
	_ resource.ResourceWithConfigure        = &fileResource{}
	_ resource.ResourceWithModifyPlan       = &fileResource{}
	_ resource.ResourceWithConfigValidators = &fileResource{}
	_ resource.ResourceWithImportState      = &fileResource{}
)

// NewFileResource is the coze_file resource.
func NewFileResource() resource.Resource {
	return &fileResource{resourceBase: resourceBase{typeName: "file"}}
}

type fileResource struct {
	resourceBase
}

type fileModel struct {
	ID            types.String   `tfsdk:"id"`
	Source        types.String   `tfsdk:"source"`
	ContentBase64 types.String   `tfsdk:"content_base64"`
	FileName      types.String   `tfsdk:"file_name"`
	ContentSHA256 types.String   `tfsdk:"content_sha256"`
	Bytes         types.Int64    `tfsdk:"bytes"`
	CreatedAt     types.Int64    `tfsdk:"created_at"`
	Timeouts      timeouts.Value `tfsdk:"timeouts"`
}

func (r *fileResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplaceIf(replaceUnlessImported,
		"Changing it uploads the file again, except on the first apply after an import.",
		"Changing it uploads the file again, except on the first apply after an import.")}
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Uploads a file with `POST /v1/files/upload`, for example a bot avatar: its `id` goes into " +
			"`icon_file_id`. Exactly one of `source` (a local path) and `content_base64` (for Terraform Cloud, where no " +
			"local file exists) is required. A change of the content uploads a new file (the resource is replaced). " +
			"Refresh reads the file with `GET /v1/files/retrieve`: a file the API reports as gone (code 4200; files not " +
			"used as a bot avatar expire 3 months after upload) is removed from the state with a warning, and the next " +
			"apply uploads it again; any other error keeps the state. Coze has no API to delete a file: destroy only " +
			"removes the resource from the state. Import by file id.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The uploaded file's id.",
				PlanModifiers:       keep,
			},
			"source": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Path of a local file to upload, at most 512 MB.",
				PlanModifiers:       replace,
			},
			"content_base64": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The file's content, base64-encoded (for example `filebase64(\"icon.png\")`), at most 512 MB decoded.",
				PlanModifiers:       replace,
			},
			"file_name": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Name sent with the file; Coze judges the type by its extension (images: jpg, png, gif, webp, " +
					"heic, bmp, tiff). Defaults to the base name of `source`; required with `content_base64`.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIfConfigured(), stringplanmodifier.UseStateForUnknown()},
			},
			"content_sha256": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "SHA-256 of the content, computed at plan time: a change replaces the file.",
			},
			"bytes": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "Size of the uploaded file in bytes.",
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"created_at": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "Upload time, unix seconds.",
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"timeouts": timeouts.Attributes(ctx, timeouts.Opts{Create: true, Read: true}),
		},
	}
}

func (r *fileResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot("source"), path.MatchRoot("content_base64")),
		resourcevalidator.RequiredTogether(path.MatchRoot("content_base64"), path.MatchRoot("file_name")),
	}
}

// fileContent opens the configured content, once per upload attempt.
func fileContent(m fileModel) (open func() (io.ReadCloser, error), size int64, err error) {
	if !m.Source.IsNull() {
		name := m.Source.ValueString()
		info, err := os.Stat(name)
		if err != nil {
			return nil, 0, fmt.Errorf("source: cannot read %q: %w", name, err)
		}
		if info.IsDir() {
			return nil, 0, fmt.Errorf("source: %q is a directory, not a file", name)
		}
		return func() (io.ReadCloser, error) { return os.Open(name) }, info.Size(), nil
	}
	decoded, err := base64.StdEncoding.DecodeString(m.ContentBase64.ValueString())
	if err != nil {
		return nil, 0, fmt.Errorf("content_base64 is not valid base64: %w", err)
	}
	return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(decoded)), nil }, int64(len(decoded)), nil
}

// ModifyPlan hashes the content at plan time: a new hash replaces the file.
func (r *fileResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan, state fileModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	if resp.Diagnostics.HasError() || plan.Source.IsUnknown() || plan.ContentBase64.IsUnknown() {
		return
	}
	r.requireClientAtPlan(&resp.Diagnostics)
	open, size, err := fileContent(plan)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the file to upload", err.Error())
		return
	}
	if size > coze.MaxUploadBytes {
		resp.Diagnostics.AddError("File too large",
			fmt.Sprintf("The file to upload is %d bytes; the Coze upload API takes at most %d bytes (512 MB).", size, int64(coze.MaxUploadBytes)))
		return
	}
	if size == 0 {
		resp.Diagnostics.AddError("Empty file", "The Coze upload API rejects empty files (code 4300).")
		return
	}
	hash, err := hashContent(open)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the file to upload", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("content_sha256"), hash)...)
	if plan.FileName.IsUnknown() && !plan.Source.IsNull() && state.FileName.IsNull() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("file_name"), filepath.Base(plan.Source.ValueString()))...)
	}
	changed := !state.ContentSHA256.IsNull() && state.ContentSHA256.ValueString() != hash
	if !req.State.Raw.IsNull() && imported(state) {
		changed = !adoptImported(ctx, req, resp, plan, state, size)
	}
	if changed {
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("content_sha256"))
		for _, name := range []string{"id", "bytes", "created_at"} {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(name), unknownOf(name))...)
		}
	}
}

// adoptImported decides the first plan after an import: the configured
// content is taken as the imported file's when the size and the file name
// match (Coze cannot hash or download an uploaded file, so that is all that
// can be compared). Otherwise the file is uploaded again, under the
// configured name.
func adoptImported(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, plan, state fileModel, size int64) bool {
	diags := &resp.Diagnostics
	var configName types.String
	diags.Append(req.Config.GetAttribute(ctx, path.Root("file_name"), &configName)...)
	name := configName.ValueString()
	if configName.IsNull() && !plan.Source.IsNull() {
		name = filepath.Base(plan.Source.ValueString())
	}
	if configName.IsUnknown() || (size == state.Bytes.ValueInt64() && name == state.FileName.ValueString()) {
		return true
	}
	if configName.IsNull() {
		diags.Append(resp.Plan.SetAttribute(ctx, path.Root("file_name"), name)...)
	}
	diags.AddWarning("Imported file differs from the configuration",
		fmt.Sprintf("Coze file %s is %q, %d bytes; the configuration gives %q, %d bytes. The apply uploads the configured file "+
			"as a new file, with a new id.", state.ID.ValueString(), state.FileName.ValueString(), state.Bytes.ValueInt64(), name, size))
	return false
}

func unknownOf(name string) any {
	if name == "id" {
		return types.StringUnknown()
	}
	return types.Int64Unknown()
}

func hashContent(open func() (io.ReadCloser, error)) (string, error) {
	f, err := open()
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func (r *fileResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan fileModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	client := r.client(&resp.Diagnostics)
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Create, defaultWriteTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	open, _, err := fileContent(plan)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the file to upload", err.Error())
		return
	}
	name := plan.FileName.ValueString()
	if plan.FileName.IsUnknown() || name == "" {
		name = filepath.Base(plan.Source.ValueString())
	}
	file, err := client.UploadFile(ctx, name, open)
	if err != nil {
		addAPIError(&resp.Diagnostics, client, "upload file "+name, err)
		return
	}
	if plan.ContentSHA256.IsUnknown() {
		hash, err := hashContent(open)
		if err != nil {
			resp.Diagnostics.AddError("Cannot hash the uploaded file", err.Error())
			return
		}
		plan.ContentSHA256 = types.StringValue(hash)
	}
	plan.ID = types.StringValue(file.ID)
	plan.Bytes = types.Int64Value(file.Bytes)
	plan.CreatedAt = types.Int64Value(file.CreatedAt)
	if plan.FileName.IsUnknown() {
		plan.FileName = types.StringValue(name)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// Read asks the API whether the file still exists. Only code 4200 (not
// found) removes it from the state: the next apply uploads it again. Any
// other failure keeps the state, so that nothing is uploaded twice on an
// ambiguous answer (a permission missing, the token of another site).
func (r *fileResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state fileModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	client := r.client(&resp.Diagnostics)
	ctx, cancel := withTimeout(ctx, state.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	file, err := client.RetrieveFile(ctx, id)
	if apiErr, ok := coze.AsAPIError(err); ok && apiErr.Code == coze.CodeNotFound {
		addRemovedFromStateWarning(&resp.Diagnostics, "Coze file", id, err,
			"Files not used as a bot avatar expire 3 months after upload. The next apply uploads the file again.")
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, client, "read Coze file "+id, err)
		return
	}
	if file.ID == "" {
		resp.Diagnostics.AddWarning("Coze file details missing",
			fmt.Sprintf("GET /v1/files/retrieve answered success for file %s without the file's details. The state is kept as it was.", id))
		return
	}
	// An answer that leaves a detail out keeps the state's value. file_name
	// is only filled in, never changed: the configured name wins.
	if file.Bytes > 0 {
		state.Bytes = types.Int64Value(file.Bytes)
	}
	if file.CreatedAt > 0 {
		state.CreatedAt = types.Int64Value(file.CreatedAt)
	}
	if state.FileName.IsNull() && file.FileName != "" {
		state.FileName = types.StringValue(file.FileName)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// ImportState takes a file id; the Read that follows fills file_name,
// bytes and created_at from the API. The content is not known (Coze offers
// no download): the first plan adopts the configured content when its size
// and file name match the imported file, and uploads it again otherwise.
func (r *fileResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !decimalIDPattern.MatchString(req.ID) {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("Import coze_file by file id, the id that the upload API returned, for example: terraform import coze_file.icon 7369495981102022700. Got: %q", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
}

// imported reports a state that came from an import and has not been
// applied since: it has no content source (create requires one).
func imported(state fileModel) bool {
	return !state.ID.IsNull() && state.Source.IsNull() && state.ContentBase64.IsNull()
}

// replaceUnlessImported replaces the file when its content source changes,
// except right after an import, where ModifyPlan decides.
func replaceUnlessImported(ctx context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
	var state fileModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.RequiresReplace = !imported(state)
}

// Update only runs for changes that need no upload (none today: every
// input replaces the resource), so the plan becomes the state.
func (r *fileResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan fileModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// Delete only forgets the file: there is no delete API.
func (r *fileResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

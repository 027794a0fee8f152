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
)

// NewFileResource is the coze_file resource.
func NewFileResource() resource.Resource {
	return &fileResource{resourceBase: resourceBase{typeName: "file"}}
}

type fileResource struct {
	resourceBase
}

type fileModel struct {
	ID            types.String `tfsdk:"id"`
	Source        types.String `tfsdk:"source"`
	ContentBase64 types.String `tfsdk:"content_base64"`
	FileName      types.String `tfsdk:"file_name"`
	ContentSHA256 types.String `tfsdk:"content_sha256"`
	Bytes         types.Int64  `tfsdk:"bytes"`
	CreatedAt     types.Int64  `tfsdk:"created_at"`
}

func (r *fileResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Uploads a file with `POST /v1/files/upload`, for example a bot avatar: its `id` goes into " +
			"`icon_file_id`. Exactly one of `source` (a local path) and `content_base64` (for Terraform Cloud, where no " +
			"local file exists) is required. A change of the content uploads a new file (the resource is replaced). " +
			"Coze has no API to read or delete a file: refresh keeps the state, and destroy only removes the resource from " +
			"it (files used as a bot icon never expire, others expire after 3 months).",
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
	if !state.ContentSHA256.IsNull() && state.ContentSHA256.ValueString() != hash {
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("content_sha256"))
		for _, name := range []string{"id", "bytes", "created_at"} {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(name), unknownOf(name))...)
		}
	}
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
	client, diags := r.data.apiClient()
	resp.Diagnostics.Append(diags...)
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
		summary, detail := describeAPIError("upload file "+name, client.BaseURL(), err)
		resp.Diagnostics.AddError(summary, detail)
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

// Read keeps the state: the API cannot read a file back.
func (r *fileResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

// Update only runs for changes that need no upload (none today: every
// input replaces the resource), so the plan becomes the state.
func (r *fileResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan fileModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// Delete only forgets the file: there is no delete API.
func (r *fileResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

package provider

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/objectvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

var (
	_ resource.ResourceWithConfigure        = &knowledgeDocumentResource{}
	_ resource.ResourceWithImportState      = &knowledgeDocumentResource{}
	_ resource.ResourceWithModifyPlan       = &knowledgeDocumentResource{}
	_ resource.ResourceWithValidateConfig   = &knowledgeDocumentResource{}
	_ resource.ResourceWithConfigValidators = &knowledgeDocumentResource{}
)

// defaultDocumentCreateTimeout bounds a create, processing included.
const defaultDocumentCreateTimeout = 10 * time.Minute

// documentPollBackoff spaces the progress polls while a document is
// processed; documentListPageSize is the page size of the document listing
// that Read goes through. Tests make both small.
var (
	documentPollBackoff  = coze.DefaultPollBackoff
	documentListPageSize = coze.DefaultDocumentPageSize
)

// The file types of local documents, and the room the rest of a create
// request needs within the API's 15 MB body limit.
var (
	localFileTypes                = []string{"pdf", "txt", "doc", "docx"}
	maxLocalDocumentBytes   int64 = (coze.MaxRequestBodyBytes - 64<<10) / 4 * 3
	webURLPattern                 = regexp.MustCompile(`^(?i:https?://)?[^\s/?#]+\.[^\s]+$`)
	documentSourceAttrNames       = []string{"source", "content_base64", "web_url", "file_id"}
)

// countsFrom says where char_count and slice_count come from.
const countsFrom = "read from the document list once Coze has processed the document, by the create (the creates of " +
	"a knowledge base share their listings) and by each refresh"

// NewKnowledgeDocumentResource is the coze_knowledge_document resource.
func NewKnowledgeDocumentResource() resource.Resource {
	return &knowledgeDocumentResource{resourceBase: resourceBase{typeName: "knowledge_document"}}
}

type knowledgeDocumentResource struct {
	resourceBase
}

type knowledgeDocumentModel struct {
	ID                  types.String   `tfsdk:"id"`
	KnowledgeBaseID     types.String   `tfsdk:"knowledge_base_id"`
	Name                types.String   `tfsdk:"name"`
	Source              types.String   `tfsdk:"source"`
	ContentBase64       types.String   `tfsdk:"content_base64"`
	WebURL              types.String   `tfsdk:"web_url"`
	UpdateIntervalHours types.Int64    `tfsdk:"update_interval_hours"`
	FileID              types.String   `tfsdk:"file_id"`
	Caption             types.String   `tfsdk:"caption"`
	FileType            types.String   `tfsdk:"file_type"`
	ChunkStrategy       types.Object   `tfsdk:"chunk_strategy"`
	ContentSHA256       types.String   `tfsdk:"content_sha256"`
	Status              types.Int64    `tfsdk:"status"`
	Size                types.Int64    `tfsdk:"size"`
	CharCount           types.Int64    `tfsdk:"char_count"`
	SliceCount          types.Int64    `tfsdk:"slice_count"`
	Timeouts            timeouts.Value `tfsdk:"timeouts"`
}

type chunkStrategyModel struct {
	ChunkType         types.String `tfsdk:"chunk_type"`
	Separator         types.String `tfsdk:"separator"`
	MaxTokens         types.Int64  `tfsdk:"max_tokens"`
	RemoveExtraSpaces types.Bool   `tfsdk:"remove_extra_spaces"`
	RemoveURLsEmails  types.Bool   `tfsdk:"remove_urls_emails"`
}

func (r *knowledgeDocumentResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	onlyLocal := []validator.String{
		stringvalidator.ConflictsWith(path.MatchRoot("web_url"), path.MatchRoot("file_id")),
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "One document (a file, a web page or an image) in a `coze_knowledge_base`, created with " +
			"`POST /open_api/knowledge/document/create`. Apply waits until Coze has processed it (cut it into slices), " +
			"polling `POST /v1/datasets/{id}/process`. Exactly one source: `source` (a local file), `content_base64`, " +
			"`web_url` or `file_id` (an image, for image knowledge bases). `name` and `update_interval_hours` change in " +
			"place; any other change, including a change of the file's content, replaces the document. Needs the " +
			"`createDocument`, `updateDocument`, `deleteDocument`, `listDocument` and `readDocumentProgress` permissions.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The document id (`document_id`).",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"knowledge_base_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Id of the knowledge base (`coze_knowledge_base.x.id`). Changing it moves the document: a new one is created.",
				Validators:          []validator.String{decimalID()},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Document name, as shown in Coze. Changes in place.",
				Validators:          []validator.String{stringvalidator.UTF8LengthAtLeast(1)},
			},
			"source": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("Path of a local file (pdf, txt, doc or docx), for text knowledge bases. It is "+
					"read at plan time: its SHA-256 goes into `content_sha256`, so a change of its content replaces the document. "+
					"Sent as base64 in one request, so at most %d bytes (the API's 15 MB body limit).", maxLocalDocumentBytes),
			},
			"content_base64": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The file's content, base64-encoded (for example `filebase64(\"faq.pdf\")`, or " +
					"`base64encode(...)` of generated text), for text knowledge bases. Set `file_type`, or give `name` the file's extension.",
				Validators: []validator.String{base64Content{}},
			},
			"web_url": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "URL of a web page that Coze fetches, for text knowledge bases.",
				Validators: []validator.String{stringvalidator.RegexMatches(webURLPattern,
					"must be the URL of a web page, such as https://example.com/faq (http or https)")},
			},
			"update_interval_hours": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("With `web_url`: fetch the page again every this many hours, at least %d. "+
					"Unset (the default), the page is never fetched again. Changes in place.", coze.MinUpdateIntervalHours),
				Validators: []validator.Int64{
					int64validator.AtLeast(coze.MinUpdateIntervalHours),
					int64validator.AlsoRequires(path.MatchRoot("web_url")),
				},
			},
			"file_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "An image uploaded with `coze_file` (its `id`), for image knowledge bases.",
				Validators:          []validator.String{decimalID()},
			},
			"caption": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "With `file_id`: the image's description. Without it, Coze writes one (automatic " +
					"captioning); with it, captioning is manual.",
				Validators: []validator.String{stringvalidator.AlsoRequires(path.MatchRoot("file_id"))},
			},
			"file_type": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "With `source` or `content_base64`: `pdf`, `txt`, `doc` or `docx`. Defaults to the " +
					"extension of `source`, or else of `name`. Set it for a file whose extension says otherwise, for example " +
					"`txt` for a Markdown file.",
				Validators: append(onlyLocal, stringvalidator.OneOf(localFileTypes...)),
			},
			"chunk_strategy": schema.SingleNestedAttribute{
				Optional: true,
				MarkdownDescription: "How Coze cuts the document into slices, for local files and web pages. Unset, " +
					"automatic. Coze may keep the first document's strategy for a whole knowledge base.",
				Validators: []validator.Object{objectvalidator.ConflictsWith(path.MatchRoot("file_id"))},
				Attributes: map[string]schema.Attribute{
					"chunk_type": schema.StringAttribute{
						Required: true,
						MarkdownDescription: "`auto` (Coze's rules, API value 0) or `custom` (API value 1: `separator` and " +
							"`max_tokens` are required).",
						Validators: []validator.String{stringvalidator.OneOf("auto", "custom")},
					},
					"separator": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "With `custom`: the text that ends a slice, for example `\"\\n\\n\"` or `\"#\"`.",
						Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
					},
					"max_tokens": schema.Int64Attribute{
						Optional: true,
						MarkdownDescription: fmt.Sprintf("With `custom`: the longest slice, %d to %d tokens.",
							coze.MinChunkMaxTokens, coze.MaxChunkMaxTokens),
						Validators: []validator.Int64{int64validator.Between(coze.MinChunkMaxTokens, coze.MaxChunkMaxTokens)},
					},
					"remove_extra_spaces": schema.BoolAttribute{
						Optional:            true,
						MarkdownDescription: "With `custom`: collapse runs of spaces, line breaks and tabs. Default `false`.",
					},
					"remove_urls_emails": schema.BoolAttribute{
						Optional:            true,
						MarkdownDescription: "With `custom`: remove every URL and email address. Default `false`.",
					},
				},
			},
			"content_sha256": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "SHA-256 of the content of `source` or `content_base64`, computed at plan time: a " +
					"change replaces the document.",
			},
			"status":      readOnlyInt64("Processing status: `0` processing, `1` done, `9` failed. Apply waits for `1`."),
			"size":        readOnlyInt64("Size in bytes."),
			"char_count":  readOnlyInt64("Number of characters Coze extracted (" + countsFrom + ")."),
			"slice_count": readOnlyInt64("Number of slices (chunks) (" + countsFrom + ")."),
			"timeouts": timeouts.Attributes(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true,
				CreateDescription: "Default `10m`: the upload and the processing. A document still processing then stays " +
					"in the state, tainted: the next apply replaces it.",
				ReadDescription: "Default `2m`.", UpdateDescription: "Default `5m`.", DeleteDescription: "Default `5m`."}),
		},
	}
}

func (r *knowledgeDocumentResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	sources := make([]path.Expression, len(documentSourceAttrNames))
	for i, name := range documentSourceAttrNames {
		sources[i] = path.MatchRoot(name)
	}
	return []resource.ConfigValidator{resourcevalidator.ExactlyOneOf(sources...)}
}

// ValidateConfig checks the chunk strategy's rules, which depend on its
// chunk_type.
func (r *knowledgeDocumentResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var chunk types.Object
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("chunk_strategy"), &chunk)...)
	if resp.Diagnostics.HasError() || chunk.IsNull() || chunk.IsUnknown() {
		return
	}
	var cs chunkStrategyModel
	resp.Diagnostics.Append(chunk.As(ctx, &cs, basetypes.ObjectAsOptions{UnhandledUnknownAsEmpty: true})...)
	if resp.Diagnostics.HasError() || cs.ChunkType.IsUnknown() {
		return
	}
	at := path.Root("chunk_strategy")
	switch cs.ChunkType.ValueString() {
	case "custom":
		if cs.Separator.IsNull() {
			resp.Diagnostics.AddAttributeError(at.AtName("separator"), "Missing separator",
				`chunk_strategy.separator is required when chunk_type is "custom": the text that ends a slice, such as "\n\n".`)
		}
		if cs.MaxTokens.IsNull() {
			resp.Diagnostics.AddAttributeError(at.AtName("max_tokens"), "Missing max_tokens",
				fmt.Sprintf(`chunk_strategy.max_tokens is required when chunk_type is "custom": %d to %d.`, coze.MinChunkMaxTokens, coze.MaxChunkMaxTokens))
		}
	case "auto":
		for name, v := range map[string]interface{ IsNull() bool }{
			"separator": cs.Separator, "max_tokens": cs.MaxTokens,
			"remove_extra_spaces": cs.RemoveExtraSpaces, "remove_urls_emails": cs.RemoveURLsEmails,
		} {
			if !v.IsNull() {
				resp.Diagnostics.AddAttributeError(at.AtName(name), "Setting ignored by automatic chunking",
					fmt.Sprintf(`chunk_strategy.%s applies only when chunk_type is "custom"; remove it or set chunk_type = "custom".`, name))
			}
		}
	}
}

// documentKind is where a document comes from.
type documentKind int

const (
	kindUnknown documentKind = iota // a source attribute is unknown until apply
	kindLocal                       // source or content_base64
	kindWeb
	kindImage
)

func (m *knowledgeDocumentModel) kind() documentKind {
	for _, v := range []types.String{m.Source, m.ContentBase64, m.WebURL, m.FileID} {
		if v.IsUnknown() {
			return kindUnknown
		}
	}
	switch {
	case !m.WebURL.IsNull():
		return kindWeb
	case !m.FileID.IsNull():
		return kindImage
	}
	return kindLocal
}

// recordsItsSource reports whether the state knows what the document was
// made from; after an import it does not, and the first apply only records
// the configured source.
func (m *knowledgeDocumentModel) recordsItsSource() bool {
	return !m.ContentSHA256.IsNull() || !m.WebURL.IsNull() || !m.FileID.IsNull()
}

// localContent reads the content of a local document: the source file or
// content_base64. The error names the attribute.
func (m *knowledgeDocumentModel) localContent() ([]byte, path.Path, error) {
	if !m.Source.IsNull() {
		at, name := path.Root("source"), m.Source.ValueString()
		info, err := os.Stat(name)
		switch {
		case err != nil:
			return nil, at, fmt.Errorf("cannot read %q: %w", name, err)
		case info.IsDir():
			return nil, at, fmt.Errorf("%q is a directory, not a file", name)
		case info.Size() > maxLocalDocumentBytes:
			return nil, at, fmt.Errorf("%q is %d bytes; sent as base64 in one request within the API's 15 MB body limit, "+
				"a document can have at most %d bytes. Split it into several documents", name, info.Size(), maxLocalDocumentBytes)
		}
		content, err := os.ReadFile(name)
		switch {
		case err != nil:
			return nil, at, fmt.Errorf("cannot read %q: %w", name, err)
		case len(content) == 0:
			return nil, at, fmt.Errorf("%q is empty; Coze rejects empty files", name)
		}
		return content, at, nil
	}
	at := path.Root("content_base64")
	content, err := base64.StdEncoding.DecodeString(m.ContentBase64.ValueString())
	switch {
	case err != nil:
		return nil, at, fmt.Errorf("not valid base64: %w", err)
	case int64(len(content)) > maxLocalDocumentBytes:
		return nil, at, fmt.Errorf("the content is %d bytes; a document sent in one request can have at most %d bytes "+
			"(the API's 15 MB body limit)", len(content), maxLocalDocumentBytes)
	}
	return content, at, nil
}

func documentSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// derivedFileType is the file type a local document's extension says: of
// source, or of name for content_base64.
func (m *knowledgeDocumentModel) derivedFileType() (string, error) {
	name, from := m.Name.ValueString(), "name"
	if !m.Source.IsNull() {
		name, from = m.Source.ValueString(), "source"
	}
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(name), "."))
	if slices.Contains(localFileTypes, ext) {
		return ext, nil
	}
	if ext == "" {
		return "", fmt.Errorf("%s %q has no extension to tell the file type by. Set file_type to one of %s",
			from, name, strings.Join(localFileTypes, ", "))
	}
	return "", fmt.Errorf("the API takes %s files; %s %q has the extension %q. Set file_type to the format the content is in "+
		"(for example \"txt\" for Markdown or plain text), or convert the file", strings.Join(localFileTypes, ", "), from, name, "."+ext)
}

// ModifyPlan reads and hashes a local document at plan time, defaults
// file_type, and decides the replacements: once the state records what the
// document was made from, any change to it replaces the document.
func (r *knowledgeDocumentResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan, config knowledgeDocumentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.requireClientAtPlan(&resp.Diagnostics)

	kind := plan.kind()
	switch kind {
	case kindLocal:
		content, at, err := plan.localContent()
		if err != nil {
			resp.Diagnostics.AddAttributeError(at, "Cannot read the document", at.String()+": "+err.Error())
			return
		}
		plan.ContentSHA256 = types.StringValue(documentSHA256(content))
		if config.FileType.IsNull() && !plan.Name.IsUnknown() {
			fileType, err := plan.derivedFileType()
			if err != nil {
				resp.Diagnostics.AddAttributeError(path.Root("file_type"), "Unknown file type", "file_type: "+err.Error())
				return
			}
			plan.FileType = types.StringValue(fileType)
		}
	case kindWeb, kindImage:
		plan.ContentSHA256 = types.StringNull()
		plan.FileType = types.StringNull()
	}

	if !req.State.Raw.IsNull() {
		var state knowledgeDocumentModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if !state.recordsItsSource() && kind != kindUnknown {
			imported, diags := importedDocument(ctx, req.Private)
			resp.Diagnostics.Append(diags...)
			if differs := imported.differsFrom(&plan, kind); imported != nil && differs != "" {
				resp.RequiresReplace = append(resp.RequiresReplace, path.Root(documentSourceAttr(&plan)))
				resp.Diagnostics.AddWarning("Imported document differs from the configuration",
					fmt.Sprintf("Coze knowledge document %s %s. The apply deletes it and creates the configured document in its "+
						"place. (Coze returns neither the content nor a hash of it: the kind of source, the size in bytes and the "+
						"file type are all that can be compared.)", state.ID.ValueString(), differs))
			}
		}
		if state.recordsItsSource() {
			for name, changed := range map[string]bool{
				"content_sha256": !plan.ContentSHA256.Equal(state.ContentSHA256),
				"web_url":        !plan.WebURL.Equal(state.WebURL),
				"file_id":        !plan.FileID.Equal(state.FileID),
				"caption":        !plan.Caption.Equal(state.Caption),
				"file_type":      !plan.FileType.Equal(state.FileType),
				"chunk_strategy": !plan.ChunkStrategy.Equal(state.ChunkStrategy),
			} {
				if changed {
					resp.RequiresReplace = append(resp.RequiresReplace, path.Root(name))
				}
			}
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, plan)...)
}

// privateKeyImportedDocument holds, from an import until the first apply
// after it, what the API told about the imported document (importedView).
const privateKeyImportedDocument = "imported_document"

// importedView is what the document list tells about a document's content:
// the kind of source, the size in bytes and the file type. Coze returns
// neither the content nor a hash of it, nor a web page's URL or an image's
// file id.
type importedView struct {
	Kind string `json:"kind"` // "local", "web" or "image"
	Size int64  `json:"size"`
	Type string `json:"type"`
}

func importedViewOf(d *coze.Document) importedView {
	v := importedView{Kind: "local", Size: int64(d.Size), Type: d.Type}
	switch {
	case d.FormatType == coze.FormatImage:
		v.Kind = "image"
	case d.SourceType == coze.SourceTypeWeb:
		v.Kind = "web"
	}
	return v
}

var documentKindNames = map[documentKind]string{kindLocal: "local", kindWeb: "web", kindImage: "image"}

// differsFrom compares the imported document with the planned one, as far
// as the API tells: the kind of source, and for a local file its size and
// file type. It returns what differs, or "" when the configuration can be
// adopted. A web page's URL and an image cannot be compared.
func (v *importedView) differsFrom(plan *knowledgeDocumentModel, kind documentKind) string {
	if v == nil {
		return ""
	}
	if name := documentKindNames[kind]; name != v.Kind {
		return fmt.Sprintf("is a %s document; the configuration gives a %s one (%s)", v.Kind, name, documentSourceAttr(plan))
	}
	if kind != kindLocal {
		return ""
	}
	content, _, err := plan.localContent()
	if err != nil { // reported by ModifyPlan already
		return ""
	}
	var differs []string
	if v.Size > 0 && int64(len(content)) != v.Size {
		differs = append(differs, fmt.Sprintf("is %d bytes; the configured content is %d bytes", v.Size, len(content)))
	}
	if planned := plan.FileType.ValueString(); v.Type != "" && !plan.FileType.IsUnknown() && planned != v.Type {
		differs = append(differs, fmt.Sprintf("is a %s file; the configuration gives file_type %q", v.Type, planned))
	}
	return strings.Join(differs, ", and ")
}

// documentSourceAttr is the source attribute the plan sets.
func documentSourceAttr(m *knowledgeDocumentModel) string {
	for i, v := range []types.String{m.Source, m.ContentBase64, m.WebURL, m.FileID} {
		if !v.IsNull() {
			return documentSourceAttrNames[i]
		}
	}
	return "source"
}

func setImportedDocument(ctx context.Context, private interface {
	SetKey(context.Context, string, []byte) diag.Diagnostics
}, v importedView) diag.Diagnostics {
	raw, _ := json.Marshal(v) // a struct of strings and a number always encodes
	return private.SetKey(ctx, privateKeyImportedDocument, raw)
}

func importedDocument(ctx context.Context, private interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
}) (*importedView, diag.Diagnostics) {
	raw, diags := private.GetKey(ctx, privateKeyImportedDocument)
	if len(raw) == 0 {
		return nil, diags
	}
	var v importedView
	if err := json.Unmarshal(raw, &v); err != nil {
		diags.AddError("Invalid private state", fmt.Sprintf("%s: %v. This is a bug in the provider.", privateKeyImportedDocument, err))
		return nil, diags
	}
	return &v, diags
}

// createRequest builds the create call for the planned document.
func (m *knowledgeDocumentModel) createRequest(ctx context.Context) (*coze.CreateDocumentsRequest, diag.Diagnostics) {
	var diags diag.Diagnostics
	name := m.Name.ValueString()
	req := &coze.CreateDocumentsRequest{DatasetID: m.KnowledgeBaseID.ValueString(), FormatType: coze.FormatText}
	switch m.kind() {
	case kindWeb:
		req.DocumentBases = []coze.DocumentBase{coze.WebDocument(name, m.WebURL.ValueString(), int(m.UpdateIntervalHours.ValueInt64()))}
	case kindImage:
		caption := m.Caption.ValueString()
		req.FormatType = coze.FormatImage
		req.ChunkStrategy = coze.ImageCaptioning(caption != "")
		req.DocumentBases = []coze.DocumentBase{coze.ImageDocument(name, m.FileID.ValueString(), caption)}
		return req, diags
	default:
		content, at, err := m.localContent()
		if err != nil {
			diags.AddAttributeError(at, "Cannot read the document", at.String()+": "+err.Error())
			return nil, diags
		}
		if hash := documentSHA256(content); !m.ContentSHA256.IsUnknown() && m.ContentSHA256.ValueString() != hash {
			diags.AddAttributeError(path.Root("source"), "The document changed since the plan",
				"The content of the document differs from what was planned (its SHA-256 is now "+hash+"). Plan and apply again.")
			return nil, diags
		}
		req.DocumentBases = []coze.DocumentBase{coze.LocalDocument(name, base64.StdEncoding.EncodeToString(content), m.FileType.ValueString())}
	}
	req.ChunkStrategy = coze.AutoChunking()
	if !m.ChunkStrategy.IsNull() {
		var cs chunkStrategyModel
		diags.Append(m.ChunkStrategy.As(ctx, &cs, basetypes.ObjectAsOptions{})...)
		if cs.ChunkType.ValueString() == "custom" {
			req.ChunkStrategy = coze.CustomChunking(cs.Separator.ValueString(), cs.MaxTokens.ValueInt64(),
				cs.RemoveExtraSpaces.ValueBool(), cs.RemoveURLsEmails.ValueBool())
		}
	}
	return req, diags
}

// Create uploads the document and waits until Coze has processed it. A
// document whose processing fails is deleted again; one still processing
// when the create timeout ends stays in the state, tainted.
func (r *knowledgeDocumentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan knowledgeDocumentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	client := r.client(&resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, _ := plan.Timeouts.Create(ctx, defaultDocumentCreateTimeout) // for the message; withTimeout reports errors
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Create, defaultDocumentCreateTimeout, &resp.Diagnostics)
	defer cancel()
	body, diags := plan.createRequest(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	kbID, name := plan.KnowledgeBaseID.ValueString(), plan.Name.ValueString()
	defer r.data.documents.forget(kbID) // whatever happened, the base's listing may have changed
	ticket := r.data.counts.creating(kbID)
	defer ticket.done()
	what := fmt.Sprintf("Coze knowledge document %q in knowledge base %s", name, kbID)
	docs, err := client.CreateDocuments(ctx, body)
	if err != nil {
		var more []string
		if coze.IsUncertainCreate(err) {
			more = append(more, fmt.Sprintf("In the Coze console, look in knowledge base %s for a document named %q; if it is "+
				"there, import it: terraform import <address of this coze_knowledge_document> %s/<document_id>.", kbID, name, kbID))
		}
		addAPIError(&resp.Diagnostics, client, "create "+what, err, more...)
		return
	}
	doc := docs[0]
	id := doc.ID.String()
	tflog.Info(ctx, "Created Coze knowledge document, waiting for its processing", map[string]any{"document_id": id, "dataset_id": kbID})
	plan.ID = types.StringValue(id)
	plan.setReadOnly(&doc)

	progress := coze.DocumentProgress{DocumentID: doc.ID, Status: doc.Status}
	if !progress.Finished() {
		last, err := client.WaitForDocuments(ctx, kbID, []string{id}, documentPollBackoff)
		if errors.Is(err, coze.ErrDocumentGone) {
			resp.Diagnostics.AddError("Coze knowledge document vanished while processing",
				fmt.Sprintf("%s (document %s) was created, but the progress API no longer knows it: it was deleted while Coze "+
					"processed it (in the Coze UI, or with its knowledge base). Apply again to create it again.", what, id))
			return
		}
		if err != nil {
			// The document exists and may still finish. Keeping it in the
			// state with an error taints it: the next apply replaces it.
			resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
			detail := fmt.Sprintf("Document %s is kept in the state, marked tainted: the next apply deletes it and creates it again.", id)
			if ctx.Err() != nil {
				resp.Diagnostics.AddError("Coze knowledge document still processing after "+timeout.String(),
					fmt.Sprintf("Coze did not finish processing %s (document %s) within the create timeout (%s). %s "+
						"For large files, raise timeouts.create.", what, id, timeout, detail))
				return
			}
			addAPIError(&resp.Diagnostics, client, "wait for the processing of "+what, err, detail)
			return
		}
		if len(last) > 0 {
			progress = last[0]
		}
	}

	if progress.Failed() {
		reason := cmp.Or(progress.StatusDescript, "Coze gave no reason (status_descript is empty)")
		detail := fmt.Sprintf("Coze could not process %s (document %s, status %d): %s", what, id, progress.Status, reason)
		if err := deleteDocument(ctx, client, kbID, id); err != nil {
			resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
			addAPIError(&resp.Diagnostics, client, "delete the failed document "+id, err, detail,
				"Deleting the failed document failed too: it is kept in the state, tainted, and the next apply deletes it.")
			return
		}
		resp.Diagnostics.AddError("Coze knowledge document processing failed", detail+
			"\n\nThe failed document was deleted, so nothing is left behind. Fix the content and apply again.")
		return
	}

	// The id, the status and the size come from the create answer and the
	// last progress poll; the character and slice counts that processing
	// finds only from the document list, which the creates of a base read
	// together once their documents are processed (documentCounts).
	plan.Status = types.Int64Value(int64(progress.Status))
	if progress.Size > 0 {
		plan.Size = types.Int64Value(int64(progress.Size))
	}
	listed, err := ticket.read(ctx, id, func(ctx context.Context) (map[string]coze.Document, error) {
		r.data.documents.forget(kbID) // a listing started after this document's processing
		return r.data.documents.get(ctx, kbID, "", documentLister(client, kbID))
	})
	switch {
	case err != nil || listed == nil || !(&coze.DocumentProgress{Status: listed.Status}).Succeeded():
		resp.Diagnostics.AddWarning("Created Coze knowledge document "+id+" without reading its counts",
			countsNotReadWhy(ctx, client, kbID, err)+"\n\nThe document is created and processed, and in the state. char_count and slice_count keep the create "+
				"answer's values until the next refresh reads them: a configuration that refers to them changes then.")
	default:
		plan.CharCount, plan.SliceCount = types.Int64Value(int64(listed.CharCount)), types.Int64Value(int64(listed.SliceCount))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// countsNotReadWhy says why a created document's counts were not read:
// err is the listing's, nil when the list did not show the document
// processed.
func countsNotReadWhy(ctx context.Context, client *coze.Client, kbID string, err error) string {
	switch {
	case ctx.Err() != nil: // the create's own time, not the API
		return fmt.Sprintf("The create's time (timeouts.create) ran out, or the run was interrupted, while it waited for the "+
			"document list of knowledge base %s, which the creates of a base read together once their documents are "+
			"processed (%v).", kbID, ctx.Err())
	case err != nil:
		_, why := describeAPIError("list the documents of knowledge base "+kbID, client.BaseURL(), err)
		return why
	}
	return fmt.Sprintf("The document list of knowledge base %s does not show it as processed.", kbID)
}

func (m *knowledgeDocumentModel) setReadOnly(d *coze.Document) {
	m.Status, m.Size = types.Int64Value(int64(d.Status)), types.Int64Value(int64(d.Size))
	m.CharCount, m.SliceCount = types.Int64Value(int64(d.CharCount)), types.Int64Value(int64(d.SliceCount))
}

// listedDocument finds a document in its knowledge base's listing, every
// page of it, which the resources of a walk share (listingCache): N
// documents of a base cost one listing, not one each. It returns nil, nil
// when the document is not listed.
func (r *knowledgeDocumentResource) listedDocument(ctx context.Context, client *coze.Client, kbID, id string) (*coze.Document, error) {
	return r.data.documents.find(ctx, kbID, id, documentLister(client, kbID))
}

// documentLister lists a knowledge base's documents, every page, for the
// walk's shared listing.
func documentLister(client *coze.Client, kbID string) lister[coze.Document] {
	return func(ctx context.Context, add func(string, coze.Document)) error {
		for doc, err := range client.AllDocuments(ctx, kbID, documentListPageSize) {
			if err != nil {
				return err
			}
			add(doc.ID.String(), *doc)
		}
		return nil
	}
}

// Read finds the document in its knowledge base's listing.
func (r *knowledgeDocumentResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state knowledgeDocumentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	client := r.client(&resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, state.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	defer cancel()

	id, kbID := state.ID.ValueString(), state.KnowledgeBaseID.ValueString()
	doc, err := r.listedDocument(ctx, client, kbID, id)
	switch {
	case err != nil && coze.IsNotFound(err) && r.data.goneBases.has(kbID):
		// The base's workspace was listed, without the base, in this walk.
		addRemovedFromStateWarning(&resp.Diagnostics, "Coze knowledge document", id,
			fmt.Errorf("its knowledge base %s is gone: its workspace's knowledge base list does not show it", kbID),
			"The next apply creates it again.")
		resp.State.RemoveResource(ctx)
		return
	case err != nil:
		// 4006 and 4200 too: "no such base" and "no permission" read the same.
		addAPIError(&resp.Diagnostics, client, fmt.Sprintf("read Coze knowledge document %s in knowledge base %s", id, kbID), err,
			"The document stays in the Terraform state: only a document list of its knowledge base that succeeds without it, "+
				"or a knowledge base list of the base's workspace without the base (read by the coze_knowledge_base that "+
				"manages it), shows that it is gone. If it was really deleted, remove it from the state with `terraform state rm`.")
		return
	case doc == nil:
		addRemovedFromStateWarning(&resp.Diagnostics, "Coze knowledge document", id,
			fmt.Errorf("the document list of knowledge base %s does not show it", kbID), "The next apply creates it again.")
		resp.State.RemoveResource(ctx)
		return
	}
	state.Name = types.StringValue(doc.Name)
	state.setReadOnly(doc)
	state.UpdateIntervalHours = types.Int64Null()
	if doc.UpdateType == coze.UpdateTypeAuto {
		state.UpdateIntervalHours = types.Int64Value(int64(doc.UpdateInterval))
	}
	if !state.recordsItsSource() { // import: what the first plan compares the configuration with
		if state.FileType.IsNull() && slices.Contains(localFileTypes, doc.Type) {
			state.FileType = types.StringValue(doc.Type)
		}
		resp.Diagnostics.Append(setImportedDocument(ctx, resp.Private, importedViewOf(doc))...)
	}
	if doc.Status == coze.DocumentFailed {
		resp.Diagnostics.AddWarning("Coze knowledge document failed",
			fmt.Sprintf("Coze reports document %s (%q) as failed (status 9), for example after a web page could not be fetched "+
				"again. Replace it with terraform apply -replace.", id, doc.Name))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// Update renames the document or changes a web page's update interval; the
// plan replaces the document for anything else. After an import, it also
// records the configured source, which is not uploaded again.
func (r *knowledgeDocumentResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state knowledgeDocumentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	client := r.client(&resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Update, defaultWriteTimeout, &resp.Diagnostics)
	defer cancel()

	defer r.data.documents.forget(state.KnowledgeBaseID.ValueString())
	update := &coze.UpdateDocumentRequest{DocumentID: state.ID.ValueString()}
	if !plan.Name.Equal(state.Name) {
		update.DocumentName = plan.Name.ValueString()
	}
	if !plan.UpdateIntervalHours.Equal(state.UpdateIntervalHours) {
		update.UpdateRule = coze.WebUpdateRule(int(plan.UpdateIntervalHours.ValueInt64()))
	}
	if update.DocumentName != "" || update.UpdateRule != nil {
		if err := client.UpdateDocument(ctx, update); err != nil {
			addAPIError(&resp.Diagnostics, client, "update Coze knowledge document "+update.DocumentID, err)
			return
		}
	}
	if plan.recordsItsSource() { // the import's adoption is done
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateKeyImportedDocument, nil)...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

func (r *knowledgeDocumentResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state knowledgeDocumentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	client := r.client(&resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, state.Timeouts.Delete, defaultWriteTimeout, &resp.Diagnostics)
	defer cancel()

	id, kbID := state.ID.ValueString(), state.KnowledgeBaseID.ValueString()
	defer r.data.documents.forget(kbID)
	if err := deleteDocument(ctx, client, kbID, id); err != nil {
		addAPIError(&resp.Diagnostics, client, "delete Coze knowledge document "+id, err,
			"The document stays in the Terraform state: it may still be in the knowledge base, where bots keep finding it.")
	}
}

// deleteDocument deletes a document. A delete answered 4006 or 4200 means
// "deleted already" or "no permission" alike: it succeeds only when the
// knowledge base's document list, read without error, no longer shows the
// document; otherwise the delete's error is returned.
func deleteDocument(ctx context.Context, client *coze.Client, kbID, id string) error {
	err := client.DeleteDocuments(ctx, []string{id})
	if coze.IsNotFound(err) {
		if doc, listErr := client.FindDocument(ctx, kbID, id, documentListPageSize); listErr == nil && doc == nil {
			return nil
		}
	}
	return err
}

// ImportState takes "<knowledge_base_id>/<document_id>": documents are read
// through their knowledge base's listing.
func (r *knowledgeDocumentResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	kbID, id, ok := strings.Cut(req.ID, "/")
	if !ok || !decimalIDPattern.MatchString(kbID) || !decimalIDPattern.MatchString(id) {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("Import coze_knowledge_document by <knowledge_base_id>/<document_id>, for example: terraform import "+
				"coze_knowledge_document.faq 7700000000000000000/7800000000000000000. Got: %q", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("knowledge_base_id"), kbID)...)
}

// base64Content checks that content_base64 decodes.
type base64Content struct{}

func (base64Content) Description(context.Context) string {
	return "must be base64 (standard alphabet, with padding), as filebase64() and base64encode() produce"
}

func (v base64Content) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v base64Content) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	content, err := base64.StdEncoding.DecodeString(req.ConfigValue.ValueString())
	switch {
	case err != nil:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid content_base64", fmt.Sprintf("%s %s: %v", req.Path, v.Description(ctx), err))
	case len(content) == 0:
		resp.Diagnostics.AddAttributeError(req.Path, "Empty document", req.Path.String()+" is empty; Coze rejects empty files.")
	}
}

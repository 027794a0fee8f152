package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

// What every resource and data source shares, written once: its type name,
// the provider's data from Configure, access to the API client, timeouts,
// and the wording of the diagnostics that all of them emit.
//
// A resource embeds resourceBase and is built with its type name:
//
//	func NewXResource() resource.Resource { return &xResource{resourceBase: resourceBase{typeName: "x"}} }

// resourceBase gives a resource Metadata and Configure, and the API client.
type resourceBase struct {
	typeName string // without the provider's prefix: "bot_config" for coze_bot_config
	data     *providerData
}

func (b *resourceBase) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + b.typeName
}

func (b *resourceBase) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	b.data = providerDataOf(req.ProviderData, &resp.Diagnostics)
}

// client returns the API client; when there is none (no token), it adds why
// to diags and returns nil.
func (b *resourceBase) client(diags *diag.Diagnostics) *coze.Client {
	client, d := b.data.apiClient()
	diags.Append(d...)
	return client
}

// requireClientAtPlan fails the plan, rather than the apply, when the API
// cannot be called (no token). Validation without a token stays possible.
func (b *resourceBase) requireClientAtPlan(diags *diag.Diagnostics) {
	if b.data != nil && b.data.configErr.HasError() {
		diags.Append(b.data.configErr...)
	}
}

// dataSourceBase is resourceBase for data sources.
type dataSourceBase struct {
	typeName string
	data     *providerData
}

func (b *dataSourceBase) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + b.typeName
}

func (b *dataSourceBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	b.data = providerDataOf(req.ProviderData, &resp.Diagnostics)
}

func (b *dataSourceBase) client(diags *diag.Diagnostics) *coze.Client {
	client, d := b.data.apiClient()
	diags.Append(d...)
	return client
}

// providerDataOf takes the provider's data handed to Configure. It is nil
// before the provider is configured (Terraform validates first), and of
// another type only through a bug.
func providerDataOf(data any, diags *diag.Diagnostics) *providerData {
	if data == nil {
		return nil
	}
	pd, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider.", data))
	}
	return pd
}

// withTimeout bounds ctx by the timeouts attribute's value for one
// operation, passed as a method value of timeouts.Value (t.Create, t.Read,
// t.Update, t.Delete), or by def when the user set none.
func withTimeout(ctx context.Context, timeout func(context.Context, time.Duration) (time.Duration, diag.Diagnostics),
	def time.Duration, diags *diag.Diagnostics) (context.Context, context.CancelFunc) {
	d, tdiags := timeout(ctx, def)
	diags.Append(tdiags...)
	if d <= 0 {
		d = def
	}
	return context.WithTimeout(ctx, d)
}

// addAPIError adds the error of a failed API call: "Cannot <operation>",
// with the API's code, msg, HTTP status and logid, and what to do about it.
// operation names what was acted on: "read Coze bot 7342866800001". Each of
// more is a paragraph added at the end: what the failure means here.
func addAPIError(diags *diag.Diagnostics, client *coze.Client, operation string, err error, more ...string) {
	summary, detail := describeAPIError(operation, baseURLOf(client), err)
	for _, paragraph := range more {
		detail += "\n\n" + paragraph
	}
	diags.AddError(summary, detail)
}

func baseURLOf(client *coze.Client) string {
	if client == nil {
		return ""
	}
	return client.BaseURL()
}

// addRemovedFromStateWarning is the one warning for an object that a
// refresh found gone: the caller removes the resource from the state.
// what and id name the object ("Coze bot", "7342866800001"); next says what
// the next apply does about it.
func addRemovedFromStateWarning(diags *diag.Diagnostics, what, id string, err error, next string) {
	detail := fmt.Sprintf("%s %s was not found", what, id)
	if err != nil {
		detail += fmt.Sprintf(" (%v)", err)
	}
	detail += ". It was removed from the Terraform state."
	if next != "" {
		detail += " " + next
	}
	diags.AddWarning(what+" no longer exists", detail)
}

package provider

import (
	"context"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	providerschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"

	"github.com/coze-terraform/terraform-provider-coze/internal/serve"
)

// The schema-only floor for `make bench`: a provider named cozefloor whose
// cozefloor_bot_config has exactly coze_bot_config's schema, derived from it
// here with every validator stripped, and no logic (create and update copy
// the plan, read keeps the state, no API). It is test-only code, so it can
// never drift from the real schema, and it measures what the framework and
// Terraform cost for this schema; the real provider's cost above it is ours.
//
// The test binary serves it when COZE_BENCH_SERVE_FLOOR=1 (see TestMain).

const envServeFloor = "COZE_BENCH_SERVE_FLOOR"

func serveFloorProvider() {
	// Served like the real provider (see main.go), so that the two differ only in the resource.
	err := serve.Serve("registry.terraform.io/coze-terraform/cozefloor", func() provider.Provider { return &floorProvider{} }, false)
	if err != nil {
		os.Exit(1)
	}
	os.Exit(0)
}

type floorProvider struct{}

func (floorProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "cozefloor"
}

func (floorProvider) Schema(ctx context.Context, req provider.SchemaRequest, resp *provider.SchemaResponse) {
	(&cozeProvider{}).Schema(ctx, req, resp)
	for name, a := range resp.Schema.Attributes {
		resp.Schema.Attributes[name] = stripProviderValidators(a)
	}
}

func (floorProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (floorProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return floorBotConfig{} }}
}

func (floorProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

type floorBotConfig struct{}

var _ resource.ResourceWithImportState = floorBotConfig{}

func (floorBotConfig) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bot_config"
}

func (floorBotConfig) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	s := (&botConfigResource{}).schemaWithTimeouts(ctx)
	attrs := make(map[string]schema.Attribute, len(s.Attributes))
	for name, a := range s.Attributes {
		attrs[name] = stripValidators(a)
	}
	s.Attributes = attrs
	resp.Schema = s
}

func (floorBotConfig) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.State.Raw = req.Plan.Raw
	var botID string
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("bot_id"), &botID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), botID)...)
	// Computed attributes must be known after apply; a constant costs nothing.
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("config_hash"), "floor")...)
}

func (floorBotConfig) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (floorBotConfig) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = req.Plan.Raw
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("config_hash"), "floor")...)
}

func (floorBotConfig) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

func (floorBotConfig) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughID(ctx, path.Root("bot_id"), req, resp)
}

// stripValidators returns the attribute without validators, recursively.
func stripValidators(a schema.Attribute) schema.Attribute {
	switch v := a.(type) {
	case schema.StringAttribute:
		v.Validators = nil
		return v
	case schema.Int64Attribute:
		v.Validators = nil
		return v
	case schema.Float64Attribute:
		v.Validators = nil
		return v
	case schema.BoolAttribute:
		v.Validators = nil
		return v
	case schema.ListAttribute:
		v.Validators = nil
		return v
	case schema.DynamicAttribute:
		v.Validators = nil
		return v
	case schema.SingleNestedAttribute:
		v.Validators = nil
		v.Attributes = stripAll(v.Attributes)
		return v
	case schema.ListNestedAttribute:
		v.Validators = nil
		v.NestedObject.Attributes = stripAll(v.NestedObject.Attributes)
		return v
	}
	return a
}

func stripAll(attrs map[string]schema.Attribute) map[string]schema.Attribute {
	out := make(map[string]schema.Attribute, len(attrs))
	for name, a := range attrs {
		out[name] = stripValidators(a)
	}
	return out
}

func stripProviderValidators(a providerschema.Attribute) providerschema.Attribute {
	switch v := a.(type) {
	case providerschema.Int64Attribute:
		v.Validators = nil
		return v
	case providerschema.Float64Attribute:
		v.Validators = nil
		return v
	}
	return a
}

package serve

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// A provider with one resource that nests a dynamic attribute ("settings",
// holding "params") and one with only a top-level dynamic attribute.

type dynamicProvider struct{}

func (dynamicProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "dyn"
}
func (dynamicProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}
func (dynamicProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}
func (dynamicProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }
func (dynamicProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		func() resource.Resource { return dynamicResource{name: "dyn_nested", nested: true} },
		func() resource.Resource { return dynamicResource{name: "dyn_top"} },
	}
}

type dynamicResource struct {
	name   string
	nested bool
}

func (r dynamicResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = r.name
}

func (r dynamicResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := map[string]schema.Attribute{"name": schema.StringAttribute{Optional: true}}
	if r.nested {
		attrs["settings"] = schema.SingleNestedAttribute{Optional: true, Attributes: map[string]schema.Attribute{
			"model":  schema.StringAttribute{Optional: true},
			"params": schema.DynamicAttribute{Optional: true},
		}}
	} else {
		attrs["params"] = schema.DynamicAttribute{Optional: true}
	}
	resp.Schema = schema.Schema{Attributes: attrs}
}
func (dynamicResource) Create(context.Context, resource.CreateRequest, *resource.CreateResponse) {}
func (dynamicResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse)       {}
func (dynamicResource) Update(context.Context, resource.UpdateRequest, *resource.UpdateResponse) {}
func (dynamicResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

var (
	settingsType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{"model": tftypes.String, "params": tftypes.DynamicPseudoType}}
	nestedType   = tftypes.Object{AttributeTypes: map[string]tftypes.Type{"name": tftypes.String, "settings": settingsType}}
	topType      = tftypes.Object{AttributeTypes: map[string]tftypes.Type{"name": tftypes.String, "params": tftypes.DynamicPseudoType}}
	paramsType   = tftypes.Object{AttributeTypes: map[string]tftypes.Type{"mode": tftypes.String}}
	unknown      = tftypes.UnknownValue
)

func planFlag(t *testing.T, server tfprotov6.ProviderServer, typeName string, typ tftypes.Type, config tftypes.Value) bool {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(typ, config)
	if err != nil {
		t.Fatal(err)
	}
	prior, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.PlanResourceChange(t.Context(), &tfprotov6.PlanResourceChangeRequest{
		TypeName: typeName, PriorState: &prior, ProposedNewState: &dv, Config: &dv,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Fatalf("%s: %s", d.Summary, d.Detail)
		}
	}
	return resp.UnsafeToUseLegacyTypeSystem //nolint:staticcheck // what is tested
}

// Only a plan whose configuration holds an unknown value that nests a
// dynamic type, which Terraform cannot check, carries the flag.
func TestOnlyPlansTerraformCannotCheckAreFlagged(t *testing.T) {
	server := NewProtocol6(dynamicProvider{})()
	name := tftypes.NewValue(tftypes.String, "n")
	nested := func(settings tftypes.Value) tftypes.Value {
		return tftypes.NewValue(nestedType, map[string]tftypes.Value{"name": name, "settings": settings})
	}
	settings := func(model, params tftypes.Value) tftypes.Value {
		return tftypes.NewValue(settingsType, map[string]tftypes.Value{"model": model, "params": params})
	}
	known := tftypes.NewValue(paramsType, map[string]tftypes.Value{"mode": tftypes.NewValue(tftypes.String, "x")})
	for _, tc := range []struct {
		name     string
		typeName string
		typ      tftypes.Type
		config   tftypes.Value
		want     bool
	}{
		{"whole nested object unknown", "dyn_nested", nestedType, nested(tftypes.NewValue(settingsType, unknown)), true},
		{"nested object known", "dyn_nested", nestedType, nested(settings(tftypes.NewValue(tftypes.String, "m"), known)), false},
		{"nested object null", "dyn_nested", nestedType, nested(tftypes.NewValue(settingsType, nil)), false},
		{"the dynamic attribute unknown, its type known", "dyn_nested", nestedType,
			nested(settings(tftypes.NewValue(tftypes.String, "m"), tftypes.NewValue(paramsType, unknown))), false},
		{"a string beside it unknown", "dyn_nested", nestedType, nested(settings(tftypes.NewValue(tftypes.String, unknown), known)), false},
		{"one key inside the dynamic value unknown", "dyn_nested", nestedType, nested(settings(tftypes.NewValue(tftypes.String, "m"),
			tftypes.NewValue(paramsType, map[string]tftypes.Value{"mode": tftypes.NewValue(tftypes.String, unknown)}))), false},
		{"top-level dynamic unknown", "dyn_top", topType,
			tftypes.NewValue(topType, map[string]tftypes.Value{"name": name, "params": tftypes.NewValue(paramsType, unknown)}), false},
		{"top-level dynamic unknown of unknown type", "dyn_top", topType,
			tftypes.NewValue(topType, map[string]tftypes.Value{"name": name, "params": tftypes.NewValue(tftypes.DynamicPseudoType, unknown)}), false},
	} {
		if got := planFlag(t, server, tc.typeName, tc.typ, tc.config); got != tc.want {
			t.Errorf("%s: flagged = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestNestsDynamic(t *testing.T) {
	for _, tc := range []struct {
		typ  tftypes.Type
		want bool
	}{
		{tftypes.String, false},
		{tftypes.DynamicPseudoType, true},
		{settingsType, true},
		{tftypes.List{ElementType: tftypes.Object{AttributeTypes: map[string]tftypes.Type{"a": tftypes.Number}}}, false},
		{tftypes.Map{ElementType: tftypes.DynamicPseudoType}, true},
		{tftypes.Tuple{ElementTypes: []tftypes.Type{tftypes.String, settingsType}}, true},
		{tftypes.Set{ElementType: tftypes.Bool}, false},
	} {
		if got := nestsDynamic(tc.typ); got != tc.want {
			t.Errorf("nestsDynamic(%s) = %v", tc.typ, got)
		}
	}
}

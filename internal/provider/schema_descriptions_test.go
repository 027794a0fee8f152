package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

type described interface {
	GetDescription() string
	GetMarkdownDescription() string
}

// Every attribute of every resource and data source has a description: they
// are the registry docs.
func TestEveryResourceAndDataSourceAttributeIsDescribed(t *testing.T) {
	ctx := context.Background()
	p := &cozeProvider{}
	for _, newResource := range p.Resources(ctx) {
		r := newResource()
		meta := &resource.MetadataResponse{}
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "coze"}, meta)
		resp := &resource.SchemaResponse{}
		r.Schema(ctx, resource.SchemaRequest{}, resp)
		if resp.Diagnostics.HasError() || resp.Schema.ValidateImplementation(ctx).HasError() {
			t.Errorf("%s: invalid schema", meta.TypeName)
		}
		if strings.TrimSpace(resp.Schema.MarkdownDescription) == "" {
			t.Errorf("%s has no description", meta.TypeName)
		}
		for name, a := range resp.Schema.Attributes {
			checkResourceAttr(t, meta.TypeName+"."+name, a)
		}
	}
	for _, newDataSource := range p.DataSources(ctx) {
		d := newDataSource()
		meta := &datasource.MetadataResponse{}
		d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "coze"}, meta)
		resp := &datasource.SchemaResponse{}
		d.Schema(ctx, datasource.SchemaRequest{}, resp)
		if strings.TrimSpace(resp.Schema.MarkdownDescription) == "" {
			t.Errorf("data source %s has no description", meta.TypeName)
		}
		for name, a := range resp.Schema.Attributes {
			checkDataSourceAttr(t, meta.TypeName+"."+name, a)
		}
	}
}

func requireDescription(t *testing.T, name string, a described) {
	t.Helper()
	if !strings.HasSuffix(name, ".timeouts") && strings.TrimSpace(a.GetMarkdownDescription()+a.GetDescription()) == "" {
		t.Errorf("attribute %s has no description", name)
	}
}

func checkResourceAttr(t *testing.T, name string, a schema.Attribute) {
	t.Helper()
	requireDescription(t, name, a)
	var children map[string]schema.Attribute
	switch v := a.(type) {
	case schema.SingleNestedAttribute:
		children = v.Attributes
	case schema.ListNestedAttribute:
		children = v.NestedObject.Attributes
	}
	for childName, child := range children {
		checkResourceAttr(t, name+"."+childName, child)
	}
}

func checkDataSourceAttr(t *testing.T, name string, a dsschema.Attribute) {
	t.Helper()
	requireDescription(t, name, a)
	var children map[string]dsschema.Attribute
	switch v := a.(type) {
	case dsschema.SingleNestedAttribute:
		children = v.Attributes
	case dsschema.ListNestedAttribute:
		children = v.NestedObject.Attributes
	}
	for childName, child := range children {
		checkDataSourceAttr(t, name+"."+childName, child)
	}
}

package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Workflow ids read from data sources during apply are unknown at plan time:
// two of them are not duplicates; two equal known ones are.
func TestUniqueKnownElementsIgnoresUnknownIDs(t *testing.T) {
	objType := types.ObjectType{AttrTypes: map[string]attr.Type{"id": types.StringType}}
	obj := func(id types.String) attr.Value {
		return types.ObjectValueMust(objType.AttrTypes, map[string]attr.Value{"id": id})
	}
	for _, c := range []struct {
		name      string
		elements  []attr.Value
		wantError bool
	}{
		{"two unknown ids", []attr.Value{obj(types.StringUnknown()), obj(types.StringUnknown())}, false},
		{"unknown and known", []attr.Value{obj(types.StringUnknown()), obj(types.StringValue("1"))}, false},
		{"distinct known", []attr.Value{obj(types.StringValue("1")), obj(types.StringValue("2"))}, false},
		{"duplicate known", []attr.Value{obj(types.StringValue("1")), obj(types.StringUnknown()), obj(types.StringValue("1"))}, true},
	} {
		resp := &validator.ListResponse{}
		uniqueKnownElements{}.ValidateList(ctx, validator.ListRequest{
			Path: path.Root("ids"), ConfigValue: types.ListValueMust(objType, c.elements),
		}, resp)
		if resp.Diagnostics.HasError() != c.wantError {
			t.Errorf("%s: diagnostics %v, want error %v", c.name, resp.Diagnostics, c.wantError)
		}
	}
}

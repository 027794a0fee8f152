package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

// botResourceSchemas are the schemas whose attributes the bot settings code
// names: coze_bot_config's and coze_bot's.
func botResourceSchemas(t *testing.T) map[string]resource.SchemaResponse {
	t.Helper()
	schemas := map[string]resource.SchemaResponse{}
	for name, r := range map[string]resource.Resource{"coze_bot_config": NewBotConfigResource(), "coze_bot": NewBotResource()} {
		var resp resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &resp)
		if resp.Diagnostics.HasError() {
			t.Fatal(resp.Diagnostics)
		}
		schemas[name] = resp
	}
	return schemas
}

// refreshRules and importDefaults are keyed by attribute paths as strings: a
// misspelt key would silently never apply. Each must name an attribute of
// both schemas, an import default a value of the attribute's type, and a
// rule an attribute of the kind it handles.
func TestRefreshRulesAndImportDefaultsNameSchemaAttributes(t *testing.T) {
	for resourceName, s := range botResourceSchemas(t) {
		for key := range refreshRules {
			typ, diags := s.Schema.TypeAtPath(ctx, attributePath(key))
			if diags.HasError() {
				t.Errorf("refreshRules[%q] names no attribute of %s: %v", key, resourceName, diags)
				continue
			}
			switch typ.(type) {
			case types.ListType, basetypes.DynamicType:
			default:
				t.Errorf("refreshRules[%q] is a rule for a list or a dynamic value, but %s's attribute is a %s", key, resourceName, typ)
			}
		}
		for key, def := range importDefaults {
			typ, diags := s.Schema.TypeAtPath(ctx, attributePath(key))
			if diags.HasError() {
				t.Errorf("importDefaults[%q] names no attribute of %s: %v", key, resourceName, diags)
				continue
			}
			if !def.Type(ctx).Equal(typ) {
				t.Errorf("importDefaults[%q] is a %s, but %s's attribute is a %s", key, def.Type(ctx), resourceName, typ)
			}
		}
	}
}

// The paths that diagnostics and plan changes of the bot settings name.
func TestBotSettingsPathsNameSchemaAttributes(t *testing.T) {
	paths := map[string]path.Path{
		"pathConfigHash": pathConfigHash, "pathPromptMode": pathPromptMode, "pathPrompt": pathPrompt,
		"pathParameters": pathParameters, "pathCustomizedPrompt": pathCustomizedPrompt,
	}
	for resourceName, s := range botResourceSchemas(t) {
		for name, p := range paths {
			if _, diags := s.Schema.TypeAtPath(ctx, p); diags.HasError() {
				t.Errorf("%s (%s) is no attribute of %s: %v", name, p, resourceName, diags)
			}
		}
	}
}

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

// How Read merges the API's view of a bot into the prior state:
//   - an attribute that is null in the prior state is not managed and stays
//     null, whatever the API reports (API defaults never become diffs);
//   - an attribute the API did not return keeps its prior value (write-only
//     fields such as icon_file_id, and fields the API omits when empty);
//   - otherwise the API's value wins, so out-of-band changes show as drift;
//   - id lists are compared as multisets (the API reorders them), and model
//     parameters by meaning (true and "true", 3600 and "3600", an object and
//     its JSON string are the same), only on the keys the configuration sets.

type refreshRule func(prior, remote attr.Value) attr.Value

// refreshRules and importDefaults are keyed by attribute path; each key must
// be an attribute of the schema of the right type, which
// TestRefreshRulesAndImportDefaultsNameSchemaAttributes checks by name.
var refreshRules = map[string]refreshRule{
	"knowledge.dataset_ids":        refreshUnordered(func(prior, remote attr.Value) bool { return prior.Equal(remote) }),
	"workflow_id_list.ids":         refreshUnordered(func(prior, remote attr.Value) bool { return prior.Equal(remote) }),
	"plugin_id_list.id_list":       refreshUnordered(samePluginTool),
	"model_info_config.parameters": refreshParameters,
}

func refreshValue(p path.Path, prior, remote attr.Value) attr.Value {
	if prior == nil || prior.IsNull() || prior.IsUnknown() || remote == nil || remote.IsNull() || remote.IsUnknown() {
		return prior
	}
	if rule, ok := refreshRules[p.String()]; ok {
		return rule(prior, remote)
	}
	priorObj, ok := prior.(basetypes.ObjectValue)
	if !ok {
		return remote
	}
	remoteObj, ok := remote.(basetypes.ObjectValue)
	if !ok {
		return prior
	}
	remoteAttrs := remoteObj.Attributes()
	attrs := make(map[string]attr.Value, len(priorObj.Attributes()))
	for name, priorAttr := range priorObj.Attributes() {
		attrs[name] = refreshValue(p.AtName(name), priorAttr, remoteAttrs[name])
	}
	merged, diags := types.ObjectValue(priorObj.AttributeTypes(context.Background()), attrs)
	if diags.HasError() {
		return prior
	}
	return merged
}

// refreshUnordered keeps the prior list when the API returns the same
// elements in another order.
func refreshUnordered(same func(prior, remote attr.Value) bool) refreshRule {
	return func(prior, remote attr.Value) attr.Value {
		priorList, ok1 := prior.(basetypes.ListValue)
		remoteList, ok2 := remote.(basetypes.ListValue)
		if !ok1 || !ok2 {
			return remote
		}
		if sameElements(priorList.Elements(), remoteList.Elements(), same) {
			return prior
		}
		return remote
	}
}

func sameElements(prior, remote []attr.Value, same func(prior, remote attr.Value) bool) bool {
	if len(prior) != len(remote) {
		return false
	}
	used := make([]bool, len(prior))
	for _, r := range remote {
		found := false
		for i, p := range prior {
			if !used[i] && same(p, r) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// samePluginTool matches a configured plugin tool with the API's. The API
// reports api_id "0" for some store plugins: that matches any tool of the
// same plugin.
func samePluginTool(prior, remote attr.Value) bool {
	p, r := botPluginToolOf(prior), botPluginToolOf(remote)
	if p == nil || r == nil {
		return false
	}
	if !p.PluginID().Equal(r.PluginID()) {
		return false
	}
	return p.APIID().Equal(r.APIID()) || r.APIID().Equal(types.StringValue("0"))
}

func refreshParameters(prior, remote attr.Value) attr.Value {
	priorJSON, err1 := attrToJSON(prior)
	remoteJSON, err2 := attrToJSON(remote)
	if err1 != nil || err2 != nil {
		return prior
	}
	merged, same := refreshJSON(priorJSON, remoteJSON)
	if same {
		return prior
	}
	converted, err := goToDynamic(merged)
	if err != nil {
		return prior
	}
	return converted
}

// importDefaults are API defaults that an import leaves out of the state, so
// that a configuration which does not mention them plans no change. The docs
// state no default for reply_mode: "disable" (suggestions off) is left out of
// an imported state all the same, but it is never sent on removal.
var importDefaults = map[string]attr.Value{
	"prompt_info.prompt_mode":       types.StringValue(resetPromptMode),
	"model_info_config.api_mode":    types.StringValue(resetAPIMode),
	"suggest_reply_info.reply_mode": types.StringValue("disable"),
}

// importView trims the API's view of a bot for import: empty strings, empty
// lists, API defaults and objects left with nothing set become null.
func importView(p path.Path, v attr.Value) attr.Value {
	if v == nil || v.IsNull() || v.IsUnknown() {
		return v
	}
	if def, ok := importDefaults[p.String()]; ok && v.Equal(def) {
		return nullOf(v)
	}
	switch val := v.(type) {
	case basetypes.StringValue:
		if val.ValueString() == "" {
			return types.StringNull()
		}
	case basetypes.ListValue:
		if len(val.Elements()) == 0 {
			return types.ListNull(val.ElementType(context.Background()))
		}
	case basetypes.ObjectValue:
		attrs := make(map[string]attr.Value, len(val.Attributes()))
		allNull := true
		for name, a := range val.Attributes() {
			attrs[name] = importView(p.AtName(name), a)
			allNull = allNull && attrs[name].IsNull()
		}
		attrTypes := val.AttributeTypes(context.Background())
		if allNull && len(p.Steps()) > 0 {
			return types.ObjectNull(attrTypes)
		}
		obj, diags := types.ObjectValue(attrTypes, attrs)
		if diags.HasError() {
			return v
		}
		return obj
	}
	return v
}

func nullOf(v attr.Value) attr.Value {
	switch v.(type) {
	case basetypes.StringValue:
		return types.StringNull()
	}
	return v
}

package provider

import (
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

// Whatever the retrieve endpoint returns, flatten, refresh and import give a
// state value without panicking.
func FuzzFlattenRefreshImport(f *testing.F) {
	f.Add([]byte(`{"bot_id":"1","name":"n","prompt_info":{"prompt":"","prompt_mode":"standard"},"onboarding_info":{"Prologue":"hi"},
		"knowledge":{"knowledge_infos":[{"id":"2"},{"id":"1"}]},"plugin_info_list":[{"plugin_id":"3","api_info_list":[{"api_id":"0"}]}],
		"workflow_info_list":[],"model_info":{"model_id":"4","top_p":1,"parameters":{"thinking_type":"enabled","caching":{"type":"enabled"},"n":[1,null,{"a":true}]}},
		"suggest_reply_info":{"reply_mode":"disable","customized_prompt":""}}`))
	f.Add([]byte(`{"model_info":{"parameters":[1,2]}}`))
	f.Add([]byte(`{"model_info":{"parameters":"text"}}`))
	f.Add([]byte(`{"plugin_info_list":[{"plugin_id":"1","api_info_list":null}]}`))
	attrTypes := botConfigSchemaWithTimeoutsTypes()
	f.Fuzz(func(t *testing.T, body []byte) {
		var bot coze.Bot
		if json.Unmarshal(body, &bot) != nil {
			return
		}
		remote, diags := flattenBot(&bot)
		if diags.HasError() {
			return
		}
		remote["id"], remote["bot_id"], remote["timeouts"], remote["config_hash"] = types.StringValue("1"), types.StringValue("1"), nullTimeouts(), types.StringNull()
		obj, diags := types.ObjectValue(attrTypes, remote)
		if diags.HasError() {
			t.Fatalf("flattened model does not fit the schema: %v", diags)
		}
		imported := importView(path.Empty(), obj)
		merged := refreshValue(path.Empty(), imported, obj)
		if !merged.Type(ctx).Equal(obj.Type(ctx)) {
			t.Fatalf("refresh changed the type: %s", merged.Type(ctx))
		}
	})
}

// Model parameters survive JSON -> dynamic value -> JSON unchanged.
func FuzzParametersRoundTrip(f *testing.F) {
	f.Add([]byte(`{"thinking_type":"disabled","caching":{"type":"enabled"},"store":true,"caching_expire_time":259200}`))
	f.Add([]byte(`{"a":0.1,"b":-1e300,"c":[1,"x",false,{"d":{}}],"e":12345678901234567890123}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := decodeJSON(data)
		if err != nil {
			return
		}
		if _, isObject := in.(map[string]any); !isObject || containsNull(in) {
			return
		}
		dyn, err := jsonToDynamic(data)
		if err != nil {
			return
		}
		if dyn.IsNull() {
			if len(in.(map[string]any)) != 0 {
				t.Fatalf("non-empty object became null: %s", data)
			}
			return
		}
		raw, err := dynamicToJSON(dyn)
		if err != nil {
			t.Fatalf("encoding %s: %v", data, err)
		}
		out, err := decodeJSON(raw)
		if err != nil || !jsonEqual(in, out) {
			t.Fatalf("round trip changed the value\n in: %s\nout: %s", data, raw)
		}
	})
}

func containsNull(v any) bool {
	switch val := v.(type) {
	case nil:
		return true
	case map[string]any:
		for _, e := range val {
			if containsNull(e) {
				return true
			}
		}
	case []any:
		for _, e := range val {
			if containsNull(e) {
				return true
			}
		}
	}
	return false
}

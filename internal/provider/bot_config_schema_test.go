package provider

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

// The HCL mirrors the update API one to one: every attribute path of the
// schema (but id and timeouts) is a JSON path of coze.UpdateBotRequest and the
// other way round. A field added to one side only fails here.
func TestSchemaMirrorsUpdateRequest(t *testing.T) {
	schemaPaths := attrTypePaths("", botConfigSchema().Type().(types.ObjectType).AttrTypes)
	requestPaths := jsonPaths("", reflect.TypeOf(coze.UpdateBotRequest{}))
	schemaPaths = without(without(schemaPaths, "id"), "config_hash")
	if !reflect.DeepEqual(schemaPaths, requestPaths) {
		t.Errorf("schema and request differ\nschema only:  %v\nrequest only: %v", minus(schemaPaths, requestPaths), minus(requestPaths, schemaPaths))
	}
	if len(schemaPaths) < 40 {
		t.Errorf("only %d paths found: the walk is broken", len(schemaPaths))
	}
}

// Every model struct has exactly the attributes of its schema object.
func TestModelsMatchSchema(t *testing.T) {
	cases := map[string]struct {
		model any
		path  []string
	}{
		"prompt_info":              {promptInfoModel{}, []string{"prompt_info"}},
		"prefix_prompt_info":       {prefixPromptInfoModel{}, []string{"prompt_info", "prefix_prompt_info"}},
		"onboarding_info":          {onboardingInfoModel{}, []string{"onboarding_info"}},
		"knowledge":                {knowledgeModel{}, []string{"knowledge"}},
		"plugin_id_list":           {pluginIDListModel{}, []string{"plugin_id_list"}},
		"plugin_id_list.id_list":   {pluginIDInfoModel{}, []string{"plugin_id_list", "id_list"}},
		"workflow_id_list":         {workflowIDListModel{}, []string{"workflow_id_list"}},
		"workflow_id_list.ids":     {workflowIDInfoModel{}, []string{"workflow_id_list", "ids"}},
		"model_info_config":        {modelInfoConfigModel{}, []string{"model_info_config"}},
		"suggest_reply_info":       {suggestReplyInfoModel{}, []string{"suggest_reply_info"}},
		"(root, without timeouts)": {botConfigModel{}, nil},
	}
	for name, tc := range cases {
		var want []string
		if tc.path == nil {
			for k := range botConfigSchema().Attributes {
				want = append(want, k)
			}
			want = append(want, "timeouts")
		} else {
			for k := range nestedAttrTypes(tc.path...) {
				want = append(want, k)
			}
		}
		sort.Strings(want)
		var got []string
		rt := reflect.TypeOf(tc.model)
		for i := range rt.NumField() {
			got = append(got, rt.Field(i).Tag.Get("tfsdk"))
		}
		sort.Strings(got)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: model tags %v, schema attributes %v", name, got, want)
		}
	}
}

func attrTypePaths(prefix string, attrTypes map[string]attr.Type) []string {
	var paths []string
	for name, typ := range attrTypes {
		p := strings.TrimPrefix(prefix+"."+name, ".")
		if name == "timeouts" {
			continue
		}
		paths = append(paths, p)
		if list, ok := typ.(types.ListType); ok {
			typ = list.ElemType
		}
		if obj, ok := typ.(types.ObjectType); ok {
			paths = append(paths, attrTypePaths(p, obj.AttrTypes)...)
		}
	}
	sort.Strings(paths)
	return paths
}

func jsonPaths(prefix string, rt reflect.Type) []string {
	for rt.Kind() == reflect.Pointer || rt.Kind() == reflect.Slice {
		rt = rt.Elem()
	}
	var paths []string
	if rt.Kind() != reflect.Struct {
		return nil
	}
	for i := range rt.NumField() {
		f := rt.Field(i)
		name := strings.Split(f.Tag.Get("json"), ",")[0]
		p := strings.TrimPrefix(prefix+"."+name, ".")
		paths = append(paths, p)
		if f.Type.String() != "json.RawMessage" {
			paths = append(paths, jsonPaths(p, f.Type)...)
		}
	}
	sort.Strings(paths)
	return paths
}

func without(list []string, drop string) []string {
	out := list[:0:0]
	for _, s := range list {
		if s != drop {
			out = append(out, s)
		}
	}
	return out
}

func minus(a, b []string) []string {
	set := map[string]bool{}
	for _, s := range b {
		set[s] = true
	}
	var out []string
	for _, s := range a {
		if !set[s] {
			out = append(out, s)
		}
	}
	return out
}

package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// A builder's field left out is the null of the attribute's type, so that
// the object fits the schema; and what a builder sets, the reader reads back.
func TestBotAccessorBuildersFillNullsOfTheSchemaTypes(t *testing.T) {
	objects := map[string]types.Object{
		"prompt_info":                    botPromptInfoValues{}.object(),
		"prompt_info.prefix_prompt_info": botPrefixPromptInfoValues{}.object(),
		"onboarding_info":                botOnboardingInfoValues{}.object(),
		"knowledge":                      botKnowledgeValues{}.object(),
		"plugin_id_list":                 botPluginIDListValues{}.object(),
		"plugin_id_list.id_list":         botPluginToolValues{}.object(),
		"workflow_id_list":               botWorkflowIDListValues{}.object(),
		"workflow_id_list.ids":           botWorkflowValues{}.object(),
		"model_info_config":              botModelInfoConfigValues{}.object(),
		"suggest_reply_info":             botSuggestReplyInfoValues{}.object(),
	}
	for objectPath, obj := range objects {
		if !obj.Type(ctx).Equal(types.ObjectType{AttrTypes: nestedObjectTypes()[objectPath]}) {
			t.Errorf("%s: built as %s", objectPath, obj.Type(ctx))
		}
		for name, v := range obj.Attributes() {
			if !v.IsNull() {
				t.Errorf("%s.%s left out, built as %s", objectPath, name, v)
			}
		}
	}
	settings := botSettingsValues{}.attributes()
	for name, v := range settings {
		if !v.IsNull() || !v.Type(ctx).Equal(nestedObjectTypes()[""][name]) {
			t.Errorf("setting %s left out, built as %s of type %s", name, v, v.Type(ctx))
		}
	}

	tools := botPluginToolList([]botPluginToolValues{{PluginID: types.StringValue("1"), APIID: types.StringValue("2")}})
	list := botPluginIDListOf(botPluginIDListValues{IDList: tools}.object()).IDList()
	if len(list.Elements()) != 1 {
		t.Fatalf("plugin tools built as %s", list)
	}
	tool := botPluginToolOf(list.Elements()[0])
	if tool.PluginID().ValueString() != "1" || tool.APIID().ValueString() != "2" {
		t.Errorf("plugin tool read back as %v", tool)
	}
}

// A reader of a null, unknown or absent object reads every attribute as null.
func TestBotAccessorReadersOfNoObjectReadNull(t *testing.T) {
	for name, v := range map[string]attr.Value{
		"null": nullBotModelInfoConfig(), "unknown": types.ObjectUnknown(nestedObjectTypes()["model_info_config"]), "absent": nil,
	} {
		m := botModelInfoConfigOf(v)
		if !m.ModelID().IsNull() || !m.Parameters().IsNull() || !m.TopP().IsNull() {
			t.Errorf("%s model_info_config read as %v", name, m)
		}
	}
}

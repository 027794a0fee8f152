package provider

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

// The generator of bot_config_accessors.go: typed accessors for every object
// of coze_bot_config's and coze_bot's schema, so that the hand mapping on the
// hot path names attributes by Go methods, which fail to compile when
// misspelt, instead of by strings, which read as null.
//
// TestBotAccessorsAreGenerated fails when the committed file differs from
// what the schema gives; go generate ./internal/provider/ (or
// go test ./internal/provider/ -run TestBotAccessorsAreGenerated -update-accessors)
// writes it again.

var updateAccessors = flag.Bool("update-accessors", false, "write bot_config_accessors.go from the schema")

const accessorsFile = "bot_config_accessors.go"

// botAccessorTypes names the Go type of each object of the schema, by its
// path from the root (a list of objects by the list's path). A new nested
// object needs a name here: the generator fails until it has one.
var botAccessorTypes = map[string]string{
	"":                               "bot",
	"prompt_info":                    "botPromptInfo",
	"prompt_info.prefix_prompt_info": "botPrefixPromptInfo",
	"onboarding_info":                "botOnboardingInfo",
	"knowledge":                      "botKnowledge",
	"plugin_id_list":                 "botPluginIDList",
	"plugin_id_list.id_list":         "botPluginTool",
	"workflow_id_list":               "botWorkflowIDList",
	"workflow_id_list.ids":           "botWorkflow",
	"model_info_config":              "botModelInfoConfig",
	"suggest_reply_info":             "botSuggestReplyInfo",
}

// resourceOwnAttributes are the root attributes that are not bot settings:
// flattenBot does not build them (a refresh keeps their state), so
// botSettingsValues has no field for them.
var resourceOwnAttributes = []string{"id", "bot_id", "config_hash", "space_id", "timeouts"}

func TestBotAccessorsAreGenerated(t *testing.T) {
	want, err := generateBotAccessors()
	if err != nil {
		t.Fatal(err)
	}
	if *updateAccessors {
		if err := os.WriteFile(accessorsFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(accessorsFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		missing, extra := lineDiff(string(want), string(got))
		t.Errorf("%s is stale: the schema changed. Run go generate ./internal/provider/ and commit the result.\n"+
			"Missing from the committed file:\n%s\nIn the committed file, not from the schema:\n%s",
			accessorsFile, strings.Join(missing, "\n"), strings.Join(extra, "\n"))
	}
}

// lineDiff returns the lines of a that b lacks and the other way round.
func lineDiff(a, b string) (onlyA, onlyB []string) {
	count := map[string]int{}
	for _, l := range strings.Split(b, "\n") {
		count[l]++
	}
	for _, l := range strings.Split(a, "\n") {
		if count[l] > 0 {
			count[l]--
			continue
		}
		onlyA = append(onlyA, "\t"+l)
	}
	for l, n := range count {
		for range n {
			onlyB = append(onlyB, "\t"+l)
		}
	}
	sort.Strings(onlyB)
	return onlyA, onlyB
}

// accessorObject is one object of the schema: its path, its Go type name,
// whether it is the element of a list, and its attributes by name.
type accessorObject struct {
	path      string
	name      string
	listItem  bool
	attrTypes map[string]attr.Type
}

// botSchemaObjects walks the schemas of coze_bot_config and coze_bot (with
// their timeouts) into their objects. The root has the attributes of both;
// an attribute of both must have the same type in each.
func botSchemaObjects() ([]*accessorObject, error) {
	var roots []map[string]attr.Type
	for _, r := range []resource.Resource{NewBotConfigResource(), NewBotResource()} {
		resp := &resource.SchemaResponse{}
		r.Schema(ctx, resource.SchemaRequest{}, resp)
		roots = append(roots, attributeTypes(resp.Schema.Type()))
	}
	byPath := map[string]*accessorObject{}
	var order []string
	var walk func(p string, attrTypes map[string]attr.Type, listItem bool) error
	walk = func(p string, attrTypes map[string]attr.Type, listItem bool) error {
		obj, seen := byPath[p]
		if !seen {
			name, ok := botAccessorTypes[p]
			if !ok {
				return fmt.Errorf("the object at %q has no Go type name: add one to botAccessorTypes", p)
			}
			obj = &accessorObject{path: p, name: name, listItem: listItem, attrTypes: map[string]attr.Type{}}
			byPath[p] = obj
			order = append(order, p)
		}
		for _, attrName := range sortedKeys(attrTypes) {
			typ := attrTypes[attrName]
			if prev, ok := obj.attrTypes[attrName]; ok && !prev.Equal(typ) {
				return fmt.Errorf("%s has type %s in one schema and %s in the other", joinPath(p, attrName), prev, typ)
			}
			obj.attrTypes[attrName] = typ
			if _, isTimeouts := typ.(timeouts.Type); isTimeouts {
				continue
			}
			switch nested := typ.(type) {
			case basetypes.ObjectType:
				if err := walk(joinPath(p, attrName), nested.AttrTypes, false); err != nil {
					return err
				}
			case basetypes.ListType:
				if elem, ok := nested.ElemType.(basetypes.ObjectType); ok {
					if err := walk(joinPath(p, attrName), elem.AttrTypes, true); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	for _, root := range roots {
		if err := walk("", root, false); err != nil {
			return nil, err
		}
	}
	objects := make([]*accessorObject, 0, len(order))
	for _, p := range order {
		objects = append(objects, byPath[p])
	}
	for p := range botAccessorTypes {
		if _, ok := byPath[p]; !ok {
			return nil, fmt.Errorf("botAccessorTypes names %q, which is no object of the schema", p)
		}
	}
	return objects, nil
}

func joinPath(p, name string) string { return strings.TrimPrefix(p+"."+name, ".") }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// goValueType is the framework value type of an attribute type.
func goValueType(t attr.Type) (string, error) {
	switch t.(type) {
	case timeouts.Type:
		return "timeouts.Value", nil
	case basetypes.StringType:
		return "types.String", nil
	case basetypes.BoolType:
		return "types.Bool", nil
	case basetypes.Int64Type:
		return "types.Int64", nil
	case basetypes.Float64Type:
		return "types.Float64", nil
	case basetypes.DynamicType:
		return "types.Dynamic", nil
	case basetypes.ListType:
		return "types.List", nil
	case basetypes.ObjectType:
		return "types.Object", nil
	}
	return "", fmt.Errorf("no accessor for attribute type %s", t)
}

// goName is an attribute's name as a Go method name: bot_id is BotID,
// api_mode APIMode, dataset_ids DatasetIDs.
func goName(attrName string) string {
	initialisms := map[string]string{"id": "ID", "ids": "IDs", "api": "API", "url": "URL"}
	var b strings.Builder
	for _, word := range strings.Split(attrName, "_") {
		if up, ok := initialisms[word]; ok {
			b.WriteString(up)
		} else if word != "" {
			b.WriteString(strings.ToUpper(word[:1]) + word[1:])
		}
	}
	return b.String()
}

func generateBotAccessors() ([]byte, error) {
	objects, err := botSchemaObjects()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("// Code generated by TestBotAccessorsAreGenerated (bot_config_accessors_gen_test.go) from the schema; DO NOT EDIT.\n\n")
	w("package provider\n\n")
	w("//go:generate go test -run ^TestBotAccessorsAreGenerated$ -count=1 . -args -update-accessors\n\n")
	w("import (\n\t\"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts\"\n")
	w("\t\"github.com/hashicorp/terraform-plugin-framework/attr\"\n\t\"github.com/hashicorp/terraform-plugin-framework/types\"\n")
	w("\t\"github.com/hashicorp/terraform-plugin-go/tftypes\"\n)\n\n")
	w(`// Typed access to every object of the schema of coze_bot_config and coze_bot,
// for the hand mapping of the hot path (DESIGN.md, "Hand-written mapping on
// the hot path"). Each object has:
//   - <object>Attrs, which reads the object's attributes in a plan, a state or
//     the API's view, one method per attribute (a null or unknown object reads
//     as all null); botAttrs, the root's, also sets them;
//   - <object>Values, which builds the object: a field left out is null;
//   - <object>Raw, which reads the object in a raw configuration, for the
//     cross-field validation.
// The root's attributes are those of both resources; botSettingsValues builds
// the root's bot settings, which a refresh reads from the API.

`)
	for _, obj := range objects {
		names := sortedKeys(obj.attrTypes)
		where := "the root of a coze_bot or coze_bot_config"
		if obj.path != "" {
			where = "a " + obj.path + " object"
			if obj.listItem {
				where = "an element of " + obj.path
			}
		}

		// Reader.
		w("// %sAttrs reads %s: a plan, a state or the API's view.\n", obj.name, where)
		w("type %sAttrs map[string]attr.Value\n\n", obj.name)
		w("func %sOf(v attr.Value) %sAttrs { return attrsOf(v) }\n\n", obj.name, obj.name)
		for _, n := range names {
			goType, err := goValueType(obj.attrTypes[n])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", joinPath(obj.path, n), err)
			}
			w("func (a %sAttrs) %s() %s { return get[%s](a, %q) }\n\n", obj.name, goName(n), goType, goType, n)
		}
		if obj.path == "" {
			// The root's attribute map is also written in place: a refresh
			// completes the API's view with the state's own attributes.
			for _, n := range names {
				goType, _ := goValueType(obj.attrTypes[n])
				w("func (a %sAttrs) set%s(v %s) { a[%q] = v }\n\n", obj.name, goName(n), goType, n)
			}
		}

		// Builder.
		values, fields := obj.name+"Values", names
		if obj.path == "" {
			values = "botSettingsValues"
			fields = slices.DeleteFunc(slices.Clone(names), func(n string) bool { return slices.Contains(resourceOwnAttributes, n) })
			w("// %s builds the bot settings of %s (all but %s); a field left out is null.\n",
				values, where, strings.Join(resourceOwnAttributes, ", "))
		} else {
			w("// %s builds %s; a field left out is null.\n", values, where)
		}
		w("type %s struct {\n", values)
		for _, n := range fields {
			goType, _ := goValueType(obj.attrTypes[n])
			w("\t%s %s\n", goName(n), goType)
		}
		w("}\n\n")
		if obj.path == "" {
			w("func (v %s) attributes() botAttrs {\n\treturn withTypedNulls(%q, botAttrs{\n", values, obj.path)
		} else {
			w("func (v %s) object() types.Object {\n\treturn newObject(%q, map[string]attr.Value{\n", values, obj.path)
		}
		for _, n := range fields {
			w("\t\t%q: v.%s,\n", n, goName(n))
		}
		w("\t})\n}\n\n")
		if obj.path != "" {
			w("func null%s() types.Object { return nullObject(%q) }\n\n", upperFirst(obj.name), obj.path)
		}
		if obj.listItem {
			w("func %sList(items []%s) types.List {\n", obj.name, values)
			w("\telems := make([]attr.Value, len(items))\n\tfor i, item := range items {\n\t\telems[i] = item.object()\n\t}\n")
			w("\treturn newObjectList(%q, elems)\n}\n\n", obj.path)
		}

		// Raw reader.
		w("// %sRaw reads %s in a raw configuration.\n", obj.name, where)
		w("type %sRaw struct{ v rawValue }\n\n", obj.name)
		if obj.path == "" {
			w("func %sRawOf(v tftypes.Value) %sRaw { return %sRaw{rawValue{v}} }\n\n", obj.name, obj.name, obj.name)
		}
		for _, n := range names {
			if nested, ok := objectAt(objects, joinPath(obj.path, n)); ok && !nested.listItem {
				w("func (r %sRaw) %s() %sRaw { return %sRaw{r.v.at(%q)} }\n\n", obj.name, goName(n), nested.name, nested.name, n)
				continue
			}
			w("func (r %sRaw) %s() rawValue { return r.v.at(%q) }\n\n", obj.name, goName(n), n)
		}
	}
	return format.Source(b.Bytes())
}

func objectAt(objects []*accessorObject, p string) (*accessorObject, bool) {
	for _, o := range objects {
		if o.path == p {
			return o, true
		}
	}
	return nil, false
}

func upperFirst(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

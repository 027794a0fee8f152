package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// modelParametersValidator checks the documented keys of the open
// model_info_config.parameters map and lets any other key through. Each
// documented key is accepted in both typings (see dynamic_json.go): the
// docs' (a bool, a number, an object) and the spec's and SDKs' (a string
// holding the same), and its decoded value is checked.
type modelParametersValidator struct{}

func (modelParametersValidator) Description(context.Context) string {
	return fmt.Sprintf("must be an object; thinking_type one of %s; caching an object (or a string holding one in JSON) "+
		"whose type is one of %s; store true or false (or \"true\" or \"false\"); caching_expire_time a whole number "+
		"of seconds from 0 to %d (or a string holding one)", quoted(thinkingTypes), quoted(cachingTypes), maxCachingExpireSeconds)
}

func (v modelParametersValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (modelParametersValidator) ValidateDynamic(_ context.Context, req validator.DynamicRequest, resp *validator.DynamicResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || req.ConfigValue.IsUnderlyingValueUnknown() || req.ConfigValue.IsUnderlyingValueNull() {
		return
	}
	fail := func(key string, got fmt.Stringer, format string, args ...any) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid model parameter",
			fmt.Sprintf("Attribute %s.%s %s, got: %s", req.Path, key, fmt.Sprintf(format, args...), got))
	}
	params, ok := objectAttributes(req.ConfigValue.UnderlyingValue())
	if !ok {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid model parameters",
			fmt.Sprintf("Attribute %s must be an object, such as { thinking_type = \"disabled\" }, got: %s", req.Path, req.ConfigValue.UnderlyingValue().Type(context.Background())))
		return
	}
	// decoded is a parameter's value as JSON; false while any part of it is unknown.
	decoded := func(name string) (attr.Value, any, bool) {
		v, ok := knownAttr(params, name)
		if !ok {
			return nil, nil, false
		}
		value, err := attrToJSON(v)
		return v, value, err == nil
	}
	if v, value, ok := decoded("thinking_type"); ok {
		if s, isString := value.(string); !isString || !slices.Contains(thinkingTypes, s) {
			fail("thinking_type", v, "must be one of %s", quoted(thinkingTypes))
		}
	}
	if v, value, ok := decoded("caching"); ok {
		caching, isObject := parameterObject(value)
		if !isObject {
			fail("caching", v, `must be an object such as { type = "enabled" }, or a string holding one in JSON such as "{\"type\":\"enabled\"}"`)
		} else if t, set := caching["type"]; set && t != nil {
			if s, isString := t.(string); !isString || !slices.Contains(cachingTypes, s) {
				fail("caching.type", jsonText{t}, "must be one of %s", quoted(cachingTypes))
			}
		}
	}
	if v, value, ok := decoded("store"); ok {
		if _, isBool := parameterBool(value); !isBool {
			fail("store", v, `must be true or false, or the string "true" or "false"`)
		}
	}
	if v, value, ok := decoded("caching_expire_time"); ok {
		n, isNumber := parameterNumber(value)
		if s, isString := value.(string); isString {
			_, err := strconv.ParseInt(s, 10, 64) // a string holds digits, as an integer parser reads them
			isNumber = isNumber && err == nil
		}
		if !isNumber || !n.IsInt() || n.Sign() < 0 || n.Cmp(big.NewFloat(maxCachingExpireSeconds)) > 0 {
			fail("caching_expire_time", v, `must be a whole number of seconds from 0 to %d (the documented maximum), or a string holding one such as "3600"`,
				maxCachingExpireSeconds)
		}
	}
}

// jsonText prints a decoded JSON value as JSON, as the framework prints a
// value in its diagnostics ("on", 12).
type jsonText struct{ value any }

func (j jsonText) String() string {
	raw, err := json.Marshal(j.value)
	if err != nil {
		return fmt.Sprint(j.value)
	}
	return string(raw)
}

// objectAttributes returns the attributes of an object or map value.
func objectAttributes(v attr.Value) (map[string]attr.Value, bool) {
	switch val := v.(type) {
	case basetypes.DynamicValue:
		if val.IsNull() || val.IsUnknown() {
			return nil, false
		}
		return objectAttributes(val.UnderlyingValue())
	case basetypes.ObjectValue:
		return val.Attributes(), true
	case basetypes.MapValue:
		return val.Elements(), true
	}
	return nil, false
}

// knownAttr returns attrs[name] when it is set and known.
func knownAttr(attrs map[string]attr.Value, name string) (attr.Value, bool) {
	v, ok := attrs[name]
	if !ok || v == nil || v.IsNull() || v.IsUnknown() {
		return nil, false
	}
	if d, isDynamic := v.(basetypes.DynamicValue); isDynamic {
		if d.IsUnderlyingValueNull() || d.IsUnderlyingValueUnknown() {
			return nil, false
		}
		return d.UnderlyingValue(), true
	}
	return v, true
}

func quoted(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

var (
	pathPromptMode       = path.Root("prompt_info").AtName("prompt_mode")
	pathPrompt           = path.Root("prompt_info").AtName("prompt")
	pathParameters       = path.Root("model_info_config").AtName("parameters")
	pathCustomizedPrompt = path.Root("suggest_reply_info").AtName("customized_prompt")
)

// validateBotSettings checks the API's cross-field rules on the bot
// settings that coze_bot and coze_bot_config share. A rule fires only when
// every value it involves is set and known in the configuration: an
// attribute left out is not managed (the prompt may be edited in the Coze
// UI), so it is neither "standard" nor "", and an unknown one is checked by
// the API at apply.
//
// It reads the few values it needs straight from the raw configuration,
// through the generated botRaw accessors: Config.GetAttribute converts the
// schema on every call, which made these rules a third of our validation
// cost for a handful of lookups.
func validateBotSettings(cfg tfsdk.Config, resp *resource.ValidateConfigResponse) {
	root := botRawOf(cfg.Raw)
	suggest := root.SuggestReplyInfo()
	if suggest.ReplyMode().str() == "customized" {
		if customized := suggest.CustomizedPrompt(); customized.present() && customized.str() == "" {
			resp.Diagnostics.AddAttributeError(pathCustomizedPrompt, "Empty customized_prompt",
				"Attribute suggest_reply_info.customized_prompt must be a non-empty prompt when suggest_reply_info.reply_mode is \"customized\", got: \"\". "+
					"Set the prompt, or leave customized_prompt out to keep the one set in the Coze UI.")
		}
	}

	promptMode := root.PromptInfo().PromptMode()
	if promptMode.str() == "prefix" && root.PromptInfo().Prompt().present() {
		resp.Diagnostics.AddAttributeError(pathPrompt, "prompt not allowed in prefix mode",
			"Attribute prompt_info.prompt cannot be set when prompt_info.prompt_mode is \"prefix\": put the prompt in "+
				"prompt_info.prefix_prompt_info.prefix_prompt (cached part) and dynamic_prompt (per-request part).")
	}

	model := root.ModelInfoConfig()
	params := model.Parameters() // an open map: its keys are not attributes
	cachingType := cachingTypeOf(params)
	if (model.CacheType().str() == "prefix" || cachingType == "enabled") && promptMode.present() && promptMode.str() != "prefix" {
		cause := "model_info_config.cache_type is \"prefix\""
		if cachingType == "enabled" {
			cause = "model_info_config.parameters.caching.type is \"enabled\""
		}
		resp.Diagnostics.AddAttributeError(pathPromptMode, "Prefix caching needs prompt_mode = \"prefix\"",
			fmt.Sprintf("Attribute prompt_info.prompt_mode must be \"prefix\" when %s, with the prompt in prompt_info.prefix_prompt_info, got: %s.",
				cause, strconv.Quote(promptMode.str())))
	}

	if params.at("thinking_type").str() == "enabled" {
		for _, list := range []struct {
			name  string
			value rawValue
		}{
			{"plugin_id_list.id_list", root.PluginIDList().IDList()}, {"workflow_id_list.ids", root.WorkflowIDList().IDs()},
		} {
			if n := list.value.length(); n > 0 {
				resp.Diagnostics.AddAttributeError(pathParameters, "Deep thinking cannot use tools",
					fmt.Sprintf("Attribute model_info_config.parameters.thinking_type cannot be \"enabled\" while %s binds %d item(s): "+
						"with deep thinking on, the bot cannot use plugins or workflows. Remove them or set thinking_type to \"disabled\" or \"auto\".", list.name, n))
			}
		}
	}
}

// cachingTypeOf reads parameters.caching.type, with caching written as an
// object or as a string holding one in JSON; "" when it is not known.
func cachingTypeOf(params rawValue) string {
	caching := params.at("caching")
	if s := caching.str(); s != "" {
		obj, _ := parameterObject(s)
		t, _ := obj["type"].(string)
		return t
	}
	return caching.at("type").str()
}

// rawValue navigates a terraform-plugin-go value by attribute or map key.
// Under a null parent a value is null, under an unknown one it is unknown,
// as the framework reports them.
type rawValue struct{ tftypes.Value }

// present reports a known, non-null value.
func (v rawValue) present() bool { return v.Type() != nil && v.IsKnown() && !v.IsNull() }

func (v rawValue) at(names ...string) rawValue {
	for _, name := range names {
		if !v.present() {
			return v
		}
		var step tftypes.AttributePathStep = tftypes.AttributeName(name)
		if v.Type().Is(tftypes.Map{}) {
			step = tftypes.ElementKeyString(name)
		}
		next, err := v.ApplyTerraform5AttributePathStep(step)
		child, ok := next.(tftypes.Value)
		if err != nil || !ok {
			return rawValue{tftypes.NewValue(tftypes.DynamicPseudoType, nil)} // absent: null
		}
		v = rawValue{child}
	}
	return v
}

// str is the value's string, or "" when it is null, unknown or not a string.
func (v rawValue) str() string {
	var s string
	if !v.present() || !v.Type().Is(tftypes.String) || v.As(&s) != nil {
		return ""
	}
	return s
}

// length is the number of elements of a known list, set or tuple, else 0.
func (v rawValue) length() int {
	var elems []tftypes.Value
	if !v.present() || v.As(&elems) != nil {
		return 0
	}
	return len(elems)
}

// uniqueKnownElements is listvalidator.UniqueValues for lists of objects
// that may be partly unknown at plan time (ids from a data source read during
// apply): two elements are compared only when both are fully known, where
// UniqueValues would report {id = (known after apply)} twice as a duplicate.
type uniqueKnownElements struct{}

func (uniqueKnownElements) Description(context.Context) string { return "elements must be unique" }

func (v uniqueKnownElements) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (uniqueKnownElements) ValidateList(ctx context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	var known []attr.Value
	for _, element := range req.ConfigValue.Elements() {
		if tv, err := element.ToTerraformValue(ctx); err != nil || !tv.IsFullyKnown() {
			continue
		}
		for _, seen := range known {
			if seen.Equal(element) {
				resp.Diagnostics.AddAttributeError(req.Path, "Duplicate List Value",
					fmt.Sprintf("This attribute contains duplicate values of: %s", element))
			}
		}
		known = append(known, element)
	}
}

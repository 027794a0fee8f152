package provider

import (
	"context"
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
// model_info_config.parameters map and lets any other key through.
type modelParametersValidator struct{}

func (modelParametersValidator) Description(context.Context) string {
	return fmt.Sprintf("must be an object; thinking_type one of %s, caching.type one of %s, store a bool, "+
		"caching_expire_time an integer from 1 to %d", quoted(thinkingTypes), quoted(cachingTypes), maxCachingExpireSeconds)
}

func (v modelParametersValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (modelParametersValidator) ValidateDynamic(_ context.Context, req validator.DynamicRequest, resp *validator.DynamicResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || req.ConfigValue.IsUnderlyingValueUnknown() || req.ConfigValue.IsUnderlyingValueNull() {
		return
	}
	fail := func(key, format string, args ...any) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid model parameter",
			fmt.Sprintf("Attribute %s.%s %s", req.Path, key, fmt.Sprintf(format, args...)))
	}
	params, ok := objectAttributes(req.ConfigValue.UnderlyingValue())
	if !ok {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid model parameters",
			fmt.Sprintf("Attribute %s must be an object, such as { thinking_type = \"disabled\" }, got: %s", req.Path, req.ConfigValue.UnderlyingValue().Type(context.Background())))
		return
	}
	if v, ok := knownAttr(params, "thinking_type"); ok {
		if s, isString := v.(basetypes.StringValue); !isString || !slices.Contains(thinkingTypes, s.ValueString()) {
			fail("thinking_type", "must be one of %s, got: %s", quoted(thinkingTypes), v)
		}
	}
	if v, ok := knownAttr(params, "caching"); ok {
		caching, isObject := objectAttributes(v)
		if !isObject {
			fail("caching", "must be an object such as { type = \"enabled\" }, got: %s", v)
		} else if t, ok := knownAttr(caching, "type"); ok {
			if s, isString := t.(basetypes.StringValue); !isString || !slices.Contains(cachingTypes, s.ValueString()) {
				fail("caching.type", "must be one of %s, got: %s", quoted(cachingTypes), t)
			}
		}
	}
	if v, ok := knownAttr(params, "store"); ok {
		if _, isBool := v.(basetypes.BoolValue); !isBool {
			fail("store", "must be a bool, got: %s", v)
		}
	}
	if v, ok := knownAttr(params, "caching_expire_time"); ok {
		n, isNumber := v.(basetypes.NumberValue)
		if !isNumber || !n.ValueBigFloat().IsInt() || n.ValueBigFloat().Cmp(big.NewFloat(1)) < 0 ||
			n.ValueBigFloat().Cmp(big.NewFloat(maxCachingExpireSeconds)) > 0 {
			fail("caching_expire_time", "must be a whole number of seconds from 1 to %d, got: %s", maxCachingExpireSeconds, v)
		}
	}
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

// ValidateConfig enforces the API's cross-field rules at plan time.
func (r *botConfigResource) ValidateConfig(_ context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	validateBotSettings(req.Config, resp)
}

// validateBotSettings checks the API's cross-field rules on the bot
// settings that coze_bot and coze_bot_config share. A rule whose inputs are
// not known yet is skipped; the API checks it again.
//
// It reads the few values it needs straight from the raw configuration:
// Config.GetAttribute converts the schema on every call, which made these
// rules a third of our validation cost for a handful of lookups.
func validateBotSettings(cfg tfsdk.Config, resp *resource.ValidateConfigResponse) {
	root := rawValue{cfg.Raw}
	replyMode := root.at("suggest_reply_info", "reply_mode")
	if replyMode.str() == "customized" {
		if customized := root.at("suggest_reply_info", "customized_prompt"); customized.IsKnown() && customized.str() == "" {
			resp.Diagnostics.AddAttributeError(pathCustomizedPrompt, "Missing customized_prompt",
				"Attribute suggest_reply_info.customized_prompt must be set to a non-empty prompt when suggest_reply_info.reply_mode is \"customized\".")
		}
	}

	promptMode := root.at("prompt_info", "prompt_mode")
	if promptMode.str() == "prefix" && !root.at("prompt_info", "prompt").IsNull() {
		resp.Diagnostics.AddAttributeError(pathPrompt, "prompt not allowed in prefix mode",
			"Attribute prompt_info.prompt cannot be set when prompt_info.prompt_mode is \"prefix\": put the prompt in "+
				"prompt_info.prefix_prompt_info.prefix_prompt (cached part) and dynamic_prompt (per-request part).")
	}

	params := root.at("model_info_config", "parameters")
	cachingType := params.at("caching", "type").str()
	if (root.at("model_info_config", "cache_type").str() == "prefix" || cachingType == "enabled") && promptMode.IsKnown() && promptMode.str() != "prefix" {
		cause := "model_info_config.cache_type is \"prefix\""
		if cachingType == "enabled" {
			cause = "model_info_config.parameters.caching.type is \"enabled\""
		}
		got := "<null>" // as the framework prints a null string
		if !promptMode.IsNull() {
			got = strconv.Quote(promptMode.str())
		}
		resp.Diagnostics.AddAttributeError(pathPromptMode, "Prefix caching needs prompt_mode = \"prefix\"",
			fmt.Sprintf("Attribute prompt_info.prompt_mode must be \"prefix\" when %s, with the prompt in prompt_info.prefix_prompt_info, got: %s.", cause, got))
	}

	if params.at("thinking_type").str() == "enabled" {
		for _, list := range []struct{ name, path string }{
			{"plugin_id_list", "id_list"}, {"workflow_id_list", "ids"},
		} {
			if n := root.at(list.name, list.path).length(); n > 0 {
				resp.Diagnostics.AddAttributeError(pathParameters, "Deep thinking cannot use tools",
					fmt.Sprintf("Attribute model_info_config.parameters.thinking_type cannot be \"enabled\" while %s.%s binds %d item(s): "+
						"with deep thinking on, the bot cannot use plugins or workflows. Remove them or set thinking_type to \"disabled\" or \"auto\".", list.name, list.path, n))
			}
		}
	}
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

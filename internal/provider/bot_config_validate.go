package provider

import (
	"context"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
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
	pathCacheType        = path.Root("model_info_config").AtName("cache_type")
	pathParameters       = path.Root("model_info_config").AtName("parameters")
	pathPluginIDList     = path.Root("plugin_id_list").AtName("id_list")
	pathWorkflowIDs      = path.Root("workflow_id_list").AtName("ids")
	pathReplyMode        = path.Root("suggest_reply_info").AtName("reply_mode")
	pathCustomizedPrompt = path.Root("suggest_reply_info").AtName("customized_prompt")
)

// ValidateConfig enforces the API's cross-field rules at plan time.
func (r *botConfigResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	validateBotSettings(ctx, req.Config, resp)
}

// validateBotSettings checks the API's cross-field rules on the bot
// settings that coze_bot and coze_bot_config share. A rule whose inputs are
// not known yet is skipped; the API checks it again.
func validateBotSettings(ctx context.Context, cfg tfsdk.Config, resp *resource.ValidateConfigResponse) {
	replyMode := configString(ctx, cfg, pathReplyMode)
	if replyMode.ValueString() == "customized" {
		customized := configString(ctx, cfg, pathCustomizedPrompt)
		if !customized.IsUnknown() && customized.ValueString() == "" {
			resp.Diagnostics.AddAttributeError(pathCustomizedPrompt, "Missing customized_prompt",
				"Attribute suggest_reply_info.customized_prompt must be set to a non-empty prompt when suggest_reply_info.reply_mode is \"customized\".")
		}
	}

	promptMode := configString(ctx, cfg, pathPromptMode)
	if promptMode.ValueString() == "prefix" {
		if prompt := configString(ctx, cfg, pathPrompt); !prompt.IsNull() {
			resp.Diagnostics.AddAttributeError(pathPrompt, "prompt not allowed in prefix mode",
				"Attribute prompt_info.prompt cannot be set when prompt_info.prompt_mode is \"prefix\": put the prompt in "+
					"prompt_info.prefix_prompt_info.prefix_prompt (cached part) and dynamic_prompt (per-request part).")
		}
	}

	var params types.Dynamic
	resp.Diagnostics.Append(cfg.GetAttribute(ctx, pathParameters, &params)...)
	paramAttrs, _ := objectAttributes(params)
	cachingType := ""
	if caching, ok := knownAttr(paramAttrs, "caching"); ok {
		if cachingAttrs, ok := objectAttributes(caching); ok {
			if t, ok := knownAttr(cachingAttrs, "type"); ok {
				if s, ok := t.(basetypes.StringValue); ok {
					cachingType = s.ValueString()
				}
			}
		}
	}
	cacheType := configString(ctx, cfg, pathCacheType)
	if (cacheType.ValueString() == "prefix" || cachingType == "enabled") && !promptMode.IsUnknown() && promptMode.ValueString() != "prefix" {
		cause := "model_info_config.cache_type is \"prefix\""
		if cachingType == "enabled" {
			cause = "model_info_config.parameters.caching.type is \"enabled\""
		}
		resp.Diagnostics.AddAttributeError(pathPromptMode, "Prefix caching needs prompt_mode = \"prefix\"",
			fmt.Sprintf("Attribute prompt_info.prompt_mode must be \"prefix\" when %s, with the prompt in prompt_info.prefix_prompt_info, got: %s.", cause, promptMode))
	}

	if thinking, ok := knownAttr(paramAttrs, "thinking_type"); ok && thinking.Equal(types.StringValue("enabled")) {
		for _, p := range []path.Path{pathPluginIDList, pathWorkflowIDs} {
			var list types.List
			resp.Diagnostics.Append(cfg.GetAttribute(ctx, p, &list)...)
			if !list.IsNull() && !list.IsUnknown() && len(list.Elements()) > 0 {
				resp.Diagnostics.AddAttributeError(pathParameters, "Deep thinking cannot use tools",
					fmt.Sprintf("Attribute model_info_config.parameters.thinking_type cannot be \"enabled\" while %s binds %d item(s): "+
						"with deep thinking on, the bot cannot use plugins or workflows. Remove them or set thinking_type to \"disabled\" or \"auto\".", p, len(list.Elements())))
			}
		}
	}
}

func configString(ctx context.Context, cfg tfsdk.Config, p path.Path) types.String {
	var v types.String
	if diags := cfg.GetAttribute(ctx, p, &v); diags.HasError() {
		return types.StringUnknown()
	}
	return v
}

package mockcoze

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// kind is the JSON type a schema node expects.
type kind int

const (
	kString kind = iota
	kID          // a string of decimal digits
	kBool
	kInt    // a JSON number that is an integer
	kNumber // any JSON number
	kObject // an object with known fields
	kArray
	kOpenMap // an object whose keys are not checked (model_info_config.parameters)
)

// node describes one value of a request body. check runs after the type check and before
// the children are walked (so an array's size is reported before its items).
type node struct {
	kind     kind
	required bool
	fields   []field // kObject, in the order they are checked
	elem     *node   // kArray
	check    func(path string, v any) error
}

type field struct {
	name string
	node *node
}

func str(check func(string, any) error) *node     { return &node{kind: kString, check: check} }
func id() *node                                   { return &node{kind: kID} }
func boolean() *node                              { return &node{kind: kBool} }
func integer(check func(string, any) error) *node { return &node{kind: kInt, check: check} }
func number(check func(string, any) error) *node  { return &node{kind: kNumber, check: check} }
func object(fields ...field) *node                { return &node{kind: kObject, fields: fields} }
func array(elem *node, check func(string, any) error) *node {
	return &node{kind: kArray, elem: elem, check: check}
}
func required(n *node) *node       { n.required = true; return n }
func f(name string, n *node) field { return field{name: name, node: n} }

// updateSchema is the body of POST /v1/bot/update.
var updateSchema = object(
	f("bot_id", required(id())),
	f("name", str(runeLen(1, 20))),
	f("description", str(runeLen(0, 500))),
	f("icon_file_id", id()),
	f("prompt_info", object(
		f("prompt", str(runeLen(0, 20000))),
		f("prompt_mode", str(oneOf("standard", "prefix"))),
		f("prefix_prompt_info", object(
			f("prefix_prompt", str(nil)),
			f("dynamic_prompt", str(nil)),
		)),
	)),
	f("onboarding_info", object(
		f("prologue", str(runeLen(0, 300))),
		f("suggested_questions", array(str(runeLen(0, 50)), nil)),
	)),
	f("knowledge", object(
		f("dataset_ids", array(id(), maxItems(150))),
		f("auto_call", boolean()),
		f("search_strategy", integer(intOneOf(0, 1, 20))),
	)),
	f("plugin_id_list", object(
		f("id_list", array(object(
			f("plugin_id", required(id())),
			f("api_id", required(id())),
		), nil)),
	)),
	f("workflow_id_list", object(
		f("ids", array(object(
			f("id", required(id())),
		), nil)),
	)),
	f("model_info_config", object(
		f("model_id", required(str(nonEmpty))),
		f("top_k", integer(nil)),
		f("top_p", number(numRange(0, 1))),
		f("max_tokens", integer(nil)),
		f("temperature", number(nil)),
		f("sp_anti_leak", boolean()),
		f("context_round", integer(nil)),
		f("response_format", str(oneOf("text", "markdown", "json"))),
		f("sp_current_time", boolean()),
		f("presence_penalty", number(nil)),
		f("frequency_penalty", number(nil)),
		f("cache_type", str(oneOf("closed", "prefix"))),
		f("api_mode", str(oneOf("chat_api", "responses_api"))),
		f("parameters", &node{kind: kOpenMap, check: checkParameters}),
	)),
	f("suggest_reply_info", object(
		f("reply_mode", str(oneOf("enable", "disable", "customized"))),
		f("customized_prompt", str(nil)),
	)),
)

// createSchema is the body of POST /v1/bot/create: space_id and a required name, then the
// fields of update with the same shapes and checks, except knowledge (and bot_id).
var createSchema = func() *node {
	fields := []field{
		f("space_id", required(id())),
		f("name", required(str(runeLen(1, 20)))),
	}
	for _, fl := range updateSchema.fields {
		switch fl.name {
		case "bot_id", "name", "knowledge":
			continue
		}
		fields = append(fields, fl)
	}
	return object(fields...)
}()

// publishSchema is the body of POST /v1/bot/publish (never strict: create, update and
// unpublish are).
var publishSchema = object(
	f("bot_id", required(id())),
	f("connector_ids", required(array(id(), minItems(1)))),
	f("connectors", &node{kind: kOpenMap, check: checkConnectors}),
)

// unpublishSchema is the body of POST /v1/bots/{bot_id}/unpublish.
var unpublishSchema = object(
	f("connector_id", required(id())),
	f("unpublish_reason", str(runeLen(0, 1024))),
)

// validateUpdate checks an update body and returns a cleaned deep copy: JSON nulls are
// treated as absent (like the Go server behind the real API), and in non-strict mode
// unknown fields are dropped.
func validateUpdate(in map[string]any, strict bool) (map[string]any, error) {
	out, err := walk("", updateSchema, in, strict)
	if err != nil {
		return nil, err
	}
	clean, isMap := out.(map[string]any)
	if !isMap {
		return nil, typeError("body", "an object", out)
	}
	return clean, nil
}

// validateCreate checks a create body like validateUpdate checks an update body. In strict
// mode knowledge is rejected with a message saying create does not take it; otherwise it
// is dropped like any unknown field.
func validateCreate(in map[string]any, strict bool) (map[string]any, error) {
	if _, has := in["knowledge"]; has && strict {
		return nil, errors.New("unknown field knowledge: create does not accept knowledge; " +
			"bind knowledge bases with POST /v1/bot/update after creating the bot")
	}
	out, err := walk("", createSchema, in, strict)
	if err != nil {
		return nil, err
	}
	clean, isMap := out.(map[string]any)
	if !isMap {
		return nil, typeError("body", "an object", out)
	}
	return clean, nil
}

// publishRequest is a validated publish body.
type publishRequest struct {
	botID        string
	connectorIDs []string                     // deduplicated, in request order
	connectors   map[string]map[string]string // channel id -> key -> JSON-encoded value
}

// validatePublish checks a publish body: connector_ids are channel ids; a custom channel
// (anything but 1024 and 999) needs 1024 in the same call; connectors maps channel ids of
// connector_ids to objects whose values are strings.
func validatePublish(in map[string]any) (publishRequest, error) {
	out, err := walk("", publishSchema, in, false)
	if err != nil {
		return publishRequest{}, err
	}
	clean, isMap := out.(map[string]any)
	if !isMap {
		return publishRequest{}, typeError("body", "an object", out)
	}
	req := publishRequest{botID: strAt(clean, "bot_id"), connectors: map[string]map[string]string{}}
	listed := map[string]bool{}
	for _, v := range sliceAt(clean, "connector_ids") {
		id, _ := v.(string)
		if !listed[id] {
			listed[id] = true
			req.connectorIDs = append(req.connectorIDs, id)
		}
	}
	for _, id := range req.connectorIDs {
		if id != connectorAPI && id != connectorChatSDK && !listed[connectorAPI] {
			return publishRequest{}, fmt.Errorf("connector_ids must also contain %q (API) to publish to the custom channel %s",
				connectorAPI, id)
		}
	}
	cm := mapAt(clean, "connectors")
	channels := make([]string, 0, len(cm))
	for ch := range cm {
		channels = append(channels, ch)
	}
	sort.Strings(channels)
	for _, ch := range channels {
		if !listed[ch] {
			return publishRequest{}, fmt.Errorf("connectors.%s: channel %s is not in connector_ids", ch, ch)
		}
		kv := mapAt(cm, ch)
		cfg := make(map[string]string, len(kv))
		for k, v := range kv {
			cfg[k], _ = v.(string) // checkConnectors made sure they are strings
		}
		req.connectors[ch] = cfg
	}
	return req, nil
}

// checkConnectors checks the connectors parameter of publish: an object of channel id
// (decimal digits) to an object of string to STRING (a value that is not a string must be
// JSON-encoded by the caller).
func checkConnectors(path string, v any) error {
	m, isMap := v.(map[string]any)
	if !isMap {
		return typeError(path, "an object", v)
	}
	channels := make([]string, 0, len(m))
	for ch := range m {
		channels = append(channels, ch)
	}
	sort.Strings(channels)
	for _, ch := range channels {
		p := path + "." + ch
		if !isDigits(ch) {
			return fmt.Errorf("%s: the keys of %s must be channel ids (decimal digits), got %q", p, path, ch)
		}
		kv, isObj := m[ch].(map[string]any)
		if !isObj {
			return typeError(p, "an object of string values", m[ch])
		}
		keys := make([]string, 0, len(kv))
		for k := range kv {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if _, isStr := kv[k].(string); !isStr {
				return fmt.Errorf("%s.%s must be a string (JSON-encode the value, e.g. \"[\\\"1\\\"]\"), got %s",
					p, k, jsonType(kv[k]))
			}
		}
	}
	return nil
}

// validateUnpublish checks an unpublish body and returns the connector id and the reason.
func validateUnpublish(in map[string]any, strict bool) (connectorID, reason string, err error) {
	out, err := walk("", unpublishSchema, in, strict)
	if err != nil {
		return "", "", err
	}
	clean, isMap := out.(map[string]any)
	if !isMap {
		return "", "", typeError("body", "an object", out)
	}
	return strAt(clean, "connector_id"), strAt(clean, "unpublish_reason"), nil
}

func walk(path string, n *node, v any, strict bool) (any, error) {
	display := path
	if display == "" {
		display = "body"
	}
	var out any
	switch n.kind {
	case kString:
		s, isStr := v.(string)
		if !isStr {
			return nil, typeError(display, "a string", v)
		}
		out = s
	case kID:
		s, isStr := v.(string)
		if !isStr {
			return nil, typeError(display, "a string of decimal digits", v)
		}
		if s == "" && n.required {
			return nil, fmt.Errorf("%s is required", display)
		}
		if !isDigits(s) {
			return nil, fmt.Errorf("%s must be a string of decimal digits, got %q", display, s)
		}
		out = s
	case kBool:
		b, isBool := v.(bool)
		if !isBool {
			return nil, typeError(display, "a boolean", v)
		}
		out = b
	case kInt:
		num, isNum := v.(json.Number)
		if !isNum {
			return nil, typeError(display, "an integer", v)
		}
		if _, err := strconv.ParseInt(string(num), 10, 64); err != nil {
			return nil, fmt.Errorf("%s must be an integer, got %s", display, num)
		}
		out = num
	case kNumber:
		num, isNum := v.(json.Number)
		if !isNum {
			return nil, typeError(display, "a number", v)
		}
		if _, err := strconv.ParseFloat(string(num), 64); err != nil {
			return nil, fmt.Errorf("%s must be a number, got %s", display, num)
		}
		out = num
	case kOpenMap:
		m, isMap := v.(map[string]any)
		if !isMap {
			return nil, typeError(display, "an object", v)
		}
		out = deepCopyMap(m)
	case kArray:
		a, isArr := v.([]any)
		if !isArr {
			return nil, typeError(display, "an array", v)
		}
		out = a
	case kObject:
		m, isMap := v.(map[string]any)
		if !isMap {
			return nil, typeError(display, "an object", v)
		}
		out = m
	}
	if n.check != nil {
		if err := n.check(display, out); err != nil {
			return nil, err
		}
	}

	switch n.kind {
	case kArray:
		a, isArr := out.([]any)
		if !isArr {
			return nil, typeError(display, "an array", out)
		}
		items := make([]any, len(a))
		for i, e := range a {
			p := fmt.Sprintf("%s[%d]", display, i)
			if e == nil {
				return nil, typeError(p, kindName(n.elem.kind), nil)
			}
			c, err := walk(p, n.elem, e, strict)
			if err != nil {
				return nil, err
			}
			items[i] = c
		}
		return items, nil
	case kObject:
		m, isMap := out.(map[string]any)
		if !isMap {
			return nil, typeError(display, "an object", out)
		}
		known := make(map[string]bool, len(n.fields))
		for _, fl := range n.fields {
			known[fl.name] = true
		}
		if strict {
			var unknown []string
			for k := range m {
				if !known[k] {
					unknown = append(unknown, k)
				}
			}
			if len(unknown) > 0 {
				sort.Strings(unknown)
				return nil, fmt.Errorf("unknown field %s", joinPath(path, unknown[0]))
			}
		}
		clean := map[string]any{}
		for _, fl := range n.fields {
			fv, present := m[fl.name]
			if !present || fv == nil {
				if fl.node.required {
					return nil, fmt.Errorf("%s is required", joinPath(path, fl.name))
				}
				continue
			}
			c, err := walk(joinPath(path, fl.name), fl.node, fv, strict)
			if err != nil {
				return nil, err
			}
			clean[fl.name] = c
		}
		return clean, nil
	}
	return out, nil
}

func kindName(k kind) string {
	switch k {
	case kString:
		return "a string"
	case kID:
		return "a string of decimal digits"
	case kBool:
		return "a boolean"
	case kInt:
		return "an integer"
	case kNumber:
		return "a number"
	case kArray:
		return "an array"
	default:
		return "an object"
	}
}

func typeError(path, want string, got any) error {
	return fmt.Errorf("%s must be %s, got %s", path, want, jsonType(got))
}

// ---- checks ----

// runeLen counts Unicode characters, not bytes: a 20-character Chinese name is valid.
func runeLen(lo, hi int) func(string, any) error {
	return func(path string, v any) error {
		s, isStr := v.(string)
		if !isStr {
			return typeError(path, "a string", v)
		}
		n := utf8.RuneCountInString(s)
		if n >= lo && n <= hi {
			return nil
		}
		if lo == 0 {
			return fmt.Errorf("%s must be at most %d characters, got %d", path, hi, n)
		}
		return fmt.Errorf("%s must be %d-%d characters, got %d", path, lo, hi, n)
	}
}

func nonEmpty(path string, v any) error {
	s, isStr := v.(string)
	if !isStr {
		return typeError(path, "a string", v)
	}
	if s == "" {
		return fmt.Errorf("%s is required", path)
	}
	return nil
}

func oneOf(allowed ...string) func(string, any) error {
	return func(path string, v any) error {
		s, isStr := v.(string)
		if !isStr {
			return typeError(path, "a string", v)
		}
		for _, a := range allowed {
			if s == a {
				return nil
			}
		}
		return fmt.Errorf("%s must be one of %s, got %q", path, strings.Join(allowed, ", "), s)
	}
}

func intOneOf(allowed ...int64) func(string, any) error {
	return func(path string, v any) error {
		num, isNum := v.(json.Number)
		if !isNum {
			return typeError(path, "an integer", v)
		}
		n, err := strconv.ParseInt(string(num), 10, 64)
		if err != nil {
			return fmt.Errorf("%s must be an integer, got %s", path, num)
		}
		names := make([]string, len(allowed))
		for i, a := range allowed {
			if n == a {
				return nil
			}
			names[i] = strconv.FormatInt(a, 10)
		}
		return fmt.Errorf("%s must be one of %s, got %s", path, strings.Join(names, ", "), num)
	}
}

func numRange(lo, hi float64) func(string, any) error {
	return func(path string, v any) error {
		num, isNum := v.(json.Number)
		if !isNum {
			return typeError(path, "a number", v)
		}
		x, err := strconv.ParseFloat(string(num), 64)
		if err != nil {
			return fmt.Errorf("%s must be a number, got %s", path, num)
		}
		if x < lo || x > hi {
			return fmt.Errorf("%s must be between %g and %g, got %s", path, lo, hi, num)
		}
		return nil
	}
}

func maxItems(limit int) func(string, any) error {
	return func(path string, v any) error {
		a, isArr := v.([]any)
		if !isArr {
			return typeError(path, "an array", v)
		}
		if n := len(a); n > limit {
			return fmt.Errorf("%s must have at most %d items, got %d", path, limit, n)
		}
		return nil
	}
}

func minItems(limit int) func(string, any) error {
	return func(path string, v any) error {
		a, isArr := v.([]any)
		if !isArr {
			return typeError(path, "an array", v)
		}
		if n := len(a); n < limit {
			return fmt.Errorf("%s must have at least %d item(s), got %d", path, limit, n)
		}
		return nil
	}
}

// checkParameters checks the documented keys of model_info_config.parameters; other keys
// (and nulls) are accepted as they are: the map is open. Each documented key is accepted in
// the docs' typing (a bool, an integer, an object) and in the string form that Coze's OpenAPI
// spec and SDKs give every value ("true", "3600", "{\"type\":\"enabled\"}").
func checkParameters(path string, v any) error {
	m, isMap := v.(map[string]any)
	if !isMap {
		return typeError(path, "an object", v)
	}
	if tt, present := m["thinking_type"]; present && tt != nil {
		s, isStr := tt.(string)
		if !isStr {
			return typeError(path+".thinking_type", "a string", tt)
		}
		if err := oneOf("enabled", "disabled", "auto")(path+".thinking_type", s); err != nil {
			return err
		}
	}
	if c, present := m["caching"]; present && c != nil {
		cm, isMap := objectParameter(c)
		if !isMap {
			return typeError(path+".caching", "an object or a string holding a JSON object", c)
		}
		if t, present := cm["type"]; present && t != nil {
			s, isStr := t.(string)
			if !isStr {
				return typeError(path+".caching.type", "a string", t)
			}
			if err := oneOf("enabled", "disabled")(path+".caching.type", s); err != nil {
				return err
			}
		}
	}
	if e, present := m["caching_expire_time"]; present && e != nil {
		p := path + ".caching_expire_time"
		var literal string
		switch val := e.(type) {
		case json.Number:
			literal = string(val)
		case string:
			literal = val
		default:
			return typeError(p, "an integer or a string holding one", e)
		}
		n, err := strconv.ParseInt(literal, 10, 64)
		if err != nil {
			return fmt.Errorf("%s must be an integer, got %q", p, literal)
		}
		if n < 0 || n > 259200 {
			return fmt.Errorf("%s must be between 0 and 259200 seconds, got %d", p, n)
		}
	}
	if st, present := m["store"]; present && st != nil {
		if _, isBool := st.(bool); !isBool && st != "true" && st != "false" {
			return typeError(path+".store", `a boolean or "true" or "false"`, st)
		}
	}
	return nil
}

// objectParameter reads a parameter that is an object, or a string holding one in JSON.
func objectParameter(v any) (map[string]any, bool) {
	if s, isStr := v.(string); isStr {
		m, err := decodeObject([]byte(s))
		return m, err == nil
	}
	m, isMap := v.(map[string]any)
	return m, isMap
}

// crossCheck applies the rules that involve several fields, on the draft as it would be
// after the update.
func crossCheck(d map[string]any) error {
	sr := mapAt(d, "suggest_reply_info")
	if strAt(sr, "reply_mode") == "customized" && strAt(sr, "customized_prompt") == "" {
		return errors.New("suggest_reply_info.customized_prompt is required when suggest_reply_info.reply_mode is customized")
	}
	pi := mapAt(d, "prompt_info")
	mode := strAt(pi, "prompt_mode")
	if mode == "prefix" && strAt(pi, "prompt") != "" {
		return errors.New("prompt_info.prompt must be empty when prompt_info.prompt_mode is prefix (use prompt_info.prefix_prompt_info)")
	}
	mic := mapAt(d, "model_info_config")
	params := mapAt(mic, "parameters")
	if strAt(mic, "cache_type") == "prefix" && mode != "prefix" {
		return errors.New("prompt_info.prompt_mode must be prefix when model_info_config.cache_type is prefix")
	}
	caching, _ := objectParameter(params["caching"])
	if strAt(caching, "type") == "enabled" && mode != "prefix" {
		return errors.New("prompt_info.prompt_mode must be prefix when model_info_config.parameters.caching.type is enabled")
	}
	if strAt(params, "thinking_type") == "enabled" {
		if len(sliceAt(mapAt(d, "plugin_id_list"), "id_list")) > 0 || len(sliceAt(mapAt(d, "workflow_id_list"), "ids")) > 0 {
			return errors.New("model_info_config.parameters.thinking_type enabled cannot be used while plugins (plugin_id_list) or workflows (workflow_id_list) are bound")
		}
	}
	return nil
}

// ---- tolerant accessors (the draft may have been edited out of band) ----

func mapAt(m map[string]any, key string) map[string]any {
	v, _ := m[key].(map[string]any)
	return v
}

func strAt(m map[string]any, key string) string {
	v, _ := m[key].(string)
	return v
}

func sliceAt(m map[string]any, key string) []any {
	v, _ := m[key].([]any)
	return v
}

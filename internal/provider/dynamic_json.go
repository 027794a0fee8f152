package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

// Conversions between dynamic Terraform values (model parameters written in
// HCL object syntax) and JSON, keeping numbers exact (json.Number).

var errUnknownValue = errors.New("value is not known yet")

// dynamicToJSON encodes a known dynamic value as JSON.
func dynamicToJSON(v types.Dynamic) (json.RawMessage, error) {
	decoded, err := attrToJSON(v)
	if err != nil {
		return nil, err
	}
	return json.Marshal(decoded)
}

// attrToJSON turns any known attr.Value into the Go value encoding/json
// would decode it as (with UseNumber). Null object attributes are left out.
func attrToJSON(v attr.Value) (any, error) {
	if v == nil || v.IsNull() {
		return nil, nil
	}
	if v.IsUnknown() {
		return nil, errUnknownValue
	}
	switch val := v.(type) {
	case basetypes.DynamicValue:
		if val.IsUnderlyingValueNull() {
			return nil, nil
		}
		return attrToJSON(val.UnderlyingValue())
	case basetypes.ObjectValue:
		return attrMapToJSON(val.Attributes())
	case basetypes.MapValue:
		return attrMapToJSON(val.Elements())
	case basetypes.TupleValue:
		return attrSliceToJSON(val.Elements())
	case basetypes.ListValue:
		return attrSliceToJSON(val.Elements())
	case basetypes.SetValue:
		return attrSliceToJSON(val.Elements())
	case basetypes.StringValue:
		return val.ValueString(), nil
	case basetypes.BoolValue:
		return val.ValueBool(), nil
	case basetypes.NumberValue:
		if !numberWithinBounds(val.ValueBigFloat()) {
			return nil, errNumberOutOfBounds
		}
		return bigFloatToJSONNumber(val.ValueBigFloat()), nil
	case basetypes.Int64Value:
		return json.Number(fmt.Sprint(val.ValueInt64())), nil
	case basetypes.Float64Value:
		return bigFloatToJSONNumber(big.NewFloat(val.ValueFloat64())), nil
	}
	return nil, fmt.Errorf("unsupported value type %s", v.Type(context.Background()))
}

func attrMapToJSON(attrs map[string]attr.Value) (any, error) {
	out := make(map[string]any, len(attrs))
	for key, value := range attrs {
		if value == nil || value.IsNull() {
			continue
		}
		decoded, err := attrToJSON(value)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", key, err)
		}
		out[key] = decoded
	}
	return out, nil
}

func attrSliceToJSON(elems []attr.Value) (any, error) {
	out := make([]any, 0, len(elems))
	for i, elem := range elems {
		decoded, err := attrToJSON(elem)
		if err != nil {
			return nil, fmt.Errorf("[%d]: %w", i, err)
		}
		out = append(out, decoded)
	}
	return out, nil
}

// maxBinaryExponent bounds the numbers converted to and from JSON: 2^1400
// is about 10^421, just above coze.MaxNumberExponent, the bound of the
// numbers the client reads. Writing a number as an exact integer costs with
// its magnitude: 1e60000000 would take minutes.
const maxBinaryExponent = 1400

var errNumberOutOfBounds = fmt.Errorf("a number's magnitude is beyond 1e%d or below 1e-%d, or it has more than %d digits: "+
	"no model parameter needs such a number", coze.MaxNumberExponent, coze.MaxNumberExponent, coze.MaxNumberDigits)

// numberWithinBounds reports whether f can be written as JSON cheaply.
func numberWithinBounds(f *big.Float) bool {
	if f.IsInf() {
		return false
	}
	exp := f.MantExp(nil)
	return exp <= maxBinaryExponent && exp >= -maxBinaryExponent
}

// bigFloatToJSONNumber writes f as a JSON number, exactly. The caller
// checks numberWithinBounds.
func bigFloatToJSONNumber(f *big.Float) json.Number {
	if f.IsInt() {
		i, _ := f.Int(nil)
		return json.Number(i.String())
	}
	return json.Number(f.Text('g', -1))
}

// decodeJSON decodes with exact numbers. Empty input is JSON null.
func decodeJSON(raw []byte) (any, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// jsonToDynamic turns a JSON object from the API into a dynamic value:
// objects become objects, arrays tuples, numbers numbers. null, absent and
// {} become a null dynamic value (nothing set).
func jsonToDynamic(raw json.RawMessage) (types.Dynamic, error) {
	decoded, err := decodeJSON(raw)
	if err != nil {
		return types.DynamicNull(), fmt.Errorf("decoding JSON: %w", err)
	}
	if obj, ok := decoded.(map[string]any); decoded == nil || (ok && len(obj) == 0) {
		return types.DynamicNull(), nil
	}
	return goToDynamic(decoded)
}

func goToDynamic(decoded any) (types.Dynamic, error) {
	v, err := goToAttr(decoded)
	if err != nil {
		return types.DynamicNull(), err
	}
	return types.DynamicValue(v), nil
}

func goToAttr(decoded any) (attr.Value, error) {
	switch val := decoded.(type) {
	case nil:
		return types.DynamicNull(), nil
	case string:
		return types.StringValue(val), nil
	case bool:
		return types.BoolValue(val), nil
	case json.Number:
		if !coze.NumberWithinBounds(string(val)) {
			return nil, fmt.Errorf("number %.40q: %w", val, errNumberOutOfBounds)
		}
		f, _, err := big.ParseFloat(string(val), 10, 512, big.ToNearestEven)
		if err != nil {
			return nil, fmt.Errorf("number %q: %w", val, err)
		}
		return types.NumberValue(f), nil
	case map[string]any:
		attrTypes := make(map[string]attr.Type, len(val))
		attrs := make(map[string]attr.Value, len(val))
		for key, elem := range val {
			if elem == nil {
				continue
			}
			converted, err := goToAttr(elem)
			if err != nil {
				return nil, err
			}
			attrs[key] = converted
			attrTypes[key] = converted.Type(context.Background())
		}
		obj, diags := types.ObjectValue(attrTypes, attrs)
		if diags.HasError() {
			return nil, fmt.Errorf("building object: %v", diags)
		}
		return obj, nil
	case []any:
		elemTypes := make([]attr.Type, 0, len(val))
		elems := make([]attr.Value, 0, len(val))
		for _, elem := range val {
			converted, err := goToAttr(elem)
			if err != nil {
				return nil, err
			}
			elems = append(elems, converted)
			elemTypes = append(elemTypes, converted.Type(context.Background()))
		}
		tuple, diags := types.TupleValue(elemTypes, elems)
		if diags.HasError() {
			return nil, fmt.Errorf("building tuple: %v", diags)
		}
		return tuple, nil
	}
	return nil, fmt.Errorf("unsupported JSON value %T", decoded)
}

// jsonEqual compares decoded JSON values, numbers by value (1 == 1.0).
func jsonEqual(a, b any) bool {
	switch av := a.(type) {
	case map[string]any:
		bv, ok := b.(map[string]any)
		if !ok || len(av) != len(bv) {
			return false
		}
		for key, elem := range av {
			other, ok := bv[key]
			if !ok || !jsonEqual(elem, other) {
				return false
			}
		}
		return true
	case []any:
		bv, ok := b.([]any)
		if !ok || len(av) != len(bv) {
			return false
		}
		for i := range av {
			if !jsonEqual(av[i], bv[i]) {
				return false
			}
		}
		return true
	case json.Number:
		bv, ok := b.(json.Number)
		if !ok {
			return false
		}
		x, _, errX := big.ParseFloat(string(av), 10, 512, big.ToNearestEven)
		y, _, errY := big.ParseFloat(string(bv), 10, 512, big.ToNearestEven)
		return errX == nil && errY == nil && x.Cmp(y) == 0
	default:
		return a == b
	}
}

// Model parameters have two typings. Coze's update and retrieve docs give
// each documented key its own type (store a bool, caching_expire_time an
// integer, caching an object); Coze's OpenAPI spec and both official SDKs
// (coze-go, coze-py) type parameters as a map of strings, so the API may
// answer "true", "3600" and "{\"type\":\"enabled\"}" for what was sent as
// true, 3600 and an object. The helpers below read a decoded JSON value in
// either typing, and refreshJSON compares by meaning.

// parameterBool reads true/false or "true"/"false".
func parameterBool(v any) (value, ok bool) {
	switch val := v.(type) {
	case bool:
		return val, true
	case string:
		switch val {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

// parameterNumber reads a JSON number or a string holding one, exactly.
func parameterNumber(v any) (*big.Float, bool) {
	var literal string
	switch val := v.(type) {
	case json.Number:
		literal = string(val)
	case string:
		literal = val
	default:
		return nil, false
	}
	if literal == "" || !json.Valid([]byte(literal)) || !coze.NumberWithinBounds(literal) {
		// Only JSON number syntax (no "0x10", "Inf" or " 1"), within the
		// bounds of the client's answers: "1e60000000" reads as text.
		return nil, false
	}
	f, _, err := big.ParseFloat(literal, 10, 512, big.ToNearestEven)
	if err != nil {
		return nil, false
	}
	return f, true
}

// parameterContainer reads an object or array, or a string holding one in
// JSON.
func parameterContainer(v any) (any, bool) {
	switch val := v.(type) {
	case map[string]any, []any:
		return val, true
	case string:
		decoded, err := decodeJSON([]byte(val))
		if err != nil {
			return nil, false
		}
		switch decoded.(type) {
		case map[string]any, []any:
			return decoded, true
		}
	}
	return nil, false
}

// parameterObject reads an object, or a string holding a JSON object.
func parameterObject(v any) (map[string]any, bool) {
	c, ok := parameterContainer(v)
	obj, isObject := c.(map[string]any)
	return obj, ok && isObject
}

// refreshJSON merges the API's value of a configured parameter into the
// state's. When remote means what prior means it returns prior, in the form
// the user wrote, and same; otherwise remote (drift), in prior's typing
// where remote can take it, so that the plan shows only the change of
// meaning. Only the keys of prior's objects are compared: keys the API adds
// are not managed, and a key it no longer returns keeps its prior value.
func refreshJSON(prior, remote any) (merged any, same bool) {
	if remote == nil {
		return prior, true
	}
	switch p := prior.(type) {
	case map[string]any:
		r, ok := parameterObject(remote)
		if !ok {
			return remote, false
		}
		out := make(map[string]any, len(p))
		same = true
		for key, value := range p {
			var s bool
			out[key], s = refreshJSON(value, r[key])
			same = same && s
		}
		if same {
			return prior, true
		}
		return out, false
	case []any:
		c, _ := parameterContainer(remote)
		r, ok := c.([]any)
		if !ok || len(r) != len(p) {
			if ok {
				return r, false
			}
			return remote, false
		}
		out := make([]any, len(p))
		same = true
		for i := range p {
			var s bool
			out[i], s = refreshJSON(p[i], r[i])
			same = same && s
		}
		if same {
			return prior, true
		}
		return out, false
	case bool:
		if b, ok := parameterBool(remote); ok {
			return b, b == p
		}
	case json.Number:
		x, okX := parameterNumber(p)
		if y, okY := parameterNumber(remote); okX && okY {
			if x.Cmp(y) == 0 {
				return prior, true
			}
			return bigFloatToJSONNumber(y), false
		}
	case string:
		return refreshString(p, remote)
	}
	return remote, jsonEqual(prior, remote)
}

// refreshString is refreshJSON for a value the user wrote as a string: it
// may stand for a bool, a number or a JSON object or array.
func refreshString(prior string, remote any) (any, bool) {
	if r, isString := remote.(string); isString && r == prior {
		return prior, true
	}
	if pc, ok := parameterContainer(prior); ok {
		if rc, ok := parameterContainer(remote); ok {
			merged, same := refreshJSON(pc, rc)
			if same {
				return prior, true
			}
			raw, err := json.Marshal(merged)
			if err != nil {
				return remote, false
			}
			return string(raw), false
		}
	}
	switch r := remote.(type) {
	case bool:
		if b, ok := parameterBool(prior); ok && b == r {
			return prior, true
		}
		return strconv.FormatBool(r), false
	case json.Number:
		x, okX := parameterNumber(prior)
		if y, okY := parameterNumber(r); okX && okY && x.Cmp(y) == 0 {
			return prior, true
		}
		return string(r), false
	case map[string]any, []any:
		raw, err := json.Marshal(r)
		if err != nil {
			return remote, false
		}
		return string(raw), false
	}
	return remote, false
}

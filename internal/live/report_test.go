package live

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// volatile are fields whose value differs by run, account or site by nature
// (signed URLs, times, ids, model names): the report compares only whether
// both answers have them, and their JSON types.
var volatile = map[string]bool{
	"icon_url": true, "image_url": true, "origin_image_url": true, "create_time": true, "update_time": true,
	"version": true, "owner_user_id": true, "folder_id": true, "model_name": true, "bot_id": true,
}

// answerData decodes the data object of an API answer, numbers exact.
func answerData(raw []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var envelope struct {
		Code json.Number    `json:"code"`
		Data map[string]any `json:"data"`
	}
	if err := dec.Decode(&envelope); err != nil {
		return nil, fmt.Errorf("not a Coze API answer: %w", err)
	}
	if envelope.Code != "0" || envelope.Data == nil {
		return nil, fmt.Errorf("answer with code %s and no data: %s", envelope.Code, raw)
	}
	return envelope.Data, nil
}

// differences lists, field by field and sorted by path, where the real
// answer differs from the mock's: a field only one of them has, a value of
// another JSON type (true and "true"), or another value.
func differences(remote, mock any) []string {
	var out []string
	diffValues("", remote, mock, &out)
	sort.Strings(out)
	return out
}

func diffValues(path string, remote, mock any, out *[]string) {
	realObj, realIsObj := remote.(map[string]any)
	mockObj, mockIsObj := mock.(map[string]any)
	if realIsObj && mockIsObj {
		keys := map[string]bool{}
		for k := range realObj {
			keys[k] = true
		}
		for k := range mockObj {
			keys[k] = true
		}
		for k := range keys {
			p := joinPath(path, k)
			r, inReal := realObj[k]
			m, inMock := mockObj[k]
			switch {
			case !inReal:
				*out = append(*out, fmt.Sprintf("%s: real absent, mock %s", p, describe(m)))
			case !inMock:
				*out = append(*out, fmt.Sprintf("%s: real %s, mock absent", p, describe(r)))
			case volatile[k]:
				if jsonType(r) != jsonType(m) {
					*out = append(*out, fmt.Sprintf("%s: real %s, mock %s", p, describe(r), describe(m)))
				}
			default:
				diffValues(p, r, m, out)
			}
		}
		return
	}
	realList, realIsList := remote.([]any)
	mockList, mockIsList := mock.([]any)
	if realIsList && mockIsList {
		if len(realList) != len(mockList) {
			*out = append(*out, fmt.Sprintf("%s: real has %d elements, mock %d", path, len(realList), len(mockList)))
		}
		for i := range min(len(realList), len(mockList)) {
			diffValues(fmt.Sprintf("%s[%d]", path, i), realList[i], mockList[i], out)
		}
		return
	}
	if jsonType(remote) != jsonType(mock) || !sameScalar(remote, mock) {
		*out = append(*out, fmt.Sprintf("%s: real %s, mock %s", path, describe(remote), describe(mock)))
	}
}

func sameScalar(a, b any) bool {
	an, aNum := a.(json.Number)
	bn, bNum := b.(json.Number)
	if aNum && bNum {
		af, errA := an.Float64()
		bf, errB := bn.Float64()
		return errA == nil && errB == nil && af == bf || an == bn
	}
	return fmt.Sprint(a) == fmt.Sprint(b)
}

func describe(v any) string {
	raw, err := json.Marshal(v)
	if err != nil {
		raw = []byte(fmt.Sprint(v))
	}
	text := string(raw)
	if len(text) > 120 {
		text = text[:117] + "..."
	}
	return fmt.Sprintf("%s (%s)", text, jsonType(v))
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// report is the text a maintainer corrects the mock from.
func report(diffs []string) string {
	if len(diffs) == 0 {
		return "The real retrieve answer and the mock's agree on every field (volatile fields: type only)."
	}
	return fmt.Sprintf("The real retrieve answer differs from the mock's in %d places (volatile fields %s: type only):\n  %s",
		len(diffs), volatileList(), strings.Join(diffs, "\n  "))
}

func volatileList() string {
	names := make([]string, 0, len(volatile))
	for k := range volatile {
		names = append(names, k)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

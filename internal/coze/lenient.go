package coze

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// Coze's docs, OpenAPI spec and SDKs disagree on how some values travel:
// 64-bit integers come as JSON numbers or, with the Agw-Js-Conv: str header
// and in some of the docs' own examples ("all_file_size": "0"), as decimal
// strings; ids are documented as strings but one SDK sends and some examples
// show bare numbers. The two types below decode either reading. They encode
// as the docs say: FlexInt64 as a number, FlexString as a string.

// FlexInt64 is an integer that may arrive as a JSON number or a decimal
// string. null and "" decode as 0.
type FlexInt64 int64

// UnmarshalJSON accepts 12, "12", null and "".
func (n *FlexInt64) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if bytes.Equal(data, []byte("null")) {
		*n = 0
		return nil
	}
	text := string(data)
	if len(data) > 0 && data[0] == '"' {
		if err := json.Unmarshal(data, &text); err != nil {
			return err
		}
		if text == "" {
			*n = 0
			return nil
		}
	}
	v, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		// A float such as 1.0 is an integer too.
		f, ferr := strconv.ParseFloat(text, 64)
		if ferr != nil || f != float64(int64(f)) {
			return fmt.Errorf("want an integer or a decimal string, got %s", data)
		}
		v = int64(f)
	}
	*n = FlexInt64(v)
	return nil
}

// FlexString is an id that may arrive as a JSON string or a JSON number
// (kept digit for digit, never through float64). null decodes as "".
type FlexString string

// UnmarshalJSON accepts "7384", 7384 and null.
func (s *FlexString) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch {
	case bytes.Equal(data, []byte("null")):
		*s = ""
		return nil
	case len(data) > 0 && data[0] == '"':
		var text string
		if err := json.Unmarshal(data, &text); err != nil {
			return err
		}
		*s = FlexString(text)
		return nil
	}
	var num json.Number
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&num); err != nil {
		return fmt.Errorf("want a string or a number, got %s", data)
	}
	*s = FlexString(num.String())
	return nil
}

// String returns the id.
func (s FlexString) String() string { return string(s) }

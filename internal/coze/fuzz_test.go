package coze

import (
	"strings"
	"testing"
)

// Any response body, from the API or from a proxy in front of it, gives a
// value or an error: never a panic, and never success with a non-zero code.
func FuzzParseResponse(f *testing.F) {
	f.Add(200, []byte(`{"code":0,"msg":"","data":{"bot_id":"1","name":"n","onboarding_info":{"Prologue":"p","SuggestedQuestions":["q"]}},"detail":{"logid":"L"}}`))
	f.Add(200, []byte(`{"code":4101,"msg":"no permission","detail":{"logid":"L"}}`))
	f.Add(502, []byte(`<html><body>502 Bad Gateway</body></html>`))
	f.Add(200, []byte(`{"code":0,"data":{"model_info":{"top_k":"fifty"}}}`))
	f.Add(200, []byte(`{"code":0,"data":null}`))
	f.Add(429, []byte(``))
	f.Add(200, []byte("\xff\xfe{\"code\""))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		var bot Bot
		err := parseResponse("get bot 1", status, "HDR", body, &bot, map[string]any{})
		if err == nil {
			if status < 200 || status > 299 {
				t.Fatalf("HTTP %d accepted as success", status)
			}
			return
		}
		if !strings.HasPrefix(err.Error(), "get bot 1: ") {
			t.Fatalf("error without context: %v", err)
		}
		if apiErr, ok := AsAPIError(err); ok && apiErr.Code == 0 && status >= 200 && status <= 299 {
			t.Fatalf("code 0 with HTTP %d reported as an API error: %v", status, err)
		}
	})
}

package provider

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// The client never hands the token to its logger; tfLogger masks it anyway,
// as a second net. Each case below fails when one of its three masks is
// removed: the token in the message, the token inside a field value, and
// any value of a field named authorization (here a credential that is not
// the token, so that only the key-based mask can hide it).
func TestTFLoggerMasksTheTokenAtEveryLevel(t *testing.T) {
	const token = "pat_logging_SECRET_token_9d1e"
	cases := []struct {
		name   string
		msg    string
		fields map[string]any
		secret string
		// field that must still be in the entry, masked rather than dropped
		keep string
	}{
		{"in the message", "request sent with Bearer " + token, map[string]any{"path": "/v1/bot/update"}, token, "path"},
		{"in a field value", "Coze API response body", map[string]any{"body": `{"detail":{"echo":"Bearer ` + token + `"}}`}, token, "body"},
		{"in an authorization field", "Coze API request", map[string]any{"authorization": "Bearer oauth_OTHER_credential_77"},
			"oauth_OTHER_credential_77", "authorization"},
	}
	logger := newTFLogger(token)
	levels := map[string]func(context.Context, string, map[string]any){"DEBUG": logger.Debug, "TRACE": logger.Trace}
	for _, tc := range cases {
		for level, log := range levels {
			t.Run(tc.name+" at "+level, func(t *testing.T) {
				var out bytes.Buffer
				log(tflogtest.RootLogger(context.Background(), &out), tc.msg, tc.fields)
				entries, err := tflogtest.MultilineJSONDecode(bytes.NewReader(out.Bytes()))
				if err != nil || len(entries) != 1 {
					t.Fatalf("want one log entry, got %d (%v): %s", len(entries), err, out.String())
				}
				if entries[0]["@level"] != strings.ToLower(level) {
					t.Errorf("logged at %v, want %s", entries[0]["@level"], level)
				}
				if _, ok := entries[0][tc.keep]; !ok {
					t.Errorf("field %q was dropped instead of masked: %v", tc.keep, entries[0])
				}
				if strings.Contains(out.String(), tc.secret) {
					t.Errorf("the log shows the secret: %s", out.String())
				}
			})
		}
	}
}

package coze

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// discardLogger is a Logger that drops every line, as the provider's does
// below its log level, after the client has built the fields.
type discardLogger struct{}

func (discardLogger) Debug(context.Context, string, map[string]any) {}
func (discardLogger) Trace(context.Context, string, map[string]any) {}

// BenchmarkClientRoundTrip measures the client's own cost of one call
// against a local server that answers at once: a read (GET with a decoded
// answer), an update (a JSON body, no answer data) and a document listing
// (a header, the payload beside code):
// go test ./internal/coze -run XXX -bench ClientRoundTrip -benchmem -count 6.
func BenchmarkClientRoundTrip(b *testing.B) {
	bot := `{"code":0,"msg":"","detail":{"logid":"L"},"data":{"bot_id":"7342866800001","name":"support","description":"` +
		strings.Repeat("d", 400) + `","prompt_info":{"prompt":"` + strings.Repeat("p", 3000) + `"},` +
		`"model_info":{"model_id":"1706077826","model_name":"m","temperature":0.7,"max_tokens":4096},` +
		`"knowledge":{"dataset_ids":["7400000000000000001","7400000000000000002"],"auto_call":true,"search_strategy":0}}}`
	docs := `{"code":0,"msg":"","total":2,"document_infos":[{"document_id":"1","name":"a.pdf","status":1,"size":10},` +
		`{"document_id":"2","name":"b.pdf","status":1,"size":20}]}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodGet:
			_, _ = io.WriteString(w, bot)
		case strings.HasSuffix(r.URL.Path, "/document/list"):
			_, _ = io.WriteString(w, docs)
		default:
			_, _ = io.WriteString(w, `{"code":0,"msg":"","detail":{"logid":"L"}}`)
		}
	}))
	defer srv.Close()
	c, err := NewClient(Config{BaseURL: srv.URL, Token: testToken, Logger: discardLogger{}})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	update := &UpdateBotRequest{BotID: "7342866800001", Name: ptr("support"), Description: ptr(strings.Repeat("d", 400)),
		PromptInfo: &PromptInfo{Prompt: ptr(strings.Repeat("p", 3000))}}
	calls := map[string]func() error{
		"get":       func() error { _, err := c.GetBot(ctx, "7342866800001", false); return err },
		"update":    func() error { return c.UpdateBot(ctx, update) },
		"documents": func() error { _, err := c.ListDocuments(ctx, "7400000000000000001", 1, 100); return err },
	}
	for _, name := range []string{"get", "update", "documents"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := calls[name](); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

package coze

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const testToken = "pat_test_secret_token"

// apiServer answers with the handlers in turn (the last one repeats) and
// records each request body.
type apiServer struct {
	*httptest.Server
	calls  atomic.Int64
	bodies chan []byte
}

func newAPIServer(t *testing.T, handlers ...http.HandlerFunc) *apiServer {
	t.Helper()
	s := &apiServer{bodies: make(chan []byte, 100)}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(s.calls.Add(1)) - 1
		body, _ := io.ReadAll(r.Body)
		s.bodies <- body
		if got := r.Header.Get("Authorization"); got != "Bearer "+testToken {
			t.Errorf("Authorization header = %q", got)
		}
		handlers[min(n, len(handlers)-1)](w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func envelopeHandler(status int, body string, headers ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

var ok = envelopeHandler(200, `{"code":0,"msg":"","detail":{"logid":"LOG-OK"}}`)

func newTestClient(t *testing.T, url string, mutate ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{BaseURL: url, Token: testToken, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ptr[T any](v T) *T { return &v }

func TestUpdateBotSendsZeroValuesAndOmitsUnset(t *testing.T) {
	srv := newAPIServer(t, ok)
	c := newTestClient(t, srv.URL)
	req := &UpdateBotRequest{
		BotID:       "7342866800001",
		Description: ptr(""),
		OnboardingInfo: &OnboardingInfo{
			SuggestedQuestions: &[]string{},
		},
		Knowledge: &Knowledge{AutoCall: ptr(false), SearchStrategy: ptr(int64(0))},
		ModelInfoConfig: &ModelInfoConfig{
			ModelID: "1706077826", Temperature: ptr(0.0), SpAntiLeak: ptr(false),
			Parameters: json.RawMessage(`{"thinking_type":"disabled","caching_expire_time":259200}`),
		},
	}
	if err := c.UpdateBot(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	want := `{"bot_id":"7342866800001","description":"","onboarding_info":{"suggested_questions":[]},
		"knowledge":{"auto_call":false,"search_strategy":0},
		"model_info_config":{"model_id":"1706077826","temperature":0,"sp_anti_leak":false,
		"parameters":{"thinking_type":"disabled","caching_expire_time":259200}}}`
	assertJSONEqual(t, <-srv.bodies, want)
}

func assertJSONEqual(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("body is not JSON: %v: %s", err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if string(gb) != string(wb) {
		t.Errorf("body mismatch\n got: %s\nwant: %s", gb, wb)
	}
}

func TestAPIErrorCarriesCodeMsgStatusAndLogID(t *testing.T) {
	cases := []struct {
		name    string
		handler http.HandlerFunc
		want    APIError
	}{
		{"code with HTTP 200", envelopeHandler(200, `{"code":4101,"msg":"no permission","detail":{"logid":"LOG-BODY"}}`),
			APIError{HTTPStatus: 200, Code: 4101, Msg: "no permission", LogID: "LOG-BODY"}},
		{"logid from header", envelopeHandler(200, `{"code":4000,"msg":"bad name"}`, "X-Tt-Logid", "LOG-HEADER"),
			APIError{HTTPStatus: 200, Code: 4000, Msg: "bad name", LogID: "LOG-HEADER"}},
		{"non-2xx with code 0 is still an error", envelopeHandler(403, `{"code":0,"msg":"","detail":{"logid":"L3"}}`),
			APIError{HTTPStatus: 403, Code: 0, LogID: "L3"}},
		{"HTTP 401 with code", envelopeHandler(401, `{"code":4100,"msg":"authentication is invalid","detail":{"logid":"L4"}}`),
			APIError{HTTPStatus: 401, Code: 4100, Msg: "authentication is invalid", LogID: "L4"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newAPIServer(t, tc.handler)
			err := newTestClient(t, srv.URL).UpdateBot(context.Background(), &UpdateBotRequest{BotID: "1"})
			apiErr, isAPI := AsAPIError(err)
			if !isAPI {
				t.Fatalf("want *APIError, got %v", err)
			}
			if apiErr.HTTPStatus != tc.want.HTTPStatus || apiErr.Code != tc.want.Code || apiErr.Msg != tc.want.Msg || apiErr.LogID != tc.want.LogID {
				t.Errorf("got %+v, want %+v", *apiErr, tc.want)
			}
			if apiErr.Operation != "update bot 1" {
				t.Errorf("operation = %q", apiErr.Operation)
			}
			if tc.want.LogID != "" && !strings.Contains(err.Error(), tc.want.LogID) {
				t.Errorf("error text %q lacks the logid", err)
			}
			if strings.Contains(err.Error(), testToken) {
				t.Error("error text contains the token")
			}
		})
	}
}

func TestNonJSONBodyIsAClearErrorNotAPanic(t *testing.T) {
	srv := newAPIServer(t, envelopeHandler(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "Content-Type", "text/html"))
	err := newTestClient(t, srv.URL, func(c *Config) { c.MaxRetries = -1 }).UpdateBot(context.Background(), &UpdateBotRequest{BotID: "1"})
	apiErr, isAPI := AsAPIError(err)
	if !isAPI {
		t.Fatalf("want *APIError, got %v", err)
	}
	if apiErr.HTTPStatus != 502 || !strings.Contains(apiErr.BodySnippet, "502 Bad Gateway") {
		t.Errorf("got %+v", *apiErr)
	}
	if !strings.Contains(err.Error(), "non-JSON") || !strings.Contains(err.Error(), "HTTP 502") {
		t.Errorf("error text = %q", err)
	}
}

func TestRetries(t *testing.T) {
	busy := envelopeHandler(503, `{"code":5000,"msg":"busy"}`)
	cases := []struct {
		name     string
		handlers []http.HandlerFunc
		wantErr  bool
		calls    int64
	}{
		{"429 with Retry-After then success", []http.HandlerFunc{envelopeHandler(429, `{"code":4020,"msg":"slow down"}`, "Retry-After", "0"), ok}, false, 2},
		{"503 twice then success", []http.HandlerFunc{busy, busy, ok}, false, 3},
		{"HTML 502 then success", []http.HandlerFunc{envelopeHandler(502, "<html>bad gateway</html>"), ok}, false, 2},
		{"code 4009 with HTTP 200 then success", []http.HandlerFunc{envelopeHandler(200, `{"code":4009,"msg":"overloaded"}`), ok}, false, 2},
		{"code 4101 is not retried", []http.HandlerFunc{envelopeHandler(200, `{"code":4101,"msg":"no permission"}`), ok}, true, 1},
		{"code 4000 is not retried", []http.HandlerFunc{envelopeHandler(200, `{"code":4000,"msg":"bad"}`), ok}, true, 1},
		{"code 4100 with HTTP 401 is not retried", []http.HandlerFunc{envelopeHandler(401, `{"code":4100,"msg":"authentication is invalid"}`), ok}, true, 1},
		{"code 4200 is not retried", []http.HandlerFunc{envelopeHandler(200, `{"code":4200,"msg":"gone"}`), ok}, true, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newAPIServer(t, tc.handlers...)
			err := newTestClient(t, srv.URL).UpdateBot(context.Background(), &UpdateBotRequest{BotID: "1"})
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if got := srv.calls.Load(); got != tc.calls {
				t.Errorf("server saw %d calls, want %d", got, tc.calls)
			}
		})
	}
}

func TestRetriesExhaustedSaysHowManyAttempts(t *testing.T) {
	srv := newAPIServer(t, envelopeHandler(503, `{"code":5000,"msg":"busy","detail":{"logid":"L"}}`))
	err := newTestClient(t, srv.URL, func(c *Config) { c.MaxRetries = 2 }).UpdateBot(context.Background(), &UpdateBotRequest{BotID: "1"})
	if err == nil || !strings.Contains(err.Error(), "after 3 attempts") {
		t.Fatalf("err = %v, want a mention of 3 attempts", err)
	}
	if srv.calls.Load() != 3 {
		t.Errorf("calls = %d", srv.calls.Load())
	}
}

func TestRequestTimeoutIsAnErrorNotAHang(t *testing.T) {
	release := make(chan struct{})
	srv := newAPIServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	c := newTestClient(t, srv.URL, func(c *Config) { c.RequestTimeout = 50 * time.Millisecond; c.MaxRetries = 1 })
	err := c.UpdateBot(context.Background(), &UpdateBotRequest{BotID: "1"})
	if err == nil || !strings.Contains(err.Error(), "Timeout") && !strings.Contains(err.Error(), "deadline") {
		t.Fatalf("err = %v, want a timeout", err)
	}
}

func TestContextCancelStopsRetrying(t *testing.T) {
	srv := newAPIServer(t, envelopeHandler(503, `{"code":5000}`, "Retry-After", "30"))
	c := newTestClient(t, srv.URL, func(c *Config) { c.RetryWaitMax = time.Minute })
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	err := c.UpdateBot(ctx, &UpdateBotRequest{BotID: "1"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if srv.calls.Load() != 1 {
		t.Errorf("calls = %d, want 1", srv.calls.Load())
	}
}

func TestGetBotReadsTheDraftAndBothOnboardingSpellings(t *testing.T) {
	var query string
	body := `{"code":0,"msg":"","data":{"bot_id":"42","name":"n","onboarding_info":{"Prologue":"hi","SuggestedQuestions":["a","b"],"OnboardingMode":2},
		"knowledge":{"knowledge_infos":[{"id":"9","name":"k"}]},"model_info":{"model_id":"1","top_p":1,"parameters":{"thinking_type":"enabled"}}},"detail":{"logid":"L"}}`
	srv := newAPIServer(t, func(w http.ResponseWriter, r *http.Request) {
		query = r.URL.RawQuery
		envelopeHandler(200, body)(w, r)
	})
	bot, err := newTestClient(t, srv.URL).GetBot(context.Background(), "42", false)
	if err != nil {
		t.Fatal(err)
	}
	if query != "is_published=false" {
		t.Errorf("query = %q", query)
	}
	if bot.OnboardingInfo == nil || *bot.OnboardingInfo.Prologue != "hi" || len(*bot.OnboardingInfo.SuggestedQuestions) != 2 {
		t.Errorf("onboarding = %+v", bot.OnboardingInfo)
	}
	if (*bot.Knowledge.KnowledgeInfos)[0].ID != "9" || *bot.ModelInfo.TopP != 1 || string(bot.ModelInfo.Parameters) != `{"thinking_type":"enabled"}` {
		t.Errorf("bot = %+v", bot)
	}
}

func TestOnboardingSnakeCaseWins(t *testing.T) {
	var o OnboardingInfo
	if err := json.Unmarshal([]byte(`{"Prologue":"pascal","prologue":"snake","suggested_questions":[]}`), &o); err != nil {
		t.Fatal(err)
	}
	if *o.Prologue != "snake" || o.SuggestedQuestions == nil || len(*o.SuggestedQuestions) != 0 {
		t.Errorf("got %+v", o)
	}
	var absent OnboardingInfo
	if err := json.Unmarshal([]byte(`{"prologue":"x"}`), &absent); err != nil || absent.SuggestedQuestions != nil {
		t.Errorf("absent suggested_questions must stay nil: %+v %v", absent, err)
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	cases := map[string]struct {
		want time.Duration
		ok   bool
	}{
		"3":                             {3 * time.Second, true},
		"Tue, 24 Nov 2026 12:00:10 GMT": {10 * time.Second, true},
		"Tue, 24 Nov 2026 11:00:00 GMT": {0, true},
		"soon":                          {0, false},
		"":                              {0, false},
	}
	for header, tc := range cases {
		got, ok := retryAfter(header, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", header, got, ok, tc.want, tc.ok)
		}
	}
}

func TestNewClientRejectsBadConfig(t *testing.T) {
	if _, err := NewClient(Config{BaseURL: BaseURLChina}); err == nil {
		t.Error("missing token accepted")
	}
	if _, err := NewClient(Config{BaseURL: "not a url", Token: "t"}); err == nil {
		t.Error("relative base URL accepted")
	}
}

func TestNotFoundCodes(t *testing.T) {
	for code, want := range map[int64]bool{CodeNotFound: true, CodeInvalidBot: true, CodePermissionDenied: false} {
		if got := IsNotFound(&APIError{Code: code}); got != want {
			t.Errorf("IsNotFound(%d) = %v", code, got)
		}
	}
	if IsNotFound(errors.New("plain")) {
		t.Error("plain error reported as not found")
	}
}

package coze

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// A misbehaving server at base_url: the client must not follow its
// redirects, read its huge answers whole, choke on deep JSON, or hide a
// broken compression behind "not a Coze API response".

// forbiddenTarget is a server that must never be reached: it counts requests and
// remembers whether any carried the token or a body.
type forbiddenTarget struct {
	*httptest.Server
	calls     atomic.Int64
	sawToken  atomic.Bool
	bodyBytes atomic.Int64
}

func newForbiddenTarget(t *testing.T) *forbiddenTarget {
	t.Helper()
	r := &forbiddenTarget{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.calls.Add(1)
		if strings.Contains(req.Header.Get("Authorization"), testToken) {
			r.sawToken.Store(true)
		}
		n, _ := io.Copy(io.Discard, req.Body)
		r.bodyBytes.Add(n)
		envelopeHandler(200, `{"code":0,"msg":"","data":{"bot_id":"1"}}`)(w, req)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *forbiddenTarget) assertUntouched(t *testing.T) {
	t.Helper()
	if n := r.calls.Load(); n != 0 {
		t.Errorf("the redirect target received %d request(s) (token: %v, body bytes: %d)", n, r.sawToken.Load(), r.bodyBytes.Load())
	}
}

// redirecting answers every request with status and a Location on target.
func redirecting(status int, target string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", target+r.URL.RequestURI())
		w.WriteHeader(status)
	}
}

// Refresh reads (GET) and apply writes (POST): neither follows a redirect to
// another port, whatever the status, and neither repeats the request.
func TestRedirectToAnotherPortIsRefused(t *testing.T) {
	calls := map[string]func(*Client) error{
		"refresh (GET /v1/bots/{id})": func(c *Client) error { _, err := c.GetBot(context.Background(), "42", false); return err },
		"apply (POST /v1/bot/update)": func(c *Client) error {
			return c.UpdateBot(context.Background(), &UpdateBotRequest{BotID: "42", Name: ptr("secret body")})
		},
	}
	for _, status := range []int{301, 302, 303, 307, 308} {
		for name, call := range calls {
			t.Run(fmt.Sprintf("%d %s", status, name), func(t *testing.T) {
				other := newForbiddenTarget(t)
				origin := newAPIServer(t, redirecting(status, other.URL))
				err := call(newTestClient(t, origin.URL))
				if err == nil {
					t.Fatal("a redirect to another port was followed")
				}
				other.assertUntouched(t)
				if got := origin.calls.Load(); got != 1 {
					t.Errorf("the origin saw %d requests: a refused redirect must not be retried", got)
				}
				var redirect *RedirectError
				if !errors.As(err, &redirect) {
					t.Fatalf("want a *RedirectError, got %T: %v", err, err)
				}
				msg := err.Error()
				for _, want := range []string{origin.URL + "/v1/", other.URL + "/v1/", "HTTP " + strconv.Itoa(status), "not followed", "not repeated"} {
					if !strings.Contains(msg, want) {
						t.Errorf("error %q does not contain %q", msg, want)
					}
				}
				if strings.Contains(msg, testToken) {
					t.Error("the error contains the token")
				}
			})
		}
	}
}

// https to http on the same host is the case that would send the token in
// clear text: refused like any other.
func TestRedirectFromHTTPSToHTTPIsRefused(t *testing.T) {
	other := newForbiddenTarget(t)
	origin := httptest.NewTLSServer(redirecting(http.StatusTemporaryRedirect, other.URL))
	t.Cleanup(origin.Close)
	c := newTestClient(t, origin.URL, func(cfg *Config) { cfg.Transport = origin.Client().Transport })
	err := c.UpdateBot(context.Background(), &UpdateBotRequest{BotID: "42"})
	var redirect *RedirectError
	if !errors.As(err, &redirect) {
		t.Fatalf("want a *RedirectError, got %v", err)
	}
	other.assertUntouched(t)
	if !strings.HasPrefix(redirect.From, "https://") || !strings.HasPrefix(redirect.To, "http://") {
		t.Errorf("From %q, To %q", redirect.From, redirect.To)
	}
}

// The Coze API never redirects, so a redirect to the same address is
// refused too: following a 307 would send a write twice.
func TestRedirectToTheSameServerIsRefused(t *testing.T) {
	var calls atomic.Int64
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		redirecting(http.StatusPermanentRedirect, srv.URL+"/moved")(w, r)
	}))
	t.Cleanup(srv.Close)
	err := newTestClient(t, srv.URL).UpdateBot(context.Background(), &UpdateBotRequest{BotID: "42"})
	var redirect *RedirectError
	if !errors.As(err, &redirect) || calls.Load() != 1 {
		t.Fatalf("err = %v after %d requests, want a refused redirect after 1", err, calls.Load())
	}
}

// A Location with credentials in it is named without them.
func TestRedirectErrorNamesURLsWithoutCredentials(t *testing.T) {
	other := newForbiddenTarget(t)
	target := strings.Replace(other.URL, "http://", "http://alice:hunter2@", 1)
	origin := newAPIServer(t, redirecting(http.StatusFound, target))
	_, err := newTestClient(t, origin.URL).GetBot(context.Background(), "42", false)
	if err == nil {
		t.Fatal("redirect followed")
	}
	other.assertUntouched(t)
	if msg := err.Error(); strings.Contains(msg, "alice") || strings.Contains(msg, "hunter2") || !strings.Contains(msg, other.URL) {
		t.Errorf("error = %q: want the target URL without its userinfo", msg)
	}
}

// hugeAnswer writes a 200 OK envelope of about size bytes whose padding sits
// where pad says, from a small buffer, so the server holds no copy of it.
func hugeAnswer(size int64, declareLength bool, pad string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		var head, tail string
		switch pad {
		case "in data":
			head, tail = `{"code":0,"msg":"","data":{"bot_id":"1","name":"`, `"}}`
		case "in msg":
			head, tail = `{"code":0,"data":{"bot_id":"1"},"msg":"`, `"}`
		default: // whitespace after the envelope
			head, tail = `{"code":0,"msg":"","data":{"bot_id":"1"}}`, ``
		}
		filler := int64(len(head) + len(tail))
		w.Header().Set("Content-Type", "application/json")
		if declareLength {
			w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
		}
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, head)
		chunk := bytes.Repeat([]byte("a"), 64<<10)
		if pad != "in data" && pad != "in msg" {
			chunk = bytes.Repeat([]byte(" "), 64<<10)
		}
		for left := size - filler; left > 0; left -= int64(len(chunk)) {
			if _, err := w.Write(chunk[:min(int64(len(chunk)), left)]); err != nil {
				return // the client hung up, as it should
			}
		}
		_, _ = io.WriteString(w, tail)
	}
}

func TestOversizeAnswerIsAClearError(t *testing.T) {
	const size = 200 << 20
	for _, declared := range []bool{true, false} {
		for _, pad := range []string{"in data", "in msg", "after the envelope"} {
			t.Run(fmt.Sprintf("Content-Length %v, padding %s", declared, pad), func(t *testing.T) {
				srv := newAPIServer(t, hugeAnswer(size, declared, pad))
				_, err := newTestClient(t, srv.URL).GetBot(context.Background(), "1", false)
				var tooLarge *ResponseTooLargeError
				if !errors.As(err, &tooLarge) {
					t.Fatalf("want a *ResponseTooLargeError, got %v", err)
				}
				if tooLarge.Limit != DefaultMaxResponseBytes {
					t.Errorf("limit = %d", tooLarge.Limit)
				}
				if msg := err.Error(); !strings.Contains(msg, "larger than 4 MiB") || !strings.HasPrefix(msg, "get bot 1: ") {
					t.Errorf("error = %q", msg)
				}
				if n := srv.calls.Load(); n != 1 {
					t.Errorf("an oversize answer was requested %d times, want 1 (it is not retried)", n)
				}
			})
		}
	}
}

// The limit is on the bytes read: an answer of exactly the limit is read,
// one byte more is refused.
func TestResponseLimitIsExact(t *testing.T) {
	body := `{"code":0,"msg":"","data":{"bot_id":"1","name":"n"}}`
	srv := newAPIServer(t, envelopeHandler(200, body))
	limit := func(n int) func(*Config) { return func(c *Config) { c.MaxResponseBytes = int64(n); c.MaxRetries = -1 } }
	if _, err := newTestClient(t, srv.URL, limit(len(body))).GetBot(context.Background(), "1", false); err != nil {
		t.Fatalf("an answer of exactly the limit: %v", err)
	}
	_, err := newTestClient(t, srv.URL, limit(len(body)-1)).GetBot(context.Background(), "1", false)
	var tooLarge *ResponseTooLargeError
	if !errors.As(err, &tooLarge) {
		t.Fatalf("one byte over the limit: want *ResponseTooLargeError, got %v", err)
	}
}

// What a 200 MB answer costs the client. Every byte allocated while the call
// runs bounds how much the heap can have grown: before the limit this was
// more than 200 MB (the body read whole, then copied); now it is the limit
// and the buffers that read it.
func TestOversizeAnswerAllocatesBoundedMemory(t *testing.T) {
	const size = 200 << 20
	for _, declared := range []bool{true, false} {
		srv := newAPIServer(t, hugeAnswer(size, declared, "in data"))
		c := newTestClient(t, srv.URL)
		allocated := allocatedDuring(func() { _, _ = c.GetBot(context.Background(), "1", false) })
		t.Logf("Content-Length %v: %.1f MiB allocated for a 200 MiB answer", declared, float64(allocated)/(1<<20))
		if allocated > 4*DefaultMaxResponseBytes {
			t.Errorf("Content-Length %v: %d bytes allocated for an oversize answer, want at most %d", declared, allocated, 4*DefaultMaxResponseBytes)
		}
	}
}

func allocatedDuring(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// BenchmarkOversizeAnswer measures a 200 MiB answer: go test ./internal/coze -run XXX -bench OversizeAnswer -benchmem.
func BenchmarkOversizeAnswer(b *testing.B) {
	for _, declared := range []bool{true, false} {
		b.Run(fmt.Sprintf("Content-Length=%v", declared), func(b *testing.B) {
			srv := httptest.NewServer(hugeAnswer(200<<20, declared, "in data"))
			defer srv.Close()
			c, err := NewClient(Config{BaseURL: srv.URL, Token: testToken})
			if err != nil {
				b.Fatal(err)
			}
			var peak uint64
			b.ReportAllocs()
			for b.Loop() {
				var ms runtime.MemStats
				_, _ = c.GetBot(context.Background(), "1", false)
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}

// nested is a bot whose model parameters nest depth objects deep.
func nested(depth int) string {
	return `{"code":0,"msg":"","data":{"bot_id":"1","model_info":{"model_id":"m","parameters":` +
		strings.Repeat(`{"a":`, depth) + `1` + strings.Repeat(`}`, depth) + `}}}`
}

func TestDeeplyNestedAnswerIsAReadError(t *testing.T) {
	for _, depth := range []int{MaxResponseDepth, 1500, 9990, 10_000, 100_000} {
		t.Run(strconv.Itoa(depth), func(t *testing.T) {
			srv := newAPIServer(t, envelopeHandler(200, nested(depth)))
			_, err := newTestClient(t, srv.URL).GetBot(context.Background(), "1", false)
			var tooDeep *ResponseTooDeepError
			if !errors.As(err, &tooDeep) {
				t.Fatalf("want a *ResponseTooDeepError, got %v", err)
			}
			if msg := err.Error(); !strings.Contains(msg, fmt.Sprintf("nests JSON deeper than %d levels", MaxResponseDepth)) {
				t.Errorf("error = %q", msg)
			}
			if n := srv.calls.Load(); n != 1 {
				t.Errorf("retried: %d calls", n)
			}
		})
	}
	// The deepest answer accepted: the envelope, data, model_info and
	// parameters take 4 levels of it.
	srv := newAPIServer(t, envelopeHandler(200, nested(MaxResponseDepth-4)))
	if _, err := newTestClient(t, srv.URL).GetBot(context.Background(), "1", false); err != nil {
		t.Fatalf("an answer nested %d levels deep: %v", MaxResponseDepth, err)
	}
}

func TestJSONDepth(t *testing.T) {
	for raw, want := range map[string]int{
		``: 0, `1`: 0, `{}`: 1, `[[]]`: 2, `{"a":[{"b":{}}]}`: 4,
		`{"a":"[[[[{{{{"}`:        1, // brackets in strings do not count
		`{"a":"\"[[[["}`:          1, // nor after an escaped quote
		`{"a":"\\"}`:              1,
		`]]]]{`:                   1, // invalid JSON: the decoder rejects it
		`{"a":"unterminated [[[[`: 1,
	} {
		if got := jsonDepth([]byte(raw), 1000); got != want {
			t.Errorf("jsonDepth(%s) = %d, want %d", raw, got, want)
		}
	}
	if got := jsonDepth([]byte(strings.Repeat("[", 100)), 10); got != 11 {
		t.Errorf("jsonDepth stops one level past the limit, got %d", got)
	}
}

func gzipped(s string) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = io.WriteString(zw, s)
	_ = zw.Close()
	return buf.Bytes()
}

func TestCorruptGzipShowsTheDecompressionError(t *testing.T) {
	good := gzipped(`{"code":0,"msg":"","data":{"bot_id":"1","name":"zipped"}}`)
	badChecksum := bytes.Clone(good)
	badChecksum[len(badChecksum)-6] ^= 0xFF // CRC-32 trailer
	badData := bytes.Clone(good)
	for i := 12; i < 20; i++ {
		badData[i] = 0xFF
	}
	for name, tc := range map[string]struct {
		body []byte
		want string
	}{
		"not gzip at all":   {[]byte("this is not gzip"), "gzip: invalid header"},
		"corrupt checksum":  {badChecksum, "gzip: invalid checksum"},
		"corrupt deflate":   {badData, "flate: corrupt input"},
		"a valid gzip body": {good, ""},
	} {
		t.Run(name, func(t *testing.T) {
			srv := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Content-Encoding", "gzip")
				_, _ = w.Write(tc.body)
			})
			bot, err := newTestClient(t, srv.URL).GetBot(context.Background(), "1", false)
			if tc.want == "" {
				if err != nil || *bot.Name != "zipped" {
					t.Fatalf("valid gzip: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "decompressing") {
				t.Fatalf("err = %v, want the decompression error %q", err, tc.want)
			}
			if _, isAPI := AsAPIError(err); isAPI {
				t.Errorf("reported as an API answer: %v", err)
			}
			if n := srv.calls.Load(); n != 1 {
				t.Errorf("a corrupt body was requested %d times, want 1", n)
			}
		})
	}
}

// Settings the client cannot use safely are refused, without repeating a
// token or a password.
func TestNewClientRefusesUnsafeTokensAndBaseURLs(t *testing.T) {
	const secret = "pat_0123456789abcdef"
	for token, want := range map[string]string{
		secret + "\n":                  "a newline (\\n) at its end",
		secret + "\r\n":                "a carriage return (\\r) at its end",
		secret[:4] + "\n" + secret[4:]: "a newline (\\n) inside it",
		" " + secret:                   "a space inside it",
		secret + "\x00":                "U+0000 at its end",
	} {
		_, err := NewClient(Config{BaseURL: BaseURLChina, Token: token})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("token %q: err = %v, want %q", token, err, want)
			continue
		}
		if strings.Contains(err.Error(), secret[4:]) {
			t.Errorf("the error shows the token: %v", err)
		}
	}
	for raw, want := range map[string]string{
		"https://alice:hunter2@api.coze.cn": "must not contain a user name or password",
		"https://alice@api.coze.cn":         "must not contain a user name or password",
		"https://api.coze.cn/?x=1":          "must not contain a query",
		"https://api.coze.cn?":              "must not contain a query",
		"https://api.coze.cn/#top":          "must not contain a fragment",
		"https://api.coze.cn#":              "must not contain a fragment",
		"https://alice:p w@api.coze.cn":     "not shown: it may hold a password",
		"api.coze.cn":                       "must be an absolute URL",
	} {
		_, err := NewClient(Config{BaseURL: raw, Token: secret})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("base URL %q: err = %v, want %q", raw, err, want)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "alice") || strings.Contains(err.Error(), "p w") {
			t.Errorf("the error shows the userinfo: %v", err)
		}
	}
	// A path prefix stays: requests go below it.
	var path string
	srv := newAPIServer(t, func(w http.ResponseWriter, r *http.Request) { path = r.URL.Path; ok(w, r) })
	if err := newTestClient(t, srv.URL+"/gateway/coze/").UpdateBot(context.Background(), &UpdateBotRequest{BotID: "1"}); err != nil {
		t.Fatal(err)
	}
	if path != "/gateway/coze/v1/bot/update" {
		t.Errorf("path = %q", path)
	}
}

// A number with an absurd exponent or digit count would take minutes to
// convert into Terraform's exact numbers (1e60000000, 14 bytes, is an
// integer of 200 million bits): it is a read error, found before anything
// is decoded.
func TestAbsurdNumbersAreAReadError(t *testing.T) {
	withParameter := func(number string) string {
		return `{"code":0,"msg":"","data":{"bot_id":"1","model_info":{"model_id":"m","parameters":{"unmanaged":` + number + `}}}}`
	}
	for _, number := range []string{"1e60000000", "-1E+401", "1e-401", "0.5e0000000000000000000000000000000999",
		strings.Repeat("9", MaxNumberDigits+1), "1." + strings.Repeat("0", MaxNumberDigits) + "1"} {
		t.Run(number[:min(len(number), 20)], func(t *testing.T) {
			srv := newAPIServer(t, envelopeHandler(200, withParameter(number)))
			_, err := newTestClient(t, srv.URL).GetBot(context.Background(), "1", false)
			var absurd *ResponseNumberError
			if !errors.As(err, &absurd) {
				t.Fatalf("want a *ResponseNumberError, got %v", err)
			}
			if msg := err.Error(); !strings.Contains(msg, "beyond what this client accepts") || !strings.Contains(msg, "get bot 1") || len(msg) > 400 {
				t.Errorf("error = %q", msg)
			}
			if n := srv.calls.Load(); n != 1 {
				t.Errorf("retried: %d calls", n)
			}
		})
	}
	for _, number := range []string{"1e400", "-1.7976931348623157e308", "1e-400", strings.Repeat("9", MaxNumberDigits), "0", "-0.5"} {
		srv := newAPIServer(t, envelopeHandler(200, withParameter(number)))
		if _, err := newTestClient(t, srv.URL).GetBot(context.Background(), "1", false); err != nil {
			t.Errorf("%.20s: %v", number, err)
		}
	}
	// Digits in strings are text, not numbers.
	srv := newAPIServer(t, envelopeHandler(200, withParameter(`"1e60000000"`)))
	if _, err := newTestClient(t, srv.URL).GetBot(context.Background(), "1", false); err != nil {
		t.Errorf("a string: %v", err)
	}
}

package coze

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
)

// recorded is one request a recorder received.
type recorded struct {
	method, path string
	query        url.Values
	header       http.Header
	body         []byte
}

// recorder is a test server that records every request it receives and
// answers it with a JSON body.
type recorder struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []recorded
}

// newRecorder answers each request with the next of answers (the last one
// repeats).
func newRecorder(t *testing.T, answers ...string) *recorder {
	t.Helper()
	return startRecorder(t, func(n int, _ recorded) string { return answers[min(n, len(answers)-1)] })
}

// newRecorderFunc answers every request with answer(request).
func newRecorderFunc(t *testing.T, answer func(r recorded) string) *recorder {
	t.Helper()
	return startRecorder(t, func(_ int, r recorded) string { return answer(r) })
}

// startRecorder answers the request numbered n (from 0) with answer(n, request).
func startRecorder(t *testing.T, answer func(n int, r recorded) string) *recorder {
	t.Helper()
	rec := &recorder{}
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		req := recorded{method: r.Method, path: r.URL.Path, query: r.URL.Query(), header: r.Header.Clone(), body: body}
		rec.mu.Lock()
		n := len(rec.reqs)
		rec.reqs = append(rec.reqs, req)
		rec.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, answer(n, req))
	}))
	t.Cleanup(rec.Close)
	return rec
}

// requests are the requests received so far.
func (r *recorder) requests() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.reqs...)
}

// only is the one request received; it fails the test if there were more or none.
func (r *recorder) only(t *testing.T) recorded {
	t.Helper()
	all := r.requests()
	if len(all) != 1 {
		t.Fatalf("%d requests, want 1", len(all))
	}
	return all[0]
}

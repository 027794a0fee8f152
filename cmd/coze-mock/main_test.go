package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

// syncBuffer is a bytes.Buffer safe for the server's logger and the test to share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestRunRejectsBadFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-space", "ws-1"}, `-space: "ws-1" is not a decimal space id`},
		{[]string{"-space", ""}, `-space: "" is not a decimal space id`},
		{[]string{"-bots", "7342866800001,abc"}, `-bots: "abc" is not a decimal bot id`},
		{[]string{"-listen", "0.0.0.0:0"}, "refusing a non-loopback address"},
		{[]string{"extra"}, "unexpected arguments"},
		{[]string{"-rate-limit", "-1"}, "-rate-limit: -1 is not a finite number"},
		{[]string{"-rate-limit", "NaN"}, "-rate-limit: NaN is not a finite number"},
	} {
		var stderr syncBuffer
		err := run(t.Context(), c.args, &stderr)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Fatalf("run(%q) = %v, want an error containing %q", c.args, err, c.want)
		}
	}
}

// listTotal lists a space's bots (all statuses) and returns data.total.
func listTotal(t *testing.T, base, space string) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet,
		base+"/v1/bots?publish_status=all&workspace_id="+space, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer tok")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		Code int `json:"code"`
		Data struct {
			Total int `json:"total"`
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &env); err != nil || env.Code != 0 {
		t.Fatalf("list %s: %v %s", space, err, raw)
	}
	return env.Data.Total
}

// startRun runs the standalone mock with args and returns its base URL and
// its log; the mock stops, and its end is checked, when the test ends.
func startRun(t *testing.T, args ...string) (string, *syncBuffer) {
	t.Helper()
	urlFile := filepath.Join(t.TempDir(), "url")
	ctx, cancel := context.WithCancel(t.Context())
	stderr := &syncBuffer{}
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, append([]string{"-listen", "127.0.0.1:0", "-url-file", urlFile}, args...), stderr)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-errc:
			if err != nil {
				t.Errorf("run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("run did not stop after cancel")
		}
		if _, err := os.Stat(urlFile); !os.IsNotExist(err) {
			t.Errorf("URL file left behind: %v", err)
		}
	})
	for deadline := time.Now().Add(10 * time.Second); ; {
		if b, err := os.ReadFile(urlFile); err == nil {
			return string(b), stderr
		}
		select {
		case err := <-errc:
			t.Fatalf("run ended early: %v\n%s", err, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no URL file; log:\n%s", stderr.String())
		}
	}
}

func TestRunSeedsBotsInSpace(t *testing.T) {
	for _, c := range []struct {
		name  string
		args  []string
		space string
	}{
		{"flag", []string{"-space", "7341999000000001"}, "7341999000000001"},
		{"default", nil, mockcoze.DefaultSpaceID},
	} {
		t.Run(c.name, func(t *testing.T) {
			base, stderr := startRun(t, append([]string{"-token", "tok", "-bots", "11,12"}, c.args...)...)
			if got := listTotal(t, base, c.space); got != 2 {
				t.Fatalf("space %s has %d bots, want 2", c.space, got)
			}
			if c.space != mockcoze.DefaultSpaceID {
				if got := listTotal(t, base, mockcoze.DefaultSpaceID); got != 0 {
					t.Fatalf("default space has %d bots, want 0", got)
				}
			}
			if !strings.Contains(stderr.String(), "in space "+c.space) {
				t.Fatalf("log does not name the space:\n%s", stderr.String())
			}
		})
	}
}

// The standalone mock bounds what a client can make it hold, yet a large
// upload still goes through: its read deadline grows with the body.
func TestRunServesLargeUploadsAndRefusesBodiesWithoutToken(t *testing.T) {
	base, _ := startRun(t, "-token", "tok")
	post := func(path, auth, contentType string, body io.Reader) (int, string) {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, base+path, body)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", contentType)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("POST %s: %v", path, err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(raw)
	}

	// 40 MiB, more than the 15 MB of a JSON body, streamed.
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		w, err := mw.CreateFormFile("file", "big.mp4")
		chunk := bytes.Repeat([]byte("v"), 1<<20)
		for i := 0; i < 40 && err == nil; i++ {
			_, err = w.Write(chunk)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	if status, raw := post("/v1/files/upload", "Bearer tok", mw.FormDataContentType(), pr); status != http.StatusOK || !strings.Contains(raw, `"code":0`) ||
		!strings.Contains(raw, `"bytes":41943040`) {
		t.Fatalf("40 MiB upload: HTTP %d %s", status, raw)
	}

	status, raw := post("/v1/bot/update", "", "application/json", bytes.NewReader(bytes.Repeat([]byte("x"), 14<<20)))
	if status != http.StatusUnauthorized || !strings.Contains(raw, `"code":4100`) {
		t.Fatalf("14 MB without a token: HTTP %d %s", status, raw)
	}
}

// -rate-limit makes the standalone mock answer 429 with code 4020 and
// Retry-After above the rate, as the load case of make bench needs.
func TestRunRateLimit(t *testing.T) {
	base, stderr := startRun(t, "-token", "tok", "-rate-limit", "2")
	limited := 0
	for range 6 {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, base+"/v1/bots?workspace_id="+mockcoze.DefaultSpaceID, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer tok")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var env struct{ Code int }
		_ = json.NewDecoder(res.Body).Decode(&env)
		res.Body.Close()
		if res.StatusCode == http.StatusTooManyRequests {
			limited++
			if env.Code != 4020 || res.Header.Get("Retry-After") != "1" {
				t.Errorf("429 answer with code %d, Retry-After %q", env.Code, res.Header.Get("Retry-After"))
			}
		}
	}
	if limited == 0 {
		t.Error("6 requests at once to a mock limited to 2 per second: none answered 429")
	}
	if !strings.Contains(stderr.String(), "requests: 2 per second") {
		t.Errorf("the log does not say the rate limit:\n%s", stderr.String())
	}
}

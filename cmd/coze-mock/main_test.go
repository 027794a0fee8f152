package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
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
			urlFile := filepath.Join(t.TempDir(), "url")
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			var stderr syncBuffer
			args := append([]string{"-listen", "127.0.0.1:0", "-url-file", urlFile, "-token", "tok", "-bots", "11,12"}, c.args...)
			errc := make(chan error, 1)
			go func() { errc <- run(ctx, args, &stderr) }()

			var base string
			for deadline := time.Now().Add(10 * time.Second); base == ""; {
				if b, err := os.ReadFile(urlFile); err == nil {
					base = string(b)
					break
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
			cancel()
			select {
			case err := <-errc:
				if err != nil {
					t.Fatalf("run: %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("run did not stop after cancel")
			}
			if _, err := os.Stat(urlFile); !os.IsNotExist(err) {
				t.Fatalf("URL file left behind: %v", err)
			}
		})
	}
}

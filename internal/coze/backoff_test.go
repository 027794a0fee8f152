package coze

import (
	"net/http"
	"testing"
	"time"
)

// The client's backoff, called the way retryablehttp calls it, honours
// Retry-After in both forms the header has, and never waits longer than
// RetryWaitMax. retryAfter's parsing is tested on its own in client_test.go;
// these tests fail if the client stops using it.

func responseWithRetryAfter(value string) *http.Response {
	resp := &http.Response{StatusCode: http.StatusTooManyRequests, Header: http.Header{}}
	if value != "" {
		resp.Header.Set("Retry-After", value)
	}
	return resp
}

// clientBackoff is the backoff NewClient configures (not the package
// function), with RetryWaitMin 1s and RetryWaitMax 30s.
func clientBackoff(t *testing.T) func(attempt int, resp *http.Response) time.Duration {
	t.Helper()
	c := newTestClient(t, "https://api.coze.cn", func(cfg *Config) { cfg.RetryWaitMin, cfg.RetryWaitMax = time.Second, 30*time.Second })
	return func(attempt int, resp *http.Response) time.Duration {
		return c.http.Backoff(c.http.RetryWaitMin, c.http.RetryWaitMax, attempt, resp)
	}
}

func TestBackoffHonoursRetryAfterSeconds(t *testing.T) {
	backoff := clientBackoff(t)
	// Without the header, the first retries wait at most 2 s (jitter up to
	// min << attempt): 7 s and 20 s can only come from Retry-After.
	for _, tc := range []struct {
		header string
		want   time.Duration
	}{{"7", 7 * time.Second}, {"20", 20 * time.Second}, {"0", 0}} {
		if got := backoff(1, responseWithRetryAfter(tc.header)); got != tc.want {
			t.Errorf("Retry-After: %s: waited %v, want %v", tc.header, got, tc.want)
		}
	}
}

func TestBackoffHonoursRetryAfterHTTPDate(t *testing.T) {
	backoff := clientBackoff(t)
	// An HTTP date has whole seconds: 15 s ahead is between 14 and 15 s away.
	date := time.Now().Add(15 * time.Second).UTC().Format(http.TimeFormat)
	if got := backoff(1, responseWithRetryAfter(date)); got < 13*time.Second || got > 15*time.Second {
		t.Errorf("Retry-After: %s: waited %v, want about 15s", date, got)
	}
	past := time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)
	if got := backoff(1, responseWithRetryAfter(past)); got != 0 {
		t.Errorf("Retry-After in the past (%s): waited %v, want 0", past, got)
	}
}

func TestBackoffCapsRetryAfterAtRetryWaitMax(t *testing.T) {
	backoff := clientBackoff(t)
	if got := backoff(1, responseWithRetryAfter("3600")); got != 30*time.Second {
		t.Errorf("Retry-After: 3600 waited %v, want the cap of 30s", got)
	}
	date := time.Now().Add(2 * time.Hour).UTC().Format(http.TimeFormat)
	if got := backoff(1, responseWithRetryAfter(date)); got != 30*time.Second {
		t.Errorf("Retry-After: %s waited %v, want the cap of 30s", date, got)
	}
}

// Without a usable header the wait is exponential with jitter: within
// [min/2, min << attempt], and never above the cap.
func TestBackoffWithoutRetryAfterIsBoundedJitter(t *testing.T) {
	backoff := clientBackoff(t)
	for _, header := range []string{"", "soon"} {
		for attempt := range 10 {
			ceiling := min(time.Second<<attempt, 30*time.Second)
			for range 50 {
				got := backoff(attempt, responseWithRetryAfter(header))
				if got < 500*time.Millisecond || got > ceiling {
					t.Fatalf("Retry-After %q, attempt %d: waited %v, want within [500ms, %v]", header, attempt, got, ceiling)
				}
			}
		}
	}
	if got := backoff(1, nil); got > 2*time.Second {
		t.Errorf("transport error, attempt 1: waited %v, want at most 2s", got)
	}
}

package coze

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"sync"
	"testing"
	"time"
)

// The pacer's tests run on a fake clock: sleeping advances it, so a test of
// minutes of pacing takes microseconds and always goes the same way.

type fakeClock struct {
	t      time.Time
	sleeps []time.Duration
	// interrupt makes every sleep fail as a cancelled context would, after
	// recording it: a waiter then stays where it was, without waking.
	interrupt bool
}

var epoch = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func (f *fakeClock) now() time.Time { return f.t }

func (f *fakeClock) sleep(_ context.Context, d time.Duration) error {
	f.sleeps = append(f.sleeps, d)
	if f.interrupt {
		return context.Canceled
	}
	f.t = f.t.Add(d)
	return nil
}

func (f *fakeClock) advance(d time.Duration) { f.t = f.t.Add(d) }

// cycle returns the values in turn, over and over: the pacer's "random" source.
func cycle(values ...float64) func() float64 {
	i := 0
	return func() float64 {
		v := values[i%len(values)]
		i++
		return v
	}
}

type recordedLine struct {
	msg    string
	fields map[string]any
}

type recordLogger struct {
	mu    sync.Mutex
	debug []recordedLine
}

func (l *recordLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.debug = append(l.debug, recordedLine{msg, fields})
}

func (*recordLogger) Trace(context.Context, string, map[string]any) {}

// rateChanges are the logged rate changes, as "old->new".
func (l *recordLogger) rateChanges() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, line := range l.debug {
		if line.msg == "Coze API request rate changed" {
			out = append(out, fmt.Sprintf("%v->%v", line.fields["old_requests_per_second"], line.fields["new_requests_per_second"]))
		}
	}
	return out
}

func newTestPacer(ceiling float64, random func() float64) (*pacer, *fakeClock, *recordLogger) {
	clock := &fakeClock{t: epoch}
	logger := &recordLogger{}
	p := newPacer(ceiling, 30*time.Second, logger)
	p.now, p.sleep, p.random = clock.now, clock.sleep, random
	return p, clock, logger
}

func answer(status int, retryAfter string) *http.Response {
	resp := &http.Response{StatusCode: status, Header: http.Header{}}
	if retryAfter != "" {
		resp.Header.Set("Retry-After", retryAfter)
	}
	return resp
}

// answerWithCode is an HTTP 200 answer whose envelope checkRetry decoded.
func answerWithCode(code int64) *http.Response {
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: &decodedBody{env: envelope{Code: &code}}}
}

// succeed has n requests pass the pacer and succeed, one after another.
func succeed(t *testing.T, p *pacer, n int) {
	t.Helper()
	for range n {
		if err := p.wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		p.observe(context.Background(), answer(http.StatusOK, ""))
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestPacerDoesNotPaceUntilTheAPIThrottles(t *testing.T) {
	p, clock, logger := newTestPacer(0, cycle(0.5))
	succeed(t, p, 100)
	p.observe(context.Background(), answer(http.StatusInternalServerError, "")) // a 5xx says nothing about the rate
	succeed(t, p, 1)
	if len(clock.sleeps) != 0 || p.rate != 0 {
		t.Errorf("before any throttled answer: slept %v, rate %v; want no wait at all", clock.sleeps, p.rate)
	}
	if got := logger.rateChanges(); len(got) != 0 {
		t.Errorf("logged rate changes %v", got)
	}
}

// A 429 pauses every request until Retry-After; then the rate is set to 90%
// of what the API let through in that window, counting the requests that
// were in flight when the 429 came.
func TestPacerBacksOffForEveryRequestThenPacesBelowTheMeasuredRate(t *testing.T) {
	for name, throttle := range map[string]*http.Response{
		"HTTP 429":            answer(http.StatusTooManyRequests, "1"),
		"code 4020, HTTP 200": answerWithCode(CodeRateLimited),
		"code 4009, HTTP 200": answerWithCode(CodeOverloaded),
	} {
		t.Run(name, func(t *testing.T) {
			p, clock, logger := newTestPacer(0, cycle(0))
			succeed(t, p, 6)
			clock.advance(10 * time.Millisecond)
			p.observe(context.Background(), throttle)
			throttledAt := clock.t
			// Two requests that were in flight succeed during the pause.
			p.observe(context.Background(), answer(http.StatusOK, ""))
			p.observe(context.Background(), answer(http.StatusOK, ""))

			clock.advance(200 * time.Millisecond)
			if err := p.wait(context.Background()); err != nil {
				t.Fatal(err)
			}
			if waited := clock.t.Sub(throttledAt); waited != time.Second {
				t.Errorf("the next request started %v after the throttled answer, want the pause of 1s", waited)
			}
			if !near(p.rate, 0.9*8) {
				t.Errorf("rate %v, want 90%% of the 8 requests the API let through in the 1 s window", p.rate)
			}
			if got := logger.rateChanges(); len(got) != 1 || got[0] != "unpaced->7.2" {
				t.Errorf("logged %v, want one change unpaced->7.2", got)
			}
			// From now on, one request per interval: the request above took
			// the first one.
			start := clock.t
			succeed(t, p, 3)
			if got, want := clock.t.Sub(start), 3*time.Duration(float64(time.Second)/p.rate); got != want {
				t.Errorf("3 more requests took %v, want 3 intervals of 1/7.2 s (%v)", got, want)
			}
		})
	}
}

func TestPacerLowersTheRateOncePerThrottlingEpisode(t *testing.T) {
	p, clock, logger := newTestPacer(0, cycle(0))
	succeed(t, p, 10)
	for range 5 { // the answers of one burst, all within the pause
		p.observe(context.Background(), answer(http.StatusTooManyRequests, "1"))
		clock.advance(50 * time.Millisecond)
	}
	clock.advance(time.Second)
	succeed(t, p, 1)
	if !near(p.rate, 9) {
		t.Fatalf("rate %v after one episode of 5 throttled answers, want one decrease to 9", p.rate)
	}
	// A new episode, after the pause: another decrease, never above 90% of the rate before.
	clock.advance(5 * time.Second)
	p.observe(context.Background(), answer(http.StatusTooManyRequests, "1"))
	clock.advance(time.Second)
	if err := p.wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !near(p.rate, 0.9) { // nothing succeeded in the window: one request per window, then 90% of it
		t.Errorf("rate %v after a second episode without successes, want 0.9", p.rate)
	}
	if got := logger.rateChanges(); len(got) != 2 || got[0] != "unpaced->9" || got[1] != "9->0.9" {
		t.Errorf("logged %v, want unpaced->9 and 9->0.9", got)
	}
}

// While requests succeed, each round of them (as many as the rate) raises
// the rate by 5% of the rate the decrease set, one logged step at a time.
func TestPacerRecoversStepByStep(t *testing.T) {
	p, clock, logger := newTestPacer(0, cycle(0))
	succeed(t, p, 20)
	p.observe(context.Background(), answer(http.StatusTooManyRequests, "1"))
	clock.advance(time.Second)
	succeed(t, p, 1) // ends the episode (0.9 * 20 = 18), and is the first success of a round
	if !near(p.rate, 18) {
		t.Fatalf("rate %v, want 18", p.rate)
	}
	succeed(t, p, 16) // one short of a round
	if !near(p.rate, 18) {
		t.Fatalf("rate %v before a whole round succeeded, want 18", p.rate)
	}
	succeed(t, p, 1)
	if !near(p.rate, 18.9) {
		t.Fatalf("rate %v after a round, want 18 + 0.9", p.rate)
	}
	succeed(t, p, 19+20+21) // a round is as many successes as the rate, rounded up
	if !near(p.rate, 18+4*0.9) {
		t.Errorf("rate %v after 4 rounds, want 21.6", p.rate)
	}
	want := []string{"unpaced->18", "18->18.9", "18.9->19.8", "19.8->20.7", "20.7->21.6"}
	if got := logger.rateChanges(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("logged %v, want %v", got, want)
	}
	// A failing request (transport error, 5xx) is not a success.
	for range 100 {
		p.observe(context.Background(), nil)
		p.observe(context.Background(), answer(http.StatusBadGateway, ""))
	}
	if !near(p.rate, 21.6) {
		t.Errorf("rate %v after failures, want it unchanged at 21.6", p.rate)
	}
}

// requests_per_second is the ceiling: the measured rate, and every step up,
// stop there.
func TestPacerNeverExceedsTheCeiling(t *testing.T) {
	p, clock, logger := newTestPacer(7.5, cycle(0))
	succeed(t, p, 8)
	p.observe(context.Background(), answer(http.StatusTooManyRequests, "1"))
	clock.advance(time.Second)
	succeed(t, p, 200)
	if !near(p.rate, 7.5) {
		t.Errorf("rate %v, want the ceiling 7.5", p.rate)
	}
	if got := logger.rateChanges(); fmt.Sprint(got) != "[unpaced->7.2 7.2->7.5]" {
		t.Errorf("logged %v, want unpaced->7.2, then one step to the ceiling and no more", got)
	}

	low, clock, _ := newTestPacer(2, cycle(0))
	succeed(t, low, 50)
	low.observe(context.Background(), answer(http.StatusTooManyRequests, "1"))
	clock.advance(time.Second)
	succeed(t, low, 1)
	if !near(low.rate, 2) {
		t.Errorf("rate %v after a throttle with 50 successes in the window, want the ceiling 2", low.rate)
	}
}

// Requests waiting out a pause wake at different times, and paced requests
// start one interval apart plus a random share of it: retries never wake
// together.
func TestPacerJittersEveryWait(t *testing.T) {
	p, clock, _ := newTestPacer(0, cycle(0, 0.25, 0.5, 0.75, 0.99))
	succeed(t, p, 10)
	p.observe(context.Background(), answer(http.StatusTooManyRequests, "2"))
	clock.interrupt = true
	for range 5 { // five requests arrive in the pause at the same instant
		if err := p.wait(context.Background()); !errors.Is(err, context.Canceled) {
			t.Fatalf("wait: %v", err)
		}
	}
	seen := map[time.Duration]bool{}
	for _, d := range clock.sleeps {
		if d < 2*time.Second || d >= 2*time.Second+200*time.Millisecond {
			t.Errorf("a waiter of the 2 s pause slept %v, want within [2s, 2.2s)", d)
		}
		seen[d] = true
	}
	if len(seen) != 5 {
		t.Errorf("5 waiters slept %v: they wake together", clock.sleeps)
	}

	clock.interrupt, clock.sleeps = false, nil
	clock.advance(2 * time.Second)
	var starts []time.Time
	for range 6 {
		if err := p.wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		starts = append(starts, clock.t)
	}
	interval := time.Duration(float64(time.Second) / p.rate)
	gaps := map[time.Duration]bool{}
	for i := 1; i < len(starts); i++ {
		gap := starts[i].Sub(starts[i-1])
		if gap < interval-interval/5 || gap > interval+interval/5 {
			t.Errorf("gap %v between paced requests, want the interval %v ± 20%%", gap, interval)
		}
		gaps[gap] = true
	}
	if len(gaps) < 3 {
		t.Errorf("gaps %v: the waits are not jittered", gaps)
	}
}

func TestPacerWaitEndsWithItsContext(t *testing.T) {
	p := newPacer(0, time.Minute, nil)
	p.observe(context.Background(), answer(http.StatusTooManyRequests, "60"))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := p.wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("wait during a 60 s pause: %v, want the context's deadline", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("wait returned after %v", time.Since(start))
	}
}

// Through the client: an answer with code 4020 (HTTP 200, no Retry-After)
// pauses the retry for the default second and paces what follows; the
// retry's wait is not part of its attempt's timeout.
func TestClientPacesRequestsAfterAThrottledAnswer(t *testing.T) {
	srv := newAPIServer(t, envelopeHandler(200, `{"code":4020,"msg":"rate limited"}`), ok)
	logger := &recordLogger{}
	c := newTestClient(t, srv.URL, func(cfg *Config) {
		cfg.Logger = logger
		cfg.RetryWaitMax = 30 * time.Second
		cfg.RequestTimeout = 100 * time.Millisecond
	})
	clock := &fakeClock{t: epoch}
	c.pacer.now, c.pacer.sleep, c.pacer.random = clock.now, clock.sleep, cycle(0)
	if err := c.UpdateBot(context.Background(), &UpdateBotRequest{BotID: "7342866800001"}); err != nil {
		t.Fatal(err)
	}
	if len(clock.sleeps) != 1 || clock.sleeps[0] != time.Second {
		t.Errorf("the pacer slept %v, want one pause of 1 s before the retry", clock.sleeps)
	}
	// No success in the window: one request per window, 90% of it; the
	// retry's success is a round at that rate.
	if got := logger.rateChanges(); fmt.Sprint(got) != "[unpaced->0.9 0.9->0.945]" {
		t.Errorf("logged %v, want unpaced->0.9, then a step of 5%% to 0.945", got)
	}
	if logger.debug[0].msg != "Coze API throttled: every request waits" || logger.debug[0].fields["pause_ms"] != int64(1000) {
		t.Errorf("first DEBUG line %+v, want the pause of 1000 ms", logger.debug[0])
	}
	if srv.calls.Load() != 2 {
		t.Errorf("%d calls, want 2", srv.calls.Load())
	}
}

// A request that waits in line longer than request_timeout is not timed
// out: the wait comes before the attempt's timeout starts.
func TestPacingWaitIsNotPartOfTheAttemptTimeout(t *testing.T) {
	srv := newAPIServer(t, envelopeHandler(200, `{"code":4020,"msg":"rate limited"}`), ok)
	c := newTestClient(t, srv.URL, func(cfg *Config) {
		cfg.RetryWaitMax = 2 * time.Second
		cfg.RequestTimeout = 100 * time.Millisecond
	})
	start := time.Now()
	if err := c.UpdateBot(context.Background(), &UpdateBotRequest{BotID: "7342866800001"}); err != nil {
		t.Fatalf("the retry after a 1 s pause failed: %v", err)
	}
	if waited := time.Since(start); waited < time.Second {
		t.Errorf("the retry came %v after the throttled answer, want the pause of 1 s", waited)
	}
}

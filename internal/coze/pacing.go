package coze

import (
	"context"
	"math"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Pacing under a rate limit.
//
// Without it, every request that the API throttles (HTTP 429, or codes 4009
// and 4020) backs off on its own: with Terraform's 10 workers, the retries
// wake together after Retry-After, most of them lose the race again, and
// half of all calls are wasted (issue 11: 52 of 102 requests answered 429,
// and a bot that lost the race five times failed the apply).
//
// So one pacer per Client sets the pace of every request of the provider
// process: Terraform starts one provider process per provider configuration
// and command, and that process has one Client, so all of its resources
// share the pacer. It is an AIMD scheme, the one TCP uses for the same
// problem (many senders, one bottleneck, no rate announced in advance):
//
//   - Until the API throttles, requests are not paced at all (only
//     requests_per_second, when set, limits them).
//   - A throttled answer pauses every request until its Retry-After (1 s
//     without one) has passed, and then lowers the rate multiplicatively:
//     to paceDecrease of what the API let through in the Retry-After window
//     before it refused (counting the requests that were still in flight),
//     and never above the rate before. Measuring what got through, rather
//     than halving a guess, lands next to the server's rate in one step. The
//     answers of one throttling episode (until the pause ends) lower the rate
//     once.
//   - Each round of successful requests (as many as the rate, about a second
//     at full use) raises the rate by a fixed step, paceIncrease of the rate
//     the last decrease set, up to requests_per_second. The rate creeps back
//     towards the server's, and finds a limit that was raised.
//
// AIMD was chosen over the alternatives because it needs nothing the API
// does not say: a fixed rate needs the account's limit, which is not
// documented and differs by plan; following Retry-After alone makes every
// waiter wake at the same instant; token-bucket estimation needs the
// server's burst size. Requests start at most one per interval (no burst),
// each wait gets a random share of the interval added (paceJitter), and the
// waiters of a pause wake spread over paceWakeSpread of it: so retries never
// wake together. Each change of rate is logged at DEBUG with the old and
// new rates.
const (
	paceDecrease     = 0.9  // the new rate, as a share of the rate measured before a throttle
	paceIncrease     = 0.05 // the additive step per round, as a share of the rate the last decrease set
	paceJitter       = 0.2  // random extra wait, as a share of the interval between requests
	paceWakeSpread   = 0.1  // waiters of a pause wake within this share of the pause after it
	paceDefaultPause = time.Second
	paceMinWindow    = time.Millisecond
	// paceSuccessLog bounds the completion times kept to measure a rate:
	// enough for any rate a Coze account allows over a 30 s window.
	paceSuccessLog = 4096
)

// throttling is one throttling episode, from the first throttled answer to
// the end of the pause.
type throttling struct {
	at     time.Time
	window time.Duration // the Retry-After window over which the allowed rate is measured
}

type pacer struct {
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
	random func() float64 // in [0, 1)
	logger Logger

	ceiling  float64       // requests_per_second; 0: none
	maxPause time.Duration // RetryWaitMax: no pause is longer

	mu          sync.Mutex
	rate        float64   // requests per second; 0: not paced (never throttled)
	step        float64   // the additive increase per round
	round       int       // successes since the last step
	next        time.Time // the earliest start of the next request
	pausedUntil time.Time
	episode     *throttling // set from a throttled answer until the pause ends
	successes   []time.Time // completion times of recent successful answers, oldest first
}

// rateChange is one change of the pacer's rate, for the DEBUG log.
type rateChange struct {
	reason   string
	old, new float64
}

func newPacer(ceiling float64, maxPause time.Duration, logger Logger) *pacer {
	return &pacer{
		now: time.Now, sleep: sleepContext, random: rand.Float64, logger: logger,
		ceiling: max(ceiling, 0), maxPause: maxPause,
	}
}

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// beforeAttempt is the client's RequestLogHook: it counts the attempt and
// waits for its turn. It runs before the attempt's own timeout starts, so a
// long wait in line never times a request out; if ctx ends meanwhile, it
// returns at once and the attempt fails with ctx's error.
func (p *pacer) beforeAttempt(logger retryablehttp.Logger, req *http.Request, attempt int) {
	countAttempt(logger, req, attempt)
	_ = p.wait(req.Context())
}

// wait blocks until the next request may start.
func (p *pacer) wait(ctx context.Context) error {
	for {
		p.mu.Lock()
		now := p.now()
		if now.Before(p.pausedUntil) {
			pause := p.pausedUntil.Sub(now)
			spread := time.Duration(p.random() * paceWakeSpread * float64(p.pausedUntil.Sub(p.episodeStart(now))))
			p.mu.Unlock()
			if err := p.sleep(ctx, pause+spread); err != nil {
				return err
			}
			continue
		}
		change := p.endEpisode(now)
		if p.rate <= 0 {
			p.mu.Unlock()
			p.log(ctx, change)
			return nil
		}
		interval := time.Duration(float64(time.Second) / p.rate)
		start := p.next
		if start.Before(now) {
			start = now
		}
		p.next = start.Add(interval)
		wait := start.Sub(now) + time.Duration(p.random()*paceJitter*float64(interval))
		p.mu.Unlock()
		p.log(ctx, change)
		if wait <= 0 {
			return nil
		}
		if err := p.sleep(ctx, wait); err != nil {
			return err
		}
		p.mu.Lock()
		paused := p.now().Before(p.pausedUntil)
		p.mu.Unlock()
		if !paused { // a throttle during the wait pauses this request too
			return nil
		}
	}
}

func (p *pacer) episodeStart(now time.Time) time.Time {
	if p.episode != nil {
		return p.episode.at
	}
	return now
}

// endEpisode applies the decrease of a throttling episode whose pause is
// over: the requests in flight when it began have finished meanwhile, so
// the successes in its window are what the API let through. The caller
// holds p.mu.
func (p *pacer) endEpisode(now time.Time) *rateChange {
	e := p.episode
	if e == nil {
		return nil
	}
	p.episode = nil
	from := e.at.Add(-e.window)
	allowed := 0
	for _, t := range p.successes {
		if !t.Before(from) {
			allowed++
		}
	}
	measured := float64(max(allowed, 1)) / e.window.Seconds()
	old := p.rate
	rate := paceDecrease * measured
	if old > 0 {
		rate = min(rate, paceDecrease*old)
	}
	if p.ceiling > 0 {
		rate = min(rate, p.ceiling)
	}
	p.rate, p.step, p.round = rate, paceIncrease*rate, 0
	p.next = now
	return &rateChange{reason: "throttled", old: old, new: rate}
}

// observe is told every answer: throttled ones start or extend a throttling
// episode; other answers (2xx, 4xx) count as successes. Transport errors and
// 5xx say nothing about the rate.
func (p *pacer) observe(ctx context.Context, resp *http.Response) {
	if resp == nil {
		return
	}
	if throttledAnswer(resp) {
		if pause, started := p.throttled(resp.Header.Get("Retry-After")); started && p.logger != nil {
			p.logger.Debug(ctx, "Coze API throttled: every request waits", map[string]any{
				"http_status": resp.StatusCode, "pause_ms": pause.Milliseconds(),
			})
		}
		return
	}
	if resp.StatusCode < http.StatusInternalServerError {
		p.log(ctx, p.succeeded())
	}
}

// throttledAnswer is HTTP 429, or code 4009 or 4020 in an answer that
// checkRetry decoded (the API may send them with HTTP 200).
func throttledAnswer(resp *http.Response) bool {
	if resp.StatusCode == http.StatusTooManyRequests {
		return true
	}
	if body, ok := resp.Body.(*decodedBody); ok && body.decodeErr == nil && body.env.Code != nil {
		return *body.env.Code == CodeOverloaded || *body.env.Code == CodeRateLimited
	}
	return false
}

// throttled starts a throttling episode, or extends the pause of the one
// under way; it returns the pause, and whether the episode is new.
func (p *pacer) throttled(retryAfterHeader string) (time.Duration, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	pause, given := retryAfter(retryAfterHeader, now)
	if !given {
		pause = paceDefaultPause
	}
	pause = min(pause, p.maxPause)
	if until := now.Add(pause); until.After(p.pausedUntil) {
		p.pausedUntil = until
	}
	if p.episode != nil {
		return pause, false
	}
	p.episode = &throttling{at: now, window: max(pause, paceMinWindow)}
	return pause, true
}

func (p *pacer) succeeded() *rateChange {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if len(p.successes) == paceSuccessLog { // drop the older half: amortized O(1)
		p.successes = append(p.successes[:0], p.successes[paceSuccessLog/2:]...)
	}
	p.successes = append(p.successes, now)
	if p.rate <= 0 || p.episode != nil {
		return nil
	}
	p.round++
	if float64(p.round) < math.Max(1, p.rate) {
		return nil
	}
	p.round = 0
	old := p.rate
	p.rate += p.step
	if p.ceiling > 0 {
		p.rate = min(p.rate, p.ceiling)
	}
	if p.rate == old {
		return nil
	}
	return &rateChange{reason: "requests succeed", old: old, new: p.rate}
}

// checkRetry is the client's CheckRetry: checkRetry, and the answer told to
// the pacer.
func (p *pacer) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	retry, policyErr := checkRetry(ctx, resp, err)
	p.observe(ctx, resp)
	return retry, policyErr
}

func (p *pacer) log(ctx context.Context, change *rateChange) {
	if change == nil || p.logger == nil {
		return
	}
	p.logger.Debug(ctx, "Coze API request rate changed", map[string]any{
		"reason":                  change.reason,
		"old_requests_per_second": rateField(change.old),
		"new_requests_per_second": rateField(change.new),
	})
}

// rateField shows a rate for the log: 0 is "not paced".
func rateField(rate float64) any {
	if rate <= 0 {
		return "unpaced"
	}
	return math.Round(rate*1000) / 1000
}

// Package coze is a thin typed client for the parts of the Coze OpenAPI that
// the Terraform provider uses. It knows nothing of Terraform.
package coze

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/time/rate"
)

// Sites of the Coze OpenAPI. A token only works on the site that issued it.
const (
	BaseURLChina         = "https://api.coze.cn"
	BaseURLInternational = "https://api.coze.com"
)

// Defaults for Config fields left at zero.
const (
	DefaultRequestTimeout = 30 * time.Second
	DefaultMaxRetries     = 4
	DefaultRetryWaitMin   = 1 * time.Second
	DefaultRetryWaitMax   = 30 * time.Second
)

// Coze response codes that the client and its callers act on.
const (
	CodeBadParameter       = 4000
	CodeInvalidBot         = 4006
	CodeDailyLimit         = 4008
	CodeOverloaded         = 4009
	CodeNotPublishedToAPI  = 4015
	CodeRateLimited        = 4020
	CodeAuthInvalid        = 4100
	CodePermissionDenied   = 4101
	CodeSensitiveContent   = 4105
	CodeNotFound           = 4200
	CodeInternalError      = 5000
	maxErrorBodySnippetLen = 200
)

// Logger receives one DEBUG line per request and TRACE lines with bodies.
// The client never passes the token or the Authorization header to it.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Trace(ctx context.Context, msg string, fields map[string]any)
}

// Config configures a Client. BaseURL is required, and either Token or OAuthJWT.
type Config struct {
	BaseURL string
	Token   string
	// OAuthJWT authenticates as a service app instead of with Token (oauth.go).
	OAuthJWT  *JWTApp
	UserAgent string
	// RequestTimeout bounds each attempt; the caller's context bounds the whole call.
	RequestTimeout time.Duration
	// MaxRetries is the number of retries after the first attempt; negative disables retries.
	MaxRetries   int
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration
	// RequestsPerSecond limits the request rate of this client (and so of every
	// resource sharing it); 0 means unlimited. It is also the ceiling of the
	// adaptive pace that the client keeps under the API's rate limit (pacing.go).
	RequestsPerSecond float64
	// MaxResponseBytes is the most read of one response; 0 means DefaultMaxResponseBytes.
	MaxResponseBytes int64
	// Transport overrides the HTTP transport (tests); nil uses a pooled transport.
	Transport http.RoundTripper
	Logger    Logger
}

// Client calls the Coze OpenAPI. It is safe for concurrent use; one Client
// (one connection pool, one rate limiter) serves every resource of a provider.
type Client struct {
	baseURL   *url.URL
	tokens    TokenSource // the bearer token of each call (oauth.go)
	userAgent string
	// http is the only way out: every request goes through its http.Client,
	// which follows no redirect and reads at most MaxResponseBytes of an
	// answer (see bounds.go). A new kind of request must be sent through it.
	http   *retryablehttp.Client
	logger Logger
	pacer  *pacer // see pacing.go
	// secrets are what redact removes from error texts (redact.go).
	secrets *secretSet
}

// NewClient checks cfg and builds a Client.
func NewClient(cfg Config) (*Client, error) {
	base, err := CheckBaseURL(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil {
		return nil, fmt.Errorf("coze: the base URL %w", err)
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = DefaultMaxRetries
	} else if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
	}
	if cfg.RetryWaitMin <= 0 {
		cfg.RetryWaitMin = DefaultRetryWaitMin
	}
	if cfg.RetryWaitMax <= 0 {
		cfg.RetryWaitMax = DefaultRetryWaitMax
	}
	transport := cfg.Transport
	if transport == nil {
		transport = newPooledTransport()
	}
	if cfg.RequestsPerSecond > 0 {
		burst := max(1, int(cfg.RequestsPerSecond))
		transport = &rateLimitedTransport{next: transport, limiter: rate.NewLimiter(rate.Limit(cfg.RequestsPerSecond), burst)}
	}
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = DefaultMaxResponseBytes
	}
	transport = &boundedTransport{next: transport, limit: cfg.MaxResponseBytes}

	rc := retryablehttp.NewClient()
	rc.HTTPClient = &http.Client{Transport: transport, Timeout: cfg.RequestTimeout, CheckRedirect: refuseRedirect}
	rc.Logger = nil
	rc.RetryMax = cfg.MaxRetries
	rc.RetryWaitMin = cfg.RetryWaitMin
	rc.RetryWaitMax = cfg.RetryWaitMax
	pacer := newPacer(cfg.RequestsPerSecond, cfg.RetryWaitMax, cfg.Logger)
	rc.CheckRetry = pacer.checkRetry
	rc.Backoff = backoff
	rc.RequestLogHook = pacer.beforeAttempt
	rc.ErrorHandler = giveUp
	rc.PrepareRetry = prepareRetry

	c := &Client{
		baseURL:   base,
		userAgent: cfg.UserAgent,
		http:      rc,
		logger:    cfg.Logger,
		pacer:     pacer,
		secrets:   &secretSet{},
	}
	if c.tokens, err = newTokenSource(c, cfg); err != nil {
		return nil, err
	}
	return c, nil
}

// BaseURL is the site this client talks to, for error hints.
func (c *Client) BaseURL() string { return c.baseURL.String() }

type envelope struct {
	Code   *int64          `json:"code"`
	Msg    string          `json:"msg"`
	Data   json.RawMessage `json:"data"`
	Detail struct {
		LogID string `json:"logid"`
	} `json:"detail"`
}

type attemptsKey struct{}

// request is one API call: do, send and sendAs take it whole.
type request struct {
	op     string // what the call does, for errors and logs: "update bot 7342866800001"
	method string
	path   string
	query  url.Values
	// body is, for do, a value sent as JSON (nil: no body); for send, what
	// retryablehttp can rewind ([]byte or a ReaderFunc), of contentType.
	body        any
	contentType string
	logBody     string // what TRACE logs show of body (send)
	// out receives the answer's data when not nil.
	out    any
	header http.Header // more request headers
	// payloadBesideCode: the response carries its payload next to code and
	// msg (the /open_api/knowledge/document/* endpoints), not under data:
	// out is decoded from the whole response body.
	payloadBesideCode bool
}

// do sends one JSON API call, with retries, and decodes data into r.out (if not nil).
func (c *Client) do(ctx context.Context, r request) error {
	if r.body != nil {
		payload, err := json.Marshal(r.body)
		if err != nil {
			return fmt.Errorf("%s: encoding request: %w", r.op, err)
		}
		r.body, r.contentType, r.logBody = payload, "application/json", string(payload)
	}
	return c.send(ctx, r)
}

// sendAs sends one API call as token (see send in oauth.go) with any body
// retryablehttp can rewind ([]byte or a ReaderFunc); r.logBody is what TRACE
// logs show of it.
func (c *Client) sendAs(ctx context.Context, token string, r request) error {
	op, method, path := r.op, r.method, r.path
	endpoint := c.baseURL.JoinPath(path)
	endpoint.RawQuery = r.query.Encode()

	attempts := new(atomic.Int64)
	ctx = context.WithValue(ctx, attemptsKey{}, attempts)
	if isCreate(method, path) {
		ctx = context.WithValue(ctx, createKey{}, true)
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, method, endpoint.String(), r.body)
	if err != nil {
		return fmt.Errorf("%s: building request: %w", op, err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	for key, values := range r.header {
		req.Header[key] = slices.Clone(values)
	}

	start := time.Now()
	c.trace(ctx, "Coze API request body", map[string]any{"method": method, "path": path, "body": r.logBody})
	resp, err := c.http.Do(req)
	if err != nil {
		c.debug(ctx, "Coze API request failed", map[string]any{
			"method": method, "path": path, "attempts": attempts.Load(), "duration_ms": time.Since(start).Milliseconds(), "error": err.Error(),
		})
		if ctxErr := ctx.Err(); ctxErr != nil {
			return fmt.Errorf("%s: %w (after %d attempts)", op, ctxErr, attempts.Load())
		}
		if redirect := (*RedirectError)(nil); errors.As(err, &redirect) {
			return fmt.Errorf("%s: %w", op, redirect) // without the wrappers that repeat the target URL
		}
		return fmt.Errorf("%s: %w", op, err)
	}
	defer resp.Body.Close()
	decoded, alreadyDecoded := resp.Body.(*decodedBody) // by checkRetry, for a 2xx response
	if alreadyDecoded && decoded.readErr != nil {
		return fmt.Errorf("%s: reading response (HTTP %d): %w", op, resp.StatusCode, decoded.readErr)
	}
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%s: reading response (HTTP %d): %w", op, resp.StatusCode, err)
	}

	fields := map[string]any{
		"method": method, "path": path, "http_status": resp.StatusCode,
		"attempts": attempts.Load(), "duration_ms": time.Since(start).Milliseconds(),
	}
	if !alreadyDecoded {
		decoded = &decodedBody{}
		decoded.env, decoded.decodeErr = decodeEnvelope(raw)
	}
	dataOut := r.out
	if r.payloadBesideCode {
		dataOut = nil
	}
	err = parseEnvelope(op, resp.StatusCode, resp.Header.Get("X-Tt-Logid"), raw, decoded.env, decoded.decodeErr, dataOut, fields)
	if err == nil && r.payloadBesideCode && r.out != nil {
		if err = json.Unmarshal(raw, r.out); err != nil {
			err = fmt.Errorf("%s: decoding response (logid %s): %w", op, fields["logid"], err)
		}
	}
	c.debug(ctx, "Coze API response", fields)
	c.trace(ctx, "Coze API response body", map[string]any{"method": method, "path": path, "body": string(raw)})
	if apiErr, ok := AsAPIError(err); ok {
		apiErr.Attempts, apiErr.Path = int(attempts.Load()), path
		if apiErr.BodySnippet != "" { // redacted before it is cut: a cut secret would no longer match
			apiErr.BodySnippet = snippet([]byte(c.redact(string(raw))))
		}
	}
	return err
}

// parseResponse turns a raw response into an error or decoded data. It must
// cope with any input (it is fuzzed): a proxy's HTML page, truncated JSON, an
// envelope without code.
func parseResponse(op string, status int, headerLogID string, raw []byte, out any, fields map[string]any) error {
	env, decodeErr := decodeEnvelope(raw)
	return parseEnvelope(op, status, headerLogID, raw, env, decodeErr, out, fields)
}

// parseEnvelope is parseResponse once raw is decoded into env (or failed to).
func parseEnvelope(op string, status int, headerLogID string, raw []byte, env envelope, decodeErr error, out any, fields map[string]any) error {
	apiErr := &APIError{Operation: op, HTTPStatus: status, LogID: headerLogID}
	if env.Detail.LogID != "" {
		apiErr.LogID = env.Detail.LogID
	}
	if fields != nil {
		fields["logid"] = apiErr.LogID
		if env.Code != nil {
			fields["code"] = *env.Code
		}
	}
	var tooDeep *ResponseTooDeepError
	var absurd *ResponseNumberError
	switch {
	case errors.As(decodeErr, &tooDeep):
		return fmt.Errorf("%s: reading response (HTTP %d%s): %w", op, status, logIDSuffix(apiErr.LogID), tooDeep)
	case errors.As(decodeErr, &absurd):
		return fmt.Errorf("%s: reading response (HTTP %d%s): %w", op, status, logIDSuffix(apiErr.LogID), absurd)
	case decodeErr != nil || env.Code == nil:
		apiErr.Code = -1
		apiErr.Msg = "response is not a Coze API envelope"
		apiErr.BodySnippet = snippet(raw)
		return apiErr
	case *env.Code != 0 || status < 200 || status > 299:
		apiErr.Code = *env.Code
		apiErr.Msg = env.Msg
		return apiErr
	}
	if out != nil && len(env.Data) > 0 && string(env.Data) != "null" {
		if err := json.Unmarshal(env.Data, out); err != nil {
			return fmt.Errorf("%s: decoding response data (logid %s): %w", op, apiErr.LogID, err)
		}
	}
	return nil
}

func logIDSuffix(logID string) string {
	if logID == "" {
		return ""
	}
	return ", logid " + logID
}

func (c *Client) debug(ctx context.Context, msg string, fields map[string]any) {
	if c.logger != nil {
		c.logger.Debug(ctx, msg, fields)
	}
}

func (c *Client) trace(ctx context.Context, msg string, fields map[string]any) {
	if c.logger != nil {
		c.logger.Trace(ctx, msg, fields)
	}
}

func snippet(raw []byte) string {
	s := strings.ToValidUTF8(string(raw), "?")
	if r := []rune(s); len(r) > maxErrorBodySnippetLen {
		s = string(r[:maxErrorBodySnippetLen]) + "..."
	}
	return strings.TrimSpace(s)
}

// retryableCodes are Coze codes that mean "try again later". 4008 (daily
// limit) is not among them: it does not clear within a Terraform run.
var retryableCodes = map[int64]bool{CodeOverloaded: true, CodeRateLimited: true, CodeInternalError: true}

// checkRetry is retryPolicy, except that a create (isCreate) is sent again
// only when the failed attempt certainly did not reach the API (resendable):
// after a timeout, a cut connection, a 5xx or an unreadable answer, the
// first attempt may have created the object, and a second one would create
// another, which for a bot or a workspace no API can delete.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	retry, policyErr := retryPolicy(ctx, resp, err)
	if retry && ctx.Value(createKey{}) != nil && !resendable(resp, err) {
		return false, nil // send reports err, or reads resp as the answer
	}
	return retry, policyErr
}

// retryPolicy extends retryablehttp's default policy (transport errors, 429,
// 5xx) with the Coze codes that mean "try later", which come with HTTP 200.
func retryPolicy(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if redirect := (*RedirectError)(nil); errors.As(err, &redirect) {
		return false, err // the server's answer, not a transient failure: never repeat the request
	}
	retry, policyErr := retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	if retry || policyErr != nil || resp == nil {
		return retry, policyErr
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return false, nil
	}
	raw, readErr := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if readErr != nil {
		// send reports the failure; a body cut off in transit is worth
		// another attempt, one too large or corrupt is not.
		resp.Body = &decodedBody{Reader: bytes.NewReader(nil), readErr: readErr}
		return retryableReadError(readErr), nil //nolint:nilerr // send reports readErr
	}
	body := &decodedBody{Reader: bytes.NewReader(raw)}
	body.env, body.decodeErr = decodeEnvelope(raw)
	resp.Body = body
	if body.decodeErr == nil && body.env.Code != nil && retryableCodes[*body.env.Code] {
		return true, nil
	}
	return false, nil
}

// createKey marks, in a request's context, a call that creates an object.
type createKey struct{}

// createEndpoints are the calls that create an object, each a new one when
// sent again (method and path).
var createEndpoints = map[string]bool{
	"POST /v1/bot/create":                      true,
	"POST /v1/workspaces":                      true,
	"POST /v1/datasets":                        true,
	"POST /open_api/knowledge/document/create": true,
}

func isCreate(method, path string) bool { return createEndpoints[method+" "+path] }

// resendable reports whether a failed attempt certainly did not reach the
// API, so that sending it again cannot create a second object: the
// connection was never made (a dial error: connection refused, no such
// host), or the API refused it for the rate before doing anything (HTTP 429,
// codes 4009 and 4020). Go's transport itself sends again a request that
// was never written on a reused connection.
func resendable(resp *http.Response, err error) bool {
	if err != nil {
		var opErr *net.OpError
		var dnsErr *net.DNSError
		return errors.As(err, &dnsErr) || errors.As(err, &opErr) && (opErr.Op == "dial" || opErr.Op == "proxyconnect")
	}
	return resp != nil && throttledAnswer(resp)
}

// uncertainCreate wraps the error of a create that the API may have carried
// out (UncertainCreateError); an answer that certainly refused it is
// returned as it is.
func uncertainCreate(op string, err error) error {
	if err == nil || certainlyNotCreated(err) {
		return err
	}
	return &UncertainCreateError{Operation: op, Err: err}
}

// certainlyNotCreated reports whether a create's error says that nothing
// was created: the API answered with a code of its own that refuses the
// call (not 5000, its internal error, and not with HTTP 5xx), it was
// throttled, or the connection was never made. A redirect is the answer of
// something other than the API, which never redirects.
func certainlyNotCreated(err error) bool {
	var redirect *RedirectError
	if errors.As(err, &redirect) {
		return true
	}
	if apiErr, ok := AsAPIError(err); ok {
		switch {
		case apiErr.HTTPStatus == http.StatusTooManyRequests, apiErr.Code == CodeOverloaded, apiErr.Code == CodeRateLimited:
			return true
		case apiErr.Code > 0 && apiErr.Code != CodeInternalError && apiErr.HTTPStatus < 500:
			return true
		}
		return false
	}
	return resendable(nil, err)
}

// decodedBody is a response body that checkRetry has read and decoded, so
// that send does not decode the envelope a second time.
type decodedBody struct {
	*bytes.Reader
	env       envelope
	decodeErr error
	readErr   error // reading the body failed: there is nothing to decode
}

func (*decodedBody) Close() error { return nil }

// backoff honours Retry-After (seconds or HTTP date) when the server sends
// it, and otherwise waits exponentially longer with full jitter.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if wait, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return min(wait, maxWait)
		}
	}
	ceiling := minWait << min(attempt, 16)
	if ceiling <= 0 || ceiling > maxWait {
		ceiling = maxWait
	}
	return minWait/2 + rand.N(ceiling-minWait/2+1)
}

func retryAfter(header string, now time.Time) (time.Duration, bool) {
	header = strings.TrimSpace(header)
	if header == "" {
		return 0, false
	}
	if seconds, err := strconv.Atoi(header); err == nil {
		return max(0, time.Duration(seconds)*time.Second), true
	}
	if at, err := http.ParseTime(header); err == nil {
		return max(0, at.Sub(now)), true
	}
	return 0, false
}

func countAttempt(_ retryablehttp.Logger, req *http.Request, _ int) {
	if counter, ok := req.Context().Value(attemptsKey{}).(*atomic.Int64); ok {
		counter.Add(1)
	}
}

// giveUp runs when retries are exhausted: hand back the last response so the
// caller reports its code, msg and logid, or the transport error.
func giveUp(resp *http.Response, err error, numTries int) (*http.Response, error) {
	if err != nil {
		if resp != nil {
			_ = resp.Body.Close()
		}
		return nil, fmt.Errorf("giving up after %d attempts: %w", numTries, err)
	}
	return resp, nil
}

type rateLimitedTransport struct {
	next    http.RoundTripper
	limiter *rate.Limiter
}

func (t *rateLimitedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := t.limiter.Wait(req.Context()); err != nil {
		return nil, fmt.Errorf("waiting for the client rate limit: %w", err)
	}
	return t.next.RoundTrip(req)
}

// newPooledTransport keeps connections alive and reuses them across the
// requests of all resources.
func newPooledTransport() *http.Transport {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: 1 * time.Second,
	}
}

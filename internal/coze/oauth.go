package coze

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/sync/singleflight"
)

// Authentication. The client asks a TokenSource for the bearer token of
// every call: a personal access token is one fixed token; a service app
// (Coze's OAuth JWT flow, docs.coze.cn/developer_guides/oauth_jwt) signs a
// JWT with its private key and exchanges it for an access token that lasts
// at most 24 hours, shared by every call of the client and exchanged again
// before it expires.

// TokenSource gives the bearer token of each API call.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
}

// renewableTokenSource is a TokenSource whose token the API may refuse
// before the client expected (revoked, or expired early), and which can get
// another.
type renewableTokenSource interface {
	TokenSource
	// Renew returns a token other than rejected: the one another call
	// already got, or a new one.
	Renew(ctx context.Context, rejected string) (string, error)
}

// SecretMasker is implemented by a Logger that masks secrets in what it
// logs. The client hands it every JWT and access token it makes or gets,
// before that secret is sent anywhere, so that the logger can mask it even
// if an answer echoes it.
type SecretMasker interface {
	MaskSecret(secret string)
}

type staticToken string

func (t staticToken) Token(context.Context) (string, error) { return string(t), nil }

// Bounds of a service app's access token (duration_seconds of the token API:
// whole seconds, "default 900 seconds, at most 86399"; the doc gives no
// minimum). The provider asks for an hour unless told otherwise.
const (
	DefaultTokenDuration = time.Hour
	MaxTokenDuration     = 86399 * time.Second // "at most 86399 seconds (24 hours)"
)

// jwtLifetime is how long a signed JWT is valid (its exp); it is used once,
// at once. Coze's own example signs for 600 seconds.
const jwtLifetime = 10 * time.Minute

// The token API (POST), and its form for an organization of an enterprise.
const (
	tokenPath        = "/api/permission/oauth2/token"
	accountTokenPath = "/api/permission/oauth2/account/%s/token"
	jwtGrantType     = "urn:ietf:params:oauth:grant-type:jwt-bearer"
)

// JWTApp is a Coze OAuth service app (客户端类型 "服务类应用") authorized in the
// Coze console, which authenticates as itself with JWTs.
type JWTApp struct {
	// ClientID is the app's id: the JWT's iss.
	ClientID string
	// PublicKeyID is the fingerprint of the app's public key: the JWT's kid.
	PublicKeyID string
	PrivateKey  *rsa.PrivateKey
	// AccountID, when set, asks for a token in this organization of an
	// enterprise (POST /api/permission/oauth2/account/{account_id}/token).
	AccountID string
	// TokenDuration is the lifetime asked for each access token; 0 means
	// DefaultTokenDuration. The server's answer decides.
	TokenDuration time.Duration
}

// TokenPath is the path of the token API this app exchanges its JWTs at.
func (a *JWTApp) TokenPath() string {
	if a.AccountID != "" {
		return fmt.Sprintf(accountTokenPath, url.PathEscape(a.AccountID))
	}
	return tokenPath
}

// CheckTokenDuration checks a token duration. Its error completes a sentence
// that names the setting.
func CheckTokenDuration(d time.Duration) error {
	if d < time.Second || d > MaxTokenDuration || d%time.Second != 0 {
		return fmt.Errorf("must be a whole number of seconds above 0, at most %s (86399 seconds, the most Coze issues), got: %s",
			MaxTokenDuration, d)
	}
	return nil
}

// CheckAccountID checks an organization id: Coze's ids are decimal. Its
// error completes a sentence that names the setting.
func CheckAccountID(id string) error {
	if id == "" || strings.Trim(id, "0123456789") != "" {
		return fmt.Errorf("must be the decimal id of the organization (组织 ID, shown on the organization settings page), got: %q", id)
	}
	return nil
}

// ParsePrivateKey reads a service app's private key: an unencrypted RSA key
// in PEM, PKCS#8 ("BEGIN PRIVATE KEY", the private_key.pem Coze downloads) or
// PKCS#1 ("BEGIN RSA PRIVATE KEY"). Literal "\n" sequences, as some CI
// systems store a multi-line secret, are read as newlines. The error never
// contains the key, and completes a sentence that names the setting.
func ParsePrivateKey(text string) (*rsa.PrivateKey, error) {
	text = strings.TrimSpace(text)
	if !strings.Contains(text, "\n") && strings.Contains(text, `\n`) {
		text = strings.ReplaceAll(text, `\n`, "\n")
	}
	const notShown = " (the key is not shown)"
	block, _ := pem.Decode([]byte(text))
	if block == nil {
		return nil, errors.New("is not a PEM-encoded private key: want the text of the private_key.pem file Coze downloaded when the " +
			"key pair was created, from -----BEGIN PRIVATE KEY----- to -----END PRIVATE KEY-----" + notShown)
	}
	switch {
	case block.Type == "ENCRYPTED PRIVATE KEY" || block.Headers["Proc-Type"] != "":
		return nil, errors.New("is an encrypted private key: give the unencrypted key that Coze downloaded (private_key.pem)" + notShown)
	case strings.Contains(block.Type, "PUBLIC KEY") || block.Type == "CERTIFICATE":
		return nil, fmt.Errorf("holds a %s, not a private key: give the private key (private_key.pem); the public key stays in Coze", block.Type)
	case block.Type != "PRIVATE KEY" && block.Type != "RSA PRIVATE KEY":
		return nil, fmt.Errorf("holds a PEM block of type %q: want an RSA private key, PKCS#8 (BEGIN PRIVATE KEY) or PKCS#1 "+
			"(BEGIN RSA PRIVATE KEY)%s", block.Type, notShown)
	}
	key, err := jwt.ParseRSAPrivateKeyFromPEM(pem.EncodeToMemory(block))
	switch {
	case errors.Is(err, jwt.ErrNotRSAPrivateKey):
		return nil, errors.New("is not an RSA key: Coze service apps sign with RS256, which needs the RSA key Coze created" + notShown)
	case err != nil:
		// The parser's own error is not shown: it is about the key's bytes.
		return nil, errors.New("does not parse as a PKCS#8 or PKCS#1 RSA private key: the PEM text is damaged or incomplete" + notShown)
	case key.N.BitLen() < 2048:
		return nil, fmt.Errorf("is a %d-bit RSA key: Coze's keys have 2048 bits or more%s", key.N.BitLen(), notShown)
	}
	return key, nil
}

// TokenExchangeError is a failed exchange of a service app's JWT for an
// access token. The token API answers OAuth errors (error_code and
// error_message) rather than the API's envelope.
type TokenExchangeError struct {
	Path       string
	HTTPStatus int
	// ErrorCode is the answer's error_code (invalid_client, invalid_request,
	// unsupported_grant_type, access_deny, internal_error), or its envelope
	// code as text when it answered one.
	ErrorCode    string
	ErrorMessage string
	LogID        string
	Attempts     int
	BodySnippet  string // an answer that is neither
	// What the JWT claimed, for the hint: none of it is secret.
	ClientID, PublicKeyID, Audience string
	Err                             error // reading the answer failed, or an unusable token
}

func (e *TokenExchangeError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "exchanging the service app's JWT for an access token (POST %s): ", e.Path)
	switch {
	case e.Err != nil:
		fmt.Fprintf(&b, "%v", e.Err)
	case e.ErrorCode != "":
		fmt.Fprintf(&b, "error_code %s (HTTP %d)", e.ErrorCode, e.HTTPStatus)
		if e.ErrorMessage != "" {
			fmt.Fprintf(&b, ": %s", e.ErrorMessage)
		}
	default:
		fmt.Fprintf(&b, "unexpected answer (HTTP %d): %q", e.HTTPStatus, e.BodySnippet)
	}
	if e.LogID != "" {
		fmt.Fprintf(&b, " [logid %s]", e.LogID)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	return b.String()
}

func (e *TokenExchangeError) Unwrap() error { return e.Err }

// RenewedTokenRefusedError is an API call refused (HTTP 401 or code 4100)
// with a service app's access token, then refused again with a token
// exchanged anew: the app's authorization may have been revoked.
type RenewedTokenRefusedError struct {
	Err *APIError
}

func (e *RenewedTokenRefusedError) Error() string {
	return e.Err.Error() + ": the API refused the service app's access token, and refused the token exchanged anew too: " +
		"the app's authorization may have been revoked"
}

func (e *RenewedTokenRefusedError) Unwrap() error { return e.Err }

// send sends one API call with the token source's token. When the API
// refuses a service app's token (HTTP 401 or code 4100), the token is
// renewed once and the call sent once more: a token can be refused before
// its expires_in (revoked, or expired on a server whose clock runs ahead),
// and the call was refused before it did anything.
//
// Every error it returns is redacted (redact.go): no secret the client
// knows, and no bearer token, is in its text. A create's failure that may
// have created the object is an *UncertainCreateError.
func (c *Client) send(ctx context.Context, r request) error {
	token, err := c.tokens.Token(ctx)
	if err != nil {
		return c.redactError(fmt.Errorf("%s: %w", r.op, err))
	}
	err = c.sendAs(ctx, token, r)
	renewable, ok := c.tokens.(renewableTokenSource)
	if !ok || !tokenRefused(err) {
		return c.redactError(c.createOutcome(r, err))
	}
	c.debug(ctx, "Coze API refused the service app's access token: renewing it and sending the call once more",
		map[string]any{"method": r.method, "path": r.path})
	if token, err = renewable.Renew(ctx, token); err != nil {
		return c.redactError(fmt.Errorf("%s: %w", r.op, err))
	}
	err = c.sendAs(ctx, token, r)
	if apiErr, refused := AsAPIError(err); refused && tokenRefused(err) {
		return c.redactError(&RenewedTokenRefusedError{Err: apiErr})
	}
	return c.redactError(c.createOutcome(r, err))
}

// createOutcome marks the failure of a create that may have created the
// object (uncertainCreate); other calls' errors pass unchanged.
func (c *Client) createOutcome(r request, err error) error {
	if err == nil || !isCreate(r.method, r.path) {
		return err
	}
	return uncertainCreate(r.op, err)
}

func tokenRefused(err error) bool {
	apiErr, ok := AsAPIError(err)
	return ok && (apiErr.Code == CodeAuthInvalid || apiErr.HTTPStatus == http.StatusUnauthorized)
}

// jwtTokenSource is a service app's access token, shared by every call of
// one client: concurrent calls that need a new token wait for one exchange.
type jwtTokenSource struct {
	client   *Client
	app      JWTApp
	audience string // the JWT's aud: the API host of base_url
	// exchangeTimeout bounds one exchange with its retries: it runs on
	// after the call that started it gives up, for the calls waiting on it.
	exchangeTimeout time.Duration

	group singleflight.Group
	mu    sync.Mutex
	token string
	renew time.Time // when to exchange a new token, before the server's expires_in
	now   func() time.Time
}

// AuthenticatesAsServiceApp reports whether the client calls the API as a
// service app (OAuth JWT) rather than with a personal access token. Coze's
// docs do not say whose workspaces such a token lists, so callers that
// trust the workspace list to show what the token created must not then.
func (c *Client) AuthenticatesAsServiceApp() bool {
	_, ok := c.tokens.(*jwtTokenSource)
	return ok
}

func newJWTTokenSource(c *Client, app JWTApp, cfg Config) *jwtTokenSource {
	if app.TokenDuration == 0 {
		app.TokenDuration = DefaultTokenDuration
	}
	return &jwtTokenSource{
		client: c, app: app, audience: c.baseURL.Host,
		exchangeTimeout: time.Duration(cfg.MaxRetries+1) * (cfg.RequestTimeout + cfg.RetryWaitMax),
		now:             time.Now,
	}
}

func (s *jwtTokenSource) Token(ctx context.Context) (string, error) {
	s.mu.Lock()
	token, renew := s.token, s.renew
	s.mu.Unlock()
	if token != "" && s.now().Before(renew) {
		return token, nil
	}
	return s.exchangeShared(ctx)
}

func (s *jwtTokenSource) Renew(ctx context.Context, rejected string) (string, error) {
	s.mu.Lock()
	if s.token != "" && s.token != rejected {
		token := s.token
		s.mu.Unlock()
		return token, nil
	}
	s.token = "" // refused: no call may use it any more
	s.mu.Unlock()
	return s.exchangeShared(ctx)
}

// exchangeShared runs one exchange for every caller that asks while it
// runs. A caller whose context ends stops waiting; the exchange itself runs
// on for the others, within exchangeTimeout.
func (s *jwtTokenSource) exchangeShared(ctx context.Context) (string, error) {
	results := s.group.DoChan("exchange", func() (any, error) {
		exchangeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.exchangeTimeout)
		defer cancel()
		return s.exchange(exchangeCtx)
	})
	select {
	case <-ctx.Done():
		return "", fmt.Errorf("waiting for the service app's access token: %w", ctx.Err())
	case r := <-results:
		if r.Err != nil {
			return "", r.Err
		}
		token, _ := r.Val.(string)
		return token, nil
	}
}

// jwtClaims is the JWT's payload; a map, as in Coze's SDKs, so that aud is a
// string and not a list.
func (s *jwtTokenSource) sign(now time.Time) (string, error) {
	jti, err := randomID()
	if err != nil {
		return "", err
	}
	token := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
		"iss": s.app.ClientID,
		"aud": s.audience,
		"iat": now.Unix(),
		"exp": now.Add(jwtLifetime).Unix(),
		"jti": jti,
	})
	token.Header["kid"] = s.app.PublicKeyID
	signed, err := token.SignedString(s.app.PrivateKey)
	if err != nil {
		return "", fmt.Errorf("signing the service app's JWT: %w", err)
	}
	s.client.maskSecret(signed)
	return signed, nil
}

// randomID is a JWT's jti: a JWT can be used once, and Coze recommends more
// than 32 characters. 24 random bytes make 48 hex digits.
func randomID() (string, error) {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("generating the JWT's jti: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

type prepareRetryKey struct{}

// prepareRetry is the http client's PrepareRetry: a request may carry, in
// its context, what to do to it before it is sent again (a token exchange
// signs a new JWT, since each can be used only once).
func prepareRetry(req *http.Request) error {
	if prepare, ok := req.Context().Value(prepareRetryKey{}).(func(*http.Request) error); ok {
		return prepare(req)
	}
	return nil
}

// tokenAnswer is the token API's answer: {access_token, expires_in} on
// success, {error_code, error_message} on failure. Coze's SDKs also read an
// envelope {code, msg}; it is read here too, and a token inside data.
type tokenAnswer struct {
	AccessToken  string          `json:"access_token"`
	ExpiresIn    json.RawMessage `json:"expires_in"`
	ErrorCode    string          `json:"error_code"`
	ErrorMessage string          `json:"error_message"`
	Code         *int64          `json:"code"`
	Msg          string          `json:"msg"`
	Data         *struct {
		AccessToken string          `json:"access_token"`
		ExpiresIn   json.RawMessage `json:"expires_in"`
	} `json:"data"`
	Detail struct {
		LogID string `json:"logid"`
	} `json:"detail"`
}

// exchange signs a JWT and exchanges it for an access token, through the
// client's one http client (no redirect, bounded answers, retries), without
// the bearer token of API calls. It logs at DEBUG, never the JWT or the token.
func (s *jwtTokenSource) exchange(ctx context.Context) (string, error) {
	path := s.app.TokenPath()
	fail := &TokenExchangeError{Path: path, ClientID: s.app.ClientID, PublicKeyID: s.app.PublicKeyID, Audience: s.audience}
	payload, err := json.Marshal(map[string]any{"grant_type": jwtGrantType, "duration_seconds": int64(s.app.TokenDuration / time.Second)})
	if err != nil {
		return "", err
	}
	signed, err := s.sign(s.now())
	if err != nil {
		return "", err
	}
	attempts := new(atomic.Int64)
	ctx = context.WithValue(ctx, attemptsKey{}, attempts)
	ctx = context.WithValue(ctx, prepareRetryKey{}, func(req *http.Request) error {
		again, err := s.sign(s.now())
		if err == nil {
			req.Header.Set("Authorization", "Bearer "+again)
		}
		return err
	})
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodPost, s.client.baseURL.JoinPath(path).String(), payload)
	if err != nil {
		return "", fmt.Errorf("building the token request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+signed)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	if s.client.userAgent != "" {
		req.Header.Set("User-Agent", s.client.userAgent)
	}

	start := s.now()
	fields := map[string]any{"method": http.MethodPost, "path": path, "client_id": s.app.ClientID, "kid": s.app.PublicKeyID, "aud": s.audience}
	token, err := s.post(req, fail, fields)
	fields["attempts"], fields["duration_ms"] = attempts.Load(), time.Since(start).Milliseconds()
	if err != nil {
		fail.Attempts = int(attempts.Load())
		fields["error"] = err.Error()
		s.client.debug(ctx, "Coze OAuth token exchange failed", fields)
		return "", err
	}
	s.client.debug(ctx, "Coze OAuth token exchange", fields)
	return token, nil
}

// post sends the exchange and keeps its token; fields gets what the DEBUG
// line shows.
func (s *jwtTokenSource) post(req *retryablehttp.Request, fail *TokenExchangeError, fields map[string]any) (string, error) {
	resp, err := s.client.http.Do(req)
	if err != nil {
		if redirect := (*RedirectError)(nil); errors.As(err, &redirect) {
			err = redirect
		}
		fail.Err = err
		return "", fail
	}
	defer resp.Body.Close()
	received := s.now()
	fail.HTTPStatus, fail.LogID = resp.StatusCode, resp.Header.Get("X-Tt-Logid")
	fields["http_status"], fields["logid"] = resp.StatusCode, fail.LogID
	raw, err := io.ReadAll(resp.Body)
	if decoded, ok := resp.Body.(*decodedBody); ok && decoded.readErr != nil { // read by checkRetry
		err = decoded.readErr
	}
	if err != nil {
		fail.Err = fmt.Errorf("reading the answer: %w", err)
		return "", fail
	}
	if err := checkJSON(raw); err != nil {
		fail.Err = err
		return "", fail
	}
	var answer tokenAnswer
	if err := json.Unmarshal(raw, &answer); err != nil {
		fail.BodySnippet = snippet([]byte(s.client.redact(string(raw))))
		return "", fail
	}
	if answer.Detail.LogID != "" {
		fail.LogID = answer.Detail.LogID
		fields["logid"] = fail.LogID
	}
	token, expiresIn := answer.AccessToken, answer.ExpiresIn
	if token == "" && answer.Data != nil {
		token, expiresIn = answer.Data.AccessToken, answer.Data.ExpiresIn
	}
	switch {
	case answer.ErrorCode != "":
		fail.ErrorCode, fail.ErrorMessage = answer.ErrorCode, answer.ErrorMessage
	case answer.Code != nil && *answer.Code != 0:
		fail.ErrorCode, fail.ErrorMessage = strconv.FormatInt(*answer.Code, 10), answer.Msg
	case resp.StatusCode < 200 || resp.StatusCode > 299 || token == "":
		if token != "" {
			raw = bytes.ReplaceAll(raw, []byte(token), []byte(redacted))
		}
		fail.BodySnippet = snippet([]byte(s.client.redact(string(raw))))
	}
	if fail.ErrorCode != "" || fail.BodySnippet != "" {
		fields["error_code"] = fail.ErrorCode
		return "", fail
	}
	s.client.maskSecret(token)
	if err := CheckToken(token); err != nil {
		fail.Err = fmt.Errorf("the access token in the answer %w", err)
		return "", fail
	}
	lifetime, err := tokenLifetime(expiresIn, resp.Header.Get("Date"), received, s.app.TokenDuration)
	if err != nil {
		fail.Err = err
		return "", fail
	}
	fields["expires_in"], fields["token_lifetime_s"] = string(expiresIn), lifetime.Seconds()
	s.mu.Lock()
	s.token, s.renew = token, received.Add(lifetime-renewalMargin(lifetime))
	s.mu.Unlock()
	return token, nil
}

// tokenLifetime is how long an access token lasts from received, by the
// server's expires_in, which is authoritative even when it is shorter than
// the duration asked for. Coze's docs, OpenAPI spec and SDKs read
// expires_in as the Unix time the token expires; OAuth 2.0 (RFC 6749) reads
// it as seconds from now. A value below 10^9 (before September 2001) can
// only be the latter. A Unix time is measured by the local clock when it
// agrees with the answer's Date header (within maxClockSkew), and otherwise
// against Date, so that a skewed local clock does not matter; Date counts
// whole seconds, so then one more second is taken off. Without expires_in,
// Coze's documented default (15 minutes) or the duration asked, if shorter.
func tokenLifetime(expiresIn json.RawMessage, date string, received time.Time, asked time.Duration) (time.Duration, error) {
	text := strings.Trim(string(expiresIn), `"`)
	if text == "" || text == "null" {
		return min(asked, 15*time.Minute), nil
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		if f, ferr := strconv.ParseFloat(text, 64); ferr == nil && f >= 0 && f < 1<<62 {
			n, err = int64(f), nil
		}
	}
	if err != nil || n < 0 {
		return 0, fmt.Errorf("the answer's expires_in is not a number of seconds: %q", text)
	}
	if n < 1e9 {
		return time.Duration(n) * time.Second, nil
	}
	expires := time.Unix(n, 0)
	if serverNow, err := http.ParseTime(date); err == nil {
		if skew := serverNow.Sub(received); skew < -maxClockSkew || skew > maxClockSkew {
			return max(0, expires.Sub(serverNow)-time.Second), nil
		}
	}
	return max(0, expires.Sub(received)), nil
}

// maxClockSkew is how far the local clock may be from the server's Date
// for tokenLifetime to trust it: Date's whole seconds and the time the
// answer took. The renewal margin (a quarter of the lifetime) covers it.
const maxClockSkew = 2 * time.Second

// renewalMargin is how long before its expiry a token is renewed: a quarter
// of its lifetime, at most 5 minutes, so that a call never starts with a
// token about to expire, and a short token is still used most of its life.
func renewalMargin(lifetime time.Duration) time.Duration {
	return min(lifetime/4, 5*time.Minute)
}

// maskSecret hands a secret to the logger's masking, and to the client's
// own redaction of error texts (redact.go).
func (c *Client) maskSecret(secret string) {
	if secret == "" {
		return
	}
	c.secrets.add(secret)
	if masker, ok := c.logger.(SecretMasker); ok {
		masker.MaskSecret(secret)
	}
}

// newTokenSource is the client's TokenSource: a personal access token, or a
// service app; never both.
func newTokenSource(c *Client, cfg Config) (TokenSource, error) {
	switch {
	case cfg.OAuthJWT != nil && cfg.Token != "":
		return nil, errors.New("coze: set either an API token or a service app (OAuth JWT), not both")
	case cfg.OAuthJWT != nil:
		app := *cfg.OAuthJWT
		switch {
		case app.ClientID == "" || app.PublicKeyID == "" || app.PrivateKey == nil:
			return nil, errors.New("coze: a service app needs its client id, public key id and private key")
		case app.AccountID != "" && CheckAccountID(app.AccountID) != nil:
			return nil, fmt.Errorf("coze: the account id %w", CheckAccountID(app.AccountID))
		case app.TokenDuration != 0 && CheckTokenDuration(app.TokenDuration) != nil:
			return nil, fmt.Errorf("coze: the token duration %w", CheckTokenDuration(app.TokenDuration))
		}
		return newJWTTokenSource(c, app, cfg), nil
	case cfg.Token == "":
		return nil, errors.New("coze: missing API token")
	}
	if err := CheckToken(cfg.Token); err != nil {
		return nil, fmt.Errorf("coze: the API token %w", err)
	}
	c.secrets.add(cfg.Token)
	return staticToken(cfg.Token), nil
}

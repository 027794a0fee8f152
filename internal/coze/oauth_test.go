package coze

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The service app's key is generated when the tests run: no private key is
// ever committed.
var (
	testKeyOnce sync.Once
	testKey     *rsa.PrivateKey
)

func testAppKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	testKeyOnce.Do(func() {
		var err error
		if testKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return testKey
}

const (
	testClientID = "1127900106117"
	testKid      = "_v0VjcMlLdQc3tRTD3jC5Xz29TUnKQOhtuD5k-gpyf4"
)

// appServer is a Coze API with a token API: it records each exchange's JWT
// and body, issues tokens "czs_<n>", and answers API calls through api.
type appServer struct {
	*httptest.Server
	t *testing.T

	mu       sync.Mutex
	jwts     []string
	bodies   []map[string]any
	paths    []string
	apiAuths []string

	exchanges atomic.Int64
	apiCalls  atomic.Int64
	// exchange answers the n-th exchange (from 1); nil issues czs_<n> for an hour.
	exchange func(w http.ResponseWriter, n int)
	// exchangeDelay makes every exchange slow, so that calls pile up behind it.
	exchangeDelay time.Duration
	// api answers an API call made with token; nil answers an empty bot.
	api func(w http.ResponseWriter, token string)
}

func newAppServer(t *testing.T) *appServer {
	t.Helper()
	s := &appServer{t: t}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *appServer) serve(w http.ResponseWriter, r *http.Request) {
	auth := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if strings.HasPrefix(r.URL.Path, "/api/permission/oauth2/") {
		body, _ := io.ReadAll(r.Body)
		var decoded map[string]any
		_ = json.Unmarshal(body, &decoded)
		s.mu.Lock()
		s.jwts, s.bodies, s.paths = append(s.jwts, auth), append(s.bodies, decoded), append(s.paths, r.URL.Path)
		s.mu.Unlock()
		time.Sleep(s.exchangeDelay)
		n := int(s.exchanges.Add(1))
		if s.exchange != nil {
			s.exchange(w, n)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"access_token": fmt.Sprintf("czs_%d", n), "expires_in": time.Now().Add(time.Hour).Unix()})
		return
	}
	s.apiCalls.Add(1)
	s.mu.Lock()
	s.apiAuths = append(s.apiAuths, auth)
	s.mu.Unlock()
	if s.api != nil {
		s.api(w, auth)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"code": 0, "msg": "", "data": map[string]any{"bot_id": "1", "name": "b"}})
}

// recorded returns copies of what the server recorded, under its lock.
func (s *appServer) recorded() (jwts, paths, apiAuths []string, bodies []map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.jwts...), append([]string(nil), s.paths...), append([]string(nil), s.apiAuths...),
		append([]map[string]any(nil), s.bodies...)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func newAppClient(t *testing.T, s *appServer, app JWTApp) *Client {
	t.Helper()
	if app.ClientID == "" {
		app.ClientID, app.PublicKeyID = testClientID, testKid
	}
	if app.PrivateKey == nil {
		app.PrivateKey = testAppKey(t)
	}
	c, err := NewClient(Config{BaseURL: s.URL, OAuthJWT: &app, MaxRetries: 2, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The JWT is what Coze's doc defines, signed RS256 with the app's key: the
// signature is verified here with the public key.
func TestJWTFieldsAndSignature(t *testing.T) {
	s := newAppServer(t)
	c := newAppClient(t, s, JWTApp{TokenDuration: 2 * time.Hour})
	before := time.Now().Unix()
	if _, err := c.GetBot(context.Background(), "1", false); err != nil {
		t.Fatal(err)
	}
	c.tokens.(*jwtTokenSource).mu.Lock()
	c.tokens.(*jwtTokenSource).token = "" // force a second exchange, for a second jti
	c.tokens.(*jwtTokenSource).mu.Unlock()
	if _, err := c.GetBot(context.Background(), "1", false); err != nil {
		t.Fatal(err)
	}
	jwts, paths, apiAuths, bodies := s.recorded()
	if len(jwts) != 2 {
		t.Fatalf("want 2 exchanges, got %d", len(jwts))
	}
	host := strings.TrimPrefix(s.URL, "http://")
	jtis := map[string]bool{}
	for i, signed := range jwts {
		claims := jwt.MapClaims{}
		token, err := jwt.ParseWithClaims(signed, claims, func(*jwt.Token) (any, error) { return &testAppKey(t).PublicKey, nil },
			jwt.WithValidMethods([]string{"RS256"}))
		if err != nil {
			t.Fatalf("the JWT does not verify with the app's public key: %v", err)
		}
		if token.Header["alg"] != "RS256" || token.Header["typ"] != "JWT" || token.Header["kid"] != testKid {
			t.Errorf("header = %v, want alg RS256, typ JWT, kid %s", token.Header, testKid)
		}
		if claims["iss"] != testClientID {
			t.Errorf("iss = %v", claims["iss"])
		}
		if aud, ok := claims["aud"].(string); !ok || aud != host {
			t.Errorf("aud = %#v, want the string %q (the API host of base_url)", claims["aud"], host)
		}
		iat, _ := claims["iat"].(float64)
		exp, _ := claims["exp"].(float64)
		if int64(iat) < before || int64(iat) > time.Now().Unix() || exp-iat != jwtLifetime.Seconds() {
			t.Errorf("iat %v, exp %v: want iat now and exp %s later", iat, exp, jwtLifetime)
		}
		jti, _ := claims["jti"].(string)
		if len(jti) < 32 || jtis[jti] {
			t.Errorf("jti %q: want at least 32 characters, never repeated", jti)
		}
		jtis[jti] = true
		if paths[i] != "/api/permission/oauth2/token" {
			t.Errorf("exchanged at %s", paths[i])
		}
		want := map[string]any{"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "duration_seconds": float64(7200)}
		if fmt.Sprint(bodies[i]) != fmt.Sprint(want) {
			t.Errorf("body = %v, want %v", bodies[i], want)
		}
	}
	for _, auth := range apiAuths {
		if !strings.HasPrefix(auth, "czs_") {
			t.Errorf("an API call carried %q, not the access token", auth)
		}
	}
}

func TestAccountIDUsesTheOrganizationsTokenPath(t *testing.T) {
	s := newAppServer(t)
	c := newAppClient(t, s, JWTApp{AccountID: "7490888144456001"})
	if _, err := c.GetBot(context.Background(), "1", false); err != nil {
		t.Fatal(err)
	}
	_, paths, _, bodies := s.recorded()
	if len(paths) != 1 || paths[0] != "/api/permission/oauth2/account/7490888144456001/token" {
		t.Errorf("exchanged at %v", paths)
	}
	if d := bodies[0]["duration_seconds"]; d != float64(3600) {
		t.Errorf("duration_seconds = %v, want the default 3600", d)
	}
}

// Many concurrent calls that need a token wait for one exchange.
func TestConcurrentCallsShareOneExchange(t *testing.T) {
	s := newAppServer(t)
	s.exchangeDelay = 200 * time.Millisecond
	c := newAppClient(t, s, JWTApp{})
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for range 50 {
		wg.Go(func() {
			_, err := c.GetBot(context.Background(), "1", false)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := s.exchanges.Load(); n != 1 {
		t.Errorf("50 concurrent calls made %d exchanges, want 1", n)
	}
	if n := s.apiCalls.Load(); n != 50 {
		t.Errorf("%d API calls, want 50", n)
	}
}

// A caller that gives up stops waiting; the exchange runs on for the others.
func TestACancelledCallerDoesNotFailTheSharedExchange(t *testing.T) {
	s := newAppServer(t)
	s.exchangeDelay = 300 * time.Millisecond
	c := newAppClient(t, s, JWTApp{})
	impatient, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() { _, err := c.GetBot(impatient, "1", false); done <- err }()
	time.Sleep(10 * time.Millisecond)
	if _, err := c.GetBot(context.Background(), "1", false); err != nil {
		t.Fatalf("the patient call failed: %v", err)
	}
	if err := <-done; !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("the impatient call: %v, want its deadline", err)
	}
	if n := s.exchanges.Load(); n != 1 {
		t.Errorf("%d exchanges, want 1", n)
	}
}

// expires_in is authoritative even when shorter than asked: the token is
// renewed before it, not before the duration asked for.
func TestTokenIsRenewedBeforeTheServersExpiresIn(t *testing.T) {
	s := newAppServer(t)
	s.exchange = func(w http.ResponseWriter, n int) {
		// Asked for an hour, issued for 100 seconds, by the server's clock (Date).
		w.Header().Set("Date", time.Now().UTC().Format(http.TimeFormat))
		writeJSON(w, http.StatusOK, map[string]any{"access_token": fmt.Sprintf("czs_%d", n), "expires_in": time.Now().Unix() + 100})
	}
	c := newAppClient(t, s, JWTApp{})
	source := c.tokens.(*jwtTokenSource)
	clock := time.Now()
	source.now = func() time.Time { return clock }
	call := func() {
		t.Helper()
		if _, err := c.GetBot(context.Background(), "1", false); err != nil {
			t.Fatal(err)
		}
	}
	call()
	clock = clock.Add(60 * time.Second)
	call()
	if n := s.exchanges.Load(); n != 1 {
		t.Fatalf("60 s into a 100 s token: %d exchanges, want 1", n)
	}
	// 99 s remain by the Date header's whole seconds; renewed a quarter before.
	clock = clock.Add(15 * time.Second)
	call()
	if n := s.exchanges.Load(); n != 2 {
		t.Fatalf("75 s into a 100 s token: %d exchanges, want 2 (renewed before expires_in)", n)
	}
	_, _, apiAuths, _ := s.recorded()
	if last := apiAuths[len(apiAuths)-1]; last != "czs_2" {
		t.Errorf("the call after renewal used %q", last)
	}
}

func TestTokenLifetimeReadsBothMeaningsOfExpiresIn(t *testing.T) {
	received := time.Unix(1_800_000_000, 500_000_000)
	serverDate := time.Unix(1_800_000_300, 0).UTC().Format(http.TimeFormat) // the server's clock runs 5 minutes ahead
	for name, tc := range map[string]struct {
		expiresIn string
		date      string
		want      time.Duration
	}{
		"Unix time, measured by the answer's Date": {"1800001200", serverDate, 899 * time.Second},
		"Unix time, Date agrees with the local clock": {"1800000900", time.Unix(1_800_000_001, 0).UTC().Format(http.TimeFormat),
			899*time.Second + 500*time.Millisecond},
		"Unix time without Date, by the local clock": {"1800000900", "", 899*time.Second + 500*time.Millisecond},
		"Unix time as a string":                      {`"1800000900"`, "", 899*time.Second + 500*time.Millisecond},
		"seconds from now (RFC 6749)":                {"3600", serverDate, time.Hour},
		"already expired":                            {"1799999999", "", 0},
		"absent: the doc's default":                  {"", "", 15 * time.Minute},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := tokenLifetime(json.RawMessage(tc.expiresIn), tc.date, received, time.Hour)
			if err != nil || got != tc.want {
				t.Errorf("tokenLifetime(%s) = %v, %v; want %v", tc.expiresIn, got, err, tc.want)
			}
		})
	}
	if _, err := tokenLifetime(json.RawMessage(`"soon"`), "", received, time.Hour); err == nil {
		t.Error("a non-numeric expires_in was accepted")
	}
}

// A 4100 triggers exactly one renewal and one retry of the call.
func TestRefusedTokenIsRenewedOnceAndTheCallSentOnceMore(t *testing.T) {
	s := newAppServer(t)
	s.api = func(w http.ResponseWriter, token string) {
		if token == "czs_1" {
			writeJSON(w, http.StatusUnauthorized, map[string]any{"code": 4100, "msg": "authentication is invalid"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"code": 0, "data": map[string]any{"bot_id": "1"}})
	}
	c := newAppClient(t, s, JWTApp{})
	if _, err := c.GetBot(context.Background(), "1", false); err != nil {
		t.Fatalf("the call after renewal failed: %v", err)
	}
	if s.exchanges.Load() != 2 || s.apiCalls.Load() != 2 {
		t.Errorf("%d exchanges and %d calls, want 2 and 2", s.exchanges.Load(), s.apiCalls.Load())
	}
}

// A second 4100, with a token just exchanged, is an error that says the
// app's authorization may have been revoked; there is no third attempt.
func TestASecondRefusalSaysTheAuthorizationMayBeRevoked(t *testing.T) {
	s := newAppServer(t)
	s.api = func(w http.ResponseWriter, _ string) {
		writeJSON(w, http.StatusOK, map[string]any{"code": 4100, "msg": "authentication is invalid", "detail": map[string]any{"logid": "L1"}})
	}
	c := newAppClient(t, s, JWTApp{})
	_, err := c.GetBot(context.Background(), "1", false)
	var revoked *RenewedTokenRefusedError
	if !errors.As(err, &revoked) || !strings.Contains(err.Error(), "authorization may have been revoked") {
		t.Fatalf("err = %v, want a RenewedTokenRefusedError", err)
	}
	if apiErr, ok := AsAPIError(err); !ok || apiErr.Code != CodeAuthInvalid || apiErr.LogID != "L1" {
		t.Errorf("the API error (code, logid) is lost: %v", err)
	}
	if s.exchanges.Load() != 2 || s.apiCalls.Load() != 2 {
		t.Errorf("%d exchanges and %d calls, want 2 and 2", s.exchanges.Load(), s.apiCalls.Load())
	}
}

// Calls refused with the same token together cause one renewal.
func TestConcurrentRefusalsShareOneRenewal(t *testing.T) {
	s := newAppServer(t)
	s.exchangeDelay = 100 * time.Millisecond
	s.api = func(w http.ResponseWriter, token string) {
		if token == "czs_1" {
			writeJSON(w, http.StatusUnauthorized, map[string]any{"code": 4100, "msg": "authentication is invalid"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"code": 0, "data": map[string]any{}})
	}
	c := newAppClient(t, s, JWTApp{})
	var wg sync.WaitGroup
	var failed atomic.Int64
	for range 20 {
		wg.Go(func() {
			if _, err := c.GetBot(context.Background(), "1", false); err != nil {
				failed.Add(1)
			}
		})
	}
	wg.Wait()
	if failed.Load() != 0 || s.exchanges.Load() != 2 {
		t.Errorf("%d calls failed, %d exchanges; want 0 and 2", failed.Load(), s.exchanges.Load())
	}
}

// A personal token is never renewed: its 4100 is the API's error, at once.
func TestAPersonalTokenIsNotRenewed(t *testing.T) {
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		writeJSON(w, http.StatusUnauthorized, map[string]any{"code": 4100, "msg": "authentication is invalid"})
	}))
	defer srv.Close()
	c, err := NewClient(Config{BaseURL: srv.URL, Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetBot(context.Background(), "1", false)
	var revoked *RenewedTokenRefusedError
	if apiErr, ok := AsAPIError(err); !ok || apiErr.Code != CodeAuthInvalid || errors.As(err, &revoked) || calls.Load() != 1 {
		t.Errorf("err = %v after %d calls", err, calls.Load())
	}
}

func TestExchangeErrorsCarryTheOAuthErrorAndTheClaims(t *testing.T) {
	s := newAppServer(t)
	s.exchange = func(w http.ResponseWriter, _ int) {
		w.Header().Set("X-Tt-Logid", "20260101000000ABCDEF")
		writeJSON(w, http.StatusUnauthorized, map[string]any{"error_code": "invalid_client", "error_message": "/"})
	}
	c := newAppClient(t, s, JWTApp{})
	_, err := c.GetBot(context.Background(), "1", false)
	var exchange *TokenExchangeError
	if !errors.As(err, &exchange) {
		t.Fatalf("err = %v, want a TokenExchangeError", err)
	}
	if exchange.ErrorCode != "invalid_client" || exchange.ErrorMessage != "/" || exchange.HTTPStatus != 401 ||
		exchange.LogID != "20260101000000ABCDEF" || exchange.PublicKeyID != testKid || exchange.ClientID != testClientID {
		t.Errorf("exchange error = %+v", exchange)
	}
	if s.apiCalls.Load() != 0 {
		t.Errorf("the API was called without a token")
	}
	for _, want := range []string{"error_code invalid_client", "HTTP 401", "logid 20260101000000ABCDEF"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
}

// The token API's answer in the envelope shape that Coze's SDKs also read.
func TestExchangeReadsAnEnvelopeToo(t *testing.T) {
	s := newAppServer(t)
	s.exchange = func(w http.ResponseWriter, n int) {
		if n == 1 {
			writeJSON(w, http.StatusOK, map[string]any{"code": 4000, "msg": "invalid request: duration_seconds"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"code": 0, "data": map[string]any{"access_token": "czs_env", "expires_in": 900}})
	}
	c := newAppClient(t, s, JWTApp{})
	_, err := c.GetBot(context.Background(), "1", false)
	var exchange *TokenExchangeError
	if !errors.As(err, &exchange) || exchange.ErrorCode != "4000" || exchange.ErrorMessage != "invalid request: duration_seconds" {
		t.Fatalf("err = %v", err)
	}
	_, err = c.GetBot(context.Background(), "1", false)
	if _, _, apiAuths, _ := s.recorded(); err != nil || apiAuths[0] != "czs_env" {
		t.Fatalf("the token in data was not used: %v %v", err, apiAuths)
	}
}

// A retried exchange (HTTP 5xx) signs a new JWT: each can be used once.
func TestARetriedExchangeSignsANewJWT(t *testing.T) {
	s := newAppServer(t)
	s.exchange = func(w http.ResponseWriter, n int) {
		if n == 1 {
			writeJSON(w, http.StatusBadGateway, map[string]any{"error_code": "internal_error"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"access_token": "czs_ok", "expires_in": time.Now().Unix() + 900})
	}
	c := newAppClient(t, s, JWTApp{})
	if _, err := c.GetBot(context.Background(), "1", false); err != nil {
		t.Fatal(err)
	}
	if jwts, _, _, _ := s.recorded(); len(jwts) != 2 || jwts[0] == jwts[1] {
		t.Errorf("the retry sent the same JWT again (%d exchanges)", len(jwts))
	}
}

// The exchange goes through the client's one http client: no redirect is
// followed (the JWT goes nowhere else), an oversized answer is cut off.
func TestTheExchangeFollowsTheClientsRules(t *testing.T) {
	var elsewhere atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { elsewhere.Add(1) }))
	defer other.Close()
	s := newAppServer(t)
	s.exchange = func(w http.ResponseWriter, _ int) {
		w.Header().Set("Location", other.URL+"/steal")
		w.WriteHeader(http.StatusTemporaryRedirect)
	}
	c := newAppClient(t, s, JWTApp{})
	_, err := c.GetBot(context.Background(), "1", false)
	var redirect *RedirectError
	if !errors.As(err, &redirect) || elsewhere.Load() != 0 {
		t.Errorf("redirect: err = %v, %d requests elsewhere", err, elsewhere.Load())
	}

	s.exchange = func(w http.ResponseWriter, _ int) {
		writeJSON(w, http.StatusOK, map[string]any{"access_token": strings.Repeat("x", 2<<20), "expires_in": 900})
	}
	app := JWTApp{ClientID: testClientID, PublicKeyID: testKid, PrivateKey: testAppKey(t)}
	small, err := NewClient(Config{BaseURL: s.URL, OAuthJWT: &app, MaxResponseBytes: 1 << 20, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = small.GetBot(context.Background(), "1", false)
	var tooLarge *ResponseTooLargeError
	if !errors.As(err, &tooLarge) {
		t.Errorf("oversized answer: err = %v", err)
	}
}

// maskingLogger records what the client logs and the secrets it is handed.
type maskingLogger struct {
	mu      sync.Mutex
	lines   []string
	secrets []string
}

func (l *maskingLogger) MaskSecret(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.secrets = append(l.secrets, s)
}

func (l *maskingLogger) log(msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprint(msg, fields))
}

func (l *maskingLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	l.log(msg, fields)
}
func (l *maskingLogger) Trace(_ context.Context, msg string, fields map[string]any) {
	l.log(msg, fields)
}

// The exchange is logged at DEBUG, without the JWT or the token; both are
// handed to the logger to mask before they are used.
func TestTheExchangeIsLoggedWithoutSecrets(t *testing.T) {
	s := newAppServer(t)
	logger := &maskingLogger{}
	app := JWTApp{ClientID: testClientID, PublicKeyID: testKid, PrivateKey: testAppKey(t)}
	c, err := NewClient(Config{BaseURL: s.URL, OAuthJWT: &app, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetBot(context.Background(), "1", false); err != nil {
		t.Fatal(err)
	}
	jwts, _, _, _ := s.recorded()
	if len(logger.secrets) != 2 || logger.secrets[0] != jwts[0] || logger.secrets[1] != "czs_1" {
		t.Errorf("secrets handed to the logger: %v", logger.secrets)
	}
	all := strings.Join(logger.lines, "\n")
	if !strings.Contains(all, "Coze OAuth token exchange") || !strings.Contains(all, "expires_in") {
		t.Errorf("no DEBUG line for the exchange: %s", all)
	}
	for _, secret := range []string{jwts[0], "czs_1"} {
		if strings.Contains(all, secret) {
			t.Errorf("the log shows %q", secret)
		}
	}
}

func TestNewClientChecksTheApp(t *testing.T) {
	key := testAppKey(t)
	for name, tc := range map[string]struct {
		cfg  Config
		want string
	}{
		"both":           {Config{Token: "pat_x", OAuthJWT: &JWTApp{ClientID: "1", PublicKeyID: "k", PrivateKey: key}}, "not both"},
		"no key":         {Config{OAuthJWT: &JWTApp{ClientID: "1", PublicKeyID: "k"}}, "private key"},
		"account id":     {Config{OAuthJWT: &JWTApp{ClientID: "1", PublicKeyID: "k", PrivateKey: key, AccountID: "org-1"}}, "decimal id"},
		"duration":       {Config{OAuthJWT: &JWTApp{ClientID: "1", PublicKeyID: "k", PrivateKey: key, TokenDuration: 24 * time.Hour}}, "86399"},
		"neither":        {Config{}, "missing API token"},
		"fractional dur": {Config{OAuthJWT: &JWTApp{ClientID: "1", PublicKeyID: "k", PrivateKey: key, TokenDuration: 90500 * time.Millisecond}}, "whole number of seconds"},
	} {
		t.Run(name, func(t *testing.T) {
			tc.cfg.BaseURL = BaseURLChina
			if _, err := NewClient(tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestParsePrivateKey(t *testing.T) {
	key := testAppKey(t)
	pkcs8, _ := x509.MarshalPKCS8PrivateKey(key)
	pkcs8PEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}))
	pkcs1PEM := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
	for name, text := range map[string]string{
		"PKCS#8":                  pkcs8PEM,
		"PKCS#1":                  pkcs1PEM,
		"with white space around": "\n  " + pkcs8PEM + "\n\n",
		"with literal \\n":        strings.ReplaceAll(strings.TrimSpace(pkcs8PEM), "\n", `\n`),
		"CRLF":                    strings.ReplaceAll(pkcs8PEM, "\n", "\r\n"),
	} {
		t.Run(name, func(t *testing.T) {
			got, err := ParsePrivateKey(text)
			if err != nil || !got.Equal(key) {
				t.Errorf("ParsePrivateKey: %v", err)
			}
		})
	}

	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecDER, _ := x509.MarshalPKCS8PrivateKey(ec)
	small, _ := rsa.GenerateKey(rand.Reader, 1024)
	smallDER, _ := x509.MarshalPKCS8PrivateKey(small)
	pub, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	body := pkcs8PEM[strings.Index(pkcs8PEM, "\n")+1 : strings.Index(pkcs8PEM, "-----END")]
	damaged := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8[:len(pkcs8)/2]}))
	for name, tc := range map[string]struct{ text, want string }{
		"not PEM":       {strings.ReplaceAll(body, "\n", ""), "is not a PEM-encoded private key"},
		"public key":    {string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})), "holds a PUBLIC KEY, not a private key"},
		"EC key":        {string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecDER})), "is not an RSA key"},
		"1024-bit key":  {string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: smallDER})), "1024-bit"},
		"encrypted":     {"-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + body + "-----END ENCRYPTED PRIVATE KEY-----\n", "encrypted"},
		"damaged":       {damaged, "does not parse"},
		"another block": {"-----BEGIN CERTIFICATE REQUEST-----\n" + body + "-----END CERTIFICATE REQUEST-----\n", `type "CERTIFICATE REQUEST"`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParsePrivateKey(tc.text)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			for _, line := range strings.Split(body, "\n") {
				if len(line) > 16 && strings.Contains(err.Error(), line[:16]) {
					t.Errorf("the error shows the key: %v", err)
				}
			}
		})
	}
}

// The token path escapes the organization id (it is checked to be decimal,
// but the path is built safely anyway).
func TestTokenPath(t *testing.T) {
	if got := (&JWTApp{}).TokenPath(); got != "/api/permission/oauth2/token" {
		t.Error(got)
	}
	if got := (&JWTApp{AccountID: "a/b"}).TokenPath(); got != "/api/permission/oauth2/account/"+url.PathEscape("a/b")+"/token" {
		t.Error(got)
	}
	if CheckAccountID("123") != nil || CheckAccountID("12a") == nil || CheckTokenDuration(time.Hour) != nil ||
		CheckTokenDuration(30*time.Second) != nil || CheckTokenDuration(time.Second) != nil || CheckTokenDuration(0) == nil ||
		CheckTokenDuration(-time.Second) == nil || CheckTokenDuration(MaxTokenDuration) != nil || CheckTokenDuration(MaxTokenDuration+time.Second) == nil {
		t.Error("checks")
	}
}

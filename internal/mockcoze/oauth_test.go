package mockcoze

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Keys are generated when the tests run: no private key is committed.
var (
	appKeyOnce         sync.Once
	appKey, strangeKey *rsa.PrivateKey
)

func keys2048(t *testing.T) (app, other *rsa.PrivateKey) {
	t.Helper()
	appKeyOnce.Do(func() {
		var err error
		if appKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if strangeKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return appKey, strangeKey
}

const (
	mockClientID = "1127900106117"
	mockKid      = "kid-of-the-test-key"
	grantBody    = `{"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","duration_seconds":3600}`
)

func newAppTS(t *testing.T, app OAuthApp, opts Options) (*Server, *httptest.Server) {
	t.Helper()
	key, _ := keys2048(t)
	app.ClientID, app.PublicKeyID, app.PublicKey = mockClientID, mockKid, &key.PublicKey
	opts.OAuthApp = &app
	return newTS(t, opts, testBot)
}

// signJWT signs claims as the doc's example does; edit changes the token before signing.
func signJWT(t *testing.T, key *rsa.PrivateKey, aud string, edit func(*jwt.Token)) string {
	t.Helper()
	now := time.Now()
	token := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
		"iss": mockClientID, "aud": aud, "iat": now.Unix(), "exp": now.Add(10 * time.Minute).Unix(),
		"jti": randomHex(t),
	})
	token.Header["kid"] = mockKid
	if edit != nil {
		edit(token)
	}
	signed, err := token.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

func randomHex(t *testing.T) string {
	t.Helper()
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b[:])
}

func exchange(t *testing.T, ts *httptest.Server, path, jwtToken, body string) resp {
	t.Helper()
	return call(t, ts, "POST", path, "Bearer "+jwtToken, body)
}

func host(ts *httptest.Server) string { return strings.TrimPrefix(ts.URL, "http://") }

func oauthCode(r resp) (code, message string) {
	code, _ = r.env["error_code"].(string)
	message, _ = r.env["error_message"].(string)
	return code, message
}

func TestTokenAPIIssuesATokenAcceptedEverywhere(t *testing.T) {
	key, _ := keys2048(t)
	s, ts := newAppTS(t, OAuthApp{}, Options{RefusePersonalTokens: true})
	r := exchange(t, ts, "/api/permission/oauth2/token", signJWT(t, key, host(ts), nil), grantBody)
	token, _ := r.env["access_token"].(string)
	expiresIn, _ := r.env["expires_in"].(json.Number)
	at, _ := expiresIn.Int64()
	if r.status != 200 || !strings.HasPrefix(token, "czs_") {
		t.Fatalf("exchange: HTTP %d %s", r.status, r.raw)
	}
	// expires_in is the Unix time of expiry, as the doc defines it: an hour from now.
	if want := time.Now().Add(time.Hour).Unix(); at < want-2 || at > want {
		t.Errorf("expires_in = %d, want about %d", at, want)
	}
	if r.header.Get("X-Tt-Logid") == "" {
		t.Error("no X-Tt-Logid")
	}
	wantOK(t, call(t, ts, "GET", "/v1/bots/"+testBot+"?is_published=false", "Bearer "+token, ""))
	wantOK(t, call(t, ts, "GET", "/v1/workspaces", "Bearer "+token, ""))
	wantErr(t, call(t, ts, "GET", "/v1/bots/"+testBot+"?is_published=false", goodAuth, ""), 401, "4100", "authentication is invalid")
	if s.TokenExchanges() != 1 {
		t.Errorf("TokenExchanges = %d", s.TokenExchanges())
	}
	// The request log never holds the JWT.
	for _, req := range s.RequestsTo("POST", "/api/permission/oauth2/token") {
		if req.Header.Get("Authorization") != "Bearer <redacted>" {
			t.Errorf("the request log holds %q", req.Header.Get("Authorization"))
		}
	}
}

func TestTokenAPIVerifiesTheJWT(t *testing.T) {
	key, other := keys2048(t)
	_, ts := newAppTS(t, OAuthApp{}, Options{})
	reused := signJWT(t, key, host(ts), nil)
	if r := exchange(t, ts, "/api/permission/oauth2/token", reused, grantBody); r.status != 200 {
		t.Fatalf("first use refused: %s", r.raw)
	}
	for name, tc := range map[string]struct {
		jwt, body, path, wantCode, wantMsg string
		status                             int
	}{
		"signed with another key": {jwt: signJWT(t, other, host(ts), nil), wantCode: "invalid_client", wantMsg: "signature"},
		"another kid": {jwt: signJWT(t, key, host(ts), func(tk *jwt.Token) { tk.Header["kid"] = "other-kid" }),
			wantCode: "invalid_client", wantMsg: `kid "other-kid"`},
		"another iss": {jwt: signJWT(t, key, host(ts), func(tk *jwt.Token) { tk.Claims.(jwt.MapClaims)["iss"] = "42" }),
			wantCode: "invalid_client", wantMsg: "iss"},
		"another aud": {jwt: signJWT(t, key, "api.coze.com", nil), wantCode: "invalid_client", wantMsg: "aud"},
		"expired": {jwt: signJWT(t, key, host(ts), func(tk *jwt.Token) {
			tk.Claims.(jwt.MapClaims)["iat"] = time.Now().Add(-time.Hour).Unix()
			tk.Claims.(jwt.MapClaims)["exp"] = time.Now().Add(-time.Minute).Unix()
		}), wantCode: "invalid_client", wantMsg: "expired"},
		"no exp": {jwt: signJWT(t, key, host(ts), func(tk *jwt.Token) { delete(tk.Claims.(jwt.MapClaims), "exp") }),
			wantCode: "invalid_client", wantMsg: "exp"},
		"no jti": {jwt: signJWT(t, key, host(ts), func(tk *jwt.Token) { delete(tk.Claims.(jwt.MapClaims), "jti") }),
			wantCode: "invalid_client", wantMsg: "jti is missing"},
		"reused jti": {jwt: reused, wantCode: "invalid_client", wantMsg: "jti was already used"},
		"HS256": {jwt: func() string {
			tk := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"iss": mockClientID, "aud": host(ts), "iat": time.Now().Unix(),
				"exp": time.Now().Add(time.Minute).Unix(), "jti": "x"})
			tk.Header["kid"] = mockKid
			s, _ := tk.SignedString([]byte("secret"))
			return s
		}(), wantCode: "invalid_client", wantMsg: "signing method"},
		"wrong grant": {body: `{"grant_type":"client_credentials"}`, wantCode: "unsupported_grant_type", wantMsg: "client_credentials", status: 400},
		"duration too long": {body: `{"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","duration_seconds":86400}`,
			wantCode: "invalid_request", wantMsg: "duration_seconds", status: 400},
		"unknown organization": {path: "/api/permission/oauth2/account/123/token", wantCode: "invalid_request", wantMsg: "account_id", status: 400},
	} {
		t.Run(name, func(t *testing.T) {
			if tc.jwt == "" {
				tc.jwt = signJWT(t, key, host(ts), nil)
			}
			if tc.body == "" {
				tc.body = grantBody
			}
			if tc.path == "" {
				tc.path = "/api/permission/oauth2/token"
			}
			if tc.status == 0 {
				tc.status = 401
			}
			r := exchange(t, ts, tc.path, tc.jwt, tc.body)
			code, msg := oauthCode(r)
			if r.status != tc.status || code != tc.wantCode || !strings.Contains(msg, tc.wantMsg) {
				t.Errorf("HTTP %d %s, want %d %s containing %q", r.status, r.raw, tc.status, tc.wantCode, tc.wantMsg)
			}
			if _, issued := r.env["access_token"]; issued {
				t.Error("a token was issued")
			}
		})
	}
}

func TestTokenLifetimeAndExpiry(t *testing.T) {
	key, _ := keys2048(t)
	s, ts := newAppTS(t, OAuthApp{TokenLifetime: time.Second}, Options{})
	r := exchange(t, ts, "/api/permission/oauth2/token", signJWT(t, key, host(ts), nil), grantBody)
	token, _ := r.env["access_token"].(string)
	expiresIn, _ := r.env["expires_in"].(json.Number)
	at, _ := expiresIn.Int64()
	// Asked for an hour, issued for a second: expires_in says so.
	if now := time.Now().Unix(); at < now || at > now+1 {
		t.Errorf("expires_in = %d, want within a second of %d", at, now)
	}
	wantOK(t, call(t, ts, "GET", "/v1/bots/"+testBot+"?is_published=false", "Bearer "+token, ""))
	time.Sleep(1100 * time.Millisecond)
	wantErr(t, call(t, ts, "GET", "/v1/bots/"+testBot+"?is_published=false", "Bearer "+token, ""), 401, "4100", "authentication is invalid")
	if s.ExpiredTokenRefusals() != 1 {
		t.Errorf("ExpiredTokenRefusals = %d, want 1", s.ExpiredTokenRefusals())
	}
}

func TestRevokedAndDisabledApp(t *testing.T) {
	key, _ := keys2048(t)
	s, ts := newAppTS(t, OAuthApp{AccountID: "7490888144456001"}, Options{})
	path := "/api/permission/oauth2/account/7490888144456001/token"
	r := exchange(t, ts, path, signJWT(t, key, host(ts), nil), grantBody)
	before, _ := r.env["access_token"].(string)
	wantOK(t, call(t, ts, "GET", "/v1/bots/"+testBot+"?is_published=false", "Bearer "+before, ""))

	s.RevokeApp()
	wantErr(t, call(t, ts, "GET", "/v1/bots/"+testBot+"?is_published=false", "Bearer "+before, ""), 401, "4100", "")
	r = exchange(t, ts, path, signJWT(t, key, host(ts), nil), grantBody)
	after, _ := r.env["access_token"].(string)
	if after == "" {
		t.Fatalf("a revoked app still gets tokens: %s", r.raw)
	}
	wantErr(t, call(t, ts, "GET", "/v1/bots/"+testBot+"?is_published=false", "Bearer "+after, ""), 401, "4100", "")
	if s.ExpiredTokenRefusals() != 0 {
		t.Error("revoked tokens counted as expired")
	}

	s.DisableApp()
	r = exchange(t, ts, path, signJWT(t, key, host(ts), nil), grantBody)
	if code, msg := oauthCode(r); r.status != 403 || code != "access_deny" || !strings.Contains(msg, "deactivated") {
		t.Errorf("disabled app: HTTP %d %s", r.status, r.raw)
	}
	if got := len(s.OAuthSecrets()); got != 5 { // 3 JWTs, 2 tokens
		t.Errorf("OAuthSecrets holds %d, want 5", got)
	}
}

// Without an app the token API does not exist, and personal tokens work as before.
func TestNoAppNoTokenAPI(t *testing.T) {
	_, ts := newTS(t, Options{}, testBot)
	wantErr(t, call(t, ts, "POST", "/api/permission/oauth2/token", "Bearer x", grantBody), 401, "4100", "")
	wantOK(t, call(t, ts, "GET", "/v1/bots/"+testBot+"?is_published=false", goodAuth, ""))
}

func TestConcurrentExchangesAreCounted(t *testing.T) {
	key, _ := keys2048(t)
	s, ts := newAppTS(t, OAuthApp{ExchangeDelay: 200 * time.Millisecond}, Options{})
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() { exchange(t, ts, "/api/permission/oauth2/token", signJWT(t, key, host(ts), nil), grantBody) })
	}
	wg.Wait()
	if s.MaxConcurrentExchanges() < 2 || s.TokenExchanges() != 3 {
		t.Errorf("MaxConcurrentExchanges %d, TokenExchanges %d", s.MaxConcurrentExchanges(), s.TokenExchanges())
	}
}

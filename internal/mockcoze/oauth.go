package mockcoze

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The OAuth JWT flow of a service app (docs.coze.cn/developer_guides/oauth_jwt):
//
//	POST /api/permission/oauth2/token                     exchange a JWT for an access token
//	POST /api/permission/oauth2/account/{account_id}/token the same, in an organization of an enterprise
//
// The request carries "Authorization: Bearer <JWT>" and the body {grant_type, duration_seconds}.
// The JWT must be signed RS256 with the app's key: header kid = OAuthApp.PublicKeyID, typ JWT;
// payload iss = ClientID, aud = the API host, iat, exp in the future, and a jti never seen
// before. The answer is {access_token, expires_in}, expires_in being the Unix time the token
// expires, as the doc defines it; errors are {error_code, error_message}, not the envelope.
// Tokens issued are accepted on every endpoint until they expire or the app is revoked.

const (
	oauthTokenPath    = "/api/permission/oauth2/token"
	oauthAccountPath  = "/api/permission/oauth2/account/"
	jwtGrantType      = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	defaultTokenLife  = 900 * time.Second // the doc's default duration_seconds
	maxTokenSeconds   = 86399
	maxRecordedSecret = 1000 // JWTs and tokens kept for OAuthSecrets
)

// OAuthApp is a Coze OAuth service app that the mock knows, with its public key.
type OAuthApp struct {
	// ClientID is the app id, the JWT's iss.
	ClientID string
	// PublicKeyID is the public key's fingerprint, the JWT's kid.
	PublicKeyID string
	PublicKey   *rsa.PublicKey
	// Audience is the JWT's expected aud; "" means the Host the request was sent to
	// (api.coze.cn for the real API, 127.0.0.1:<port> for the mock).
	Audience string
	// TokenLifetime caps the lifetime of the access tokens issued (the answer's expires_in
	// says so); 0 means the duration_seconds asked for, 900 s by default.
	TokenLifetime time.Duration
	// AccountID is the organization the account endpoint accepts; "" refuses that endpoint.
	AccountID string
	// Name is the app's name in error messages; "" means "terraform".
	Name string
	// ExchangeDelay makes each exchange take this long, a slow token API behind which
	// calls pile up (see MaxConcurrentExchanges).
	ExchangeDelay time.Duration
}

type oauthState struct {
	app OAuthApp

	mu          sync.Mutex
	tokens      map[string]time.Time // access token -> expiry
	jtis        map[string]time.Time // jti -> the JWT's exp, to refuse reuse
	revoked     bool
	disabled    bool
	inFlight    int
	maxInFlight int
	secrets     []string // the JWTs received and tokens issued, for tests

	exchanges     atomic.Int64
	expiredTokens atomic.Int64
}

func newOAuthState(app *OAuthApp) *oauthState {
	if app == nil {
		return nil
	}
	a := *app
	if a.Name == "" {
		a.Name = "terraform"
	}
	return &oauthState{app: a, tokens: map[string]time.Time{}, jtis: map[string]time.Time{}}
}

// isTokenExchange reports whether the request is for the token API, which authenticates
// with a JWT rather than a bearer token.
func (s *Server) isTokenExchange(path string) bool {
	return s.oauth != nil && (path == oauthTokenPath || (strings.HasPrefix(path, oauthAccountPath) && strings.HasSuffix(path, "/token")))
}

// acceptsToken reports whether tok is a valid access token issued by the token API.
func (o *oauthState) acceptsToken(tok string) bool {
	if o == nil {
		return false
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	expiry, ok := o.tokens[tok]
	return ok && time.Now().Before(expiry) && !o.revoked
}

// noteRefusal counts a request refused because its access token had expired.
func (o *oauthState) noteRefusal(authorization string) {
	if o == nil {
		return
	}
	_, tok, _ := strings.Cut(authorization, " ")
	o.mu.Lock()
	defer o.mu.Unlock()
	if expiry, ok := o.tokens[tok]; ok && !time.Now().Before(expiry) {
		o.expiredTokens.Add(1)
	}
}

// The controls and counters below need Options.OAuthApp.

// RevokeApp withdraws the service app's authorization, as its owner can in the Coze
// console: every access token, issued before or after, is refused with code 4100, while the
// token API still issues them.
func (s *Server) RevokeApp() {
	s.oauth.mu.Lock()
	defer s.oauth.mu.Unlock()
	s.oauth.revoked = true
}

// AuthorizeApp authorizes the service app again after RevokeApp: its tokens work again.
func (s *Server) AuthorizeApp() {
	s.oauth.mu.Lock()
	defer s.oauth.mu.Unlock()
	s.oauth.revoked = false
}

// DisableApp deactivates the service app: the token API answers access_deny.
func (s *Server) DisableApp() {
	s.oauth.mu.Lock()
	defer s.oauth.mu.Unlock()
	s.oauth.disabled = true
}

// TokenExchanges is how many access tokens the token API issued.
func (s *Server) TokenExchanges() int { return int(s.oauth.exchanges.Load()) }

// ExpiredTokenRefusals is how many requests came with an access token that had expired.
func (s *Server) ExpiredTokenRefusals() int { return int(s.oauth.expiredTokens.Load()) }

// MaxConcurrentExchanges is the most token requests the mock served at the same time.
func (s *Server) MaxConcurrentExchanges() int {
	s.oauth.mu.Lock()
	defer s.oauth.mu.Unlock()
	return s.oauth.maxInFlight
}

// OAuthSecrets returns the JWTs the token API received and the access tokens it issued
// (the latest 1,000), so that tests can look for them where they must not be.
func (s *Server) OAuthSecrets() []string {
	s.oauth.mu.Lock()
	defer s.oauth.mu.Unlock()
	return append([]string(nil), s.oauth.secrets...)
}

// oauthError is an answer of the token API in its own shape.
func oauthError(status int, code, message string) reply {
	return reply{status: status, rawJSON: map[string]string{"error_code": code, "error_message": message}}
}

func (s *Server) handleTokenExchange(r *http.Request, body []byte, readErr error) reply {
	o := s.oauth
	o.mu.Lock()
	o.inFlight++
	o.maxInFlight = max(o.maxInFlight, o.inFlight)
	o.mu.Unlock()
	defer func() {
		o.mu.Lock()
		o.inFlight--
		o.mu.Unlock()
	}()

	if o.app.ExchangeDelay > 0 && !sleepCtx(r.Context(), o.app.ExchangeDelay) {
		return reply{dropped: true}
	}
	if r.Method != http.MethodPost {
		rep := oauthError(http.StatusMethodNotAllowed, "invalid_request", "invalid request: method "+r.Method)
		rep.allow = http.MethodPost
		return rep
	}
	if readErr != nil {
		return oauthError(http.StatusBadRequest, "invalid_request", "invalid request: body")
	}
	if account, isAccount := strings.CutPrefix(r.URL.Path, oauthAccountPath); isAccount {
		account = strings.TrimSuffix(account, "/token")
		if o.app.AccountID == "" || subtle.ConstantTimeCompare([]byte(account), []byte(o.app.AccountID)) != 1 {
			return oauthError(http.StatusBadRequest, "invalid_request", "invalid request: account_id")
		}
	}
	scheme, signed, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") || signed == "" {
		return oauthError(http.StatusUnauthorized, "invalid_client", "missing JWT in the Authorization header")
	}
	o.record(signed)
	if err := o.verify(signed, r.Host); err != nil {
		return oauthError(http.StatusUnauthorized, "invalid_client", err.Error())
	}

	var req map[string]any
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.UseNumber()
	if err := dec.Decode(&req); err != nil {
		return oauthError(http.StatusBadRequest, "invalid_request", "invalid request: body is not a JSON object")
	}
	if grant, _ := req["grant_type"].(string); grant != jwtGrantType {
		return oauthError(http.StatusBadRequest, "unsupported_grant_type", fmt.Sprintf("not supported grant type: %v", req["grant_type"]))
	}
	lifetime := defaultTokenLife
	if raw, ok := req["duration_seconds"]; ok {
		n, isNumber := raw.(json.Number)
		seconds, err := n.Int64()
		if !isNumber || err != nil || seconds < 1 || seconds > maxTokenSeconds {
			return oauthError(http.StatusBadRequest, "invalid_request", "invalid request: duration_seconds")
		}
		lifetime = time.Duration(seconds) * time.Second
	}
	if o.app.TokenLifetime > 0 {
		lifetime = min(lifetime, o.app.TokenLifetime)
	}

	o.mu.Lock()
	defer o.mu.Unlock()
	if o.disabled {
		return oauthError(http.StatusForbidden, "access_deny", "app: "+o.app.Name+" is currently deactivated by the owner")
	}
	now := time.Now()
	for tok, expiry := range o.tokens { // forget what expired long ago
		if now.Sub(expiry) > time.Minute {
			delete(o.tokens, tok)
		}
	}
	var random [24]byte
	_, _ = rand.Read(random[:])
	token := "czs_mock_" + hex.EncodeToString(random[:])
	expiry := now.Add(lifetime)
	o.tokens[token] = expiry
	o.recordLocked(token)
	o.exchanges.Add(1)
	// expires_in is a Unix time in whole seconds, rounded down: never later than the expiry.
	return reply{status: http.StatusOK, rawJSON: map[string]any{"access_token": token, "expires_in": expiry.Unix()}}
}

// verify checks the JWT as the doc defines it; its error says what is wrong, which the real
// API may not.
func (o *oauthState) verify(signed, host string) error {
	aud := o.app.Audience
	if aud == "" {
		aud = host
	}
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(signed, claims, func(t *jwt.Token) (any, error) {
		if typ, _ := t.Header["typ"].(string); typ != "JWT" {
			return nil, fmt.Errorf("header typ %q is not JWT", typ)
		}
		if kid, _ := t.Header["kid"].(string); kid != o.app.PublicKeyID {
			return nil, fmt.Errorf("header kid %q is not a public key of app %s", kid, o.app.ClientID)
		}
		return o.app.PublicKey, nil
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithIssuer(o.app.ClientID), jwt.WithAudience(aud),
		jwt.WithExpirationRequired(), jwt.WithIssuedAt())
	if err != nil {
		return fmt.Errorf("invalid JWT: %w", err)
	}
	if aud, ok := claims["aud"].(string); !ok || aud == "" {
		return errors.New("invalid JWT: aud must be a string, the API host")
	}
	iat, _ := claims.GetIssuedAt()
	exp, _ := claims.GetExpirationTime()
	if iat == nil || !exp.After(iat.Time) {
		return errors.New("invalid JWT: iat is missing, or exp is not later than iat")
	}
	jti, _ := claims["jti"].(string)
	if jti == "" {
		return errors.New("invalid JWT: jti is missing")
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	now := time.Now()
	for seen, until := range o.jtis {
		if now.After(until) {
			delete(o.jtis, seen)
		}
	}
	if _, seen := o.jtis[jti]; seen {
		return errors.New("invalid JWT: jti was already used (a JWT can be used once)")
	}
	o.jtis[jti] = exp.Time
	return nil
}

func (o *oauthState) record(secret string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.recordLocked(secret)
}

func (o *oauthState) recordLocked(secret string) {
	o.secrets = append(o.secrets, secret)
	if len(o.secrets) > maxRecordedSecret {
		o.secrets = o.secrets[len(o.secrets)-maxRecordedSecret:]
	}
}

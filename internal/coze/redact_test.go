package coze

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// A proxy that echoes the request's headers into its error page puts the
// token into the error's body snippet, which Terraform prints whatever the
// log level. The client takes every secret it knows out of its errors.

// echoingProxy answers every request with an HTML error page that quotes
// its Authorization header.
func echoingProxy(status int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		_, _ = fmt.Fprintf(w, "<html><body><h1>%d</h1><pre>Authorization: %s\nHost: %s</pre></body></html>",
			status, r.Header.Get("Authorization"), r.Host)
	}
}

func wantRedacted(t *testing.T, text string, secrets ...string) {
	t.Helper()
	for _, secret := range secrets {
		if secret != "" && strings.Contains(text, secret) {
			t.Errorf("the secret %q is in: %s", secret, text)
		}
	}
	if !strings.Contains(text, redacted) {
		t.Errorf("no %s in: %s", redacted, text)
	}
}

func TestAPersonalTokenEchoedByAProxyIsRedacted(t *testing.T) {
	srv := newAPIServer(t, echoingProxy(http.StatusForbidden))
	_, err := newTestClient(t, srv.URL, func(c *Config) { c.MaxRetries = -1 }).GetBot(context.Background(), "1", false)
	apiErr, ok := AsAPIError(err)
	if !ok || apiErr.BodySnippet == "" {
		t.Fatalf("want an API error with a body snippet, got %v", err)
	}
	wantRedacted(t, apiErr.BodySnippet, testToken)
	wantRedacted(t, err.Error(), testToken)
	if !strings.Contains(apiErr.BodySnippet, "Authorization: Bearer "+redacted) {
		t.Errorf("snippet = %q", apiErr.BodySnippet)
	}
}

// The token is redacted before the snippet is cut: a cut token would no
// longer match.
func TestATokenCutByTheSnippetIsRedactedToo(t *testing.T) {
	pad := strings.Repeat("x", maxErrorBodySnippetLen-15) // the snippet ends 8 characters into the token
	srv := newAPIServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, pad+" token="+strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	})
	_, err := newTestClient(t, srv.URL, func(c *Config) { c.MaxRetries = -1 }).GetBot(context.Background(), "1", false)
	apiErr, ok := AsAPIError(err)
	if !ok {
		t.Fatalf("want an API error, got %v", err)
	}
	if strings.Contains(apiErr.BodySnippet, testToken[:8]) {
		t.Errorf("a part of the token is in the snippet: %q", apiErr.BodySnippet)
	}
}

func TestAnEnvelopeMsgEchoingTheTokenIsRedacted(t *testing.T) {
	srv := newAPIServer(t, envelopeHandler(200, `{"code":4100,"msg":"token `+testToken+` is invalid"}`))
	_, err := newTestClient(t, srv.URL).GetBot(context.Background(), "1", false)
	apiErr, ok := AsAPIError(err)
	if !ok {
		t.Fatalf("want an API error, got %v", err)
	}
	wantRedacted(t, apiErr.Msg, testToken)
	wantRedacted(t, err.Error(), testToken)
}

// A service app's JWT (sent to the token API) and access token (sent to the
// API) are redacted alike, as are the access tokens before the current one.
func TestAServiceAppsSecretsEchoedByAProxyAreRedacted(t *testing.T) {
	t.Run("the JWT, echoed by the token API's proxy", func(t *testing.T) {
		s := newAppServer(t)
		s.exchange = func(w http.ResponseWriter, _ int) {}
		var lastJWT atomic.Value
		s.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			lastJWT.Store(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
			echoingProxy(http.StatusBadGateway)(w, r)
		})
		c := newAppClient(t, s, JWTApp{})
		_, err := c.GetBot(context.Background(), "1", false)
		var exchange *TokenExchangeError
		jwt, _ := lastJWT.Load().(string)
		if !errors.As(err, &exchange) || jwt == "" {
			t.Fatalf("want a TokenExchangeError, got %v", err)
		}
		wantRedacted(t, exchange.BodySnippet, jwt)
		wantRedacted(t, err.Error(), jwt)
	})
	t.Run("the access tokens, current and previous, echoed by the API's proxy", func(t *testing.T) {
		s := newAppServer(t)
		var calls atomic.Int64
		s.api = func(w http.ResponseWriter, token string) {
			if calls.Add(1) == 1 { // refuse the first token: the client renews it
				writeJSON(w, http.StatusUnauthorized, map[string]any{"code": 4100, "msg": "expired"})
				return
			}
			w.WriteHeader(http.StatusBadGateway)
			_, _ = fmt.Fprintf(w, "<html>current %s previous czs_1</html>", token)
		}
		c := newAppClient(t, s, JWTApp{})
		_, err := c.GetBot(context.Background(), "1", false)
		apiErr, ok := AsAPIError(err)
		if !ok {
			t.Fatalf("want an API error, got %v", err)
		}
		wantRedacted(t, apiErr.BodySnippet, "czs_1", "czs_2")
		wantRedacted(t, err.Error(), "czs_1", "czs_2")
	})
}

func TestRedactTakesOutKnownSecretsAndAnyBearerToken(t *testing.T) {
	s := &secretSet{}
	s.add("pat_personal")
	s.add("czs_access")
	for text, want := range map[string]string{
		"pat_personal and czs_access":          "<redacted> and <redacted>",
		"Authorization: Bearer someone_elses":  "Authorization: Bearer <redacted>",
		`{"authorization":"bearer abc.def-g"}`: `{"authorization":"bearer <redacted>"}`,
		"Bearer%20abc123":                      "Bearer%20<redacted>",
		"nothing secret":                       "nothing secret",
	} {
		if got := s.redact(text); got != want {
			t.Errorf("redact(%q) = %q, want %q", text, got, want)
		}
	}
}

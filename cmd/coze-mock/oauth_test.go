package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The standalone mock serves a service app's token API from flags; with
// -refuse-personal-tokens only the app's access tokens get in.
func TestRunServesAServiceApp(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048) // generated here: no private key is committed
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	keyFile := filepath.Join(t.TempDir(), "public_key.pem")
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	base, stderr := startRun(t, "-token", "tok", "-oauth-client-id", "1127900106117", "-oauth-public-key-id", "kid1",
		"-oauth-public-key-file", keyFile, "-oauth-token-lifetime", "2s", "-refuse-personal-tokens")
	if !strings.Contains(stderr.String(), "service app 1127900106117 (kid kid1)") {
		t.Errorf("the log does not name the app:\n%s", stderr.String())
	}

	do := func(method, path, auth, body string) (int, map[string]any) {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), method, base+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+auth)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		var decoded map[string]any
		_ = json.Unmarshal(raw, &decoded)
		return res.StatusCode, decoded
	}
	now := time.Now()
	signed := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"iss": "1127900106117", "aud": strings.TrimPrefix(base, "http://"),
		"iat": now.Unix(), "exp": now.Add(time.Minute).Unix(), "jti": "a-fresh-jti-of-more-than-32-characters"})
	signed.Header["kid"] = "kid1"
	jwtText, err := signed.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	status, answer := do("POST", "/api/permission/oauth2/token", jwtText, `{"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","duration_seconds":3600}`)
	token, _ := answer["access_token"].(string)
	expiresIn, _ := answer["expires_in"].(float64)
	if status != 200 || token == "" || int64(expiresIn) > time.Now().Unix()+2 {
		t.Fatalf("exchange: HTTP %d %v (want a token capped at 2 s)", status, answer)
	}
	if status, answer := do("GET", "/v1/bots?publish_status=all&workspace_id=7341000000000000", token, ""); status != 200 || answer["code"] != float64(0) {
		t.Errorf("the app's token: HTTP %d %v", status, answer)
	}
	if status, answer := do("GET", "/v1/bots?publish_status=all&workspace_id=7341000000000000", "tok", ""); status != 401 || answer["code"] != float64(4100) {
		t.Errorf("the personal token: HTTP %d %v, want 401/4100", status, answer)
	}
}

func TestRunRejectsBadServiceAppFlags(t *testing.T) {
	notAKey := filepath.Join(t.TempDir(), "x.pem")
	if err := os.WriteFile(notAKey, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-oauth-client-id", "1"}, "needs -oauth-client-id, -oauth-public-key-id and -oauth-public-key-file"},
		{[]string{"-oauth-client-id", "1", "-oauth-public-key-id", "k", "-oauth-public-key-file", notAKey}, "not a PEM RSA public key"},
		{[]string{"-oauth-client-id", "1", "-oauth-public-key-id", "k", "-oauth-public-key-file", notAKey + ".missing"}, "-oauth-public-key-file"},
		{[]string{"-refuse-personal-tokens"}, "-refuse-personal-tokens needs a service app"},
	} {
		var stderr syncBuffer
		if err := run(t.Context(), c.args, &stderr); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("run(%q) = %v, want an error containing %q", c.args, err, c.want)
		}
	}
}

package provider

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

// The service app's keys are generated when the tests run: no private key
// is ever committed.
var (
	appKeysOnce     sync.Once
	appKey, someKey *rsa.PrivateKey
)

func testAppKeys(t *testing.T) (app, other *rsa.PrivateKey) {
	t.Helper()
	appKeysOnce.Do(func() {
		var err error
		if appKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if someKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return appKey, someKey
}

func pkcs8PEM(t *testing.T, key *rsa.PrivateKey) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

const (
	testAppClientID = "1127900106117"
	testAppKid      = "_v0VjcMlLdQc3tRTD3jC5Xz29TUnKQOhtuD5k-gpyf4"
)

// appEnv is a mock Coze API that knows the test's service app.
type appEnv struct {
	*testEnv
	keyPEM string
}

func newAppEnv(t *testing.T, app mockcoze.OAuthApp, opts mockcoze.Options, botIDs ...string) *appEnv {
	t.Helper()
	key, _ := testAppKeys(t)
	app.ClientID, app.PublicKeyID, app.PublicKey = testAppClientID, testAppKid, &key.PublicKey
	opts.OAuthApp = &app
	return &appEnv{testEnv: newTestEnv(t, opts, botIDs...), keyPEM: pkcs8PEM(t, key)}
}

// appConfig prefixes HCL with a provider block that authenticates as the
// service app; more is added inside oauth_jwt.
func (e *appEnv) appConfig(keyPEM, kid, more, hcl string) string {
	return fmt.Sprintf(`
provider "coze" {
  base_url    = %q
  max_retries = 2
  oauth_jwt = {
    client_id     = %q
    public_key_id = %q
    private_key   = <<EOT
%sEOT
    %s
  }
}
%s`, e.url, testAppClientID, kid, keyPEM, more, hcl)
}

// botIDsFor seeds n bots in the mock and returns their ids.
func seedBots(e *appEnv, n int) {
	for i := range n {
		e.mock.AddBot(fmt.Sprintf("73428668%05d", i))
	}
}

func manyBots(n int) string {
	return fmt.Sprintf(`
resource "coze_bot_config" "b" {
  count  = %d
  bot_id = format("73428668%%05d", count.index)
  name   = "bot ${count.index}"
}
`, n)
}

// checkNoAppSecret asserts that no JWT, access token or line of the
// private key is in any attribute of the state.
func (e *appEnv) checkNoAppSecret(s *terraform.State) error {
	secrets := e.mock.OAuthSecrets()
	if len(secrets) == 0 {
		return fmt.Errorf("the mock saw no JWT and issued no token: the check would prove nothing")
	}
	for _, line := range strings.Split(e.keyPEM, "\n") {
		if len(line) > 20 && !strings.HasPrefix(line, "-----") {
			secrets = append(secrets, line)
		}
	}
	for name, rs := range s.RootModule().Resources {
		for key, value := range rs.Primary.Attributes {
			for _, secret := range secrets {
				if strings.Contains(value, secret) {
					return fmt.Errorf("a secret of the service app is in the state: %s.%s", name, key)
				}
			}
		}
	}
	return nil
}

func checkMock(f func() error) resource.TestCheckFunc {
	return func(*terraform.State) error { return f() }
}

// A whole apply with the service app, against a mock that refuses personal
// tokens: every call used the app's access token.
func TestAccOAuthJWT_applyWithTheAppAndNoPersonalToken(t *testing.T) {
	t.Parallel()
	env := newAppEnv(t, mockcoze.OAuthApp{}, mockcoze.Options{RefusePersonalTokens: true})
	seedBots(env, 30)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.appConfig(env.keyPEM, testAppKid, "", manyBots(30)),
			Check: resource.ComposeAggregateTestCheckFunc(
				env.checkUpdates(30),
				resource.TestCheckResourceAttr("coze_bot_config.b.29", "name", "bot 29"),
				env.checkNoAppSecret,
				checkNoToken,
				checkMock(func() error {
					if n := env.mock.TokenExchanges(); n < 1 {
						return fmt.Errorf("no token exchange")
					}
					return nil
				}),
			),
		}},
	})
}

// Many concurrent calls of one apply (Terraform runs 10 at a time) cause
// one exchange, even when the token API is slow and they all wait for it.
func TestAccOAuthJWT_oneExchangeForManyConcurrentRequests(t *testing.T) {
	t.Parallel()
	env := newAppEnv(t, mockcoze.OAuthApp{ExchangeDelay: 500 * time.Millisecond}, mockcoze.Options{RefusePersonalTokens: true})
	seedBots(env, 30)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.appConfig(env.keyPEM, testAppKid, "", manyBots(30)),
			// Checked right after the apply: the plan before it made no call.
			Check: resource.ComposeAggregateTestCheckFunc(
				env.checkUpdates(30),
				checkMock(func() error {
					if n, most := env.mock.TokenExchanges(), env.mock.MaxConcurrentExchanges(); n != 1 || most != 1 {
						return fmt.Errorf("30 concurrent updates made %d exchanges (at most %d at once), want 1", n, most)
					}
					return nil
				}),
			),
		}},
	})
}

// With 2-second tokens and an apply that outlasts several of them, the
// provider renews each token before it expires: no call is refused for an
// expired token.
func TestAccOAuthJWT_renewalDuringALongApply(t *testing.T) {
	t.Parallel()
	env := newAppEnv(t, mockcoze.OAuthApp{TokenLifetime: 2 * time.Second}, mockcoze.Options{RefusePersonalTokens: true})
	seedBots(env, 30)
	// 30 updates of 800 ms, 10 at a time: the apply (about 2.4 s) outlasts the first token.
	env.mock.InjectFault(mockcoze.Fault{Method: "POST", Path: "/v1/bot/update", Delay: 800 * time.Millisecond, Times: 30})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.appConfig(env.keyPEM, testAppKid, "", manyBots(30)),
			Check: resource.ComposeAggregateTestCheckFunc(
				env.checkUpdates(30),
				env.checkNoAppSecret,
				checkMock(func() error {
					updates := env.updates()
					applied := updates[len(updates)-1].Time.Sub(updates[0].Time) + 800*time.Millisecond
					t.Logf("%d exchanges during an apply of %s", env.mock.TokenExchanges(), applied.Round(time.Millisecond))
					if n := env.mock.TokenExchanges(); n < 2 || applied < 2*time.Second {
						return fmt.Errorf("%d exchanges in %s: the apply did not outlast a token", n, applied)
					}
					if n := env.mock.ExpiredTokenRefusals(); n != 0 {
						return fmt.Errorf("%d calls were sent with an expired token: it was not renewed in time", n)
					}
					return nil
				}),
			),
		}},
	})
}

// A revoked app: the token API still issues tokens, but the API refuses
// them. One renewal, one retry, then an error that says so.
func TestAccOAuthJWT_revokedApp(t *testing.T) {
	t.Parallel()
	env := newAppEnv(t, mockcoze.OAuthApp{}, mockcoze.Options{RefusePersonalTokens: true}, botID)
	var exchangesBefore int
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: env.appConfig(env.keyPEM, testAppKid, "", `resource "coze_bot_config" "b" {
  bot_id = "7342866800001"
  name   = "before"
}`)},
			{
				PreConfig: func() {
					env.mock.RevokeApp()
					exchangesBefore = env.mock.TokenExchanges()
				},
				Config: env.appConfig(env.keyPEM, testAppKid, "", `resource "coze_bot_config" "b" {
  bot_id = "7342866800001"
  name   = "after"
}`),
				ExpectError: regexp.MustCompile(`(?s)code:\s+4100.*authorization\s+may\s+have\s+been\s+revoked.*OAuth\s+apps`),
			},
			{
				PreConfig: func() {
					// The refresh that failed: one exchange at its start, one renewal after the 4100.
					if n := env.mock.TokenExchanges() - exchangesBefore; n != 2 {
						t.Errorf("%d exchanges after the revocation, want 2 (one token, one renewal)", n)
					}
					env.mock.AuthorizeApp()
				},
				// Authorized again, the same configuration applies.
				Config: env.appConfig(env.keyPEM, testAppKid, "", `resource "coze_bot_config" "b" {
  bot_id = "7342866800001"
  name   = "after"
}`),
				Check: env.checkDraft(botID, "name", `"after"`),
			},
		},
	})
	if n := len(env.updates()); n != 2 {
		t.Errorf("%d updates, want 2: none while the app was revoked", n)
	}
}

// Exchange errors show error_code, error_message and the hint; no API call
// is made without a token.
func TestAccOAuthJWT_exchangeErrors(t *testing.T) {
	t.Parallel()
	_, otherKey := testAppKeys(t)
	for name, tc := range map[string]struct {
		key, kid string
		more     string // inside oauth_jwt
		setup    func(*mockcoze.Server)
		// viaGateway sends the requests through a gateway that rewrites
		// the exchange's grant_type.
		viaGateway bool
		want       *regexp.Regexp
	}{
		"wrong key": {key: "other", kid: testAppKid,
			want: regexp.MustCompile(`(?s)error_code:\s+invalid_client.*error_message:\s+invalid\s+JWT.*HTTP:\s+401.*logid:.*\(wrong\s+key\)`)},
		"wrong kid": {kid: "not-the-fingerprint",
			want: regexp.MustCompile(`(?s)error_code:\s+invalid_client.*kid.*"not-the-fingerprint".*\(wrong\s+kid\)`)},
		"app not authorized": {kid: testAppKid, setup: (*mockcoze.Server).DisableApp,
			want: regexp.MustCompile(`(?s)error_code:\s+access_deny.*deactivated.*\(app\s+not\s+authorized\)`)},
		"unknown organization": {kid: testAppKid, more: `account_id = "7490888144456999"`,
			want: regexp.MustCompile(`(?s)error_code:\s+invalid_request.*error_message:\s+invalid\s+request:\s+account_id.*HTTP:\s+400.*` +
				`Coze\s+refused\s+a\s+parameter\s+of\s+the\s+exchange;\s+error_message\s+names\s+it.*oauth_jwt\.account_id\s+the\s+id\s+of\s+an\s+organization`)},
		"a gateway that rewrites the grant": {kid: testAppKid, viaGateway: true,
			want: regexp.MustCompile(`(?s)error_code:\s+unsupported_grant_type.*error_message:\s+not\s+supported\s+grant\s+type:\s+client_credentials.*` +
				`The\s+server\s+at\s+base_url\s+\(http://127\.0\.0\.1:[0-9]+\)\s+does\s+not\s+support\s+the\s+JWT\s+grant.*rewrites\s+the\s+request`)},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newAppEnv(t, mockcoze.OAuthApp{}, mockcoze.Options{}, botID)
			if tc.setup != nil {
				tc.setup(env.mock)
			}
			if tc.viaGateway {
				env.url = grantRewritingGateway(t, env.url)
			}
			key := env.keyPEM
			if tc.key == "other" {
				key = pkcs8PEM(t, otherKey)
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: env.appConfig(key, tc.kid, tc.more, `resource "coze_bot_config" "b" {
  bot_id = "7342866800001"
  name   = "x"
}`),
					ExpectError: tc.want,
				}},
			})
			exchanges := 0
			for _, req := range env.mock.Requests() {
				if !strings.HasPrefix(req.Path, "/api/permission/oauth2/") {
					t.Errorf("an API call was made without a token: %s %s", req.Method, req.Path)
				}
				exchanges++
			}
			if exchanges == 0 {
				t.Error("the mock saw no exchange: the error came from elsewhere")
			}
		})
	}
}

// grantRewritingGateway is a gateway in front of target that rewrites the
// grant_type of every token exchange to client_credentials, keeping the
// Host (the JWT's aud); it returns the gateway's URL.
func grantRewritingGateway(t *testing.T, target string) string {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	gateway := httptest.NewServer(&httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(u)
		pr.Out.Host = pr.In.Host
		if pr.In.Body == nil {
			return
		}
		body, _ := io.ReadAll(pr.In.Body)
		body = bytes.ReplaceAll(body, []byte("urn:ietf:params:oauth:grant-type:jwt-bearer"), []byte("client_credentials"))
		pr.Out.Body, pr.Out.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	}})
	t.Cleanup(gateway.Close)
	return gateway.URL
}

func TestAccOAuthJWT_bothAuthMethodsSet(t *testing.T) {
	t.Parallel()
	env := newAppEnv(t, mockcoze.OAuthApp{}, mockcoze.Options{}, botID)
	cfg := env.appConfig(env.keyPEM, testAppKid, "", `resource "coze_bot_config" "b" {
  bot_id = "7342866800001"
  name   = "x"
}`)
	cfg = strings.Replace(cfg, "max_retries = 2", fmt.Sprintf("max_retries = 2\n  api_token = %q", testToken), 1)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      cfg,
			PlanOnly:    true,
			ExpectError: words("Both api_token and oauth_jwt are set"),
		}},
	})
	if n := len(env.mock.Requests()); n != 0 {
		t.Errorf("%d requests: the plan-time error came after a call", n)
	}
}

// account_id takes the token from the organization's endpoint.
func TestAccOAuthJWT_accountID(t *testing.T) {
	t.Parallel()
	env := newAppEnv(t, mockcoze.OAuthApp{AccountID: "7490888144456001"}, mockcoze.Options{RefusePersonalTokens: true}, botID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.appConfig(env.keyPEM, testAppKid, `account_id = "7490888144456001"
    token_duration = "23h59m59s"`, `resource "coze_bot_config" "b" {
  bot_id = "7342866800001"
  name   = "x"
}`),
			Check: resource.ComposeAggregateTestCheckFunc(
				env.checkUpdates(1),
				checkMock(func() error {
					reqs := env.mock.RequestsTo("POST", "/api/permission/oauth2/account/7490888144456001/token")
					if len(reqs) != 1 || !strings.Contains(string(reqs[0].Body), `"duration_seconds":86399`) {
						return fmt.Errorf("exchanges at the organization's endpoint: %v", reqs)
					}
					return nil
				}),
			),
		}},
	})
}

// ---- provider configuration (Configure) ----

func jwtBlock(attrs map[string]string) tftypes.Value {
	types := map[string]tftypes.Type{}
	values := map[string]tftypes.Value{}
	for _, name := range []string{"client_id", "public_key_id", "private_key", "account_id", "token_duration"} {
		types[name] = tftypes.String
		values[name] = tftypes.NewValue(tftypes.String, nil)
		if v, ok := attrs[name]; ok {
			values[name] = tftypes.NewValue(tftypes.String, v)
		}
	}
	return tftypes.NewValue(tftypes.Object{AttributeTypes: types}, values)
}

func TestOAuthJWTSettings(t *testing.T) {
	key, _ := testAppKeys(t)
	goodPEM := pkcs8PEM(t, key)
	keyFile := filepath.Join(t.TempDir(), "private_key.pem")
	if err := os.WriteFile(keyFile, []byte(goodPEM), 0o600); err != nil {
		t.Fatal(err)
	}
	// Key material that must never be shown: a PEM whose body does not parse.
	const secretBody = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDSECRETSECRETx"
	badPEM := "-----BEGIN PRIVATE KEY-----\n" + secretBody + "\n-----END PRIVATE KEY-----\n"
	appEnvVars := map[string]string{EnvOAuthClientID: testAppClientID, EnvOAuthPublicKeyID: testAppKid, EnvOAuthPrivateKey: goodPEM}
	withEnv := func(extra map[string]string) map[string]string {
		env := map[string]string{}
		for k, v := range appEnvVars {
			env[k] = v
		}
		for k, v := range extra {
			env[k] = v
		}
		return env
	}
	cases := map[string]struct {
		attrs     map[string]tftypes.Value
		env       map[string]string
		want      string // "" means no error, and a client
		attribute path.Path
	}{
		"the app from the environment":          {env: appEnvVars},
		"the key from a file":                   {env: withEnv(map[string]string{EnvOAuthPrivateKey: "", EnvOAuthPrivateKeyFile: keyFile})},
		"an empty COZE_OAUTH_* counts as unset": {env: map[string]string{EnvAPIToken: "pat_fine", EnvOAuthClientID: "", EnvOAuthPrivateKey: ""}},
		"the app from the block": {attrs: map[string]tftypes.Value{"oauth_jwt": jwtBlock(map[string]string{
			"client_id": testAppClientID, "public_key_id": testAppKid, "private_key": goodPEM, "account_id": "7490888144456001", "token_duration": "15m"})}},
		"both, from the environment": {env: withEnv(map[string]string{EnvAPIToken: "pat_fine"}),
			want: "api_token, here set by the environment variable COZE_API_TOKEN) or as a service app (oauth_jwt, here set by the environment variable COZE_OAUTH_CLIENT_ID"},
		"both, in the block": {attrs: map[string]tftypes.Value{"api_token": str("pat_fine"), "oauth_jwt": jwtBlock(map[string]string{
			"client_id": testAppClientID, "public_key_id": testAppKid, "private_key": goodPEM})},
			want: "api_token, here set by api_token in the provider block) or as a service app (oauth_jwt, here set by the oauth_jwt block"},
		"only a client id": {env: map[string]string{EnvOAuthClientID: testAppClientID},
			want: "Not set: oauth_jwt.public_key_id (or COZE_OAUTH_PUBLIC_KEY_ID), oauth_jwt.private_key (or COZE_OAUTH_PRIVATE_KEY or COZE_OAUTH_PRIVATE_KEY_FILE)"},
		"a bad key in the block": {attrs: map[string]tftypes.Value{"oauth_jwt": jwtBlock(map[string]string{
			"client_id": testAppClientID, "public_key_id": testAppKid, "private_key": badPEM})},
			want: "oauth_jwt.private_key in the provider block does not parse as a PKCS#8 or PKCS#1 RSA private key"},
		"a bad key in the environment": {env: withEnv(map[string]string{EnvOAuthPrivateKey: badPEM}),
			want: "COZE_OAUTH_PRIVATE_KEY (the environment variable for oauth_jwt.private_key) does not parse"},
		"a public key in the file": {env: withEnv(map[string]string{EnvOAuthPrivateKey: "", EnvOAuthPrivateKeyFile: writeTemp(t,
			"-----BEGIN PUBLIC KEY-----\n"+secretBody+"\n-----END PUBLIC KEY-----\n")}),
			want: "named by COZE_OAUTH_PRIVATE_KEY_FILE (the environment variable for oauth_jwt.private_key) holds a PUBLIC KEY, not a private key"},
		"two keys": {env: withEnv(map[string]string{EnvOAuthPrivateKeyFile: keyFile}),
			want: "Both COZE_OAUTH_PRIVATE_KEY and COZE_OAUTH_PRIVATE_KEY_FILE are set"},
		"a missing key file": {env: withEnv(map[string]string{EnvOAuthPrivateKey: "", EnvOAuthPrivateKeyFile: keyFile + ".gone"}),
			want: "COZE_OAUTH_PRIVATE_KEY_FILE (the environment variable for oauth_jwt.private_key) names a file that cannot be read"},
		"an organization id that is not one": {env: withEnv(map[string]string{EnvOAuthAccountID: "org-1"}),
			want: `COZE_OAUTH_ACCOUNT_ID (the environment variable for oauth_jwt.account_id) must be the decimal id of the organization`},
		"a token duration of a day": {attrs: map[string]tftypes.Value{"oauth_jwt": jwtBlock(map[string]string{"token_duration": "24h"})},
			env: appEnvVars, want: "oauth_jwt.token_duration must be a whole number of seconds above 0, at most 23h59m59s (86399 seconds", attribute: path.Root("oauth_jwt").AtName("token_duration")},
		"a token duration of no time": {attrs: map[string]tftypes.Value{"oauth_jwt": jwtBlock(map[string]string{"token_duration": "0s"})},
			env: appEnvVars, want: "oauth_jwt.token_duration must be a whole number of seconds above 0", attribute: path.Root("oauth_jwt").AtName("token_duration")},
		"a token duration of half a second": {attrs: map[string]tftypes.Value{"oauth_jwt": jwtBlock(map[string]string{"token_duration": "1500ms"})},
			env: appEnvVars, want: "oauth_jwt.token_duration must be a whole number of seconds", attribute: path.Root("oauth_jwt").AtName("token_duration")},
		// The doc gives no minimum: any whole number of seconds is asked for as it is.
		"a token duration of 30 seconds": {attrs: map[string]tftypes.Value{"oauth_jwt": jwtBlock(map[string]string{"token_duration": "30s"})},
			env: appEnvVars},
		"an account id in the block": {attrs: map[string]tftypes.Value{"oauth_jwt": jwtBlock(map[string]string{"account_id": "x1"})},
			env: appEnvVars, want: "oauth_jwt.account_id must be the decimal id", attribute: path.Root("oauth_jwt").AtName("account_id")},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			for _, env := range append(oauthEnvVars, EnvAPIToken) {
				if _, set := tc.env[env]; !set {
					t.Setenv(env, "")
				}
			}
			resp := configureWith(t, tc.attrs, tc.env)
			if tc.want == "" {
				if resp.Diagnostics.HasError() {
					t.Fatal(resp.Diagnostics)
				}
				if client, diags := resp.ResourceData.(*providerData).apiClient(); client == nil || diags.HasError() {
					t.Fatalf("no client: %v", diags)
				}
				return
			}
			if !resp.Diagnostics.HasError() {
				t.Fatalf("accepted: want an error containing %q", tc.want)
			}
			d := resp.Diagnostics.Errors()[0]
			if !strings.Contains(d.Detail(), tc.want) {
				t.Errorf("detail = %q, want it to contain %q", d.Detail(), tc.want)
			}
			withPath, onAttribute := d.(interface{ Path() path.Path })
			if len(tc.attribute.Steps()) > 0 && (!onAttribute || !withPath.Path().Equal(tc.attribute)) {
				t.Errorf("the error is not on %s: %v", tc.attribute, d)
			}
			if strings.Contains(name, "key") && onAttribute {
				t.Errorf("a key error is on attribute %s: Terraform would show its line of configuration", withPath.Path())
			}
			if strings.Contains(d.Summary()+d.Detail(), "SECRETSECRET") || strings.Contains(d.Detail(), goodPEM[30:60]) {
				t.Errorf("the error shows the key: %s", d.Detail())
			}
		})
	}
}

func writeTemp(t *testing.T, content string) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "key.pem")
	if err := os.WriteFile(f, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

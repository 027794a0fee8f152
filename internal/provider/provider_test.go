package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
	"github.com/coze-terraform/terraform-provider-coze/internal/serve"
)

// testToken is what the acceptance tests authenticate with; tests assert it
// never shows up in state or output.
const testToken = "pat_acceptance_SECRET_token_0123456789"

var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"coze": serve.NewProtocol6WithError(&cozeProvider{version: "test", createRechecks: testCreateRechecks}),
}

// testCreateRechecks read the list three times after an uncertain create,
// without the waits of defaultCreateRechecks.
var testCreateRechecks = []time.Duration{0, time.Millisecond, time.Millisecond}

// testEnv is one mock Coze API per test, so tests run in parallel.
type testEnv struct {
	mock *mockcoze.Server
	url  string
}

func newTestEnv(t *testing.T, opts mockcoze.Options, botIDs ...string) *testEnv {
	t.Helper()
	opts.Token = testToken
	mock := mockcoze.New(opts)
	for _, id := range botIDs {
		mock.AddBot(id)
	}
	srv := httptest.NewServer(mock)
	t.Cleanup(srv.Close)
	return &testEnv{mock: mock, url: srv.URL}
}

// apiClientFor is a client of env's mock, as the provider builds it.
func (e *testEnv) apiClientFor(t *testing.T) *coze.Client {
	t.Helper()
	client, err := coze.NewClient(coze.Config{BaseURL: e.url, Token: testToken, RetryWaitMin: time.Millisecond, RetryWaitMax: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// planFailure is a configuration whose plan must fail with an error that
// has want's words.
type planFailure struct{ hcl, want string }

// expectPlanTimeErrors plans each configuration of failures, expecting its
// error, and fails if any request reached the mock: bad input fails at plan
// time, before any API call.
func (e *testEnv) expectPlanTimeErrors(t *testing.T, failures []planFailure) {
	t.Helper()
	for _, f := range failures {
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps:                    []resource.TestStep{{Config: e.config(f.hcl), PlanOnly: true, ExpectError: words(f.want)}},
		})
	}
	if n := len(e.mock.Requests()); n != 0 {
		t.Errorf("validation errors must stop the plan before any API call; the mock saw %d requests", n)
	}
}

// config prefixes HCL with a provider block pointing at this test's mock.
func (e *testEnv) config(hcl string) string {
	return fmt.Sprintf(`
provider "coze" {
  base_url    = %q
  api_token   = %q
  max_retries = 2
}
%s`, e.url, testToken, hcl)
}

func (e *testEnv) updates() []mockcoze.Request {
	return e.mock.RequestsTo("POST", "/v1/bot/update")
}

// checkUpdates asserts how many update calls the mock has seen so far.
func (e *testEnv) checkUpdates(want int) func(*terraform.State) error {
	return func(*terraform.State) error {
		if got := len(e.updates()); got != want {
			return fmt.Errorf("mock saw %d POST /v1/bot/update, want %d", got, want)
		}
		return nil
	}
}

// checkDraft asserts a value of the mock's stored draft, by JSON path.
func (e *testEnv) checkDraft(botID, path, wantJSON string) func(*terraform.State) error {
	return func(*terraform.State) error {
		draft, ok := e.mock.Draft(botID)
		if !ok {
			return fmt.Errorf("bot %s not in the mock", botID)
		}
		var cur any = draft
		for _, key := range strings.Split(path, ".") {
			obj, ok := cur.(map[string]any)
			if !ok {
				return fmt.Errorf("draft %s: %s is not an object", path, key)
			}
			cur = obj[key]
		}
		got, _ := json.Marshal(cur)
		want, _ := decodeJSON([]byte(wantJSON))
		gotDecoded, _ := decodeJSON(got)
		if !jsonEqual(gotDecoded, want) {
			return fmt.Errorf("draft %s = %s, want %s", path, got, wantJSON)
		}
		return nil
	}
}

// checkNoToken asserts the token is in no attribute of the state.
func checkNoToken(s *terraform.State) error {
	for name, rs := range s.RootModule().Resources {
		for key, value := range rs.Primary.Attributes {
			if strings.Contains(value, testToken) {
				return fmt.Errorf("token found in state: %s.%s", name, key)
			}
		}
	}
	return nil
}

func TestProviderConfigureDefersMissingToken(t *testing.T) {
	t.Setenv(EnvAPIToken, "")
	p := New("test")()
	schemaResp := &provider.SchemaResponse{}
	p.Schema(context.Background(), provider.SchemaRequest{}, schemaResp)
	cfg := tfsdk.Config{Schema: schemaResp.Schema, Raw: tftypes.NewValue(schemaResp.Schema.Type().TerraformType(context.Background()), map[string]tftypes.Value{
		"api_token":           tftypes.NewValue(tftypes.String, nil),
		"base_url":            tftypes.NewValue(tftypes.String, nil),
		"max_retries":         tftypes.NewValue(tftypes.Number, nil),
		"requests_per_second": tftypes.NewValue(tftypes.Number, nil),
		"request_timeout":     tftypes.NewValue(tftypes.String, nil),
		"oauth_jwt":           tftypes.NewValue(schemaResp.Schema.Attributes["oauth_jwt"].GetType().TerraformType(context.Background()), nil),
	})}
	resp := &provider.ConfigureResponse{}
	p.Configure(context.Background(), provider.ConfigureRequest{Config: cfg}, resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("configure without a token must succeed (terraform validate needs no token): %v", resp.Diagnostics)
	}
	_, diags := resp.ResourceData.(*providerData).apiClient()
	if !diags.HasError() || !strings.Contains(diags[0].Detail(), EnvAPIToken) {
		t.Errorf("want a missing-token error naming %s once the API is needed, got %v", EnvAPIToken, diags)
	}
}

func TestCheckBaseURL(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://api.coze.cn":   true,
		"https://api.coze.com/": true,
		"http://127.0.0.1:8787": true,
		"http://localhost:1234": true,
		"http://[::1]:80":       true,
		"http://api.coze.cn":    false,
		"http://10.0.0.1":       false,
		"ftp://api.coze.cn":     false,
		"api.coze.cn":           false,
		"":                      false,
	} {
		if err := checkBaseURL(raw); (err == nil) != ok {
			t.Errorf("checkBaseURL(%q) = %v, want ok=%v", raw, err, ok)
		}
	}
}

func TestMain(m *testing.M) {
	if os.Getenv(envServeFloor) == "1" {
		serveFloorProvider() // make bench runs this test binary as a provider
	}
	// The tests pass the token in the provider block; an ambient one must not leak in.
	os.Unsetenv(EnvAPIToken)
	for _, env := range oauthEnvVars {
		os.Unsetenv(env)
	}
	os.Exit(m.Run())
}

func TestProviderDefaultsToTheChinaSite(t *testing.T) {
	t.Setenv(EnvAPIToken, "t")
	t.Setenv(EnvBaseURL, "")
	p := New("test")()
	schemaResp := &provider.SchemaResponse{}
	p.Schema(context.Background(), provider.SchemaRequest{}, schemaResp)
	nulls := map[string]tftypes.Value{}
	for name, a := range schemaResp.Schema.Attributes {
		nulls[name] = tftypes.NewValue(a.GetType().TerraformType(context.Background()), nil)
	}
	cfg := tfsdk.Config{Schema: schemaResp.Schema, Raw: tftypes.NewValue(schemaResp.Schema.Type().TerraformType(context.Background()), nulls)}
	resp := &provider.ConfigureResponse{}
	p.Configure(context.Background(), provider.ConfigureRequest{Config: cfg}, resp)
	client, diags := resp.ResourceData.(*providerData).apiClient()
	if diags.HasError() || client == nil {
		t.Fatalf("configure: %v %v", resp.Diagnostics, diags)
	}
	if client.BaseURL() != "https://api.coze.cn" {
		t.Errorf("default base URL = %q", client.BaseURL())
	}
}

func configureWithEnv(t *testing.T, env map[string]string) *provider.ConfigureResponse {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	p := New("test")()
	schemaResp := &provider.SchemaResponse{}
	p.Schema(context.Background(), provider.SchemaRequest{}, schemaResp)
	nulls := map[string]tftypes.Value{}
	for name, a := range schemaResp.Schema.Attributes {
		nulls[name] = tftypes.NewValue(a.GetType().TerraformType(context.Background()), nil)
	}
	cfg := tfsdk.Config{Schema: schemaResp.Schema, Raw: tftypes.NewValue(schemaResp.Schema.Type().TerraformType(context.Background()), nulls)}
	resp := &provider.ConfigureResponse{}
	p.Configure(context.Background(), provider.ConfigureRequest{Config: cfg}, resp)
	return resp
}

// Settings from the environment are checked like the provider block's.
func TestProviderEnvironmentSettingsAreValidated(t *testing.T) {
	cases := map[string]struct {
		env  map[string]string
		want string
	}{
		"max retries not a number": {map[string]string{EnvMaxRetries: "many"}, EnvMaxRetries + " must be a whole number from 0 to 20"},
		"max retries too high":     {map[string]string{EnvMaxRetries: "21"}, EnvMaxRetries + " must be a whole number from 0 to 20"},
		"negative rate":            {map[string]string{EnvRequestsPerSecond: "-1"}, EnvRequestsPerSecond + " must be a finite number of requests per second"},
		"bad timeout":              {map[string]string{EnvRequestTimeout: "soon"}, EnvRequestTimeout + ` (the environment variable for request_timeout) must be a positive Go duration such as "30s", got: "soon"`},
		"plain http":               {map[string]string{EnvBaseURL: "http://api.coze.cn"}, EnvBaseURL + " (the environment variable for base_url) must use https"},
		"valid settings":           {map[string]string{EnvMaxRetries: "0", EnvRequestsPerSecond: "2.5", EnvRequestTimeout: "10s", EnvAPIToken: "t"}, ""},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resp := configureWithEnv(t, tc.env)
			if tc.want == "" {
				if resp.Diagnostics.HasError() {
					t.Fatalf("valid settings rejected: %v", resp.Diagnostics)
				}
				return
			}
			if !resp.Diagnostics.HasError() || !strings.Contains(resp.Diagnostics.Errors()[0].Detail(), tc.want) {
				t.Errorf("want an error containing %q, got %v", tc.want, resp.Diagnostics)
			}
		})
	}
}

package provider

import (
	"context"
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// configureWith runs Configure with the given provider block attributes
// (the others null) and environment.
func configureWith(t *testing.T, attrs map[string]tftypes.Value, env map[string]string) *provider.ConfigureResponse {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	p := New("test")()
	schemaResp := &provider.SchemaResponse{}
	p.Schema(context.Background(), provider.SchemaRequest{}, schemaResp)
	values := map[string]tftypes.Value{}
	for name, a := range schemaResp.Schema.Attributes {
		values[name] = tftypes.NewValue(a.GetType().TerraformType(context.Background()), nil)
	}
	for name, v := range attrs {
		values[name] = v
	}
	cfg := tfsdk.Config{Schema: schemaResp.Schema, Raw: tftypes.NewValue(schemaResp.Schema.Type().TerraformType(context.Background()), values)}
	resp := &provider.ConfigureResponse{}
	p.Configure(context.Background(), provider.ConfigureRequest{Config: cfg}, resp)
	return resp
}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

// Every setting the client cannot use is an error at plan time (Configure)
// that names the attribute, or the environment variable the value came
// from, and never shows a token or a password.
func TestProviderRefusesUnusableSettings(t *testing.T) {
	const password, token = "hunter2pw", "pat_SECRETSECRET"
	cases := map[string]struct {
		attrs     map[string]tftypes.Value
		env       map[string]string
		want      string
		attribute string // the attribute the error is on; "" for an environment variable
	}{
		// Not on the attribute, as for the token: its line of configuration may hold the password.
		"base_url with userinfo": {attrs: map[string]tftypes.Value{"base_url": str("https://alice:" + password + "@api.coze.cn")},
			want: `base_url in the provider block must not contain a user name or password (userinfo before "@")`},
		"base_url with userinfo that does not parse": {attrs: map[string]tftypes.Value{"base_url": str("https://alice:" + password + " x@api.coze.cn")},
			want: "base_url in the provider block must be an absolute URL"},
		EnvBaseURL + " with userinfo": {env: map[string]string{EnvBaseURL: "https://alice:" + password + "@api.coze.cn"},
			want: EnvBaseURL + " (the environment variable for base_url) must not contain a user name or password"},
		"base_url with a query": {attrs: map[string]tftypes.Value{"base_url": str("https://api.coze.cn/?region=cn")},
			want: "base_url must not contain a query", attribute: "base_url"},
		"base_url with a fragment": {attrs: map[string]tftypes.Value{"base_url": str("https://api.coze.cn/#x")},
			want: "base_url must not contain a fragment", attribute: "base_url"},
		// Not on the attribute: Terraform would show the configuration line, which may hold the token.
		"api_token ending in a newline": {attrs: map[string]tftypes.Value{"api_token": str(token + "\n")},
			want: "api_token in the provider block contains a newline (\\n) at its end"},
		"api_token ending in CR LF": {attrs: map[string]tftypes.Value{"api_token": str(token + "\r\n")},
			want: "api_token in the provider block contains a carriage return (\\r) at its end"},
		EnvAPIToken + " with a newline": {env: map[string]string{EnvAPIToken: token + "\n"},
			want: EnvAPIToken + " (the environment variable for api_token) contains a newline"},
		EnvRequestsPerSecond + "=NaN": {env: map[string]string{EnvRequestsPerSecond: "NaN"},
			want: EnvRequestsPerSecond + ` must be a finite number of requests per second, 0 or more (0 means unlimited), got: "NaN"`},
		EnvRequestsPerSecond + "=Inf":      {env: map[string]string{EnvRequestsPerSecond: "Inf"}, want: EnvRequestsPerSecond + " must be a finite number"},
		EnvRequestsPerSecond + "=-Inf":     {env: map[string]string{EnvRequestsPerSecond: "-Inf"}, want: EnvRequestsPerSecond + " must be a finite number"},
		EnvRequestsPerSecond + "=infinity": {env: map[string]string{EnvRequestsPerSecond: "infinity"}, want: EnvRequestsPerSecond + " must be a finite number"},
		EnvRequestTimeout + "=soon": {env: map[string]string{EnvRequestTimeout: "soon"},
			want: EnvRequestTimeout + ` (the environment variable for request_timeout) must be a positive Go duration`},
		"request_timeout = soon": {attrs: map[string]tftypes.Value{"request_timeout": str("soon")},
			want: `request_timeout must be a positive Go duration such as "30s", got: "soon"`, attribute: "request_timeout"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if tc.env == nil || tc.env[EnvAPIToken] == "" {
				t.Setenv(EnvAPIToken, "pat_fine")
			}
			resp := configureWith(t, tc.attrs, tc.env)
			if !resp.Diagnostics.HasError() {
				t.Fatalf("accepted: want an error containing %q", tc.want)
			}
			d := resp.Diagnostics.Errors()[0]
			if !strings.Contains(d.Detail(), tc.want) {
				t.Errorf("detail = %q, want it to contain %q", d.Detail(), tc.want)
			}
			withPath, onAttribute := d.(interface{ Path() path.Path })
			if tc.attribute != "" && (!onAttribute || !withPath.Path().Equal(path.Root(tc.attribute))) {
				t.Errorf("the error is not on attribute %s: %v", tc.attribute, d)
			}
			if tc.attribute == "" && onAttribute {
				t.Errorf("the error is on attribute %s: Terraform would show its line of configuration", withPath.Path())
			}
			for _, secret := range []string{password, "alice", "SECRETSECRET"} {
				if strings.Contains(d.Summary()+d.Detail(), secret) {
					t.Errorf("the error shows %q: %s", secret, d.Detail())
				}
			}
		})
	}
}

// What stays allowed: a path prefix on base_url, a token with nothing around it.
func TestProviderAcceptsAPathPrefix(t *testing.T) {
	resp := configureWith(t, map[string]tftypes.Value{"base_url": str("https://gateway.example.com/coze/"), "api_token": str("pat_fine")}, nil)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	client, diags := resp.ResourceData.(*providerData).apiClient()
	if diags.HasError() || client.BaseURL() != "https://gateway.example.com/coze" {
		t.Fatalf("base URL = %v, %v", client, diags)
	}
}

// requests_per_second = 1/0 is +Inf in HCL: refused by the attribute's validator.
func TestRequestsPerSecondMustBeFinite(t *testing.T) {
	validate := func(f float64) diag.Diagnostics {
		schemaResp := &provider.SchemaResponse{}
		New("test")().Schema(context.Background(), provider.SchemaRequest{}, schemaResp)
		attr := schemaResp.Schema.Attributes["requests_per_second"].(schema.NumberAttribute)
		var diags diag.Diagnostics
		for _, v := range attr.NumberValidators() {
			resp := &validator.NumberResponse{}
			v.ValidateNumber(context.Background(), validator.NumberRequest{Path: path.Root("requests_per_second"), ConfigValue: types.NumberValue(big.NewFloat(f))}, resp)
			diags.Append(resp.Diagnostics...)
		}
		return diags
	}
	for _, f := range []float64{math.Inf(1), math.Inf(-1), -1} {
		if diags := validate(f); !diags.HasError() || !strings.Contains(diags.Errors()[0].Detail(), "must be a finite number of requests per second, 0 or more") {
			t.Errorf("%v: %v", f, diags)
		}
	}
	for _, f := range []float64{0, 2.5} {
		if diags := validate(f); diags.HasError() {
			t.Errorf("%v refused: %v", f, diags)
		}
	}
}

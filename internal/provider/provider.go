// Package provider is the Terraform side of terraform-provider-coze, on
// terraform-plugin-framework: the provider block (provider.go) and every
// resource and data source, which map Terraform values to and from the
// types of the API client, internal/coze.
//
// Files are named by resource family, so that each family has one place:
// bot_*.go, file_*.go, and in the same way knowledge_*.go and
// workspace_*.go. A resource is <family>_resource.go or
// <family>_<thing>_resource.go, a data source ..._data_source.go, with its
// tests beside it; a large resource splits by concern (bot_config_schema.go,
// _mapping.go, _refresh.go, _validate.go, and _accessors.go, generated from
// the schema). Every resource embeds
// resourceBase and every data source dataSourceBase (base.go). What all
// families share is in files without a family prefix: base.go, errors.go,
// logging.go, dynamic_json.go. DESIGN.md says why; CONTRIBUTING.md how to
// add a resource.
package provider

import (
	"context"
	"fmt"
	"math"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

// Environment variables read by the provider block.
const (
	EnvAPIToken          = "COZE_API_TOKEN"
	EnvBaseURL           = "COZE_API_BASE"
	EnvMaxRetries        = "COZE_MAX_RETRIES"
	EnvRequestsPerSecond = "COZE_REQUESTS_PER_SECOND"
	EnvRequestTimeout    = "COZE_REQUEST_TIMEOUT"
)

var _ provider.Provider = &cozeProvider{}

type cozeProvider struct {
	version string
	// createRechecks replaces defaultCreateRechecks (tests; create_recovery.go).
	createRechecks []time.Duration
}

// New returns a constructor of the provider, as providerserver expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &cozeProvider{version: version} }
}

type providerModel struct {
	APIToken          types.String `tfsdk:"api_token"`
	BaseURL           types.String `tfsdk:"base_url"`
	MaxRetries        types.Int64  `tfsdk:"max_retries"`
	RequestsPerSecond types.Number `tfsdk:"requests_per_second"`
	RequestTimeout    types.String `tfsdk:"request_timeout"`
	OAuthJWT          types.Object `tfsdk:"oauth_jwt"`
}

func (p *cozeProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "coze"
	resp.Version = p.version
}

func (p *cozeProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages Coze (扣子) bots through the Coze OpenAPI.",
		Attributes: map[string]schema.Attribute{
			"api_token": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "Coze personal access token (`pat_...`) or OAuth access token. Defaults to the `" + EnvAPIToken +
					"` environment variable. Needs the `edit` and `getMetadata` permissions. Only required once a resource calls the API, " +
					"so `terraform validate` works without it. A token with white space or control characters is refused at plan time " +
					"(a token read with `file()` keeps the file's final newline: use `trimspace(file(...))`). Mutually exclusive with " +
					"`oauth_jwt`.",
			},
			"oauth_jwt": oauthJWTAttribute(),
			"base_url": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Base URL of the Coze OpenAPI: `" + coze.BaseURLChina + "` (China site, the default) or `" +
					coze.BaseURLInternational + "` (international site). A token only works on the site that issued it. Defaults to the `" +
					EnvBaseURL + "` environment variable. Must be `https`, except for loopback addresses (a local mock or proxy). " +
					"A path prefix is kept, for a gateway that serves the API below a path: `https://gateway.example.com/coze` sends " +
					"requests to `https://gateway.example.com/coze/v1/...`. A user name or password, a query (`?...`) or a fragment " +
					"(`#...`) is refused. The provider never follows a redirect: the token is only ever sent to this address.",
			},
			"max_retries": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("How many times a request is retried after HTTP 429, 5xx, a network error or a Coze "+
					"\"try later\" code, with exponential backoff that honours `Retry-After`. Defaults to the `%s` environment variable, else %d. 0 disables retries.",
					EnvMaxRetries, coze.DefaultMaxRetries),
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
			// A number rather than a float64: HCL's 1/0 is +Inf, which the
			// framework cannot convert to float64 and reports as a provider bug.
			"requests_per_second": schema.NumberAttribute{
				Optional: true,
				MarkdownDescription: "Client-side limit on requests per second, shared by every resource of this provider " +
					"configuration: a finite number, 0 or more, where 0 means unlimited. Defaults to the `" + EnvRequestsPerSecond +
					"` environment variable, else unlimited.",
				Validators: []validator.Number{requestRateValidator{}},
			},
			"request_timeout": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Timeout of one HTTP request attempt, as a Go duration (`30s`, `2m`). Defaults to the `" +
					EnvRequestTimeout + "` environment variable, else `" + coze.DefaultRequestTimeout.String() + "`.",
			},
		},
	}
}

// providerData is what Configure hands to resources. The client is built
// lazily: a missing token is only an error once a resource needs the API.
type providerData struct {
	client    *coze.Client
	configErr diag.Diagnostics
	// The listings that the resources of one walk share (listing_cache.go),
	// built with providerData, once per Configure.
	publishStates *publishStates                     // bot_publish_state.go
	documents     listingCache[coze.Document]        // per knowledge base
	counts        documentCounts                     // created documents' counts, per knowledge base (knowledge_document_counts.go)
	goneBases     knowledgeBasesGone                 // knowledge_base_resource.go
	members       listingCache[coze.WorkspaceMember] // per workspace
	workspaces    listingCache[coze.Workspace]       // the token's workspaces, scope ""
	written       writtenIDs                         // bots and workspaces written in this walk (create_recovery.go)
	// createRechecks replaces defaultCreateRechecks when set (tests; create_recovery.go).
	createRechecks []time.Duration
}

// apiClient returns the client, or the configuration error that prevents one.
func (d *providerData) apiClient() (*coze.Client, diag.Diagnostics) {
	if d == nil {
		var diags diag.Diagnostics
		diags.AddError("Provider not configured", "The coze provider was not configured. This is a bug in the provider.")
		return nil, diags
	}
	return d.client, d.configErr
}

func (p *cozeProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	for name, v := range map[string]interface{ IsUnknown() bool }{
		"api_token": cfg.APIToken, "base_url": cfg.BaseURL, "max_retries": cfg.MaxRetries,
		"requests_per_second": cfg.RequestsPerSecond, "request_timeout": cfg.RequestTimeout,
	} {
		if v.IsUnknown() {
			resp.Diagnostics.AddAttributeError(path.Root(name), "Unknown provider setting",
				fmt.Sprintf("The coze provider's %s is not known until apply. Set it to a value known at plan time.", name))
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	clientCfg := coze.Config{
		Token:     stringOrEnv(cfg.APIToken, EnvAPIToken, ""),
		BaseURL:   stringOrEnv(cfg.BaseURL, EnvBaseURL, coze.BaseURLChina),
		UserAgent: fmt.Sprintf("terraform-provider-coze/%s terraform/%s", p.version, req.TerraformVersion),
	}
	if clientCfg.Token != "" {
		if err := coze.CheckToken(clientCfg.Token); err != nil {
			token := settingOf(cfg.APIToken, "api_token", EnvAPIToken)
			token.sensitive = true
			token.addError(&resp.Diagnostics, "Invalid Coze API token", err)
		}
	}
	if err := checkBaseURL(clientCfg.BaseURL); err != nil {
		baseURL := settingOf(cfg.BaseURL, "base_url", EnvBaseURL)
		baseURL.sensitive = strings.Contains(clientCfg.BaseURL, "@") // it may hold a password
		baseURL.addError(&resp.Diagnostics, "Invalid Coze base URL", err)
	}
	clientCfg.MaxRetries = int(int64OrEnv(cfg.MaxRetries, EnvMaxRetries, coze.DefaultMaxRetries, &resp.Diagnostics))
	if clientCfg.MaxRetries == 0 {
		clientCfg.MaxRetries = -1 // the client reads 0 as "default"
	}
	clientCfg.RequestsPerSecond = float64OrEnv(cfg.RequestsPerSecond, EnvRequestsPerSecond, &resp.Diagnostics)
	timeout := stringOrEnv(cfg.RequestTimeout, EnvRequestTimeout, coze.DefaultRequestTimeout.String())
	if d, err := time.ParseDuration(timeout); err != nil || d <= 0 {
		settingOf(cfg.RequestTimeout, "request_timeout", EnvRequestTimeout).addError(&resp.Diagnostics, "Invalid request timeout",
			fmt.Errorf("must be a positive Go duration such as \"30s\", got: %q", timeout))
	} else {
		clientCfg.RequestTimeout = d
	}
	app, appSetBy := configureOAuthJWT(ctx, cfg.OAuthJWT, &resp.Diagnostics)
	if clientCfg.Token != "" && app != nil {
		tokenSetBy := "api_token in the provider block"
		if cfg.APIToken.IsNull() {
			tokenSetBy = "the environment variable " + EnvAPIToken
		}
		resp.Diagnostics.AddError("Both api_token and oauth_jwt are set", fmt.Sprintf("The coze provider authenticates either "+
			"with a personal access token (api_token, here set by %s) or as a service app (oauth_jwt, here set by %s), not both. "+
			"Remove one of them (an environment variable set to the empty string counts as unset).", tokenSetBy, appSetBy))
	}
	if resp.Diagnostics.HasError() {
		return
	}

	data := &providerData{publishStates: newPublishStates(), createRechecks: p.createRechecks}
	if clientCfg.Token == "" && app == nil {
		data.configErr.AddError("Missing Coze API token",
			"The coze provider needs an API token or a service app to call the Coze API. Set the "+EnvAPIToken+" environment "+
				"variable (recommended; in Terraform Cloud, as a sensitive environment variable) or api_token in the provider block. "+
				"Create a personal access token with the edit and getMetadata permissions in the Coze console. For CI and "+
				"Terraform Cloud, a service app (oauth_jwt, or the "+EnvOAuthClientID+", "+EnvOAuthPublicKeyID+" and "+
				EnvOAuthPrivateKey+" environment variables) does not depend on a person's token.")
	} else {
		clientCfg.OAuthJWT = app
		clientCfg.Logger = newTFLogger(clientCfg.Token)
		client, err := coze.NewClient(clientCfg)
		if err != nil {
			resp.Diagnostics.AddError("Cannot create the Coze API client", err.Error())
			return
		}
		data.client = client
	}
	resp.ResourceData = data
	resp.DataSourceData = data
}

// checkBaseURL allows https anywhere and plain http only on loopback, so a
// token is never sent in clear text over a network; coze.CheckBaseURL
// refuses userinfo, query and fragment. The error completes a sentence that
// names the setting, and never shows userinfo.
func checkBaseURL(raw string) error {
	u, err := coze.CheckBaseURL(raw)
	if err != nil {
		return err
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
			return nil
		}
	}
	return fmt.Errorf("must use https (http is allowed only for loopback addresses such as a local mock), got: %q", raw)
}

// setting names a provider setting in its errors: the attribute, or the
// environment variable its value came from.
type setting struct {
	attribute, env string
	fromEnv        bool
	// sensitive errors are not attached to the attribute: Terraform would
	// show its line of configuration, which may hold the value itself.
	sensitive bool
}

func settingOf(v interface{ IsNull() bool }, attribute, env string) setting {
	return setting{attribute: attribute, env: env, fromEnv: v.IsNull() && os.Getenv(env) != ""}
}

// addError adds "<setting> <err>", on the attribute when the value came from
// the provider block and is not sensitive.
func (s setting) addError(diags *diag.Diagnostics, summary string, err error) {
	switch {
	case s.fromEnv:
		diags.AddError(summary, fmt.Sprintf("%s (the environment variable for %s) %v", s.env, s.attribute, err))
	case s.sensitive:
		diags.AddError(summary, fmt.Sprintf("%s in the provider block %v", s.attribute, err))
	default:
		diags.AddAttributeError(attributePath(s.attribute), summary, fmt.Sprintf("%s %v", s.attribute, err))
	}
}

// attributePath is the path of an attribute named with dots: "oauth_jwt.account_id",
// or a key of refreshRules such as "knowledge.dataset_ids".
func attributePath(name string) path.Path {
	parts := strings.Split(name, ".")
	p := path.Root(parts[0])
	for _, part := range parts[1:] {
		p = p.AtName(part)
	}
	return p
}

func stringOrEnv(v types.String, env, fallback string) string {
	if !v.IsNull() {
		return v.ValueString()
	}
	if s := os.Getenv(env); s != "" {
		return s
	}
	return fallback
}

func int64OrEnv(v types.Int64, env string, fallback int64, diags *diag.Diagnostics) int64 {
	if !v.IsNull() {
		return v.ValueInt64()
	}
	s := os.Getenv(env)
	if s == "" {
		return fallback
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > 20 {
		diags.AddError("Invalid "+env, fmt.Sprintf("%s must be a whole number from 0 to 20, got: %q", env, s))
	}
	return n
}

func float64OrEnv(v types.Number, env string, diags *diag.Diagnostics) float64 {
	if !v.IsNull() && v.ValueBigFloat() != nil {
		f, _ := v.ValueBigFloat().Float64()
		return f
	}
	s := os.Getenv(env)
	if s == "" {
		return 0
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
		diags.AddError("Invalid "+env, fmt.Sprintf("%s must be a finite number of requests per second, 0 or more (0 means unlimited), got: %q", env, s))
	}
	return f
}

// requestRateValidator accepts a finite number, 0 or more. It refuses
// infinity (HCL's 1/0), which the rate limiter would take as "unlimited";
// HCL has no NaN.
type requestRateValidator struct{}

func (requestRateValidator) Description(context.Context) string {
	return "must be a finite number, 0 or more"
}

func (v requestRateValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (requestRateValidator) ValidateNumber(_ context.Context, req validator.NumberRequest, resp *validator.NumberResponse) {
	f := req.ConfigValue.ValueBigFloat()
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || f == nil || (!f.IsInf() && f.Sign() >= 0) {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid requests per second",
		fmt.Sprintf("Attribute %s must be a finite number of requests per second, 0 or more (0 means unlimited), got: %s", req.Path, f.Text('g', 10)))
}

func (p *cozeProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewBotConfigResource, NewBotResource, NewBotPublishResource, NewFileResource,
		NewKnowledgeBaseResource, NewKnowledgeDocumentResource,
		NewWorkspaceResource, NewWorkspaceMemberResource,
	}
}

func (p *cozeProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewBotDataSource, NewBotsDataSource,
		NewKnowledgeBasesDataSource,
		NewWorkspacesDataSource, NewWorkspaceMembersDataSource, NewWorkflowsDataSource,
	}
}

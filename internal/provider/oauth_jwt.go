package provider

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

// Environment variables of a service app (oauth_jwt). Any of them set, to
// anything but the empty string, selects the service app.
const (
	EnvOAuthClientID       = "COZE_OAUTH_CLIENT_ID"
	EnvOAuthPublicKeyID    = "COZE_OAUTH_PUBLIC_KEY_ID"
	EnvOAuthPrivateKey     = "COZE_OAUTH_PRIVATE_KEY"
	EnvOAuthPrivateKeyFile = "COZE_OAUTH_PRIVATE_KEY_FILE"
	EnvOAuthAccountID      = "COZE_OAUTH_ACCOUNT_ID"
)

var oauthEnvVars = []string{EnvOAuthClientID, EnvOAuthPublicKeyID, EnvOAuthPrivateKey, EnvOAuthPrivateKeyFile, EnvOAuthAccountID}

type oauthJWTModel struct {
	ClientID      types.String `tfsdk:"client_id"`
	PublicKeyID   types.String `tfsdk:"public_key_id"`
	PrivateKey    types.String `tfsdk:"private_key"`
	AccountID     types.String `tfsdk:"account_id"`
	TokenDuration types.String `tfsdk:"token_duration"`
}

func oauthJWTAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Optional: true,
		MarkdownDescription: "Authenticate as a Coze OAuth **service app** (OAuth JWT) instead of with a personal token: the provider " +
			"signs a JWT with the app's private key and exchanges it for an access token, renewed before it expires, shared by " +
			"every resource. For CI and Terraform Cloud. Each attribute defaults to its environment variable; the block may be " +
			"left out when they are set. Mutually exclusive with `api_token`. See *Service apps (OAuth JWT)* above.",
		Attributes: map[string]schema.Attribute{
			"client_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The OAuth app's id (the JWT's `iss`), shown on the app's page in the Coze console. Defaults to the `" +
					EnvOAuthClientID + "` environment variable.",
			},
			"public_key_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The fingerprint of the app's public key (公钥指纹, the JWT's `kid`), shown on the app's configuration " +
					"page. Defaults to the `" + EnvOAuthPublicKeyID + "` environment variable.",
			},
			"private_key": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "The app's RSA private key in PEM, PKCS#8 (`-----BEGIN PRIVATE KEY-----`, the `private_key.pem` Coze " +
					"downloads when it creates the key pair) or PKCS#1. Defaults to the `" + EnvOAuthPrivateKey + "` environment variable " +
					"(the PEM text) or `" + EnvOAuthPrivateKeyFile + "` (a path to the file). A key that does not parse is refused at " +
					"plan time; the key is never shown, stored in state or logged.",
			},
			"account_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "For an enterprise with several organizations (扣子企业旗舰版多组织): the id of the organization to " +
					"get the token in (组织 ID, on the organization settings page). The token then comes from " +
					"`/api/permission/oauth2/account/{account_id}/token`. Defaults to the `" + EnvOAuthAccountID + "` environment variable.",
			},
			"token_duration": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("Lifetime asked for each access token, as a Go duration: a whole number of seconds "+
					"above 0, at most `%s` (86399 seconds, the most Coze issues). Default `%s` (Coze's own default, when none is "+
					"asked, is 15 minutes). Coze may issue a shorter one: the provider renews each token a quarter of its lifetime "+
					"(at most 5 minutes) before the expiry the server returned.", coze.MaxTokenDuration, coze.DefaultTokenDuration),
			},
		},
	}
}

// configureOAuthJWT reads the service app from the oauth_jwt block and its
// environment variables. It returns nil when neither is set; otherwise what
// set it (for the error when api_token is set too), and adds an error for
// each setting the client cannot use.
func configureOAuthJWT(ctx context.Context, block types.Object, diags *diag.Diagnostics) (app *coze.JWTApp, setBy string) {
	var m oauthJWTModel
	if block.IsUnknown() {
		diags.AddAttributeError(path.Root("oauth_jwt"), "Unknown provider setting",
			"The coze provider's oauth_jwt is not known until apply. Set it to a value known at plan time.")
		return nil, ""
	}
	if !block.IsNull() {
		if d := block.As(ctx, &m, basetypes.ObjectAsOptions{}); d.HasError() {
			diags.Append(d...)
			return nil, ""
		}
	} else {
		m = oauthJWTModel{types.StringNull(), types.StringNull(), types.StringNull(), types.StringNull(), types.StringNull()}
	}
	fields := map[string]types.String{"client_id": m.ClientID, "public_key_id": m.PublicKeyID, "private_key": m.PrivateKey,
		"account_id": m.AccountID, "token_duration": m.TokenDuration}
	for name, v := range fields {
		if v.IsUnknown() {
			diags.AddAttributeError(path.Root("oauth_jwt").AtName(name), "Unknown provider setting",
				fmt.Sprintf("The coze provider's oauth_jwt.%s is not known until apply. Set it to a value known at plan time.", name))
		}
	}
	var fromEnv []string
	for _, env := range oauthEnvVars {
		if os.Getenv(env) != "" {
			fromEnv = append(fromEnv, env)
		}
	}
	switch {
	case diags.HasError():
		return nil, ""
	case !block.IsNull():
		setBy = "the oauth_jwt block"
	case len(fromEnv) > 0:
		setBy = "the environment variable " + strings.Join(fromEnv, ", ")
	default:
		return nil, ""
	}

	app = &coze.JWTApp{
		ClientID:    strings.TrimSpace(stringOrEnv(m.ClientID, EnvOAuthClientID, "")),
		PublicKeyID: strings.TrimSpace(stringOrEnv(m.PublicKeyID, EnvOAuthPublicKeyID, "")),
		AccountID:   strings.TrimSpace(stringOrEnv(m.AccountID, EnvOAuthAccountID, "")),
	}
	keyText, key, keyRead := privateKeyText(m.PrivateKey, diags)
	var missing []string
	for _, s := range []struct {
		value, attribute, env string
	}{
		{app.ClientID, "client_id", EnvOAuthClientID},
		{app.PublicKeyID, "public_key_id", EnvOAuthPublicKeyID},
		{keyText, "private_key", EnvOAuthPrivateKey + " or " + EnvOAuthPrivateKeyFile},
	} {
		if s.value == "" && (s.attribute != "private_key" || keyRead) {
			missing = append(missing, fmt.Sprintf("oauth_jwt.%s (or %s)", s.attribute, s.env))
		}
	}
	if len(missing) > 0 {
		diags.AddError("Incomplete Coze service app settings", fmt.Sprintf("The coze provider authenticates as a service app "+
			"(set by %s), which needs its client id, public key id and private key. Not set: %s.", setBy, strings.Join(missing, ", ")))
	}
	if keyText != "" {
		var err error
		if app.PrivateKey, err = coze.ParsePrivateKey(keyText); err != nil {
			key.addError(diags, "Invalid Coze service app private key", err)
		}
	}
	if app.AccountID != "" {
		if err := coze.CheckAccountID(app.AccountID); err != nil {
			settingOf(m.AccountID, "oauth_jwt.account_id", EnvOAuthAccountID).addError(diags, "Invalid Coze organization id", err)
		}
	}
	if !m.TokenDuration.IsNull() {
		d, err := time.ParseDuration(m.TokenDuration.ValueString())
		if err == nil {
			err = coze.CheckTokenDuration(d)
		} else {
			err = fmt.Errorf("must be a Go duration such as \"1h\" or \"30m\", got: %q", m.TokenDuration.ValueString())
		}
		if err != nil {
			settingOf(m.TokenDuration, "oauth_jwt.token_duration", "").addError(diags, "Invalid token duration", err)
		}
		app.TokenDuration = d
	}
	return app, setBy
}

// privateKeyText is the PEM text of the private key and the setting it came
// from: oauth_jwt.private_key, COZE_OAUTH_PRIVATE_KEY, or the file named by
// COZE_OAUTH_PRIVATE_KEY_FILE. read is false when it added an error instead.
func privateKeyText(v types.String, diags *diag.Diagnostics) (text string, from setting, read bool) {
	s := setting{attribute: "oauth_jwt.private_key", sensitive: true}
	if !v.IsNull() {
		return v.ValueString(), s, true
	}
	text, file := os.Getenv(EnvOAuthPrivateKey), os.Getenv(EnvOAuthPrivateKeyFile)
	switch {
	case text != "" && file != "":
		diags.AddError("Two Coze service app private keys", fmt.Sprintf("Both %s and %s are set: set one of them, the PEM text "+
			"or the path to the file.", EnvOAuthPrivateKey, EnvOAuthPrivateKeyFile))
		return "", s, false
	case text != "":
		s.env, s.fromEnv = EnvOAuthPrivateKey, true
		return text, s, true
	case file != "":
		content, err := os.ReadFile(file)
		if err != nil {
			diags.AddError("Cannot read the Coze service app private key", fmt.Sprintf("%s (the environment variable for "+
				"oauth_jwt.private_key) names a file that cannot be read: %v", EnvOAuthPrivateKeyFile, err))
			return "", s, false
		}
		s.env, s.fromEnv = fmt.Sprintf("the file %s named by %s", file, EnvOAuthPrivateKeyFile), true
		return string(content), s, true
	}
	return "", s, true
}

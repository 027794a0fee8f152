package provider

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

var _ coze.SecretMasker = &tfLogger{}

// maxMaskedSecrets bounds the runtime secrets masked: a service app's JWTs
// and access tokens, of which only the latest are in use. An hour-long token
// is renewed every 55 minutes; even the mock's 2-second tokens leave each
// one masked for minutes after its last use.
const maxMaskedSecrets = 256

// tfLogger sends the API client's logs to tflog with the secrets masked in
// messages and field values, whatever the log level: the personal access
// token, and every JWT and access token of a service app, which the client
// hands over (MaskSecret) before it sends them anywhere.
type tfLogger struct {
	token string // the personal access token, or ""

	mu      sync.RWMutex
	runtime []string // JWTs and access tokens, oldest first
}

func newTFLogger(token string) *tfLogger { return &tfLogger{token: token} }

// MaskSecret masks secret in every later log line.
func (l *tfLogger) MaskSecret(secret string) {
	if secret == "" {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.runtime = append(l.runtime, secret)
	if len(l.runtime) > maxMaskedSecrets {
		l.runtime = append(l.runtime[:0:0], l.runtime[len(l.runtime)-maxMaskedSecrets:]...)
	}
}

func (l *tfLogger) mask(ctx context.Context) context.Context {
	l.mu.RLock()
	secrets := make([]string, 0, len(l.runtime)+1)
	if l.token != "" {
		secrets = append(secrets, l.token)
	}
	secrets = append(secrets, l.runtime...)
	l.mu.RUnlock()
	if len(secrets) > 0 {
		ctx = tflog.MaskMessageStrings(ctx, secrets...)
		ctx = tflog.MaskAllFieldValuesStrings(ctx, secrets...)
	}
	return tflog.MaskFieldValuesWithFieldKeys(ctx, "authorization", "api_token", "token", "access_token", "private_key", "jwt")
}

func (l *tfLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(l.mask(ctx), msg, fields)
}

func (l *tfLogger) Trace(ctx context.Context, msg string, fields map[string]any) {
	tflog.Trace(l.mask(ctx), msg, fields)
}

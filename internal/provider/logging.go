package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// tfLogger sends the API client's logs to tflog with the token masked in
// messages and field values, whatever the log level.
type tfLogger struct {
	token string
}

func newTFLogger(token string) *tfLogger { return &tfLogger{token: token} }

func (l *tfLogger) mask(ctx context.Context) context.Context {
	ctx = tflog.MaskMessageStrings(ctx, l.token)
	ctx = tflog.MaskAllFieldValuesStrings(ctx, l.token)
	return tflog.MaskFieldValuesWithFieldKeys(ctx, "authorization", "api_token", "token")
}

func (l *tfLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(l.mask(ctx), msg, fields)
}

func (l *tfLogger) Trace(ctx context.Context, msg string, fields map[string]any) {
	tflog.Trace(l.mask(ctx), msg, fields)
}

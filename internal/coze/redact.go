package coze

import (
	"errors"
	"regexp"
	"strings"
	"sync"
)

// Redaction of error texts. An answer that is not the API's (a proxy's or a
// gateway's error page) is shown in errors by its first characters
// (APIError.BodySnippet, TokenExchangeError.BodySnippet), and some proxies
// echo the request's headers, Authorization included, into such a page.
// Terraform prints errors whatever the log level, so the client takes out of
// every error it returns each secret it knows: the personal access token, a
// service app's access tokens (the current one and those before it) and
// every JWT it signed, and any "Bearer <...>" text, whoever's token it holds.
// The logger masks the same secrets in logs (SecretMasker).

// redacted stands for a secret taken out of a text.
const redacted = "<redacted>"

// maxRedactedSecrets bounds the secrets kept: a service app signs one JWT
// per exchange (and one per retry of it), and gets one access token, about
// one an hour. The personal token is never dropped.
const maxRedactedSecrets = 256

// bearerText is a bearer credential as an Authorization header (or an echo
// of one) spells it; the credential is what follows up to white space, a
// quote, a bracket or a separator.
var bearerText = regexp.MustCompile(`(?i)(bearer)(\s+|%20|\+)([^\s"'<>,;\\&]+)`)

// secretSet is the secrets a client knows. The zero value is ready to use.
type secretSet struct {
	mu      sync.RWMutex
	first   string   // the first secret added: the personal token, kept for good
	secrets []string // the others, oldest first
}

func (s *secretSet) add(secret string) {
	if s == nil || secret == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.first == "" {
		s.first = secret
		return
	}
	if secret == s.first || (len(s.secrets) > 0 && s.secrets[len(s.secrets)-1] == secret) {
		return
	}
	if len(s.secrets) == maxRedactedSecrets {
		s.secrets = append(s.secrets[:0], s.secrets[1:]...)
	}
	s.secrets = append(s.secrets, secret)
}

// redact takes every secret of the set, and any bearer credential, out of
// text.
func (s *secretSet) redact(text string) string {
	if text == "" {
		return text
	}
	if s == nil {
		return bearerText.ReplaceAllString(text, "${1}${2}"+redacted)
	}
	s.mu.RLock()
	if s.first != "" {
		text = strings.ReplaceAll(text, s.first, redacted)
	}
	for _, secret := range s.secrets {
		text = strings.ReplaceAll(text, secret, redacted)
	}
	s.mu.RUnlock()
	return bearerText.ReplaceAllString(text, "${1}${2}"+redacted)
}

func (c *Client) redact(text string) string { return c.secrets.redact(text) }

// redactError takes the client's secrets out of err: out of the fields of
// the *APIError and *TokenExchangeError in its chain, which callers show,
// and out of its text, wrapping it when that still holds one.
func (c *Client) redactError(err error) error {
	if err == nil {
		return nil
	}
	if apiErr, ok := AsAPIError(err); ok {
		apiErr.Msg, apiErr.BodySnippet = c.redact(apiErr.Msg), c.redact(apiErr.BodySnippet)
	}
	var exchange *TokenExchangeError
	if errors.As(err, &exchange) {
		exchange.ErrorMessage, exchange.BodySnippet = c.redact(exchange.ErrorMessage), c.redact(exchange.BodySnippet)
		if exchange.Err != nil {
			if text := exchange.Err.Error(); c.redact(text) != text {
				exchange.Err = &redactedError{err: exchange.Err, text: c.redact(text)}
			}
		}
	}
	if text := err.Error(); c.redact(text) != text {
		return &redactedError{err: err, text: c.redact(text)}
	}
	return err
}

// redactedError is an error whose text held a secret: its text is the
// redacted one; errors.As still finds what it wraps.
type redactedError struct {
	err  error
	text string
}

func (e *redactedError) Error() string { return e.text }
func (e *redactedError) Unwrap() error { return e.err }

package coze

import (
	"compress/flate"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"unicode"
)

// What the client accepts from a server, whoever answers at the base URL:
// no redirect, at most DefaultMaxResponseBytes, JSON nested at most
// MaxResponseDepth levels. The first two are enforced by the client's one
// http.Client (its CheckRedirect and its transport), which every request the
// client sends goes through; the depth is checked before any answer is
// decoded.

// DefaultMaxResponseBytes is the most the client reads of one response when
// Config.MaxResponseBytes is 0: 4 MiB. The largest documented answer, a bot
// with a 20,000-character prompt (60 KB in UTF-8), 150 datasets, its plugins
// with their APIs, workflows and onboarding, is well under 1 MB, and a page
// of the bot list smaller still; 4 MiB leaves four times that again, and with
// Terraform's 10 parallel operations bounds what answers can hold at once.
const DefaultMaxResponseBytes = 4 << 20

// MaxResponseDepth is how deeply an answer may nest JSON objects and arrays.
// The deepest documented answer nests about 7 levels (envelope, data,
// shortcut_commands, a command, its components, a component, its options);
// model parameters are the one open map, and vendors nest them 2 or 3 levels. Converting a deeply nested value into
// Terraform values costs more with every level (1,500 levels took 24 s), so a
// server must not be able to hang every refresh that way.
const MaxResponseDepth = 64

// RedirectError is a redirect the client refused to follow. The Coze API
// never redirects, so a redirect comes from something else at base_url; the
// request is sent to no other address, so neither the token nor the body
// goes anywhere but base_url, and it is not repeated.
type RedirectError struct {
	HTTPStatus int
	From, To   string // without userinfo or fragment
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("the server answered HTTP %d, a redirect from %s to %s: the redirect was not followed and the request "+
		"was not repeated (the Coze API does not redirect, and the API token is only ever sent to base_url)", e.HTTPStatus, e.From, e.To)
}

// ResponseTooLargeError is an answer longer than the client reads.
type ResponseTooLargeError struct {
	Limit int64
	// ContentLength is the length the server declared, or -1 when it declared none.
	ContentLength int64
}

func (e *ResponseTooLargeError) Error() string {
	declared := ""
	if e.ContentLength >= 0 {
		declared = fmt.Sprintf(" (it declared %d bytes)", e.ContentLength)
	}
	return fmt.Sprintf("the answer is larger than %s%s, the most this client reads: no Coze API answer is that large", sizeText(e.Limit), declared)
}

// ResponseTooDeepError is an answer that nests JSON deeper than MaxResponseDepth.
type ResponseTooDeepError struct {
	Limit int
}

func (e *ResponseTooDeepError) Error() string {
	return fmt.Sprintf("the answer nests JSON deeper than %d levels, the most this client accepts: no Coze API answer nests that deep", e.Limit)
}

// DecompressError is a compressed answer that does not decompress.
type DecompressError struct {
	Encoding string
	Err      error
}

func (e *DecompressError) Error() string {
	return fmt.Sprintf("decompressing the %s-encoded answer: %v", e.Encoding, e.Err)
}

func (e *DecompressError) Unwrap() error { return e.Err }

// refuseRedirect is the http.Client's CheckRedirect: it follows nothing.
// Go forwards the Authorization header to any port or scheme of the same
// host, so even a "same host" redirect could carry the token to another
// service or in clear text; a 307/308 would also send a write again.
func refuseRedirect(req *http.Request, via []*http.Request) error {
	redirect := &RedirectError{To: displayURL(req.URL)}
	if len(via) > 0 {
		redirect.From = displayURL(via[len(via)-1].URL)
	}
	if req.Response != nil {
		redirect.HTTPStatus = req.Response.StatusCode
	}
	return redirect
}

// displayURL is u for an error message: without userinfo or fragment.
func displayURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	shown := *u
	shown.User = nil
	shown.Fragment, shown.RawFragment = "", ""
	return shown.String()
}

// boundedTransport makes every response body stop at limit bytes, after
// any decompression by the transport below, with a *ResponseTooLargeError.
type boundedTransport struct {
	next  http.RoundTripper
	limit int64
}

func (t *boundedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp == nil || resp.Body == nil {
		return resp, err
	}
	body := &boundedBody{body: resp.Body, left: t.limit, limit: t.limit, declared: resp.ContentLength}
	if resp.Uncompressed {
		body.encoding = "gzip" // the transport asked for gzip and decompresses it
	}
	resp.Body = body
	return resp, nil
}

type boundedBody struct {
	body     io.ReadCloser
	left     int64 // bytes still allowed
	limit    int64
	declared int64
	encoding string
}

func (b *boundedBody) Read(p []byte) (int, error) {
	if b.declared > b.limit {
		return 0, &ResponseTooLargeError{Limit: b.limit, ContentLength: b.declared}
	}
	if b.left <= 0 {
		// One byte more tells an answer of exactly the limit from a longer one.
		var probe [1]byte
		n, err := b.body.Read(probe[:])
		if n > 0 {
			return 0, &ResponseTooLargeError{Limit: b.limit, ContentLength: b.declared}
		}
		return 0, b.wrap(err)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.body.Read(p)
	b.left -= int64(n)
	return n, b.wrap(err)
}

// wrap names a decompression failure as such: a corrupt stream is not a
// network error to retry, nor an answer to show as "not JSON".
func (b *boundedBody) wrap(err error) error {
	if b.encoding != "" && isCorruptCompression(err) {
		return &DecompressError{Encoding: b.encoding, Err: err}
	}
	return err
}

func (b *boundedBody) Close() error { return b.body.Close() }

func isCorruptCompression(err error) bool {
	var corrupt flate.CorruptInputError
	return errors.Is(err, gzip.ErrHeader) || errors.Is(err, gzip.ErrChecksum) || errors.As(err, &corrupt)
}

// retryableReadError reports whether reading a body failed in a way that a
// new attempt may not (a connection cut off), rather than because of what
// the server sent.
func retryableReadError(err error) bool {
	var tooLarge *ResponseTooLargeError
	var corrupt *DecompressError
	return !errors.As(err, &tooLarge) && !errors.As(err, &corrupt)
}

// decodeEnvelope decodes an answer after checking its bounds (checkJSON), in
// one pass over the bytes without allocating: encoding/json alone accepts
// 10,000 levels and any number.
func decodeEnvelope(raw []byte) (envelope, error) {
	var env envelope
	if err := checkJSON(raw); err != nil {
		return env, err
	}
	err := json.Unmarshal(raw, &env)
	return env, err
}

// Bounds of the numbers of an answer. Converting a number to Terraform's
// exact value costs with its magnitude: 1e60000000, 14 bytes, is an integer
// of 200 million bits, minutes to build and to print. No Coze answer has a
// number beyond float64 (about 1.8e308), which is what Coze's SDKs decode
// numbers into (coze-go's float64, coze-py's float): an exponent above 400
// leaves room for any float64 written with many digits, and 1,000 digits is
// six times the 154 decimal digits of Terraform's 512-bit numbers.
const (
	MaxNumberExponent = 400
	MaxNumberDigits   = 1000
)

// ResponseNumberError is an answer with a number outside the bounds above.
type ResponseNumberError struct {
	Number string // its start
}

func (e *ResponseNumberError) Error() string {
	return fmt.Sprintf("the answer holds the number %s, beyond what this client accepts (an exponent of at most %d, at most %d digits): "+
		"no Coze API answer holds such a number", e.Number, MaxNumberExponent, MaxNumberDigits)
}

// checkJSON checks an answer's bounds, in one pass over raw (which need not
// be valid JSON): nesting at most MaxResponseDepth levels, and numbers within
// MaxNumberExponent and MaxNumberDigits.
func checkJSON(raw []byte) error {
	depth, number := scanJSON(raw, MaxResponseDepth)
	switch {
	case depth > MaxResponseDepth:
		return &ResponseTooDeepError{Limit: MaxResponseDepth}
	case number != nil:
		shown := string(number)
		if len(number) > 40 {
			shown = string(number[:40]) + "..."
		}
		return &ResponseNumberError{Number: shown}
	}
	return nil
}

// jsonDepth returns how deeply raw nests objects and arrays, counting at most
// to limit+1. Brackets inside strings do not count; raw need not be valid.
func jsonDepth(raw []byte, limit int) int {
	depth, _ := scanJSON(raw, limit)
	return depth
}

// scanJSON returns how deeply raw nests objects and arrays, counting at most
// to limit+1, and the first number outside the bounds (nil if none). Neither
// brackets nor digits inside strings count.
func scanJSON(raw []byte, limit int) (deepest int, absurd []byte) {
	depth := 0
	inString, escaped := false, false
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
			if depth > deepest {
				deepest = depth
				if deepest > limit {
					return deepest, nil
				}
			}
		case c == '}' || c == ']':
			depth = max(0, depth-1)
		case c == '-' || c >= '0' && c <= '9':
			end := numberEnd(raw, i)
			if !numberWithinBounds(raw[i:end]) {
				return deepest, raw[i:end]
			}
			i = end - 1
		}
	}
	return deepest, nil
}

// numberEnd is where the number token starting at raw[start] ends.
func numberEnd(raw []byte, start int) int {
	end := start
	for end < len(raw) && strings.IndexByte("+-.0123456789eE", raw[end]) >= 0 {
		end++
	}
	return end
}

// NumberWithinBounds reports whether a JSON number literal has at most
// MaxNumberDigits digits and an exponent of at most MaxNumberExponent either
// way: what the client accepts in an answer (checkJSON).
func NumberWithinBounds(literal string) bool { return numberWithinBounds([]byte(literal)) }

// numberWithinBounds checks a number token: at most MaxNumberDigits digits
// and an exponent of at most MaxNumberExponent either way.
func numberWithinBounds(token []byte) bool {
	digits, exponent, inExponent := 0, 0, false
	for _, c := range token {
		switch {
		case c == 'e' || c == 'E':
			inExponent = true
		case c < '0' || c > '9':
		case inExponent:
			exponent = exponent*10 + int(c-'0')
			if exponent > MaxNumberExponent {
				return false
			}
		default:
			digits++
		}
	}
	return digits <= MaxNumberDigits
}

// CheckToken refuses a token that cannot be a Coze token: HTTP would reject
// control characters in the header (as a network error), and no Coze token
// contains white space. The token itself is never part of the error, which
// completes a sentence that names the token: "api_token <error>".
func CheckToken(token string) error {
	for i, r := range token {
		if !unicode.IsControl(r) && !unicode.IsSpace(r) {
			continue
		}
		where := "inside it"
		if strings.TrimRightFunc(token, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) }) == token[:i] {
			where = "at its end"
		}
		return fmt.Errorf("contains %s %s; remove it (a token read with file() keeps the file's final newline: "+
			"use trimspace(file(...))). The token is not shown", charName(r), where)
	}
	return nil
}

func charName(r rune) string {
	switch r {
	case '\n':
		return "a newline (\\n)"
	case '\r':
		return "a carriage return (\\r)"
	case '\t':
		return "a tab"
	case ' ':
		return "a space"
	}
	return fmt.Sprintf("the control or space character U+%04X", r)
}

// CheckBaseURL checks a base URL: absolute, with a host, and without
// userinfo, query or fragment (a path prefix is kept). Its errors never
// repeat userinfo, and complete a sentence that names the setting:
// "base_url <error>".
func CheckBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("must be an absolute URL such as %s, got: %s", BaseURLChina, quoteURL(raw))
	}
	switch {
	case u.User != nil:
		return nil, fmt.Errorf("must not contain a user name or password (userinfo before \"@\"): the Coze API authenticates with "+
			"the API token only. Got: %q (userinfo not shown)", displayURL(u))
	case u.RawQuery != "" || u.ForceQuery:
		return nil, fmt.Errorf("must not contain a query (\"?...\"): the client builds each request's query itself. Got: %q", displayURL(u))
	case u.Fragment != "" || strings.HasSuffix(raw, "#"):
		return nil, fmt.Errorf("must not contain a fragment (\"#...\"). Got: %q", displayURL(u))
	}
	return u, nil
}

// quoteURL quotes a base URL that did not parse, unless it may hold
// credentials: then only that is said.
func quoteURL(raw string) string {
	if strings.Contains(raw, "@") {
		return "a value containing \"@\" (not shown: it may hold a password)"
	}
	return fmt.Sprintf("%q", raw)
}

func sizeText(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

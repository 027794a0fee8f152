package coze

import (
	"errors"
	"fmt"
	"strings"
)

// APIError is a failed Coze API call: an HTTP status outside 2xx, a non-zero
// code, or a body that is not a Coze envelope (Code -1, BodySnippet set).
type APIError struct {
	Operation string
	// Path is the API path of the call ("/v1/workspaces/7530/members"),
	// which tells callers its family.
	Path        string
	HTTPStatus  int
	Code        int64
	Msg         string
	LogID       string
	Attempts    int
	BodySnippet string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: ", e.Operation)
	if e.BodySnippet != "" || e.Code == -1 {
		fmt.Fprintf(&b, "unexpected non-JSON response (HTTP %d): %q", e.HTTPStatus, e.BodySnippet)
	} else {
		fmt.Fprintf(&b, "Coze API error code %d (HTTP %d): %s", e.Code, e.HTTPStatus, e.Msg)
	}
	if e.LogID != "" {
		fmt.Fprintf(&b, " [logid %s]", e.LogID)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	return b.String()
}

// AsAPIError returns the *APIError in err's chain, if any.
func AsAPIError(err error) (*APIError, bool) {
	var apiErr *APIError
	ok := errors.As(err, &apiErr)
	return apiErr, ok
}

// IsNotFound reports whether err says the bot does not exist or is not
// visible to this token (4200, 4006).
func IsNotFound(err error) bool {
	apiErr, ok := AsAPIError(err)
	return ok && (apiErr.Code == CodeNotFound || apiErr.Code == CodeInvalidBot)
}

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

// UncertainCreateError is a create that may have been carried out although
// it failed: the request may have reached the API before the answer was lost
// (a timeout, a cut connection, HTTP 5xx, an unreadable answer). The client
// does not send such a create again, since a second attempt would create a
// second object; the caller must look for the object before creating it
// again. Err is the failure, with its *APIError when there was an answer.
// Created says that the API answered success without the new object's id:
// the object was certainly created, and only its id is unknown.
type UncertainCreateError struct {
	Operation string
	Err       error
	Created   bool
}

func (e *UncertainCreateError) Error() string {
	if e.Created {
		return fmt.Sprintf("%v: the object was created, but its id is unknown, so the request was not sent again "+
			"(a second create would make a second object)", e.Err)
	}
	return fmt.Sprintf("%v: the request may have reached Coze and created the object all the same, so it was not sent again "+
		"(a second create would make a second object)", e.Err)
}

func (e *UncertainCreateError) Unwrap() error { return e.Err }

// IsUncertainCreate reports whether err is a create that may have been
// carried out (UncertainCreateError).
func IsUncertainCreate(err error) bool {
	var uncertain *UncertainCreateError
	return errors.As(err, &uncertain)
}

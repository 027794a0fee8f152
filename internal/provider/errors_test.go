package provider

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

func TestDescribeAPIErrorShowsFactsAndAHint(t *testing.T) {
	cases := []struct {
		err  *coze.APIError
		want []string
	}{
		{&coze.APIError{Code: 4100, Msg: "authentication is invalid", HTTPStatus: 401, LogID: "L1"},
			[]string{"code:   4100", "msg:    authentication is invalid", "HTTP:   401", "logid:  L1", "base_url (https://api.coze.cn)", "api.coze.com"}},
		{&coze.APIError{Code: 4101, Msg: "no permission", HTTPStatus: 200, LogID: "L2"}, []string{"code:   4101", "`edit`", "`getMetadata`"}},
		{&coze.APIError{Code: 4200, Msg: "not found", HTTPStatus: 200}, []string{"Check bot_id"}},
		{&coze.APIError{Code: 4006, Msg: "invalid bot", HTTPStatus: 200}, []string{"Check bot_id"}},
		{&coze.APIError{Code: 4015, Msg: "not published", HTTPStatus: 200}, []string{"connector 1024"}},
		{&coze.APIError{Code: 4105, Msg: "sensitive", HTTPStatus: 200}, []string{"sensitive"}},
		{&coze.APIError{Code: 4020, Msg: "rate", HTTPStatus: 429, Attempts: 5}, []string{"attempts: 5", "requests_per_second"}},
		{&coze.APIError{Code: -1, HTTPStatus: 502, BodySnippet: "<html>bad gateway</html>", LogID: "L3"}, []string{"HTTP 502", "<html>bad gateway</html>", "proxy"}},
	}
	for _, tc := range cases {
		summary, detail := describeAPIError("update bot config of Coze bot 42", coze.BaseURLChina, tc.err)
		if summary != "Cannot update bot config of Coze bot 42" {
			t.Errorf("summary = %q", summary)
		}
		for _, w := range tc.want {
			if !strings.Contains(detail, w) {
				t.Errorf("code %d: detail lacks %q:\n%s", tc.err.Code, w, detail)
			}
		}
	}
	_, detail := describeAPIError("read bot config of Coze bot 42", "https://api.coze.com", errors.New("dial tcp: connection refused"))
	if !strings.Contains(detail, "connection refused") || !strings.Contains(detail, "https://api.coze.com") {
		t.Errorf("transport error detail = %q", detail)
	}
}

// A 4101 names the permissions of the refused call's family, told by its
// path, and not those of the other families; a call of no known family
// lists them all.
func TestPermissionDeniedNamesThePermissionsOfTheCallsFamily(t *testing.T) {
	for _, tc := range []struct {
		path      string
		want, not []string
	}{
		{"/v1/bot/update", []string{"`edit`", "`getMetadata`"}, []string{"addMember", "listKnowledge"}},
		{"/v1/bots/7342866800001/unpublish", []string{"`disconnectBot`"}, []string{"createWorkspace"}},
		{"/open_api/knowledge/document/create", []string{"`createDocument`", "`readDocumentProgress`"}, []string{"`edit`"}},
		{"/v1/datasets", []string{"`createKnowledge`", "`listKnowledge`"}, []string{"`edit`"}},
		{"/v1/workspaces", []string{"`createWorkspace`", "`Workspace.update`", "`listWorkspace`"}, []string{"`edit`", "addMember"}},
		{"/v1/workspaces/7530000000000000001/members", []string{"`addMember`", "`removeMember`", "`readMember`"}, []string{"`edit`", "createWorkspace"}},
		{"/v1/workflows", []string{"`listWorkflow`"}, []string{"`edit`"}},
		{"/v1/files/upload", []string{"`uploadFile`", "`retrieveFile`"}, []string{"`edit`"}},
		{"", []string{"`edit`", "`createDocument`", "`addMember`", "`createWorkspace`", "`listWorkflow`", "`uploadFile`"}, nil},
	} {
		_, detail := describeAPIError("do something", coze.BaseURLChina, &coze.APIError{Code: 4101, Msg: "no permission", Path: tc.path})
		for _, w := range tc.want {
			if !strings.Contains(detail, w) {
				t.Errorf("%s: the hint lacks %s:\n%s", tc.path, w, detail)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(detail, n) {
				t.Errorf("%s: the hint names %s, of another family:\n%s", tc.path, n, detail)
			}
		}
	}
}

// Answers the client refused to follow or read get their own hint, not
// "did not get an answer".
func TestDescribeUnreadableAnswers(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&coze.RedirectError{HTTPStatus: 307, From: "https://api.coze.cn/v1/bot/update", To: "http://127.0.0.1:9/v1/bot/update"}, "never follows one"},
		{&coze.ResponseTooLargeError{Limit: coze.DefaultMaxResponseBytes, ContentLength: -1}, "larger than any Coze API answer"},
		{&coze.ResponseTooDeepError{Limit: coze.MaxResponseDepth}, "nested deeper than any Coze API answer"},
		{&coze.DecompressError{Encoding: "gzip", Err: errors.New("gzip: invalid header")}, "does not decompress"},
	} {
		_, detail := describeAPIError("read Coze bot 42", coze.BaseURLChina, fmt.Errorf("get bot 42: %w", tc.err))
		if !strings.Contains(detail, tc.want) || !strings.Contains(detail, tc.err.Error()) || strings.Contains(detail, "did not get an answer") {
			t.Errorf("%T: detail = %q", tc.err, detail)
		}
	}
}

// A create that may have been carried out (the knowledge bases' and
// documents' too, which adopt nothing) says so, and what to do.
func TestAnUncertainCreateSaysTheObjectMayExist(t *testing.T) {
	for name, inner := range map[string]error{
		"a gateway's answer": &coze.APIError{Operation: "create knowledge base", HTTPStatus: 502, Code: -1, BodySnippet: "<html>502</html>"},
		"no answer":          errors.New("create knowledge base: Post \"https://api.coze.cn/v1/datasets\": context deadline exceeded"),
	} {
		t.Run(name, func(t *testing.T) {
			err := &coze.UncertainCreateError{Operation: "create knowledge base", Err: inner}
			_, detail := describeAPIError(`create Coze knowledge base "k"`, coze.BaseURLChina, err)
			for _, want := range []string{"may have reached Coze", "was not sent again", "look for", "terraform import"} {
				if !strings.Contains(detail, want) {
					t.Errorf("%q is missing from:\n%s", want, detail)
				}
			}
		})
	}
}

// A refused token exchange shows its error_code and error_message, and the
// hint of that error_code: what to check, in the provider's own terms.
func TestTokenExchangeErrorsHaveTheirErrorCodesHint(t *testing.T) {
	const gateway = "https://gateway.example.com/coze"
	for _, tc := range []struct {
		code, message string
		want          []string
	}{
		{"invalid_request", "invalid request: duration_seconds", []string{
			"Coze refused a parameter of the exchange; error_message names it.",
			"oauth_jwt.token_duration must be at most 23h59m59s",
			"oauth_jwt.account_id the id of an organization that authorized the app",
		}},
		{"unsupported_grant_type", "not supported grant type: client_credentials", []string{
			"The server at base_url (" + gateway + ") does not support the JWT grant",
			"(" + coze.BaseURLChina + " or " + coze.BaseURLInternational + ")",
			"not a gateway that rewrites the request",
		}},
	} {
		t.Run(tc.code, func(t *testing.T) {
			err := &coze.TokenExchangeError{Path: "/api/permission/oauth2/token", HTTPStatus: 400, ErrorCode: tc.code,
				ErrorMessage: tc.message, LogID: "L9", ClientID: testAppClientID, PublicKeyID: testAppKid, Audience: "gateway.example.com"}
			summary, detail := describeAPIError("read Coze bot 42", gateway, fmt.Errorf("get bot 42: %w", err))
			if summary != "Cannot read Coze bot 42" {
				t.Errorf("summary = %q", summary)
			}
			want := append([]string{"error_code:    " + tc.code, "error_message: " + tc.message, "HTTP:          400", "logid:         L9"}, tc.want...)
			for _, w := range want {
				if !strings.Contains(detail, w) {
					t.Errorf("%q is missing from:\n%s", w, detail)
				}
			}
			// Each hint is its error_code's own: not the JWT checklist of invalid_client.
			if strings.Contains(detail, "wrong key") {
				t.Errorf("the hint of invalid_client is shown for %s:\n%s", tc.code, detail)
			}
		})
	}
}

package provider

import (
	"cmp"
	"errors"
	"fmt"
	"strings"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

// describeAPIError turns a failed API call into a diagnostic that names the
// operation and what it acted on (the bot, workspace or file), shows code,
// msg, HTTP status and logid, and says what to do about the common failures.
func describeAPIError(operation, baseURL string, err error) (summary, detail string) {
	summary = "Cannot " + operation
	if exchange := (*coze.TokenExchangeError)(nil); errors.As(err, &exchange) {
		return summary, describeTokenExchangeError(exchange, baseURL)
	}
	// The generic hints of a failed call say to apply again, which after a
	// create that may have been carried out could make a second object.
	var lost answerLost
	uncertain, explained := coze.IsUncertainCreate(err), errors.As(err, &lost)
	apiErr, ok := coze.AsAPIError(err)
	if !ok {
		if hint := unreadableAnswerHint(err, baseURL); hint != "" {
			return summary, fmt.Sprintf("%v\n\n%s", err, hint)
		}
		if explained && lost.created {
			return summary, fmt.Sprintf("%v\n\nThe Coze API at %s answered success without the new object's id.", err, baseURL)
		}
		if explained {
			return summary, fmt.Sprintf("%v\n\nThe answer from the Coze API at %s was lost.", err, baseURL)
		}
		if created := (*coze.UncertainCreateError)(nil); errors.As(err, &created) && created.Created {
			return summary, fmt.Sprintf("%v\n\nThe Coze API at %s answered success without the new object's id, so the object "+
				"exists. Before the next apply, which would create a second one, look for it in Coze (by its name) and import "+
				"it into this resource (terraform import).", err, baseURL)
		}
		if uncertain { // its text says what the hint would
			return summary, fmt.Sprintf("%v\n\nThe answer from the Coze API at %s was lost. Before applying again, look "+
				"for the object in Coze (by its name); if it exists, import it into this resource (terraform import) instead "+
				"of creating another.", err, baseURL)
		}
		return summary, fmt.Sprintf("%v\n\nThe request did not get an answer from the Coze API at %s. Check the network "+
			"and base_url, then apply again.", err, baseURL)
	}
	var b strings.Builder
	if apiErr.BodySnippet != "" || apiErr.Code == -1 {
		fmt.Fprintf(&b, "The Coze API at %s answered HTTP %d with a body that is not a Coze API response", baseURL, apiErr.HTTPStatus)
	} else {
		fmt.Fprintf(&b, "Coze API error:\n  code:   %d\n  msg:    %s\n  HTTP:   %d", apiErr.Code, apiErr.Msg, apiErr.HTTPStatus)
	}
	if apiErr.BodySnippet != "" {
		fmt.Fprintf(&b, "\n  body:   %q", apiErr.BodySnippet)
	}
	if apiErr.LogID != "" {
		fmt.Fprintf(&b, "\n  logid:  %s (quote it to Coze support)", apiErr.LogID)
	}
	if apiErr.Attempts > 1 {
		fmt.Fprintf(&b, "\n  attempts: %d", apiErr.Attempts)
	}
	hint := cmp.Or(knowledgeErrorHint(operation, apiErr), errorHint(apiErr, baseURL))
	if revoked := (*coze.RenewedTokenRefusedError)(nil); errors.As(err, &revoked) {
		hint = "The API refused the service app's access token, and refused the token exchanged anew too: the app's " +
			"authorization may have been revoked, or the app deactivated. In the Coze console (API & SDK > Authorization > " +
			"OAuth apps), check that the app is enabled and authorized; an enterprise's administrator may need to authorize " +
			"it again. Then apply again."
	}
	if hint != "" && !uncertain && !explained {
		b.WriteString("\n\n" + hint)
	}
	if uncertain && !explained {
		b.WriteString("\n\n" + uncertainCreateHint)
	}
	return summary, b.String()
}

// answerLost is the error of a create whose answer was lost
// (coze.UncertainCreateError's Err), for a caller that says itself what it
// means and what to do (create_recovery.go): describeAPIError shows only
// what the API answered, without a hint.
type answerLost struct {
	err     error
	created bool // the API answered success without the object's id
}

func (e answerLost) Error() string { return e.err.Error() }
func (e answerLost) Unwrap() error { return e.err }

// uncertainCreateHint explains a coze.UncertainCreateError.
const uncertainCreateHint = "The request may have reached Coze and created the object all the same, so it was not sent " +
	"again: a second create would make a second one. Before applying again, look for it in Coze (by its name); if it " +
	"exists, import it into this resource (terraform import) instead of creating another."

// describeTokenExchangeError shows a failed exchange of the service app's
// JWT: the OAuth error_code and error_message, HTTP status and logid, and
// what to check for each error_code.
func describeTokenExchangeError(e *coze.TokenExchangeError, baseURL string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "The Coze token API (POST %s%s) refused the service app's JWT.\n", baseURL, e.Path)
	switch {
	case e.Err != nil:
		fmt.Fprintf(&b, "  error:         %v", e.Err)
	case e.ErrorCode != "":
		fmt.Fprintf(&b, "  error_code:    %s\n  error_message: %s\n  HTTP:          %d", e.ErrorCode, e.ErrorMessage, e.HTTPStatus)
	default:
		fmt.Fprintf(&b, "  HTTP:          %d\n  body:          %q", e.HTTPStatus, e.BodySnippet)
	}
	if e.LogID != "" {
		fmt.Fprintf(&b, "\n  logid:         %s (quote it to Coze support)", e.LogID)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, "\n  attempts:      %d", e.Attempts)
	}
	if hint := tokenExchangeHint(e, baseURL); hint != "" {
		b.WriteString("\n\n" + hint)
	}
	return b.String()
}

func tokenExchangeHint(e *coze.TokenExchangeError, baseURL string) string {
	if e.Err != nil {
		if hint := unreadableAnswerHint(e.Err, baseURL); hint != "" {
			return hint
		}
		return fmt.Sprintf("The exchange did not get a usable answer from %s. Check the network and base_url, then apply again.", baseURL)
	}
	switch e.ErrorCode {
	case "invalid_client":
		return fmt.Sprintf("Coze did not accept the JWT. Check, in the Coze console (API & SDK > Authorization > OAuth apps):\n"+
			"- the private key: oauth_jwt.private_key must be the private_key.pem of a key pair of this app (wrong key);\n"+
			"- the key's fingerprint: oauth_jwt.public_key_id (the JWT's kid, now %q) must be the fingerprint of that key "+
			"pair's public key (wrong kid);\n"+
			"- the app: oauth_jwt.client_id (the JWT's iss, now %q) must be the id of a service app (服务类应用);\n"+
			"- the site: an app of coze.cn works only on %s and one of coze.com only on %s; the JWT's aud is %q, the host of base_url (wrong site);\n"+
			"- the clock of this machine: the JWT is valid from now for 10 minutes.",
			e.PublicKeyID, e.ClientID, coze.BaseURLChina, coze.BaseURLInternational, e.Audience)
	case "access_deny", "access_denied":
		return "The app is deactivated or not authorized (app not authorized). In the Coze console, enable the OAuth app and " +
			"authorize it (an enterprise's administrator authorizes it for the organization); with account_id, the " +
			"organization's administrator must have authorized it too."
	case "invalid_request":
		return "Coze refused a parameter of the exchange; error_message names it. oauth_jwt.token_duration must be at most " +
			"23h59m59s, and oauth_jwt.account_id the id of an organization that authorized the app."
	case "unsupported_grant_type":
		return fmt.Sprintf("The server at base_url (%s) does not support the JWT grant: check that base_url is the Coze API "+
			"(%s or %s) and not a gateway that rewrites the request.", baseURL, coze.BaseURLChina, coze.BaseURLInternational)
	case "internal_error":
		return "Coze failed internally. Apply again later."
	case "":
		return fmt.Sprintf("The answer is not one of the Coze token API. Check that base_url (%s) is the Coze API, and, with "+
			"oauth_jwt.account_id, that the organization id is right.", baseURL)
	}
	if e.HTTPStatus == 429 || e.HTTPStatus >= 500 {
		return "Coze is busy or unavailable. Apply again later, or raise max_retries."
	}
	return ""
}

// unreadableAnswerHint says what to do about an answer the client refused
// to follow or read; "" for any other error.
func unreadableAnswerHint(err error, baseURL string) string {
	var (
		redirect *coze.RedirectError
		tooLarge *coze.ResponseTooLargeError
		tooDeep  *coze.ResponseTooDeepError
		absurd   *coze.ResponseNumberError
		corrupt  *coze.DecompressError
	)
	switch {
	case errors.As(err, &redirect):
		return fmt.Sprintf("The server at base_url (%s) answered with a redirect. The provider never follows one, so the API "+
			"token and the request went nowhere else. Set base_url to the address that serves the Coze API itself (%s or %s), "+
			"or fix the proxy or gateway that redirects.", baseURL, coze.BaseURLChina, coze.BaseURLInternational)
	case errors.As(err, &tooLarge):
		return fmt.Sprintf("The server at base_url (%s) sent an answer larger than any Coze API answer, and the provider stopped "+
			"reading it. Check that base_url is the Coze API and that no proxy in between answers instead.", baseURL)
	case errors.As(err, &tooDeep):
		return fmt.Sprintf("The server at base_url (%s) sent JSON nested deeper than any Coze API answer, and the provider refused "+
			"it rather than spend minutes converting it. If a bot's model parameters were set that deep outside Terraform, "+
			"flatten them; otherwise check base_url and any proxy in between.", baseURL)
	case errors.As(err, &absurd):
		return fmt.Sprintf("The server at base_url (%s) sent a number far beyond any Coze API answer's, and the provider refused "+
			"it rather than spend minutes converting it; the state was left as it was. If a bot's model parameters were set to "+
			"such a number outside Terraform, set a sensible value in Coze; otherwise check base_url and any proxy in between.", baseURL)
	case errors.As(err, &corrupt):
		return fmt.Sprintf("The server at base_url (%s) sent a compressed answer that does not decompress. It was not retried: "+
			"check base_url and any proxy in between, which may corrupt or truncate compressed answers.", baseURL)
	}
	return ""
}

func errorHint(e *coze.APIError, baseURL string) string {
	switch e.Code {
	case coze.CodeAuthInvalid:
		return fmt.Sprintf("The token was rejected. Check COZE_API_TOKEN (or api_token), that it has not expired, and that it "+
			"belongs to the site in base_url (%s): tokens from coze.cn do not work on %s and tokens from coze.com do not work on %s.",
			baseURL, coze.BaseURLInternational, coze.BaseURLChina)
	case coze.CodePermissionDenied:
		return permissionHint(e.Path)
	case coze.CodeNotFound, coze.CodeInvalidBot:
		return fmt.Sprintf("Check bot_id: the bot must exist on %s and belong to a workspace the token can access.", baseURL)
	case coze.CodeBadParameter:
		return "The API rejected a value in the request; msg names it."
	case coze.CodeNotPublishedToAPI:
		return "The bot is not published to the API channel (connector 1024). Publish it, then try again."
	case coze.CodeSensitiveContent:
		return "Coze flagged content as sensitive. Review name, description, prompt and onboarding texts."
	case coze.CodeDailyLimit:
		return "The account's daily API quota is used up. Try again tomorrow or upgrade the plan."
	case coze.CodeOverloaded, coze.CodeRateLimited, coze.CodeInternalError:
		return "Coze is busy or rate-limiting. Lower requests_per_second or -parallelism, or raise max_retries, then apply again."
	case 4300, 4304:
		return "The upload was rejected as empty or invalid: check the file and that it is not empty."
	case 4302:
		return "The file is larger than the upload limit (512 MB)."
	case 4303:
		return "Coze does not support this file type: it judges the type by the file name's extension (images: jpg, png, " +
			"gif, webp, heic, bmp, tiff). Set file_name with a supported extension."
	case -1:
		return "A proxy or gateway answered instead of the Coze API. Check base_url and any HTTP proxy settings, then apply again."
	}
	if e.HTTPStatus == 429 || e.HTTPStatus >= 500 {
		return "Coze is busy or unavailable. Apply again later, or raise max_retries."
	}
	return ""
}

// permissionsOf names, per family of API calls, the permissions its
// resources and data sources need (from the docs' 权限 line of each call).
var permissionsOf = []struct{ family, permissions string }{
	{"bot", "Bot settings need `edit` (update) and `getMetadata` (read); coze_bot also needs `createBot`, `listBot` and " +
		"`listWorkspace`, coze_bot_publish `publish` and `disconnectBot` (and `listBot` with space_id), the coze_bots data " +
		"source `listBot`."},
	{"knowledge", "coze_knowledge_base needs `createKnowledge`, `update`, `delete` and `listKnowledge` (also the " +
		"coze_knowledge_bases data source); coze_knowledge_document `createDocument`, `updateDocument`, `deleteDocument`, " +
		"`listDocument` and `readDocumentProgress`. Only a knowledge base's owner can change it or add documents."},
	{"workspace", "coze_workspace needs `createWorkspace`, `Workspace.update` and `listWorkspace` (also the coze_workspaces data source)."},
	{"member", "coze_workspace_member needs `addMember`, `removeMember` and `readMember` (also the coze_workspace_members data source)."},
	{"workflow", "The coze_workflows data source needs `listWorkflow`."},
	{"file", "coze_file needs `uploadFile` and `retrieveFile`."},
}

// permissionHint says which permissions a call refused with 4101 needs: those
// of its family, told by the call's path, or, for a path of no known family,
// all of them.
func permissionHint(apiPath string) string {
	family := ""
	switch {
	case strings.HasPrefix(apiPath, "/v1/workspaces/") && strings.HasSuffix(apiPath, "/members"):
		family = "member"
	case strings.HasPrefix(apiPath, "/v1/workspaces"):
		family = "workspace"
	case strings.HasPrefix(apiPath, "/v1/datasets"), strings.HasPrefix(apiPath, "/open_api/knowledge/"):
		family = "knowledge"
	case strings.HasPrefix(apiPath, "/v1/workflows"):
		family = "workflow"
	case strings.HasPrefix(apiPath, "/v1/files/"):
		family = "file"
	case strings.HasPrefix(apiPath, "/v1/bot"):
		family = "bot"
	}
	var needs []string
	for _, p := range permissionsOf {
		if family == "" || p.family == family {
			needs = append(needs, p.permissions)
		}
	}
	return "The token lacks a permission for this call. " + strings.Join(needs, " ") + " Edit the personal access token, " +
		"or the service app's permissions (then authorize it again), in the Coze console."
}

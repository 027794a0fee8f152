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
	apiErr, ok := coze.AsAPIError(err)
	if !ok {
		if hint := unreadableAnswerHint(err, baseURL); hint != "" {
			return summary, fmt.Sprintf("%v\n\n%s", err, hint)
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
	if hint := cmp.Or(knowledgeErrorHint(operation, apiErr), errorHint(apiErr, baseURL)); hint != "" {
		b.WriteString("\n\n" + hint)
	}
	return summary, b.String()
}

// unreadableAnswerHint says what to do about an answer the client refused
// to follow or read; "" for any other error.
func unreadableAnswerHint(err error, baseURL string) string {
	var (
		redirect *coze.RedirectError
		tooLarge *coze.ResponseTooLargeError
		tooDeep  *coze.ResponseTooDeepError
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
		return "The token lacks a permission for this call. Bot settings need `edit` (update) and `getMetadata` (read); " +
			"coze_bot also needs `createBot`, coze_bot_publish `publish` and `disconnectBot`, coze_file `uploadFile` and `retrieveFile`, " +
			"the coze_bots data source `listBot`. Edit the personal access token in the Coze console."
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

package provider

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

// A misbehaving server at base_url, through real Terraform: a redirect to
// another port on refresh and on apply, an answer of 200 MiB, JSON nested
// thousands of levels deep, a corrupt gzip body. Each is a clear error, the
// other port never hears from the provider, and the state stays as it was.

// hostileServer serves the mock until told to misbehave on one method.
type hostileServer struct {
	mode   atomic.Value // string: "" (serve the mock), "redirect", "huge", "gzip"
	method atomic.Value // the method that gets the misbehaviour
}

func (h *hostileServer) set(method, mode string) func() {
	return func() { h.method.Store(method); h.mode.Store(mode) }
}

// witness is the server a redirect points at: it must never be reached.
type witness struct {
	calls, withToken, bodyBytes atomic.Int64
}

func (w *witness) check(*terraform.State) error {
	if n := w.calls.Load(); n != 0 {
		return fmt.Errorf("the redirect target received %d request(s), %d with the token, %d body bytes", n, w.withToken.Load(), w.bodyBytes.Load())
	}
	return nil
}

func newHostileEnv(t *testing.T, botIDs ...string) (*testEnv, *hostileServer, *witness, string) {
	t.Helper()
	mock := mockcoze.New(mockcoze.Options{Token: testToken})
	for _, id := range botIDs {
		mock.AddBot(id)
	}
	wit := &witness{}
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wit.calls.Add(1)
		if strings.Contains(r.Header.Get("Authorization"), testToken) {
			wit.withToken.Add(1)
		}
		n, _ := io.Copy(io.Discard, r.Body)
		wit.bodyBytes.Add(n)
		mock.ServeHTTP(w, r) // a convincing impostor: it would even answer correctly
	}))
	t.Cleanup(other.Close)

	h := &hostileServer{}
	h.set("", "")()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != h.method.Load() {
			mock.ServeHTTP(w, r)
			return
		}
		switch h.mode.Load() {
		case "redirect":
			w.Header().Set("Location", other.URL+r.URL.RequestURI())
			w.WriteHeader(http.StatusTemporaryRedirect)
		case "huge":
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"code":0,"msg":"","data":{"bot_id":"`+botID+`","name":"`)
			chunk := []byte(strings.Repeat("a", 64<<10))
			for range (200 << 20) / len(chunk) {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
			_, _ = io.WriteString(w, `"}}`)
		case "gzip":
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = io.WriteString(w, "this is not gzip")
		default:
			mock.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return &testEnv{mock: mock, url: srv.URL}, h, wit, other.URL
}

func TestAccBotConfig_hostileServerAtBaseURL(t *testing.T) {
	t.Parallel()
	env, hostile, wit, otherURL := newHostileEnv(t, botID)
	cfg := func(name string) string {
		return env.config(fmt.Sprintf(`
resource "coze_bot_config" "b" {
  bot_id            = "7342866800001"
  name              = %q
  model_info_config = { model_id = "1706077826", parameters = { thinking_type = "disabled" } }
}`, name))
	}
	deepParameters := func(depth int) func() {
		return func() {
			hostile.set("", "")()
			env.mock.EditDraft(botID, func(draft map[string]any) {
				var v any = "bottom"
				for range depth {
					v = map[string]any{"a": v}
				}
				draft["model_info_config"].(map[string]any)["parameters"].(map[string]any)["vendor"] = v
			})
		}
	}
	unchanged := resource.ComposeAggregateTestCheckFunc(
		wit.check, checkNoToken,
		resource.TestCheckResourceAttr("coze_bot_config.b", "name", "first"),
		env.checkDraft(botID, "name", `"first"`),
	)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg("first"), Check: unchanged},
			{
				// Refresh: GET /v1/bots/{id} is redirected to another port.
				PreConfig: hostile.set(http.MethodGet, "redirect"),
				Config:    cfg("first"),
				PlanOnly:  true,
				ExpectError: regexp.MustCompile(`(?s)Cannot read coze_bot_config of Coze bot 7342866800001.*HTTP 307, a redirect from\s+` +
					regexp.QuoteMeta(env.url+"/v1/bots/"+botID+"?is_published=false") + `\s+to\s+` +
					regexp.QuoteMeta(otherURL+"/v1/bots/"+botID+"?is_published=false") + `.*was not followed.*not repeated.*never follows one`),
			},
			{
				// Apply: POST /v1/bot/update, with the token and the new name, is redirected.
				PreConfig: hostile.set(http.MethodPost, "redirect"),
				Config:    cfg("second"),
				ExpectError: regexp.MustCompile(`(?s)HTTP 307, a redirect from\s+` + regexp.QuoteMeta(env.url+"/v1/bot/update") +
					`\s+to\s+` + regexp.QuoteMeta(otherURL+"/v1/bot/update") + `.*was not followed`),
			},
			{PreConfig: hostile.set("", ""), Config: cfg("first"), PlanOnly: true, Check: unchanged},
			{
				PreConfig:   hostile.set(http.MethodGet, "huge"),
				Config:      cfg("first"),
				PlanOnly:    true,
				ExpectError: words("the answer is larger than 4 MiB, the most this client reads"),
			},
			{
				PreConfig:   hostile.set(http.MethodGet, "gzip"),
				Config:      cfg("first"),
				PlanOnly:    true,
				ExpectError: words("decompressing the gzip-encoded answer: gzip: invalid header"),
			},
			{
				// Parameters set 1,500 levels deep outside Terraform once made a refresh take 24 s.
				PreConfig:   deepParameters(1500),
				Config:      cfg("first"),
				PlanOnly:    true,
				ExpectError: words("the answer nests JSON deeper than 64 levels"),
			},
			{
				PreConfig:   deepParameters(9990),
				Config:      cfg("first"),
				PlanOnly:    true,
				ExpectError: words("the answer nests JSON deeper than 64 levels"),
			},
			{
				// The state survived all of it: with the bot readable again, nothing to do.
				PreConfig: func() {
					env.mock.EditDraft(botID, func(draft map[string]any) {
						delete(draft["model_info_config"].(map[string]any)["parameters"].(map[string]any), "vendor")
					})
				},
				Config:   cfg("first"),
				PlanOnly: true,
				Check:    unchanged,
			},
		},
	})
	if n := len(env.updates()); n != 1 {
		t.Errorf("the mock saw %d updates, want only the first apply's", n)
	}
}

// Settings the provider cannot use fail the plan, before any request, with
// an error that names the setting and shows neither the token nor a password.
func TestAccProvider_unusableSettingsFailAtPlan(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID)
	res := `resource "coze_bot_config" "b" { bot_id = "7342866800001" }`
	block := func(settings string) string { return "provider \"coze\" {\n" + settings + "\n}\n" + res }
	steps := []resource.TestStep{}
	for _, tc := range []struct{ settings, want string }{
		{fmt.Sprintf("api_token = %q\nbase_url = %q", testToken, strings.Replace(env.url, "http://", "http://alice:hunter2pw@", 1)),
			`base_url in the provider block must not contain a user name or password (userinfo before "@")`},
		{fmt.Sprintf("api_token = %q\nbase_url = %q", testToken, env.url+"/?region=cn"), "base_url must not contain a query"},
		{fmt.Sprintf("api_token = %q\nbase_url = %q", testToken, env.url+"/#top"), "base_url must not contain a fragment"},
		{fmt.Sprintf("api_token = \"%s\\n\"\nbase_url = %q", testToken, env.url), `api_token in the provider block contains a newline (\n) at its end`},
		{fmt.Sprintf("api_token = %q\nbase_url = %q\nrequests_per_second = 1/0", testToken, env.url), "must be a finite number of requests per second"},
	} {
		steps = append(steps, resource.TestStep{Config: block(tc.settings), PlanOnly: true, ExpectError: words(tc.want)})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, Steps: steps})
	if n := len(env.mock.Requests()); n != 0 {
		t.Errorf("the mock saw %d requests: a bad setting must fail before any", n)
	}
}

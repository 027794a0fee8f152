package e2e

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// Settings the provider refuses, and a server at base_url that redirects,
// through the real CLI with TRACE logs: each plan fails with its error, and
// neither the token nor a password appears in the output or the logs, even
// when they are written into the provider block. Terraform shows the line
// of configuration of an error on an attribute, so these errors are on none.
func TestRefusedSettingsAndRedirectsNeverShowSecrets(t *testing.T) {
	tf := terraformPath(t)
	const password = "hunter2_VERY_SECRET_pw"
	var otherCalls atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { otherCalls.Add(1) }))
	defer other.Close()
	redirecting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	}))
	defer redirecting.Close()
	// A proxy whose error page quotes the request's headers, token included.
	echoing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, "<html><h1>502 Bad Gateway</h1><pre>Authorization: "+r.Header.Get("Authorization")+"</pre></html>")
	}))
	defer echoing.Close()
	cli := buildProvider(t)

	for _, tc := range []struct {
		name, provider string
		env            []string
		want           string
	}{
		{"a token with a newline in the provider block", `api_token = "` + secretToken + `\n"`, nil,
			"api_token in the provider block contains a newline"},
		{"a token with a newline from the environment", ``, []string{"COZE_API_TOKEN=" + secretToken + "\n"},
			"COZE_API_TOKEN (the environment variable for api_token) contains a newline"},
		{"a password in base_url", `base_url = "https://alice:` + password + `@api.coze.cn"`, []string{"COZE_API_TOKEN=" + secretToken},
			"base_url in the provider block must not contain a user name or password"},
		{"a private key that does not parse, in the provider block",
			`oauth_jwt = { client_id = "1127900106117", public_key_id = "kid", private_key = "-----BEGIN PRIVATE KEY-----\n` + password +
				`\n-----END PRIVATE KEY-----\n" }`, nil,
			"oauth_jwt.private_key in the provider block is not a PEM-encoded private key"},
		{"a redirect to another port", `base_url = "` + redirecting.URL + `"`, []string{"COZE_API_TOKEN=" + secretToken},
			"the redirect was not followed"},
		{"a proxy that echoes the Authorization header", `base_url = "` + echoing.URL + `"
  max_retries = 0`, []string{"COZE_API_TOKEN=" + secretToken},
			`Authorization: Bearer <redacted>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			work := t.TempDir()
			logFile := filepath.Join(work, "trace.log")
			main := `
terraform {
  required_providers {
    coze = { source = "registry.terraform.io/coze-terraform/coze" }
  }
}
provider "coze" {
  ` + tc.provider + `
}
data "coze_bot" "b" { bot_id = "7342866800001" }
`
			if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(main), 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(tf, "plan", "-no-color")
			cmd.Dir = work
			cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+cli, "TF_IN_AUTOMATION=1", "TF_LOG=TRACE", "TF_LOG_PATH="+logFile,
				"CHECKPOINT_DISABLE=1", "COZE_API_TOKEN=", "COZE_API_BASE=")
			cmd.Env = append(cmd.Env, tc.env...)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Run(); err == nil {
				t.Fatalf("plan succeeded:\n%s", out.String())
			}
			if got := strings.Join(strings.Fields(out.String()), " "); !strings.Contains(got, tc.want) {
				t.Fatalf("the plan's output lacks %q:\n%s", tc.want, out.String())
			}
			logs, err := os.ReadFile(logFile)
			if err != nil {
				t.Fatal(err)
			}
			for name, content := range map[string][]byte{"CLI output": out.Bytes(), "TRACE log": logs} {
				for _, secret := range []string{secretToken, password} {
					if i := bytes.Index(content, []byte(secret)); i >= 0 {
						t.Errorf("the %s shows a secret: ...%s...", name, content[max(0, i-200):i])
					}
				}
			}
		})
	}
	if n := otherCalls.Load(); n != 0 {
		t.Errorf("the redirect target received %d requests", n)
	}
}

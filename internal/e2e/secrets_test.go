// Package e2e runs the built provider binary under a real Terraform CLI, the
// way users run it, for what in-process acceptance tests cannot see: the
// CLI's own logs, stdout and state file.
package e2e

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

const secretToken = "pat_e2e_VERY_SECRET_token_5f3a9c"

// buildProvider compiles the provider into a dev_overrides directory and
// returns a CLI config file pointing at it.
func buildProvider(t *testing.T) (cliConfig string) {
	t.Helper()
	dir := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "plugins", "terraform-provider-coze"), "github.com/coze-terraform/terraform-provider-coze")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	cliConfig = filepath.Join(dir, "cli.tfrc")
	cfg := fmt.Sprintf(`provider_installation {
  dev_overrides { "registry.terraform.io/coze-terraform/coze" = %q }
  direct {}
}
`, filepath.Join(dir, "plugins"))
	if err := os.WriteFile(cliConfig, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return cliConfig
}

func terraformPath(t *testing.T) string {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1 to run tests that use the Terraform CLI (make test does)")
	}
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("no terraform: set TF_ACC_TERRAFORM_PATH (make test does)")
	}
	return p
}

// With TF_LOG=TRACE, the token appears nowhere: not in the CLI's log (which
// includes the provider's logs and the request and response bodies), not on
// stdout or stderr, not in the state file.
func TestTraceLogsStdoutAndStateNeverContainTheToken(t *testing.T) {
	tf := terraformPath(t)
	mock := mockcoze.New(mockcoze.Options{Token: secretToken})
	mock.AddBot("7342866800001")
	srv := httptest.NewServer(mock)
	defer srv.Close()

	work := t.TempDir()
	logFile := filepath.Join(work, "trace.log")
	main := `
terraform {
  required_providers {
    coze = { source = "registry.terraform.io/coze-terraform/coze" }
  }
}
variable "token" {
  type      = string
  sensitive = true
  default   = null
}
provider "coze" {
  api_token = var.token
}
resource "coze_bot_config" "b" {
  bot_id = "7342866800001"
  name   = "secret keeper"
  model_info_config = { model_id = "1706077826", parameters = { thinking_type = "disabled" } }
}
`
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(main), 0o600); err != nil {
		t.Fatal(err)
	}
	cli := buildProvider(t)
	run := func(extraEnv []string, args ...string) string {
		t.Helper()
		cmd := exec.Command(tf, args...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+cli, "TF_IN_AUTOMATION=1", "TF_LOG=TRACE", "TF_LOG_PATH="+logFile,
			"COZE_API_BASE="+srv.URL, "CHECKPOINT_DISABLE=1")
		cmd.Env = append(cmd.Env, extraEnv...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.Fatalf("terraform %v: %v\n%s", args, err, out.String())
		}
		return out.String()
	}
	// Token from the environment (the recommended way), then from a sensitive
	// variable in the provider block; apply, plan and a refresh-only apply.
	// (Never pass it with -var: Terraform itself logs its command line.)
	var output strings.Builder
	output.WriteString(run([]string{"COZE_API_TOKEN=" + secretToken}, "apply", "-auto-approve", "-no-color"))
	output.WriteString(run([]string{"TF_VAR_token=" + secretToken}, "plan", "-no-color"))
	output.WriteString(run([]string{"TF_VAR_token=" + secretToken}, "apply", "-auto-approve", "-no-color", "-refresh-only"))

	logs, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	state, err := os.ReadFile(filepath.Join(work, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	// The checks below only mean something if the log really has the provider's
	// request logs and bodies, and the state really has the resource.
	for _, want := range []string{"Coze API response", "Coze API request body", `thinking_type`} {
		if !bytes.Contains(logs, []byte(want)) {
			t.Fatalf("the TRACE log lacks %q: the provider's logs did not reach it", want)
		}
	}
	if !bytes.Contains(state, []byte("secret keeper")) {
		t.Fatalf("the state lacks the resource")
	}
	for name, content := range map[string][]byte{"TRACE log": logs, "state file": state, "CLI output": []byte(output.String())} {
		if i := bytes.Index(content, []byte(secretToken)); i >= 0 {
			start := max(0, i-200)
			t.Errorf("the token appears in the %s: ...%s...", name, content[start:i])
		}
	}
	if n := len(mock.RequestsTo("POST", "/v1/bot/update")); n != 1 {
		t.Errorf("want 1 update (the later runs change nothing), got %d", n)
	}
}

// The client never logs the token itself, so the provider's masking is
// only tested when the token comes back from the API: here the mock echoes
// the Authorization header into every answer (detail.request_authorization),
// and TRACE logs the answers' bodies. The token must still appear nowhere
// in the log.
func TestTraceLogMasksATokenThatTheAPIEchoes(t *testing.T) {
	tf := terraformPath(t)
	mock := mockcoze.New(mockcoze.Options{Token: secretToken, EchoAuthorization: true})
	mock.AddBot("7342866800001")
	srv := httptest.NewServer(mock)
	defer srv.Close()

	work := t.TempDir()
	logFile := filepath.Join(work, "trace.log")
	main := `
terraform {
  required_providers {
    coze = { source = "registry.terraform.io/coze-terraform/coze" }
  }
}
resource "coze_bot_config" "b" {
  bot_id = "7342866800001"
  name   = "echo"
}
`
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(main), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(tf, "apply", "-auto-approve", "-no-color")
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+buildProvider(t), "TF_IN_AUTOMATION=1", "TF_LOG=TRACE",
		"TF_LOG_PATH="+logFile, "COZE_API_BASE="+srv.URL, "COZE_API_TOKEN="+secretToken, "CHECKPOINT_DISABLE=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("terraform apply: %v\n%s", err, out)
	}
	logs, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	// The echo reached the log (else this test proves nothing)...
	if !bytes.Contains(logs, []byte("Coze API response body")) || !bytes.Contains(logs, []byte("request_authorization")) {
		t.Fatalf("the TRACE log lacks the echoed answers: the test would prove nothing")
	}
	// ...with the token masked.
	for name, content := range map[string][]byte{"TRACE log": logs, "CLI output": out} {
		if i := bytes.Index(content, []byte(secretToken)); i >= 0 {
			t.Errorf("the token appears in the %s: ...%s...", name, content[max(0, i-200):i])
		}
	}
}

// The done-when of service apps: an apply of 30 bots authenticated as a
// service app, against a mock that issues 2-second tokens and refuses
// personal tokens, with TRACE logs. The private key (from the environment,
// a file named by the environment, and a sensitive variable in the
// provider block), every JWT and every access token appear nowhere: not in
// the log, the output or the state. The mock echoes each call's
// Authorization header into its answer, so the access tokens reach the
// TRACE log's bodies, where they must be masked.
func TestTraceLogsStdoutAndStateNeverContainTheServiceAppsSecrets(t *testing.T) {
	tf := terraformPath(t)
	key, err := rsa.GenerateKey(rand.Reader, 2048) // generated here: no private key is committed
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	keyPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	const clientID, kid = "1127900106117", "e2e-kid-fingerprint"
	mock := mockcoze.New(mockcoze.Options{
		Token:                secretToken,
		RefusePersonalTokens: true,
		EchoAuthorization:    true,
		OAuthApp:             &mockcoze.OAuthApp{ClientID: clientID, PublicKeyID: kid, PublicKey: &key.PublicKey, TokenLifetime: 2 * time.Second},
	})
	for i := range 30 {
		mock.AddBot(fmt.Sprintf("73428668%05d", i))
	}
	// 30 updates of 250 ms, 3 at a time: the apply outlasts the 2-second tokens.
	mock.InjectFault(mockcoze.Fault{Method: "POST", Path: "/v1/bot/update", Delay: 250 * time.Millisecond, Times: 30})
	srv := httptest.NewServer(mock)
	defer srv.Close()

	work := t.TempDir()
	logFile := filepath.Join(work, "trace.log")
	keyFile := filepath.Join(t.TempDir(), "private_key.pem")
	if err := os.WriteFile(keyFile, []byte(keyPEM), 0o600); err != nil {
		t.Fatal(err)
	}
	main := `
terraform {
  required_providers {
    coze = { source = "registry.terraform.io/coze-terraform/coze" }
  }
}
variable "private_key" {
  type      = string
  sensitive = true
  default   = null
}
provider "coze" {
  oauth_jwt = var.private_key == null ? null : {
    client_id     = "` + clientID + `"
    public_key_id = "` + kid + `"
    private_key   = var.private_key
  }
}
resource "coze_bot_config" "b" {
  count  = 30
  bot_id = format("73428668%05d", count.index)
  name   = "app bot ${count.index}"
}
output "names" { value = coze_bot_config.b[*].name }
`
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(main), 0o600); err != nil {
		t.Fatal(err)
	}
	cli := buildProvider(t)
	run := func(extraEnv []string, args ...string) string {
		t.Helper()
		cmd := exec.Command(tf, args...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+cli, "TF_IN_AUTOMATION=1", "TF_LOG=TRACE", "TF_LOG_PATH="+logFile,
			"COZE_API_BASE="+srv.URL, "CHECKPOINT_DISABLE=1", "COZE_API_TOKEN=")
		cmd.Env = append(cmd.Env, extraEnv...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.Fatalf("terraform %v: %v\n%s", args, err, out.String())
		}
		return out.String()
	}
	appEnv := []string{"COZE_OAUTH_CLIENT_ID=" + clientID, "COZE_OAUTH_PUBLIC_KEY_ID=" + kid}
	var output strings.Builder
	output.WriteString(run(append(appEnv, "COZE_OAUTH_PRIVATE_KEY="+keyPEM), "apply", "-auto-approve", "-no-color", "-parallelism=3"))
	applyExchanges := mock.TokenExchanges()
	output.WriteString(run(append(appEnv, "COZE_OAUTH_PRIVATE_KEY_FILE="+keyFile), "plan", "-no-color", "-detailed-exitcode"))
	output.WriteString(run([]string{"TF_VAR_private_key=" + keyPEM}, "apply", "-auto-approve", "-no-color", "-refresh-only"))

	logs, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	state, err := os.ReadFile(filepath.Join(work, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	// What makes the checks below mean something: the apply renewed its token, the log has
	// the exchanges and the echoed answers, the state has the bots.
	if n := len(mock.RequestsTo("POST", "/v1/bot/update")); n != 30 {
		t.Errorf("%d updates, want 30", n)
	}
	t.Logf("the apply made %d token exchanges; %d requests in all", applyExchanges, len(mock.Requests()))
	if applyExchanges < 2 {
		t.Errorf("the apply made %d token exchanges: it did not renew a 2-second token", applyExchanges)
	}
	if n := mock.ExpiredTokenRefusals(); n != 0 {
		t.Errorf("%d calls were sent with an expired token", n)
	}
	for _, want := range []string{"Coze OAuth token exchange", "Coze API response body", "request_authorization", "app bot 29"} {
		if !bytes.Contains(logs, []byte(want)) {
			t.Fatalf("the TRACE log lacks %q: the test would prove nothing", want)
		}
	}
	if !bytes.Contains(state, []byte("app bot 29")) || !strings.Contains(output.String(), "app bot 29") {
		t.Fatalf("the state or the output lacks the bots")
	}
	secrets := map[string]string{}
	for _, s := range mock.OAuthSecrets() {
		secrets[s] = "a JWT or an access token"
	}
	for _, line := range strings.Split(keyPEM, "\n") {
		if len(line) > 20 && !strings.HasPrefix(line, "-----") {
			secrets[line] = "a line of the private key"
		}
	}
	// Two exchanges (a JWT and a token each) in the apply, one in the plan, one in the refresh.
	if n := len(mock.OAuthSecrets()); n < 8 {
		t.Fatalf("only %d JWTs and tokens to look for", n)
	}
	for name, content := range map[string][]byte{"TRACE log": logs, "state file": state, "CLI output": []byte(output.String())} {
		for secret, what := range secrets {
			if i := bytes.Index(content, []byte(secret)); i >= 0 {
				t.Errorf("%s appears in the %s: ...%s...", what, name, content[max(0, i-200):i])
			}
		}
	}
}

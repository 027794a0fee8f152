package e2e

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

// examples/scenarios/service-app, through the real CLI against a mock that
// refuses personal tokens: the app's settings from the environment as the
// example says (the key from a file), an apply, then an empty plan.
func TestServiceAppScenario(t *testing.T) {
	tf := terraformPath(t)
	cli := overrideBothRegistries(t, buildProvider(t))
	key, err := rsa.GenerateKey(rand.Reader, 2048) // generated here: no private key is committed
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	keyFile := filepath.Join(t.TempDir(), "private_key.pem")
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	mock := mockcoze.New(mockcoze.Options{Token: secretToken, RefusePersonalTokens: true,
		OAuthApp: &mockcoze.OAuthApp{ClientID: "1127900106117", PublicKeyID: "scenario-kid", PublicKey: &key.PublicKey}})
	for _, id := range []string{"7342866800001", "7342866800002", "7342866800003"} {
		mock.AddBot(id)
	}
	srv := httptest.NewServer(mock)
	defer srv.Close()

	work := t.TempDir()
	if err := os.CopyFS(work, os.DirFS("../../examples/scenarios/service-app")); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, int) {
		t.Helper()
		cmd := exec.Command(tf, args...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+cli, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1", "COZE_API_BASE="+srv.URL,
			"COZE_API_TOKEN=", "COZE_OAUTH_CLIENT_ID=1127900106117", "COZE_OAUTH_PUBLIC_KEY_ID=scenario-kid", "COZE_OAUTH_PRIVATE_KEY_FILE="+keyFile)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatalf("terraform %v: %v", args, err)
		}
		return out.String(), cmd.ProcessState.ExitCode()
	}
	if out, code := run("apply", "-auto-approve", "-input=false", "-no-color"); code != 0 || !strings.Contains(out, "Resources: 3 added") {
		t.Fatalf("apply: exit %d\n%s", code, out)
	}
	if out, code := run("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("plan after apply: exit %d, want 0 (no changes)\n%s", code, out)
	}
	if draft, _ := mock.Draft("7342866800002"); draft["name"] != "orders" {
		t.Errorf("bot 7342866800002 is named %v", draft["name"])
	}
	// The example asks for 2-hour tokens.
	reqs := mock.RequestsTo("POST", "/api/permission/oauth2/token")
	if len(reqs) == 0 || !strings.Contains(string(reqs[0].Body), `"duration_seconds":7200`) {
		t.Errorf("token requests: %v", reqs)
	}
}

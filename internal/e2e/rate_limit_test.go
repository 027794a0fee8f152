package e2e

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

// The load case of issue 11, as users run it: terraform apply -parallelism=10
// of 50 coze_bot_config with the provider's default settings, against an API
// that serves 8 requests per second and answers 429 above. Before the client
// paced its requests, half of them were answered 429 (52 of 102), and about
// one apply in three failed: a bot's retries all woke together after
// Retry-After and lost the race five times. Three applies run at once, each
// against its own mock; every one must succeed, with at most a quarter of
// its requests answered 429 (a loose bound: the pacing stays under 10%). How
// fast is measured by make bench-api, not here.
func TestLoadCaseUnderARateLimitWithDefaultSettings(t *testing.T) {
	tf := terraformPath(t)
	cli := buildProvider(t)
	const runs, bots = 3, 50
	var wg sync.WaitGroup
	for run := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := applyLoadCase(t, tf, cli, t.TempDir(), bots); err != nil {
				t.Errorf("run %d: %v", run+1, err)
			}
		}()
	}
	wg.Wait()
}

func applyLoadCase(t *testing.T, tf, cli, work string, bots int) error {
	mock := mockcoze.New(mockcoze.Options{Token: secretToken, RateLimit: 8})
	for i := range bots {
		mock.AddBot(fmt.Sprint(7342866840000 + i))
	}
	srv := httptest.NewServer(mock)
	defer srv.Close()
	main := fmt.Sprintf(`
terraform {
  required_providers {
    coze = { source = "registry.terraform.io/coze-terraform/coze" }
  }
}
provider "coze" {}
resource "coze_bot_config" "fleet" {
  count  = %d
  bot_id = tostring(7342866840000 + count.index)
  name   = "fleet-${count.index}"
}
`, bots)
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(main), 0o600); err != nil {
		return err
	}
	cmd := exec.Command(tf, "apply", "-auto-approve", "-no-color", "-input=false", "-parallelism=10")
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+cli, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
		"COZE_API_BASE="+srv.URL, "COZE_API_TOKEN="+secretToken)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("the apply failed: %w\n%s", err, out.String())
	}
	sent, limited := len(mock.Requests()), mock.RateLimited()
	if limited*4 > sent {
		return fmt.Errorf("%d of %d requests were answered 429: the client does not pace its requests", limited, sent)
	}
	for i := range bots {
		id := fmt.Sprint(7342866840000 + i)
		if draft, _ := mock.Draft(id); draft["name"] != fmt.Sprintf("fleet-%d", i) {
			return fmt.Errorf("bot %s has name %v, want fleet-%d", id, draft["name"], i)
		}
	}
	t.Logf("%d requests, %d answered 429, %.1f s", sent, limited, time.Since(start).Seconds())
	return nil
}

package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// `terraform validate`, with no token and no API, accepts model parameters
// in both typings: the docs' (bool, number, object) and the string form that
// Coze's OpenAPI spec and SDKs give them; and rejects a bad value naming the
// attribute, the value and what is accepted.
func TestValidateAcceptsBothTypingsOfModelParameters(t *testing.T) {
	tf := terraformPath(t)
	cli := buildProvider(t)
	validate := func(parameters string) (valid bool, messages string) {
		t.Helper()
		work := t.TempDir()
		main := `
terraform {
  required_providers {
    coze = { source = "registry.terraform.io/coze-terraform/coze" }
  }
}
resource "coze_bot_config" "b" {
  bot_id      = "7342866800001"
  prompt_info = { prompt_mode = "prefix", prefix_prompt_info = { prefix_prompt = "rules" } }
  model_info_config = {
    model_id   = "1706077826"
    api_mode   = "responses_api"
    parameters = ` + parameters + `
  }
}
`
		if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(main), 0o600); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(tf, "validate", "-json", "-no-color")
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+cli, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1", "COZE_API_TOKEN=")
		var out bytes.Buffer
		cmd.Stdout = &out
		_ = cmd.Run() // exit status 1 when invalid; the JSON says why
		var result struct {
			Valid       bool `json:"valid"`
			Diagnostics []struct {
				Summary string `json:"summary"`
				Detail  string `json:"detail"`
			} `json:"diagnostics"`
		}
		if err := json.Unmarshal(out.Bytes(), &result); err != nil {
			t.Fatalf("terraform validate -json: %v\n%s", err, out.String())
		}
		var b strings.Builder
		for _, d := range result.Diagnostics {
			b.WriteString(d.Summary + ": " + d.Detail + "\n")
		}
		return result.Valid, b.String()
	}

	for name, parameters := range map[string]string{
		"typed":   `{ thinking_type = "disabled", store = true, caching_expire_time = 3600, caching = { type = "enabled" } }`,
		"strings": `{ thinking_type = "disabled", store = "true", caching_expire_time = "3600", caching = "{\"type\":\"enabled\"}" }`,
	} {
		if valid, messages := validate(parameters); !valid {
			t.Errorf("%s parameters are invalid:\n%s", name, messages)
		}
	}
	valid, messages := validate(`{ store = "yes" }`)
	if want := `Attribute model_info_config.parameters.store must be true or false, or the string "true" or "false", got: "yes"`; valid || !strings.Contains(messages, want) {
		t.Errorf("store = \"yes\": valid %v, messages:\n%s\nwant %s", valid, messages, want)
	}
}

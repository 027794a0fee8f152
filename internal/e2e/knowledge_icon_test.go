package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

// update_dataset.md: the update API resets the icon when it is not sent.
// Through the real CLI: after importing a knowledge base that has its own
// icon (the API returns only its URI, so icon_file_id is null), the plan of
// a rename warns that the apply resets the icon, and names the way to keep
// it; a base with Coze's default icon plans the rename without a warning.
func TestImportedKnowledgeBaseRenameWarnsOfTheIconReset(t *testing.T) {
	tf := terraformPath(t)
	cli := buildProvider(t)
	mock := mockcoze.New(mockcoze.Options{Token: secretToken})
	withIcon := mock.AddKnowledgeBase(mockcoze.DefaultSpaceID, "with icon", 0)
	mock.EditKnowledgeBase(withIcon, func(kb *mockcoze.KnowledgeBase) { kb.IconFileID = "7600000000000000001" })
	plain := mock.AddKnowledgeBase(mockcoze.DefaultSpaceID, "plain", 0)
	srv := httptest.NewServer(mock)
	defer srv.Close()

	work := t.TempDir()
	main := fmt.Sprintf(`
terraform {
  required_providers {
    coze = { source = "registry.terraform.io/coze-terraform/coze" }
  }
}
resource "coze_knowledge_base" "with_icon" {
  space_id = %[1]q
  name     = "with icon, renamed"
}
resource "coze_knowledge_base" "plain" {
  space_id = %[1]q
  name     = "plain, renamed"
}
`, mockcoze.DefaultSpaceID)
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(main), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(tf, args...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+cli, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
			"COZE_API_BASE="+srv.URL, "COZE_API_TOKEN="+secretToken)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 2 { // 2: plan -detailed-exitcode with changes
				t.Fatalf("terraform %v: %v\n%s", args, err, out.String())
			}
		}
		return out.String()
	}
	run("import", "-no-color", "coze_knowledge_base.with_icon", mockcoze.DefaultSpaceID+"/"+withIcon)
	run("import", "-no-color", "coze_knowledge_base.plain", mockcoze.DefaultSpaceID+"/"+plain)
	out := run("plan", "-no-color", "-input=false", "-detailed-exitcode")

	var warnings []string
	for _, block := range strings.Split(out, "Warning: ")[1:] {
		if strings.HasPrefix(block, "The update resets the knowledge base's icon") {
			warnings = append(warnings, block)
		}
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "with coze_knowledge_base.with_icon") {
		t.Fatalf("want one icon warning, for coze_knowledge_base.with_icon; the plan said:\n%s", out)
	}
	for _, want := range []string{withIcon, "7600000000000000001", "set icon_file_id"} {
		if !strings.Contains(strings.Join(strings.Fields(warnings[0]), " "), want) {
			t.Errorf("the warning lacks %q:\n%s", want, warnings[0])
		}
	}
}

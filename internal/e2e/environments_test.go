package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

const (
	envLead = "4026880821030"
	envDev  = "2601914670001"
)

// examples/scenarios/environments, through the real CLI against the mock:
// the apply builds a dev and a prod workspace with the same members, bot and
// workflows (looked up by name), a second plan is empty, and moving a member
// from member to admin is one apply, after which the plan is empty again.
// On a personal plan the members are invited, accepting later changes no
// plan, and a role change invites the member again.
func TestEnvironmentsScenario(t *testing.T) {
	tf := terraformPath(t)
	cli := overrideBothRegistries(t, buildProvider(t))
	for _, plan := range []struct {
		name      string
		vars      []string
		wantState string
	}{
		{"enterprise", []string{"-var", "coze_account_id=7490888144450001"}, "joined"},
		{"personal", nil, "invited"},
	} {
		t.Run(plan.name, func(t *testing.T) {
			mock := mockcoze.New(mockcoze.Options{Token: secretToken})
			mock.AddUser(envLead, "lead")
			mock.AddUser(envDev, "dev")
			mock.SeedWorkflowsInNewWorkspaces(mockcoze.Workflow{Name: "order_lookup"}, mockcoze.Workflow{Name: "refund_request"})
			srv := httptest.NewServer(mock)
			defer srv.Close()

			work := t.TempDir()
			if err := os.CopyFS(work, os.DirFS("../../examples/scenarios/environments")); err != nil {
				t.Fatal(err)
			}
			run := func(args ...string) (string, int) {
				t.Helper()
				cmd := exec.Command(tf, args...)
				cmd.Dir = work
				cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+cli, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
					"COZE_API_BASE="+srv.URL, "COZE_API_TOKEN="+secretToken)
				var out bytes.Buffer
				cmd.Stdout, cmd.Stderr = &out, &out
				err := cmd.Run()
				var exit *exec.ExitError
				if err != nil && !errors.As(err, &exit) {
					t.Fatalf("terraform %v: %v", args, err)
				}
				return out.String(), cmd.ProcessState.ExitCode()
			}
			mustRun := func(args ...string) string {
				t.Helper()
				out, code := run(args...)
				if code != 0 {
					t.Fatalf("terraform %v: exit %d\n%s", args, code, out)
				}
				return out
			}
			emptyPlan := func(when string) {
				t.Helper()
				if out, code := run(append([]string{"plan", "-detailed-exitcode", "-input=false", "-no-color"}, plan.vars...)...); code != 0 {
					t.Fatalf("plan %s: exit %d, want 0 (no changes)\n%s", when, code, out)
				}
			}

			mustRun("get", "-no-color")
			out := mustRun(append([]string{"apply", "-auto-approve", "-input=false", "-no-color"}, plan.vars...)...)
			if !strings.Contains(out, "Resources: 8 added, 0 changed, 0 destroyed") {
				t.Fatalf("first apply:\n%s", out)
			}
			workspaces := workspaceIDs(t, mustRun("output", "-json", "workspaces"))
			if len(workspaces) != 2 || workspaces[0] == workspaces[1] {
				t.Fatalf("workspaces %v", workspaces)
			}
			for _, ws := range workspaces {
				for user, role := range map[string]string{envLead: "admin", envDev: "member"} {
					if gotRole, status := mock.Member(ws, user); gotRole != role || status != plan.wantState {
						t.Errorf("workspace %s, user %s: %s %s, want %s %s", ws, user, gotRole, status, role, plan.wantState)
					}
				}
			}
			for _, bot := range workspaceIDs(t, mustRun("output", "-json", "bots")) {
				draft, _ := mock.Draft(bot)
				wl, _ := draft["workflow_id_list"].(map[string]any)
				if ids, _ := wl["ids"].([]any); len(ids) != 2 {
					t.Errorf("bot %s workflow_id_list %v, want the two workflows", bot, wl)
				}
			}
			emptyPlan("after the first apply")

			if plan.wantState == "invited" {
				for _, ws := range workspaces {
					mock.AcceptInvitation(ws, envLead)
					mock.AcceptInvitation(ws, envDev)
				}
				emptyPlan("after an invitation was accepted")
			}

			tfvars := `team = { "` + envLead + `" = "admin", "` + envDev + `" = "admin" }` + "\n"
			if err := os.WriteFile(filepath.Join(work, "team.auto.tfvars"), []byte(tfvars), 0o600); err != nil {
				t.Fatal(err)
			}
			out = mustRun(append([]string{"apply", "-auto-approve", "-input=false", "-no-color"}, plan.vars...)...)
			if !strings.Contains(out, "Resources: 0 added, 2 changed, 0 destroyed") || !strings.Contains(out, "removes and adds the member again") {
				t.Fatalf("role change apply:\n%s", out)
			}
			for _, ws := range workspaces {
				if role, status := mock.Member(ws, envDev); role != "admin" || status != plan.wantState {
					t.Errorf("after the role change, workspace %s: %s %s", ws, role, status)
				}
			}
			emptyPlan("after the role change")
		})
	}
}

// workspaceIDs reads the values of a `terraform output -json` map, sorted.
func workspaceIDs(t *testing.T, outputJSON string) []string {
	t.Helper()
	var byEnv map[string]string
	if err := json.Unmarshal([]byte(outputJSON), &byEnv); err != nil {
		t.Fatalf("output %q: %v", outputJSON, err)
	}
	ids := slices.Collect(maps.Values(byEnv))
	slices.Sort(ids)
	return ids
}

// overrideBothRegistries rewrites buildProvider's CLI configuration so that
// the scenario's `source = "coze-terraform/coze"` finds the built provider on
// OpenTofu too, which reads it as registry.opentofu.org/coze-terraform/coze.
func overrideBothRegistries(t *testing.T, cliConfig string) string {
	t.Helper()
	plugins := filepath.Join(filepath.Dir(cliConfig), "plugins")
	cfg := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/coze-terraform/coze" = %[1]q
    "registry.opentofu.org/coze-terraform/coze" = %[1]q
  }
  direct {}
}
`, plugins)
	if err := os.WriteFile(cliConfig, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return cliConfig
}

package provider

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

// workspaceHCL is a coze_workspace "w" with the given extra attributes.
func workspaceHCL(name, description, extra string) string {
	return fmt.Sprintf(`
resource "coze_workspace" "w" {
  name        = %q
  description = %q
  %s
}`, name, description, extra)
}

func TestAccWorkspace_createUpdateImportDestroy(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if _, found := env.mock.Workspace(id); !found {
				return fmt.Errorf("destroy must leave workspace %s in Coze (there is no delete API)", id)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: env.config(workspaceHCL("Support (dev)", "客服团队的开发空间", "")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("coze_workspace.w", tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9]+$`))),
					statecheck.ExpectKnownValue("coze_workspace.w", tfjsonpath.New("workspace_type"), knownvalue.StringExact("team")),
					statecheck.ExpectKnownValue("coze_workspace.w", tfjsonpath.New("enterprise_id"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue("coze_workspace.w", tfjsonpath.New("coze_account_id"), knownvalue.Null()),
				},
				Check: func(s *terraform.State) error {
					id = stateAttr(s, "coze_workspace.w", "id")
					info, found := env.mock.Workspace(id)
					if !found || info.Name != "Support (dev)" || info.Description != "客服团队的开发空间" {
						return fmt.Errorf("workspace %s in the mock: %+v", id, info)
					}
					return checkNoToken(s)
				},
			},
			{
				Config: env.config(workspaceHCL("Support (dev)", "second description", "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_workspace.w", plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					puts := env.mock.RequestsTo("PUT", "/v1/workspaces/"+id)
					if len(puts) != 1 || string(puts[0].Body) != `{"description":"second description"}` {
						return fmt.Errorf("want one PUT with the changed description only, got %d: %s", len(puts), puts)
					}
					if info, _ := env.mock.Workspace(id); info.Description != "second description" || info.Name != "Support (dev)" {
						return fmt.Errorf("workspace after update: %+v", info)
					}
					return nil
				},
			},
			{
				ResourceName:            "coze_workspace.w",
				ImportState:             true,
				ImportStateIdFunc:       func(*terraform.State) (string, error) { return id, nil },
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
			{
				ResourceName:  "coze_workspace.w",
				ImportState:   true,
				ImportStateId: "ws-1",
				ExpectError:   words("Import coze_workspace by workspace id"),
			},
		},
	})
	if n := env.mock.WorkspaceCount(); n != 2 {
		t.Errorf("%d workspaces in the mock, want the personal one and the created one", n)
	}
}

// Destroy cannot delete a workspace: it warns at plan time and at apply time.
func TestWorkspaceDestroyWarnsAtPlanAndApply(t *testing.T) {
	r := NewWorkspaceResource().(*workspaceResource)
	schemaResp := &fwresource.SchemaResponse{}
	r.Schema(ctx, fwresource.SchemaRequest{}, schemaResp)
	typ := schemaResp.Schema.Type().TerraformType(ctx)
	state := tfsdk.State{Schema: schemaResp.Schema, Raw: allNullObject(typ)}
	if d := state.SetAttribute(ctx, path.Root("id"), "7530000000000000001"); d.HasError() {
		t.Fatal(d)
	}
	planResp := &fwresource.ModifyPlanResponse{}
	r.ModifyPlan(ctx, fwresource.ModifyPlanRequest{State: state, Plan: tfsdk.Plan{Schema: state.Schema, Raw: tftypes.NewValue(typ, nil)}}, planResp)
	if planResp.Diagnostics.HasError() || planResp.Diagnostics.WarningsCount() != 1 ||
		!strings.Contains(planResp.Diagnostics[0].Detail(), "no API to delete a workspace") {
		t.Errorf("plan-time destroy warning missing: %v", planResp.Diagnostics)
	}
	deleteResp := &fwresource.DeleteResponse{State: state}
	r.Delete(ctx, fwresource.DeleteRequest{State: state}, deleteResp)
	if deleteResp.Diagnostics.HasError() || deleteResp.Diagnostics.WarningsCount() != 1 ||
		!strings.Contains(deleteResp.Diagnostics[0].Detail(), "7530000000000000001") {
		t.Errorf("delete must warn about the workspace and not fail: %v", deleteResp.Diagnostics)
	}
}

// On an enterprise plan coze_account_id puts the workspace in the
// organization; changing it replaces the workspace and leaves the old one.
func TestAccWorkspace_enterpriseAndReplacement(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	env.mock.AddUser("4026880821030", "lead")
	var first string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.config(workspaceHCL("prod", "d", `coze_account_id = "7490888144450001"
  owner_uid       = "4026880821030"`)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("coze_workspace.w", tfjsonpath.New("enterprise_id"), knownvalue.StringExact("volcano_7490888144450001")),
				},
				Check: func(s *terraform.State) error {
					first = stateAttr(s, "coze_workspace.w", "id")
					if info, _ := env.mock.Workspace(first); info.OwnerUID != "4026880821030" || info.CozeAccountID != "7490888144450001" {
						return fmt.Errorf("created %+v", info)
					}
					return nil
				},
			},
			{
				Config: env.config(workspaceHCL("prod", "d", `coze_account_id = "7490888144450002"
  owner_uid       = "4026880821030"`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_workspace.w", plancheck.ResourceActionReplace),
				}},
				Check: func(s *terraform.State) error {
					second := stateAttr(s, "coze_workspace.w", "id")
					if _, kept := env.mock.Workspace(first); !kept || second == first {
						return fmt.Errorf("replacement: old %s kept %v, new %s", first, kept, second)
					}
					if info, _ := env.mock.Workspace(second); info.EnterpriseID != "volcano_7490888144450002" {
						return fmt.Errorf("new workspace %+v", info)
					}
					return nil
				},
			},
		},
	})
}

// After an import, the create-only values the list API does not return are
// adopted as configured, without replacing the workspace; a later change of
// icon_file_id is only recorded, one of coze_account_id replaces it.
func TestAccWorkspace_importAdoptsCreateOnlyValues(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	id := env.mock.AddWorkspace(mockcoze.WorkspaceSeed{Name: "ops", Description: "d", EnterpriseID: "volcano_7490888144450001"})
	cfgIn := func(account, icon string) string {
		return env.config(workspaceHCL("ops", "d", fmt.Sprintf(`coze_account_id = %q
  icon_file_id    = %q`, account, icon)))
	}
	cfg := func(icon string) string { return cfgIn("7490888144450001", icon) }
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:             cfg("7600000000000000001"),
				ResourceName:       "coze_workspace.w",
				ImportState:        true,
				ImportStateId:      id,
				ImportStatePersist: true,
			},
			{
				Config: cfg("7600000000000000001"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_workspace.w", plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkRequests("PUT", "/v1/workspaces/"+id, 0),
					env.checkRequests("POST", "/v1/workspaces", 0),
					resource.TestCheckResourceAttr("coze_workspace.w", "icon_file_id", "7600000000000000001"),
				),
			},
			{
				Config: cfg("7600000000000000002"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_workspace.w", plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkRequests("POST", "/v1/workspaces", 0),
					resource.TestCheckResourceAttr("coze_workspace.w", "id", id),
				),
			},
			{
				Config: cfgIn("7490888144450002", "7600000000000000002"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_workspace.w", plancheck.ResourceActionReplace),
				}},
				Check: env.checkRequests("POST", "/v1/workspaces", 1),
			},
		},
	})
}

// update_workspace_info.md: the update API takes no icon. A new
// icon_file_id (here a coze_file uploaded again) must not replace the
// workspace, and with it every bot whose space_id refers to it: the change is
// recorded, with a warning, and the icon stays as created.
func TestAccWorkspace_iconChangeDoesNotReplace(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	icon := filepath.Join(t.TempDir(), "icon.png")
	writeFile(t, icon, "first icon")
	cfg := env.config(fmt.Sprintf(`
resource "coze_file" "icon" {
  source = %q
}
resource "coze_workspace" "w" {
  name         = "support"
  description  = "d"
  icon_file_id = coze_file.icon.id
}
resource "coze_bot" "b" {
  space_id    = coze_workspace.w.id
  name        = "helper"
  prompt_info = { prompt = "be brief" }
}`, icon))
	var id, firstIcon string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: func(s *terraform.State) error {
					id, firstIcon = stateAttr(s, "coze_workspace.w", "id"), stateAttr(s, "coze_file.icon", "id")
					if info, _ := env.mock.Workspace(id); info.IconFileID != firstIcon {
						return fmt.Errorf("workspace created with icon %q, want %s", info.IconFileID, firstIcon)
					}
					return nil
				},
			},
			{
				PreConfig: func() { writeFile(t, icon, "second icon") },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_workspace.w", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("coze_bot.b", plancheck.ResourceActionNoop),
				}},
				Check: func(s *terraform.State) error {
					if again := stateAttr(s, "coze_workspace.w", "id"); again != id {
						return fmt.Errorf("workspace id %s after the icon change, want %s", again, id)
					}
					if got, want := stateAttr(s, "coze_workspace.w", "icon_file_id"), stateAttr(s, "coze_file.icon", "id"); got != want || got == firstIcon {
						return fmt.Errorf("icon_file_id in the state %s, want the new file %s", got, want)
					}
					if info, _ := env.mock.Workspace(id); info.IconFileID != firstIcon {
						return fmt.Errorf("the workspace's icon is %q: no API changes it", info.IconFileID)
					}
					return nil
				},
			},
		},
	})
	for path, want := range map[string]int{"/v1/workspaces": 1, "/v1/bot/create": 1} {
		if n := len(env.mock.RequestsTo("POST", path)); n != want {
			t.Errorf("%d POST %s, want %d", n, path, want)
		}
	}
	if n := len(env.mock.RequestsTo("PUT", "/v1/workspaces/"+id)); n != 0 {
		t.Errorf("%d PUT requests: the icon change has nothing to send", n)
	}
}

// The plan warns that a new icon_file_id is not applied.
func TestWorkspaceIconChangeWarnsAtPlan(t *testing.T) {
	r := NewWorkspaceResource().(*workspaceResource)
	r.data = &providerData{}
	schemaResp := &fwresource.SchemaResponse{}
	r.Schema(ctx, fwresource.SchemaRequest{}, schemaResp)
	typ := schemaResp.Schema.Type().TerraformType(ctx)
	state := tfsdk.State{Schema: schemaResp.Schema, Raw: allNullObject(typ)}
	for name, value := range map[string]string{"id": "7530000000000000001", "name": "n", "description": "d", "icon_file_id": "7600000000000000001", "workspace_type": "team"} {
		if d := state.SetAttribute(ctx, path.Root(name), value); d.HasError() {
			t.Fatal(d)
		}
	}
	plan := tfsdk.Plan{Schema: state.Schema, Raw: state.Raw.Copy()}
	if d := plan.SetAttribute(ctx, path.Root("icon_file_id"), "7600000000000000002"); d.HasError() {
		t.Fatal(d)
	}
	resp := &fwresource.ModifyPlanResponse{Plan: plan}
	r.ModifyPlan(ctx, fwresource.ModifyPlanRequest{State: state, Plan: plan, Config: tfsdk.Config{Schema: state.Schema, Raw: plan.Raw}}, resp)
	if len(resp.RequiresReplace) != 0 {
		t.Errorf("an icon change replaces the workspace: %v", resp.RequiresReplace)
	}
	if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 ||
		!strings.Contains(resp.Diagnostics[0].Detail(), "only when a workspace is created") {
		t.Errorf("want one warning that the icon is not changed: %v", resp.Diagnostics)
	}
}

// A personal workspace can be imported but not renamed: the plan fails.
func TestAccWorkspace_personalCannotBeChanged(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	env.mock.EditWorkspace(mockcoze.DefaultSpaceID, "个人空间", "my own")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:             env.config(workspaceHCL("个人空间", "my own", "")),
				ResourceName:       "coze_workspace.w",
				ImportState:        true,
				ImportStateId:      mockcoze.DefaultSpaceID,
				ImportStatePersist: true,
			},
			{
				Config:   env.config(workspaceHCL("个人空间", "my own", "")),
				PlanOnly: true,
			},
			{
				Config:      env.config(workspaceHCL("Renamed", "my own", "")),
				ExpectError: regexp.MustCompile(`(?s)Personal workspaces cannot be changed.*name\s+back\s+to\s+"个人空间"`),
			},
		},
	})
	if n := len(env.mock.RequestsTo("PUT", "/v1/workspaces/"+mockcoze.DefaultSpaceID)); n != 0 {
		t.Errorf("%d PUT requests reached the mock", n)
	}
}

// A failed update shows code, msg and logid and leaves the state as it was.
func TestAccWorkspace_apiErrorKeepsTheState(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.config(workspaceHCL("a", "d", "")),
				Check: func(s *terraform.State) error {
					id = stateAttr(s, "coze_workspace.w", "id")
					env.mock.InjectFault(mockcoze.Fault{Method: "PUT", Path: "/v1/workspaces/" + id, Code: 4014, Msg: "content is not compliant"})
					return nil
				},
			},
			{
				Config:      env.config(workspaceHCL("forbidden", "d", "")),
				ExpectError: regexp.MustCompile(`(?s)Cannot update Coze workspace [0-9]+.*code:\s+4014.*content is not compliant.*logid:\s+[0-9A-F]{26}`),
			},
			{
				Config:   env.config(workspaceHCL("a", "d", "")),
				PlanOnly: true, // the state still says "a"
			},
		},
	})
}

// Out-of-band changes: a rename shows as drift that the next apply reverts.
// A workspace gone from the list is never removed from the state: Coze has
// no API to delete a workspace, so the list cannot tell that it is gone, and
// the next apply would create a second one that can never be deleted. The
// plan fails, and no create request is sent.
func TestAccWorkspace_driftAndOutOfBandDeletion(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	var id string
	cfg := env.config(workspaceHCL("a", "d", ""))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check:  func(s *terraform.State) error { id = stateAttr(s, "coze_workspace.w", "id"); return nil },
			},
			{
				PreConfig: func() { env.mock.EditWorkspace(id, "renamed in the UI", "d") },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_workspace.w", plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					if info, _ := env.mock.Workspace(id); info.Name != "a" {
						return fmt.Errorf("name after apply: %q", info.Name)
					}
					return nil
				},
			},
			{
				PreConfig:   func() { env.mock.DeleteWorkspace(id) },
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)Coze workspace [0-9]+ is not in the workspace list.*terraform state rm`),
			},
			{
				// Back in the list (it was only hidden): the state was kept.
				PreConfig: func() { env.mock.AddWorkspace(mockcoze.WorkspaceSeed{ID: id, Name: "a", Description: "d"}) },
				Config:    cfg,
				PlanOnly:  true,
			},
		},
	})
	if n := len(env.mock.RequestsTo("POST", "/v1/workspaces")); n != 1 {
		t.Errorf("%d create requests, want 1: a workspace missing from the list must not be created again", n)
	}
}

// list_workspace.md: the list shows only the workspaces the token's user
// created or joined. A workspace the token's user was removed from (or a
// token of another account, or a service app) makes it vanish from the list;
// the state is kept, with an error that says why, and nothing is created.
func TestAccWorkspace_notInTheTokensListKeepsTheState(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	const alice = "4026880821030"
	env.mock.AddUser(alice, "alice")
	var id string
	cfg := env.config(workspaceHCL("ops", "d", `coze_account_id = "7490888144450001"`))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check:  func(s *terraform.State) error { id = stateAttr(s, "coze_workspace.w", "id"); return nil },
			},
			{
				PreConfig: func() {
					env.mock.SetOwner(id, alice)
					env.mock.RemoveMember(id, mockcoze.OwnerUserID)
				},
				Config: cfg,
				ExpectError: regexp.MustCompile(`(?s)Coze workspace [0-9]+ is not in the workspace list.*` +
					`token's\s+user\s+created\s+or\s+joined.*removed\s+from\s+the\s+workspace.*The\s+state\s+is\s+kept.*terraform\s+state\s+rm`),
			},
			{
				PreConfig: func() { env.mock.AddMember(id, mockcoze.OwnerUserID, "admin") },
				Config:    cfg,
				PlanOnly:  true, // the state was kept: nothing to create
			},
		},
	})
	if n := len(env.mock.RequestsTo("POST", "/v1/workspaces")); n != 1 {
		t.Errorf("%d create requests, want 1", n)
	}
}

// Bad input fails at plan time, naming the attribute and what is accepted,
// and nothing reaches the API.
func TestAccWorkspace_validationFailsAtPlanTime(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	env.expectPlanTimeErrors(t, []planFailure{
		{workspaceHCL(strings.Repeat("空", 51), "d", ""), `Attribute name UTF-8 character count must be between 1 and 50, got: 51`},
		{workspaceHCL("n", strings.Repeat("d", 2001), ""), `Attribute description UTF-8 character count must be between 1 and 2000, got: 2001`},
		{workspaceHCL("n", "", ""), `Attribute description UTF-8 character count must be between 1 and 2000, got: 0`},
		{workspaceHCL("n", "d", `coze_account_id = "org-1"`), `Attribute coze_account_id must be a decimal id`},
		{workspaceHCL("n", "d", `icon_file_id = "icon.png"`), `Attribute icon_file_id must be a decimal id`},
		{workspaceHCL("n", "d", `owner_uid = "alice"`), `Attribute owner_uid must be a Coze UID`},
	})
}

// allNullObject is an object of typ whose attributes are all null.
func allNullObject(typ tftypes.Type) tftypes.Value {
	obj, _ := typ.(tftypes.Object)
	attrs := map[string]tftypes.Value{}
	for name, at := range obj.AttributeTypes {
		attrs[name] = tftypes.NewValue(at, nil)
	}
	return tftypes.NewValue(typ, attrs)
}

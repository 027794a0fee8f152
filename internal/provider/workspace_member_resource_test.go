package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

const (
	alice = "4026880821030"
	bob   = "2601914670001"
)

// memberHCL is a coze_workspace_member "m" of user in workspace.
func memberHCL(workspace, user, role string) string {
	return fmt.Sprintf(`
resource "coze_workspace_member" "m" {
  workspace_id = %s
  user_id      = %q
  role_type    = %q
}`, workspace, user, role)
}

// checkMember asserts the mock's view of a user in a workspace.
func (e *testEnv) checkMember(workspace func() string, user, wantRole, wantStatus string) func(*terraform.State) error {
	return func(*terraform.State) error {
		if role, status := e.mock.Member(workspace(), user); role != wantRole || status != wantStatus {
			return fmt.Errorf("user %s in the mock: role %q status %q, want %q %q", user, role, status, wantRole, wantStatus)
		}
		return nil
	}
}

// newMemberEnv is a mock with alice and bob as Coze users.
func newMemberEnv(t *testing.T) *testEnv {
	t.Helper()
	env := newTestEnv(t, mockcoze.Options{})
	env.mock.AddUser(alice, "alice")
	env.mock.AddUser(bob, "bob")
	return env
}

const enterpriseWorkspaceHCL = `
resource "coze_workspace" "w" {
  name            = "prod"
  description     = "d"
  coze_account_id = "7490888144450001"
}`

// Enterprise plan: the user joins directly; a role change is one apply that
// removes and adds the user; import; removal.
func TestAccWorkspaceMember_enterpriseAddRoleChangeImportRemove(t *testing.T) {
	t.Parallel()
	env := newMemberEnv(t)
	var ws string
	wsID := func() string { return ws }
	membersPath := func() string { return "/v1/workspaces/" + ws + "/members" }
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.config(enterpriseWorkspaceHCL + memberHCL("coze_workspace.w.id", alice, "member")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("coze_workspace_member.m", tfjsonpath.New("status"), knownvalue.StringExact("joined")),
				},
				Check: func(s *terraform.State) error {
					ws = stateAttr(s, "coze_workspace.w", "id")
					if id := stateAttr(s, "coze_workspace_member.m", "id"); id != ws+"/"+alice {
						return fmt.Errorf("id = %q", id)
					}
					adds := env.mock.RequestsTo("POST", membersPath())
					if len(adds) != 1 || string(adds[0].Body) != `{"users":[{"user_id":"`+alice+`","role_type":"member"}]}` {
						return fmt.Errorf("adds: %v", adds)
					}
					return env.checkMember(wsID, alice, "member", "joined")(s)
				},
			},
			{
				Config: env.config(enterpriseWorkspaceHCL + memberHCL("coze_workspace.w.id", alice, "admin")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_workspace_member.m", plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue("coze_workspace_member.m", tfjsonpath.New("status")),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkMember(wsID, alice, "admin", "joined"),
					func(*terraform.State) error {
						if d, a := len(env.mock.RequestsTo("DELETE", membersPath())), len(env.mock.RequestsTo("POST", membersPath())); d != 1 || a != 2 {
							return fmt.Errorf("%d removes and %d adds, want 1 and 2", d, a)
						}
						return nil
					},
					resource.TestCheckResourceAttr("coze_workspace_member.m", "status", "joined"),
				),
			},
			{
				ResourceName:            "coze_workspace_member.m",
				ImportState:             true,
				ImportStateIdFunc:       func(*terraform.State) (string, error) { return ws + "/" + alice, nil },
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
			{
				ResourceName:  "coze_workspace_member.m",
				ImportState:   true,
				ImportStateId: alice,
				ExpectError:   words("Import coze_workspace_member by <workspace_id>/<user_id>"),
			},
			{
				ResourceName:      "coze_workspace_member.m",
				ImportState:       true,
				ImportStateIdFunc: func(*terraform.State) (string, error) { return ws + "/" + bob, nil },
				ExpectError:       words("User " + bob + " is not a member of workspace"),
			},
			{
				Config: env.config(enterpriseWorkspaceHCL),
				Check:  env.checkMember(wsID, alice, "", ""),
			},
		},
	})
}

// Personal plan: the user is invited; no drift while invited; accepting
// later turns status to joined without a plan; a role change invites again.
func TestAccWorkspaceMember_personalInvitation(t *testing.T) {
	t.Parallel()
	env := newMemberEnv(t)
	var ws string
	wsID := func() string { return ws }
	workspace := `
resource "coze_workspace" "w" {
  name        = "team"
  description = "d"
}`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.config(workspace + memberHCL("coze_workspace.w.id", bob, "member")),
				Check: resource.ComposeAggregateTestCheckFunc(
					func(s *terraform.State) error { ws = stateAttr(s, "coze_workspace.w", "id"); return nil },
					resource.TestCheckResourceAttr("coze_workspace_member.m", "status", "invited"),
					env.checkMember(wsID, bob, "member", "invited"),
				),
			},
			{ // still invited: no drift, nothing planned
				Config:   env.config(workspace + memberHCL("coze_workspace.w.id", bob, "member")),
				PlanOnly: true,
			},
			{
				PreConfig: func() {
					if !env.mock.AcceptInvitation(ws, bob) {
						t.Error("no invitation to accept")
					}
				},
				Config: env.config(workspace + memberHCL("coze_workspace.w.id", bob, "member")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_workspace_member.m", plancheck.ResourceActionNoop),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("coze_workspace_member.m", "status", "joined"),
					env.checkMember(wsID, bob, "member", "joined"),
				),
			},
			{
				Config: env.config(workspace + memberHCL("coze_workspace.w.id", bob, "admin")),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("coze_workspace_member.m", "status", "invited"),
					resource.TestCheckResourceAttr("coze_workspace_member.m", "role_type", "admin"),
					env.checkMember(wsID, bob, "admin", "invited"),
				),
			},
		},
	})
}

// A user who does not exist is an error that names them; nothing is stored.
func TestAccWorkspaceMember_userNotFound(t *testing.T) {
	t.Parallel()
	env := newMemberEnv(t)
	ws := env.mock.AddWorkspace(mockcoze.WorkspaceSeed{Name: "w", EnterpriseID: "volcano_1"})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      env.config(memberHCL(fmt.Sprintf("%q", ws), "9999999999999", "member")),
			ExpectError: regexp.MustCompile(`(?s)no such Coze user.*user 9999999999999 in\s+not_exist_user_ids`),
		}},
	})
}

// The owner: adding them is refused; once a managed member becomes the owner,
// a role change (which removes them first) and their removal fail at apply
// time, with the state kept.
func TestAccWorkspaceMember_ownerIsRefused(t *testing.T) {
	t.Parallel()
	env := newMemberEnv(t)
	ws := env.mock.AddWorkspace(mockcoze.WorkspaceSeed{Name: "w", EnterpriseID: "volcano_1"})
	wsID := func() string { return ws }
	cfg := env.config(memberHCL(fmt.Sprintf("%q", ws), alice, "admin"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.config(memberHCL(fmt.Sprintf("%q", ws), mockcoze.OwnerUserID, "admin")),
				ExpectError: words("the user is the workspace's owner"),
			},
			{
				Config: cfg,
				Check:  env.checkMember(wsID, alice, "admin", "joined"),
			},
			{
				PreConfig: func() { env.mock.SetOwner(ws, alice) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_workspace_member.m", plancheck.ResourceActionUpdate),
				}},
				ExpectError: regexp.MustCompile(`(?s)Cannot remove user ` + alice + ` from Coze workspace [0-9]+: the user is\s+the workspace's owner`),
			},
			{
				Config:      cfg,
				Destroy:     true,
				ExpectError: regexp.MustCompile(`(?s)Cannot remove user ` + alice + ` from Coze workspace [0-9]+: the user is\s+the workspace's owner.*owner_not_support_remove_user_ids`),
			},
			{ // the membership is still in the state: once alice is an admin again, nothing is planned
				PreConfig: func() { env.mock.SetOwner(ws, mockcoze.OwnerUserID) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_workspace_member.m", plancheck.ResourceActionNoop),
				}},
				Check: resource.TestCheckResourceAttr("coze_workspace_member.m", "role_type", "admin"),
			},
		},
	})
}

// A member removed out of band is dropped from the state with a warning and
// added again; one added out of band beforehand is adopted, and its role
// changed by the next apply.
func TestAccWorkspaceMember_outOfBandChanges(t *testing.T) {
	t.Parallel()
	env := newMemberEnv(t)
	ws := env.mock.AddWorkspace(mockcoze.WorkspaceSeed{Name: "w", EnterpriseID: "volcano_1"})
	wsID := func() string { return ws }
	env.mock.AddMember(ws, alice, "member")
	cfg := env.config(memberHCL(fmt.Sprintf("%q", ws), alice, "admin"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{ // adopted as it is: the next plan changes the role
				Config:             cfg,
				Check:              env.checkMember(wsID, alice, "member", "joined"),
				ExpectNonEmptyPlan: true,
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_workspace_member.m", plancheck.ResourceActionUpdate),
				}},
				Check: env.checkMember(wsID, alice, "admin", "joined"),
			},
			{
				PreConfig: func() { env.mock.RemoveMember(ws, alice) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_workspace_member.m", plancheck.ResourceActionCreate),
				}},
				Check: env.checkMember(wsID, alice, "admin", "joined"),
			},
		},
	})
}

// A remove answered 4006 or 4200 (no permission, or a workspace the token
// cannot see) has not removed anyone: destroy and a role change fail and
// keep the state, and the user keeps the access the state records.
func TestAccWorkspaceMember_ambiguousRemoveKeepsTheState(t *testing.T) {
	t.Parallel()
	env := newMemberEnv(t)
	ws := env.mock.AddWorkspace(mockcoze.WorkspaceSeed{Name: "w", EnterpriseID: "volcano_1"})
	wsID := func() string { return ws }
	membersPath := "/v1/workspaces/" + ws + "/members"
	cfg := func(role string) string { return env.config(memberHCL(fmt.Sprintf("%q", ws), alice, role)) }
	refuse := func(code int) func() {
		return func() {
			env.mock.InjectFault(mockcoze.Fault{Method: "DELETE", Path: membersPath, Code: code, Msg: "no permission"})
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg("member"), Check: env.checkMember(wsID, alice, "member", "joined")},
			{ // a role change removes first: refused, nothing is added and the state keeps "member"
				PreConfig:   refuse(4200),
				Config:      cfg("admin"),
				ExpectError: regexp.MustCompile(`(?s)Cannot remove user ` + alice + ` from Coze workspace.*4200`),
			},
			{Config: cfg("member"), PlanOnly: true},
			{ // destroy: refused, the membership stays in the state
				PreConfig:   refuse(4006),
				Config:      env.config(""),
				ExpectError: regexp.MustCompile(`(?s)Cannot remove user ` + alice + ` from Coze workspace.*4006`),
			},
			{Config: cfg("member"), PlanOnly: true, Check: env.checkMember(wsID, alice, "member", "joined")},
		},
	})
	if n := len(env.mock.RequestsTo("POST", membersPath)); n != 1 {
		t.Errorf("%d add requests, want 1: a refused remove must not be followed by an add", n)
	}
}

// Twenty-five memberships in one apply and their removal stay within the
// batch limits (the mock rejects more than 20 users per add and 5 per remove).
func TestAccWorkspaceMember_manyMembersInOneApply(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	ws := env.mock.AddWorkspace(mockcoze.WorkspaceSeed{Name: "w", EnterpriseID: "volcano_1"})
	var users []string
	for i := range 25 {
		id := fmt.Sprint(5000000000000 + i)
		env.mock.AddUser(id, "u"+id)
		users = append(users, fmt.Sprintf("%q", id))
	}
	membersPath := "/v1/workspaces/" + ws + "/members"
	batchSizes := func(method, key string) []int {
		var sizes []int
		for _, r := range env.mock.RequestsTo(method, membersPath) {
			var body map[string][]any
			if err := json.Unmarshal(r.Body, &body); err != nil {
				t.Errorf("%s body %s", method, r.Body)
			}
			sizes = append(sizes, len(body[key]))
		}
		return sizes
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			sizes := batchSizes("DELETE", "user_ids")
			if len(sizes) != 25 || maxOf(sizes) > 5 {
				return fmt.Errorf("remove calls of %v users", sizes)
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config: env.config(fmt.Sprintf(`
locals {
  users = [%s]
}

resource "coze_workspace_member" "team" {
  count        = length(local.users)
  workspace_id = %q
  user_id      = local.users[count.index]
  role_type    = "member"
}

data "coze_workspace_members" "all" {
  workspace_id = %q
  role_type    = "member"
  depends_on   = [coze_workspace_member.team]
}`, strings.Join(users, ", "), ws, ws)),
			Check: func(*terraform.State) error {
				if sizes := batchSizes("POST", "users"); len(sizes) != 25 || maxOf(sizes) > 20 {
					return fmt.Errorf("add calls of %v users", sizes)
				}
				return nil
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.coze_workspace_members.all", tfjsonpath.New("items"), knownvalue.ListSizeExact(25)),
			},
		}},
	})
}

func maxOf(xs []int) int {
	m := 0
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}

// A failed add shows code, msg and logid, and nothing is stored.
func TestAccWorkspaceMember_apiError(t *testing.T) {
	t.Parallel()
	env := newMemberEnv(t)
	ws := env.mock.AddWorkspace(mockcoze.WorkspaceSeed{Name: "w", EnterpriseID: "volcano_1"})
	env.mock.InjectFault(mockcoze.Fault{Method: "POST", Path: "/v1/workspaces/" + ws + "/members", Code: 702042162,
		Msg: "the user has not joined the enterprise"})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.config(memberHCL(fmt.Sprintf("%q", ws), alice, "admin")),
				ExpectError: regexp.MustCompile(`(?s)Cannot add user ` + alice + ` to Coze workspace [0-9]+.*code:\s+702042162.*has not joined the\s+enterprise.*logid:`),
			},
			{ // nothing was stored: the plan creates it again
				Config:             env.config(memberHCL(fmt.Sprintf("%q", ws), alice, "admin")),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// A 4101 names the member permissions, not the bot's.
func TestAccWorkspaceMember_permissionDenied(t *testing.T) {
	t.Parallel()
	env := newMemberEnv(t)
	ws := env.mock.AddWorkspace(mockcoze.WorkspaceSeed{Name: "w", EnterpriseID: "volcano_1"})
	env.mock.InjectFault(mockcoze.Fault{Method: "POST", Path: "/v1/workspaces/" + ws + "/members", Code: 4101, Msg: "no permission"})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.config(memberHCL(fmt.Sprintf("%q", ws), alice, "admin")),
			ExpectError: regexp.MustCompile("(?s)Cannot add user " + alice + " to Coze workspace [0-9]+.*code:\\s+4101.*" +
				"coze_workspace_member needs\\s+`addMember`,\\s+`removeMember`\\s+and\\s+`readMember`"),
		}},
	})
}

func TestAccWorkspaceMember_validationFailsAtPlanTime(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	env.expectPlanTimeErrors(t, []planFailure{
		{memberHCL(`"7530000000000000001"`, alice, "owner"), `Attribute role_type value must be one of: ["admin" "member"], got: "owner"`},
		{memberHCL(`"ws-1"`, alice, "admin"), `Attribute workspace_id must be a decimal id`},
		{memberHCL(`"7530000000000000001"`, "alice", "admin"), `Attribute user_id must be a decimal id`},
	})
}

// A member list answered 4006 or 4200 means "no such workspace" or "no
// permission" alike: the refresh fails with the likely causes and keeps the
// membership, which is neither added again nor forgotten. Only a list that
// succeeds without the user drops it (TestAccWorkspaceMember_outOfBandChanges).
func TestAccWorkspaceMember_ambiguousListKeepsTheState(t *testing.T) {
	t.Parallel()
	for _, code := range []int{4006, 4200} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			t.Parallel()
			env := newMemberEnv(t)
			ws := env.mock.AddWorkspace(mockcoze.WorkspaceSeed{Name: "w", EnterpriseID: "volcano_1"})
			cfg := env.config(memberHCL(fmt.Sprintf("%q", ws), alice, "member"))
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: cfg},
					{
						PreConfig: func() {
							env.mock.InjectFault(mockcoze.Fault{Method: "GET", Path: "/v1/workspaces/" + ws + "/members", Code: code, Msg: "no permission"})
						},
						RefreshState: true,
						ExpectError: regexp.MustCompile(fmt.Sprintf(`(?s)Cannot read member %s of Coze workspace %s.*%d.*Likely\s+causes.*`+
							`stays\s+in\s+the\s+Terraform\s+state.*terraform\s+state\s+rm`, alice, ws, code)),
					},
					// Terraform keeps no state of a failed refresh, so what Read
					// answers with its error is checked in
					// TestWorkspaceMemberReadKeepsTheStateOnAnAmbiguousList.
					{Config: cfg, PlanOnly: true}, // nothing to add again
				},
			})
			if n := len(env.mock.RequestsTo("POST", "/v1/workspaces/"+ws+"/members")); n != 1 {
				t.Errorf("%d add calls, want 1: the membership was added again", n)
			}
		})
	}
}

// Read answers a member list refused with 4006 with an error and the state
// as it was: the membership is neither dropped nor changed.
func TestWorkspaceMemberReadKeepsTheStateOnAnAmbiguousList(t *testing.T) {
	ctx := context.Background()
	mock := mockcoze.New(mockcoze.Options{})
	mock.AddUser(alice, "alice")
	ws := mock.AddWorkspace(mockcoze.WorkspaceSeed{Name: "w", EnterpriseID: "volcano_1"})
	mock.InjectFault(mockcoze.Fault{Method: "GET", Path: "/v1/workspaces/" + ws + "/members", Code: 4006, Msg: "no permission"})
	r := NewWorkspaceMemberResource().(*workspaceMemberResource)
	r.data = &providerData{client: mockClient(t, mock)}
	var schemaResp fwresource.SchemaResponse
	r.Schema(ctx, fwresource.SchemaRequest{}, &schemaResp)
	state := tfsdk.State{Schema: schemaResp.Schema}
	timeoutTypes := schemaResp.Schema.Attributes["timeouts"].GetType().(timeouts.Type).AttrTypes
	if diags := state.Set(ctx, workspaceMemberModel{
		ID: types.StringValue(ws + "/" + alice), WorkspaceID: types.StringValue(ws), UserID: types.StringValue(alice),
		RoleType: types.StringValue("member"), Status: types.StringValue(memberJoined),
		Timeouts: timeouts.Value{Object: types.ObjectNull(timeoutTypes)},
	}); diags.HasError() {
		t.Fatal(diags)
	}
	resp := fwresource.ReadResponse{State: tfsdk.State{Schema: state.Schema, Raw: state.Raw.Copy()}}
	r.Read(ctx, fwresource.ReadRequest{State: state}, &resp)
	if !resp.Diagnostics.HasError() {
		t.Fatal("want an error")
	}
	if !resp.State.Raw.Equal(state.Raw) {
		t.Errorf("the state changed on an ambiguous member list:\n got  %v\n want %v", resp.State.Raw, state.Raw)
	}
}

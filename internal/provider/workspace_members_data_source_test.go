package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

// 120 members take three pages; the role filter; an unknown workspace is an
// API error.
func TestAccWorkspaceMembersDataSource(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	ws := env.mock.AddWorkspace(mockcoze.WorkspaceSeed{Name: "w", EnterpriseID: "volcano_1"})
	for i := range 119 {
		id := fmt.Sprint(5000000000000 + i)
		role := "member"
		if i%10 == 0 {
			role = "admin"
		}
		env.mock.AddUser(id, "nick"+id)
		env.mock.AddMember(ws, id, role)
	}
	items := tfjsonpath.New("items")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.config(fmt.Sprintf(`
data "coze_workspace_members" "all" { workspace_id = %[1]q }
data "coze_workspace_members" "admins" {
  workspace_id = %[1]q
  role_type    = "admin"
}
data "coze_workspace_members" "owner" {
  workspace_id = %[1]q
  role_type    = "owner"
}`, ws)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.coze_workspace_members.all", items, knownvalue.ListSizeExact(120)),
					statecheck.ExpectKnownValue("data.coze_workspace_members.all", items.AtSliceIndex(119).AtMapKey("user_nickname"),
						knownvalue.StringExact("nick5000000000118")),
					statecheck.ExpectKnownValue("data.coze_workspace_members.admins", items, knownvalue.ListSizeExact(12)),
					statecheck.ExpectKnownValue("data.coze_workspace_members.owner", items, knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{
							"user_id": knownvalue.StringExact(mockcoze.OwnerUserID), "role_type": knownvalue.StringExact("owner"),
						}),
					})),
				},
			},
			{
				Config:      env.config(`data "coze_workspace_members" "x" { workspace_id = "1" }`),
				ExpectError: regexp.MustCompile(`(?s)Cannot list the members of Coze workspace 1.*code:\s+4200`),
			},
		},
	})
}

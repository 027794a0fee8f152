package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

// 120 workspaces take three pages; filters by exact name and type; a name
// that matches nothing is an error naming it.
func TestAccWorkspacesDataSource(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	for i := range 119 {
		env.mock.AddWorkspace(mockcoze.WorkspaceSeed{Name: fmt.Sprintf("team %03d", i), Description: "d"})
	}
	wanted := env.mock.AddWorkspace(mockcoze.WorkspaceSeed{Name: "Support (prod)", Description: "客服", EnterpriseID: "volcano_1"})
	item := func(i int) tfjsonpath.Path { return tfjsonpath.New("items").AtSliceIndex(i) }
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.config(`data "coze_workspaces" "x" { name = "support (prod)" }`),
				ExpectError: regexp.MustCompile(`(?s)No Coze workspace named "support \(prod\)".*None of the 121 workspaces`),
			},
			{
				Config:      env.config(`data "coze_workspaces" "x" { workspace_type = "shared" }`),
				ExpectError: words(`Attribute workspace_type value must be one of: ["personal" "team"], got: "shared"`),
			},
			{
				Config: env.config(`
data "coze_workspaces" "all" {}
data "coze_workspaces" "prod" { name = "Support (prod)" }
data "coze_workspaces" "personal" { workspace_type = "personal" }
data "coze_workspaces" "none_personal" {
  name           = "team 000"
  workspace_type = "team"
}`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.coze_workspaces.all", tfjsonpath.New("items"), knownvalue.ListSizeExact(121)),
					statecheck.ExpectKnownValue("data.coze_workspaces.prod", tfjsonpath.New("items"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue("data.coze_workspaces.prod", item(0).AtMapKey("id"), knownvalue.StringExact(wanted)),
					statecheck.ExpectKnownValue("data.coze_workspaces.prod", item(0).AtMapKey("description"), knownvalue.StringExact("客服")),
					statecheck.ExpectKnownValue("data.coze_workspaces.prod", item(0).AtMapKey("enterprise_id"), knownvalue.StringExact("volcano_1")),
					statecheck.ExpectKnownValue("data.coze_workspaces.prod", item(0).AtMapKey("role_type"), knownvalue.StringExact("owner")),
					statecheck.ExpectKnownValue("data.coze_workspaces.prod", item(0).AtMapKey("admin_uids"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue("data.coze_workspaces.personal", tfjsonpath.New("items"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue("data.coze_workspaces.personal", item(0).AtMapKey("id"), knownvalue.StringExact(mockcoze.DefaultSpaceID)),
					statecheck.ExpectKnownValue("data.coze_workspaces.none_personal", tfjsonpath.New("items"), knownvalue.ListSizeExact(1)),
				},
				Check: func(*terraform.State) error {
					// The data sources are read twice (plan and apply) or once; every read takes 3 pages of 50.
					if n := len(env.mock.RequestsTo("GET", "/v1/workspaces")); n%3 != 0 || n == 0 {
						return fmt.Errorf("%d list requests, want a multiple of 3", n)
					}
					return nil
				},
			},
		},
	})
}

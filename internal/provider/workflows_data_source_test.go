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

// A name that matches nothing is an error naming the workspace and the name;
// bad input fails at plan time; 70 published workflows take three pages
// (has_more); filters by exact name, mode and publish status; and the ids
// feed a bot's workflow_id_list.
func TestAccWorkflowsDataSource(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	ws := env.mock.AddWorkspace(mockcoze.WorkspaceSeed{Name: "w"})
	for i := range 68 {
		env.mock.AddWorkflow(ws, mockcoze.Workflow{Name: fmt.Sprintf("flow_%02d", i)})
	}
	orderLookup := env.mock.AddWorkflow(ws, mockcoze.Workflow{Name: "order_lookup", Description: "查订单"})
	env.mock.AddWorkflow(ws, mockcoze.Workflow{Name: "support_chat", Mode: "chatflow"})
	env.mock.AddWorkflow(ws, mockcoze.Workflow{Name: "draft_only", Unpublished: true})
	items := tfjsonpath.New("items")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.config(fmt.Sprintf(`
data "coze_workflows" "x" {
  workspace_id = %q
  name         = "draft_only"
}`, ws)),
				ExpectError: regexp.MustCompile(`(?s)No workflow named "draft_only" in Coze workspace ` + ws + `.*among the 70 it lists.*publish_status\s+= "all"`),
			},
			{
				Config:      env.config(`data "coze_workflows" "x" { workspace_id = "ws" }`),
				ExpectError: words(`Attribute workspace_id must be a decimal id`),
			},
			{
				Config: env.config(fmt.Sprintf(`
data "coze_workflows" "x" {
  workspace_id  = %q
  workflow_mode = "agent"
}`, ws)),
				ExpectError: words(`Attribute workflow_mode value must be one of: ["workflow" "chatflow"], got: "agent"`),
			},
			{
				Config: env.config(fmt.Sprintf(`
data "coze_workflows" "all" { workspace_id = %[1]q }
data "coze_workflows" "order_lookup" {
  workspace_id = %[1]q
  name         = "order_lookup"
}
data "coze_workflows" "chatflows" {
  workspace_id  = %[1]q
  workflow_mode = "chatflow"
}
data "coze_workflows" "drafts" {
  workspace_id   = %[1]q
  publish_status = "all"
  name           = "draft_only"
}

resource "coze_bot" "b" {
  space_id         = %[1]q
  name             = "support"
  workflow_id_list = { ids = [{ id = data.coze_workflows.order_lookup.items[0].workflow_id }] }
}`, ws)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.coze_workflows.all", items, knownvalue.ListSizeExact(70)),
					statecheck.ExpectKnownValue("data.coze_workflows.order_lookup", items, knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{
							"workflow_id": knownvalue.StringExact(orderLookup), "description": knownvalue.StringExact("查订单"),
							"app_id": knownvalue.StringExact("0"), "creator_id": knownvalue.StringExact(mockcoze.OwnerUserID),
							"created_at": knownvalue.Int64Func(func(v int64) error {
								if v < 1700000000 {
									return fmt.Errorf("created_at %d", v)
								}
								return nil
							}),
						}),
					})),
					statecheck.ExpectKnownValue("data.coze_workflows.chatflows", items, knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue("data.coze_workflows.drafts", items, knownvalue.ListSizeExact(1)),
				},
				Check: func(s *terraform.State) error {
					draft, _ := env.mock.Draft(stateAttr(s, "coze_bot.b", "bot_id"))
					wl, _ := draft["workflow_id_list"].(map[string]any)
					ids, _ := wl["ids"].([]any)
					if len(ids) != 1 || ids[0].(map[string]any)["id"] != orderLookup {
						return fmt.Errorf("bot's workflow_id_list = %v, want %s", wl, orderLookup)
					}
					for _, r := range env.mock.RequestsTo("GET", "/v1/workflows") {
						if r.RawQuery == "" || !regexp.MustCompile(`(^|&)page_num=[1-3](&|$)`).MatchString(r.RawQuery) {
							return fmt.Errorf("list query %q", r.RawQuery)
						}
					}
					return nil
				},
			},
		},
	})
}

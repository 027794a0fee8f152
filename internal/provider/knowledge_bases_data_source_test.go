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

func TestAccKnowledgeBasesDataSource_filtersAndEveryPage(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	faq := env.mock.AddKnowledgeBase(mockcoze.DefaultSpaceID, "FAQ", 0)
	photos := env.mock.AddKnowledgeBase(mockcoze.DefaultSpaceID, "Product photos", 2)
	env.mock.AddKnowledgeBase("7341000000000999", "FAQ elsewhere", 0)
	env.mock.EditKnowledgeBase(faq, func(kb *mockcoze.KnowledgeBase) { kb.Description = "常见问题" })
	for i := range 301 { // two pages of 300
		env.mock.AddKnowledgeBase(mockcoze.DefaultSpaceID, fmt.Sprintf("bulk %03d", i), 0)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.config(fmt.Sprintf(`
data "coze_knowledge_bases" "faq" {
  space_id = %[1]q
  name     = "faq"
}
data "coze_knowledge_bases" "images" {
  space_id    = %[1]q
  format_type = "image"
}
data "coze_knowledge_bases" "bulk" {
  space_id = %[1]q
  name     = "bulk"
}
data "coze_knowledge_bases" "none" {
  space_id = %[1]q
  name     = "nothing matches"
}
output "faq_id" {
  value = one([for kb in data.coze_knowledge_bases.faq.knowledge_bases : kb.id if kb.name == "FAQ"])
}`, mockcoze.DefaultSpaceID)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.coze_knowledge_bases.faq", tfjsonpath.New("knowledge_bases"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id": knownvalue.StringExact(faq), "name": knownvalue.StringExact("FAQ"), "description": knownvalue.StringExact("常见问题"),
						"format_type": knownvalue.StringExact("text"), "doc_count": knownvalue.Int64Exact(0),
						"status": knownvalue.Int64Exact(1), "can_edit": knownvalue.Bool(true),
					}),
				})),
				statecheck.ExpectKnownValue("data.coze_knowledge_bases.images", tfjsonpath.New("knowledge_bases").AtSliceIndex(0).AtMapKey("id"),
					knownvalue.StringExact(photos)),
				statecheck.ExpectKnownValue("data.coze_knowledge_bases.images", tfjsonpath.New("knowledge_bases"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue("data.coze_knowledge_bases.bulk", tfjsonpath.New("knowledge_bases"), knownvalue.ListSizeExact(301)),
				statecheck.ExpectKnownValue("data.coze_knowledge_bases.none", tfjsonpath.New("knowledge_bases"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownOutputValue("faq_id", knownvalue.StringExact(faq)),
			},
		}},
	})
}

func TestAccKnowledgeBasesDataSource_errors(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.config("data \"coze_knowledge_bases\" \"x\" {\n  space_id    = \"1\"\n  format_type = \"video\"\n}"),
				ExpectError: words(`Attribute format_type value must be one of: ["text" "table" "image"], got: "video"`),
			},
			{
				PreConfig: func() {
					env.mock.InjectFault(mockcoze.Fault{Path: "/v1/datasets", Code: 4101, Msg: "no listKnowledge permission"})
				},
				Config:      env.config(`data "coze_knowledge_bases" "x" { space_id = "1" }`),
				ExpectError: regexp.MustCompile(`(?s)Cannot list the Coze knowledge bases of space 1.*code:\s+4101.*listKnowledge`),
			},
		},
	})
}

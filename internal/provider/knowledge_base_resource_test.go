package provider

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

// The knowledge tests poll fast and read documents in pages of 4, so that
// Read's paging runs in every test.
func init() {
	documentPollBackoff = coze.PollBackoff{Initial: 5 * time.Millisecond, Max: 40 * time.Millisecond}
	documentListPageSize = 4
}

// checkKnowledgeBase asserts the mock's stored knowledge base of coze_knowledge_base.kb.
func (e *testEnv) checkKnowledgeBase(check func(mockcoze.KnowledgeBase) error) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		id := stateAttr(s, "coze_knowledge_base.kb", "id")
		kb, found := e.mock.KnowledgeBaseByID(id)
		if !found {
			return fmt.Errorf("knowledge base %q of coze_knowledge_base.kb not in the mock", id)
		}
		return check(kb)
	}
}

// requestCount asserts how many requests the mock has seen to a method and path.
func (e *testEnv) requestCount(method, path string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := len(e.mock.RequestsTo(method, path)); got != want {
			return fmt.Errorf("mock saw %d %s %s, want %d", got, method, path, want)
		}
		return nil
	}
}

const tinyPNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=="

func TestAccKnowledgeBase_createUpdateReadOnlyImportDestroy(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	env.mock.SetDocumentProcessing(mockcoze.DocumentProcessing{Polls: 1})
	cfg := func(name, description, docs string) string {
		return env.config(fmt.Sprintf(`
resource "coze_file" "icon" {
  content_base64 = %q
  file_name      = "kb.png"
}
resource "coze_knowledge_base" "kb" {
  space_id     = %q
  name         = %q
  description  = %q
  icon_file_id = coze_file.icon.id
}
%s`, tinyPNG, mockcoze.DefaultSpaceID, name, description, docs))
	}
	docs := `
resource "coze_knowledge_document" "d" {
  count             = 2
  knowledge_base_id = coze_knowledge_base.kb.id
  name              = "d${count.index}.txt"
  content_base64    = base64encode("document ${count.index}")
}`
	var kbID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if _, found := env.mock.KnowledgeBaseByID(kbID); found {
				return fmt.Errorf("knowledge base %s still in the mock after destroy", kbID)
			}
			return env.requestCount("DELETE", "/v1/datasets/"+kbID, 1)(nil)
		},
		Steps: []resource.TestStep{
			{
				Config: cfg("产品文档", "A 的产品文档", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("coze_knowledge_base.kb", tfjsonpath.New("format_type"), knownvalue.StringExact("text")),
					statecheck.ExpectKnownValue("coze_knowledge_base.kb", tfjsonpath.New("doc_count"), knownvalue.Int64Exact(0)),
					statecheck.ExpectKnownValue("coze_knowledge_base.kb", tfjsonpath.New("status"), knownvalue.Int64Exact(1)),
					statecheck.ExpectKnownValue("coze_knowledge_base.kb", tfjsonpath.New("create_time"), knownvalue.NotNull()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					func(s *terraform.State) error { kbID = stateAttr(s, "coze_knowledge_base.kb", "id"); return nil },
					env.checkKnowledgeBase(func(kb mockcoze.KnowledgeBase) error {
						if kb.Name != "产品文档" || kb.Description != "A 的产品文档" || kb.FormatType != 0 || kb.SpaceID != mockcoze.DefaultSpaceID ||
							kb.IconFileID == "" {
							return fmt.Errorf("stored %+v", kb)
						}
						return nil
					}),
					env.requestCount("POST", "/v1/datasets", 1),
					checkNoToken,
				),
			},
			{
				Config: cfg("AI知识库", "", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_knowledge_base.kb", plancheck.ResourceActionUpdate),
					// read-only attributes keep their values: they are not "known after apply"
					plancheck.ExpectKnownValue("coze_knowledge_base.kb", tfjsonpath.New("update_time"), knownvalue.NotNull()),
					plancheck.ExpectKnownValue("coze_knowledge_base.kb", tfjsonpath.New("doc_count"), knownvalue.Int64Exact(0)),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkKnowledgeBase(func(kb mockcoze.KnowledgeBase) error {
						if kb.Name != "AI知识库" || kb.Description != "" || kb.IconFileID == "" {
							return fmt.Errorf("after update %+v (the update API must be sent all three fields)", kb)
						}
						return nil
					}),
					func(s *terraform.State) error { return env.requestCount("PUT", "/v1/datasets/"+kbID, 1)(s) },
				),
			},
			// Documents change doc_count, slice_count, all_file_size and update_time:
			// the plan after this apply (which refreshes) must still be empty.
			{
				Config: cfg("AI知识库", "", docs),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_knowledge_base.kb", plancheck.ResourceActionNoop),
				}},
			},
			{
				RefreshState: true,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("coze_knowledge_base.kb", "doc_count", "2"),
					resource.TestCheckResourceAttr("coze_knowledge_base.kb", "all_file_size", "20"),
					resource.TestCheckResourceAttr("coze_knowledge_base.kb", "slice_count", "2"),
				),
			},
			{
				Config:             cfg("AI知识库", "", docs),
				ConfigPlanChecks:   resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ExpectNonEmptyPlan: false,
			},
			{
				ResourceName:      "coze_knowledge_base.kb",
				ImportState:       true,
				ImportStateIdFunc: func(*terraform.State) (string, error) { return mockcoze.DefaultSpaceID + "/" + kbID, nil },
				ImportStateVerify: true,
				// the icon's file id is write-only: the API returns a signed URL
				ImportStateVerifyIgnore: []string{"timeouts", "icon_file_id"},
			},
			{
				ResourceName:  "coze_knowledge_base.kb",
				ImportState:   true,
				ImportStateId: "7700000000000000000",
				ExpectError:   words("Import coze_knowledge_base by <space_id>/<dataset_id>"),
			},
		},
	})
}

func TestAccKnowledgeBase_driftAndOutOfBandDeletion(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	cfg := env.config(fmt.Sprintf(`
resource "coze_knowledge_base" "kb" {
  space_id    = %q
  name        = "FAQ"
  description = "questions"
  format_type = "image"
}`, mockcoze.DefaultSpaceID))
	var first string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(
					func(s *terraform.State) error { first = stateAttr(s, "coze_knowledge_base.kb", "id"); return nil },
					env.checkKnowledgeBase(func(kb mockcoze.KnowledgeBase) error {
						if kb.FormatType != 2 {
							return fmt.Errorf("format_type %d, want 2 (image)", kb.FormatType)
						}
						return nil
					}),
				),
			},
			// Renamed in the Coze UI: the name filter misses it, the full listing finds it.
			{
				PreConfig: func() {
					env.mock.EditKnowledgeBase(first, func(kb *mockcoze.KnowledgeBase) { kb.Name = "Renamed"; kb.Description = "" })
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_knowledge_base.kb", plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue("coze_knowledge_base.kb", tfjsonpath.New("name"), knownvalue.StringExact("FAQ")),
				}},
				Check: env.checkKnowledgeBase(func(kb mockcoze.KnowledgeBase) error {
					if kb.ID != first || kb.Name != "FAQ" || kb.Description != "questions" {
						return fmt.Errorf("after drift correction %+v", kb)
					}
					return nil
				}),
			},
			// Deleted in the Coze UI: dropped with a warning, then created again.
			{
				PreConfig: func() { env.mock.DeleteKnowledgeBase(first) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_knowledge_base.kb", plancheck.ResourceActionCreate),
				}},
				Check: func(s *terraform.State) error {
					if id := stateAttr(s, "coze_knowledge_base.kb", "id"); id == first || id == "" {
						return fmt.Errorf("id %q after re-creation", id)
					}
					return nil
				},
			},
		},
	})
}

// A listing answered 4006 or 4200 (a token without listKnowledge, or one
// that lost access to the workspace) does not show that the base is gone:
// the refresh fails and keeps the state, and nothing is created again.
func TestAccKnowledgeBase_ambiguousListErrorKeepsTheState(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	cfg := env.config(knowledgeBaseHCL)
	steps := []resource.TestStep{{Config: cfg}}
	for _, code := range []int{4006, 4200} {
		steps = append(steps,
			resource.TestStep{
				PreConfig: func() {
					env.mock.InjectFault(mockcoze.Fault{Method: "GET", Path: "/v1/datasets", Code: code, Msg: "no permission"})
				},
				Config:      cfg,
				ExpectError: regexp.MustCompile(fmt.Sprintf(`(?s)Cannot read Coze knowledge base [0-9]+.*%d.*stays in the Terraform state`, code)),
			},
			resource.TestStep{Config: cfg, PlanOnly: true})
	}
	// A delete answered 4006 ("deleted, or no permission") while the listing
	// still shows the base: destroy fails and keeps the state.
	steps = append(steps,
		resource.TestStep{
			PreConfig: func() {
				env.mock.InjectFault(mockcoze.Fault{Method: "DELETE", Path: "/v1/datasets/*", Code: 4006, Msg: "no permission"})
			},
			Config:      env.config(""),
			ExpectError: regexp.MustCompile(`(?s)Cannot delete Coze knowledge base [0-9]+.*4006.*stays in the Terraform state`),
		},
		resource.TestStep{Config: cfg, PlanOnly: true})
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, Steps: steps})
	if n := len(env.mock.RequestsTo("POST", "/v1/datasets")); n != 1 {
		t.Errorf("%d create requests, want 1", n)
	}
}

// update_dataset.md: an update resets what it does not send, the icon
// included. A base whose own icon icon_file_id does not manage (imported, or
// set in the Coze UI) gets a plan-time warning before an update resets it.
func TestIconResetWarning(t *testing.T) {
	const custom = "FileBizType.BIZ_DATASET_ICON/7600000000000000001.png"
	base := knowledgeBaseModel{ID: types.StringValue("7700000000000000001"), Name: types.StringValue("docs"),
		Description: types.StringValue("d"), IconFileID: types.StringNull()}
	with := func(edit func(*knowledgeBaseModel)) knowledgeBaseModel { m := base; edit(&m); return m }
	renamed := with(func(m *knowledgeBaseModel) { m.Name = types.StringValue("FAQ") })
	for name, tc := range map[string]struct {
		plan, state knowledgeBaseModel
		iconURI     string
		warn        bool
	}{
		"renamed, own icon unmanaged":     {renamed, base, custom, true},
		"new description, own icon":       {with(func(m *knowledgeBaseModel) { m.Description = types.StringValue("") }), base, custom, true},
		"renamed, the default icon":       {renamed, base, "FileBizType.BIZ_DATASET_ICON/default.png", false},
		"renamed, Coze Studio's default":  {renamed, base, "default_icon/default_dataset_icon.png", false},
		"renamed, no icon known":          {renamed, base, "", false},
		"no update":                       {base, base, custom, false},
		"renamed, icon_file_id set":       {with(func(m *knowledgeBaseModel) { m.Name, m.IconFileID = types.StringValue("FAQ"), types.StringValue("76") }), base, custom, false},
		"renamed, icon_file_id was known": {with(func(m *knowledgeBaseModel) { m.Name = types.StringValue("FAQ") }), with(func(m *knowledgeBaseModel) { m.IconFileID = types.StringValue("76") }), custom, false},
	} {
		got := iconResetWarning(tc.plan, tc.state, tc.iconURI)
		if (got != "") != tc.warn {
			t.Errorf("%s: warning %q, want one: %v", name, got, tc.warn)
		}
		if tc.warn && (!strings.Contains(got, tc.iconURI) || !strings.Contains(got, "set icon_file_id")) {
			t.Errorf("%s: the warning must name the icon and the way to keep it: %q", name, got)
		}
	}
}

// After an import, a rename sends no file_id, as the warning says: the
// mock, like the API, resets the icon; with icon_file_id set, it is kept.
func TestAccKnowledgeBase_importedIconIsResetUnlessManaged(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	id := env.mock.AddKnowledgeBase(mockcoze.DefaultSpaceID, "docs", 0)
	env.mock.EditKnowledgeBase(id, func(kb *mockcoze.KnowledgeBase) { kb.IconFileID = "7600000000000000001" })
	cfg := func(name, icon string) string {
		return env.config(fmt.Sprintf(`
resource "coze_knowledge_base" "kb" {
  space_id     = %q
  name         = %q
  %s
}`, mockcoze.DefaultSpaceID, name, icon))
	}
	icon := func(want string) resource.TestCheckFunc {
		return env.checkKnowledgeBase(func(kb mockcoze.KnowledgeBase) error {
			if kb.IconFileID != want {
				return fmt.Errorf("icon %q, want %q", kb.IconFileID, want)
			}
			return nil
		})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg("docs", ""), ResourceName: "coze_knowledge_base.kb", ImportState: true,
				ImportStateId: mockcoze.DefaultSpaceID + "/" + id, ImportStatePersist: true},
			{Config: cfg("FAQ", `icon_file_id = "7600000000000000001"`), Check: icon("7600000000000000001")},
			{Config: cfg("FAQ 2", ""), Check: icon("")},
		},
	})
}

func TestAccKnowledgeBase_validation(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	failures := []planFailure{
		{`name = "` + strings.Repeat("知", 101) + `"`, `Attribute name UTF-8 character count must be between 1 and 100, got: 101`},
		{`name = ""`, `Attribute name UTF-8 character count must be between 1 and 100, got: 0`},
		{`name = "n"` + "\n  format_type = \"table\"", `Attribute format_type value must be one of: ["text" "image"], got: "table"`},
		{`name = "n"` + "\n  icon_file_id = \"icon.png\"", `Attribute icon_file_id must be a decimal id`},
	}
	for i, f := range failures {
		failures[i].hcl = fmt.Sprintf("resource \"coze_knowledge_base\" \"kb\" {\n  space_id = \"1\"\n  %s\n}", f.hcl)
	}
	env.expectPlanTimeErrors(t, failures)
}

// A failed API call shows code, msg and logid, and leaves nothing in the state.
func TestAccKnowledgeBase_apiErrorLeavesStateUntouched(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	cfg := func(name string) string {
		return env.config(fmt.Sprintf(`resource "coze_knowledge_base" "kb" {
  space_id = %q
  name     = %q
}`, mockcoze.DefaultSpaceID, name))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					env.mock.InjectFault(mockcoze.Fault{Path: "/v1/datasets", Method: "POST", Code: 4101, Msg: "no createKnowledge permission"})
				},
				Config:      cfg("n"),
				ExpectError: regexp.MustCompile(`(?s)Cannot create Coze knowledge base "n" in space 7341000000000000.*code:\s+4101.*no createKnowledge permission.*logid:\s+\d{14}[0-9A-F]{12}.*createKnowledge`),
			},
			{
				Config: cfg("n"),
				Check: func(s *terraform.State) error {
					if got := len(env.mock.KnowledgeBases()); got != 1 {
						return fmt.Errorf("%d knowledge bases after the retry", got)
					}
					return nil
				},
			},
			{
				PreConfig: func() {
					env.mock.InjectFault(mockcoze.Fault{Path: "/v1/datasets/*", Method: "PUT", Code: 4000, Msg: "name is sensitive"})
				},
				Config:      cfg("renamed"),
				ExpectError: regexp.MustCompile(`(?s)Cannot update Coze knowledge base \d+.*code:\s+4000.*name is sensitive`),
			},
			// The failed update left the state as it was: the rename is planned again.
			{
				Config: cfg("renamed"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_knowledge_base.kb", plancheck.ResourceActionUpdate),
				}},
			},
		},
	})
}

// A create answered success without the new object's id made it: the error
// says so and how to import it, never that no answer came or to apply again.
func TestAccKnowledge_aCreateAnsweredWithoutItsIDSaysItWasCreated(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		path, answer, config, want string
	}{
		"knowledge base": {"/v1/datasets", `{"code":0,"msg":"","data":{}}`, `
resource "coze_knowledge_base" "kb" {
  space_id = "7341000000000000"
  name     = "docs"
}`, `terraform\s+import\s+<address\s+of\s+this\s+coze_knowledge_base>\s+7341000000000000/<dataset_id>`},
		"document": {"/open_api/knowledge/document/create", `{"code":0,"msg":"","document_infos":[{"name":"faq.txt"}]}`, `
resource "coze_knowledge_document" "d" {
  knowledge_base_id = "%s"
  name              = "faq.txt"
  content_base64    = base64encode("questions")
}`, `terraform\s+import\s+<address\s+of\s+this\s+coze_knowledge_document>\s+%s/<document_id>`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mock := mockcoze.New(mockcoze.Options{Token: testToken})
			kbID := mock.AddKnowledgeBase(mockcoze.DefaultSpaceID, "kb", 0)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodPost || r.URL.Path != tc.path {
					mock.ServeHTTP(w, r)
					return
				}
				mock.ServeHTTP(httptest.NewRecorder(), r) // carried out, answered without the id
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, tc.answer)
			}))
			t.Cleanup(srv.Close)
			env := &testEnv{mock: mock, url: srv.URL}
			config, want := tc.config, tc.want
			if strings.Contains(config, "%s") {
				config, want = fmt.Sprintf(config, kbID), fmt.Sprintf(want, kbID)
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      env.config(config),
					ExpectError: regexp.MustCompile(`(?s)answered\s+success\s+but\s+returned.*was\s+created.*so\s+the\s+object\s+exists.*` + want),
				}},
			})
		})
	}
}

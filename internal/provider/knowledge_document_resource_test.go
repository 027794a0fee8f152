package provider

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

func sha256Of(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// knowledgeBaseHCL is a text knowledge base "kb" in the mock's default space.
var knowledgeBaseHCL = fmt.Sprintf(`
resource "coze_knowledge_base" "kb" {
  space_id = %q
  name     = "docs"
}`, mockcoze.DefaultSpaceID)

// checkDocument asserts the mock's stored document of a resource.
func (e *testEnv) checkDocument(resourceName string, check func(mockcoze.KnowledgeDocument) error) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		id := stateAttr(s, resourceName, "id")
		doc, found := e.mock.KnowledgeDocumentByID(id)
		if !found {
			return fmt.Errorf("document %q of %s not in the mock", id, resourceName)
		}
		return check(doc)
	}
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestAccKnowledgeDocument_createUpdateReplaceImportDestroy(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	dir := t.TempDir()
	faq, policy := filepath.Join(dir, "faq.txt"), filepath.Join(dir, "policy.txt")
	writeFile(t, faq, "Q: 退货？\n\nA: 七天内。")
	writeFile(t, policy, "Policy one.")
	cfg := func(faqName string, interval int) string {
		intervalHCL := ""
		if interval > 0 {
			intervalHCL = fmt.Sprintf("update_interval_hours = %d", interval)
		}
		return env.config(knowledgeBaseHCL + fmt.Sprintf(`
resource "coze_knowledge_document" "faq" {
  knowledge_base_id = coze_knowledge_base.kb.id
  name              = %q
  source            = %q
  chunk_strategy = {
    chunk_type = "custom"
    separator  = "\n\n"
    max_tokens = 800
  }
}
resource "coze_knowledge_document" "policy" {
  knowledge_base_id = coze_knowledge_base.kb.id
  name              = "policy"
  source            = %q
}
resource "coze_knowledge_document" "inline" {
  knowledge_base_id = coze_knowledge_base.kb.id
  name              = "notes.docx"
  content_base64    = base64encode("generated notes")
}
resource "coze_knowledge_document" "web" {
  knowledge_base_id = coze_knowledge_base.kb.id
  name              = "coze docs"
  web_url           = "https://docs.coze.cn/developer_guides/upload_files"
  %s
}`, faqName, faq, policy, intervalHCL))
	}
	ids := map[string]string{}
	save := func(s *terraform.State) error {
		for _, name := range []string{"faq", "policy", "inline", "web"} {
			ids[name] = stateAttr(s, "coze_knowledge_document."+name, "id")
		}
		ids["kb"] = stateAttr(s, "coze_knowledge_base.kb", "id")
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			for name, id := range ids {
				if _, found := env.mock.KnowledgeDocumentByID(id); found && name != "kb" {
					return fmt.Errorf("document %s (%s) still in the mock after destroy", id, name)
				}
			}
			if n := len(env.mock.RequestsTo("POST", "/open_api/knowledge/document/delete")); n < 4 {
				return fmt.Errorf("%d document delete calls, want one per document (4), and one more for the replaced one", n)
			}
			if _, found := env.mock.KnowledgeBaseByID(ids["kb"]); found {
				return fmt.Errorf("knowledge base still in the mock after destroy")
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: cfg("faq.txt", 0),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("coze_knowledge_document.faq", tfjsonpath.New("status"), knownvalue.Int64Exact(1)),
					statecheck.ExpectKnownValue("coze_knowledge_document.faq", tfjsonpath.New("file_type"), knownvalue.StringExact("txt")),
					// Read back from the document list once the document is processed.
					statecheck.ExpectKnownValue("coze_knowledge_document.faq", tfjsonpath.New("char_count"), knownvalue.Int64Exact(15)),
					statecheck.ExpectKnownValue("coze_knowledge_document.faq", tfjsonpath.New("slice_count"), knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownValue("coze_knowledge_document.faq", tfjsonpath.New("content_sha256"),
						knownvalue.StringExact(sha256Of("Q: 退货？\n\nA: 七天内。"))),
					statecheck.ExpectKnownValue("coze_knowledge_document.inline", tfjsonpath.New("file_type"), knownvalue.StringExact("docx")),
					statecheck.ExpectKnownValue("coze_knowledge_document.web", tfjsonpath.New("file_type"), knownvalue.Null()),
					statecheck.ExpectKnownValue("coze_knowledge_document.web", tfjsonpath.New("content_sha256"), knownvalue.Null()),
					statecheck.ExpectKnownValue("coze_knowledge_document.web", tfjsonpath.New("update_interval_hours"), knownvalue.Null()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					save,
					env.checkDocument("coze_knowledge_document.faq", func(d mockcoze.KnowledgeDocument) error {
						if d.Name != "faq.txt" || d.FileType != "txt" || d.Status != 1 || d.ContentSHA256 != sha256Of("Q: 退货？\n\nA: 七天内。") ||
							fmt.Sprint(d.ChunkStrategy) != "map[chunk_type:1 max_tokens:800 remove_extra_spaces:false remove_urls_emails:false separator:\n\n]" {
							return fmt.Errorf("faq %+v", d)
						}
						return nil
					}),
					env.checkDocument("coze_knowledge_document.policy", func(d mockcoze.KnowledgeDocument) error {
						if d.FileType != "txt" || fmt.Sprint(d.ChunkStrategy) != "map[chunk_type:0]" {
							return fmt.Errorf("policy %+v: file type from the source's extension, automatic chunking", d)
						}
						return nil
					}),
					env.checkDocument("coze_knowledge_document.web", func(d mockcoze.KnowledgeDocument) error {
						if d.WebURL != "https://docs.coze.cn/developer_guides/upload_files" || d.UpdateType != 0 {
							return fmt.Errorf("web %+v", d)
						}
						return nil
					}),
					env.requestCount("POST", "/open_api/knowledge/document/create", 4),
					checkNoToken,
				),
			},
			// name and update_interval_hours change in place, through the modify API.
			{
				Config: cfg("常见问题", 48),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("coze_knowledge_document.faq", tfjsonpath.New("char_count"), knownvalue.Int64Exact(15)),
					statecheck.ExpectKnownValue("coze_knowledge_document.faq", tfjsonpath.New("slice_count"), knownvalue.Int64Exact(2)),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_knowledge_document.faq", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("coze_knowledge_document.web", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("coze_knowledge_document.policy", plancheck.ResourceActionNoop),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkDocument("coze_knowledge_document.faq", func(d mockcoze.KnowledgeDocument) error {
						if d.ID != ids["faq"] || d.Name != "常见问题" {
							return fmt.Errorf("faq after rename %+v", d)
						}
						return nil
					}),
					env.checkDocument("coze_knowledge_document.web", func(d mockcoze.KnowledgeDocument) error {
						if d.UpdateType != 1 || d.UpdateInterval != 48 {
							return fmt.Errorf("web after the interval change %+v", d)
						}
						return nil
					}),
					env.requestCount("POST", "/open_api/knowledge/document/update", 2),
					env.requestCount("POST", "/open_api/knowledge/document/create", 4),
				),
			},
			// A change of one file's content replaces that document only.
			{
				PreConfig: func() { writeFile(t, policy, "Policy two.") },
				Config:    cfg("常见问题", 48),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_knowledge_document.policy", plancheck.ResourceActionDestroyBeforeCreate),
					plancheck.ExpectResourceAction("coze_knowledge_document.faq", plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction("coze_knowledge_document.inline", plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction("coze_knowledge_document.web", plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction("coze_knowledge_base.kb", plancheck.ResourceActionNoop),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkDocument("coze_knowledge_document.policy", func(d mockcoze.KnowledgeDocument) error {
						if d.ID == ids["policy"] || d.ContentSHA256 != sha256Of("Policy two.") {
							return fmt.Errorf("policy after the content change %+v (old id %s)", d, ids["policy"])
						}
						if _, found := env.mock.KnowledgeDocumentByID(ids["policy"]); found {
							return fmt.Errorf("the replaced document %s was not deleted", ids["policy"])
						}
						return nil
					}),
					env.requestCount("POST", "/open_api/knowledge/document/create", 5),
					func(s *terraform.State) error {
						ids["policy"] = stateAttr(s, "coze_knowledge_document.policy", "id")
						return nil
					},
				),
			},
			{
				ResourceName: "coze_knowledge_document.faq",
				ImportState:  true,
				ImportStateIdFunc: func(*terraform.State) (string, error) {
					return ids["kb"] + "/" + ids["faq"], nil
				},
				ImportStateVerify: true,
				// What the document was made from is not readable back.
				ImportStateVerifyIgnore: []string{"source", "content_sha256", "chunk_strategy", "timeouts"},
			},
			{
				ResourceName:  "coze_knowledge_document.faq",
				ImportState:   true,
				ImportStateId: "faq",
				ExpectError:   words("Import coze_knowledge_document by <knowledge_base_id>/<document_id>"),
			},
		},
	})
}

// An imported document adopts the configured source without uploading it
// again; later content changes replace it as usual.
func TestAccKnowledgeDocument_importAdoptsWithoutReplacing(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	kbID := env.mock.AddKnowledgeBase(mockcoze.DefaultSpaceID, "docs", 0)
	dir := t.TempDir()
	file := filepath.Join(dir, "faq.txt")
	writeFile(t, file, "made in the Coze UI")
	// Made outside Terraform: through the API, as the Coze UI would.
	docID := createDocumentThroughTheMock(t, env, kbID, "faq.txt", "made in the Coze UI")
	cfg := env.config(fmt.Sprintf(`
resource "coze_knowledge_document" "faq" {
  knowledge_base_id = %q
  name              = "faq.txt"
  source            = %q
}`, kbID, file))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:             cfg,
				ResourceName:       "coze_knowledge_document.faq",
				ImportState:        true,
				ImportStateId:      kbID + "/" + docID,
				ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 || states[0].Attributes["file_type"] != "txt" || states[0].Attributes["name"] != "faq.txt" {
						return fmt.Errorf("imported %+v", states)
					}
					return nil
				},
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_knowledge_document.faq", plancheck.ResourceActionUpdate),
				}},
				Check: func(s *terraform.State) error {
					if id := stateAttr(s, "coze_knowledge_document.faq", "id"); id != docID {
						return fmt.Errorf("id %s, want the imported %s", id, docID)
					}
					return env.requestCount("POST", "/open_api/knowledge/document/create", 1)(s) // the one made "outside"
				},
			},
			{
				PreConfig: func() { writeFile(t, file, "edited in git") },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_knowledge_document.faq", plancheck.ResourceActionDestroyBeforeCreate),
				}},
			},
		},
	})
}

// An imported document is adopted only when what the API tells about it
// (the kind of source, the size and the file type) matches the
// configuration; otherwise the first plan replaces it, instead of recording
// the local file's hash while Coze keeps the old content.
func TestAccKnowledgeDocument_importComparesWithTheConfiguration(t *testing.T) {
	t.Parallel()
	const uiContent = "made in the Coze UI" // 19 bytes
	for name, tc := range map[string]struct {
		content string // the local file's
		extra   string
	}{
		"other size":      {content: "edited in git since then"},
		"other file type": {content: "made in the Coze UX", extra: `file_type = "docx"`},
		"other kind":      {extra: `web_url = "https://example.com/faq"`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, mockcoze.Options{})
			kbID := env.mock.AddKnowledgeBase(mockcoze.DefaultSpaceID, "docs", 0)
			docID := createDocumentThroughTheMock(t, env, kbID, "faq.txt", uiContent)
			source := ""
			if tc.content != "" {
				file := filepath.Join(t.TempDir(), "faq.txt")
				writeFile(t, file, tc.content)
				source = fmt.Sprintf("source = %q", file)
			}
			cfg := env.config(fmt.Sprintf(`
resource "coze_knowledge_document" "faq" {
  knowledge_base_id = %q
  name              = "faq.txt"
  %s
  %s
}`, kbID, source, tc.extra))
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config:             cfg,
						ResourceName:       "coze_knowledge_document.faq",
						ImportState:        true,
						ImportStateId:      kbID + "/" + docID,
						ImportStatePersist: true,
					},
					{
						Config: cfg,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction("coze_knowledge_document.faq", plancheck.ResourceActionDestroyBeforeCreate),
						}},
						Check: func(s *terraform.State) error {
							if id := stateAttr(s, "coze_knowledge_document.faq", "id"); id == docID {
								return fmt.Errorf("the imported document %s was adopted", docID)
							}
							if _, found := env.mock.KnowledgeDocumentByID(docID); found {
								return fmt.Errorf("the replaced document %s is still in the mock", docID)
							}
							return nil
						},
					},
				},
			})
		})
	}
}

// createDocumentThroughTheMock adds a processed text document to a mock
// knowledge base through its HTTP API and returns its id.
func createDocumentThroughTheMock(t *testing.T, env *testEnv, kbID, name, content string) string {
	t.Helper()
	env.mock.SetDocumentProcessingFor(name, mockcoze.DocumentProcessing{})
	client := env.apiClientFor(t)
	doc, err := createAndWait(t, client, kbID, name, content)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestAccKnowledgeDocument_processingFailureDeletesTheDocument(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	env.mock.SetDocumentProcessingFor("broken.pdf", mockcoze.DocumentProcessing{Polls: 1, FailReason: "pdf parsing failed: encrypted file"})
	cfg := env.config(knowledgeBaseHCL + `
resource "coze_knowledge_document" "broken" {
  knowledge_base_id = coze_knowledge_base.kb.id
  name              = "broken.pdf"
  content_base64    = base64encode("%PDF-1.7 encrypted")
}`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)processing failed.*status\s+9\):\s+pdf\s+parsing\s+failed:\s+encrypted\s+file.*The\s+failed\s+document\s+was\s+deleted`),
			},
			{
				// Nothing was left behind: no document in the mock, none in the state.
				PreConfig: func() {
					for _, kb := range env.mock.KnowledgeBases() {
						if docs := env.mock.KnowledgeDocuments(kb.ID); len(docs) != 0 {
							t.Errorf("documents left after a processing failure: %+v", docs)
						}
					}
					if n := len(env.mock.RequestsTo("POST", "/open_api/knowledge/document/delete")); n != 1 {
						t.Errorf("%d delete calls, want 1 for the failed document", n)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_knowledge_document.broken", plancheck.ResourceActionCreate),
				}},
				ExpectError: regexp.MustCompile(`processing failed`),
			},
		},
	})
}

// The delete of a document whose processing failed, answered 4006 or 4200
// ("deleted already" or "no permission"), counts only when the document
// list confirms the document gone, as on destroy: otherwise the document
// stays in the state, tainted, and the next apply deletes it.
func TestAccKnowledgeDocument_processingFailureConfirmsAnAmbiguousDelete(t *testing.T) {
	t.Parallel()
	cfg := knowledgeBaseHCL + `
resource "coze_knowledge_document" "broken" {
  knowledge_base_id = coze_knowledge_base.kb.id
  name              = "broken.pdf"
  content_base64    = base64encode("%PDF-1.7 encrypted")
}`
	for name, afterServing := range map[string]bool{"not deleted": false, "deleted, answer lost": true} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, mockcoze.Options{})
			env.mock.SetDocumentProcessingFor("broken.pdf", mockcoze.DocumentProcessing{Polls: 1, FailReason: "pdf parsing failed: encrypted file"})
			env.mock.InjectFault(mockcoze.Fault{Method: "POST", Path: "/open_api/knowledge/document/delete", Code: 4200,
				Msg: "no permission", AfterServing: afterServing})
			want := regexp.MustCompile(`(?s)Cannot delete the failed document [0-9]+.*4200.*pdf\s+parsing\s+failed.*kept\s+in\s+the\s+state,\s+tainted`)
			if afterServing {
				want = regexp.MustCompile(`(?s)processing failed.*The\s+failed\s+document\s+was\s+deleted,\s+so\s+nothing\s+is\s+left\s+behind`)
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: env.config(cfg), ExpectError: want},
					{
						PreConfig: func() {
							left := 0
							for _, kb := range env.mock.KnowledgeBases() {
								left += len(env.mock.KnowledgeDocuments(kb.ID))
							}
							if want := map[bool]int{false: 1, true: 0}[afterServing]; left != want {
								t.Errorf("%d documents in the mock after the failed apply, want %d", left, want)
							}
						},
						Config:             env.config(cfg),
						PlanOnly:           true,
						ExpectNonEmptyPlan: true, // created again, or (tainted) replaced
					},
				},
			})
			wantDeletes := map[bool]int{false: 2, true: 1}[afterServing] // the tainted one is deleted again by destroy
			if n := len(env.mock.RequestsTo("POST", "/open_api/knowledge/document/delete")); n != wantDeletes {
				t.Errorf("%d delete calls, want %d", n, wantDeletes)
			}
		})
	}
}

func TestAccKnowledgeDocument_processingTimeoutTaints(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	env.mock.SetDocumentProcessingFor("huge.txt", mockcoze.DocumentProcessing{Never: true})
	cfg := env.config(knowledgeBaseHCL + `
resource "coze_knowledge_document" "huge" {
  knowledge_base_id = coze_knowledge_base.kb.id
  name              = "huge.txt"
  content_base64    = base64encode("a very long text")
  timeouts = {
    create = "1s"
  }
}`)
	var stuck string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)still processing after 1s.*within\s+the\s+create\s+timeout\s+\(1s\).*kept\s+in\s+the\s+state,\s+marked\s+tainted`),
			},
			{
				PreConfig: func() {
					for _, kb := range env.mock.KnowledgeBases() {
						for _, d := range env.mock.KnowledgeDocuments(kb.ID) {
							stuck = d.ID
						}
					}
					if stuck == "" {
						t.Error("the timed-out document is not in the mock")
					}
					// Processing works now.
					env.mock.SetDocumentProcessingFor("huge.txt", mockcoze.DocumentProcessing{})
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_knowledge_document.huge", plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: func(s *terraform.State) error {
					if id := stateAttr(s, "coze_knowledge_document.huge", "id"); id == stuck {
						return fmt.Errorf("the tainted document %s was not replaced", stuck)
					}
					if _, found := env.mock.KnowledgeDocumentByID(stuck); found {
						return fmt.Errorf("the tainted document %s was not deleted", stuck)
					}
					return nil
				},
			},
		},
	})
}

func TestAccKnowledgeDocument_driftAndOutOfBandDeletion(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	env.mock.SetDocumentProcessing(mockcoze.DocumentProcessing{})
	cfg := env.config(knowledgeBaseHCL + `
resource "coze_knowledge_document" "a" {
  knowledge_base_id = coze_knowledge_base.kb.id
  name              = "a.txt"
  content_base64    = base64encode("a")
}
resource "coze_knowledge_document" "web" {
  knowledge_base_id     = coze_knowledge_base.kb.id
  name                  = "web"
  web_url               = "example.com/faq"
  update_interval_hours = 24
}`)
	var first, kbID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: func(s *terraform.State) error {
					first, kbID = stateAttr(s, "coze_knowledge_document.a", "id"), stateAttr(s, "coze_knowledge_base.kb", "id")
					return nil
				},
			},
			// Renamed and set to never update in the Coze UI: both planned back in place.
			{
				PreConfig: func() {
					env.mock.EditKnowledgeDocument(first, func(d *mockcoze.KnowledgeDocument) { d.Name = "renamed in the UI" })
					for _, d := range env.mock.KnowledgeDocuments(kbID) {
						if d.Name == "web" {
							env.mock.EditKnowledgeDocument(d.ID, func(d *mockcoze.KnowledgeDocument) { d.UpdateType = 0 })
						}
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_knowledge_document.a", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("coze_knowledge_document.web", plancheck.ResourceActionUpdate),
				}},
				Check: env.checkDocument("coze_knowledge_document.a", func(d mockcoze.KnowledgeDocument) error {
					if d.Name != "a.txt" {
						return fmt.Errorf("name %q after correcting drift", d.Name)
					}
					return nil
				}),
			},
			// Deleted in the Coze UI: dropped with a warning, then created again.
			{
				PreConfig: func() { env.mock.DeleteKnowledgeDocument(first) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_knowledge_document.a", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("coze_knowledge_document.web", plancheck.ResourceActionNoop),
				}},
			},
			// The whole knowledge base deleted in the Coze UI: everything is created again.
			{
				PreConfig: func() { env.mock.DeleteKnowledgeBase(kbID) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_knowledge_base.kb", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("coze_knowledge_document.a", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("coze_knowledge_document.web", plancheck.ResourceActionCreate),
				}},
			},
		},
	})
}

// A document list answered 4006 or 4200 says "no such base, or no
// permission": the document stays in the state unless a listing of the
// base's workspace, in the same plan, showed the base gone. A base not
// managed in the configuration cannot be confirmed gone: the refresh fails
// until `terraform state rm`.
func TestAccKnowledgeDocument_ambiguousListErrorKeepsTheState(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	env.mock.SetDocumentProcessing(mockcoze.DocumentProcessing{})
	managed := env.config(knowledgeBaseHCL + `
resource "coze_knowledge_document" "a" {
  knowledge_base_id = coze_knowledge_base.kb.id
  name              = "a.txt"
  content_base64    = base64encode("a")
}`)
	external := env.mock.AddKnowledgeBase(mockcoze.DefaultSpaceID, "made in the UI", 0)
	unmanaged := env.config(fmt.Sprintf(`
resource "coze_knowledge_document" "b" {
  knowledge_base_id = %q
  name              = "b.txt"
  content_base64    = base64encode("b")
}`, external))
	refuse := func(code int) func() {
		return func() {
			env.mock.InjectFault(mockcoze.Fault{Method: "POST", Path: "/open_api/knowledge/document/list", Code: code, Msg: "no permission"})
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: managed},
			{
				PreConfig:   refuse(4200),
				Config:      managed,
				ExpectError: regexp.MustCompile(`(?s)Cannot read Coze knowledge document [0-9]+ in knowledge base.*4200.*stays in the Terraform state`),
			},
			{Config: managed, PlanOnly: true},
			{
				PreConfig:   refuse(4006),
				Config:      managed,
				ExpectError: regexp.MustCompile(`(?s)Cannot read Coze knowledge document.*4006.*stays in the Terraform state`),
			},
			{Config: managed, PlanOnly: true},
			{ // a delete answered 4006 while the list still shows the document: kept
				PreConfig: func() {
					env.mock.InjectFault(mockcoze.Fault{Method: "POST", Path: "/open_api/knowledge/document/delete", Code: 4006, Msg: "no permission"})
				},
				Config:      env.config(knowledgeBaseHCL),
				ExpectError: regexp.MustCompile(`(?s)Cannot delete Coze knowledge document [0-9]+.*4006.*stays in the Terraform state`),
			},
			{Config: managed, PlanOnly: true},
			{Config: unmanaged},
			{
				// Out of the token's sight, or deleted: the API answers the same.
				PreConfig: func() {
					env.mock.InjectFault(mockcoze.Fault{Method: "POST", Path: "/open_api/knowledge/document/list", Code: 4200,
						Msg: "knowledge base does not exist or you have no permission", Times: 100})
				},
				Config:      unmanaged,
				ExpectError: regexp.MustCompile(`(?s)Cannot read Coze knowledge document.*4200.*terraform state rm`),
			},
			{PreConfig: env.mock.ClearFaults, Config: unmanaged, PlanOnly: true},
		},
	})
	if n := len(env.mock.RequestsTo("POST", "/open_api/knowledge/document/create")); n != 2 {
		t.Errorf("%d create requests, want 2 (a and b)", n)
	}
}

// Creating documents reads their character and slice counts back from the
// document list, so that a configuration referring to them plans nothing
// after the apply; the creates of a base share their listings (one per
// batch of documents processed together, documentCounts), where a listing per
// create cost about N²/(2 × page size) list calls for N documents of a base.
func TestAccKnowledgeDocument_createReadsTheCountsOncePerBatch(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	const n = 12 // three pages of 4
	cfg := env.config(knowledgeBaseHCL + fmt.Sprintf(`
resource "coze_knowledge_document" "d" {
  count             = %d
  knowledge_base_id = coze_knowledge_base.kb.id
  name              = "doc-${count.index}.txt"
  content_base64    = base64encode("notes ${count.index}")
}
output "slices" {
  value = sum(coze_knowledge_document.d[*].slice_count)
}
output "chars" {
  value = coze_knowledge_document.d[11].char_count
}`, n))
	listings := func() (listings, requests int) {
		for _, r := range env.mock.RequestsTo("POST", "/open_api/knowledge/document/list") {
			requests++
			if strings.Contains(string(r.Body), `"page":1,`) {
				listings++
			}
		}
		return listings, requests
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(
					func(*terraform.State) error {
						// Terraform creates at most 10 at a time: 2 batches at least.
						if l, r := listings(); l < 1 || l > n/2 {
							return fmt.Errorf("creating %d documents listed the knowledge base %d times (%d requests), want at most %d", n, l, r, n/2)
						}
						return nil
					},
					resource.TestCheckResourceAttr("coze_knowledge_document.d.11", "status", "1"),
					resource.TestCheckResourceAttr("coze_knowledge_document.d.11", "size", fmt.Sprint(len("notes 11"))),
					resource.TestCheckResourceAttr("coze_knowledge_document.d.11", "char_count", fmt.Sprint(len("notes 11"))),
					resource.TestCheckResourceAttr("coze_knowledge_document.d.11", "slice_count", "1"),
					resource.TestCheckOutput("slices", fmt.Sprint(n)),
				),
			},
			{Config: cfg, PlanOnly: true}, // the counts in the state are the ones the refresh reads
		},
	})
}

func TestAccKnowledgeDocument_image(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	cfg := env.config(fmt.Sprintf(`
resource "coze_knowledge_base" "photos" {
  space_id    = %q
  name        = "photos"
  format_type = "image"
}
resource "coze_file" "cat" {
  content_base64 = %q
  file_name      = "cat.png"
}
resource "coze_knowledge_document" "cat" {
  knowledge_base_id = coze_knowledge_base.photos.id
  name              = "cat"
  file_id           = coze_file.cat.id
  caption           = "一只可爱的猫"
}`, mockcoze.DefaultSpaceID, tinyPNG))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("coze_knowledge_document.cat", tfjsonpath.New("status"), knownvalue.Int64Exact(1)),
				statecheck.ExpectKnownValue("coze_knowledge_document.cat", tfjsonpath.New("file_type"), knownvalue.Null()),
			},
			Check: func(s *terraform.State) error {
				return env.checkDocument("coze_knowledge_document.cat", func(d mockcoze.KnowledgeDocument) error {
					if d.SourceFileID != stateAttr(s, "coze_file.cat", "id") || d.Caption != "一只可爱的猫" ||
						fmt.Sprint(d.ChunkStrategy) != "map[caption_type:1]" {
						return fmt.Errorf("image %+v", d)
					}
					return nil
				})(s)
			},
		}},
	})
}

// 20 documents in one apply against an API that allows 8 requests a second,
// with the provider's default settings (no requests_per_second, the
// default max_retries): unpaced, the provider sends far more, so the API
// answers 429, and the provider's pacing and retries still get every
// document created and processed, exactly once, and the plan after the
// apply is empty. (Documents are processed at the first poll, and the
// limit is 8 rather than lower, to keep the test near 15 s: its requests
// take about their number divided by the limit.) Whether the limiter
// answers 429 depends on the machine's speed, so the first creates are
// answered 429 by a fault, as the limiter would: the test meets 429s on
// every machine.
func TestAccKnowledgeDocument_rateLimitedBatchOfTwenty(t *testing.T) {
	t.Parallel()
	const throttledCreates = 3
	env := newTestEnv(t, mockcoze.Options{RateLimit: 8})
	env.mock.SetDocumentProcessing(mockcoze.DocumentProcessing{Polls: 0})
	env.mock.InjectFault(mockcoze.Fault{Method: http.MethodPost, Path: "/open_api/knowledge/document/create",
		Times: throttledCreates, Status: http.StatusTooManyRequests, RetryAfter: "1"})
	cfg := fmt.Sprintf(`
provider "coze" {
  base_url  = %q
  api_token = %q
}
%s
resource "coze_knowledge_document" "d" {
  count             = 20
  knowledge_base_id = coze_knowledge_base.kb.id
  name              = "doc-${count.index}.txt"
  content_base64    = base64encode("document number ${count.index}")
}`, env.url, testToken, knowledgeBaseHCL)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: func(s *terraform.State) error {
				// Every create answered 429 was sent again.
				if n := len(env.mock.RequestsTo(http.MethodPost, "/open_api/knowledge/document/create")); n < 20+throttledCreates {
					return fmt.Errorf("%d document creates sent, want at least %d: 20, and again each answered 429", n, 20+throttledCreates)
				}
				docs := env.mock.KnowledgeDocuments(stateAttr(s, "coze_knowledge_base.kb", "id"))
				if len(docs) != 20 {
					return fmt.Errorf("%d documents in the mock, want exactly 20", len(docs))
				}
				for i := range 20 {
					key := fmt.Sprintf("coze_knowledge_document.d.%d", i)
					if stateAttr(s, key, "status") != "1" {
						return fmt.Errorf("%s status %q", key, stateAttr(s, key, "status"))
					}
				}
				for _, d := range docs {
					if d.Status != 1 {
						return fmt.Errorf("document %s status %d", d.Name, d.Status)
					}
				}
				t.Logf("the mock answered %d of %d requests with 429 (and %d creates by a fault)", env.mock.RateLimited(), len(env.mock.Requests()), throttledCreates)
				return nil
			},
		}},
	})
}

func TestAccKnowledgeDocument_apiErrorLeavesStateUntouched(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	cfg := env.config(knowledgeBaseHCL + `
resource "coze_knowledge_document" "a" {
  knowledge_base_id = coze_knowledge_base.kb.id
  name              = "a.txt"
  content_base64    = base64encode("a")
}`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					env.mock.InjectFault(mockcoze.Fault{Path: "/open_api/knowledge/document/create", Code: 4101, Msg: "no createDocument permission"})
				},
				Config: cfg,
				ExpectError: regexp.MustCompile(`(?s)Cannot create Coze knowledge document "a.txt" in knowledge base \d+.*code:\s+4101.*` +
					`no createDocument permission.*logid:\s+\d{14}[0-9A-F]{12}.*readDocumentProgress`),
			},
			{
				// The failed create left nothing in the state: the document is
				// planned again, the knowledge base is not.
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_knowledge_document.a", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("coze_knowledge_base.kb", plancheck.ResourceActionNoop),
				}},
			},
		},
	})
}

func TestAccKnowledgeDocument_validation(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	dir := t.TempDir()
	md := filepath.Join(dir, "readme.md")
	writeFile(t, md, "# readme")
	empty := filepath.Join(dir, "empty.txt")
	writeFile(t, empty, "")
	failures := []planFailure{
		{`name = "a.txt"` + "\n  source = \"a.txt\"\n  web_url = \"https://example.com\"",
			`Exactly one of these attributes must be configured: [source,content_base64,web_url,file_id]`},
		{`name = "a.txt"`, `Exactly one of these attributes must be configured: [source,content_base64,web_url,file_id]`},
		{`name = "a.txt"` + "\n  source = \"" + filepath.Join(dir, "missing.txt") + "\"", `source: cannot read`},
		{`name = "a.txt"` + "\n  source = \"" + dir + "\"", `is a directory, not a file`},
		{`name = "a.txt"` + "\n  source = \"" + empty + "\"", `is empty; Coze rejects empty files`},
		{`name = "readme"` + "\n  source = \"" + md + "\"", `file_type: the API takes pdf, txt, doc, docx files; source`},
		{`name = "notes"` + "\n  content_base64 = \"aGk=\"", `file_type: name "notes" has no extension to tell the file type by`},
		{`name = "a.txt"` + "\n  content_base64 = \"not base64!\"", `content_base64 must be base64`},
		{`name = "a.txt"` + "\n  source = \"" + md + "\"\n  file_type = \"md\"", `Attribute file_type value must be one of: ["pdf" "txt" "doc" "docx"]`},
		{`name = "w"` + "\n  web_url = \"https://example.com\"\n  file_type = \"txt\"", `Attribute "web_url" cannot be specified when "file_type" is specified`},
		{`name = "a.txt"` + "\n  content_base64 = \"aGk=\"\n  chunk_strategy = { chunk_type = \"custom\" }",
			`chunk_strategy.separator is required when chunk_type is "custom"`},
		{`name = "a.txt"` + "\n  content_base64 = \"aGk=\"\n  chunk_strategy = { chunk_type = \"custom\", separator = \"#\" }",
			`chunk_strategy.max_tokens is required when chunk_type is "custom": 100 to 2000`},
		{`name = "a.txt"` + "\n  content_base64 = \"aGk=\"\n  chunk_strategy = { chunk_type = \"custom\", separator = \"#\", max_tokens = 2001 }",
			`Attribute chunk_strategy.max_tokens value must be between 100 and 2000, got: 2001`},
		{`name = "a.txt"` + "\n  content_base64 = \"aGk=\"\n  chunk_strategy = { chunk_type = \"auto\", separator = \"#\" }",
			`chunk_strategy.separator applies only when chunk_type is "custom"`},
		{`name = "a.txt"` + "\n  content_base64 = \"aGk=\"\n  chunk_strategy = { chunk_type = \"smart\" }",
			`Attribute chunk_strategy.chunk_type value must be one of: ["auto" "custom"]`},
		{`name = "w"` + "\n  web_url = \"https://example.com\"\n  update_interval_hours = 23", `Attribute update_interval_hours value must be at least 24, got: 23`},
		{`name = "a.txt"` + "\n  content_base64 = \"aGk=\"\n  update_interval_hours = 24", `Attribute "web_url" must be specified when "update_interval_hours" is specified`},
		{`name = "w"` + "\n  web_url = \"ftp://example.com/x\"", `must be the URL of a web page`},
		{`name = "c"` + "\n  file_id = \"1\"\n  chunk_strategy = { chunk_type = \"auto\" }", `Attribute "file_id" cannot be specified when "chunk_strategy" is specified`},
		{`name = "a.txt"` + "\n  content_base64 = \"aGk=\"\n  caption = \"c\"", `Attribute "file_id" must be specified when "caption" is specified`},
		{`name = ""` + "\n  content_base64 = \"aGk=\"", `Attribute name UTF-8 character count must be at least 1, got: 0`},
	}
	for i, f := range failures {
		failures[i].hcl = fmt.Sprintf("resource \"coze_knowledge_document\" \"d\" {\n  knowledge_base_id = \"7700000000000000000\"\n  %s\n}", f.hcl)
	}
	env.expectPlanTimeErrors(t, failures)
}

func createAndWait(t *testing.T, client *coze.Client, kbID, name, content string) (string, error) {
	t.Helper()
	docs, err := client.CreateDocuments(t.Context(), &coze.CreateDocumentsRequest{
		DatasetID: kbID, ChunkStrategy: coze.AutoChunking(),
		DocumentBases: []coze.DocumentBase{coze.LocalDocument(name, base64.StdEncoding.EncodeToString([]byte(content)), "txt")},
	})
	if err != nil {
		return "", err
	}
	id := docs[0].ID.String()
	_, err = client.WaitForDocuments(t.Context(), kbID, []string{id}, documentPollBackoff)
	return id, err
}

// A document deleted while Coze processes it: a clear error, nothing in the state.
func TestAccKnowledgeDocument_vanishedWhileProcessing(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	cfg := env.config(knowledgeBaseHCL + `
resource "coze_knowledge_document" "a" {
  knowledge_base_id = coze_knowledge_base.kb.id
  name              = "a.txt"
  content_base64    = base64encode("a")
}`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				// The progress API answers without the document, as after a deletion.
				env.mock.InjectFault(mockcoze.Fault{Method: "POST", Path: "/v1/datasets/*", RawBody: `{"code":0,"msg":"","data":{"data":[]}}`})
			},
			Config:      cfg,
			ExpectError: regexp.MustCompile(`(?s)vanished while processing.*no\s+longer\s+knows\s+it`),
		}, {
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("coze_knowledge_document.a", plancheck.ResourceActionCreate),
			}},
		}},
	})
}

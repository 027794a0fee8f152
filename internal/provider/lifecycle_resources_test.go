package provider

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

// stateAttr reads one attribute of a resource in state.
func stateAttr(s *terraform.State, resourceName, key string) string {
	rs, ok := s.RootModule().Resources[resourceName]
	if !ok {
		return ""
	}
	return rs.Primary.Attributes[key]
}

func TestAccBot_createUpdateImportDestroy(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	cfg := func(name string) string {
		return env.config(fmt.Sprintf(`
resource "coze_bot" "b" {
  space_id    = %q
  name        = %q
  description = "made by terraform"
  prompt_info = { prompt = "be brief" }
  knowledge   = { dataset_ids = ["11", "12"] }
  model_info_config = { model_id = "1706077826", temperature = 0.5, top_p = 1, max_tokens = 4096, context_round = 30,
    response_format = "text", presence_penalty = 0, frequency_penalty = 0, top_k = 0 }
}`, mockcoze.DefaultSpaceID, name))
	}
	var botID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if !env.mock.HasBot(botID) {
				return fmt.Errorf("destroy must leave bot %s in Coze (there is no delete API)", botID)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: cfg("first"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("coze_bot.b", tfjsonpath.New("config_hash"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{64}$`))),
				},
				Check: func(s *terraform.State) error {
					botID = stateAttr(s, "coze_bot.b", "bot_id")
					if botID == "" || stateAttr(s, "coze_bot.b", "id") != botID {
						return fmt.Errorf("bot_id %q, id %q", botID, stateAttr(s, "coze_bot.b", "id"))
					}
					if space, _ := env.mock.SpaceOf(botID); space != mockcoze.DefaultSpaceID {
						return fmt.Errorf("bot created in space %q", space)
					}
					if n := len(env.mock.RequestsTo("POST", "/v1/bot/create")); n != 1 {
						return fmt.Errorf("%d creates", n)
					}
					// create does not take knowledge: one update binds it.
					if n := len(env.updates()); n != 1 {
						return fmt.Errorf("%d updates after create, want 1 for the knowledge", n)
					}
					return resource.ComposeAggregateTestCheckFunc(
						env.checkDraft(botID, "name", `"first"`),
						env.checkDraft(botID, "knowledge.dataset_ids", `["11","12"]`),
					)(s)
				},
			},
			{
				Config: cfg("second"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_bot.b", plancheck.ResourceActionUpdate),
				}},
				Check: func(s *terraform.State) error { return env.checkDraft(botID, "name", `"second"`)(s) },
			},
			{
				ResourceName:            "coze_bot.b",
				ImportState:             true,
				ImportStateIdFunc:       func(*terraform.State) (string, error) { return mockcoze.DefaultSpaceID + "/" + botID, nil },
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
			{
				ResourceName:  "coze_bot.b",
				ImportState:   true,
				ImportStateId: botID,
				ExpectError:   words("Import coze_bot by <space_id>/<bot_id>"),
			},
			// The workspace given must hold the bot: the first read checks it.
			{
				PreConfig:         func() { env.mock.AddWorkspace(mockcoze.WorkspaceSeed{ID: "7341000000000123", Name: "mine too"}) },
				ResourceName:      "coze_bot.b",
				ImportState:       true,
				ImportStateIdFunc: func(*terraform.State) (string, error) { return "7341000000000123/" + botID, nil },
				ExpectError: regexp.MustCompile(`(?s)Cannot import Coze bot [0-9]+ with workspace\s+7341000000000123.*the bot is\s+in\s+another\s+workspace` +
					`.*terraform\s+import\s+<address>\s+<space_id>/[0-9]+.*Nothing\s+was\s+imported`),
			},
			{
				PreConfig: func() {
					env.mock.AddWorkspace(mockcoze.WorkspaceSeed{ID: "7341000000000124", Name: "theirs", OwnerUID: "4000000001"})
					env.mock.AddMember("7341000000000124", mockcoze.OwnerUserID, "member")
				},
				// A workspace of another owner: its list need not show the bot
				// (personal edition), so the import is accepted, with a warning
				// (TestAccBot_importByAMemberWhoDoesNotOwnTheWorkspace,
				// TestCheckImportedWorkspace).
				ResourceName:      "coze_bot.b",
				ImportState:       true,
				ImportStateIdFunc: func(*terraform.State) (string, error) { return "7341000000000124/" + botID, nil },
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 || states[0].Attributes["bot_id"] != botID || states[0].Attributes["space_id"] != "7341000000000124" {
						return fmt.Errorf("want bot %s imported with the space_id given, 7341000000000124: %+v", botID, states)
					}
					return nil
				},
			},
		},
	})
}

// If binding the knowledge fails after the bot was created, the bot stays in
// the state (there is no delete API: a replacement would orphan it) without
// its knowledge, and the next apply binds it.
func TestAccBot_knowledgeFailureKeepsTheCreatedBot(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	cfg := env.config(fmt.Sprintf(`
resource "coze_bot" "b" {
  space_id  = %q
  name      = "n"
  knowledge = { dataset_ids = ["11"] }
}`, mockcoze.DefaultSpaceID))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					env.mock.InjectFault(mockcoze.Fault{Path: "/v1/bot/update", Code: 4000, Msg: "dataset 11 not found"})
				},
				Config:             cfg,
				ExpectNonEmptyPlan: true, // the next plan binds the knowledge
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_bot.b", plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					if n := len(env.mock.RequestsTo("POST", "/v1/bot/create")); n != 1 {
						return fmt.Errorf("%d creates: the bot was created again", n)
					}
					return nil
				},
			},
		},
	})
}

func TestAccBot_createErrorLeavesNothing(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				env.mock.InjectFault(mockcoze.Fault{Path: "/v1/bot/create", Code: 4101, Msg: "no createBot permission"})
			},
			Config:      env.config("resource \"coze_bot\" \"b\" {\n  space_id = \"7341000000000000\"\n  name = \"n\"\n}"),
			ExpectError: regexp.MustCompile(`(?s)Cannot create bot in space 7341000000000000.*code:\s+4101`),
		}},
	})
}

func TestAccBotPublish_publishRepublishConnectorsUnpublish(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID)
	cfg := func(prompt, connectors string) string {
		return env.config(fmt.Sprintf(`
resource "coze_bot_config" "c" {
  bot_id      = "7342866800001"
  prompt_info = { prompt = %q }
}
resource "coze_bot_publish" "p" {
  bot_id = coze_bot_config.c.bot_id
  %s
  triggers = { config = coze_bot_config.c.config_hash }
  unpublish_reason = "retired"
}`, prompt, connectors))
	}
	versions := map[int]string{}
	saveVersion := func(step int) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			versions[step] = stateAttr(s, "coze_bot_publish.p", "version")
			if versions[step] == "" {
				return fmt.Errorf("no version after step %d", step)
			}
			return nil
		}
	}
	connectors := func(want ...string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if got := env.mock.PublishedConnectors(botID); !slices.Equal(got, want) {
				return fmt.Errorf("published to %v, want %v", got, want)
			}
			return nil
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if got := env.mock.PublishedConnectors(botID); len(got) != 0 {
				return fmt.Errorf("still published to %v after destroy", got)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: cfg("v1", ""), Check: resource.ComposeAggregateTestCheckFunc(saveVersion(1), connectors("1024"))},
			{
				// A new prompt changes config_hash: the trigger publishes again.
				Config: cfg("v2", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_bot_publish.p", plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(saveVersion(2), func(*terraform.State) error {
					if versions[2] == versions[1] {
						return fmt.Errorf("version %s did not change: not published again", versions[2])
					}
					return nil
				}),
			},
			{
				Config: cfg("v2", `connector_ids = ["1024", "7470849514748001"]
  connectors = { "7470849514748001" = { device_id = ["51237825001"], mode = "kiosk" } }`),
				Check: resource.ComposeAggregateTestCheckFunc(connectors("1024", "7470849514748001"), func(*terraform.State) error {
					got := env.mock.PublishedConnectorConfig(botID)["7470849514748001"]
					if got["device_id"] != `["51237825001"]` || got["mode"] != "kiosk" {
						return fmt.Errorf("connector settings sent as %v, want JSON-encoded non-string values", got)
					}
					return nil
				}),
			},
			{
				// Removing a connector unpublishes it.
				Config: cfg("v2", `connector_ids = ["1024"]`),
				Check:  connectors("1024"),
			},
		},
	})
}

func TestAccBotPublish_errors(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID)
	res := func(extra string) string {
		return env.config(`resource "coze_bot_publish" "p" {
  bot_id = "7342866800001"
  ` + extra + `
}`)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: res(`connector_ids = ["7470849514748001"]`), PlanOnly: true, ExpectError: words(`must include "1024" (the API channel) when it lists a custom channel`)},
			{Config: res(`connectors = { "7470849514748001" = "x" }`), PlanOnly: true, ExpectError: words(`connectors["7470849514748001"] must be an object of settings`)},
			{Config: res(`unpublish_reason = "` + string(make([]byte, 0)) + fmt.Sprintf("%01025d", 0) + `"`), PlanOnly: true, ExpectError: words("Attribute unpublish_reason UTF-8 character count must be at most 1024")},
			{
				PreConfig: func() {
					env.mock.InjectFault(mockcoze.Fault{Path: "/v1/bot/publish", Code: 4105, Msg: "sensitive content"})
				},
				Config:      res(""),
				ExpectError: regexp.MustCompile(`(?s)code:\s+4105.*flagged content as sensitive`),
			},
		},
	})
	if n := len(env.mock.PublishedConnectors(botID)); n != 0 {
		t.Errorf("a rejected publish left the bot published to %d connectors", n)
	}
}

const onePixelPNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=="

func TestAccFile_uploadReplaceOnChange(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID)
	dir := t.TempDir()
	icon := filepath.Join(dir, "icon.png")
	png, _ := base64.StdEncoding.DecodeString(onePixelPNG)
	if err := os.WriteFile(icon, png, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := env.config(fmt.Sprintf(`
resource "coze_file" "icon" {
  source = %q
}
resource "coze_file" "inline" {
  content_base64 = %q
  file_name      = "inline.png"
}
resource "coze_bot_config" "b" {
  bot_id       = "7342866800001"
  icon_file_id = coze_file.icon.id
}`, icon, onePixelPNG))
	var firstID string
	checkUploaded := func(resourceName, wantName string, wantBytes int) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			id := stateAttr(s, resourceName, "id")
			name, size, sha, ok := env.mock.File(id)
			if !ok || name != wantName || size != wantBytes || sha != stateAttr(s, resourceName, "content_sha256") {
				return fmt.Errorf("%s: mock has %q %d %s %v, state %v", resourceName, name, size, sha, ok, s.RootModule().Resources[resourceName].Primary.Attributes)
			}
			return nil
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(
					checkUploaded("coze_file.icon", "icon.png", len(png)),
					checkUploaded("coze_file.inline", "inline.png", len(png)),
					func(s *terraform.State) error {
						firstID = stateAttr(s, "coze_file.icon", "id")
						return env.checkDraft(botID, "icon_file_id", fmt.Sprintf("%q", firstID))(s)
					},
				),
			},
			{
				// New content on disk: a new upload, and the bot gets the new id.
				PreConfig: func() {
					if err := os.WriteFile(icon, append(png, 0), 0o600); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_file.icon", plancheck.ResourceActionDestroyBeforeCreate),
					plancheck.ExpectResourceAction("coze_file.inline", plancheck.ResourceActionNoop),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkUploaded("coze_file.icon", "icon.png", len(png)+1),
					func(s *terraform.State) error {
						if id := stateAttr(s, "coze_file.icon", "id"); id == firstID {
							return fmt.Errorf("file id unchanged after a content change")
						}
						return nil
					},
				),
			},
		},
	})
}

func TestAccFile_planTimeErrors(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	big := filepath.Join(t.TempDir(), "big.png")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	// Sparse: 513 MB of size, no disk used.
	if err := f.Truncate(513 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	steps := []resource.TestStep{}
	for _, tc := range []struct{ hcl, want string }{
		{`source = "/nonexistent/icon.png"`, `cannot read "/nonexistent/icon.png"`},
		{fmt.Sprintf("source = %q", big), "the Coze upload API takes at most 536870912 bytes"},
		{fmt.Sprintf("source = %q\n  content_base64 = %q\n  file_name = \"x.png\"", big, onePixelPNG), "Exactly one of"},
		{`file_name = "x.png"`, "Exactly one of"},
		{fmt.Sprintf("content_base64 = %q", onePixelPNG), `These attributes must be configured together`},
		{`content_base64 = "not base64!"` + "\n" + `file_name = "x.png"`, "content_base64 is not valid base64"},
	} {
		steps = append(steps, resource.TestStep{
			Config:      env.config("resource \"coze_file\" \"f\" {\n  " + tc.hcl + "\n}"),
			PlanOnly:    true,
			ExpectError: words(tc.want),
		})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, Steps: steps})
	if n := len(env.mock.Requests()); n != 0 {
		t.Errorf("%d requests reached the API", n)
	}
}

func TestAccDataSources_botAndBots(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID)
	const bots = 45 // three pages of 20
	for i := range bots - 1 {
		env.mock.AddBotInSpace(fmt.Sprint(7342866820000+i), "7341000000000001")
	}
	env.mock.AddBotInSpace("7342866829999", "7341000000000001")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.config(`
resource "coze_bot_config" "c" {
  bot_id          = "7342866800001"
  name            = "reader"
  onboarding_info = { prologue = "hello" }
  knowledge       = { dataset_ids = ["11"] }
  plugin_id_list  = { id_list = [{ plugin_id = "21", api_id = "22" }] }
}
resource "coze_bot_publish" "p" {
  bot_id = coze_bot_config.c.bot_id
}
data "coze_bot" "draft" {
  bot_id       = coze_bot_config.c.bot_id
  is_published = false
}
data "coze_bot" "published" {
  bot_id     = coze_bot_publish.p.bot_id
  depends_on = [coze_bot_publish.p]
}
data "coze_bots" "all" {
  workspace_id   = "7341000000000001"
  publish_status = "all"
}`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.coze_bot.draft", tfjsonpath.New("name"), knownvalue.StringExact("reader")),
				statecheck.ExpectKnownValue("data.coze_bot.draft", tfjsonpath.New("onboarding_info").AtMapKey("prologue"), knownvalue.StringExact("hello")),
				statecheck.ExpectKnownValue("data.coze_bot.draft", tfjsonpath.New("knowledge").AtMapKey("knowledge_infos").AtSliceIndex(0).AtMapKey("id"), knownvalue.StringExact("11")),
				statecheck.ExpectKnownValue("data.coze_bot.draft", tfjsonpath.New("plugin_info_list").AtSliceIndex(0).AtMapKey("api_info_list").AtSliceIndex(0).AtMapKey("api_id"), knownvalue.StringExact("22")),
				statecheck.ExpectKnownValue("data.coze_bot.published", tfjsonpath.New("name"), knownvalue.StringExact("reader")),
				statecheck.ExpectKnownValue("data.coze_bot.published", tfjsonpath.New("version"), knownvalue.NotNull()),
				statecheck.ExpectKnownValue("data.coze_bots.all", tfjsonpath.New("total"), knownvalue.Int64Exact(bots)),
				statecheck.ExpectKnownValue("data.coze_bots.all", tfjsonpath.New("bots"), knownvalue.ListSizeExact(bots)),
			},
			Check: func(s *terraform.State) error {
				if v := stateAttr(s, "data.coze_bot.published", "version"); v == "" || v != stateAttr(s, "coze_bot_publish.p", "version") {
					return fmt.Errorf("published version %q, publish resource %q", v, stateAttr(s, "coze_bot_publish.p", "version"))
				}
				pages := map[string]bool{}
				for _, r := range env.mock.RequestsTo("GET", "/v1/bots") {
					q, _ := url.ParseQuery(r.RawQuery)
					pages[q.Get("page_num")+"/"+q.Get("page_size")] = true
				}
				if len(pages) != 3 || !pages["1/20"] || !pages["2/20"] || !pages["3/20"] {
					return fmt.Errorf("listing %d bots read pages %v, want 1, 2 and 3 of 20", bots, pages)
				}
				return nil
			},
		}},
	})
}

// API errors of uploads and reads are shown with the API's code and a hint.
func TestAccFileAndDataSources_apiErrors(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// The mock, like the API, judges the type by the name: 4303.
				Config: env.config(fmt.Sprintf(`resource "coze_file" "f" {
  content_base64 = %q
  file_name      = "notes.exe"
}`, onePixelPNG)),
				ExpectError: regexp.MustCompile(`(?s)Cannot upload file notes.exe.*code:\s+4303.*extension`),
			},
			{
				// A bot never published has no published version to read.
				Config:      env.config(`data "coze_bot" "b" { bot_id = "7342866800001" }`),
				ExpectError: regexp.MustCompile(`(?s)code:\s+4015.*connector 1024`),
			},
			{
				Config:      env.config(`data "coze_bot" "b" { bot_id = "7342866809999" }`),
				ExpectError: regexp.MustCompile(`(?s)code:\s+4200.*Check bot_id`),
			},
			{
				PreConfig: func() {
					env.mock.InjectFault(mockcoze.Fault{Path: "/v1/bots", Code: 4101, Msg: "no listBot permission"})
				},
				Config:      env.config(`data "coze_bots" "all" { workspace_id = "7341000000000000" }`),
				ExpectError: regexp.MustCompile(`(?s)Cannot list bots in workspace 7341000000000000.*code:\s+4101`),
			},
		},
	})
}

// A bot that stops being published (here: deleted) out of band is removed
// from the state, so that the next apply publishes again.
func TestAccBotPublish_unpublishedOutOfBandLeavesState(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: env.config(`resource "coze_bot_publish" "p" { bot_id = "7342866800001" }`)},
			{
				PreConfig:          func() { env.mock.DeleteBot(botID) },
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check: func(s *terraform.State) error {
					if _, ok := s.RootModule().Resources["coze_bot_publish.p"]; ok {
						return fmt.Errorf("a bot no longer published is still in state")
					}
					return nil
				},
			},
		},
	})
}

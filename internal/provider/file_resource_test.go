package provider

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

// writeIcon writes the one-pixel PNG as icon.png into a temporary directory.
func writeIcon(t *testing.T) (path string, content []byte) {
	t.Helper()
	content, _ = base64.StdEncoding.DecodeString(onePixelPNG)
	path = filepath.Join(t.TempDir(), "icon.png")
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	return path, content
}

func (e *testEnv) uploads() int { return len(e.mock.RequestsTo("POST", "/v1/files/upload")) }

func (e *testEnv) checkUploads(want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := e.uploads(); got != want {
			return fmt.Errorf("the mock saw %d uploads, want %d", got, want)
		}
		return nil
	}
}

// A file the API reports as gone (expired after 3 months) leaves the state
// on refresh with a warning; the next apply uploads it again and the bot
// gets the new id.
func TestAccFile_fileGoneFromTheAPIIsUploadedAgain(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{}, botID)
	icon, _ := writeIcon(t)
	cfg := env.config(fmt.Sprintf(`
resource "coze_file" "icon" {
  source = %q
}
resource "coze_bot_config" "b" {
  bot_id       = "7342866800001"
  icon_file_id = coze_file.icon.id
}`, icon))
	var firstID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: func(s *terraform.State) error {
					firstID = stateAttr(s, "coze_file.icon", "id")
					return nil
				},
			},
			{
				PreConfig:          func() { env.mock.ExpireFile(firstID) },
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check: func(s *terraform.State) error {
					if _, ok := s.RootModule().Resources["coze_file.icon"]; ok {
						return fmt.Errorf("an expired file is still in state")
					}
					return nil
				},
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_file.icon", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("coze_bot_config.b", plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkUploads(2),
					func(s *terraform.State) error {
						id := stateAttr(s, "coze_file.icon", "id")
						if id == firstID || id == "" {
							return fmt.Errorf("file id %q after the new upload, first %q", id, firstID)
						}
						return env.checkDraft(botID, "icon_file_id", fmt.Sprintf("%q", id))(s)
					},
				),
			},
		},
	})
}

// Any answer but "not found" keeps the file in state: an error with the
// code, msg and logid, and no new upload.
func TestAccFile_refreshErrorsKeepTheFile(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	icon, _ := writeIcon(t)
	cfg := env.config(fmt.Sprintf(`resource "coze_file" "icon" {
  source = %q
}`, icon))
	steps := []resource.TestStep{{Config: cfg}}
	for _, fault := range []mockcoze.Fault{
		{Code: 4101, Msg: "no retrieveFile permission"},
		{Status: 401, Code: 4100, Msg: "authentication is invalid"},
		{Code: 4006, Msg: "invalid id"},
		{Code: 4000, Msg: "file_id invalid"},
		{Status: 502, RawBody: "<html>bad gateway</html>", Times: 3}, // every attempt (max_retries = 2)
	} {
		fault.Path = "/v1/files/retrieve"
		want := fmt.Sprintf(`(?s)Cannot read Coze file \d+.*code:\s+%d.*logid:`, fault.Code)
		if fault.RawBody != "" {
			want = `(?s)Cannot read Coze file \d+.*HTTP 502 with a body.*logid:`
		}
		steps = append(steps,
			resource.TestStep{
				PreConfig:    func() { env.mock.InjectFault(fault) },
				RefreshState: true,
				ExpectError:  regexp.MustCompile(want),
			},
			resource.TestStep{Config: cfg, PlanOnly: true}, // still in state: nothing to do
		)
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, Steps: steps})
	if n := env.uploads(); n != 1 {
		t.Errorf("%d uploads, want 1: a refresh error must not upload the file again", n)
	}
}

func TestAccFile_import(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	icon, _ := writeIcon(t)
	cfg := env.config(fmt.Sprintf(`resource "coze_file" "icon" {
  source = %q
}`, icon))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				// Import fills what the retrieve answer gives; the content
				// source and its hash are configuration, not API data.
				ResourceName:            "coze_file.icon",
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"source", "content_sha256"},
			},
			{ResourceName: "coze_file.icon", ImportState: true, ImportStateId: "icon.png", ExpectError: words("Import coze_file by file id")},
			{ResourceName: "coze_file.icon", ImportState: true, ImportStateId: "7600000000000009999", ExpectError: words("Cannot import non-existent remote object")},
		},
	})
}

// After an import, the first plan adopts the configured content when size
// and file name match the imported file (no upload, same id), and uploads
// it again when they do not.
func TestAccFile_importThenApplyAdoptsOrUploads(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	icon, png := writeIcon(t)
	same := env.mock.AddFile("icon.png", png)
	other := env.mock.AddFile("icon.png", append(png, 0, 0))
	cfg := env.config(fmt.Sprintf(`
resource "coze_file" "same" {
  source = %q
}
resource "coze_file" "other" {
  source = %q
}`, icon, icon))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg, ResourceName: "coze_file.same", ImportState: true, ImportStateId: same, ImportStatePersist: true},
			{Config: cfg, ResourceName: "coze_file.other", ImportState: true, ImportStateId: other, ImportStatePersist: true},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("coze_file.same", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("coze_file.other", plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkUploads(1), // only "other"
					resource.TestCheckResourceAttr("coze_file.same", "id", same),
					resource.TestCheckResourceAttr("coze_file.same", "content_sha256", sha256Hex(png)),
					func(s *terraform.State) error {
						if id := stateAttr(s, "coze_file.other", "id"); id == other {
							return fmt.Errorf("coze_file.other kept the imported id %s of a different file", id)
						}
						return nil
					},
				),
			},
		},
	})
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// timeouts.read bounds the retrieve of a refresh; running out is an error
// that keeps the file in state.
func TestAccFile_readTimeout(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, mockcoze.Options{})
	icon, _ := writeIcon(t)
	cfg := env.config(fmt.Sprintf(`resource "coze_file" "icon" {
  source   = %q
  timeouts = { read = "1s" }
}`, icon))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					env.mock.InjectFault(mockcoze.Fault{Path: "/v1/files/retrieve", Delay: 10 * time.Second})
				},
				RefreshState: true,
				ExpectError:  regexp.MustCompile(`(?s)Cannot read Coze file \d+.*deadline exceeded`),
			},
			{Config: cfg, PlanOnly: true},
		},
	})
}

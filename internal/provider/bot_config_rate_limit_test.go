package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

// The load case of issue 11, with the provider's default settings: 50
// coze_bot_config applied at Terraform's default parallelism (10) against
// an API that serves 8 requests per second and answers 429 above. Before
// the client paced its requests, about one apply in three failed: a bot's
// retries all woke together after Retry-After and lost the race five
// times, and half of all requests were answered 429. Every run must succeed,
// with at most a quarter of its requests answered 429 (a loose bound: the
// pacing gets under 10%). How fast is measured by make bench-api, not here.
func TestAccBotConfig_loadCaseUnderARateLimitWithDefaultSettings(t *testing.T) {
	t.Parallel()
	const bots, runs = 50, 3
	botIDs := make([]string, bots)
	for i := range botIDs {
		botIDs[i] = fmt.Sprint(7342866840000 + i)
	}
	for run := range runs {
		t.Run(fmt.Sprint("run ", run+1), func(t *testing.T) {
			t.Parallel() // each against its own mock
			loadCase(t, botIDs)
		})
	}
}

// loadCase applies the bots once against a mock of their own.
func loadCase(t *testing.T, botIDs []string) {
	env := newTestEnv(t, mockcoze.Options{RateLimit: 8}, botIDs...)
	start := time.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "coze" {
  base_url  = %q
  api_token = %q
}
resource "coze_bot_config" "fleet" {
  count  = %d
  bot_id = tostring(7342866840000 + count.index)
  name   = "fleet-${count.index}"
}`, env.url, testToken, len(botIDs)),
			Check: func(*terraform.State) error {
				if limited, sent := env.mock.RateLimited(), len(env.mock.Requests()); limited*4 > sent {
					return fmt.Errorf("%d of %d requests were answered 429: the client does not pace its requests", limited, sent)
				}
				for i, id := range botIDs {
					if draft, _ := env.mock.Draft(id); draft["name"] != fmt.Sprintf("fleet-%d", i) {
						return fmt.Errorf("bot %s has name %v, want fleet-%d", id, draft["name"], i)
					}
				}
				return nil
			},
		}},
	})
	t.Logf("%d requests, %d answered 429, %.1f s with the refresh and destroy",
		len(env.mock.Requests()), env.mock.RateLimited(), time.Since(start).Seconds())
}

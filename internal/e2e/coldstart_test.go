package e2e

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkProviderColdStart measures process start until the provider
// serves gRPC (the go-plugin handshake line on stdout), as Terraform starts
// it several times per run. Building the schema on the first request is
// BenchmarkGetProviderSchema in internal/provider. No -trimpath: it would
// compile every dependency again (other cache keys), and make test runs
// this benchmark once.
func BenchmarkProviderColdStart(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "terraform-provider-coze")
	if out, err := exec.Command("go", "build", "-ldflags", "-s -w", "-o", bin, "github.com/coze-terraform/terraform-provider-coze").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	for b.Loop() {
		cmd := exec.Command(bin)
		cmd.Env = append(os.Environ(),
			"TF_PLUGIN_MAGIC_COOKIE=d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
			"PLUGIN_PROTOCOL_VERSIONS=6", "PLUGIN_MIN_PORT=10000", "PLUGIN_MAX_PORT=25000")
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			b.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if err != nil || !strings.Contains(line, "|6|") {
			b.Fatalf("no protocol 6 handshake: %q %v", line, err)
		}
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
}

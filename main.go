package main

import (
	"flag"
	"log"

	"github.com/coze-terraform/terraform-provider-coze/internal/provider"
	"github.com/coze-terraform/terraform-provider-coze/internal/serve"
)

// version and commit are set by goreleaser at build time.
var (
	version = "dev"
	commit  = "none"
)

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	err := serve.Serve("registry.terraform.io/coze-terraform/coze", provider.New(version), debug)
	if err != nil {
		log.Fatalf("terraform-provider-coze %s (%s): %v", version, commit, err)
	}
}

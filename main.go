package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/coze-terraform/terraform-provider-coze/internal/provider"
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

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/coze-terraform/coze",
		Debug:   debug,
	})
	if err != nil {
		log.Fatalf("terraform-provider-coze %s (%s): %v", version, commit, err)
	}
}

//go:build generate

// Package tools holds the code generation steps of `make generate`.
package tools

// Format the Terraform examples (uses the terraform on PATH).
//go:generate terraform fmt -recursive ../examples/

// Generate the registry docs from the schema descriptions, templates/ and examples/.
//go:generate go tool tfplugindocs generate --provider-dir .. --provider-name coze

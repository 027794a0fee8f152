package provider

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

// botGone runs the decision of Read, for the state of a coze_bot (which has
// a space_id) or of a coze_bot_config, on whether a bot the API did not find
// is gone. The tests of that decision (bot_gone_test.go) were written for it
// as a free function; it is now botSettingsResource.gone of the resource the
// state belongs to.
func botGone(ctx context.Context, client *coze.Client, state tfsdk.State, missing error, diags *diag.Diagnostics) bool {
	r := &NewBotConfigResource().(*botConfigResource).botSettingsResource
	if _, hasSpace := state.Schema.GetAttributes()["space_id"]; hasSpace {
		r = &NewBotResource().(*botResource).botSettingsResource
	}
	prior, d := rootObject(ctx, state.Schema.Type(), state.Raw)
	diags.Append(d...)
	if diags.HasError() {
		return false
	}
	gone, d := r.gone(ctx, client, botOf(prior), missing)
	diags.Append(d...)
	return gone
}

// The code that coze_bot and coze_bot_config share is methods of the type
// they embed, with short parameter lists: no function of bot_shared.go takes
// more than four parameters (the receiver aside), nor does any of
// create_recovery.go, which coze_bot and coze_workspace share.
func TestBotSharedFunctionsTakeAtMostFourParameters(t *testing.T) {
	for file, least := range map[string]int{"bot_shared.go": 5, "create_recovery.go": 5} {
		parsed, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		functions := 0
		for _, decl := range parsed.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			functions++
			n := 0
			for _, field := range fn.Type.Params.List {
				n += max(len(field.Names), 1)
			}
			if n > 4 {
				t.Errorf("%s: %s takes %d parameters: make it a method, or group its inputs in a struct", file, fn.Name.Name, n)
			}
		}
		if functions < least {
			t.Errorf("only %d functions found in %s: the walk is broken", functions, file)
		}
	}
}

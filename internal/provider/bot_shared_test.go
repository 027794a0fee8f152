package provider

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
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

// An import into a workspace whose bot list does not show the bot: refused
// where that list shows every bot, accepted with a warning where it may not
// (a member's view on the personal edition), and refused with the error
// when the workspace list that tells which could not be read.
func TestCheckImportedWorkspace(t *testing.T) {
	const team, bot = "7341000000000322", "7342866800077"
	mock := mockcoze.New(mockcoze.Options{BotListOnlyOwnedWorkspaces: true})
	mock.AddWorkspace(mockcoze.WorkspaceSeed{ID: team, Name: "their team", OwnerUID: "4000000001"})
	mock.AddMember(team, mockcoze.OwnerUserID, coze.RoleMember)
	mock.AddBotInSpace(bot, team)
	client := mockClient(t, mock)
	imported := botAttrs{"bot_id": types.StringValue(bot), "space_id": types.StringValue(team)}

	d := onlyDiag(t, checkImportedWorkspace(context.Background(), client, imported), diag.SeverityWarning)
	wantAll(t, d.Summary(), "Imported Coze bot "+bot+" without checking workspace "+team)
	wantAll(t, d.Detail(), "personal edition", "role in workspace "+team+" is member", "terraform state rm")

	mock.InjectFault(mockcoze.Fault{Method: http.MethodGet, Path: "/v1/workspaces", Status: http.StatusInternalServerError})
	d = onlyDiag(t, checkImportedWorkspace(context.Background(), client, imported), diag.SeverityError)
	wantAll(t, d.Summary(), "check that Coze workspace "+team+" holds bot "+bot)
	wantAll(t, d.Detail(), "HTTP:   500", "could not be read", "Nothing was imported; try the import again")
}

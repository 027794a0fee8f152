package provider

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// Resources and data sources reach the client through the base
// (r.client(&diags)) and report a failed call with addAPIError, worded the
// same everywhere: no file but base.go calls providerData.apiClient, and no
// function turns describeAPIError into an error of its own. (A warning may
// quote the API's error: the resource goes on.)
func TestResourcesUseTheBaseForTheClientAndForAPIErrors(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || name == "base.go" {
			continue
		}
		file, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, decl := range file.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			described := map[string]bool{} // the variables that hold describeAPIError's summary or detail
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if assign, ok := n.(*ast.AssignStmt); ok && len(assign.Rhs) == 1 && calls(assign.Rhs[0], "describeAPIError") {
					for _, lhs := range assign.Lhs {
						if id, ok := lhs.(*ast.Ident); ok && id.Name != "_" {
							described[id.Name] = true
						}
					}
				}
				return true
			})
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				switch {
				case ok && sel.Sel.Name == "apiClient":
					t.Errorf("%s: %s calls apiClient: use the base's client(&diags)", name, fn.Name.Name)
				case ok && sel.Sel.Name == "AddError" && mentionsAny(call.Args, described):
					t.Errorf("%s: %s adds describeAPIError's text as an error: use addAPIError", name, fn.Name.Name)
				}
				return true
			})
		}
	}
	if checked < 20 {
		t.Errorf("only %d files checked: the walk is broken", checked)
	}
}

// calls reports whether expr is a call of the function named name.
func calls(expr ast.Expr, name string) bool {
	call, ok := expr.(*ast.CallExpr)
	if !ok {
		return false
	}
	id, ok := call.Fun.(*ast.Ident)
	return ok && id.Name == name
}

// mentionsAny reports whether any of exprs uses one of the variables names.
func mentionsAny(exprs []ast.Expr, names map[string]bool) bool {
	found := false
	for _, expr := range exprs {
		ast.Inspect(expr, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && names[id.Name] {
				found = true
			}
			return !found
		})
	}
	return found
}

// Configure of every resource and data source takes the provider's data:
// nothing before the provider is configured (Terraform validates first),
// its *providerData without a diagnostic, and data of any other type, which
// only a bug hands it, as an error naming the type, never silently ignored.
func TestConfigureRefusesProviderDataOfAnotherType(t *testing.T) {
	ctx := context.Background()
	p := &cozeProvider{}
	type wrongData struct{}
	check := func(name string, configure func(data any) diag.Diagnostics) {
		t.Helper()
		for _, data := range []any{nil, &providerData{}} {
			if diags := configure(data); diags.HasError() {
				t.Errorf("%s: Configure(%T) = %v, want no error", name, data, diags)
			}
		}
		for _, data := range []any{providerData{}, &wrongData{}, "a string"} {
			diags := configure(data)
			if len(diags) != 1 || !diags.HasError() || diags[0].Summary() != "Unexpected provider data" ||
				!strings.Contains(diags[0].Detail(), fmt.Sprintf("got %T", data)) {
				t.Errorf("%s: Configure(%T) = %v, want one error \"Unexpected provider data\" that names %T", name, data, diags, data)
			}
		}
	}
	resources, dataSources := 0, 0
	for _, newResource := range p.Resources(ctx) {
		r := newResource()
		meta := &resource.MetadataResponse{}
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "coze"}, meta)
		configurable, ok := r.(resource.ResourceWithConfigure)
		if !ok {
			t.Errorf("%s has no Configure", meta.TypeName)
			continue
		}
		resources++
		check(meta.TypeName, func(data any) diag.Diagnostics {
			resp := &resource.ConfigureResponse{}
			configurable.Configure(ctx, resource.ConfigureRequest{ProviderData: data}, resp)
			return resp.Diagnostics
		})
	}
	for _, newDataSource := range p.DataSources(ctx) {
		d := newDataSource()
		meta := &datasource.MetadataResponse{}
		d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "coze"}, meta)
		configurable, ok := d.(datasource.DataSourceWithConfigure)
		if !ok {
			t.Errorf("data source %s has no Configure", meta.TypeName)
			continue
		}
		dataSources++
		check("data source "+meta.TypeName, func(data any) diag.Diagnostics {
			resp := &datasource.ConfigureResponse{}
			configurable.Configure(ctx, datasource.ConfigureRequest{ProviderData: data}, resp)
			return resp.Diagnostics
		})
	}
	if resources == 0 || dataSources == 0 {
		t.Fatalf("%d resources and %d data sources checked: the provider lists none", resources, dataSources)
	}
}

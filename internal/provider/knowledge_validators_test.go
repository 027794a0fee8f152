package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestDerivedFileType(t *testing.T) {
	for _, tc := range []struct {
		source, name, want, err string
	}{
		{source: "docs/faq.txt", name: "FAQ", want: "txt"},
		{source: "docs/Guide.DOCX", name: "x", want: "docx"},
		{name: "report.pdf", want: "pdf"},
		{name: "notes.doc", want: "doc"},
		{source: "readme.md", name: "readme.txt", err: `source "readme.md" has the extension ".md"`},
		{name: "notes", err: `name "notes" has no extension`},
		{name: "archive.tar.gz", err: `the extension ".gz"`},
	} {
		m := knowledgeDocumentModel{Name: types.StringValue(tc.name), Source: types.StringNull()}
		if tc.source != "" {
			m.Source = types.StringValue(tc.source)
		}
		got, err := m.derivedFileType()
		switch {
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("%+v: got %q, %v; want %q", tc, got, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), "pdf, txt, doc, docx")):
			t.Errorf("%+v: error %v, want one containing %q and the accepted types", tc, err, tc.err)
		}
	}
}

func TestBase64ContentValidator(t *testing.T) {
	for value, wantErr := range map[string]string{
		"aGVsbG8=":    "",
		"aGVsbG8":     "must be base64",
		"not base64!": "must be base64",
		"":            "is empty",
	} {
		resp := &validator.StringResponse{}
		base64Content{}.ValidateString(context.Background(), validator.StringRequest{
			Path: path.Root("content_base64"), ConfigValue: types.StringValue(value),
		}, resp)
		got := ""
		if resp.Diagnostics.HasError() {
			got = resp.Diagnostics[0].Detail()
		}
		if (wantErr == "") != (got == "") || !strings.Contains(got, wantErr) {
			t.Errorf("%q: error %q, want %q", value, got, wantErr)
		}
	}
}

func TestWebURLPattern(t *testing.T) {
	for url, ok := range map[string]bool{
		"https://docs.coze.cn/developer_guides/upload_files": true,
		"http://example.com":        true,
		"163.com":                   true, // the doc's own example
		"HTTPS://EXAMPLE.COM/A?b=c": true,
		"ftp://example.com/file":    false,
		"example":                   false,
		"https://exa mple.com":      false,
		"":                          false,
	} {
		if got := webURLPattern.MatchString(url); got != ok {
			t.Errorf("%q: match %v, want %v", url, got, ok)
		}
	}
}

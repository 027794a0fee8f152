package mockcoze

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

const kbSpace = "7311219484398790"

// callDoc calls a document endpoint, with the Agw-Js-Conv header unless noConv.
func callDoc(t *testing.T, ts *httptest.Server, action, body string, noConv ...bool) resp {
	t.Helper()
	return callHeader(t, ts, http.MethodPost, "/open_api/knowledge/document/"+action, body, len(noConv) == 0)
}

func callHeader(t *testing.T, ts *httptest.Server, method, path, body string, agwJsConv bool) resp {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", goodAuth)
	req.Header.Set("Content-Type", "application/json")
	if agwJsConv {
		req.Header.Set("Agw-Js-Conv", "str")
	}
	return do2(t, ts.Client(), req)
}

// wantOKBeside asserts a success whose payload is next to code, not under data.
func wantOKBeside(t *testing.T, r resp) {
	t.Helper()
	wantOK(t, r)
	if _, has := r.env["data"]; has {
		t.Fatalf("document endpoint answered under data: %s", r.raw)
	}
}

func createKB(t *testing.T, ts *httptest.Server, name string, formatType int) string {
	t.Helper()
	r := call(t, ts, http.MethodPost, "/v1/datasets", goodAuth,
		fmt.Sprintf(`{"name":%q,"space_id":%q,"format_type":%d}`, name, kbSpace, formatType))
	wantOK(t, r)
	id, _ := r.data()["dataset_id"].(string)
	if !isDigits(id) {
		t.Fatalf("dataset_id %q", id)
	}
	return id
}

func listKB(t *testing.T, ts *httptest.Server, query string) resp {
	t.Helper()
	return call(t, ts, http.MethodGet, "/v1/datasets?"+query, goodAuth, "")
}

func datasetList(t *testing.T, r resp) []map[string]any {
	t.Helper()
	wantOK(t, r)
	var out []map[string]any
	for _, item := range r.data()["dataset_list"].([]any) {
		out = append(out, item.(map[string]any))
	}
	return out
}

func docInfos(t *testing.T, r resp) []map[string]any {
	t.Helper()
	wantOKBeside(t, r)
	var out []map[string]any
	for _, item := range r.env["document_infos"].([]any) {
		out = append(out, item.(map[string]any))
	}
	return out
}

func txtBase(name, content string) string {
	return fmt.Sprintf(`{"name":%q,"source_info":{"file_base64":%q,"file_type":"txt"}}`, name, b64(content))
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func createDocs(t *testing.T, ts *httptest.Server, datasetID string, bases ...string) []map[string]any {
	t.Helper()
	return docInfos(t, callDoc(t, ts, "create", fmt.Sprintf(`{"dataset_id":%q,"format_type":0,"chunk_strategy":{"chunk_type":0},"document_bases":[%s]}`,
		datasetID, strings.Join(bases, ","))))
}

func progress(t *testing.T, ts *httptest.Server, datasetID string, ids ...string) []map[string]any {
	t.Helper()
	quoted, _ := json.Marshal(ids)
	r := callHeader(t, ts, http.MethodPost, "/v1/datasets/"+datasetID+"/process", fmt.Sprintf(`{"document_ids":%s}`, quoted), true)
	wantOK(t, r)
	var out []map[string]any
	for _, item := range r.data()["data"].([]any) {
		out = append(out, item.(map[string]any))
	}
	return out
}

func num(v any) string { return fmt.Sprint(v) }

// ---- knowledge bases ----

func TestDatasetCreateFromTheDocExampleListUpdateDelete(t *testing.T) {
	s, ts := newTS(t, Options{})
	r := call(t, ts, http.MethodPost, "/v1/datasets", goodAuth, `{
    "name": "产品文档",
    "description": "产品文档",
    "space_id": "7311219484398790",
    "format_type": 2,
    "file_id": "7446678469381450"
}`)
	wantOK(t, r)
	if got := keys(r.data()); !slices.Equal(got, []string{"dataset_id"}) {
		t.Fatalf("create data keys %v", got)
	}
	id := r.data()["dataset_id"].(string)
	kb, found := s.KnowledgeBaseByID(id)
	if !found || kb.Name != "产品文档" || kb.FormatType != 2 || kb.IconFileID != "7446678469381450" || kb.SpaceID != kbSpace {
		t.Fatalf("stored %+v", kb)
	}

	list := datasetList(t, listKB(t, ts, "space_id="+kbSpace+"&name=产品&format_type=&page_num=1&page_size=5"))
	if len(list) != 1 {
		t.Fatalf("list = %v", list)
	}
	item := list[0]
	for _, key := range []string{"dataset_id", "name", "description", "space_id", "status", "format_type", "can_edit", "icon_uri",
		"icon_url", "doc_count", "slice_count", "hit_count", "bot_used_count", "all_file_size", "create_time", "update_time",
		"creator_id", "creator_name", "avatar_url", "chunk_strategy", "file_list", "failed_file_list", "processing_file_list",
		"processing_file_id_list"} {
		if _, has := item[key]; !has {
			t.Errorf("list item lacks %s", key)
		}
	}
	if item["all_file_size"] != "0" || num(item["format_type"]) != "2" || num(item["status"]) != "1" {
		t.Errorf("item = %v", item)
	}

	// Update sets all three fields: what is not sent returns to its default.
	wantOK(t, call(t, ts, http.MethodPut, "/v1/datasets/"+id, goodAuth, `{"name":"AI知识库"}`))
	kb, _ = s.KnowledgeBaseByID(id)
	if kb.Name != "AI知识库" || kb.Description != "" || kb.IconFileID != "" {
		t.Errorf("after update %+v", kb)
	}

	wantOK(t, call(t, ts, http.MethodDelete, "/v1/datasets/"+id, goodAuth, ""))
	if _, found := s.KnowledgeBaseByID(id); found {
		t.Error("deleted base still stored")
	}
	wantErr(t, call(t, ts, http.MethodDelete, "/v1/datasets/"+id, goodAuth, ""), 200, "4200", "does not exist")
	wantErr(t, call(t, ts, http.MethodPut, "/v1/datasets/"+id, goodAuth, `{"name":"x"}`), 200, "4200", "does not exist")
}

func TestDatasetValidation(t *testing.T) {
	_, ts := newTS(t, Options{})
	long := strings.Repeat("知", 101)
	for _, tc := range []struct{ body, msg string }{
		{`{"space_id":"1","format_type":0}`, "name is required"},
		{fmt.Sprintf(`{"name":%q,"space_id":"1","format_type":0}`, long), "name must be 1-100 characters, got 101"},
		{`{"name":"n","format_type":0}`, "space_id is required"},
		{`{"name":"n","space_id":"abc","format_type":0}`, "space_id must be a string of decimal digits"},
		{`{"name":"n","space_id":"1"}`, "format_type is required"},
		{`{"name":"n","space_id":"1","format_type":1}`, "1 (table) cannot be created"},
		{`{"name":"n","space_id":"1","format_type":3}`, "format_type must be one of 0, 2"},
		{`{"name":"n","space_id":"1","format_type":0,"icon":"1"}`, "unknown field icon"},
		{`{"name":"n","space_id":"1","format_type":0,"file_id":"x"}`, "file_id must be a string of decimal digits"},
	} {
		wantErr(t, call(t, ts, http.MethodPost, "/v1/datasets", goodAuth, tc.body), 200, "4000", tc.msg)
	}
	ok100 := strings.Repeat("知", 100)
	wantOK(t, call(t, ts, http.MethodPost, "/v1/datasets", goodAuth, fmt.Sprintf(`{"name":%q,"space_id":"1","format_type":0}`, ok100)))
	id := createKB(t, ts, "x", 0)
	wantErr(t, call(t, ts, http.MethodPut, "/v1/datasets/"+id, goodAuth, `{"description":"d"}`), 200, "4000", "name is required")
	wantErr(t, call(t, ts, http.MethodPatch, "/v1/datasets/"+id, goodAuth, `{}`), 405, "4000", "use PUT, DELETE")
	wantErr(t, call(t, ts, http.MethodDelete, "/v1/datasets", goodAuth, ``), 405, "4000", "use GET, POST")
	wantErr(t, call(t, ts, http.MethodGet, "/v1/datasets/"+id+"/images", goodAuth, ``), 404, "4004", "path not found")
	wantErr(t, callDoc(t, ts, "get", `{}`), 404, "4004", "path not found")
}

func TestDatasetListFiltersAndPages(t *testing.T) {
	s, ts := newTS(t, Options{})
	var ids []string
	for i := range 7 {
		ids = append(ids, createKB(t, ts, fmt.Sprintf("Docs %d", i), []int{0, 2}[i%2]))
	}
	s.AddKnowledgeBase("999", "Docs elsewhere", 0)

	all := datasetList(t, listKB(t, ts, "space_id="+kbSpace+"&page_size=300"))
	if len(all) != 7 || all[0]["dataset_id"] != ids[6] {
		t.Fatalf("want 7 newest first, got %d, first %v", len(all), all[0]["dataset_id"])
	}
	images := datasetList(t, listKB(t, ts, "space_id="+kbSpace+"&format_type=2"))
	if len(images) != 3 {
		t.Errorf("%d image bases", len(images))
	}
	if got := datasetList(t, listKB(t, ts, "space_id="+kbSpace+"&name=docs%203")); len(got) != 1 || got[0]["name"] != "Docs 3" {
		t.Errorf("fuzzy, case-insensitive name filter: %v", got)
	}
	page2 := listKB(t, ts, "space_id="+kbSpace+"&page_num=2&page_size=3")
	if got := datasetList(t, page2); len(got) != 3 || got[0]["dataset_id"] != ids[3] || num(page2.data()["total_count"]) != "7" {
		t.Errorf("page 2: %s", page2.raw)
	}
	if got := datasetList(t, listKB(t, ts, "space_id="+kbSpace+"&page_num=9&page_size=3")); len(got) != 0 {
		t.Errorf("page past the end: %v", got)
	}
	if got := datasetList(t, listKB(t, ts, "space_id="+kbSpace)); len(got) != 7 {
		t.Errorf("default page size 10: %d", len(got))
	}
	for q, msg := range map[string]string{
		"":                                       "space_id is required",
		"space_id=" + kbSpace + "&page_size=301": "page_size must be an integer between 1 and 300",
		"space_id=" + kbSpace + "&page_size=0":   "page_size must be an integer between 1 and 300",
		"space_id=" + kbSpace + "&page_num=0":    "page_num must be an integer of at least 1",
		"space_id=" + kbSpace + "&format_type=x": "format_type must be 0 (text), 1 (table) or 2 (image)",
	} {
		wantErr(t, listKB(t, ts, q), 200, "4000", msg)
	}
}

// ---- documents ----

func TestDocumentEndpointsRequireAgwJsConv(t *testing.T) {
	_, ts := newTS(t, Options{})
	id := createKB(t, ts, "kb", 0)
	for _, action := range []string{"create", "update", "delete", "list"} {
		wantErr(t, callDoc(t, ts, action, fmt.Sprintf(`{"dataset_id":%q}`, id), true), 200, "4000", "header Agw-Js-Conv: str is required")
	}
}

func TestCreateDocumentsFromTheDocExamples(t *testing.T) {
	s, ts := newTS(t, Options{})
	text := createKB(t, ts, "text", 0)
	// The local-file example (a pdf), with format_type left out as in the example.
	infos := docInfos(t, callDoc(t, ts, "create", fmt.Sprintf(`{
    "dataset_id": %q,
    "document_bases": [{"name": "Coze.pdf", "source_info": {"file_base64": "5rWL6K+V5LiA5LiL5ZOm", "file_type": "pdf"}}],
    "chunk_strategy": {"separator": "\n\n", "max_tokens": 800, "remove_extra_spaces": false, "remove_urls_emails": false, "chunk_type": 1}
}`, text)))
	if len(infos) != 1 || infos[0]["name"] != "Coze.pdf" || num(infos[0]["status"]) != "0" || num(infos[0]["size"]) != "15" ||
		infos[0]["type"] != "pdf" {
		t.Fatalf("infos = %v", infos)
	}
	// With Agw-Js-Conv: str, the 64-bit max_tokens comes back as a string.
	if cs := infos[0]["chunk_strategy"].(map[string]any); cs["max_tokens"] != "800" || cs["separator"] != "\n\n" {
		t.Errorf("chunk_strategy = %v", cs)
	}
	// The web page example (commas fixed), with the dataset id as a number, as coze-go sends it.
	infos = docInfos(t, callDoc(t, ts, "create", fmt.Sprintf(`{
    "dataset_id": %s,
    "document_bases": [{"name": "直接传 url163", "source_info": {"web_url": "163.com", "document_source": 1},
        "update_rule": {"update_type": 1, "update_interval": 24}}],
    "chunk_strategy": {"separator": "\n\n", "max_tokens": 800, "remove_extra_spaces": false, "remove_urls_emails": false, "chunk_type": 1}
}`, text)))
	web, _ := s.KnowledgeDocumentByID(infos[0]["document_id"].(string))
	if web.WebURL != "163.com" || web.UpdateType != 1 || web.UpdateInterval != 24 || web.SourceType != 1 {
		t.Errorf("web document = %+v", web)
	}

	// The image example, with the file id as a number (as in the example) and as a string.
	image := createKB(t, ts, "images", 2)
	up := uploadParts(t, ts, filePart{field: "file", name: "cat.png", content: content(300)})
	wantOK(t, up)
	fileID := up.data()["id"].(string)
	infos = docInfos(t, callDoc(t, ts, "create", fmt.Sprintf(`{
    "dataset_id": %q,
    "format_type": 2,
    "chunk_strategy": {"caption_type": 0},
    "document_bases": [
        {"name": "test1", "source_info": {"source_file_id": %s, "document_source": 5}},
        {"name": "test2", "source_info": {"source_file_id": %q, "document_source": 5}, "caption": "可爱的"}
    ]
}`, image, fileID, fileID)))
	if len(infos) != 2 || num(infos[1]["size"]) != "300" || infos[1]["type"] != "png" {
		t.Errorf("image infos = %v", infos)
	}
	if doc, _ := s.KnowledgeDocumentByID(infos[1]["document_id"].(string)); doc.Caption != "可爱的" || doc.SourceFileID != fileID {
		t.Errorf("stored image = %+v", doc)
	}
}

func TestCreateDocumentsValidation(t *testing.T) {
	_, ts := newTS(t, Options{})
	text := createKB(t, ts, "text", 0)
	image := createKB(t, ts, "images", 2)
	eleven := make([]string, 11)
	for i := range eleven {
		eleven[i] = txtBase(fmt.Sprint(i), "x")
	}
	web := `{"name":"w","source_info":{"web_url":"https://example.com","document_source":1}}`
	body := func(dataset, strategy string, bases ...string) string {
		return fmt.Sprintf(`{"dataset_id":%q,"chunk_strategy":%s,"document_bases":[%s]}`, dataset, strategy, strings.Join(bases, ","))
	}
	auto := `{"chunk_type":0}`
	for _, tc := range []struct{ body, msg string }{
		{body(text, auto), "document_bases must have at least 1 item(s), got 0"},
		{body(text, auto, eleven...), "document_bases must have at most 10 items, got 11"},
		{body(text, `{"chunk_type":1,"max_tokens":800}`, txtBase("a", "x")), "chunk_strategy.separator is required when chunk_type is 1"},
		{body(text, `{"chunk_type":1,"separator":"#"}`, txtBase("a", "x")), "chunk_strategy.max_tokens is required when chunk_type is 1"},
		{body(text, `{"chunk_type":1,"separator":"#","max_tokens":99}`, txtBase("a", "x")), "max_tokens must be between 100 and 2000, got 99"},
		{body(text, `{"chunk_type":1,"separator":"#","max_tokens":2001}`, txtBase("a", "x")), "got 2001"},
		{body(text, `{"chunk_type":2}`, txtBase("a", "x")), "chunk_strategy.chunk_type must be one of 0, 1"},
		{body(text, auto, `{"name":"a","source_info":{"file_base64":"eA==","file_type":"md"}}`), "file_type must be one of pdf, txt, doc, docx"},
		{body(text, auto, `{"name":"a","source_info":{"file_base64":"%%%","file_type":"txt"}}`), "file_base64 is not valid base64"},
		{body(text, auto, `{"name":"a","source_info":{}}`), "needs exactly one of file_base64, web_url and source_file_id, got 0"},
		{body(text, auto, `{"name":"a","source_info":{"file_base64":"eA==","file_type":"txt","web_url":"x.com"}}`), "got 2"},
		{body(text, auto, `{"name":"a","source_info":{"web_url":"x.com"}}`), "document_source must be 1 with web_url"},
		{body(text, auto, `{"name":"","source_info":{"web_url":"x.com","document_source":1}}`), "document_bases[0].name is required"},
		{body(text, auto, txtBase("a", "x"), web), "mix upload methods"},
		{body(text, auto, `{"name":"w","source_info":{"web_url":"x.com","document_source":1},"update_rule":{"update_type":1,"update_interval":23}}`),
			"update_interval must be at least 24 (hours) when update_type is 1, got 23"},
		{body(text, auto, `{"name":"a","source_info":{"file_base64":"eA==","file_type":"txt"},"update_rule":{"update_type":0}}`),
			"update_rule applies to web pages only"},
		{body(text, auto, `{"name":"a","source_info":{"file_base64":"eA==","file_type":"txt"},"caption":"c"}`), "caption applies to image knowledge bases only"},
		{body(image, `{"caption_type":0}`, txtBase("a", "x")), "base64 files go to text knowledge bases"},
		{body(image, `{"chunk_type":0}`, `{"name":"i","source_info":{"source_file_id":"76","document_source":5}}`),
			"caption_type is required for the first upload to an empty image knowledge base"},
		{body(image, `{"caption_type":0}`, `{"name":"i","source_info":{"source_file_id":"76","document_source":5}}`),
			"source_file_id 76 is not a file uploaded"},
		{body(text, auto, `{"name":"i","source_info":{"source_file_id":"76","document_source":5}}`), "go to image knowledge bases"},
		{fmt.Sprintf(`{"dataset_id":%q,"format_type":2,"chunk_strategy":{"chunk_type":0},"document_bases":[%s]}`, text, txtBase("a", "x")),
			"format_type 2 does not match knowledge base"},
		{fmt.Sprintf(`{"dataset_id":%q,"chunk_strategy":{},"document_bases":[%s],"is_append":true}`, text, txtBase("a", "x")), "unknown field is_append"},
	} {
		wantErr(t, callDoc(t, ts, "create", tc.body), 200, "4000", tc.msg)
	}
	wantErr(t, callDoc(t, ts, "create", body("7700000000000000999", auto, txtBase("a", "x"))), 200, "4200",
		"knowledge base 7700000000000000999 does not exist")
}

func TestDocumentProcessingFinishesAfterPollsOrFailsOrNever(t *testing.T) {
	s, ts := newTS(t, Options{})
	kb := createKB(t, ts, "kb", 0)
	s.SetDocumentProcessing(DocumentProcessing{Polls: 1})
	s.SetDocumentProcessingFor("bad.txt", DocumentProcessing{FailReason: "parsing failed: file is not UTF-8"})
	s.SetDocumentProcessingFor("slow.txt", DocumentProcessing{Never: true})
	infos := createDocs(t, ts, kb, txtBase("good.txt", "第一段。\n\n第二段。"), txtBase("bad.txt", "x"), txtBase("slow.txt", "y"))
	good, bad, slow := infos[0]["document_id"].(string), infos[1]["document_id"].(string), infos[2]["document_id"].(string)

	first := progress(t, ts, kb, good, bad, slow)
	if len(first) != 3 || num(first[0]["status"]) != "0" || num(first[1]["status"]) != "9" || num(first[2]["status"]) != "0" {
		t.Fatalf("first poll %v", first)
	}
	if first[1]["status_descript"] != "parsing failed: file is not UTF-8" {
		t.Errorf("failure = %v", first[1])
	}
	// Agw-Js-Conv: str makes the 64-bit size a string.
	if _, isStr := first[0]["size"].(string); !isStr {
		t.Errorf("size = %#v, want a string under Agw-Js-Conv", first[0]["size"])
	}
	if doc, _ := s.KnowledgeDocumentByID(good); doc.CharCount != 0 || doc.SliceCount != 0 {
		t.Errorf("counts before processing ends: %+v", doc)
	}
	second := progress(t, ts, kb, good, slow)
	if num(second[0]["status"]) != "1" || num(second[0]["progress"]) != "100" || num(second[1]["status"]) != "0" {
		t.Errorf("second poll %v", second)
	}
	for range 5 {
		progress(t, ts, kb, slow)
	}
	if doc, _ := s.KnowledgeDocumentByID(slow); doc.Status != 0 {
		t.Errorf("a never-finishing document finished: %+v", doc)
	}
	doc, _ := s.KnowledgeDocumentByID(good)
	if doc.CharCount != 10 || doc.SliceCount != 1 || doc.Status != 1 {
		t.Errorf("processed document %+v", doc)
	}
	// Unknown ids are left out; the base must exist.
	if got := progress(t, ts, kb, "7800000000000099999"); len(got) != 0 {
		t.Errorf("unknown id answered %v", got)
	}
	r := callHeader(t, ts, http.MethodPost, "/v1/datasets/7700000000000099999/process", `{"document_ids":["1"]}`, false)
	wantErr(t, r, 200, "4200", "does not exist")

	// The base's list shows the counts and the files by state.
	item := datasetList(t, listKB(t, ts, "space_id="+kbSpace))[0]
	if num(item["doc_count"]) != "3" || item["all_file_size"] != fmt.Sprint(doc.Size+2) ||
		len(item["failed_file_list"].([]any)) != 1 || len(item["processing_file_id_list"].([]any)) != 1 {
		t.Errorf("base = %v", item)
	}
}

func TestDefaultProcessingTakesTwoPolls(t *testing.T) {
	_, ts := newTS(t, Options{})
	kb := createKB(t, ts, "kb", 0)
	id := createDocs(t, ts, kb, txtBase("a.txt", "hello"))[0]["document_id"].(string)
	var statuses []string
	for range DefaultDocumentPolls + 1 {
		statuses = append(statuses, num(progress(t, ts, kb, id)[0]["status"]))
	}
	if strings.Join(statuses, ",") != "0,0,1" {
		t.Errorf("statuses %v", statuses)
	}
}

func TestCustomChunkingCountsSlicesBySeparator(t *testing.T) {
	s, ts := newTS(t, Options{})
	s.SetDocumentProcessing(DocumentProcessing{})
	kb := createKB(t, ts, "kb", 0)
	r := callDoc(t, ts, "create", fmt.Sprintf(`{"dataset_id":%q,"chunk_strategy":{"chunk_type":1,"separator":"#","max_tokens":100},
		"document_bases":[%s]}`, kb, txtBase("a.txt", "one#two#three#"+strings.Repeat("x", 150))))
	id := docInfos(t, r)[0]["document_id"].(string)
	progress(t, ts, kb, id)
	if doc, _ := s.KnowledgeDocumentByID(id); doc.SliceCount != 5 { // one, two, three, and 150 x in two slices of 100
		t.Errorf("slices = %d", doc.SliceCount)
	}
}

func TestListDocumentsPages(t *testing.T) {
	_, ts := newTS(t, Options{})
	kb := createKB(t, ts, "kb", 0)
	var bases []string
	for i := range 7 {
		bases = append(bases, txtBase(fmt.Sprintf("d%d.txt", i), "x"))
	}
	createDocs(t, ts, kb, bases[:5]...)
	createDocs(t, ts, kb, bases[5:]...)
	list := func(body string) resp { return callDoc(t, ts, "list", body) }
	// The doc's example asks for page 0: the first page, like 1.
	r := list(fmt.Sprintf(`{"dataset_id":%q,"page":0,"size":3}`, kb))
	if got := docInfos(t, r); len(got) != 3 || got[0]["name"] != "d0.txt" || num(r.env["total"]) != "7" {
		t.Errorf("page 0: %s", r.raw)
	}
	if got := docInfos(t, list(fmt.Sprintf(`{"dataset_id":%s,"page":3,"size":3}`, kb))); len(got) != 1 || got[0]["name"] != "d6.txt" {
		t.Errorf("page 3 (dataset id as a number): %v", got)
	}
	if got := docInfos(t, list(fmt.Sprintf(`{"dataset_id":%q}`, kb))); len(got) != 7 {
		t.Errorf("default size 10: %d", len(got))
	}
	if got := docInfos(t, list(fmt.Sprintf(`{"dataset_id":%q,"page":5,"size":3}`, kb))); len(got) != 0 {
		t.Errorf("past the end: %v", got)
	}
	wantErr(t, list(`{"page":1}`), 200, "4000", "dataset_id is required")
	wantErr(t, list(`{"dataset_id":"7700000000000099999"}`), 200, "4200", "does not exist")
}

func TestUpdateAndDeleteDocuments(t *testing.T) {
	s, ts := newTS(t, Options{})
	kb := createKB(t, ts, "kb", 0)
	infos := createDocs(t, ts, kb, txtBase("a.txt", "x"), txtBase("b.txt", "y"))
	a, b := infos[0]["document_id"].(string), infos[1]["document_id"].(string)
	webID := docInfos(t, callDoc(t, ts, "create", fmt.Sprintf(`{"dataset_id":%q,"chunk_strategy":{"chunk_type":0},
		"document_bases":[{"name":"w","source_info":{"web_url":"https://example.com","document_source":1}}]}`, kb)))[0]["document_id"].(string)

	// The doc's example (trailing comma removed), the id as a number.
	wantOKBeside(t, callDoc(t, ts, "update", fmt.Sprintf(`{"document_id": %s, "document_name": "cozeoverview"}`, a)))
	if doc, _ := s.KnowledgeDocumentByID(a); doc.Name != "cozeoverview" {
		t.Errorf("renamed to %q", doc.Name)
	}
	wantOKBeside(t, callDoc(t, ts, "update", fmt.Sprintf(`{"document_id":%q,"update_rule":{"update_type":1,"update_interval":48}}`, webID)))
	if doc, _ := s.KnowledgeDocumentByID(webID); doc.UpdateType != 1 || doc.UpdateInterval != 48 || doc.Name != "w" {
		t.Errorf("web rule %+v", doc)
	}
	wantErr(t, callDoc(t, ts, "update", fmt.Sprintf(`{"document_id":%q,"update_rule":{"update_type":0}}`, a)), 200, "4000", "web pages only")
	wantErr(t, callDoc(t, ts, "update", fmt.Sprintf(`{"document_id":%q,"update_rule":{"update_type":1,"update_interval":12}}`, webID)),
		200, "4000", "at least 24")
	wantErr(t, callDoc(t, ts, "update", `{"document_id":"7800000000000099999","document_name":"x"}`), 200, "4200", "does not exist")

	// Delete is all or nothing.
	wantErr(t, callDoc(t, ts, "delete", fmt.Sprintf(`{"document_ids":[%q,"7800000000000099999"]}`, a)), 200, "4200", "7800000000000099999 does not exist")
	if _, found := s.KnowledgeDocumentByID(a); !found {
		t.Fatal("a failed delete deleted a document")
	}
	wantOKBeside(t, callDoc(t, ts, "delete", fmt.Sprintf(`{"document_ids":[%q]}`, a)))
	if got := s.KnowledgeDocuments(kb); len(got) != 2 || got[0].ID != b {
		t.Errorf("documents after delete %+v", got)
	}
	ids := make([]string, 101)
	for i := range ids {
		ids[i] = fmt.Sprintf("%q", fmt.Sprint(i+1))
	}
	wantErr(t, callDoc(t, ts, "delete", `{"document_ids":[`+strings.Join(ids, ",")+`]}`), 200, "4000", "at most 100 items, got 101")
	wantErr(t, callDoc(t, ts, "delete", `{"document_ids":[]}`), 200, "4000", "at least 1 item")

	// Deleting the base deletes its documents.
	wantOK(t, call(t, ts, http.MethodDelete, "/v1/datasets/"+kb, goodAuth, ""))
	if _, found := s.KnowledgeDocumentByID(b); found {
		t.Error("document of a deleted base remains")
	}
}

func TestOutOfBandKnowledgeControls(t *testing.T) {
	s, ts := newTS(t, Options{})
	kb := createKB(t, ts, "kb", 0)
	id := createDocs(t, ts, kb, txtBase("a.txt", "x"))[0]["document_id"].(string)
	if !s.EditKnowledgeDocument(id, func(d *KnowledgeDocument) { d.Name = "renamed" }) {
		t.Fatal("edit failed")
	}
	if got := docInfos(t, callDoc(t, ts, "list", fmt.Sprintf(`{"dataset_id":%q}`, kb))); got[0]["name"] != "renamed" {
		t.Errorf("list after edit %v", got)
	}
	s.EditKnowledgeBase(kb, func(b *KnowledgeBase) { b.Description = "edited"; b.Status = 3 })
	if item := datasetList(t, listKB(t, ts, "space_id="+kbSpace))[0]; item["description"] != "edited" || num(item["status"]) != "3" {
		t.Errorf("base after edit %v", item)
	}
	if !s.DeleteKnowledgeDocument(id) || s.DeleteKnowledgeDocument(id) {
		t.Error("DeleteKnowledgeDocument must report whether the document existed")
	}
	if !s.DeleteKnowledgeBase(kb) || len(s.KnowledgeBases()) != 0 {
		t.Error("DeleteKnowledgeBase")
	}
}

func TestKnowledgeRespectsTheRateLimit(t *testing.T) {
	s, ts := newTS(t, Options{RateLimit: 2})
	for range 5 {
		listKB(t, ts, "space_id="+kbSpace)
	}
	if s.RateLimited() == 0 {
		t.Error("no request was rate-limited")
	}
}

// Deleting a knowledge base unbinds it from the bots that use it, as the doc says.
func TestDeletingADatasetUnbindsItFromBots(t *testing.T) {
	s, ts := newTS(t, Options{}, testBot)
	kb := createKB(t, ts, "kb", 0)
	wantOK(t, update(t, ts, botBody(fmt.Sprintf(`"knowledge":{"dataset_ids":["5",%q]}`, kb))))
	publish(t, ts, testBot)
	wantOK(t, call(t, ts, http.MethodDelete, "/v1/datasets/"+kb, goodAuth, ""))
	draft, _ := s.Draft(testBot)
	assertJSON(t, draft["knowledge"], `{"dataset_ids":["5"]}`)
	r := getBot(t, ts, testBot, "is_published=true")
	wantOK(t, r)
	if strings.Contains(string(r.raw), kb) {
		t.Errorf("the published bot still lists the deleted base: %s", r.raw)
	}
}

// The retrieve API names a bound knowledge base by its name; one the mock
// does not hold keeps the name "Knowledge <id>".
func TestRetrieveNamesBoundKnowledgeBases(t *testing.T) {
	_, ts := newTS(t, Options{}, testBot)
	kb := createKB(t, ts, "FAQ", 0)
	wantOK(t, update(t, ts, botBody(fmt.Sprintf(`"knowledge":{"dataset_ids":["5",%q]}`, kb))))
	r := getBot(t, ts, testBot, "is_published=false")
	wantOK(t, r)
	assertJSON(t, r.data()["knowledge"], fmt.Sprintf(`{"knowledge_infos":[{"id":"5","name":"Knowledge 5"},{"id":%q,"name":"FAQ"}]}`, kb))
}

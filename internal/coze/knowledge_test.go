package coze

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// The request examples below are the docs' (coze-docs/*.md), with the
// Authorization header left out. Where an example is not valid JSON or
// contradicts its own table, the fix is said next to it.

func wantRequest(t *testing.T, got recorded, method, path string, agwJsConv bool) {
	t.Helper()
	if got.method != method || got.path != path {
		t.Errorf("request %s %s, want %s %s", got.method, got.path, method, path)
	}
	if h := got.header.Get("Agw-Js-Conv"); (h == "str") != agwJsConv {
		t.Errorf("Agw-Js-Conv header = %q, want it set to str: %v", h, agwJsConv)
	}
	if len(got.body) > 0 && got.header.Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type = %q", got.header.Get("Content-Type"))
	}
}

const okEnvelope = `{"code":0,"msg":"","detail":{"logid":"20241210152726467C48D89D6DB2****"}}`

func TestCreateDatasetMatchesTheDocExample(t *testing.T) {
	rec := newRecorder(t, `{"code":0,"data":{"dataset_id":"744668935865830****"},"msg":"","detail":{"logid":"20241210160547B25AEC1917B0***"}}`)
	c := newTestClient(t, rec.URL)
	id, err := c.CreateDataset(context.Background(), &CreateDatasetRequest{
		Name: "产品文档", Description: "产品文档", SpaceID: "731121948439879****", FormatType: FormatImage, IconFileID: "744667846938145****",
	})
	if err != nil {
		t.Fatal(err)
	}
	if id != "744668935865830****" {
		t.Errorf("dataset id = %q", id)
	}
	got := rec.only(t)
	wantRequest(t, got, http.MethodPost, "/v1/datasets", false)
	assertJSONEqual(t, got.body, `{
    "name": "产品文档",
    "description": "产品文档",
    "space_id": "731121948439879****",
    "format_type": 2,
    "file_id": "744667846938145****"
}`)
}

func TestCreateDatasetOmitsWhatIsNotSet(t *testing.T) {
	rec := newRecorder(t, `{"code":0,"data":{"dataset_id":7446689358658301234},"msg":""}`)
	c := newTestClient(t, rec.URL)
	id, err := c.CreateDataset(context.Background(), &CreateDatasetRequest{Name: "n", SpaceID: "1", FormatType: FormatText})
	if err != nil {
		t.Fatal(err)
	}
	if id != "7446689358658301234" { // a number, read digit for digit
		t.Errorf("dataset id = %q", id)
	}
	assertJSONEqual(t, rec.only(t).body, `{"name":"n","space_id":"1","format_type":0}`)
}

func TestUpdateDatasetMatchesTheDocExample(t *testing.T) {
	rec := newRecorder(t, okEnvelope)
	c := newTestClient(t, rec.URL)
	err := c.UpdateDataset(context.Background(), &UpdateDatasetRequest{
		DatasetID: "744668935865830", Name: "AI知识库", IconFileID: "74466784693814***",
		Description: "这是一个关于人工智能的知识库，包含机器学习、深度学习等内容。",
	})
	if err != nil {
		t.Fatal(err)
	}
	got := rec.only(t)
	wantRequest(t, got, http.MethodPut, "/v1/datasets/744668935865830", false)
	assertJSONEqual(t, got.body, `{
    "name": "AI知识库",
    "file_id": "74466784693814***",
    "description": "这是一个关于人工智能的知识库，包含机器学习、深度学习等内容。"
}`)
}

// The update API resets what is not sent: a cleared description is sent as "".
func TestUpdateDatasetSendsAnEmptyDescription(t *testing.T) {
	rec := newRecorder(t, okEnvelope)
	c := newTestClient(t, rec.URL)
	if err := c.UpdateDataset(context.Background(), &UpdateDatasetRequest{DatasetID: "1", Name: "n"}); err != nil {
		t.Fatal(err)
	}
	assertJSONEqual(t, rec.only(t).body, `{"name":"n","description":""}`)
}

func TestDeleteDatasetMatchesTheDocExample(t *testing.T) {
	rec := newRecorder(t, okEnvelope)
	c := newTestClient(t, rec.URL)
	if err := c.DeleteDataset(context.Background(), "744668935865830"); err != nil {
		t.Fatal(err)
	}
	got := rec.only(t)
	wantRequest(t, got, http.MethodDelete, "/v1/datasets/744668935865830", false)
	if len(got.body) != 0 {
		t.Errorf("delete sent a body: %s", got.body)
	}
}

const listDatasetExample = `{
  "code": 0,
  "data": {
    "total_count": 1,
    "dataset_list": [
      {
        "hit_count": 0,
        "doc_count": 0,
        "status": 1,
        "icon_url": "https://lf3-appstore-sign.oceancloudapi.com/ocean-cloud-tos/FileBizType.BIZ_DATASET_ICON/217526895615****.jpg",
        "creator_name": "xxx",
        "avatar_url": "https://p6-passport.byteacctimg.com/img/user-avatar/assets/e7b19241fb224cea967****.png~300x300.image",
        "can_edit": true,
        "space_id": "731121948439879****",
        "failed_file_list": [],
        "processing_file_id_list": [],
        "description": "openapi",
        "chunk_strategy": {},
        "create_time": 1733817948,
        "slice_count": 0,
        "name": "openapi_img3",
        "format_type": 2,
        "project_id": "",
        "all_file_size": "0",
        "update_time": 1733817948,
        "creator_id": "217526895615****",
        "file_list": [],
        "processing_file_list": [],
        "icon_uri": "FileBizType.BIZ_DATASET_ICON/217526895615****.jpg",
        "dataset_id": "744668935865830****",
        "bot_used_count": 0
      }
    ]
  },
  "msg": "",
  "detail": {
    "logid": "20241210161217C90C9ABB86428***"
  }
}`

func TestListDatasetsMatchesTheDocExample(t *testing.T) {
	rec := newRecorder(t, listDatasetExample)
	c := newTestClient(t, rec.URL)
	image := FormatImage
	list, err := c.ListDatasets(context.Background(), ListDatasetsRequest{
		SpaceID: "731121948439879", Name: "知识库", FormatType: &image, PageNum: 1, PageSize: 5,
	})
	if err != nil {
		t.Fatal(err)
	}
	got := rec.only(t)
	wantRequest(t, got, http.MethodGet, "/v1/datasets", false)
	// The example sends format_type= empty; an unset filter is left out here.
	if want := "format_type=2&name=%E7%9F%A5%E8%AF%86%E5%BA%93&page_num=1&page_size=5&space_id=731121948439879"; got.query.Encode() != want {
		t.Errorf("query = %s, want %s", got.query.Encode(), want)
	}
	if list.TotalCount != 1 || len(list.DatasetList) != 1 {
		t.Fatalf("list = %+v", list)
	}
	d := list.DatasetList[0]
	if d.ID != "744668935865830****" || d.Name != "openapi_img3" || d.FormatType != FormatImage || d.Status != 1 ||
		!d.CanEdit || d.CreateTime != 1733817948 || d.AllFileSize != 0 || d.SpaceID != "731121948439879****" {
		t.Errorf("dataset = %+v", d)
	}
}

// all_file_size is a Long in the doc's table and "0" in its example; the
// other integers may come as strings under Agw-Js-Conv: str.
func TestDatasetNumbersAsStringsOrNumbers(t *testing.T) {
	var d Dataset
	err := json.Unmarshal([]byte(`{"dataset_id":7446689358658301234,"all_file_size":"12345678901","doc_count":"3",
		"slice_count":7,"status":null,"update_time":"","space_id":"1"}`), &d)
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != "7446689358658301234" || d.AllFileSize != 12345678901 || d.DocCount != 3 || d.SliceCount != 7 ||
		d.Status != 0 || d.UpdateTime != 0 {
		t.Errorf("dataset = %+v", d)
	}
	for _, bad := range []string{`{"doc_count":"three"}`, `{"doc_count":1.5}`, `{"doc_count":true}`, `{"dataset_id":true}`} {
		if err := json.Unmarshal([]byte(bad), &d); err == nil {
			t.Errorf("%s decoded without error", bad)
		}
	}
}

func TestListDatasetsRejectsAPageSizeAboveTheLimit(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1")
	_, err := c.ListDatasets(context.Background(), ListDatasetsRequest{SpaceID: "1", PageSize: 301})
	if err == nil || !strings.Contains(err.Error(), "1 to 300") {
		t.Errorf("err = %v", err)
	}
}

func datasetPage(total int, ids ...int) string {
	items := make([]string, len(ids))
	for i, id := range ids {
		items[i] = fmt.Sprintf(`{"dataset_id":"%d","name":"kb %d"}`, id, id)
	}
	return fmt.Sprintf(`{"code":0,"data":{"total_count":%d,"dataset_list":[%s]}}`, total, strings.Join(items, ","))
}

func TestAllDatasetsReadsEveryPage(t *testing.T) {
	rec := newRecorder(t, datasetPage(5, 1, 2), datasetPage(5, 3, 4), datasetPage(5, 5))
	c := newTestClient(t, rec.URL)
	var got []string
	for d, err := range c.AllDatasets(context.Background(), ListDatasetsRequest{SpaceID: "9", PageSize: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, d.ID.String())
	}
	if strings.Join(got, ",") != "1,2,3,4,5" {
		t.Errorf("ids = %v", got)
	}
	reqs := rec.requests()
	if len(reqs) != 3 || reqs[2].query.Get("page_num") != "3" {
		t.Errorf("requests = %+v", reqs)
	}
}

func TestAllDatasetsStopsWhenTheCallerStops(t *testing.T) {
	rec := newRecorder(t, datasetPage(6, 1, 2), datasetPage(6, 3, 4))
	c := newTestClient(t, rec.URL)
	for d, err := range c.AllDatasets(context.Background(), ListDatasetsRequest{SpaceID: "9", PageSize: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		if d.ID == "1" {
			break
		}
	}
	if n := len(rec.requests()); n != 1 {
		t.Errorf("%d pages read after the caller stopped on the first item", n)
	}
}

// Without a total, a short page is the last one.
func TestAllDatasetsWithoutTotalStopsOnAShortPage(t *testing.T) {
	rec := newRecorder(t, datasetPage(0, 1, 2), datasetPage(0, 3))
	c := newTestClient(t, rec.URL)
	n := 0
	for _, err := range c.AllDatasets(context.Background(), ListDatasetsRequest{SpaceID: "9", PageSize: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 3 || len(rec.requests()) != 2 {
		t.Errorf("%d datasets in %d requests", n, len(rec.requests()))
	}
}

// A total that counts the page, not the listing, does not end it: only a
// short or empty page does.
func TestKnowledgeListingsDoNotStopOnTotalAlone(t *testing.T) {
	rec := newRecorder(t, datasetPage(2, 1, 2), datasetPage(2, 3, 4), datasetPage(2, 5))
	var ids []string
	for d, err := range newTestClient(t, rec.URL).AllDatasets(context.Background(), ListDatasetsRequest{SpaceID: "9", PageSize: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID.String())
	}
	if strings.Join(ids, ",") != "1,2,3,4,5" || len(rec.requests()) != 3 {
		t.Errorf("knowledge bases %v in %d requests, want 1 to 5 in 3", ids, len(rec.requests()))
	}

	rec = newRecorder(t, documentPage(3, 1, 2, 3), documentPage(3, 4, 5, 6), documentPage(3, 7))
	doc, err := newTestClient(t, rec.URL).FindDocument(context.Background(), "9", "7", 3)
	if err != nil || doc == nil || len(rec.requests()) != 3 {
		t.Errorf("document 7 on page 3 with total 3: %+v, %v after %d pages", doc, err, len(rec.requests()))
	}
}

// A server that ignores the page number answers page 1 again: an error
// after page 2, not a thousand requests or a listing cut short.
func TestKnowledgeListingsDetectAnAPIThatIgnoresThePageNumber(t *testing.T) {
	rec := newRecorder(t, documentPage(0, 1, 2, 3))
	doc, err := newTestClient(t, rec.URL).FindDocument(context.Background(), "9", "8", 3)
	if !errors.Is(err, ErrPaging) || !strings.Contains(err.Error(), "list documents of knowledge base 9: page 2 repeats") ||
		doc != nil || len(rec.requests()) != 2 {
		t.Errorf("documents: %+v, %v after %d requests", doc, err, len(rec.requests()))
	}
	rec = newRecorder(t, datasetPage(100, 1, 2))
	var last error
	for _, err := range newTestClient(t, rec.URL).AllDatasets(context.Background(), ListDatasetsRequest{SpaceID: "9", PageSize: 2}) {
		last = err
	}
	if err = last; !errors.Is(err, ErrPaging) || len(rec.requests()) != 2 {
		t.Errorf("knowledge bases: %v after %d requests", err, len(rec.requests()))
	}
}

func TestAllDatasetsYieldsTheError(t *testing.T) {
	rec := newRecorder(t, datasetPage(4, 1, 2), `{"code":4200,"msg":"space not found","detail":{"logid":"L"}}`)
	c := newTestClient(t, rec.URL)
	var last error
	n := 0
	for _, err := range c.AllDatasets(context.Background(), ListDatasetsRequest{SpaceID: "9", PageSize: 2}) {
		if err != nil {
			last = err
			continue
		}
		n++
	}
	if n != 2 || !IsNotFound(last) {
		t.Errorf("%d datasets, error %v", n, last)
	}
}

const createDocumentResponseExample = `{
    "document_infos": [
        {
            "name": "Coze.pdf",
            "size": 14164,
            "type": "pdf",
            "status": 1,
            "tos_uri": "FileBizType.BIZ_BOT_DATASET/847077809337655_1727579972975689529_0ytrdq****.docx",
            "hit_count": 0,
            "char_count": 4,
            "create_time": 1719907964,
            "document_id": "738694205603010****",
            "format_type": 2,
            "slice_count": 1,
            "source_type": null,
            "update_time": 1719907969,
            "update_type": null,
            "chunk_strategy": {
                "chunk_type": 1,
                "max_tokens": 800,
                "remove_extra_spaces": false,
                "remove_urls_emails": false,
                "separator": "\n\n"
            },
            "update_interval": 0
        }
    ],
    "code": 0,
    "msg": "",
    "detail": {
        "logid": "20250106172024B5F607030EFFA***"
    }
}`

func TestCreateDocumentsLocalFileMatchesTheDocExample(t *testing.T) {
	rec := newRecorder(t, createDocumentResponseExample)
	c := newTestClient(t, rec.URL)
	docs, err := c.CreateDocuments(context.Background(), &CreateDocumentsRequest{
		DatasetID:     "736356924530694****",
		DocumentBases: []DocumentBase{LocalDocument("Coze.pdf", "5rWL6K+V5LiA5LiL5ZOm", "pdf")},
		ChunkStrategy: CustomChunking("\n\n", 800, false, false),
		FormatType:    FormatText,
	})
	if err != nil {
		t.Fatal(err)
	}
	got := rec.only(t)
	wantRequest(t, got, http.MethodPost, "/open_api/knowledge/document/create", true)
	// The example leaves out format_type, which the table and the spec require.
	assertJSONEqual(t, got.body, `{
    "dataset_id": "736356924530694****",
    "document_bases": [
        {
            "name": "Coze.pdf",
            "source_info": {
                "file_base64": "5rWL6K+V5LiA5LiL5ZOm",
                "file_type": "pdf"
            }
        }
    ],
    "chunk_strategy": {
        "separator": "\n\n",
        "max_tokens": 800,
        "remove_extra_spaces": false,
        "remove_urls_emails": false,
        "chunk_type": 1
    },
    "format_type": 0
}`)
	// The response's payload is beside code, with null source_type and update_type.
	if len(docs) != 1 {
		t.Fatalf("docs = %+v", docs)
	}
	d := docs[0]
	if d.ID != "738694205603010****" || d.Name != "Coze.pdf" || d.Size != 14164 || d.Status != DocumentDone ||
		d.CharCount != 4 || d.SliceCount != 1 || d.SourceType != 0 || d.ChunkStrategy == nil ||
		d.ChunkStrategy.MaxTokens == nil || *d.ChunkStrategy.MaxTokens != 800 {
		t.Errorf("document = %+v", d)
	}
}

func TestCreateDocumentsWebPageMatchesTheDocExample(t *testing.T) {
	rec := newRecorder(t, `{"document_infos":[{"document_id":"1","name":"直接传 url163","status":0}],"code":0,"msg":""}`)
	c := newTestClient(t, rec.URL)
	_, err := c.CreateDocuments(context.Background(), &CreateDocumentsRequest{
		DatasetID:     "7363569245306945580",
		DocumentBases: []DocumentBase{WebDocument("直接传 url163", "163.com", 24)},
		ChunkStrategy: CustomChunking("\n\n", 800, false, false),
	})
	if err != nil {
		t.Fatal(err)
	}
	got := rec.only(t)
	wantRequest(t, got, http.MethodPost, "/open_api/knowledge/document/create", true)
	// The example lacks two commas (after remove_extra_spaces and
	// remove_urls_emails) and format_type.
	assertJSONEqual(t, got.body, `{
    "dataset_id": "7363569245306945580",
    "document_bases": [
        {
            "name": "直接传 url163",
            "source_info": {
                "web_url" : "163.com",
                "document_source" : 1
            },
            "update_rule": {
                "update_type": 1,
                "update_interval": 24
            }
        }
    ],
     "chunk_strategy": {
        "separator": "\n\n",
        "max_tokens": 800,
        "remove_extra_spaces": false,
        "remove_urls_emails": false,
        "chunk_type": 1
    },
    "format_type": 0
}`)
}

func TestCreateDocumentsImageMatchesTheDocExample(t *testing.T) {
	rec := newRecorder(t, `{"document_infos":[{"document_id":"1","name":"test1"},{"document_id":2,"name":"test2"}],"code":0,"msg":""}`)
	c := newTestClient(t, rec.URL)
	docs, err := c.CreateDocuments(context.Background(), &CreateDocumentsRequest{
		DatasetID:     "744632265564659****",
		FormatType:    FormatImage,
		ChunkStrategy: ImageCaptioning(false),
		DocumentBases: []DocumentBase{
			ImageDocument("test1", "7446678469381450001", ""),
			ImageDocument("test2", "7446678469381450002", ""),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || docs[1].ID != "2" {
		t.Errorf("docs = %+v", docs)
	}
	got := rec.only(t)
	wantRequest(t, got, http.MethodPost, "/open_api/knowledge/document/create", true)
	// The example sends source_file_id as a bare (masked) number; the table
	// and the spec say string, and a string keeps all 19 digits.
	assertJSONEqual(t, got.body, `{
    "dataset_id": "744632265564659****",
    "format_type": 2,
    "chunk_strategy": {
        "caption_type": 0
    },
    "document_bases": [
        {
            "name": "test1",
            "source_info": {
                "source_file_id": "7446678469381450001",
                "document_source": 5
            }
        },
        {
            "name": "test2",
            "source_info": {
                "source_file_id": "7446678469381450002",
                "document_source": 5
            }
        }
    ]
}`)
}

func TestCreateDocumentsAutoChunkingAndCaption(t *testing.T) {
	rec := newRecorder(t, `{"document_infos":[{"document_id":"1"}],"code":0}`)
	c := newTestClient(t, rec.URL)
	_, err := c.CreateDocuments(context.Background(), &CreateDocumentsRequest{
		DatasetID: "5", FormatType: FormatImage, ChunkStrategy: ImageCaptioning(true),
		DocumentBases: []DocumentBase{ImageDocument("cat", "77", "可爱的")},
	})
	if err != nil {
		t.Fatal(err)
	}
	assertJSONEqual(t, rec.only(t).body, `{"dataset_id":"5","format_type":2,"chunk_strategy":{"caption_type":1},
		"document_bases":[{"name":"cat","caption":"可爱的","source_info":{"source_file_id":"77","document_source":5}}]}`)

	rec = newRecorder(t, `{"document_infos":[{"document_id":"1"}],"code":0}`)
	c = newTestClient(t, rec.URL)
	_, err = c.CreateDocuments(context.Background(), &CreateDocumentsRequest{
		DatasetID: "5", ChunkStrategy: AutoChunking(),
		DocumentBases: []DocumentBase{WebDocument("w", "https://example.com", 0)},
	})
	if err != nil {
		t.Fatal(err)
	}
	assertJSONEqual(t, rec.only(t).body, `{"dataset_id":"5","format_type":0,"chunk_strategy":{"chunk_type":0},
		"document_bases":[{"name":"w","source_info":{"web_url":"https://example.com","document_source":1},"update_rule":{"update_type":0}}]}`)
}

// At most 10 documents per create call.
func TestCreateDocumentsBatchesByTen(t *testing.T) {
	var mu sync.Mutex
	next := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			DocumentBases []json.RawMessage `json:"document_bases"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		mu.Lock()
		infos := make([]string, len(body.DocumentBases))
		for i := range infos {
			next++
			infos[i] = fmt.Sprintf(`{"document_id":"%d"}`, next)
		}
		mu.Unlock()
		fmt.Fprintf(w, `{"code":0,"msg":"","document_infos":[%s],"batch":%d}`, strings.Join(infos, ","), len(infos))
	}))
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv.URL)
	bases := make([]DocumentBase, 23)
	for i := range bases {
		bases[i] = LocalDocument(fmt.Sprintf("d%d.txt", i), "aGk=", "txt")
	}
	docs, err := c.CreateDocuments(context.Background(), &CreateDocumentsRequest{DatasetID: "1", DocumentBases: bases, ChunkStrategy: AutoChunking()})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 23 || docs[22].ID != "23" {
		t.Errorf("%d documents, last %+v", len(docs), docs[len(docs)-1])
	}
	if next != 23 {
		t.Errorf("server created %d", next)
	}
}

func TestCreateDocumentsReturnsWhatWasCreatedBeforeAFailure(t *testing.T) {
	ten := make([]string, 10)
	for i := range ten {
		ten[i] = fmt.Sprintf(`{"document_id":"%d"}`, i+1)
	}
	rec := newRecorder(t, `{"code":0,"document_infos":[`+strings.Join(ten, ",")+`]}`,
		`{"code":4000,"msg":"file_type not supported","detail":{"logid":"L2"}}`)
	c := newTestClient(t, rec.URL)
	bases := make([]DocumentBase, 12)
	for i := range bases {
		bases[i] = LocalDocument("d.txt", "aGk=", "txt")
	}
	docs, err := c.CreateDocuments(context.Background(), &CreateDocumentsRequest{DatasetID: "1", DocumentBases: bases, ChunkStrategy: AutoChunking()})
	apiErr, isAPI := AsAPIError(err)
	if !isAPI || apiErr.Code != 4000 || apiErr.LogID != "L2" || len(docs) != 10 {
		t.Errorf("docs %d, err %v", len(docs), err)
	}
}

func TestDocumentEndpointErrorsCarryCodeAndLogID(t *testing.T) {
	rec := newRecorder(t, `{"code":4200,"msg":"document not found","detail":{"logid":"LOG42"}}`)
	c := newTestClient(t, rec.URL)
	err := c.UpdateDocument(context.Background(), &UpdateDocumentRequest{DocumentID: "1", DocumentName: "x"})
	if !IsNotFound(err) || !strings.Contains(err.Error(), "LOG42") || !strings.Contains(err.Error(), "update document 1") {
		t.Errorf("err = %v", err)
	}
}

func TestUpdateDocumentMatchesTheDocExample(t *testing.T) {
	rec := newRecorder(t, okEnvelope)
	c := newTestClient(t, rec.URL)
	if err := c.UpdateDocument(context.Background(), &UpdateDocumentRequest{DocumentID: "738694205603010****", DocumentName: "cozeoverview"}); err != nil {
		t.Fatal(err)
	}
	got := rec.only(t)
	wantRequest(t, got, http.MethodPost, "/open_api/knowledge/document/update", true)
	// The example has a trailing comma after document_name.
	assertJSONEqual(t, got.body, `{
    "document_id": "738694205603010****",
    "document_name": "cozeoverview"
}`)
}

func TestUpdateDocumentUpdateRule(t *testing.T) {
	rec := newRecorder(t, okEnvelope)
	c := newTestClient(t, rec.URL)
	if err := c.UpdateDocument(context.Background(), &UpdateDocumentRequest{DocumentID: "7", UpdateRule: WebUpdateRule(48)}); err != nil {
		t.Fatal(err)
	}
	assertJSONEqual(t, rec.only(t).body, `{"document_id":"7","update_rule":{"update_type":1,"update_interval":48}}`)
}

func TestDeleteDocumentsMatchesTheDocExampleAndBatchesByAHundred(t *testing.T) {
	rec := newRecorder(t, okEnvelope)
	c := newTestClient(t, rec.URL)
	if err := c.DeleteDocuments(context.Background(), []string{"123"}); err != nil {
		t.Fatal(err)
	}
	got := rec.only(t)
	wantRequest(t, got, http.MethodPost, "/open_api/knowledge/document/delete", true)
	assertJSONEqual(t, got.body, `{
    "document_ids": [
        "123"
    ]
}`)

	rec = newRecorder(t, okEnvelope)
	c = newTestClient(t, rec.URL)
	ids := make([]string, 250)
	for i := range ids {
		ids[i] = fmt.Sprint(i + 1)
	}
	if err := c.DeleteDocuments(context.Background(), ids); err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for _, r := range rec.requests() {
		var body struct {
			DocumentIDs []string `json:"document_ids"`
		}
		if err := json.Unmarshal(r.body, &body); err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(body.DocumentIDs))
	}
	if fmt.Sprint(sizes) != "[100 100 50]" {
		t.Errorf("batch sizes = %v", sizes)
	}
	if err := c.DeleteDocuments(context.Background(), nil); err != nil || len(rec.requests()) != 3 {
		t.Errorf("deleting nothing: %v, %d requests", err, len(rec.requests()))
	}
}

const listDocumentsExample = `{
  "code": 0,
  "document_infos": [
    {
      "char_count": 4,
      "chunk_strategy": {
        "chunk_type": 0,
        "max_tokens": 0,
        "remove_extra_spaces": false,
        "remove_urls_emails": false,
        "separator": ""
      },
      "create_time": 1719476392,
      "document_id": "738508308097900****",
      "format_type": 0,
      "hit_count": 0,
      "name": "小猫的阳光午睡.pdf.pdf",
      "size": 30142,
      "slice_count": 1,
      "source_type": 0,
      "status": 1,
      "type": "pdf",
      "update_interval": 0,
      "update_time": 1719476430,
      "update_type": 0
    }
  ],
  "msg": "",
  "total": 1
}`

func TestListDocumentsMatchesTheDocExample(t *testing.T) {
	rec := newRecorder(t, listDocumentsExample)
	c := newTestClient(t, rec.URL)
	list, err := c.ListDocuments(context.Background(), "736356924530694****", 1, 10)
	if err != nil {
		t.Fatal(err)
	}
	got := rec.only(t)
	wantRequest(t, got, http.MethodPost, "/open_api/knowledge/document/list", true)
	// The example asks for page 0; the table says pages start at 1 (the default).
	assertJSONEqual(t, got.body, `{
    "dataset_id": "736356924530694****",
    "page": 1,
    "size": 10
}`)
	if list.Total != 1 || len(list.DocumentInfos) != 1 {
		t.Fatalf("list = %+v", list)
	}
	d := list.DocumentInfos[0]
	if d.ID != "738508308097900****" || d.Type != "pdf" || d.Size != 30142 || d.Status != DocumentDone || d.SliceCount != 1 {
		t.Errorf("document = %+v", d)
	}
}

func documentPage(total int, ids ...int) string {
	items := make([]string, len(ids))
	for i, id := range ids {
		items[i] = fmt.Sprintf(`{"document_id":"%d","size":"%d"}`, id, id*10)
	}
	return fmt.Sprintf(`{"code":0,"msg":"","total":%d,"document_infos":[%s]}`, total, strings.Join(items, ","))
}

func TestFindDocumentReadsPagesUntilFound(t *testing.T) {
	rec := newRecorder(t, documentPage(7, 1, 2, 3), documentPage(7, 4, 5, 6), documentPage(7, 7))
	c := newTestClient(t, rec.URL)
	doc, err := c.FindDocument(context.Background(), "9", "5", 3)
	if err != nil || doc == nil || doc.Size != 50 {
		t.Fatalf("doc %+v, err %v", doc, err)
	}
	if n := len(rec.requests()); n != 2 {
		t.Errorf("%d pages read to find a document on page 2", n)
	}
	var pages []string
	for _, r := range rec.requests() {
		pages = append(pages, string(r.body))
	}
	if !strings.Contains(pages[1], `"page":2`) || !strings.Contains(pages[1], `"size":3`) {
		t.Errorf("second page request = %s", pages[1])
	}

	rec = newRecorder(t, documentPage(7, 1, 2, 3), documentPage(7, 4, 5, 6), documentPage(7, 7))
	c = newTestClient(t, rec.URL)
	doc, err = c.FindDocument(context.Background(), "9", "8", 3)
	if err != nil || doc != nil || len(rec.requests()) != 3 {
		t.Errorf("missing document: %+v, %v after %d pages", doc, err, len(rec.requests()))
	}

	// Without a total, a short page is the last one.
	rec = newRecorder(t, documentPage(0, 1, 2, 3), documentPage(0, 4))
	c = newTestClient(t, rec.URL)
	doc, err = c.FindDocument(context.Background(), "9", "8", 3)
	if err != nil || doc != nil || len(rec.requests()) != 2 {
		t.Errorf("without total: %+v, %v after %d pages", doc, err, len(rec.requests()))
	}
}

func TestGetDocumentProgressMatchesTheDocExample(t *testing.T) {
	rec := newRecorder(t, `{
  "code": 0,
  "data": {
    "data": [
      {
        "progress": 100,
        "update_interval": 0,
        "status": 1,
        "type": "jpg",
        "update_type": 0,
        "document_id": "744667080521909***",
        "remaining_time": 0,
        "size": 171340,
        "document_name": "test1",
        "url": "https://lf3-appstore-sign.oceancloudapi.com/ocean-cloud-tos/FileBizType.BIZ_BOT_DATASET/217526895615***.jpg"
      }
    ]
  },
  "msg": "",
  "detail": {
    "logid": "20241210152726467C48D89D6***"
  }
}`)
	c := newTestClient(t, rec.URL)
	progress, err := c.GetDocumentProgress(context.Background(), "744258581358768", []string{"7442585813587***", "7442585813668***"})
	if err != nil {
		t.Fatal(err)
	}
	got := rec.only(t)
	// The docs do not ask for Agw-Js-Conv here; the spec requires it.
	wantRequest(t, got, http.MethodPost, "/v1/datasets/744258581358768/process", true)
	assertJSONEqual(t, got.body, `{
    "document_ids": [
        "7442585813587***",
        "7442585813668***"
    ]
}`)
	if len(progress) != 1 || progress[0].Size != 171340 || !progress[0].Succeeded() || progress[0].Progress != 100 {
		t.Errorf("progress = %+v", progress)
	}
}

func progressAnswer(status int, descript string) string {
	return fmt.Sprintf(`{"code":0,"data":{"data":[{"document_id":"7","status":"%d","status_descript":%q,"progress":50}]}}`, status, descript)
}

func TestWaitForDocumentsPollsUntilDone(t *testing.T) {
	rec := newRecorder(t, progressAnswer(0, ""), progressAnswer(0, ""), progressAnswer(1, ""))
	c := newTestClient(t, rec.URL)
	progress, err := c.WaitForDocuments(context.Background(), "3", []string{"7"}, PollBackoff{Initial: time.Millisecond, Max: 2 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if len(progress) != 1 || !progress[0].Succeeded() || len(rec.requests()) != 3 {
		t.Errorf("progress %+v after %d polls", progress, len(rec.requests()))
	}
}

func TestWaitForDocumentsReturnsAFailure(t *testing.T) {
	rec := newRecorder(t, progressAnswer(0, ""), progressAnswer(9, "unsupported encoding"))
	c := newTestClient(t, rec.URL)
	progress, err := c.WaitForDocuments(context.Background(), "3", []string{"7"}, PollBackoff{Initial: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if len(progress) != 1 || !progress[0].Failed() || progress[0].StatusDescript != "unsupported encoding" {
		t.Errorf("progress = %+v", progress)
	}
}

func TestWaitForDocumentsStopsAtTheDeadline(t *testing.T) {
	rec := newRecorder(t, progressAnswer(0, ""))
	c := newTestClient(t, rec.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	progress, err := c.WaitForDocuments(ctx, "3", []string{"7"}, PollBackoff{Initial: 5 * time.Millisecond, Max: 10 * time.Millisecond})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	if len(progress) != 1 || progress[0].Status != DocumentProcessing {
		t.Errorf("last progress = %+v", progress)
	}
	if n := len(rec.requests()); n < 3 {
		t.Errorf("only %d polls in 50 ms with 5-10 ms backoff", n)
	}
}

func TestWaitForDocumentsSaysWhenADocumentIsGone(t *testing.T) {
	rec := newRecorder(t, `{"code":0,"data":{"data":[]}}`)
	c := newTestClient(t, rec.URL)
	_, err := c.WaitForDocuments(context.Background(), "3", []string{"7"}, PollBackoff{Initial: time.Millisecond})
	if !errors.Is(err, ErrDocumentGone) {
		t.Errorf("err = %v", err)
	}
}

func TestFlexStringKeepsEveryDigit(t *testing.T) {
	var s FlexString
	if err := json.Unmarshal([]byte(`7446678469381451234`), &s); err != nil || s != "7446678469381451234" {
		t.Errorf("%q %v", s, err)
	}
	if err := json.Unmarshal([]byte(`null`), &s); err != nil || s != "" {
		t.Errorf("%q %v", s, err)
	}
	out, _ := json.Marshal(FlexString("12"))
	if string(out) != `"12"` {
		t.Errorf("encodes as %s", out)
	}
	n, _ := json.Marshal(FlexInt64(12))
	if string(n) != `12` {
		t.Errorf("encodes as %s", n)
	}
}

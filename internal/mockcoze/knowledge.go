package mockcoze

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Knowledge bases (datasets) and their documents, as the docs in coze-docs/ describe them:
//
//	POST   /v1/datasets                          create (text 0 or image 2; not table 1)
//	PUT    /v1/datasets/{dataset_id}             set name, icon and description (all three)
//	DELETE /v1/datasets/{dataset_id}             delete with its documents
//	GET    /v1/datasets?space_id=...             list, with a fuzzy name filter, format_type, paging
//	POST   /open_api/knowledge/document/create   add 1 to 10 documents
//	POST   /open_api/knowledge/document/update   rename, change a web page's update rule
//	POST   /open_api/knowledge/document/delete   delete 1 to 100 documents
//	POST   /open_api/knowledge/document/list     list a base's documents, paged
//	POST   /v1/datasets/{dataset_id}/process     processing progress
//
// The document endpoints require the header Agw-Js-Conv: str and answer with their payload
// next to code and msg. With that header, 64-bit fields (max_tokens, the progress's size and
// remaining_time) are sent as strings, as the gateway does; all_file_size is a string in
// the list, as in the doc's example. Ids are accepted as strings (the docs) or numbers
// (coze-go). A document is processed asynchronously: it answers status 0 to a configurable
// number of progress polls, then 1 (done) or 9 (failed, with status_descript), or stays at 0.

// First ids handed out (then incremented).
const (
	firstDatasetID  = 7700000000000000000
	firstDocumentID = 7800000000000000000
)

// DefaultDocumentPolls is how many progress polls answer "processing" (status 0) before a
// new document is done, until SetDocumentProcessing says otherwise.
const DefaultDocumentPolls = 2

// Paging of the list endpoints: the documented defaults and dataset maximum; the document
// maximum is the mock's choice (the doc states none).
const (
	defaultDatasetPageSize  = 10
	maxDatasetPageSize      = 300
	defaultDocumentPageSize = 10
	maxDocumentPageSize     = 100
	maxDocumentsPerCreate   = 10
	maxDocumentsPerDelete   = 100
)

// Document statuses and sources of the docs.
const (
	docProcessing = 0
	docDone       = 1
	docFailed     = 9
	sourceLocal   = 0
	sourceWeb     = 1
	sourceFileID  = 5
)

var localFileTypes = []string{"pdf", "txt", "doc", "docx"}

// DocumentProcessing is how the mock processes a new document.
type DocumentProcessing struct {
	// Polls is how many progress polls answer status 0 (processing) before the outcome;
	// 0 answers the outcome at the first poll. The create answer always says 0.
	Polls int
	// Never keeps the document processing forever (a processing timeout).
	Never bool
	// FailReason, when not empty, ends processing in status 9 with this status_descript.
	FailReason string
}

// knowledgeStore is the mock's knowledge bases and documents; Server.mu guards it.
type knowledgeStore struct {
	datasets       map[string]*kbDataset
	documents      map[string]*kbDocument
	nextDatasetID  uint64
	nextDocumentID uint64
	processing     *DocumentProcessing // nil: DefaultDocumentPolls, then done
	processingFor  map[string]DocumentProcessing
}

type kbDataset struct {
	id, space, name, description, iconFileID string
	formatType                               int
	status                                   int // 1 enabled, 3 disabled
	createTime, updateTime                   int64
	chunkStrategy                            map[string]any // of the first upload
	docs                                     []string       // document ids, in creation order
}

type kbDocument struct {
	id, dataset, name                 string
	fileType, webURL, sourceFile      string
	caption, contentSHA256            string
	sourceType, formatType            int
	status                            int
	statusDescript                    string
	updateType, updateInterval        int
	size, charCount, sliceCount       int64
	pendingChars, pendingSlices       int64 // what processing will find
	chunkStrategy                     map[string]any
	createTime, updateTime            int64
	pollsLeft, pollsTotal, pollsTaken int
	never                             bool
	failReason                        string
}

// init makes the maps on first use. The caller holds s.mu.
func (k *knowledgeStore) init() {
	if k.datasets == nil {
		k.datasets = map[string]*kbDataset{}
		k.documents = map[string]*kbDocument{}
		k.processingFor = map[string]DocumentProcessing{}
		k.nextDatasetID = firstDatasetID
		k.nextDocumentID = firstDocumentID
	}
}

// SetDocumentProcessing sets how documents created from now on are processed.
func (s *Server) SetDocumentProcessing(p DocumentProcessing) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.knowledge.init()
	s.knowledge.processing = &p
}

// SetDocumentProcessingFor sets how documents named name, created from now on, are
// processed, whatever SetDocumentProcessing says.
func (s *Server) SetDocumentProcessingFor(name string, p DocumentProcessing) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.knowledge.init()
	s.knowledge.processingFor[name] = p
}

// KnowledgeBase is a knowledge base as the mock stores it, for tests.
type KnowledgeBase struct {
	ID, SpaceID, Name, Description, IconFileID string
	FormatType                                 int // 0 text, 2 image
	Status                                     int // 1 enabled, 3 disabled
	CreateTime, UpdateTime                     int64
	DocumentIDs                                []string // in creation order
}

// KnowledgeDocument is a document as the mock stores it, for tests.
type KnowledgeDocument struct {
	ID, DatasetID, Name string
	// SourceType is 0 (local file, base64), 1 (web page) or 5 (uploaded image file).
	SourceType int
	// FileType is the local file's type; WebURL the page; SourceFileID the image's file id.
	FileType, WebURL, SourceFileID, Caption string
	// ContentSHA256 is the hex SHA-256 of a local file's decoded content.
	ContentSHA256 string
	// Status is 0 processing, 1 done, 9 failed (with StatusDescript).
	Status         int
	StatusDescript string
	// UpdateType 1 updates a web page every UpdateInterval hours.
	UpdateType, UpdateInterval  int
	Size, CharCount, SliceCount int64
	ChunkStrategy               map[string]any
}

// AddKnowledgeBase seeds a knowledge base (formatType 0 text, 2 image) and returns its id.
func (s *Server) AddKnowledgeBase(spaceID, name string, formatType int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.knowledge.init()
	now := time.Now().Unix()
	d := &kbDataset{id: s.newDatasetID(), space: spaceID, name: name, formatType: formatType, status: 1,
		createTime: now, updateTime: now}
	s.knowledge.datasets[d.id] = d
	return d.id
}

// KnowledgeBaseByID returns a stored knowledge base.
func (s *Server) KnowledgeBaseByID(id string) (KnowledgeBase, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.knowledge.init()
	d, found := s.knowledge.datasets[id]
	if !found {
		return KnowledgeBase{}, false
	}
	return d.export(), true
}

// KnowledgeBases returns every stored knowledge base, oldest first.
func (s *Server) KnowledgeBases() []KnowledgeBase {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.knowledge.init()
	var out []KnowledgeBase
	for _, d := range s.knowledge.datasets {
		out = append(out, d.export())
	}
	slices.SortFunc(out, func(a, b KnowledgeBase) int { return compareIDs(a.ID, b.ID) })
	return out
}

// KnowledgeDocumentByID returns a stored document.
func (s *Server) KnowledgeDocumentByID(id string) (KnowledgeDocument, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.knowledge.init()
	d, found := s.knowledge.documents[id]
	if !found {
		return KnowledgeDocument{}, false
	}
	return d.export(), true
}

// KnowledgeDocuments returns the documents of a knowledge base, in creation order.
func (s *Server) KnowledgeDocuments(datasetID string) []KnowledgeDocument {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.knowledge.init()
	d, found := s.knowledge.datasets[datasetID]
	if !found {
		return nil
	}
	out := make([]KnowledgeDocument, 0, len(d.docs))
	for _, id := range d.docs {
		out = append(out, s.knowledge.documents[id].export())
	}
	return out
}

// DeleteKnowledgeBase deletes a knowledge base and its documents out of band, as a user
// in the Coze UI would. It reports whether the base existed.
func (s *Server) DeleteKnowledgeBase(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.knowledge.init()
	return s.deleteDataset(id)
}

// DeleteKnowledgeDocument deletes a document out of band. It reports whether it existed.
func (s *Server) DeleteKnowledgeDocument(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.knowledge.init()
	_, found := s.knowledge.documents[id]
	s.deleteDocuments([]string{id})
	return found
}

// EditKnowledgeBase changes a knowledge base out of band: edit may change Name,
// Description, IconFileID and Status; other fields are ignored. It reports whether the
// base exists. edit runs under the server's lock and must not call the Server.
func (s *Server) EditKnowledgeBase(id string, edit func(*KnowledgeBase)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.knowledge.init()
	d, found := s.knowledge.datasets[id]
	if !found {
		return false
	}
	kb := d.export()
	edit(&kb)
	d.name, d.description, d.iconFileID, d.status = kb.Name, kb.Description, kb.IconFileID, kb.Status
	d.updateTime = time.Now().Unix()
	return true
}

// EditKnowledgeDocument changes a document out of band: edit may change Name, Status,
// StatusDescript, UpdateType and UpdateInterval; other fields are ignored. It reports
// whether the document exists. edit runs under the server's lock.
func (s *Server) EditKnowledgeDocument(id string, edit func(*KnowledgeDocument)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.knowledge.init()
	d, found := s.knowledge.documents[id]
	if !found {
		return false
	}
	doc := d.export()
	edit(&doc)
	d.name, d.status, d.statusDescript = doc.Name, doc.Status, doc.StatusDescript
	d.updateType, d.updateInterval = doc.UpdateType, doc.UpdateInterval
	d.updateTime = time.Now().Unix()
	return true
}

func (d *kbDataset) export() KnowledgeBase {
	return KnowledgeBase{
		ID: d.id, SpaceID: d.space, Name: d.name, Description: d.description, IconFileID: d.iconFileID,
		FormatType: d.formatType, Status: d.status, CreateTime: d.createTime, UpdateTime: d.updateTime,
		DocumentIDs: slices.Clone(d.docs),
	}
}

func (d *kbDocument) export() KnowledgeDocument {
	return KnowledgeDocument{
		ID: d.id, DatasetID: d.dataset, Name: d.name, SourceType: d.sourceType, FileType: d.fileType,
		WebURL: d.webURL, SourceFileID: d.sourceFile, Caption: d.caption, ContentSHA256: d.contentSHA256,
		Status: d.status, StatusDescript: d.statusDescript, UpdateType: d.updateType, UpdateInterval: d.updateInterval,
		Size: d.size, CharCount: d.charCount, SliceCount: d.sliceCount, ChunkStrategy: deepCopyMap(d.chunkStrategy),
	}
}

// ---- routing ----

const (
	datasetsPath  = "/v1/datasets"
	documentsPath = "/open_api/knowledge/document/"
)

func isKnowledgePath(path string) bool {
	return path == datasetsPath || strings.HasPrefix(path, datasetsPath+"/") || strings.HasPrefix(path, documentsPath)
}

// knowledgeRoute returns the method a knowledge path takes and its handler. For a path
// with two methods, the request's method when it is one of them; for an unknown path
// under the knowledge prefixes, a 404 handler.
func (s *Server) knowledgeRoute(r *http.Request, body []byte) (string, func() reply) {
	path := r.URL.Path
	either := func(a, b string) string {
		if r.Method == a || r.Method == b {
			return r.Method
		}
		return a + ", " + b
	}
	notFoundPath := func() reply { return fail(http.StatusNotFound, codePathNotFound, "path not found") }
	if path == datasetsPath {
		method := either(http.MethodGet, http.MethodPost)
		if method == http.MethodPost {
			return method, func() reply { return s.handleCreateDataset(body) }
		}
		return method, func() reply { return s.handleListDatasets(r.URL.Query()) }
	}
	if rest, isDataset := strings.CutPrefix(path, datasetsPath+"/"); isDataset {
		id, sub, hasSub := strings.Cut(rest, "/")
		switch {
		case id == "":
			return r.Method, notFoundPath
		case !hasSub:
			method := either(http.MethodPut, http.MethodDelete)
			if method == http.MethodDelete {
				return method, func() reply { return s.handleDeleteDataset(id) }
			}
			return method, func() reply { return s.handleUpdateDataset(id, body) }
		case sub == "process":
			return http.MethodPost, func() reply { return s.handleDocumentProgress(id, r.Header, body) }
		}
		return r.Method, notFoundPath
	}
	action := strings.TrimPrefix(path, documentsPath)
	handlers := map[string]func(map[string]any) reply{
		"create": s.handleCreateDocuments,
		"update": s.handleUpdateDocument,
		"delete": s.handleDeleteDocuments,
		"list":   s.handleListDocuments,
	}
	handle, known := handlers[action]
	if !known {
		return r.Method, notFoundPath
	}
	return http.MethodPost, func() reply {
		if r.Header.Get("Agw-Js-Conv") != "str" {
			return invalidf("header Agw-Js-Conv: str is required on %s", path)
		}
		in, err := decodeObject(body)
		if err != nil {
			return fail(http.StatusOK, codeInvalidParam, "invalid request body: "+err.Error())
		}
		return handle(in)
	}
}

// withEnvelope puts code, msg and detail next to an endpoint's payload.
func withEnvelope(payload map[string]any, code int, msg string, d detail) map[string]any {
	out := make(map[string]any, len(payload)+3)
	for k, v := range payload {
		out[k] = v
	}
	out["code"], out["msg"], out["detail"] = code, msg, d
	return out
}

func okBeside(payload map[string]any) reply {
	return reply{status: http.StatusOK, code: codeOK, besideCode: payload}
}

func datasetNotFound(id string) reply {
	return fail(http.StatusOK, codeNotFound, fmt.Sprintf("knowledge base %s does not exist or you have no permission", id))
}

// ---- knowledge bases ----

var createDatasetSchema = object(
	f("name", required(str(runeLen(1, 100)))),
	f("space_id", required(id())),
	f("format_type", required(integer(formatTypeCheck))),
	f("description", str(nil)),
	f("file_id", id()),
)

var updateDatasetSchema = object(
	f("name", required(str(runeLen(1, 100)))),
	f("file_id", id()),
	f("description", str(nil)),
)

func formatTypeCheck(path string, v any) error {
	if n, _ := intOf(v); n == 1 {
		return fmt.Errorf("%s 1 (table) cannot be created through the API; use 0 (text) or 2 (image)", path)
	}
	return intOneOf(0, 2)(path, v)
}

func (s *Server) handleCreateDataset(body []byte) reply {
	m, bad, valid := s.decodeValid(body, createDatasetSchema)
	if !valid {
		return bad
	}
	formatType, _ := intOf(m["format_type"])
	now := time.Now().Unix()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.knowledge.init()
	d := &kbDataset{
		id: s.newDatasetID(), space: strAt(m, "space_id"), name: strAt(m, "name"),
		description: strAt(m, "description"), iconFileID: strAt(m, "file_id"),
		formatType: int(formatType), status: 1, createTime: now, updateTime: now,
	}
	s.knowledge.datasets[d.id] = d
	return ok(map[string]any{"dataset_id": d.id})
}

// handleUpdateDataset sets name, icon and description: what is not sent returns to its
// default (no description, the default icon), as the doc says.
func (s *Server) handleUpdateDataset(id string, body []byte) reply {
	if !isDigits(id) {
		return invalidf("dataset_id must be a string of decimal digits, got %q", id)
	}
	m, bad, valid := s.decodeValid(body, updateDatasetSchema)
	if !valid {
		return bad
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.knowledge.init()
	d, found := s.knowledge.datasets[id]
	if !found {
		return datasetNotFound(id)
	}
	d.name, d.description, d.iconFileID = strAt(m, "name"), strAt(m, "description"), strAt(m, "file_id")
	d.updateTime = time.Now().Unix()
	return ok(nil)
}

func (s *Server) handleDeleteDataset(id string) reply {
	if !isDigits(id) {
		return invalidf("dataset_id must be a string of decimal digits, got %q", id)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.knowledge.init()
	if !s.deleteDataset(id) {
		return datasetNotFound(id)
	}
	return ok(nil)
}

// deleteDataset removes a base and its documents. The caller holds s.mu.
func (s *Server) deleteDataset(id string) bool {
	d, found := s.knowledge.datasets[id]
	if !found {
		return false
	}
	for _, doc := range d.docs {
		delete(s.knowledge.documents, doc)
	}
	delete(s.knowledge.datasets, id)
	s.unbindDataset(id)
	return true
}

// unbindDataset removes a deleted base from the bots bound to it, as the doc of the
// delete API says the real one does. The caller holds s.mu.
func (s *Server) unbindDataset(id string) {
	unbind := func(cfg map[string]any) bool {
		kn := mapAt(cfg, "knowledge")
		ids := sliceAt(kn, "dataset_ids")
		if !slices.Contains(ids, any(id)) {
			return false
		}
		kn["dataset_ids"] = slices.DeleteFunc(slices.Clone(ids), func(v any) bool { return v == id })
		return true
	}
	for _, b := range s.bots {
		if unbind(b.draft) {
			b.updateTime = time.Now().Unix()
			b.draftRev++
		}
		unbind(b.published)
	}
}

// handleListDatasets serves GET /v1/datasets: the bases of space_id whose name contains
// name (case-insensitive), of format_type when given (an empty value, as in the doc's
// example, is no filter), newest first.
func (s *Server) handleListDatasets(q url.Values) reply {
	spaceID := q.Get("space_id")
	if spaceID == "" {
		return invalidf("space_id is required")
	}
	if !isDigits(spaceID) {
		return invalidf("space_id must be a string of decimal digits, got %q", spaceID)
	}
	formatType := -1
	if v := q.Get("format_type"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 2 {
			return invalidf("format_type must be 0 (text), 1 (table) or 2 (image), got %q", v)
		}
		formatType = n
	}
	pageNum, pageSize, err := pageParams(q, defaultDatasetPageSize, maxDatasetPageSize, false)
	if err != nil {
		return invalidf("%s", err.Error())
	}
	name := strings.ToLower(q.Get("name"))

	s.mu.Lock()
	defer s.mu.Unlock()
	s.knowledge.init()
	var matched []*kbDataset
	for _, d := range s.knowledge.datasets {
		if d.space != spaceID || (formatType >= 0 && d.formatType != formatType) ||
			!strings.Contains(strings.ToLower(d.name), name) {
			continue
		}
		matched = append(matched, d)
	}
	slices.SortFunc(matched, func(a, b *kbDataset) int { return -compareIDs(a.id, b.id) })
	items := []any{}
	if from := (pageNum - 1) * pageSize; pageNum <= len(matched) && from < len(matched) {
		for _, d := range matched[from:min(from+pageSize, len(matched))] {
			items = append(items, s.datasetEntry(d))
		}
	}
	return ok(map[string]any{"total_count": len(matched), "dataset_list": items})
}

// datasetEntry renders a base in the Dataset shape of the list. The caller holds s.mu.
func (s *Server) datasetEntry(d *kbDataset) map[string]any {
	var docCount, sliceCount, size int64
	files, failed, processing, processingIDs := []any{}, []any{}, []any{}, []any{}
	for _, id := range d.docs {
		doc := s.knowledge.documents[id]
		docCount++
		sliceCount += doc.sliceCount
		size += doc.size
		switch doc.status {
		case docProcessing:
			processing = append(processing, doc.name)
			processingIDs = append(processingIDs, doc.id)
		case docFailed:
			failed = append(failed, doc.name)
		default:
			files = append(files, doc.name)
		}
	}
	icon := d.iconFileID
	if icon == "" {
		icon = "default"
	}
	chunk := map[string]any{}
	if d.chunkStrategy != nil {
		chunk = deepCopyMap(d.chunkStrategy)
	}
	return map[string]any{
		"dataset_id":              d.id,
		"name":                    d.name,
		"description":             d.description,
		"space_id":                d.space,
		"status":                  d.status,
		"format_type":             d.formatType,
		"can_edit":                true,
		"icon_uri":                "FileBizType.BIZ_DATASET_ICON/" + icon + ".png",
		"icon_url":                s.signedURL("dataset_icon", icon),
		"doc_count":               docCount,
		"slice_count":             sliceCount,
		"hit_count":               0,
		"bot_used_count":          0,
		"all_file_size":           strconv.FormatInt(size, 10), // a string, as in the doc's example
		"create_time":             d.createTime,
		"update_time":             d.updateTime,
		"creator_id":              mockOwnerID,
		"creator_name":            "mock user",
		"avatar_url":              "https://lf-coze-mock.example/avatar.png",
		"project_id":              "",
		"chunk_strategy":          chunk,
		"file_list":               files,
		"failed_file_list":        failed,
		"processing_file_list":    processing,
		"processing_file_id_list": processingIDs,
	}
}

// newDatasetID returns an unused dataset id. The caller holds s.mu.
func (s *Server) newDatasetID() string {
	for {
		id := strconv.FormatUint(s.knowledge.nextDatasetID, 10)
		s.knowledge.nextDatasetID++
		if _, taken := s.knowledge.datasets[id]; !taken {
			return id
		}
	}
}

// newDocumentID returns an unused document id. The caller holds s.mu.
func (s *Server) newDocumentID() string {
	for {
		id := strconv.FormatUint(s.knowledge.nextDocumentID, 10)
		s.knowledge.nextDocumentID++
		if _, taken := s.knowledge.documents[id]; !taken {
			return id
		}
	}
}

// ---- documents ----

var chunkStrategySchema = object(
	f("chunk_type", integer(intOneOf(0, 1))),
	f("separator", str(nil)),
	f("max_tokens", integer(nil)),
	f("remove_extra_spaces", boolean()),
	f("remove_urls_emails", boolean()),
	f("caption_type", integer(intOneOf(0, 1))),
)

var updateRuleSchema = object(
	f("update_type", integer(intOneOf(0, 1))),
	f("update_interval", integer(nil)),
)

var createDocumentsSchema = object(
	f("dataset_id", required(id())),
	f("document_bases", required(array(object(
		f("name", required(str(nonEmpty))),
		f("source_info", required(object(
			f("file_base64", str(nil)),
			f("file_type", str(nil)),
			f("web_url", str(nil)),
			f("document_source", integer(intOneOf(sourceLocal, sourceWeb, sourceFileID))),
			f("source_file_id", id()),
		))),
		f("update_rule", updateRuleSchema),
		f("caption", str(nil)),
	), itemCount(1, maxDocumentsPerCreate)))),
	// Required by the docs and the spec; coze-go leaves it out after a base's first upload
	// (its comment: the first upload's strategy stays), so it may be absent.
	f("chunk_strategy", chunkStrategySchema),
	// Required by the docs' table and the spec, absent from two of the docs' examples: it
	// defaults to the base's, and must match it when sent.
	f("format_type", integer(intOneOf(0, 1, 2))),
)

var updateDocumentSchema = object(
	f("document_id", required(id())),
	f("document_name", str(nonEmpty)),
	f("update_rule", updateRuleSchema),
)

var deleteDocumentsSchema = object(
	f("document_ids", required(array(id(), itemCount(1, maxDocumentsPerDelete)))),
)

var listDocumentsSchema = object(
	f("dataset_id", required(id())),
	f("page", integer(nil)),
	f("size", integer(nil)),
)

var progressSchema = object(
	f("document_ids", required(array(id(), minItems(1)))),
)

// decodeValid decodes a JSON request body and validates it against schema: the
// cleaned body, or false and the 4000 answer that says what is wrong.
func (s *Server) decodeValid(body []byte, schema *node) (map[string]any, reply, bool) {
	in, err := decodeObject(body)
	if err != nil {
		return nil, fail(http.StatusOK, codeInvalidParam, "invalid request body: "+err.Error()), false
	}
	clean, err := walkObject(schema, in, s.strict)
	if err != nil {
		return nil, invalidf("%s", err.Error()), false
	}
	return clean, reply{}, true
}

// walkObject validates a request body against its schema and returns the cleaned copy.
func walkObject(schema *node, in map[string]any, strict bool) (map[string]any, error) {
	clean, err := walk("", schema, in, strict)
	if err != nil {
		return nil, err
	}
	m, isMap := clean.(map[string]any)
	if !isMap {
		return nil, typeError("body", "an object", clean)
	}
	return m, nil
}

func itemCount(lo, hi int) func(string, any) error {
	return func(path string, v any) error {
		if err := minItems(lo)(path, v); err != nil {
			return err
		}
		return maxItems(hi)(path, v)
	}
}

// idsAsStrings turns ids sent as JSON numbers (as coze-go does) into strings, in place,
// at these keys of m (top level or one level down an array of objects, "a[].b.c").
func idsAsStrings(m map[string]any, paths ...string) {
	for _, p := range paths {
		if arr, rest, hasArr := strings.Cut(p, "[]."); hasArr {
			for _, item := range sliceAt(m, arr) {
				if sub, isMap := item.(map[string]any); isMap {
					idsAsStrings(sub, rest)
				}
			}
			continue
		}
		if key, rest, nested := strings.Cut(p, "."); nested {
			if sub := mapAt(m, key); sub != nil {
				idsAsStrings(sub, rest)
			}
			continue
		}
		switch v := m[p].(type) {
		case json.Number:
			m[p] = v.String()
		case []any:
			for i, e := range v {
				if n, isNum := e.(json.Number); isNum {
					v[i] = n.String()
				}
			}
		}
	}
}

func intOf(v any) (int64, bool) {
	n, isNum := v.(json.Number)
	if !isNum {
		return 0, false
	}
	i, err := n.Int64()
	return i, err == nil
}

// handleCreateDocuments serves POST /open_api/knowledge/document/create.
func (s *Server) handleCreateDocuments(in map[string]any) reply {
	idsAsStrings(in, "dataset_id", "document_bases[].source_info.source_file_id")
	m, verr := walkObject(createDocumentsSchema, in, s.strict)
	if verr != nil {
		return invalidf("%s", verr.Error())
	}
	datasetID := strAt(m, "dataset_id")
	strategy := mapAt(m, "chunk_strategy")

	s.mu.Lock()
	defer s.mu.Unlock()
	s.knowledge.init()
	d, found := s.knowledge.datasets[datasetID]
	if !found {
		return datasetNotFound(datasetID)
	}
	if ft, sent := intOf(m["format_type"]); sent && int(ft) != d.formatType {
		return invalidf("format_type %d does not match knowledge base %s, whose format_type is %d", ft, datasetID, d.formatType)
	}
	if err := checkChunkStrategy(strategy, d); err != nil {
		return invalidf("%s", err.Error())
	}
	bases := sliceAt(m, "document_bases")
	docs := make([]*kbDocument, 0, len(bases))
	kind := -1
	for i, item := range bases {
		b, _ := item.(map[string]any) // walked: an object
		doc, err := s.newDocument(fmt.Sprintf("document_bases[%d]", i), b, d, firstMap(strategy, d.chunkStrategy))
		if err != nil {
			return invalidf("%s", err.Error())
		}
		if kind >= 0 && doc.sourceType != kind {
			return invalidf("document_bases mix upload methods; each request takes one kind (base64 files, web pages or file ids)")
		}
		kind = doc.sourceType
		docs = append(docs, doc)
	}
	if d.chunkStrategy == nil {
		d.chunkStrategy = strategy
		if d.chunkStrategy == nil {
			d.chunkStrategy = map[string]any{"chunk_type": json.Number("0")}
		}
	}
	if strategy == nil {
		strategy = d.chunkStrategy
	}
	now := time.Now().Unix()
	infos := make([]any, 0, len(docs))
	for _, doc := range docs {
		doc.id = s.newDocumentID()
		doc.chunkStrategy = deepCopyMap(strategy)
		doc.createTime, doc.updateTime = now, now
		s.knowledge.documents[doc.id] = doc
		d.docs = append(d.docs, doc.id)
		p := s.processingOf(doc.name)
		doc.pollsLeft, doc.pollsTotal, doc.never, doc.failReason = max(0, p.Polls), max(0, p.Polls), p.Never, p.FailReason
		infos = append(infos, documentInfo(doc))
	}
	d.updateTime = now
	return okBeside(map[string]any{"document_infos": infos})
}

// processingOf is how a new document named name is processed. The caller holds s.mu.
func (s *Server) processingOf(name string) DocumentProcessing {
	if p, set := s.knowledge.processingFor[name]; set {
		return p
	}
	if s.knowledge.processing != nil {
		return *s.knowledge.processing
	}
	return DocumentProcessing{Polls: DefaultDocumentPolls}
}

// checkChunkStrategy applies the doc's rules: custom (1) needs separator and max_tokens
// 100 to 2000; the first image of an empty image base needs caption_type.
func checkChunkStrategy(cs map[string]any, d *kbDataset) error {
	if cs == nil {
		if d.formatType == 2 && d.chunkStrategy == nil {
			return fmt.Errorf("chunk_strategy.caption_type is required for the first upload to an empty image knowledge base")
		}
		return nil
	}
	if t, _ := intOf(cs["chunk_type"]); t == 1 {
		if sep, _ := cs["separator"].(string); sep == "" {
			return fmt.Errorf("chunk_strategy.separator is required when chunk_type is 1")
		}
		tokens, present := intOf(cs["max_tokens"])
		if !present {
			return fmt.Errorf("chunk_strategy.max_tokens is required when chunk_type is 1")
		}
		if tokens < 100 || tokens > 2000 {
			return fmt.Errorf("chunk_strategy.max_tokens must be between 100 and 2000, got %d", tokens)
		}
	}
	if _, present := cs["caption_type"]; !present && d.formatType == 2 && d.chunkStrategy == nil {
		return fmt.Errorf("chunk_strategy.caption_type is required for the first upload to an empty image knowledge base")
	}
	return nil
}

// newDocument checks one document base against its knowledge base and builds the
// document (without id). The caller holds s.mu.
func (s *Server) newDocument(path string, b map[string]any, d *kbDataset, strategy map[string]any) (*kbDocument, error) {
	src := mapAt(b, "source_info")
	doc := &kbDocument{dataset: d.id, name: strAt(b, "name"), formatType: d.formatType, status: docProcessing,
		caption: strAt(b, "caption")}
	source, hasSource := intOf(src["document_source"])
	b64, web, fileID := strAt(src, "file_base64"), strAt(src, "web_url"), strAt(src, "source_file_id")
	set := 0
	for _, v := range []string{b64, web, fileID} {
		if v != "" {
			set++
		}
	}
	if set != 1 {
		return nil, fmt.Errorf("%s.source_info needs exactly one of file_base64, web_url and source_file_id, got %d", path, set)
	}
	rule := mapAt(b, "update_rule")
	switch {
	case b64 != "":
		if hasSource && source != sourceLocal {
			return nil, fmt.Errorf("%s.source_info.document_source must be 0 (or absent) with file_base64, got %d", path, source)
		}
		if d.formatType != 0 {
			return nil, fmt.Errorf("%s: base64 files go to text knowledge bases; knowledge base %s is of format_type %d", path, d.id, d.formatType)
		}
		fileType := strings.ToLower(strAt(src, "file_type"))
		if !slices.Contains(localFileTypes, fileType) {
			return nil, fmt.Errorf("%s.source_info.file_type must be one of %s, got %q", path, strings.Join(localFileTypes, ", "), strAt(src, "file_type"))
		}
		content, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			return nil, fmt.Errorf("%s.source_info.file_base64 is not valid base64: %w", path, err)
		}
		if len(content) == 0 {
			return nil, fmt.Errorf("%s.source_info.file_base64 is empty", path)
		}
		doc.sourceType, doc.fileType, doc.size = sourceLocal, fileType, int64(len(content))
		doc.contentSHA256 = sha256Hex(content)
		doc.pendingChars, doc.pendingSlices = textCounts(content, fileType, strategy)
	case web != "":
		if !hasSource || source != sourceWeb {
			return nil, fmt.Errorf("%s.source_info.document_source must be 1 with web_url", path)
		}
		if d.formatType != 0 {
			return nil, fmt.Errorf("%s: web pages go to text knowledge bases; knowledge base %s is of format_type %d", path, d.id, d.formatType)
		}
		doc.sourceType, doc.webURL, doc.size = sourceWeb, web, 4096
		doc.pendingChars, doc.pendingSlices = 1200, 3
	default:
		if !hasSource || source != sourceFileID {
			return nil, fmt.Errorf("%s.source_info.document_source must be 5 with source_file_id", path)
		}
		if d.formatType != 2 {
			return nil, fmt.Errorf("%s: uploaded files (source_file_id) go to image knowledge bases; knowledge base %s is of format_type %d", path, d.id, d.formatType)
		}
		file, uploaded := s.files[fileID]
		if !uploaded {
			return nil, fmt.Errorf("%s.source_info.source_file_id %s is not a file uploaded with /v1/files/upload", path, fileID)
		}
		doc.sourceType, doc.sourceFile, doc.size = sourceFileID, fileID, file.bytes
		doc.fileType = strings.TrimPrefix(strings.ToLower(fileExt(file.name)), ".")
		doc.pendingChars, doc.pendingSlices = 0, 1
	}
	if doc.caption != "" && d.formatType != 2 {
		return nil, fmt.Errorf("%s.caption applies to image knowledge bases only", path)
	}
	if rule != nil {
		if doc.sourceType != sourceWeb {
			return nil, fmt.Errorf("%s.update_rule applies to web pages only", path)
		}
		t, interval, err := checkUpdateRule(path+".update_rule", rule)
		if err != nil {
			return nil, err
		}
		doc.updateType, doc.updateInterval = t, interval
	}
	return doc, nil
}

func checkUpdateRule(path string, rule map[string]any) (updateType, interval int, err error) {
	t, _ := intOf(rule["update_type"])
	n, hasInterval := intOf(rule["update_interval"])
	if t == 1 {
		if !hasInterval || n < 24 {
			return 0, 0, fmt.Errorf("%s.update_interval must be at least 24 (hours) when update_type is 1, got %d", path, n)
		}
		return 1, int(n), nil
	}
	return 0, 0, nil
}

func fileExt(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i:]
	}
	return ""
}

// textCounts estimates what processing finds: characters, and slices of at most
// max_tokens characters between separators (about 800 characters each when automatic).
func textCounts(content []byte, fileType string, cs map[string]any) (chars, slices int64) {
	text := string(content)
	if fileType != "txt" || !utf8.ValidString(text) {
		return int64(len(content) / 2), max(1, int64(len(content))/1600)
	}
	chars = int64(utf8.RuneCountInString(text))
	sep, limit := "", int64(800)
	if t, _ := intOf(cs["chunk_type"]); t == 1 {
		sep, _ = cs["separator"].(string)
		limit, _ = intOf(cs["max_tokens"])
	}
	parts := []string{text}
	if sep != "" {
		parts = strings.Split(text, sep)
	}
	for _, p := range parts {
		if n := int64(utf8.RuneCountInString(strings.TrimSpace(p))); n > 0 {
			slices += (n + limit - 1) / limit
		}
	}
	return chars, max(1, slices)
}

// documentInfo renders a document in the DocumentInfo shape. max_tokens, a 64-bit field,
// is a string: the document endpoints are called with Agw-Js-Conv: str.
func documentInfo(d *kbDocument) map[string]any {
	chunk := deepCopyMap(d.chunkStrategy)
	if v, present := chunk["max_tokens"]; present {
		chunk["max_tokens"] = fmt.Sprint(v)
	}
	return map[string]any{
		"document_id":     d.id,
		"name":            d.name,
		"type":            d.fileType,
		"status":          d.status,
		"size":            d.size,
		"char_count":      d.charCount,
		"slice_count":     d.sliceCount,
		"hit_count":       0,
		"format_type":     d.formatType,
		"source_type":     d.sourceType,
		"update_type":     d.updateType,
		"update_interval": d.updateInterval,
		"create_time":     d.createTime,
		"update_time":     d.updateTime,
		"tos_uri":         "FileBizType.BIZ_BOT_DATASET/" + d.id + "." + d.fileType,
		"chunk_strategy":  chunk,
	}
}

// handleUpdateDocument serves POST /open_api/knowledge/document/update.
func (s *Server) handleUpdateDocument(in map[string]any) reply {
	idsAsStrings(in, "document_id")
	m, verr := walkObject(updateDocumentSchema, in, s.strict)
	if verr != nil {
		return invalidf("%s", verr.Error())
	}
	docID := strAt(m, "document_id")
	s.mu.Lock()
	defer s.mu.Unlock()
	s.knowledge.init()
	doc, found := s.knowledge.documents[docID]
	if !found {
		return fail(http.StatusOK, codeNotFound, fmt.Sprintf("document %s does not exist or you have no permission", docID))
	}
	if rule := mapAt(m, "update_rule"); rule != nil {
		if doc.sourceType != sourceWeb {
			return invalidf("update_rule applies to web pages only; document %s is not one", docID)
		}
		t, interval, err := checkUpdateRule("update_rule", rule)
		if err != nil {
			return invalidf("%s", err.Error())
		}
		doc.updateType, doc.updateInterval = t, interval
	}
	if name := strAt(m, "document_name"); name != "" {
		doc.name = name
	}
	doc.updateTime = time.Now().Unix()
	return okBeside(map[string]any{})
}

// handleDeleteDocuments serves POST /open_api/knowledge/document/delete: all or nothing,
// an unknown id fails the call.
func (s *Server) handleDeleteDocuments(in map[string]any) reply {
	idsAsStrings(in, "document_ids")
	m, verr := walkObject(deleteDocumentsSchema, in, s.strict)
	if verr != nil {
		return invalidf("%s", verr.Error())
	}
	ids := stringsAt(m, "document_ids")
	s.mu.Lock()
	defer s.mu.Unlock()
	s.knowledge.init()
	for _, id := range ids {
		if _, found := s.knowledge.documents[id]; !found {
			return fail(http.StatusOK, codeNotFound, fmt.Sprintf("document %s does not exist or you have no permission", id))
		}
	}
	s.deleteDocuments(ids)
	return okBeside(map[string]any{})
}

// deleteDocuments removes documents from their bases. The caller holds s.mu.
func (s *Server) deleteDocuments(ids []string) {
	now := time.Now().Unix()
	for _, id := range ids {
		doc, found := s.knowledge.documents[id]
		if !found {
			continue
		}
		delete(s.knowledge.documents, id)
		if d := s.knowledge.datasets[doc.dataset]; d != nil {
			d.docs = slices.DeleteFunc(d.docs, func(x string) bool { return x == id })
			d.updateTime = now
		}
	}
}

// handleListDocuments serves POST /open_api/knowledge/document/list. page 0 (the doc's
// example) is the first page, like 1; size defaults to 10 and is capped at 100.
func (s *Server) handleListDocuments(in map[string]any) reply {
	idsAsStrings(in, "dataset_id")
	m, verr := walkObject(listDocumentsSchema, in, s.strict)
	if verr != nil {
		return invalidf("%s", verr.Error())
	}
	page, _ := intOf(m["page"])
	size, sizeSent := intOf(m["size"])
	switch {
	case page < 0:
		return invalidf("page must be 1 or more, got %d", page)
	case sizeSent && size < 0:
		return invalidf("size must be 1 or more, got %d", size)
	}
	page = max(page, 1)
	if size == 0 {
		size = defaultDocumentPageSize
	}
	size = min(size, maxDocumentPageSize)
	datasetID := strAt(m, "dataset_id")
	s.mu.Lock()
	defer s.mu.Unlock()
	s.knowledge.init()
	d, found := s.knowledge.datasets[datasetID]
	if !found {
		return datasetNotFound(datasetID)
	}
	items := []any{}
	if page <= int64(len(d.docs)) {
		if from := (page - 1) * size; from < int64(len(d.docs)) {
			for _, id := range d.docs[from:min(from+size, int64(len(d.docs)))] {
				items = append(items, documentInfo(s.knowledge.documents[id]))
			}
		}
	}
	return okBeside(map[string]any{"document_infos": items, "total": len(d.docs)})
}

// handleDocumentProgress serves POST /v1/datasets/{dataset_id}/process. Each call is one
// poll of every listed document: it moves processing on. Ids not in the base are left
// out of the answer. With Agw-Js-Conv: str (which the spec requires and the docs do not
// mention), size and remaining_time are strings.
func (s *Server) handleDocumentProgress(datasetID string, header http.Header, body []byte) reply {
	if !isDigits(datasetID) {
		return invalidf("dataset_id must be a string of decimal digits, got %q", datasetID)
	}
	in, err := decodeObject(body)
	if err != nil {
		return fail(http.StatusOK, codeInvalidParam, "invalid request body: "+err.Error())
	}
	idsAsStrings(in, "document_ids")
	m, verr := walkObject(progressSchema, in, s.strict)
	if verr != nil {
		return invalidf("%s", verr.Error())
	}
	asStrings := header.Get("Agw-Js-Conv") == "str"
	s.mu.Lock()
	defer s.mu.Unlock()
	s.knowledge.init()
	if _, found := s.knowledge.datasets[datasetID]; !found {
		return datasetNotFound(datasetID)
	}
	items := []any{}
	for _, id := range stringsAt(m, "document_ids") {
		doc, found := s.knowledge.documents[id]
		if !found || doc.dataset != datasetID {
			continue
		}
		doc.poll()
		items = append(items, progressEntry(doc, asStrings))
	}
	return ok(map[string]any{"data": items})
}

// poll moves processing on by one poll.
func (d *kbDocument) poll() {
	if d.status != docProcessing || d.never {
		return
	}
	d.pollsTaken++
	if d.pollsLeft > 0 {
		d.pollsLeft--
		return
	}
	if d.failReason != "" {
		d.status, d.statusDescript = docFailed, d.failReason
		return
	}
	d.status, d.charCount, d.sliceCount = docDone, d.pendingChars, d.pendingSlices
}

func progressEntry(d *kbDocument, asStrings bool) map[string]any {
	progress, remaining := 100, 0
	if d.status == docProcessing {
		progress = 99
		if !d.never {
			progress = 100 * d.pollsTaken / (d.pollsTotal + 1)
			remaining = d.pollsLeft + 1
		}
	}
	entry := map[string]any{
		"document_id":     d.id,
		"document_name":   d.name,
		"status":          d.status,
		"progress":        progress,
		"type":            d.fileType,
		"url":             "https://lf-coze-mock.example/dataset/" + d.id,
		"update_type":     d.updateType,
		"update_interval": d.updateInterval,
		"size":            any(d.size),
		"remaining_time":  any(remaining),
	}
	if d.webURL != "" {
		entry["url"] = d.webURL
	}
	if d.status == docFailed {
		entry["status_descript"] = d.statusDescript
	}
	if asStrings {
		entry["size"], entry["remaining_time"] = strconv.FormatInt(d.size, 10), strconv.Itoa(remaining)
	}
	return entry
}

func firstMap(maps ...map[string]any) map[string]any {
	for _, m := range maps {
		if m != nil {
			return m
		}
	}
	return nil
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// compareIDs orders decimal ids numerically.
func compareIDs(a, b string) int {
	switch {
	case idLess(a, b):
		return -1
	case idLess(b, a):
		return 1
	}
	return 0
}

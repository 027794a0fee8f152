package mockcoze

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"regexp"
	"strings"
	"testing"
	"time"
)

// filePart is one part of a multipart body: a file when name != "" (or forceFile), a
// plain form field otherwise.
type filePart struct {
	field     string
	name      string
	content   []byte
	forceFile bool // write a file part with an empty filename=""
}

func multipartBody(t *testing.T, parts ...filePart) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		var w io.Writer
		var err error
		switch {
		case p.name != "":
			w, err = mw.CreateFormFile(p.field, p.name)
		case p.forceFile:
			h := textproto.MIMEHeader{}
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=""`, p.field))
			w, err = mw.CreatePart(h)
		default:
			w, err = mw.CreateFormField(p.field)
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(p.content); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), mw.FormDataContentType()
}

func do2(t *testing.T, c *http.Client, req *http.Request) resp {
	t.Helper()
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return decodeResp(res.StatusCode, res.Header, raw)
}

func decodeResp(status int, h http.Header, raw []byte) resp {
	r := resp{status: status, header: h, raw: raw}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if dec.Decode(&m) == nil {
		r.env = m
	}
	return r
}

func upload(t *testing.T, ts *httptest.Server, contentType string, body []byte) resp {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, ts.URL+"/v1/files/upload", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", goodAuth)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return do2(t, ts.Client(), req)
}

func uploadParts(t *testing.T, ts *httptest.Server, parts ...filePart) resp {
	t.Helper()
	body, ct := multipartBody(t, parts...)
	return upload(t, ts, ct, body)
}

func fileCount(s *Server) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.files)
}

func content(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/251)
	}
	return b
}

func sha(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func TestUploadHappyPath(t *testing.T) {
	s, ts := newTS(t, Options{}, testBot)
	png := content(3000)
	before := time.Now().Unix()
	r := uploadParts(t, ts, filePart{field: "file", name: "1120.png", content: png})
	wantOK(t, r)
	if got := keys(r.data()); strings.Join(got, ",") != "bytes,created_at,file_name,id" {
		t.Fatalf("upload data keys = %v: %s", got, r.raw)
	}
	d := r.data()
	id, _ := d["id"].(string)
	if id != "7600000000000000000" {
		t.Fatalf("file id = %q", id)
	}
	if d["bytes"] != json.Number("3000") || d["file_name"] != "1120.png" {
		t.Fatalf("upload data = %s", r.raw)
	}
	ca, _ := d["created_at"].(json.Number)
	if n, err := ca.Int64(); err != nil || n < before || n > time.Now().Unix() {
		t.Fatalf("created_at = %v", d["created_at"])
	}
	name, size, sum, found := s.File(id)
	if !found || name != "1120.png" || size != 3000 || sum != sha(png) {
		t.Fatalf("File(%s) = %q, %d, %s, %v", id, name, size, sum, found)
	}
	if _, _, _, found := s.File("1"); found {
		t.Fatal("File of an unknown id")
	}

	// A second upload gets a new id; plain form fields beside the file are ignored;
	// extensions are case-insensitive.
	jpg := []byte("\xff\xd8\xff jpeg bytes")
	r = uploadParts(t, ts,
		filePart{field: "purpose", content: []byte("icon")},
		filePart{field: "file", name: "Photo.JPEG", content: jpg})
	wantOK(t, r)
	id2, _ := r.data()["id"].(string)
	if id2 == id || id2 != "7600000000000000001" {
		t.Fatalf("second file id = %q", id2)
	}
	if name, size, sum, _ := s.File(id2); name != "Photo.JPEG" || size != len(jpg) || sum != sha(jpg) {
		t.Fatalf("File(%s) = %q %d %s", id2, name, size, sum)
	}

	// The uploaded id used as icon_file_id shows in icon_url (draft and list).
	wantOK(t, update(t, ts, botBody(fmt.Sprintf(`"icon_file_id":%q`, id))))
	g := getBot(t, ts, testBot, "is_published=false")
	wantOK(t, g)
	if icon, _ := g.data()["icon_url"].(string); !strings.Contains(icon, "/icon/"+id+".") {
		t.Fatalf("icon_url %q does not include the uploaded file id", icon)
	}
	items, _ := listItems(t, list(t, ts, "workspace_id="+DefaultSpaceID+"&publish_status=all"))
	if icon, _ := items[0]["icon_url"].(string); !strings.Contains(icon, "/icon/"+id+".") {
		t.Fatalf("list icon_url %q does not include the uploaded file id", icon)
	}
}

func TestUploadAcceptedTypes(t *testing.T) {
	_, ts := newTS(t, Options{})
	for _, name := range []string{
		"a.jpg", "a.jpeg", "a.png", "a.gif", "a.webp", "a.heic", "a.heif", "a.bmp", "a.tiff", "a.tif",
		"a.pdf", "a.docx", "a.xlsx", "a.pptx", "a.csv", "a.numbers", "a.py", "a.c",
		"a.mp3", "a.wav", "a.mp4", "a.mkv", "a.zip", "a.tar.gz", "a.7z", "UPPER.PNG",
	} {
		wantOK(t, uploadParts(t, ts, filePart{field: "file", name: name, content: []byte("x")}))
	}
}

func TestUploadErrors(t *testing.T) {
	s, ts := newTS(t, Options{})
	one := filePart{field: "file", name: "a.png", content: []byte("png")}
	body, ct := multipartBody(t, one)

	// 4300: empty, not multipart, no file, empty file.
	for _, c := range []struct {
		ct   string
		body []byte
		want string
	}{
		{ct, nil, "invalid file upload: the request body is empty"},
		{"", nil, "the request body is empty"},
		{"application/json", []byte(`{"file":"a.png"}`), `Content-Type must be multipart/form-data, got "application/json"`},
		{"", body, `Content-Type must be multipart/form-data, got ""`},
		{"multipart/mixed; boundary=x", body, `Content-Type must be multipart/form-data, got "multipart/mixed; boundary=x"`},
		{"multipart/form-data", body, "Content-Type multipart/form-data has no boundary parameter"},
		{"multipart/form-data; boundary=other", body, `the multipart/form-data body has no parts (boundary "other")`},
		{ct, []byte("this is not multipart"), "the multipart/form-data body has no parts"},
		{ct, body[:len(body)-20], "invalid multipart/form-data body"}, // truncated inside the file part
	} {
		wantErr(t, upload(t, ts, c.ct, c.body), http.StatusOK, "4300", c.want)
	}
	for _, c := range []struct {
		parts []filePart
		want  string
	}{
		{nil, "the multipart/form-data body has no parts"},
		{[]filePart{{field: "purpose", content: []byte("icon")}}, `no file in form field "file"`},
		{[]filePart{{field: "data", name: "a.png", content: []byte("png")}}, `the file must be in form field "file", got it in form field "data"`},
		{[]filePart{{field: "file", content: []byte("png")}}, `form field "file" is not a file (its Content-Disposition has no filename)`},
		{[]filePart{{field: "file", forceFile: true}}, `form field "file" is not a file`},
		{[]filePart{{field: "file", name: "a.png"}}, `the file "a.png" is empty`},
	} {
		wantErr(t, uploadParts(t, ts, c.parts...), http.StatusOK, "4300", "invalid file upload: "+c.want)
	}

	// 4301: more than one file, in the same field or not.
	wantErr(t, uploadParts(t, ts, one, one), http.StatusOK, "4301", "more than one file in the request")
	wantErr(t, uploadParts(t, ts, one, filePart{field: "other", name: "b.png", content: []byte("b")}), http.StatusOK, "4301", "more than one file")
	wantErr(t, uploadParts(t, ts, filePart{field: "other", name: "b.png", content: []byte("b")}, one), http.StatusOK, "4301", "more than one file")

	// 4303: type judged by the extension.
	for _, c := range []struct{ name, want string }{
		{"setup.exe", `file type "exe" is not supported (file "setup.exe")`},
		{"notes.txt", `file type "txt" is not supported`},
		{"image.svg", `file type "svg" is not supported`},
		{"README", `file type not supported: the file name "README" has no extension`},
		{"archive.png.sh", `file type "sh" is not supported`},
	} {
		wantErr(t, uploadParts(t, ts, filePart{field: "file", name: c.name, content: []byte("x")}), http.StatusOK, "4303", "invalid file upload: "+c.want)
	}
	if n := fileCount(s); n != 0 {
		t.Fatalf("failed uploads stored %d files", n)
	}
}

func TestUploadSizeLimit(t *testing.T) {
	s, ts := newTS(t, Options{MaxUploadBytes: 1000})
	wantOK(t, uploadParts(t, ts, filePart{field: "file", name: "max.png", content: content(1000)}))
	wantErr(t, uploadParts(t, ts, filePart{field: "file", name: "big.png", content: content(1001)}),
		http.StatusOK, "4302", "invalid file upload: the file is larger than the limit of 1000 bytes")
	if n := fileCount(s); n != 1 {
		t.Fatalf("stored %d files, want 1", n)
	}
	// The server still answers on the same client afterwards.
	wantOK(t, uploadParts(t, ts, filePart{field: "file", name: "small.png", content: content(10)}))

	if New(Options{}).maxUpload != 512<<20 || DefaultMaxUploadBytes != 512<<20 {
		t.Fatal("default upload limit is not 512 MiB")
	}
}

// endless is a multipart body whose file part never ends; it counts what was read.
type endless struct {
	head []byte
	read int64
}

func (e *endless) Read(p []byte) (int, error) {
	n := 0
	if len(e.head) > 0 {
		n = copy(p, e.head)
		e.head = e.head[n:]
	}
	for i := n; i < len(p); i++ {
		p[i] = 'x'
	}
	e.read += int64(len(p))
	return len(p), nil
}

func TestUploadLimitStreams(t *testing.T) {
	// A body that never ends is cut off at the limit, not read to the end first.
	s := New(Options{MaxUploadBytes: 64 << 10})
	head := "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.png\"\r\n\r\n"
	body := &endless{head: []byte(head)}
	req := httptest.NewRequest(http.MethodPost, "/v1/files/upload", body)
	req.Header.Set("Authorization", goodAuth)
	req.Header.Set("Content-Type", "multipart/form-data; boundary=B")
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.ServeHTTP(rec, req)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("upload of an endless body did not stop at the limit")
	}
	r := decodeResp(rec.Code, rec.Header(), rec.Body.Bytes())
	wantErr(t, r, http.StatusOK, "4302", "larger than the limit of 65536 bytes")
	if body.read > 1<<20 {
		t.Fatalf("read %d bytes of the body for a 64 KiB limit", body.read)
	}
	if got := s.Requests()[0].Body; string(got) != head+strings.Repeat("x", uploadLogBytes-len(head)) {
		t.Fatalf("logged body = %d bytes", len(got))
	}
}

func TestUploadNotBoundBy15MB(t *testing.T) {
	s := New(Options{})
	const size = 16 << 20
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	h := sha256.New()
	go func() {
		w, err := mw.CreateFormFile("file", "big.mp4")
		if err == nil {
			chunk := content(64 << 10)
			for written := 0; written < size && err == nil; written += len(chunk) {
				h.Write(chunk)
				_, err = w.Write(chunk)
			}
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req := httptest.NewRequest(http.MethodPost, "/v1/files/upload", pr)
	req.Header.Set("Authorization", goodAuth)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	r := decodeResp(rec.Code, rec.Header(), rec.Body.Bytes())
	wantOK(t, r)
	id, _ := r.data()["id"].(string)
	if name, n, sum, found := s.File(id); !found || name != "big.mp4" || n != size || sum != hex.EncodeToString(h.Sum(nil)) {
		t.Fatalf("File = %q %d %s %v", name, n, sum, found)
	}
	if got := len(s.Requests()[0].Body); got != uploadLogBytes {
		t.Fatalf("logged %d bytes of a 16 MiB upload, want %d", got, uploadLogBytes)
	}
}

func TestUploadLogFaultAndMethod(t *testing.T) {
	s, ts := newTS(t, Options{})
	small, ct := multipartBody(t, filePart{field: "file", name: "a.png", content: []byte("png")})
	wantOK(t, upload(t, ts, ct, small))
	big, ct2 := multipartBody(t, filePart{field: "file", name: "b.png", content: content(10000)})
	wantOK(t, upload(t, ts, ct2, big))
	reqs := s.RequestsTo(http.MethodPost, "/v1/files/upload")
	if len(reqs) != 2 || !bytes.Equal(reqs[0].Body, small) || !bytes.Equal(reqs[1].Body, big[:uploadLogBytes]) {
		t.Fatalf("logged upload bodies: %d entries", len(reqs))
	}
	if reqs[1].Header.Get("Content-Type") != ct2 {
		t.Fatalf("logged headers: %v", reqs[1].Header)
	}

	// Faults apply to uploads; nothing is stored then.
	s.InjectFault(Fault{Path: "/v1/files/*", Status: http.StatusServiceUnavailable, RetryAfter: "2"})
	r := upload(t, ts, ct, small)
	wantErr(t, r, http.StatusServiceUnavailable, "5000", "Service Unavailable")
	if r.header.Get("Retry-After") != "2" || fileCount(s) != 2 {
		t.Fatalf("fault answer %s, %d files", r.raw, fileCount(s))
	}
	s.InjectFault(Fault{Path: "/v1/files/upload", Code: 4304, Msg: "invalid file"})
	wantErr(t, upload(t, ts, ct, small), http.StatusOK, "4304", "invalid file")
	wantOK(t, upload(t, ts, ct, small))

	// Envelope and logid on upload answers.
	r = upload(t, ts, ct, small)
	if !regexp.MustCompile(`^\d+$`).MatchString(fmt.Sprint(r.data()["id"])) {
		t.Fatalf("id = %v", r.data()["id"])
	}
	checkLogID(t, r)
}

func retrieveFile(t *testing.T, ts *httptest.Server, query string) resp {
	t.Helper()
	return call(t, ts, http.MethodGet, "/v1/files/retrieve"+query, goodAuth, "")
}

func TestFileRetrieveAnswersTheUploadedFile(t *testing.T) {
	s, ts := newTS(t, Options{})
	up := uploadParts(t, ts, filePart{field: "file", name: "icon.png", content: content(300)})
	wantOK(t, up)
	id, _ := up.data()["id"].(string)

	r := retrieveFile(t, ts, "?file_id="+id)
	wantOK(t, r)
	sameValue(t, r.data(), up.data())
	assertJSON(t, r.data(), fmt.Sprintf(`{"id":%q,"bytes":300,"file_name":"icon.png","created_at":%s}`, id, r.data()["created_at"]))

	seeded := s.AddFile("seeded.jpg", content(10))
	r = retrieveFile(t, ts, "?file_id="+seeded)
	wantOK(t, r)
	if r.data()["file_name"] != "seeded.jpg" || r.data()["bytes"] != json.Number("10") {
		t.Fatalf("seeded file: %s", r.raw)
	}
	if name, size, digest, ok := s.File(seeded); !ok || name != "seeded.jpg" || size != 10 || digest != sha(content(10)) {
		t.Fatalf("File(%s) = %q %d %s %v", seeded, name, size, digest, ok)
	}

	s.ExpireFile(id)
	wantErr(t, retrieveFile(t, ts, "?file_id="+id), http.StatusOK, "4200", "does not exist or has expired")
	wantErr(t, retrieveFile(t, ts, ""), http.StatusOK, "4000", "file_id is required")
	wantErr(t, retrieveFile(t, ts, "?file_id=abc"), http.StatusOK, "4000", "decimal digits")
	wantErr(t, call(t, ts, http.MethodPost, "/v1/files/retrieve?file_id="+seeded, goodAuth, ""), http.StatusMethodNotAllowed, "4000", "use GET")
	wantErr(t, call(t, ts, http.MethodGet, "/v1/files/retrieve?file_id="+seeded, "", ""), http.StatusUnauthorized, "4100", "authentication")
}

package mockcoze

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

const (
	uploadPath       = "/v1/files/upload"
	fileRetrievePath = "/v1/files/retrieve"
)

// uploadLogBytes is how much of an upload body the request log keeps.
const uploadLogBytes = 4 << 10

// uploadOverhead is what an upload body may carry beyond the file (part headers,
// boundaries, small form fields) before it is cut off as too large.
const uploadOverhead = 1 << 20

// uploadExts are the accepted file name extensions: the formats the upload doc lists
// (documents, text, images, audio, video, archives) plus the usual spellings jpeg, jp2,
// tif and mid.
var uploadExts = func() map[string]bool {
	m := map[string]bool{}
	for _, group := range []string{
		"doc docx xls xlsx ppt pptx pdf numbers csv",
		"cpp py java c",
		"jpg jpeg jpg2 jp2 png gif webp heic heif bmp pcd tiff tif",
		"wav mp3 flac m4a aac ogg wma midi mid",
		"mp4 avi mov 3gp 3gpp flv webm wmv rmvb m4v mkv",
		"rar zip 7z gz gzip bz2",
	} {
		for _, ext := range strings.Fields(group) {
			m[ext] = true
		}
	}
	return m
}()

// storedFile is an uploaded file; only its digest is kept, not its content.
type storedFile struct {
	name      string
	bytes     int64
	sha256    string
	createdAt int64
}

// File returns what was uploaded under the file id: the file name, its size in bytes and
// the hex SHA-256 of its content.
func (s *Server) File(id string) (name string, size int, sha256hex string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, found := s.files[id]
	if !found {
		return "", 0, "", false
	}
	return f.name, int(f.bytes), f.sha256, true
}

// AddFile stores a file as if it had been uploaded (for example in the Coze UI) and returns
// its id.
func (s *Server) AddFile(name string, content []byte) string {
	sum := sha256.Sum256(content)
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.newFileID()
	s.files[id] = &storedFile{name: name, bytes: int64(len(content)), sha256: hex.EncodeToString(sum[:]), createdAt: time.Now().Unix()}
	return id
}

// ExpireFile removes an uploaded file, as the API does 3 months after the upload of a file
// not used as a bot icon: GET /v1/files/retrieve then answers 4200.
func (s *Server) ExpireFile(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.files, id)
}

// handleFileRetrieve serves GET /v1/files/retrieve?file_id=: the upload answer's File again.
// An unknown (or expired) file answers 4200; the doc lists no code of its own.
func (s *Server) handleFileRetrieve(q map[string][]string) reply {
	var id string
	if ids := q["file_id"]; len(ids) > 0 {
		id = ids[0]
	}
	if id == "" {
		return invalidf("file_id is required")
	}
	if !isDigits(id) {
		return invalidf("file_id must be a string of decimal digits, got %q", id)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, found := s.files[id]
	if !found {
		return fail(http.StatusOK, codeNotFound, fmt.Sprintf("file %s does not exist or has expired", id))
	}
	return ok(fileData(id, f))
}

func fileData(id string, f *storedFile) map[string]any {
	return map[string]any{"id": id, "bytes": f.bytes, "file_name": f.name, "created_at": f.createdAt}
}

// peekUpload reads the first uploadLogBytes of an upload body (for the request log) and
// returns them with a reader of the whole body, limited to the upload limit plus
// uploadOverhead. The rest is read only by the handler, as it parses.
func (s *Server) peekUpload(w http.ResponseWriter, r *http.Request) ([]byte, io.Reader) {
	limit := s.maxUpload + uploadOverhead
	if limit < s.maxUpload { // overflow
		limit = math.MaxInt64
	}
	rd := http.MaxBytesReader(w, r.Body, limit)
	prefix := make([]byte, uploadLogBytes)
	// A read error is not lost: the readers keep returning it when the handler reads on.
	n, _ := io.ReadFull(rd, prefix)
	prefix = prefix[:n]
	return prefix, io.MultiReader(bytes.NewReader(prefix), rd)
}

func uploadFail(code int, format string, args ...any) reply {
	return fail(http.StatusOK, code, "invalid file upload: "+fmt.Sprintf(format, args...))
}

// handleUpload serves POST /v1/files/upload: multipart/form-data with exactly one file,
// in form field "file". Other (non-file) form fields are ignored. The file is streamed
// through SHA-256 and never held in memory.
func (s *Server) handleUpload(contentType string, empty bool, body io.Reader) reply {
	if empty {
		return uploadFail(codeUploadEmpty, `the request body is empty; send the file as multipart/form-data in form field "file"`)
	}
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" {
		return uploadFail(codeUploadEmpty, "Content-Type must be multipart/form-data, got %q", contentType)
	}
	boundary := params["boundary"]
	if boundary == "" {
		return uploadFail(codeUploadEmpty, "Content-Type multipart/form-data has no boundary parameter")
	}

	mr := multipart.NewReader(body, boundary)
	var (
		got        *storedFile
		parts      int
		fileParts  int
		wrongField string // form field of a file part not named "file"
		notAFile   bool   // a part named "file" without a file name
	)
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return s.uploadReadError(err)
		}
		parts++
		name := part.FileName()
		if name == "" {
			if part.FormName() == "file" {
				notAFile = true
			}
			continue // a plain form field: ignored (NextPart skips its content)
		}
		fileParts++
		if fileParts > 1 {
			return uploadFail(codeUploadMany, `more than one file in the request; upload exactly one file, in form field "file"`)
		}
		if part.FormName() != "file" {
			wrongField = part.FormName()
			continue
		}
		h := sha256.New()
		n, err := io.Copy(h, io.LimitReader(part, s.maxUpload+1))
		if err != nil {
			return s.uploadReadError(err)
		}
		if n > s.maxUpload {
			return s.tooLarge()
		}
		got = &storedFile{name: name, bytes: n, sha256: hex.EncodeToString(h.Sum(nil))}
	}

	switch {
	case got != nil:
	case parts == 0:
		return uploadFail(codeUploadEmpty, "the multipart/form-data body has no parts (boundary %q)", boundary)
	case wrongField != "":
		return uploadFail(codeUploadEmpty, `the file must be in form field "file", got it in form field %q`, wrongField)
	case notAFile:
		return uploadFail(codeUploadEmpty, `form field "file" is not a file (its Content-Disposition has no filename)`)
	default:
		return uploadFail(codeUploadEmpty, `no file in form field "file"`)
	}
	if got.bytes == 0 {
		return uploadFail(codeUploadEmpty, "the file %q is empty", got.name)
	}
	ext := strings.ToLower(strings.TrimPrefix(path.Ext(got.name), "."))
	if ext == "" {
		return uploadFail(codeUploadType, "file type not supported: the file name %q has no extension", got.name)
	}
	if !uploadExts[ext] {
		return uploadFail(codeUploadType, "file type %q is not supported (file %q)", ext, got.name)
	}

	got.createdAt = time.Now().Unix()
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.newFileID()
	s.files[id] = got
	return ok(fileData(id, got))
}

// newFileID returns an unused file id. The caller holds s.mu.
func (s *Server) newFileID() string {
	for {
		id := strconv.FormatUint(s.nextFileID, 10)
		s.nextFileID++
		if _, taken := s.files[id]; !taken {
			return id
		}
	}
}

func isTooLarge(err error) bool {
	var tooLarge *http.MaxBytesError
	return errors.As(err, &tooLarge)
}

func (s *Server) tooLarge() reply {
	return uploadFail(codeUploadLarge, "the file is larger than the limit of %d bytes", s.maxUpload)
}

// uploadReadError maps an error met while reading a multipart body: the body limit gives
// 4302, anything else (a malformed body, a client that went away) 4300.
func (s *Server) uploadReadError(err error) reply {
	if isTooLarge(err) {
		return s.tooLarge()
	}
	return uploadFail(codeUploadEmpty, "invalid multipart/form-data body: %v", err)
}

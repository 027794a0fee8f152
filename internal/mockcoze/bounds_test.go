package mockcoze

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"
)

// The standalone mock runs for demos and CI: no client can grow it without
// limit or hold a connection forever, and a refused body still gets its
// answer.

// countingBody is a request body of size bytes that counts what was read.
type countingBody struct {
	left, read int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), b.left))
	for i := range p[:n] {
		p[i] = 'x'
	}
	b.left -= int64(n)
	b.read += int64(n)
	return n, nil
}

// serve runs one request through the handler, without a network.
func serve(s *Server, method, path, auth string, body io.Reader, contentLength int64) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, body)
	req.ContentLength = contentLength
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

func TestUnauthenticatedBodiesAreNotRead(t *testing.T) {
	s := newWithBot(Options{})
	// Of unknown length: not a byte is read.
	body := &countingBody{left: 14 << 20}
	rec := serve(s, http.MethodPost, "/v1/bot/update", "Bearer wrong", body, -1)
	wantErr(t, decodeResp(rec.Code, rec.Header(), rec.Body.Bytes()), http.StatusUnauthorized, "4100", "authentication is invalid")
	if body.read != 0 {
		t.Errorf("read %d bytes of an unauthenticated body before answering 401", body.read)
	}
	upload := &countingBody{left: 14 << 20}
	rec = serve(s, http.MethodPost, "/v1/files/upload", "", upload, -1)
	if rec.Code != http.StatusUnauthorized || upload.read != 0 {
		t.Errorf("upload without a token: HTTP %d after reading %d bytes", rec.Code, upload.read)
	}
	for _, r := range s.Requests() {
		if len(r.Body) != 0 {
			t.Errorf("an unauthenticated body was logged: %d bytes", len(r.Body))
		}
	}
}

// The reproduction: 20 unauthenticated 14 MB POSTs took the mock
// from 141 MB to 504 MB for good. Now nothing of them is kept, and what is
// read (a declared length is drained, so that the 401 arrives) is discarded.
func TestUnauthenticatedPostsCostNoMemory(t *testing.T) {
	s := newWithBot(Options{})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range 20 {
		rec := serve(s, http.MethodPost, "/v1/bot/update", "", &countingBody{left: 14 << 20}, 14<<20)
		if rec.Code != http.StatusUnauthorized {
			t.Fatalf("HTTP %d", rec.Code)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("20 unauthenticated 14 MiB POSTs: %.1f MiB allocated, heap %.1f -> %.1f MiB",
		float64(allocated)/(1<<20), float64(before.HeapAlloc)/(1<<20), float64(after.HeapAlloc)/(1<<20))
	if allocated > 16<<20 {
		t.Errorf("%d bytes allocated for 20 unauthenticated POSTs: their bodies were read into memory", allocated)
	}
}

func TestRequestLogIsBounded(t *testing.T) {
	get := func(s *Server, n int) {
		for i := range n {
			serve(s, http.MethodGet, fmt.Sprintf("/v1/bots/%s?n=%d", testBot, i), goodAuth, nil, 0)
		}
	}
	t.Run("by count, oldest dropped", func(t *testing.T) {
		s := newWithBot(Options{MaxLoggedRequests: 5})
		get(s, 8)
		reqs := s.Requests()
		if len(reqs) != 5 || reqs[0].RawQuery != "n=3" || reqs[4].RawQuery != "n=7" {
			t.Fatalf("log = %d entries from %q to %q, want n=3 to n=7", len(reqs), reqs[0].RawQuery, reqs[len(reqs)-1].RawQuery)
		}
		if got := s.RequestsTo(http.MethodGet, "/v1/bots/"+testBot); len(got) != 5 {
			t.Fatalf("RequestsTo = %d", len(got))
		}
	})
	t.Run("by bytes, oldest dropped, the newest kept", func(t *testing.T) {
		s := newWithBot(Options{MaxLoggedBytes: 2500})
		for i := range 4 {
			name := fmt.Sprintf("%d%s", i, strings.Repeat("n", 1000))
			serve(s, http.MethodPost, "/v1/bot/update", goodAuth, strings.NewReader(botBody(`"description":"`+name+`"`)), -1)
		}
		reqs := s.Requests()
		if len(reqs) != 2 || !strings.Contains(string(reqs[0].Body), `"2nnn`) || !strings.Contains(string(reqs[1].Body), `"3nnn`) {
			t.Fatalf("log = %d entries", len(reqs))
		}
		big := strings.Repeat("d", 3000)
		serve(s, http.MethodPost, "/v1/bot/update", goodAuth, strings.NewReader(botBody(`"description":"`+big+`"`)), -1)
		if reqs := s.Requests(); len(reqs) != 1 || !strings.Contains(string(reqs[0].Body), big) {
			t.Fatalf("an entry larger than the bound: want it alone in the log, got %d entries", len(reqs))
		}
		s.ResetRequests()
		serve(s, http.MethodPost, "/v1/bot/update", goodAuth, strings.NewReader(botBody(`"description":"a"`)), -1)
		serve(s, http.MethodPost, "/v1/bot/update", goodAuth, strings.NewReader(botBody(`"description":"b"`)), -1)
		if n := len(s.Requests()); n != 2 {
			t.Fatalf("after a reset the byte count starts again: %d entries", n)
		}
	})
	t.Run("defaults", func(t *testing.T) {
		s := newWithBot(Options{})
		get(s, DefaultMaxLoggedRequests+10)
		if n := len(s.Requests()); n != DefaultMaxLoggedRequests {
			t.Fatalf("log = %d entries, want %d", n, DefaultMaxLoggedRequests)
		}
	})
}

// sendThenRead is a client that writes its whole request, pausing after
// pauseAfter bytes of the body for longer than Go's server waits before it
// closes a connection it has answered, and only then reads the answer, as
// many HTTP libraries do. It returns the answer and the first write error.
func sendThenRead(t *testing.T, url, head, bodyStart string, size, pauseAfter int) (resp, error) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.WriteString(conn, fmt.Sprintf(head, size)+bodyStart); err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte("x"), 1<<20)
	var writeErr error
	for sent := len(bodyStart); sent < size && writeErr == nil; sent += len(chunk) {
		if sent >= pauseAfter && sent < pauseAfter+len(chunk) {
			time.Sleep(time.Second)
		}
		_, writeErr = conn.Write(chunk[:min(len(chunk), size-sent)])
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer (write error %v): %v", writeErr, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return decodeResp(res.StatusCode, res.Header, raw), writeErr
}

func TestARefusedBodyGetsItsAnswerBeforeTheConnectionCloses(t *testing.T) {
	_, ts := newTS(t, Options{MaxUploadBytes: 1 << 20}, testBot)
	t.Run("413 for a JSON body over 15 MB", func(t *testing.T) {
		r, writeErr := sendThenRead(t, ts.URL, "POST /v1/bot/update HTTP/1.1\r\nHost: mock\r\nAuthorization: "+goodAuth+
			"\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", "", 24<<20, 16<<20)
		if writeErr != nil {
			t.Errorf("the connection closed while the client was still sending: %v", writeErr)
		}
		wantErr(t, r, http.StatusRequestEntityTooLarge, "4000", "larger than 15 MB")
	})
	t.Run("4302 for an upload over the limit", func(t *testing.T) {
		r, writeErr := sendThenRead(t, ts.URL, "POST /v1/files/upload HTTP/1.1\r\nHost: mock\r\nAuthorization: "+goodAuth+
			"\r\nContent-Type: multipart/form-data; boundary=B\r\nContent-Length: %d\r\n\r\n",
			"--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.png\"\r\n\r\n", 6<<20, 3<<20)
		if writeErr != nil {
			t.Errorf("the connection closed while the client was still sending: %v", writeErr)
		}
		wantErr(t, r, http.StatusOK, "4302", "larger than the limit")
	})
	t.Run("401 for a body without a token", func(t *testing.T) {
		r, writeErr := sendThenRead(t, ts.URL, "POST /v1/bot/update HTTP/1.1\r\nHost: mock\r\nContent-Length: %d\r\n\r\n", "", 14<<20, 2<<20)
		if writeErr != nil {
			t.Errorf("the connection closed while the client was still sending: %v", writeErr)
		}
		wantErr(t, r, http.StatusUnauthorized, "4100", "authentication is invalid")
	})
}

// A body that arrives a byte at a time is cut off at the read deadline, and
// answered, instead of holding the connection until the client is done.
func TestATricklingBodyIsCutOff(t *testing.T) {
	_, ts := newTS(t, Options{BodyReadGrace: 300 * time.Millisecond}, testBot)
	conn, err := net.Dial("tcp", strings.TrimPrefix(ts.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := botBody(`"name":"slow"`)
	fmt.Fprintf(conn, "POST /v1/bot/update HTTP/1.1\r\nHost: mock\r\nAuthorization: %s\r\nContent-Length: %d\r\n\r\n", goodAuth, len(body))
	answered := make(chan resp, 1)
	go func() {
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			close(answered)
			return
		}
		raw, _ := io.ReadAll(res.Body)
		answered <- decodeResp(res.StatusCode, res.Header, raw)
	}()
	// At one byte per 100 ms the body would take several seconds; the
	// deadline is 0.3 s.
	for i := range len(body) {
		select {
		case r, ok := <-answered:
			if !ok {
				t.Fatal("the connection closed without an answer")
			}
			wantErr(t, r, http.StatusOK, "4000", "i/o timeout")
			if i == len(body) {
				t.Fatal("the whole body was read")
			}
			return
		case <-time.After(100 * time.Millisecond):
		}
		if _, err := conn.Write([]byte{body[i]}); err != nil {
			break
		}
	}
	select {
	case r := <-answered:
		t.Fatalf("answered only after the whole trickled body: %s", r.raw)
	case <-time.After(5 * time.Second):
		t.Fatal("no answer: the trickled body holds the connection")
	}
}

// Large uploads stay possible under the read deadline: it grows with the
// declared length.
func TestBodyDeadlineGrowsWithTheDeclaredLength(t *testing.T) {
	s := New(Options{BodyReadGrace: time.Second, BodyReadRate: 1 << 20})
	for _, tc := range []struct {
		upload        bool
		contentLength int64
		want          time.Duration
	}{
		{false, 0, time.Second},
		{false, 5 << 20, 6 * time.Second},
		{false, -1, time.Second + maxBodyBytes*time.Second/(1<<20)}, // unknown length: as much as is read
		{true, 100 << 20, 101 * time.Second},
		{true, DefaultMaxUploadBytes + uploadOverhead + maxDrainBytes + 1, time.Second + (DefaultMaxUploadBytes+uploadOverhead)*time.Second/(1<<20)},
	} {
		rec := &deadlineRecorder{ResponseRecorder: httptest.NewRecorder()}
		req := httptest.NewRequest(http.MethodPost, "/v1/bot/update", nil)
		limit := int64(maxBodyBytes)
		if tc.upload {
			limit = s.maxUpload + uploadOverhead
		}
		req.ContentLength = tc.contentLength
		drainable := tc.contentLength >= 0 && tc.contentLength <= limit+maxDrainBytes
		start := time.Now()
		s.setBodyDeadline(rec, req, limit, drainable)
		if got := rec.deadline.Sub(start); got < tc.want || got > tc.want+time.Second {
			t.Errorf("upload %v, Content-Length %d: deadline in %v, want %v", tc.upload, tc.contentLength, got, tc.want)
		}
	}
}

// deadlineRecorder records the read deadline a handler sets (through
// http.ResponseController, which looks for this method).
type deadlineRecorder struct {
	*httptest.ResponseRecorder
	deadline time.Time
}

func (r *deadlineRecorder) SetReadDeadline(t time.Time) error {
	r.deadline = t
	return nil
}

func newWithBot(opts Options) *Server {
	s := New(opts)
	s.AddBot(testBot)
	return s
}

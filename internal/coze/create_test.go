package coze

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A create is sent again only when its first attempt certainly did not
// reach the API: otherwise a second bot or workspace would be created, and
// Coze has no API to delete either.

// slowFirst answers the first request after the client's request timeout
// (it was received, and may have been carried out), the others at once.
func slowFirst(release <-chan struct{}, answer http.HandlerFunc) http.HandlerFunc {
	first := make(chan struct{}, 1)
	first <- struct{}{}
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-first:
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		default:
		}
		answer(w, r)
	}
}

type createCall struct {
	name string
	call func(c *Client) error
	ok   string // a successful answer
}

var createCalls = []createCall{
	{"bot", func(c *Client) error {
		_, err := c.CreateBot(context.Background(), &CreateBotRequest{SpaceID: "7341", Name: "b"})
		return err
	}, `{"code":0,"data":{"bot_id":"42"}}`},
	{"workspace", func(c *Client) error {
		_, err := c.CreateWorkspace(context.Background(), &CreateWorkspaceRequest{Name: "w", Description: "d"})
		return err
	}, `{"code":0,"data":{"id":"42"}}`},
	{"knowledge base", func(c *Client) error {
		_, err := c.CreateDataset(context.Background(), &CreateDatasetRequest{Name: "k", SpaceID: "7341", FormatType: 0})
		return err
	}, `{"code":0,"data":{"dataset_id":"42"}}`},
	{"document", func(c *Client) error {
		_, err := c.CreateDocuments(context.Background(), &CreateDocumentsRequest{DatasetID: "7", DocumentBases: []DocumentBase{
			WebDocument("d", "https://example.com", 0)}})
		return err
	}, `{"code":0,"document_infos":[{"document_id":"42"}]}`},
}

func TestCreatesAreNotSentAgainAfterAnAmbiguousFailure(t *testing.T) {
	ambiguous := []struct {
		name    string
		handler func(release <-chan struct{}, ok http.HandlerFunc) http.HandlerFunc
	}{
		{"a late answer (request timeout)", slowFirst},
		{"a gateway's 502", func(_ <-chan struct{}, ok http.HandlerFunc) http.HandlerFunc {
			return sequence(envelopeHandler(502, "<html>502 Bad Gateway</html>"), ok)
		}},
		{"a gateway's 504", func(_ <-chan struct{}, ok http.HandlerFunc) http.HandlerFunc {
			return sequence(envelopeHandler(504, "<html>504 Gateway Time-out</html>"), ok)
		}},
		{"code 5000", func(_ <-chan struct{}, ok http.HandlerFunc) http.HandlerFunc {
			return sequence(envelopeHandler(200, `{"code":5000,"msg":"internal error"}`), ok)
		}},
	}
	for _, create := range createCalls {
		for _, tc := range ambiguous {
			t.Run(create.name+" after "+tc.name, func(t *testing.T) {
				release := make(chan struct{})
				defer close(release)
				srv := newAPIServer(t, tc.handler(release, envelopeHandler(200, create.ok)))
				c := newTestClient(t, srv.URL, func(c *Config) { c.RequestTimeout = 100 * time.Millisecond })
				err := create.call(c)
				if got := srv.calls.Load(); got != 1 {
					t.Fatalf("the create was sent %d times, want once: a second attempt creates a second object", got)
				}
				if !IsUncertainCreate(err) {
					t.Fatalf("want an UncertainCreateError, got %v", err)
				}
				if !strings.Contains(err.Error(), "may have reached Coze and created the object") {
					t.Errorf("the error does not say the object may exist: %v", err)
				}
			})
		}
	}
}

// sequence answers with the handlers in turn, the last one repeating.
func sequence(handlers ...http.HandlerFunc) http.HandlerFunc {
	n := 0
	return func(w http.ResponseWriter, r *http.Request) {
		h := handlers[min(n, len(handlers)-1)]
		n++
		h(w, r)
	}
}

func TestCreatesAreSentAgainWhenCertainlyNotProcessed(t *testing.T) {
	certain := []struct {
		name  string
		first http.HandlerFunc
	}{
		{"HTTP 429", envelopeHandler(429, `{"code":4020,"msg":"slow down"}`, "Retry-After", "0")},
		{"code 4009 with HTTP 200", envelopeHandler(200, `{"code":4009,"msg":"overloaded"}`)},
		{"code 4020 with HTTP 200", envelopeHandler(200, `{"code":4020,"msg":"rate limited"}`)},
	}
	for _, create := range createCalls {
		for _, tc := range certain {
			t.Run(create.name+" after "+tc.name, func(t *testing.T) {
				srv := newAPIServer(t, tc.first, envelopeHandler(200, create.ok))
				if err := create.call(newTestClient(t, srv.URL)); err != nil {
					t.Fatalf("want success on the second attempt, got %v", err)
				}
				if got := srv.calls.Load(); got != 2 {
					t.Errorf("calls = %d, want 2", got)
				}
			})
		}
	}
}

func TestACreateRefusedByTheAPIIsNotUncertain(t *testing.T) {
	srv := newAPIServer(t, envelopeHandler(200, `{"code":4000,"msg":"bad name"}`))
	_, err := newTestClient(t, srv.URL).CreateBot(context.Background(), &CreateBotRequest{SpaceID: "7341", Name: "b"})
	if _, ok := AsAPIError(err); !ok || IsUncertainCreate(err) {
		t.Fatalf("want a plain API error, got %v", err)
	}
}

// A create answered success without the new object's id made the object:
// an UncertainCreateError that says it was created.
func TestACreateWithoutItsIDIsACreatedObject(t *testing.T) {
	srv := newAPIServer(t, envelopeHandler(200, `{"code":0,"data":{}}`))
	client := newTestClient(t, srv.URL)
	_, botErr := client.CreateBot(context.Background(), &CreateBotRequest{SpaceID: "7341", Name: "b"})
	_, workspaceErr := client.CreateWorkspace(context.Background(), &CreateWorkspaceRequest{Name: "w", Description: "d"})
	_, datasetErr := client.CreateDataset(context.Background(), &CreateDatasetRequest{SpaceID: "7341", Name: "kb"})
	docs := newAPIServer(t, envelopeHandler(200, `{"code":0,"msg":"","document_infos":[{"name":"a"}]}`))
	_, documentErr := newTestClient(t, docs.URL).CreateDocuments(context.Background(), &CreateDocumentsRequest{DatasetID: "77",
		DocumentBases: []DocumentBase{{Name: "a"}}})
	for _, err := range []error{botErr, workspaceErr, datasetErr, documentErr} {
		var uncertain *UncertainCreateError
		if !errors.As(err, &uncertain) || !uncertain.Created || !strings.Contains(err.Error(), "was created") {
			t.Errorf("want an UncertainCreateError of a created object, got %v", err)
		}
	}
}

// A refused connection never reached anything: it is sent again.
func TestACreateIsSentAgainAfterADialError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // nothing listens: every dial is refused
	dials := 0
	c := newTestClient(t, "http://"+addr, func(c *Config) {
		c.MaxRetries = 2
		c.Transport = &http.Transport{DialContext: func(ctx context.Context, network, address string) (net.Conn, error) {
			dials++
			return (&net.Dialer{}).DialContext(ctx, network, address)
		}}
	})
	_, err = c.CreateBot(context.Background(), &CreateBotRequest{SpaceID: "7341", Name: "b"})
	if err == nil || IsUncertainCreate(err) {
		t.Fatalf("want a certain failure, got %v", err)
	}
	if dials != 3 {
		t.Errorf("dials = %d, want 3 (the first attempt and 2 retries)", dials)
	}
	var opErr *net.OpError
	if !errors.As(err, &opErr) {
		t.Errorf("want the dial error, got %v", err)
	}
}

// Other calls keep retrying after a timeout or a 5xx.
func TestUpdatesAreStillRetriedAfterATimeout(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	srv := newAPIServer(t, slowFirst(release, ok))
	c := newTestClient(t, srv.URL, func(c *Config) { c.RequestTimeout = 100 * time.Millisecond })
	if err := c.UpdateBot(context.Background(), &UpdateBotRequest{BotID: "1"}); err != nil {
		t.Fatal(err)
	}
	if got := srv.calls.Load(); got != 2 {
		t.Errorf("calls = %d, want 2", got)
	}
}

package live

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
)

// exchange is one request that went through the budget proxy.
type exchange struct {
	method, path, query string
	requestBody         []byte
	status              int
	responseBody        []byte
}

// budgetProxy forwards requests to the API under test and counts them. It
// sends at most budget requests: any further one (a retry included) is
// answered here, with code 4999 and HTTP 418 (not retried), and never
// reaches the API. It keeps every exchange for the report.
type budgetProxy struct {
	budget int
	proxy  *httputil.ReverseProxy

	mu        sync.Mutex
	sent      int
	refused   int
	exchanges []exchange
}

const budgetRefusalCode = 4999

func newBudgetProxy(upstream *url.URL, budget int) *budgetProxy {
	p := &budgetProxy{budget: budget}
	p.proxy = &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) { pr.SetURL(upstream) },
		ModifyResponse: func(resp *http.Response) error {
			body, err := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			resp.Body = io.NopCloser(bytes.NewReader(body))
			if err != nil {
				return err
			}
			req := resp.Request
			p.mu.Lock()
			defer p.mu.Unlock()
			p.exchanges = append(p.exchanges, exchange{method: req.Method, path: req.URL.Path, query: req.URL.RawQuery,
				requestBody: requestBodyOf(req), status: resp.StatusCode, responseBody: body})
			return nil
		},
	}
	return p
}

type requestBodyKey struct{}

func contextWithBody(r *http.Request, body []byte) context.Context {
	return context.WithValue(r.Context(), requestBodyKey{}, body)
}

// requestBodyOf is the body the proxy read from the client, kept on the
// outgoing request by ServeHTTP.
func requestBodyOf(req *http.Request) []byte {
	body, _ := req.Context().Value(requestBodyKey{}).([]byte)
	return body
}

func (p *budgetProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	allowed := p.sent < p.budget
	if allowed {
		p.sent++
	} else {
		p.refused++
	}
	p.mu.Unlock()
	if !allowed {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTeapot)
		fmt.Fprintf(w, `{"code":%d,"msg":"live budget of %d requests used up: this request was not sent","detail":{"logid":"live-budget"}}`,
			budgetRefusalCode, p.budget)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r = r.WithContext(contextWithBody(r, body))
	p.proxy.ServeHTTP(w, r)
}

// counts returns how many requests were sent and refused so far.
func (p *budgetProxy) counts() (sent, refused int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sent, p.refused
}

func (p *budgetProxy) remaining() int {
	sent, _ := p.counts()
	return p.budget - sent
}

// lastAnswer is the response body of the last successful exchange matching
// method and path (with query containing the given part).
func (p *budgetProxy) lastAnswer(method, path, queryPart string) []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := len(p.exchanges) - 1; i >= 0; i-- {
		e := p.exchanges[i]
		if e.method == method && e.path == path && strings.Contains(e.query, queryPart) && e.status == http.StatusOK {
			return e.responseBody
		}
	}
	return nil
}

// requestBodies are the bodies sent with method to path, in order.
func (p *budgetProxy) requestBodies(method, path string) [][]byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out [][]byte
	for _, e := range p.exchanges {
		if e.method == method && e.path == path {
			out = append(out, e.requestBody)
		}
	}
	return out
}

// summary lists the requests by method and path.
func (p *budgetProxy) summary() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	counts := map[string]int{}
	var order []string
	for _, e := range p.exchanges {
		key := e.method + " " + e.path
		if counts[key] == 0 {
			order = append(order, key)
		}
		counts[key]++
	}
	var b strings.Builder
	for _, key := range order {
		fmt.Fprintf(&b, "\n  %3d  %s", counts[key], key)
	}
	return b.String()
}

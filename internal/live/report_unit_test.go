package live

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
)

func TestDifferencesNameEveryFieldThatDiffers(t *testing.T) {
	remote, err := answerData([]byte(`{"code":0,"data":{
		"name":"n","icon_url":"https://a/1.png?sig=1","update_time":1,
		"onboarding_info":{"Prologue":"hi"},
		"model_info":{"top_p":1,"temperature":0.70,"parameters":{"store":"true","caching_expire_time":"3600"}},
		"variables":[{"keyword":"a"},{"keyword":"b"}],
		"only_real":true}}`))
	if err != nil {
		t.Fatal(err)
	}
	mock, err := answerData([]byte(`{"code":0,"data":{
		"name":"n","icon_url":"https://mock/2.png?sig=2","update_time":"2",
		"onboarding_info":{"prologue":"hi"},
		"model_info":{"top_p":1.0,"temperature":0.7,"parameters":{"store":true,"caching_expire_time":3600}},
		"variables":[{"keyword":"a"}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`model_info.parameters.caching_expire_time: real "3600" (string), mock 3600 (number)`,
		`model_info.parameters.store: real "true" (string), mock true (boolean)`,
		`onboarding_info.Prologue: real "hi" (string), mock absent`,
		`onboarding_info.prologue: real absent, mock "hi" (string)`,
		`only_real: real true (boolean), mock absent`,
		`update_time: real 1 (number), mock "2" (string)`, // volatile: the type differs
		`variables: real has 2 elements, mock 1`,
	}
	got := differences(remote, mock)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("differences:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(report(got), "differs from the mock's in 7 places") || !strings.Contains(report(nil), "agree on every field") {
		t.Errorf("report: %s", report(got))
	}
	if _, err := answerData([]byte(`{"code":4200,"msg":"gone"}`)); err == nil {
		t.Error("an error answer has no data to compare")
	}
}

// The proxy forwards at most budget requests; the next ones are answered
// without reaching the API, with a code the client does not retry.
func TestBudgetProxyNeverSendsMoreThanTheBudget(t *testing.T) {
	var upstreamCalls atomic.Int64
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		upstreamCalls.Add(1)
		body, _ := io.ReadAll(r.Body)
		_, _ = w.Write([]byte(`{"code":0,"data":{"echo":"` + r.URL.Path + `","body":"` + string(body) + `"}}`))
	}))
	defer upstream.Close()
	u, _ := url.Parse(upstream.URL)
	proxy := newBudgetProxy(u, 2)
	srv := httptest.NewServer(proxy)
	defer srv.Close()

	var statuses []int
	for i := range 4 {
		res, err := http.Post(srv.URL+"/v1/bot/update", "application/json", strings.NewReader("x"+strings.Repeat("y", i)))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		statuses = append(statuses, res.StatusCode)
		if i >= 2 && !strings.Contains(string(body), `"code":4999`) {
			t.Errorf("request %d: %s", i+1, body)
		}
	}
	if upstreamCalls.Load() != 2 {
		t.Errorf("the API saw %d requests, budget 2", upstreamCalls.Load())
	}
	if sent, refused := proxy.counts(); sent != 2 || refused != 2 || proxy.remaining() != 0 {
		t.Errorf("sent %d, refused %d, remaining %d", sent, refused, proxy.remaining())
	}
	if statuses[0] != 200 || statuses[1] != 200 || statuses[2] != http.StatusTeapot || statuses[3] != http.StatusTeapot {
		t.Errorf("statuses %v", statuses)
	}
	bodies := proxy.requestBodies(http.MethodPost, "/v1/bot/update")
	if len(bodies) != 2 || string(bodies[0]) != "x" || string(bodies[1]) != "xy" {
		t.Errorf("recorded bodies %q", bodies)
	}
	if answer := proxy.lastAnswer(http.MethodPost, "/v1/bot/update", ""); !strings.Contains(string(answer), `"body":"xy"`) {
		t.Errorf("last answer %s", answer)
	}
}

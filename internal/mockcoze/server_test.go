package mockcoze

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const testBot = "7342866800001"

var goodAuth = "Bearer " + DefaultToken

// resp is a decoded answer of the mock.
type resp struct {
	status int
	header http.Header
	raw    []byte
	env    map[string]any // nil when the body is not a JSON object
}

func (r resp) code() string { n, _ := r.env["code"].(json.Number); return string(n) }
func (r resp) msg() string  { s, _ := r.env["msg"].(string); return s }
func (r resp) data() map[string]any {
	d, _ := r.env["data"].(map[string]any)
	return d
}
func (r resp) logid() string {
	d, _ := r.env["detail"].(map[string]any)
	s, _ := d["logid"].(string)
	return s
}

func newTS(t *testing.T, opts Options, bots ...string) (*Server, *httptest.Server) {
	t.Helper()
	s := New(opts)
	for _, b := range bots {
		s.AddBot(b)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts
}

func call(t *testing.T, ts *httptest.Server, method, path, auth, body string) resp {
	t.Helper()
	return callWith(t, ts.Client(), ts.URL, method, path, auth, body)
}

func callWith(t *testing.T, c *http.Client, base, method, path, auth, body string) resp {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := resp{status: res.StatusCode, header: res.Header, raw: raw}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if dec.Decode(&m) == nil {
		r.env = m
	}
	return r
}

func update(t *testing.T, ts *httptest.Server, body string) resp {
	t.Helper()
	return call(t, ts, http.MethodPost, "/v1/bot/update", goodAuth, body)
}

func getBot(t *testing.T, ts *httptest.Server, botID, query string) resp {
	t.Helper()
	p := "/v1/bots/" + botID
	if query != "" {
		p += "?" + query
	}
	return call(t, ts, http.MethodGet, p, goodAuth, "")
}

func publish(t *testing.T, ts *httptest.Server, botID string) string {
	t.Helper()
	r := call(t, ts, http.MethodPost, "/v1/bot/publish", goodAuth,
		fmt.Sprintf(`{"bot_id":%q,"connector_ids":["1024"]}`, botID))
	wantOK(t, r)
	v, _ := r.data()["version"].(string)
	return v
}

// botBody builds an update body for testBot with the given extra members (a JSON object
// body without braces, e.g. `"name":"x"`).
func botBody(members string) string {
	if members == "" {
		return fmt.Sprintf(`{"bot_id":%q}`, testBot)
	}
	return fmt.Sprintf(`{"bot_id":%q,%s}`, testBot, members)
}

func wantOK(t *testing.T, r resp) {
	t.Helper()
	if r.status != http.StatusOK || r.code() != "0" {
		t.Fatalf("want HTTP 200 code 0, got HTTP %d body %s", r.status, r.raw)
	}
	if r.msg() != "" {
		t.Fatalf("success msg = %q, want empty", r.msg())
	}
	checkLogID(t, r)
}

func wantErr(t *testing.T, r resp, status int, code, msgPart string) {
	t.Helper()
	if r.status != status || r.code() != code {
		t.Fatalf("want HTTP %d code %s, got HTTP %d body %s", status, code, r.status, r.raw)
	}
	if !strings.Contains(r.msg(), msgPart) {
		t.Fatalf("msg %q does not contain %q", r.msg(), msgPart)
	}
	if _, has := r.env["data"]; has {
		t.Fatalf("error answer carries data: %s", r.raw)
	}
	checkLogID(t, r)
}

var logIDRe = regexp.MustCompile(`^\d{14}[0-9A-F]{12}$`)

func checkLogID(t *testing.T, r resp) {
	t.Helper()
	h := r.header.Get("X-Tt-Logid")
	if !logIDRe.MatchString(h) {
		t.Fatalf("X-Tt-Logid %q does not look like a log id", h)
	}
	if r.env != nil && r.logid() != h {
		t.Fatalf("detail.logid %q != X-Tt-Logid %q", r.logid(), h)
	}
}

// canon re-encodes a value (or a JSON text) so that two equal documents compare equal.
func canon(t *testing.T, v any) string {
	t.Helper()
	if s, isStr := v.(string); isStr {
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber()
		var x any
		if err := dec.Decode(&x); err != nil {
			t.Fatalf("bad JSON in test: %v\n%s", err, s)
		}
		v = x
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func assertJSON(t *testing.T, got any, want string) {
	t.Helper()
	if g, w := canon(t, got), canon(t, want); g != w {
		t.Fatalf("JSON mismatch\n got: %s\nwant: %s", g, w)
	}
}

// sameValue compares two decoded values by their JSON encoding.
func sameValue(t *testing.T, got, want any) {
	t.Helper()
	g, err1 := json.Marshal(got)
	w, err2 := json.Marshal(want)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if !bytes.Equal(g, w) {
		t.Fatalf("value mismatch\n got: %.300s\nwant: %.300s", g, w)
	}
}

func draft(t *testing.T, s *Server, botID string) map[string]any {
	t.Helper()
	d, found := s.Draft(botID)
	if !found {
		t.Fatalf("Draft(%s): bot not found", botID)
	}
	return d
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ---- auth, envelope, routing ----

func TestAuth(t *testing.T) {
	_, ts := newTS(t, Options{}, testBot)
	endpoints := []struct{ method, path, body string }{
		{http.MethodPost, "/v1/bot/update", botBody(`"name":"x"`)},
		{http.MethodPost, "/v1/bot/publish", fmt.Sprintf(`{"bot_id":%q,"connector_ids":["1024"]}`, testBot)},
		{http.MethodGet, "/v1/bots/" + testBot + "?is_published=false", ""},
		{http.MethodGet, "/v1/no/such/path", ""},
	}
	badAuth := []string{"", "Bearer wrong-token", "Basic " + DefaultToken, "Bearer", "Bearer ", DefaultToken, "Bearer  " + DefaultToken}
	for _, ep := range endpoints {
		for _, auth := range badAuth {
			r := call(t, ts, ep.method, ep.path, auth, ep.body)
			if r.status != http.StatusUnauthorized || r.code() != "4100" || r.msg() != "authentication is invalid" {
				t.Fatalf("%s %s with Authorization %q: got HTTP %d %s", ep.method, ep.path, auth, r.status, r.raw)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json" {
				t.Fatalf("Content-Type = %q", ct)
			}
			checkLogID(t, r)
		}
	}
	// Nothing changed through the rejected update.
	r := getBot(t, ts, testBot, "is_published=false")
	wantOK(t, r)
	if r.data()["name"] != "Bot 0001" {
		t.Fatalf("unauthorised update changed the bot: %s", r.raw)
	}
	// The scheme is case-insensitive.
	wantOK(t, call(t, ts, http.MethodGet, "/v1/bots/"+testBot+"?is_published=false", "bearer "+DefaultToken, ""))

	// A custom token replaces the default.
	_, ts2 := newTS(t, Options{Token: "pat_custom"}, testBot)
	r = call(t, ts2, http.MethodGet, "/v1/bots/"+testBot+"?is_published=false", goodAuth, "")
	wantErr(t, r, http.StatusUnauthorized, "4100", "authentication is invalid")
	wantOK(t, call(t, ts2, http.MethodGet, "/v1/bots/"+testBot+"?is_published=false", "Bearer pat_custom", ""))
}

func TestLogIDsUniqueOnEveryAnswer(t *testing.T) {
	_, ts := newTS(t, Options{}, testBot)
	seen := map[string]bool{}
	answers := []resp{
		update(t, ts, botBody(`"name":"ok"`)),
		update(t, ts, botBody(`"name":""`)),
		call(t, ts, http.MethodGet, "/v1/bots/"+testBot, goodAuth, ""),
		call(t, ts, http.MethodGet, "/nope", goodAuth, ""),
		call(t, ts, http.MethodGet, "/v1/bot/update", goodAuth, ""),
		call(t, ts, http.MethodGet, "/v1/bots/1", "", ""),
	}
	for i := 0; i < 20; i++ {
		answers = append(answers, getBot(t, ts, testBot, "is_published=false"))
	}
	for _, r := range answers {
		checkLogID(t, r)
		id := r.header.Get("X-Tt-Logid")
		if seen[id] {
			t.Fatalf("log id %s repeated", id)
		}
		seen[id] = true
		if r.env == nil {
			t.Fatalf("answer is not a JSON envelope: %s", r.raw)
		}
		if _, has := r.env["detail"]; !has {
			t.Fatalf("envelope lacks detail: %s", r.raw)
		}
	}
}

func TestRouting(t *testing.T) {
	_, ts := newTS(t, Options{}, testBot)
	for _, p := range []string{"/", "/v1/nope", "/v1/bots/", "/v1/bots//unpublish", "/v1/bots/" + testBot + "/unpublish/x",
		"/v1/bots/" + testBot + "/publish", "/v1/bot/update/x", "/v1/bot/create/x", "/v1/files/upload/x", "/v1/files"} {
		r := call(t, ts, http.MethodGet, p, goodAuth, "")
		wantErr(t, r, http.StatusNotFound, "4004", "path not found")
	}
	for _, c := range []struct{ method, path, allow string }{
		{http.MethodGet, "/v1/bot/update", http.MethodPost},
		{http.MethodPut, "/v1/bot/publish", http.MethodPost},
		{http.MethodPost, "/v1/bots/" + testBot, http.MethodGet},
		{http.MethodDelete, "/v1/bots/" + testBot, http.MethodGet},
		{http.MethodGet, "/v1/bot/create", http.MethodPost},
		{http.MethodGet, "/v1/bots/" + testBot + "/unpublish", http.MethodPost},
		{http.MethodPost, "/v1/bots", http.MethodGet},
		{http.MethodGet, "/v1/files/upload", http.MethodPost},
		{http.MethodPut, "/v1/files/upload", http.MethodPost},
	} {
		r := call(t, ts, c.method, c.path, goodAuth, "")
		if r.status != http.StatusMethodNotAllowed || r.code() == "0" {
			t.Fatalf("%s %s: got HTTP %d %s", c.method, c.path, r.status, r.raw)
		}
		if got := r.header.Get("Allow"); got != c.allow {
			t.Fatalf("%s %s: Allow = %q, want %q", c.method, c.path, got, c.allow)
		}
		checkLogID(t, r)
	}
}

func TestInvalidBody(t *testing.T) {
	s, ts := newTS(t, Options{}, testBot)
	before := draft(t, s, testBot)
	for _, c := range []struct{ body, want string }{
		{"not json", "invalid request body: "},
		{`{"bot_id":`, "invalid request body: "},
		{`[]`, "invalid request body: expected a JSON object, got array"},
		{`"x"`, "invalid request body: expected a JSON object, got string"},
		{`{"bot_id":"7342866800001"} {}`, "invalid request body: unexpected data after the JSON object"},
	} {
		wantErr(t, update(t, ts, c.body), http.StatusOK, "4000", c.want)
		r := call(t, ts, http.MethodPost, "/v1/bot/publish", goodAuth, c.body)
		wantErr(t, r, http.StatusOK, "4000", c.want)
	}
	r := call(t, ts, http.MethodPost, "/v1/bot/update", goodAuth, "")
	wantErr(t, r, http.StatusOK, "4000", "invalid request body: empty body")
	assertJSON(t, draft(t, s, testBot), canon(t, before))
}

// ---- update ----

const docExample = `{
  "bot_id": "7342866800001",
  "name": "每日学一菜",
  "description": "每天教你一道菜的做法，暑假之后你将成为中餐大厨～",
  "icon_file_id": "7369495981100001",
  "prompt_info": {"prompt": "你是一位经验丰富的中餐大厨。"},
  "plugin_id_list": {"id_list": [{"plugin_id": "7311989349275530001", "api_id": "7350575366173620001"}]},
  "onboarding_info": {"prologue": "欢迎你，学徒，今天想学一道什么样的菜？", "suggested_questions": ["川菜，我想吃辣的", "广东菜，来点鲜的", "随机教我一道菜"]},
  "knowledge": {"dataset_ids": ["7385093717923410001"], "auto_call": true, "search_strategy": 1},
  "model_info_config": {"model_id": "1706077826", "temperature": 0.7, "sp_anti_leak": true},
  "workflow_id_list": {"ids": [{"id": "7460491086110370001"}]},
  "suggest_reply_info": {"reply_mode": "enable"}
}`

func TestUpdateHappyPath(t *testing.T) {
	s, ts := newTS(t, Options{}, testBot)
	r := update(t, ts, docExample)
	wantOK(t, r)
	if _, has := r.env["data"]; has {
		t.Fatalf("update answer must not carry data: %s", r.raw)
	}
	if got := keys(r.env); !slices.Equal(got, []string{"code", "detail", "msg"}) {
		t.Fatalf("update envelope keys = %v", got)
	}
	d := draft(t, s, testBot)
	want := strings.Replace(docExample, `"bot_id": "7342866800001",`, "", 1)
	assertJSON(t, d, want)

	// Numbers are json.Number with the literal the client sent.
	temp := d["model_info_config"].(map[string]any)["temperature"]
	if n, isNum := temp.(json.Number); !isNum || n != "0.7" {
		t.Fatalf("temperature = %#v, want json.Number(\"0.7\")", temp)
	}
	if n := d["knowledge"].(map[string]any)["search_strategy"]; n != json.Number("1") {
		t.Fatalf("search_strategy = %#v", n)
	}

	// Draft returns a deep copy.
	d["name"] = "mutated"
	d["knowledge"].(map[string]any)["dataset_ids"].([]any)[0] = "1"
	again := draft(t, s, testBot)
	if again["name"] != "每日学一菜" || again["knowledge"].(map[string]any)["dataset_ids"].([]any)[0] != "7385093717923410001" {
		t.Fatalf("Draft is not a deep copy: %v", again)
	}
	if _, found := s.Draft("999"); found {
		t.Fatal("Draft of an unknown bot reported found")
	}

	// The change is visible through retrieve, with update_time bumped.
	g := getBot(t, ts, testBot, "is_published=false")
	wantOK(t, g)
	if g.data()["name"] != "每日学一菜" {
		t.Fatalf("retrieve name = %v", g.data()["name"])
	}
	ct, _ := g.data()["create_time"].(json.Number).Int64()
	ut, _ := g.data()["update_time"].(json.Number).Int64()
	now := time.Now().Unix()
	if ct < now-5 || ct > now || ut < ct || ut > now {
		t.Fatalf("create_time %d update_time %d, now %d", ct, ut, now)
	}
}

func TestAddBotDefaults(t *testing.T) {
	s := New(Options{})
	if s.HasBot(testBot) {
		t.Fatal("bot exists before AddBot")
	}
	s.AddBot(testBot)
	s.AddBot("12")
	if !s.HasBot(testBot) || !s.HasBot("12") {
		t.Fatal("HasBot false after AddBot")
	}
	assertJSON(t, draft(t, s, testBot), `{"name":"Bot 0001","description":""}`)
	assertJSON(t, draft(t, s, "12"), `{"name":"Bot 12","description":""}`)
	// AddBot of an existing id resets it.
	s.EditDraft(testBot, func(d map[string]any) { d["name"] = "changed" })
	s.AddBot(testBot)
	assertJSON(t, draft(t, s, testBot), `{"name":"Bot 0001","description":""}`)
}

func TestUpdateMergeSemantics(t *testing.T) {
	s, ts := newTS(t, Options{}, testBot)
	wantOK(t, update(t, ts, botBody(`
		"name": "n1", "description": "d1",
		"prompt_info": {"prompt": "p1", "prefix_prompt_info": {"prefix_prompt": "a", "dynamic_prompt": "b"}},
		"onboarding_info": {"prologue": "hello", "suggested_questions": ["q1", "q2"]},
		"knowledge": {"dataset_ids": ["1", "2"], "auto_call": false, "search_strategy": 1},
		"plugin_id_list": {"id_list": [{"plugin_id": "11", "api_id": "12"}]},
		"model_info_config": {"model_id": "m1", "top_k": 50, "temperature": 0.5,
			"parameters": {"thinking_type": "disabled", "custom": {"x": 1}}}`)))

	steps := []string{
		`"name": "n2"`, // absent fields unchanged
		`"model_info_config": {"model_id": "m2", "temperature": 0.7}`,            // nested merge keeps top_k and parameters
		`"model_info_config": {"model_id": "m2", "parameters": {"store": true}}`, // parameters replaces wholly
		`"onboarding_info": {"suggested_questions": ["q3"]}`,                     // array replaces, prologue kept
		`"knowledge": {"dataset_ids": []}`,                                       // empty array replaces, auto_call kept
		`"prompt_info": {"prefix_prompt_info": {"dynamic_prompt": "c"}}`,         // recursive merge
		`"plugin_id_list": {"id_list": [{"plugin_id": "21", "api_id": "22"}, {"plugin_id": "21", "api_id": "23"}]}`,
		`"description": null, "suggest_reply_info": null`, // null means absent
	}
	for _, st := range steps {
		wantOK(t, update(t, ts, botBody(st)))
	}
	assertJSON(t, draft(t, s, testBot), `{
		"name": "n2", "description": "d1",
		"prompt_info": {"prompt": "p1", "prefix_prompt_info": {"prefix_prompt": "a", "dynamic_prompt": "c"}},
		"onboarding_info": {"prologue": "hello", "suggested_questions": ["q3"]},
		"knowledge": {"dataset_ids": [], "auto_call": false, "search_strategy": 1},
		"plugin_id_list": {"id_list": [{"plugin_id": "21", "api_id": "22"}, {"plugin_id": "21", "api_id": "23"}]},
		"model_info_config": {"model_id": "m2", "top_k": 50, "temperature": 0.7, "parameters": {"store": true}}
	}`)

	// An update with only bot_id succeeds and changes nothing.
	before := canon(t, draft(t, s, testBot))
	wantOK(t, update(t, ts, botBody("")))
	assertJSON(t, draft(t, s, testBot), before)
}

func TestUpdateValidation(t *testing.T) {
	s, ts := newTS(t, Options{}, testBot)
	wantOK(t, update(t, ts, botBody(`"name":"Initial","model_info_config":{"model_id":"1706077826","top_k":5}`)))
	before := canon(t, draft(t, s, testBot))

	rep := strings.Repeat
	long := func(n int) string { return rep("字", n) }
	ids := func(n int) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = strconv.Quote(strconv.Itoa(1000 + i))
		}
		return strings.Join(parts, ",")
	}
	cases := []struct{ name, body, want string }{
		{"bot_id missing", `{"name":"x"}`, "invalid parameter: bot_id is required"},
		{"bot_id empty", `{"bot_id":""}`, "bot_id is required"},
		{"bot_id null", `{"bot_id":null}`, "bot_id is required"},
		{"bot_id number", `{"bot_id":7342866800001}`, "bot_id must be a string of decimal digits, got number"},
		{"bot_id letters", `{"bot_id":"bot_1"}`, `bot_id must be a string of decimal digits, got "bot_1"`},
		{"name empty", botBody(`"name":""`), "invalid parameter: name must be 1-20 characters, got 0"},
		{"name 21 runes", botBody(`"name":"` + long(21) + `"`), "invalid parameter: name must be 1-20 characters, got 21"},
		{"name number", botBody(`"name":5`), "name must be a string, got number"},
		{"description 501", botBody(`"description":"` + rep("a", 501) + `"`), "description must be at most 500 characters, got 501"},
		{"icon_file_id letters", botBody(`"icon_file_id":"file_1"`), `icon_file_id must be a string of decimal digits, got "file_1"`},
		{"icon_file_id number", botBody(`"icon_file_id":123`), "icon_file_id must be a string of decimal digits, got number"},
		{"prompt_info not object", botBody(`"prompt_info":[]`), "prompt_info must be an object, got array"},
		{"prompt 20001", botBody(`"prompt_info":{"prompt":"` + long(20001) + `"}`), "prompt_info.prompt must be at most 20000 characters, got 20001"},
		{"prompt_mode", botBody(`"prompt_info":{"prompt_mode":"fancy"}`), `prompt_info.prompt_mode must be one of standard, prefix, got "fancy"`},
		{"prefix_prompt type", botBody(`"prompt_info":{"prefix_prompt_info":{"prefix_prompt":1}}`), "prompt_info.prefix_prompt_info.prefix_prompt must be a string, got number"},
		{"dynamic_prompt type", botBody(`"prompt_info":{"prefix_prompt_info":{"dynamic_prompt":true}}`), "prompt_info.prefix_prompt_info.dynamic_prompt must be a string, got boolean"},
		{"prologue 301", botBody(`"onboarding_info":{"prologue":"` + long(301) + `"}`), "onboarding_info.prologue must be at most 300 characters, got 301"},
		{"question 51", botBody(`"onboarding_info":{"suggested_questions":["ok","` + long(51) + `"]}`), "onboarding_info.suggested_questions[1] must be at most 50 characters, got 51"},
		{"questions not array", botBody(`"onboarding_info":{"suggested_questions":"q"}`), "onboarding_info.suggested_questions must be an array, got string"},
		{"question null", botBody(`"onboarding_info":{"suggested_questions":[null]}`), "onboarding_info.suggested_questions[0] must be a string, got null"},
		{"151 datasets", botBody(`"knowledge":{"dataset_ids":[` + ids(151) + `]}`), "knowledge.dataset_ids must have at most 150 items, got 151"},
		{"dataset id letters", botBody(`"knowledge":{"dataset_ids":["kb-1"]}`), `knowledge.dataset_ids[0] must be a string of decimal digits, got "kb-1"`},
		{"dataset id number", botBody(`"knowledge":{"dataset_ids":[1]}`), "knowledge.dataset_ids[0] must be a string of decimal digits, got number"},
		{"auto_call string", botBody(`"knowledge":{"auto_call":"true"}`), "knowledge.auto_call must be a boolean, got string"},
		{"search_strategy 2", botBody(`"knowledge":{"search_strategy":2}`), "knowledge.search_strategy must be one of 0, 1, 20, got 2"},
		{"search_strategy string", botBody(`"knowledge":{"search_strategy":"1"}`), "knowledge.search_strategy must be an integer, got string"},
		{"search_strategy float", botBody(`"knowledge":{"search_strategy":1.5}`), "knowledge.search_strategy must be an integer, got 1.5"},
		{"plugin api_id missing", botBody(`"plugin_id_list":{"id_list":[{"plugin_id":"1"}]}`), "plugin_id_list.id_list[0].api_id is required"},
		{"plugin plugin_id empty", botBody(`"plugin_id_list":{"id_list":[{"plugin_id":"","api_id":"2"}]}`), "plugin_id_list.id_list[0].plugin_id is required"},
		{"plugin api_id letters", botBody(`"plugin_id_list":{"id_list":[{"plugin_id":"1","api_id":"tool"}]}`), `plugin_id_list.id_list[0].api_id must be a string of decimal digits, got "tool"`},
		{"plugin item null", botBody(`"plugin_id_list":{"id_list":[null]}`), "plugin_id_list.id_list[0] must be an object, got null"},
		{"plugin list not array", botBody(`"plugin_id_list":{"id_list":{}}`), "plugin_id_list.id_list must be an array, got object"},
		{"workflow id missing", botBody(`"workflow_id_list":{"ids":[{}]}`), "workflow_id_list.ids[0].id is required"},
		{"workflow id letters", botBody(`"workflow_id_list":{"ids":[{"id":"1"},{"id":"wf"}]}`), `workflow_id_list.ids[1].id must be a string of decimal digits, got "wf"`},
		{"model_id missing", botBody(`"model_info_config":{"top_k":1}`), "model_info_config.model_id is required"},
		{"model_id empty", botBody(`"model_info_config":{"model_id":""}`), "model_info_config.model_id is required"},
		{"top_k string", botBody(`"model_info_config":{"model_id":"1","top_k":"50"}`), "model_info_config.top_k must be an integer, got string"},
		{"max_tokens float", botBody(`"model_info_config":{"model_id":"1","max_tokens":1.5}`), "model_info_config.max_tokens must be an integer, got 1.5"},
		{"context_round bool", botBody(`"model_info_config":{"model_id":"1","context_round":true}`), "model_info_config.context_round must be an integer, got boolean"},
		{"top_p above 1", botBody(`"model_info_config":{"model_id":"1","top_p":1.5}`), "model_info_config.top_p must be between 0 and 1, got 1.5"},
		{"top_p below 0", botBody(`"model_info_config":{"model_id":"1","top_p":-0.1}`), "model_info_config.top_p must be between 0 and 1, got -0.1"},
		{"temperature string", botBody(`"model_info_config":{"model_id":"1","temperature":"hot"}`), "model_info_config.temperature must be a number, got string"},
		{"presence_penalty string", botBody(`"model_info_config":{"model_id":"1","presence_penalty":"0"}`), "model_info_config.presence_penalty must be a number, got string"},
		{"frequency_penalty null in array", botBody(`"model_info_config":{"model_id":"1","frequency_penalty":[]}`), "model_info_config.frequency_penalty must be a number, got array"},
		{"sp_anti_leak string", botBody(`"model_info_config":{"model_id":"1","sp_anti_leak":"yes"}`), "model_info_config.sp_anti_leak must be a boolean, got string"},
		{"sp_current_time number", botBody(`"model_info_config":{"model_id":"1","sp_current_time":1}`), "model_info_config.sp_current_time must be a boolean, got number"},
		{"response_format", botBody(`"model_info_config":{"model_id":"1","response_format":"html"}`), `model_info_config.response_format must be one of text, markdown, json, got "html"`},
		{"cache_type", botBody(`"model_info_config":{"model_id":"1","cache_type":"on"}`), `model_info_config.cache_type must be one of closed, prefix, got "on"`},
		{"api_mode", botBody(`"model_info_config":{"model_id":"1","api_mode":"rest"}`), `model_info_config.api_mode must be one of chat_api, responses_api, got "rest"`},
		{"parameters string", botBody(`"model_info_config":{"model_id":"1","parameters":"{}"}`), "model_info_config.parameters must be an object, got string"},
		{"thinking_type", botBody(`"model_info_config":{"model_id":"1","parameters":{"thinking_type":"maybe"}}`), `model_info_config.parameters.thinking_type must be one of enabled, disabled, auto, got "maybe"`},
		{"thinking_type number", botBody(`"model_info_config":{"model_id":"1","parameters":{"thinking_type":1}}`), "model_info_config.parameters.thinking_type must be a string, got number"},
		{"caching not object", botBody(`"model_info_config":{"model_id":"1","parameters":{"caching":"enabled"}}`), "model_info_config.parameters.caching must be an object or a string holding a JSON object, got string"},
		{"caching string not an object", botBody(`"model_info_config":{"model_id":"1","parameters":{"caching":"[1]"}}`), "model_info_config.parameters.caching must be an object or a string holding a JSON object, got string"},
		{"caching string type", botBody(`"model_info_config":{"model_id":"1","parameters":{"caching":"{\"type\":\"on\"}"}}`), `model_info_config.parameters.caching.type must be one of enabled, disabled, got "on"`},
		{"caching.type", botBody(`"model_info_config":{"model_id":"1","parameters":{"caching":{"type":"on"}}}`), `model_info_config.parameters.caching.type must be one of enabled, disabled, got "on"`},
		{"caching_expire_time too big", botBody(`"model_info_config":{"model_id":"1","parameters":{"caching_expire_time":259201}}`), "model_info_config.parameters.caching_expire_time must be between 0 and 259200 seconds, got 259201"},
		{"caching_expire_time float", botBody(`"model_info_config":{"model_id":"1","parameters":{"caching_expire_time":1.5}}`), `model_info_config.parameters.caching_expire_time must be an integer, got "1.5"`},
		{"caching_expire_time string", botBody(`"model_info_config":{"model_id":"1","parameters":{"caching_expire_time":"soon"}}`), `model_info_config.parameters.caching_expire_time must be an integer, got "soon"`},
		{"caching_expire_time string too big", botBody(`"model_info_config":{"model_id":"1","parameters":{"caching_expire_time":"259201"}}`), "model_info_config.parameters.caching_expire_time must be between 0 and 259200 seconds, got 259201"},
		{"caching_expire_time bool", botBody(`"model_info_config":{"model_id":"1","parameters":{"caching_expire_time":true}}`), "model_info_config.parameters.caching_expire_time must be an integer or a string holding one, got boolean"},
		{"store string", botBody(`"model_info_config":{"model_id":"1","parameters":{"store":"yes"}}`), `model_info_config.parameters.store must be a boolean or "true" or "false", got string`},
		{"store number", botBody(`"model_info_config":{"model_id":"1","parameters":{"store":1}}`), `model_info_config.parameters.store must be a boolean or "true" or "false", got number`},
		{"reply_mode", botBody(`"suggest_reply_info":{"reply_mode":"always"}`), `suggest_reply_info.reply_mode must be one of enable, disable, customized, got "always"`},
		{"customized_prompt number", botBody(`"suggest_reply_info":{"customized_prompt":1}`), "suggest_reply_info.customized_prompt must be a string, got number"},
		// a valid field before an invalid one is not applied either
		{"valid then invalid", botBody(`"name":"Changed","model_info_config":{"model_id":"1","top_p":2}`), "model_info_config.top_p must be between 0 and 1, got 2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := update(t, ts, c.body)
			wantErr(t, r, http.StatusOK, "4000", c.want)
			if !strings.HasPrefix(r.msg(), "invalid parameter: ") {
				t.Fatalf("msg %q lacks the invalid parameter prefix", r.msg())
			}
			assertJSON(t, draft(t, s, testBot), before)
		})
	}

	// Limits are inclusive and count Unicode characters.
	accepted := []struct{ name, body, check string }{
		{"name 20 Chinese runes (60 bytes)", `"name":"` + long(20) + `"`, "name"},
		{"name 1 rune", `"name":"x"`, "name"},
		{"description 500", `"description":"` + long(500) + `"`, "description"},
		{"prompt 20000", `"prompt_info":{"prompt":"` + long(20000) + `"}`, "prompt_info"},
		{"prologue 300 + questions 50", `"onboarding_info":{"prologue":"` + long(300) + `","suggested_questions":["` + long(50) + `",""]}`, "onboarding_info"},
		{"150 datasets, strategy 20", `"knowledge":{"dataset_ids":[` + ids(150) + `],"search_strategy":20,"auto_call":false}`, "knowledge"},
		{"strategy 0", `"knowledge":{"search_strategy":0}`, "knowledge"},
		{"store plugin api_id 0", `"plugin_id_list":{"id_list":[{"plugin_id":"7","api_id":"0"}]}`, "plugin_id_list"},
		{"top_p bounds and params", `"model_info_config":{"model_id":"1","top_p":0,"parameters":{"thinking_type":"auto","caching":{"type":"disabled"},"store":false,"caching_expire_time":259200,"vendor_key":{"a":[1]}}}`, "model_info_config"},
		// the spec's and SDKs' typing: every parameter a string
		{"params as strings", `"model_info_config":{"model_id":"1","parameters":{"thinking_type":"disabled","caching":"{\"type\":\"disabled\"}","store":"true","caching_expire_time":"0"}}`, "model_info_config"},
		{"top_p 1 and all enums", `"model_info_config":{"model_id":"1","top_p":1,"response_format":"json","cache_type":"closed","api_mode":"responses_api","temperature":1.25,"max_tokens":8192,"context_round":3,"sp_anti_leak":true,"sp_current_time":false,"presence_penalty":-0.5,"frequency_penalty":0.5}`, "model_info_config"},
		{"icon and reply", `"icon_file_id":"7369495981100001","suggest_reply_info":{"reply_mode":"enable","customized_prompt":""}`, "icon_file_id"},
		{"empty description", `"description":""`, "description"},
	}
	for _, c := range accepted {
		t.Run("accept "+c.name, func(t *testing.T) {
			body := botBody(c.body)
			wantOK(t, update(t, ts, body))
			var sent map[string]any
			dec := json.NewDecoder(strings.NewReader(body))
			dec.UseNumber()
			if err := dec.Decode(&sent); err != nil {
				t.Fatal(err)
			}
			got := draft(t, s, testBot)[c.check]
			// every sent key is stored with the sent value
			if sm, isMap := sent[c.check].(map[string]any); isMap {
				gm := got.(map[string]any)
				for k, v := range sm {
					sameValue(t, gm[k], v)
				}
			} else {
				sameValue(t, got, sent[c.check])
			}
		})
	}
}

func TestUpdateCrossField(t *testing.T) {
	s, ts := newTS(t, Options{}, testBot, "7342866800002")
	fail := func(body, want string) {
		t.Helper()
		before := canon(t, draft(t, s, testBot))
		wantErr(t, update(t, ts, botBody(body)), http.StatusOK, "4000", want)
		assertJSON(t, draft(t, s, testBot), before)
	}

	// reply_mode customized needs a customized_prompt, in the merged result.
	fail(`"suggest_reply_info":{"reply_mode":"customized"}`,
		"invalid parameter: suggest_reply_info.customized_prompt is required when suggest_reply_info.reply_mode is customized")
	wantOK(t, update(t, ts, botBody(`"suggest_reply_info":{"customized_prompt":"ask about dishes"}`)))
	wantOK(t, update(t, ts, botBody(`"suggest_reply_info":{"reply_mode":"customized"}`))) // prompt already stored
	fail(`"suggest_reply_info":{"customized_prompt":""}`, "suggest_reply_info.customized_prompt is required")
	wantOK(t, update(t, ts, botBody(`"suggest_reply_info":{"reply_mode":"enable","customized_prompt":""}`)))

	// prompt_mode prefix cannot keep a non-empty prompt (stored or sent).
	wantOK(t, update(t, ts, botBody(`"prompt_info":{"prompt":"persona"}`)))
	fail(`"prompt_info":{"prompt_mode":"prefix"}`, "prompt_info.prompt must be empty when prompt_info.prompt_mode is prefix")
	wantOK(t, update(t, ts, botBody(`"prompt_info":{"prompt":"","prompt_mode":"prefix","prefix_prompt_info":{"prefix_prompt":"rules"}}`)))
	fail(`"prompt_info":{"prompt":"again"}`, "prompt_info.prompt must be empty when prompt_info.prompt_mode is prefix")

	// cache_type prefix / caching enabled need prompt_mode prefix.
	wantOK(t, update(t, ts, botBody(`"model_info_config":{"model_id":"1","cache_type":"prefix"}`)))
	fail(`"prompt_info":{"prompt_mode":"standard"}`, "prompt_info.prompt_mode must be prefix when model_info_config.cache_type is prefix")
	wantOK(t, update(t, ts, botBody(`"model_info_config":{"model_id":"1","cache_type":"closed","api_mode":"responses_api","parameters":{"caching":{"type":"enabled"},"store":true}}`)))
	fail(`"prompt_info":{"prompt_mode":"standard"}`, "prompt_info.prompt_mode must be prefix when model_info_config.parameters.caching.type is enabled")

	// caching in the spec's typing, a string holding the object, counts the same.
	wantOK(t, update(t, ts, botBody(`"model_info_config":{"model_id":"1","parameters":{"caching":"{\"type\":\"enabled\"}"}}`)))
	fail(`"prompt_info":{"prompt_mode":"standard"}`, "prompt_info.prompt_mode must be prefix when model_info_config.parameters.caching.type is enabled")
	wantOK(t, update(t, ts, botBody(`"model_info_config":{"model_id":"1","cache_type":"closed","api_mode":"responses_api","parameters":{"caching":{"type":"enabled"},"store":true}}`)))

	other := `{"bot_id":"7342866800002","model_info_config":{"model_id":"1","cache_type":"prefix"}}`
	wantErr(t, update(t, ts, other), http.StatusOK, "4000", "prompt_info.prompt_mode must be prefix when model_info_config.cache_type is prefix")
	other = `{"bot_id":"7342866800002","model_info_config":{"model_id":"1","parameters":{"caching":{"type":"enabled"}}}}`
	wantErr(t, update(t, ts, other), http.StatusOK, "4000", "prompt_info.prompt_mode must be prefix when model_info_config.parameters.caching.type is enabled")

	// thinking enabled excludes plugins and workflows.
	wantOK(t, update(t, ts, botBody(`"plugin_id_list":{"id_list":[{"plugin_id":"1","api_id":"2"}]}`)))
	fail(`"model_info_config":{"model_id":"1","parameters":{"thinking_type":"enabled"}}`,
		"model_info_config.parameters.thinking_type enabled cannot be used while plugins (plugin_id_list) or workflows (workflow_id_list) are bound")
	wantOK(t, update(t, ts, botBody(`"plugin_id_list":{"id_list":[]},"workflow_id_list":{"ids":[{"id":"3"}]}`)))
	fail(`"model_info_config":{"model_id":"1","parameters":{"thinking_type":"enabled"}}`, "thinking_type enabled cannot be used")
	wantOK(t, update(t, ts, botBody(`"workflow_id_list":{"ids":[]},"model_info_config":{"model_id":"1","parameters":{"thinking_type":"enabled"}}`)))
	fail(`"plugin_id_list":{"id_list":[{"plugin_id":"1","api_id":"2"}]}`, "thinking_type enabled cannot be used")
	fail(`"workflow_id_list":{"ids":[{"id":"3"}]}`, "thinking_type enabled cannot be used")
	// thinking disabled and a plugin together is fine
	wantOK(t, update(t, ts, botBody(`"plugin_id_list":{"id_list":[{"plugin_id":"1","api_id":"2"}]},"model_info_config":{"model_id":"1","parameters":{"thinking_type":"disabled"}}`)))
}

func TestStrictFields(t *testing.T) {
	s, ts := newTS(t, Options{}, testBot)
	before := canon(t, draft(t, s, testBot))
	for _, c := range []struct{ body, want string }{
		{botBody(`"space_id":"1"`), "invalid parameter: unknown field space_id"},
		{botBody(`"name":"x","Name":"y"`), "unknown field Name"},
		{botBody(`"model_info_config":{"model_id":"1","temprature":0.5}`), "unknown field model_info_config.temprature"},
		{botBody(`"prompt_info":{"prefix_prompt_info":{"prefix":"x"}}`), "unknown field prompt_info.prefix_prompt_info.prefix"},
		{botBody(`"plugin_id_list":{"id_list":[{"plugin_id":"1","api_id":"2","tool_id":"3"}]}`), "unknown field plugin_id_list.id_list[0].tool_id"},
		{botBody(`"workflow_id_list":{"ids":[{"id":"1"}],"id_list":[]}`), "unknown field workflow_id_list.id_list"},
		{botBody(`"knowledge":{"knowledge_infos":[]}`), "unknown field knowledge.knowledge_infos"},
		{botBody(`"onboarding_info":{"Prologue":"hi"}`), "unknown field onboarding_info.Prologue"},
	} {
		wantErr(t, update(t, ts, c.body), http.StatusOK, "4000", c.want)
	}
	assertJSON(t, draft(t, s, testBot), before)

	// StrictFields explicitly true behaves the same; keys inside parameters are always free.
	yes := true
	_, tsYes := newTS(t, Options{StrictFields: &yes}, testBot)
	wantErr(t, update(t, tsYes, botBody(`"extra":1`)), http.StatusOK, "4000", "unknown field extra")
	wantOK(t, update(t, ts, botBody(`"model_info_config":{"model_id":"1","parameters":{"anything":{"deep":[1,"x"]}}}`)))

	// StrictFields false ignores unknown fields and does not store them.
	no := false
	sNo, tsNo := newTS(t, Options{StrictFields: &no}, testBot)
	wantOK(t, update(t, tsNo, botBody(`"space_id":"1","name":"kept","model_info_config":{"model_id":"1","temprature":0.5},"plugin_id_list":{"id_list":[{"plugin_id":"1","api_id":"2","tool_id":"3"}]}`)))
	assertJSON(t, draft(t, sNo, testBot), `{"name":"kept","description":"",
		"model_info_config":{"model_id":"1"},"plugin_id_list":{"id_list":[{"plugin_id":"1","api_id":"2"}]}}`)
	// ...but still validates the known ones.
	wantErr(t, update(t, tsNo, botBody(`"extra":1,"name":""`)), http.StatusOK, "4000", "name must be 1-20 characters, got 0")
}

func TestUnknownBot(t *testing.T) {
	s, ts := newTS(t, Options{}, testBot)
	const missing = "999"
	wantErr(t, update(t, ts, `{"bot_id":"999","name":"x"}`), http.StatusOK, "4200", "bot 999 does not exist or you have no permission")
	wantErr(t, call(t, ts, http.MethodPost, "/v1/bot/publish", goodAuth, `{"bot_id":"999","connector_ids":["1024"]}`),
		http.StatusOK, "4200", "bot 999 does not exist")
	wantErr(t, getBot(t, ts, missing, ""), http.StatusOK, "4200", "bot 999 does not exist")
	wantErr(t, getBot(t, ts, missing, "is_published=false"), http.StatusOK, "4200", "bot 999 does not exist")
	if s.HasBot(missing) {
		t.Fatal("update created a bot")
	}

	// A bot deleted out of band is gone everywhere.
	publish(t, ts, testBot)
	s.DeleteBot(testBot)
	if s.HasBot(testBot) {
		t.Fatal("HasBot after DeleteBot")
	}
	if _, found := s.Draft(testBot); found {
		t.Fatal("Draft after DeleteBot")
	}
	wantErr(t, getBot(t, ts, testBot, ""), http.StatusOK, "4200", "does not exist")
	wantErr(t, getBot(t, ts, testBot, "is_published=false"), http.StatusOK, "4200", "does not exist")
	wantErr(t, update(t, ts, botBody(`"name":"x"`)), http.StatusOK, "4200", "does not exist")
	called := false
	s.EditDraft(testBot, func(map[string]any) { called = true })
	if called {
		t.Fatal("EditDraft called edit for a missing bot")
	}
}

// ---- retrieve ----

func TestRetrieveShape(t *testing.T) {
	_, ts := newTS(t, Options{}, testBot)
	wantOK(t, update(t, ts, botBody(`
		"name": "Chef", "description": "cooks",
		"icon_file_id": "7369495981100001",
		"prompt_info": {"prompt": "", "prompt_mode": "prefix", "prefix_prompt_info": {"prefix_prompt": "rules"}},
		"onboarding_info": {"prologue": "hi {{user_name}}", "suggested_questions": ["a", "b"]},
		"knowledge": {"dataset_ids": ["300", "20", "1000", "20"], "auto_call": false, "search_strategy": 20},
		"plugin_id_list": {"id_list": [
			{"plugin_id": "7311989349275530002", "api_id": "5"},
			{"plugin_id": "7311989349275530001", "api_id": "30"},
			{"plugin_id": "7311989349275530002", "api_id": "4"},
			{"plugin_id": "7311989349275530001", "api_id": "4"}]},
		"workflow_id_list": {"ids": [{"id": "900"}, {"id": "80"}]},
		"model_info_config": {"model_id": "1737521813", "top_k": 50, "temperature": 0.7, "max_tokens": 1024,
			"sp_anti_leak": true, "sp_current_time": true, "cache_type": "prefix", "response_format": "markdown",
			"parameters": {"thinking_type": "disabled", "big": 9007199254740993, "tiny": 1e-7}},
		"suggest_reply_info": {"reply_mode": "customized", "customized_prompt": "follow up"}`)))

	r := getBot(t, ts, testBot, "is_published=false")
	wantOK(t, r)
	d := r.data()
	wantKeys := []string{"background_image_info", "bot_id", "bot_mode", "create_time", "default_user_input_type", "description", "folder_id",
		"icon_url", "knowledge", "media_config", "model_info", "name", "onboarding_info", "owner_user_id",
		"plugin_info_list", "prompt_info", "shortcut_commands", "suggest_reply_info", "update_time", "variables",
		"version", "voice_info_list", "workflow_info_list"}
	if got := keys(d); !slices.Equal(got, wantKeys) {
		t.Fatalf("data keys\n got %v\nwant %v", got, wantKeys)
	}
	for k, want := range map[string]any{"bot_id": testBot, "name": "Chef", "description": "cooks", "version": "",
		"bot_mode": json.Number("0"), "folder_id": "", "owner_user_id": "3290203001", "default_user_input_type": "text"} {
		if d[k] != want {
			t.Fatalf("%s = %#v, want %#v", k, d[k], want)
		}
	}
	iconRe := regexp.MustCompile(`^https://lf-coze-mock\.example/icon/7369495981100001\.png\?x-expires=(\d+)&x-signature=[0-9a-f]{32}$`)
	m := iconRe.FindStringSubmatch(d["icon_url"].(string))
	if m == nil {
		t.Fatalf("icon_url %q is not a signed URL", d["icon_url"])
	}
	if exp, _ := strconv.ParseInt(m[1], 10, 64); exp < time.Now().Unix()+3000 {
		t.Fatalf("icon_url expires too soon: %s", m[1])
	}
	for _, never := range []string{"icon_file_id", "auto_call", "search_strategy", "sp_anti_leak", "sp_current_time",
		"cache_type", "dataset_ids", "id_list", "model_info_config", "plugin_id_list", "workflow_id_list"} {
		if bytes.Contains(r.raw, []byte(`"`+never+`"`)) {
			t.Fatalf("retrieve returned %q: %s", never, r.raw)
		}
	}

	assertJSON(t, d["prompt_info"], `{"prompt":"","prompt_mode":"prefix","prefix_prompt_info":{"prefix_prompt":"rules","dynamic_prompt":""}}`)
	assertJSON(t, d["onboarding_info"], `{"prologue":"hi {{user_name}}","suggested_questions":["a","b"]}`)
	assertJSON(t, d["knowledge"], `{"knowledge_infos":[{"id":"20","name":"Knowledge 20"},{"id":"300","name":"Knowledge 300"},{"id":"1000","name":"Knowledge 1000"}]}`)
	assertJSON(t, d["suggest_reply_info"], `{"reply_mode":"customized","customized_prompt":"follow up"}`)
	assertJSON(t, d["model_info"], `{"model_id":"1737521813","model_name":"Doubao-Mock","top_k":50,"top_p":1,
		"max_tokens":1024,"temperature":0.7,"context_round":30,"response_format":"markdown","presence_penalty":0,
		"frequency_penalty":0,"api_mode":"chat_api","parameters":{"thinking_type":"disabled","big":9007199254740993,"tiny":1e-7}}`)
	for _, lit := range []string{`"temperature":0.7`, `"big":9007199254740993`, `"tiny":1e-7`} {
		if !bytes.Contains(r.raw, []byte(lit)) {
			t.Fatalf("number literal %s not returned unchanged: %s", lit, r.raw)
		}
	}

	// plugins grouped by plugin_id and sorted; tools sorted by api_id
	plugins := d["plugin_info_list"].([]any)
	if len(plugins) != 2 {
		t.Fatalf("plugin_info_list = %v", plugins)
	}
	wantPlugins := []struct {
		id   string
		apis []string
	}{{"7311989349275530001", []string{"4", "30"}}, {"7311989349275530002", []string{"4", "5"}}}
	for i, wp := range wantPlugins {
		p := plugins[i].(map[string]any)
		if p["plugin_id"] != wp.id || p["name"] != "Plugin "+wp.id {
			t.Fatalf("plugin %d = %v", i, p)
		}
		if u, _ := p["icon_url"].(string); !strings.HasPrefix(u, "https://lf-coze-mock.example/plugin_icon/"+wp.id+".png?x-expires=") {
			t.Fatalf("plugin icon_url = %q", u)
		}
		if _, has := p["description"]; !has {
			t.Fatalf("plugin lacks description: %v", p)
		}
		apis := p["api_info_list"].([]any)
		if len(apis) != len(wp.apis) {
			t.Fatalf("plugin %s apis = %v", wp.id, apis)
		}
		for j, aid := range wp.apis {
			a := apis[j].(map[string]any)
			if a["api_id"] != aid || a["name"] != "tool_"+aid {
				t.Fatalf("plugin %s api %d = %v", wp.id, j, a)
			}
			if _, has := a["description"]; !has {
				t.Fatalf("api lacks description: %v", a)
			}
		}
	}
	wfs := d["workflow_info_list"].([]any)
	if len(wfs) != 2 || wfs[0].(map[string]any)["id"] != "80" || wfs[1].(map[string]any)["id"] != "900" ||
		wfs[0].(map[string]any)["name"] != "Workflow 80" {
		t.Fatalf("workflow_info_list = %v", wfs)
	}
	if u, _ := wfs[1].(map[string]any)["icon_url"].(string); !strings.HasPrefix(u, "https://lf-coze-mock.example/workflow_icon/900.png?") {
		t.Fatalf("workflow icon_url = %q", u)
	}
	assertJSON(t, d["media_config"], `{"is_voice_call_closed":false}`)
	assertJSON(t, d["background_image_info"], `{
		"web_background_image":{"image_url":"","origin_image_url":"","theme_color":"","canvas_position":{},"gradient_position":{}},
		"mobile_background_image":{"image_url":"","origin_image_url":"","theme_color":"","canvas_position":{},"gradient_position":{}}}`)
	for _, k := range []string{"variables", "shortcut_commands", "voice_info_list"} {
		if !bytes.Contains(r.raw, []byte(`"`+k+`":[]`)) {
			t.Fatalf("%s is not []: %s", k, r.raw)
		}
	}
}

func TestRetrieveDefaults(t *testing.T) {
	s, ts := newTS(t, Options{}, testBot)
	r := getBot(t, ts, testBot, "is_published=false")
	wantOK(t, r)
	d := r.data()
	if d["name"] != "Bot 0001" || d["description"] != "" || d["version"] != "" {
		t.Fatalf("defaults: %s", r.raw)
	}
	if u := d["icon_url"].(string); !strings.HasPrefix(u, "https://lf-coze-mock.example/icon/default.png?x-expires=") {
		t.Fatalf("default icon_url = %q", u)
	}
	assertJSON(t, d["prompt_info"], `{"prompt":"","prompt_mode":"standard"}`)
	assertJSON(t, d["onboarding_info"], `{"prologue":""}`)
	assertJSON(t, d["suggest_reply_info"], `{"reply_mode":"disable","customized_prompt":""}`)
	assertJSON(t, d["model_info"], `{"model_id":"1706077826","model_name":"Doubao-Mock","top_k":0,"top_p":1,
		"max_tokens":4096,"temperature":1,"context_round":30,"response_format":"text","presence_penalty":0,
		"frequency_penalty":0,"api_mode":"chat_api","parameters":{}}`)
	for _, lit := range []string{`"knowledge":{"knowledge_infos":[]}`, `"plugin_info_list":[]`, `"workflow_info_list":[]`} {
		if !bytes.Contains(r.raw, []byte(lit)) {
			t.Fatalf("missing %s in %s", lit, r.raw)
		}
	}

	// An empty suggested_questions list is omitted; a stored model with no parameters
	// still gets "parameters": {}.
	wantOK(t, update(t, ts, botBody(`"onboarding_info":{"prologue":"p","suggested_questions":[]},"model_info_config":{"model_id":"42","top_p":0.5}`)))
	r = getBot(t, ts, testBot, "is_published=false")
	wantOK(t, r)
	assertJSON(t, r.data()["onboarding_info"], `{"prologue":"p"}`)
	mi := r.data()["model_info"].(map[string]any)
	if mi["model_id"] != "42" || mi["top_p"] != json.Number("0.5") || mi["max_tokens"] != json.Number("4096") {
		t.Fatalf("model_info = %v", mi)
	}
	assertJSON(t, mi["parameters"], `{}`)
	// The draft itself holds only what was sent.
	assertJSON(t, draft(t, s, testBot)["model_info_config"], `{"model_id":"42","top_p":0.5}`)
}

func TestRetrievePascalCaseOnboarding(t *testing.T) {
	_, ts := newTS(t, Options{OnboardingPascalCase: true}, testBot)
	wantOK(t, update(t, ts, botBody(`"onboarding_info":{"prologue":"hello","suggested_questions":["q1","q2"]}`)))
	r := getBot(t, ts, testBot, "is_published=false")
	wantOK(t, r)
	assertJSON(t, r.data()["onboarding_info"], `{"Prologue":"hello","SuggestedQuestions":["q1","q2"],
		"OnboardingMode":2,"CustomizedOnboardingPrompt":"","SuggestedQuestionsShowMode":0}`)
	if bytes.Contains(r.raw, []byte(`"prologue"`)) || bytes.Contains(r.raw, []byte(`"suggested_questions"`)) {
		t.Fatalf("snake_case onboarding keys in PascalCase mode: %s", r.raw)
	}
	// The update body stays snake_case: PascalCase is a retrieve quirk only.
	wantErr(t, update(t, ts, botBody(`"onboarding_info":{"Prologue":"x"}`)), http.StatusOK, "4000", "unknown field onboarding_info.Prologue")

	wantOK(t, update(t, ts, botBody(`"onboarding_info":{"suggested_questions":[]}`)))
	r = getBot(t, ts, testBot, "is_published=false")
	assertJSON(t, r.data()["onboarding_info"], `{"Prologue":"hello","OnboardingMode":2,"CustomizedOnboardingPrompt":"","SuggestedQuestionsShowMode":0}`)
}

// ParametersAsStrings answers parameters as the spec and SDKs type them: a map of strings.
// The stored draft keeps what was sent.
func TestRetrieveParametersAsStrings(t *testing.T) {
	params := `{"thinking_type":"disabled","store":true,"caching_expire_time":3600,"caching":{"type":"disabled"},"vendor":[1,"a"]}`
	for _, c := range []struct {
		asStrings bool
		want      string
	}{
		{false, params},
		{true, `{"thinking_type":"disabled","store":"true","caching_expire_time":"3600","caching":"{\"type\":\"disabled\"}","vendor":"[1,\"a\"]"}`},
	} {
		s, ts := newTS(t, Options{ParametersAsStrings: c.asStrings}, testBot)
		wantOK(t, update(t, ts, botBody(`"model_info_config":{"model_id":"1","parameters":`+params+`}`)))
		r := getBot(t, ts, testBot, "is_published=false")
		wantOK(t, r)
		model, _ := r.data()["model_info"].(map[string]any)
		assertJSON(t, model["parameters"], c.want)
		assertJSON(t, mapAt(mapAt(draft(t, s, testBot), "model_info_config"), "parameters"), params)
	}
}

// SetUnreadable: retrieve answers 4006 for a bot that the list still shows.
func TestSetUnreadable(t *testing.T) {
	s, ts := newTS(t, Options{}, testBot, "7342866800002")
	s.SetUnreadable(testBot, true)
	s.SetUnreadable("999", true) // unknown: ignored
	for _, q := range []string{"is_published=false", ""} {
		wantErr(t, getBot(t, ts, testBot, q), http.StatusOK, "4006", "invalid bot id "+testBot)
	}
	wantOK(t, getBot(t, ts, "7342866800002", "is_published=false"))
	items, _ := listItems(t, list(t, ts, "workspace_id="+DefaultSpaceID+"&publish_status=all"))
	if got := ids(items); !slices.Contains(got, testBot) {
		t.Errorf("the list must still show the unreadable bot, got %v", got)
	}
	s.SetUnreadable(testBot, false)
	wantOK(t, getBot(t, ts, testBot, "is_published=false"))
}

func TestRetrieveBotIDAndQueryValidation(t *testing.T) {
	_, ts := newTS(t, Options{}, testBot)
	for _, id := range []string{"abc", "12a", "-1", "1.5"} {
		wantErr(t, getBot(t, ts, id, "is_published=false"), http.StatusOK, "4000", "bot_id must be a string of decimal digits")
	}
	wantErr(t, getBot(t, ts, testBot, "is_published=maybe"), http.StatusOK, "4000", `is_published must be true or false, got "maybe"`)
	// strconv.ParseBool spellings are accepted
	wantOK(t, getBot(t, ts, testBot, "is_published=0"))
	wantOK(t, getBot(t, ts, testBot, "is_published=FALSE"))
}

func TestDraftVersusPublished(t *testing.T) {
	_, ts := newTS(t, Options{}, testBot)
	for _, q := range []string{"", "is_published=true", "is_published="} {
		wantErr(t, getBot(t, ts, testBot, q), http.StatusOK, "4015", "bot has not been published to the API channel")
	}
	pub := func(body string) resp {
		return call(t, ts, http.MethodPost, "/v1/bot/publish", goodAuth, body)
	}
	wantErr(t, pub(`{"bot_id":"7342866800001"}`), http.StatusOK, "4000", "connector_ids is required")
	wantErr(t, pub(`{"bot_id":"7342866800001","connector_ids":[]}`), http.StatusOK, "4000", "connector_ids must have at least 1 item(s), got 0")
	wantErr(t, pub(`{"bot_id":"7342866800001","connector_ids":"1024"}`), http.StatusOK, "4000", "connector_ids must be an array, got string")
	wantErr(t, pub(`{"bot_id":"7342866800001","connector_ids":["API"]}`), http.StatusOK, "4000", `connector_ids[0] must be a string of decimal digits, got "API"`)
	wantErr(t, pub(`{"connector_ids":["1024"]}`), http.StatusOK, "4000", "bot_id is required")
	wantErr(t, getBot(t, ts, testBot, ""), http.StatusOK, "4015", "not been published")

	wantOK(t, update(t, ts, botBody(`"name":"First"`)))
	start := time.Now().UnixMilli()
	r := pub(`{"bot_id":"7342866800001","connector_ids":["1024","999","7470849514748001"],"connectors":{"7470849514748001":{"device_id":"[\"1\"]"}}}`)
	wantOK(t, r)
	assertJSON(t, keys(r.data()), `["bot_id","version"]`)
	v1, _ := r.data()["version"].(string)
	if r.data()["bot_id"] != testBot {
		t.Fatalf("publish data = %v", r.data())
	}
	if n, err := strconv.ParseInt(v1, 10, 64); err != nil || n < start || n > time.Now().UnixMilli()+1000 {
		t.Fatalf("version %q is not a current unix-milliseconds string", v1)
	}

	for _, q := range []string{"", "is_published=true"} {
		r = getBot(t, ts, testBot, q)
		wantOK(t, r)
		if r.data()["name"] != "First" || r.data()["version"] != v1 {
			t.Fatalf("published copy: %s", r.raw)
		}
	}

	// Updates change the draft only.
	wantOK(t, update(t, ts, botBody(`"name":"Second","knowledge":{"dataset_ids":["5"]}`)))
	r = getBot(t, ts, testBot, "")
	if r.data()["name"] != "First" || !bytes.Contains(r.raw, []byte(`"knowledge_infos":[]`)) {
		t.Fatalf("published copy changed by an update: %s", r.raw)
	}
	r = getBot(t, ts, testBot, "is_published=false")
	if r.data()["name"] != "Second" || r.data()["version"] != v1 {
		t.Fatalf("draft after update: %s", r.raw)
	}

	v2 := publish(t, ts, testBot)
	n1, _ := strconv.ParseInt(v1, 10, 64)
	n2, _ := strconv.ParseInt(v2, 10, 64)
	if n2 <= n1 {
		t.Fatalf("second version %s not after %s", v2, v1)
	}
	r = getBot(t, ts, testBot, "")
	if r.data()["name"] != "Second" || r.data()["version"] != v2 || !bytes.Contains(r.raw, []byte(`"id":"5"`)) {
		t.Fatalf("published copy after second publish: %s", r.raw)
	}
}

func TestEditDraftOutOfBand(t *testing.T) {
	s, ts := newTS(t, Options{}, testBot)
	wantOK(t, update(t, ts, botBody(`"model_info_config":{"model_id":"1","top_k":3}`)))
	s.EditDraft(testBot, func(d map[string]any) {
		d["name"] = "Edited in UI"
		d["onboarding_info"] = map[string]any{"prologue": "from UI", "suggested_questions": []string{"x"}}
		d["model_info_config"].(map[string]any)["temperature"] = 0.25
		d["knowledge"] = map[string]any{"dataset_ids": []string{"9", "8"}}
	})
	d := draft(t, s, testBot)
	assertJSON(t, d, `{"name":"Edited in UI","description":"","onboarding_info":{"prologue":"from UI","suggested_questions":["x"]},
		"model_info_config":{"model_id":"1","top_k":3,"temperature":0.25},"knowledge":{"dataset_ids":["9","8"]}}`)
	if v := d["model_info_config"].(map[string]any)["temperature"]; v != json.Number("0.25") {
		t.Fatalf("edited number not normalised to json.Number: %#v", v)
	}
	r := getBot(t, ts, testBot, "is_published=false")
	wantOK(t, r)
	if r.data()["name"] != "Edited in UI" {
		t.Fatalf("retrieve after EditDraft: %s", r.raw)
	}
	assertJSON(t, r.data()["knowledge"], `{"knowledge_infos":[{"id":"8","name":"Knowledge 8"},{"id":"9","name":"Knowledge 9"}]}`)
	// An out-of-band edit that breaks a cross-field rule makes later updates fail, as on the real platform.
	s.EditDraft(testBot, func(d map[string]any) {
		d["suggest_reply_info"] = map[string]any{"reply_mode": "customized"}
	})
	wantErr(t, update(t, ts, botBody(`"name":"x"`)), http.StatusOK, "4000", "customized_prompt is required")
}

// ---- faults ----

func TestFaultStatusAndRetryAfter(t *testing.T) {
	s, ts := newTS(t, Options{}, testBot)
	before := canon(t, draft(t, s, testBot))
	s.InjectFault(Fault{Method: http.MethodPost, Path: "/v1/bot/update", Status: http.StatusTooManyRequests, RetryAfter: "2"})
	r := update(t, ts, botBody(`"name":"after fault"`))
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != "2" {
		t.Fatalf("got HTTP %d Retry-After %q", r.status, r.header.Get("Retry-After"))
	}
	if r.code() != "4020" || r.msg() != "Too Many Requests" {
		t.Fatalf("derived envelope: %s", r.raw)
	}
	checkLogID(t, r)
	assertJSON(t, draft(t, s, testBot), before) // the faulted request was not processed
	// Times 0 means once: the retry goes through.
	wantOK(t, update(t, ts, botBody(`"name":"after fault"`)))
	if len(s.RequestsTo(http.MethodPost, "/v1/bot/update")) != 2 {
		t.Fatal("faulted request not recorded")
	}

	s.InjectFault(Fault{Status: http.StatusServiceUnavailable, Code: 4009, Msg: "system overloaded", RetryAfter: "Wed, 21 Oct 2015 07:28:00 GMT"})
	r = getBot(t, ts, testBot, "is_published=false")
	if r.status != http.StatusServiceUnavailable || r.code() != "4009" || r.msg() != "system overloaded" ||
		r.header.Get("Retry-After") != "Wed, 21 Oct 2015 07:28:00 GMT" {
		t.Fatalf("got HTTP %d %s", r.status, r.raw)
	}
	checkLogID(t, r)
	s.InjectFault(Fault{Status: http.StatusInternalServerError})
	r = getBot(t, ts, testBot, "is_published=false")
	if r.status != 500 || r.code() != "5000" {
		t.Fatalf("got HTTP %d %s", r.status, r.raw)
	}
	wantOK(t, getBot(t, ts, testBot, "is_published=false"))
}

func TestFaultCode(t *testing.T) {
	s, ts := newTS(t, Options{}, testBot)
	s.InjectFault(Fault{Method: http.MethodGet, Path: "/v1/bots/*", Code: 5000, Msg: "internal server error"})
	r := getBot(t, ts, testBot, "is_published=false")
	wantErr(t, r, http.StatusOK, "5000", "internal server error")
	if r.msg() != "internal server error" {
		t.Fatalf("msg = %q", r.msg())
	}
	assertJSON(t, keys(r.env), `["code","detail","msg"]`)
	wantOK(t, getBot(t, ts, testBot, "is_published=false"))
}

func TestFaultRawBody(t *testing.T) {
	s, ts := newTS(t, Options{}, testBot)
	const page = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>\n"
	s.InjectFault(Fault{Path: "/v1/bot/update", Status: http.StatusBadGateway, RawBody: page, Code: 4000})
	r := update(t, ts, botBody(`"name":"x"`))
	if r.status != http.StatusBadGateway || string(r.raw) != page {
		t.Fatalf("got HTTP %d body %q", r.status, r.raw)
	}
	if ct := r.header.Get("Content-Type"); ct != "text/html" {
		t.Fatalf("Content-Type = %q", ct)
	}
	checkLogID(t, r)
	if draft(t, s, testBot)["name"] != "Bot 0001" {
		t.Fatal("faulted update was applied")
	}
}

// AfterServing: the request is carried out, and its answer lost.
func TestFaultAfterServing(t *testing.T) {
	s, ts := newTS(t, Options{}, testBot)
	s.InjectFault(Fault{Path: "/v1/bot/update", Status: http.StatusGatewayTimeout, RawBody: "<html>504</html>", AfterServing: true})
	if r := update(t, ts, botBody(`"name":"served"`)); r.status != http.StatusGatewayTimeout || string(r.raw) != "<html>504</html>" {
		t.Fatalf("got HTTP %d body %q", r.status, r.raw)
	}
	if draft(t, s, testBot)["name"] != "served" {
		t.Fatal("the request was not carried out")
	}
}

func TestFaultTimesPrefixMethodAndOrder(t *testing.T) {
	s, ts := newTS(t, Options{}, testBot)
	// Times
	s.InjectFault(Fault{Path: "/v1/bots/" + testBot, Code: 4009, Times: 2})
	for i := 0; i < 2; i++ {
		wantErr(t, getBot(t, ts, testBot, "is_published=false"), http.StatusOK, "4009", "")
	}
	wantOK(t, getBot(t, ts, testBot, "is_published=false"))

	// Prefix match and method filter; a non-matching fault is not consumed.
	s.InjectFault(Fault{Method: http.MethodPost, Path: "/v1/bots/*", Code: 4101, Msg: "no permission"})
	s.InjectFault(Fault{Path: "/v1/bots/*", Code: 5000, Msg: "prefix"})
	wantOK(t, update(t, ts, botBody(`"name":"y"`))) // /v1/bot/update does not match /v1/bots/*
	wantErr(t, getBot(t, ts, testBot, "is_published=false"), http.StatusOK, "5000", "prefix")
	wantOK(t, getBot(t, ts, testBot, "is_published=false"))
	r := call(t, ts, http.MethodPost, "/v1/bots/"+testBot, goodAuth, "{}")
	wantErr(t, r, http.StatusOK, "4101", "no permission") // the POST fault was still queued
	if r := call(t, ts, http.MethodPost, "/v1/bots/"+testBot, goodAuth, "{}"); r.status != http.StatusMethodNotAllowed {
		t.Fatalf("fault not removed after use: %s", r.raw)
	}

	// FIFO among matching faults
	s.InjectFault(Fault{Code: 5000, Msg: "first"})
	s.InjectFault(Fault{Code: 4009, Msg: "second"})
	wantErr(t, update(t, ts, botBody("")), http.StatusOK, "5000", "first")
	wantErr(t, getBot(t, ts, testBot, ""), http.StatusOK, "4009", "second")
	wantOK(t, update(t, ts, botBody("")))

	// Faults apply before auth: a gateway error reaches clients with any token.
	s.InjectFault(Fault{Code: 5000, Msg: "gateway"})
	wantErr(t, call(t, ts, http.MethodGet, "/v1/bots/1", "", ""), http.StatusOK, "5000", "gateway")
}

func TestClearFaults(t *testing.T) {
	s, ts := newTS(t, Options{}, testBot)
	s.InjectFault(Fault{Path: "/v1/bots/*", Code: 4101, Msg: "no permission", Times: 5})
	wantErr(t, getBot(t, ts, testBot, "is_published=false"), http.StatusOK, "4101", "no permission")
	s.ClearFaults()
	wantOK(t, getBot(t, ts, testBot, "is_published=false"))
}

func TestFaultDelay(t *testing.T) {
	s := New(Options{})
	s.AddBot(testBot)
	ts := httptest.NewServer(s)
	closed := false
	defer func() {
		if !closed {
			ts.Close()
		}
	}()

	// Delay only: served normally afterwards.
	s.InjectFault(Fault{Path: "/v1/bots/*", Delay: 150 * time.Millisecond})
	start := time.Now()
	wantOK(t, callWith(t, ts.Client(), ts.URL, http.MethodGet, "/v1/bots/"+testBot+"?is_published=false", goodAuth, ""))
	if el := time.Since(start); el < 150*time.Millisecond {
		t.Fatalf("delay not applied: %v", el)
	}

	// A long delay is abandoned when the client gives up.
	s.InjectFault(Fault{Path: "/v1/bot/update", Delay: 10 * time.Second, Status: 500})
	c := &http.Client{Timeout: 200 * time.Millisecond}
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/v1/bot/update", strings.NewReader(botBody(`"name":"late"`)))
	req.Header.Set("Authorization", goodAuth)
	start = time.Now()
	res, err := c.Do(req)
	if err == nil {
		res.Body.Close()
		t.Fatalf("request answered despite the delay: HTTP %d", res.StatusCode)
	}
	var ne interface{ Timeout() bool }
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("want a client timeout, got %v", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Fatalf("client waited %v", el)
	}
	// Close blocks until every handler has returned: it is quick only if the handler
	// honoured the cancelled request context.
	start = time.Now()
	ts.Close()
	closed = true
	if el := time.Since(start); el > 3*time.Second {
		t.Fatalf("handler kept sleeping after the client left (Close took %v)", el)
	}
	if got := len(s.RequestsTo(http.MethodPost, "/v1/bot/update")); got != 1 {
		t.Fatalf("delayed request logged %d times", got)
	}
	if draft(t, s, testBot)["name"] != "Bot 0001" {
		t.Fatal("abandoned request was applied")
	}
}

// ---- request log ----

func TestRequestLog(t *testing.T) {
	const secret = "pat_supersecret_123"
	var mu sync.Mutex
	var lines []string
	s, ts := newTS(t, Options{Token: secret, Logf: func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		lines = append(lines, fmt.Sprintf(format, args...))
	}}, testBot)
	body := botBody(`"name":"logged"`)
	wantOK(t, call(t, ts, http.MethodPost, "/v1/bot/update", "Bearer "+secret, body))
	wantOK(t, call(t, ts, http.MethodGet, "/v1/bots/"+testBot+"?is_published=false", "Bearer "+secret, ""))
	r := call(t, ts, http.MethodGet, "/v1/bots/"+testBot, "Bearer wrong_"+secret, "")
	wantErr(t, r, http.StatusUnauthorized, "4100", "")
	call(t, ts, http.MethodGet, "/v1/bots/"+testBot, "", "")

	reqs := s.Requests()
	if len(reqs) != 4 {
		t.Fatalf("logged %d requests, want 4", len(reqs))
	}
	if reqs[0].Method != http.MethodPost || reqs[0].Path != "/v1/bot/update" || string(reqs[0].Body) != body || reqs[0].RawQuery != "" {
		t.Fatalf("first request = %+v", reqs[0])
	}
	if reqs[1].Method != http.MethodGet || reqs[1].Path != "/v1/bots/"+testBot || reqs[1].RawQuery != "is_published=false" || len(reqs[1].Body) != 0 {
		t.Fatalf("second request = %+v", reqs[1])
	}
	if reqs[0].Header.Get("Content-Type") != "application/json" {
		t.Fatalf("headers not recorded: %v", reqs[0].Header)
	}
	for i, rq := range reqs[:3] {
		if got := rq.Header.Get("Authorization"); got != "Bearer <redacted>" {
			t.Fatalf("request %d Authorization = %q", i, got)
		}
		if rq.Time.IsZero() || (i > 0 && rq.Time.Before(reqs[i-1].Time)) {
			t.Fatalf("request %d time %v", i, rq.Time)
		}
	}
	if _, has := reqs[3].Header["Authorization"]; has {
		t.Fatalf("absent Authorization recorded: %v", reqs[3].Header)
	}
	for _, rq := range reqs {
		if strings.Contains(fmt.Sprint(rq.Header), secret) {
			t.Fatal("token leaked into the request log")
		}
	}
	mu.Lock()
	if len(lines) != 4 {
		t.Fatalf("Logf lines = %d, want 4: %q", len(lines), lines)
	}
	for _, l := range lines {
		if strings.Contains(l, secret) || strings.Contains(l, "supersecret") {
			t.Fatalf("token in log line %q", l)
		}
	}
	if !strings.Contains(lines[0], "POST /v1/bot/update") || !strings.Contains(lines[2], "4100") {
		t.Fatalf("log lines lack method/path/code: %q", lines)
	}
	mu.Unlock()

	// Copies, filtering, reset.
	reqs[0].Body[0] = 'X'
	reqs[0].Header.Set("Authorization", "changed")
	again := s.Requests()
	if again[0].Body[0] != '{' || again[0].Header.Get("Authorization") != "Bearer <redacted>" {
		t.Fatal("Requests does not return copies")
	}
	if got := s.RequestsTo(http.MethodGet, "/v1/bots/"+testBot); len(got) != 3 {
		t.Fatalf("RequestsTo GET = %d, want 3", len(got))
	}
	if got := s.RequestsTo(http.MethodGet, "/v1/bots/"); len(got) != 0 {
		t.Fatalf("RequestsTo must match the path exactly, got %d", len(got))
	}
	if got := s.RequestsTo(http.MethodPost, "/v1/bots/"+testBot); len(got) != 0 {
		t.Fatalf("RequestsTo must filter by method, got %d", len(got))
	}
	s.ResetRequests()
	if len(s.Requests()) != 0 {
		t.Fatal("ResetRequests left entries")
	}
	getBot(t, ts, testBot, "") // wrong token for this server, still logged
	if len(s.Requests()) != 1 {
		t.Fatal("logging stopped after reset")
	}
}

// ---- concurrency ----

func TestConcurrentRequests(t *testing.T) {
	bots := []string{"100001", "100002", "100003"}
	s, ts := newTS(t, Options{}, bots...)
	const workers, rounds = 24, 15
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds*3)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			c := ts.Client()
			b := bots[w%len(bots)]
			do := func(method, path, body string) {
				req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
				req.Header.Set("Authorization", goodAuth)
				res, err := c.Do(req)
				if err != nil {
					errs <- err
					return
				}
				raw, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != 200 || !bytes.Contains(raw, []byte(`"code":0,`)) {
					errs <- fmt.Errorf("%s %s: HTTP %d %s", method, path, res.StatusCode, raw)
				}
			}
			for i := 0; i < rounds; i++ {
				do(http.MethodPost, "/v1/bot/update", fmt.Sprintf(`{"bot_id":%q,"name":"w%d-%d","model_info_config":{"model_id":"1","top_k":%d},"knowledge":{"dataset_ids":["%d"]}}`, b, w, i, i, i+1))
				do(http.MethodGet, "/v1/bots/"+b+"?is_published=false", "")
				if i%5 == 0 {
					do(http.MethodPost, "/v1/bot/publish", fmt.Sprintf(`{"bot_id":%q,"connector_ids":["1024"]}`, b))
				}
				_, _ = s.Draft(b)
				_ = s.Requests()
				_ = s.HasBot(b)
				if i%7 == 0 {
					s.EditDraft(b, func(d map[string]any) { d["description"] = "edited" })
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	perWorker := rounds*2 + (rounds+4)/5
	if got := len(s.Requests()); got != workers*perWorker {
		t.Fatalf("logged %d requests, want %d", got, workers*perWorker)
	}
	for _, b := range bots {
		d := draft(t, s, b)
		if name, _ := d["name"].(string); !strings.HasPrefix(name, "w") {
			t.Fatalf("bot %s name %q", b, name)
		}
		if d["model_info_config"].(map[string]any)["model_id"] != "1" {
			t.Fatalf("bot %s draft %v", b, d)
		}
	}
}

func TestRateLimitAnswers429WithRetryAfter(t *testing.T) {
	s := New(Options{RateLimit: 2})
	s.AddBot("7342866800001")
	srv := httptest.NewServer(s)
	defer srv.Close()
	limited := 0
	for range 6 {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/bots/7342866800001?is_published=false", nil)
		req.Header.Set("Authorization", "Bearer "+DefaultToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var env struct{ Code int }
		_ = json.NewDecoder(resp.Body).Decode(&env)
		resp.Body.Close()
		if resp.StatusCode == http.StatusTooManyRequests {
			limited++
			if env.Code != 4020 || resp.Header.Get("Retry-After") != "1" {
				t.Errorf("429 answer: code %d, Retry-After %q", env.Code, resp.Header.Get("Retry-After"))
			}
		}
	}
	if limited == 0 || s.RateLimited() != limited {
		t.Errorf("limited %d requests, counter says %d", limited, s.RateLimited())
	}
}

// Settings that only the Coze UI makes (EditDraft) come back from retrieve
// under their documented names; folder_id also in the list.
func TestRetrieveShowsSettingsMadeInTheUI(t *testing.T) {
	s, ts := newTS(t, Options{}, testBot)
	s.EditDraft(testBot, func(d map[string]any) {
		d["folder_id"] = "7523161255335420"
		d["default_user_input_type"] = "voice"
		d["variables"] = []any{map[string]any{"keyword": "name", "channel": "custom", "description": "user name",
			"default_value": "", "enable": true, "prompt_enable": true}}
		d["voice_info_list"] = []any{map[string]any{"voice_id": "7468512265134800000", "language_code": "zh"}}
		d["media_config"] = map[string]any{"is_voice_call_closed": true}
	})
	r := getBot(t, ts, testBot, "is_published=false")
	wantOK(t, r)
	d := r.data()
	if d["folder_id"] != "7523161255335420" || d["default_user_input_type"] != "voice" {
		t.Fatalf("folder_id, default_user_input_type: %s", r.raw)
	}
	assertJSON(t, d["variables"], `[{"keyword":"name","channel":"custom","description":"user name","default_value":"","enable":true,"prompt_enable":true}]`)
	assertJSON(t, d["voice_info_list"], `[{"voice_id":"7468512265134800000","language_code":"zh"}]`)
	assertJSON(t, d["media_config"], `{"is_voice_call_closed":true}`)
	assertJSON(t, d["shortcut_commands"], `[]`)
	list := call(t, ts, http.MethodGet, "/v1/bots?workspace_id="+DefaultSpaceID+"&publish_status=all", goodAuth, "")
	wantOK(t, list)
	if item := list.data()["items"].([]any)[0].(map[string]any); item["folder_id"] != "7523161255335420" {
		t.Fatalf("list item folder_id: %s", list.raw)
	}
}

// EchoAuthorization puts the request's Authorization header into every
// JSON answer, errors included; by default no answer carries it.
func TestEchoAuthorization(t *testing.T) {
	_, plain := newTS(t, Options{}, testBot)
	if r := getBot(t, plain, testBot, "is_published=false"); bytes.Contains(r.raw, []byte(DefaultToken)) {
		t.Fatalf("the token is echoed without the option: %s", r.raw)
	}
	_, echo := newTS(t, Options{EchoAuthorization: true}, testBot)
	for _, r := range []resp{getBot(t, echo, testBot, "is_published=false"), getBot(t, echo, "7342866809999", "")} {
		d, _ := r.env["detail"].(map[string]any)
		if d["request_authorization"] != goodAuth {
			t.Fatalf("detail = %v, want request_authorization %q", d, goodAuth)
		}
	}
}

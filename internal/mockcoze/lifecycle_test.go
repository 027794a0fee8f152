package mockcoze

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

const spaceA = "7341000000000001"

func create(t *testing.T, ts *httptest.Server, body string) resp {
	t.Helper()
	return call(t, ts, http.MethodPost, "/v1/bot/create", goodAuth, body)
}

// createBot creates a bot and returns its id.
func createBot(t *testing.T, ts *httptest.Server, space, name string) string {
	t.Helper()
	r := create(t, ts, fmt.Sprintf(`{"space_id":%q,"name":%q}`, space, name))
	wantOK(t, r)
	id, _ := r.data()["bot_id"].(string)
	return id
}

func pubBody(t *testing.T, ts *httptest.Server, body string) resp {
	t.Helper()
	return call(t, ts, http.MethodPost, "/v1/bot/publish", goodAuth, body)
}

func unpublish(t *testing.T, ts *httptest.Server, botID, body string) resp {
	t.Helper()
	return call(t, ts, http.MethodPost, "/v1/bots/"+botID+"/unpublish", goodAuth, body)
}

func list(t *testing.T, ts *httptest.Server, query string) resp {
	t.Helper()
	return call(t, ts, http.MethodGet, "/v1/bots?"+query, goodAuth, "")
}

func botCount(s *Server) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.bots)
}

// ---- create ----

const createExample = `{
  "space_id": "7341000000000001",
  "name": "每日学一菜",
  "description": "每天教你一道菜的做法，暑假之后你将成为中餐大厨～",
  "icon_file_id": "7369495981100001",
  "prompt_info": {"prompt": "你是一位经验丰富的中餐大厨。"},
  "plugin_id_list": {"id_list": [{"plugin_id": "7311989349275530001", "api_id": "7350575366173620001"}]},
  "onboarding_info": {"prologue": "欢迎你，学徒，今天想学一道什么样的菜？", "suggested_questions": ["川菜，我想吃辣的", "广东菜，来点鲜的"]},
  "model_info_config": {"model_id": "1706077826", "temperature": 0.7, "sp_anti_leak": true, "parameters": {"thinking_type": "disabled"}},
  "workflow_id_list": {"ids": [{"id": "7460491086110370001"}]},
  "suggest_reply_info": {"reply_mode": "customized", "customized_prompt": "ask about spice"}
}`

func TestCreateHappyPath(t *testing.T) {
	s, ts := newTS(t, Options{})
	before := time.Now().Unix()
	r := create(t, ts, createExample)
	wantOK(t, r)
	if got := keys(r.data()); !slices.Equal(got, []string{"bot_id"}) {
		t.Fatalf("create data keys = %v: %s", got, r.raw)
	}
	if got := keys(r.env); !slices.Equal(got, []string{"code", "data", "detail", "msg"}) {
		t.Fatalf("create envelope keys = %v", got)
	}
	id, _ := r.data()["bot_id"].(string)
	if id != "7500000000000000000" {
		t.Fatalf("first created bot id = %q, want 7500000000000000000", id)
	}
	if space, found := s.SpaceOf(id); !found || space != spaceA {
		t.Fatalf("SpaceOf(%s) = %q, %v", id, space, found)
	}
	// The draft holds exactly what was sent, minus space_id, numbers as sent.
	var want map[string]any
	dec := json.NewDecoder(strings.NewReader(createExample))
	dec.UseNumber()
	if err := dec.Decode(&want); err != nil {
		t.Fatal(err)
	}
	delete(want, "space_id")
	sameValue(t, draft(t, s, id), want)

	// It is an unpublished draft: readable as a draft, 4015 as published.
	g := getBot(t, ts, id, "is_published=false")
	wantOK(t, g)
	d := g.data()
	if d["bot_id"] != id || d["name"] != "每日学一菜" || d["version"] != "" {
		t.Fatalf("retrieve of created bot: %s", g.raw)
	}
	ct, _ := d["create_time"].(json.Number)
	if n, err := ct.Int64(); err != nil || n < before || n > time.Now().Unix() {
		t.Fatalf("create_time = %v", d["create_time"])
	}
	if icon, _ := d["icon_url"].(string); !strings.Contains(icon, "/icon/7369495981100001.") {
		t.Fatalf("icon_url %q does not carry icon_file_id", icon)
	}
	wantErr(t, getBot(t, ts, id, ""), http.StatusOK, "4015", "not been published")
	if pc := s.PublishedConnectors(id); pc != nil {
		t.Fatalf("PublishedConnectors of a new bot = %v", pc)
	}

	// Ids are new and increasing; an id in use (seeded by AddBot) is skipped.
	s.AddBot("7500000000000000001")
	id2 := createBot(t, ts, spaceA, "second")
	if id2 != "7500000000000000002" {
		t.Fatalf("second created id = %q, want 7500000000000000002 (7500000000000000001 is taken)", id2)
	}
	if space, _ := s.SpaceOf("7500000000000000001"); space != DefaultSpaceID {
		t.Fatalf("AddBot space = %q", space)
	}
	// Minimal body: name only (plus the space); description etc. unset.
	assertJSON(t, draft(t, s, id2), `{"name":"second"}`)

	// A created bot is updated and published like any other.
	wantOK(t, update(t, ts, fmt.Sprintf(`{"bot_id":%q,"knowledge":{"dataset_ids":["9"]}}`, id2)))
	publish(t, ts, id2)
	wantOK(t, getBot(t, ts, id2, ""))
}

func TestCreateRequiredFields(t *testing.T) {
	s, ts := newTS(t, Options{})
	for _, c := range []struct{ body, want string }{
		{`{"name":"x"}`, "invalid parameter: space_id is required"},
		{`{"space_id":null,"name":"x"}`, "invalid parameter: space_id is required"},
		{`{"space_id":"","name":"x"}`, "invalid parameter: space_id is required"},
		{`{"space_id":"ws-1","name":"x"}`, `invalid parameter: space_id must be a string of decimal digits, got "ws-1"`},
		{`{"space_id":7341,"name":"x"}`, "invalid parameter: space_id must be a string of decimal digits, got number"},
		{`{"space_id":"7341"}`, "invalid parameter: name is required"},
		{`{"space_id":"7341","name":null}`, "invalid parameter: name is required"},
		{`{"space_id":"7341","name":""}`, "invalid parameter: name must be 1-20 characters, got 0"},
		{`{"space_id":"7341","name":"` + strings.Repeat("菜", 21) + `"}`, "invalid parameter: name must be 1-20 characters, got 21"},
		{`{"space_id":"7341","name":7}`, "invalid parameter: name must be a string, got number"},
		{``, "invalid request body: empty body"},
		{`not json`, "invalid request body: "},
		{`[]`, "invalid request body: expected a JSON object, got array"},
	} {
		wantErr(t, create(t, ts, c.body), http.StatusOK, "4000", c.want)
	}
	if n := botCount(s); n != 0 {
		t.Fatalf("failed creates made %d bots", n)
	}
	// 20 characters (not bytes) is the limit.
	wantOK(t, create(t, ts, `{"space_id":"7341","name":"`+strings.Repeat("菜", 20)+`"}`))
}

func TestCreateRejectsKnowledgeAndUnknownFields(t *testing.T) {
	s, ts := newTS(t, Options{})
	for _, c := range []struct{ body, want string }{
		{`{"space_id":"1","name":"x","knowledge":{"dataset_ids":["1"]}}`, "invalid parameter: unknown field knowledge: create does not accept knowledge"},
		{`{"space_id":"1","name":"x","knowledge":null}`, "unknown field knowledge"},
		{`{"space_id":"1","name":"x","knowledge":{}}`, "bind knowledge bases with POST /v1/bot/update"},
		{`{"space_id":"1","name":"x","bot_id":"1"}`, "invalid parameter: unknown field bot_id"},
		{`{"space_id":"1","name":"x","workspace_id":"1"}`, "unknown field workspace_id"},
		{`{"space_id":"1","name":"x","prompt_info":{"promt":"x"}}`, "unknown field prompt_info.promt"},
		{`{"space_id":"1","name":"x","plugin_id_list":{"id_list":[{"plugin_id":"1","api_id":"2","tool_id":"3"}]}}`, "unknown field plugin_id_list.id_list[0].tool_id"},
	} {
		wantErr(t, create(t, ts, c.body), http.StatusOK, "4000", c.want)
	}
	if n := botCount(s); n != 0 {
		t.Fatalf("rejected creates made %d bots", n)
	}

	// StrictFields false: knowledge and unknown fields are dropped, the rest is stored.
	no := false
	sNo, tsNo := newTS(t, Options{StrictFields: &no})
	r := create(t, tsNo, `{"space_id":"1","name":"x","knowledge":{"dataset_ids":["1"]},"extra":1,"model_info_config":{"model_id":"1","temprature":1}}`)
	wantOK(t, r)
	id, _ := r.data()["bot_id"].(string)
	assertJSON(t, draft(t, sNo, id), `{"name":"x","model_info_config":{"model_id":"1"}}`)
	// ...but still validates the known ones.
	wantErr(t, create(t, tsNo, `{"space_id":"1","name":"","knowledge":{}}`), http.StatusOK, "4000", "name must be 1-20 characters, got 0")
}

func TestCreateReusesUpdateValidation(t *testing.T) {
	s, ts := newTS(t, Options{})
	body := func(members string) string { return `{"space_id":"1","name":"n",` + members + `}` }
	for _, c := range []struct{ members, want string }{
		{`"description":"` + strings.Repeat("d", 501) + `"`, "description must be at most 500 characters, got 501"},
		{`"icon_file_id":"icon.png"`, `icon_file_id must be a string of decimal digits, got "icon.png"`},
		{`"prompt_info":{"prompt":"` + strings.Repeat("p", 20001) + `"}`, "prompt_info.prompt must be at most 20000 characters, got 20001"},
		{`"prompt_info":{"prompt_mode":"cached"}`, `prompt_info.prompt_mode must be one of standard, prefix, got "cached"`},
		{`"onboarding_info":{"prologue":"` + strings.Repeat("o", 301) + `"}`, "onboarding_info.prologue must be at most 300 characters, got 301"},
		{`"onboarding_info":{"suggested_questions":["ok","` + strings.Repeat("q", 51) + `"]}`, "onboarding_info.suggested_questions[1] must be at most 50 characters, got 51"},
		{`"plugin_id_list":{"id_list":[{"plugin_id":"1"}]}`, "plugin_id_list.id_list[0].api_id is required"},
		{`"workflow_id_list":{"ids":[{"id":"x"}]}`, `workflow_id_list.ids[0].id must be a string of decimal digits, got "x"`},
		{`"model_info_config":{"temperature":1}`, "model_info_config.model_id is required"},
		{`"model_info_config":{"model_id":"1","top_p":1.5}`, "model_info_config.top_p must be between 0 and 1, got 1.5"},
		{`"model_info_config":{"model_id":"1","top_k":1.5}`, "model_info_config.top_k must be an integer, got 1.5"},
		{`"model_info_config":{"model_id":"1","parameters":{"thinking_type":"on"}}`, `model_info_config.parameters.thinking_type must be one of enabled, disabled, auto, got "on"`},
		{`"model_info_config":{"model_id":"1","parameters":{"caching_expire_time":259201}}`, "model_info_config.parameters.caching_expire_time must be between 0 and 259200 seconds, got 259201"},
		{`"suggest_reply_info":{"reply_mode":"always"}`, `suggest_reply_info.reply_mode must be one of enable, disable, customized, got "always"`},
		// cross-field rules apply to the new draft
		{`"suggest_reply_info":{"reply_mode":"customized"}`, "suggest_reply_info.customized_prompt is required when suggest_reply_info.reply_mode is customized"},
		{`"prompt_info":{"prompt_mode":"prefix","prompt":"x"}`, "prompt_info.prompt must be empty when prompt_info.prompt_mode is prefix"},
		{`"model_info_config":{"model_id":"1","cache_type":"prefix"}`, "prompt_info.prompt_mode must be prefix when model_info_config.cache_type is prefix"},
		{`"model_info_config":{"model_id":"1","parameters":{"thinking_type":"enabled"}},"workflow_id_list":{"ids":[{"id":"1"}]}`, "model_info_config.parameters.thinking_type enabled cannot be used while plugins (plugin_id_list) or workflows (workflow_id_list) are bound"},
	} {
		wantErr(t, create(t, ts, body(c.members)), http.StatusOK, "4000", "invalid parameter: "+c.want)
	}
	if n := botCount(s); n != 0 {
		t.Fatalf("invalid creates made %d bots", n)
	}
}

func TestCreateFaultAndLog(t *testing.T) {
	s, ts := newTS(t, Options{})
	s.InjectFault(Fault{Method: http.MethodPost, Path: "/v1/bot/create", Status: http.StatusBadGateway})
	body := `{"space_id":"1","name":"x"}`
	wantErr(t, create(t, ts, body), http.StatusBadGateway, "5000", "Bad Gateway")
	if n := botCount(s); n != 0 {
		t.Fatal("a faulted create made a bot")
	}
	createBot(t, ts, "1", "x")
	reqs := s.RequestsTo(http.MethodPost, "/v1/bot/create")
	if len(reqs) != 2 || string(reqs[0].Body) != body {
		t.Fatalf("create requests logged: %+v", reqs)
	}
}

func TestNewEndpointsNeedAuth(t *testing.T) {
	s, ts := newTS(t, Options{}, testBot)
	mp, ct := multipartBody(t, filePart{field: "file", name: "a.png", content: []byte("png")})
	for _, c := range []struct{ method, path, ct, body string }{
		{http.MethodPost, "/v1/bot/create", "application/json", `{"space_id":"1","name":"x"}`},
		{http.MethodPost, "/v1/bots/" + testBot + "/unpublish", "application/json", `{"connector_id":"1024"}`},
		{http.MethodGet, "/v1/bots?workspace_id=" + DefaultSpaceID, "", ""},
		{http.MethodPost, "/v1/files/upload", ct, string(mp)},
	} {
		for _, auth := range []string{"", "Bearer nope"} {
			req, err := http.NewRequest(c.method, ts.URL+c.path, strings.NewReader(c.body))
			if err != nil {
				t.Fatal(err)
			}
			if c.ct != "" {
				req.Header.Set("Content-Type", c.ct)
			}
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			r := do2(t, ts.Client(), req)
			wantErr(t, r, http.StatusUnauthorized, "4100", "authentication is invalid")
		}
	}
	if n := botCount(s); n != 1 {
		t.Fatalf("unauthorised create made a bot (%d bots)", n)
	}
	if n := fileCount(s); n != 0 {
		t.Fatalf("unauthorised upload stored %d files", n)
	}
}

// ---- spaces ----

func TestSpaces(t *testing.T) {
	s := New(Options{})
	s.AddBot("1")
	s.AddBotInSpace("2", spaceA)
	if sp, found := s.SpaceOf("1"); !found || sp != DefaultSpaceID || DefaultSpaceID != "7341000000000000" {
		t.Fatalf("SpaceOf(1) = %q, %v", sp, found)
	}
	if sp, found := s.SpaceOf("2"); !found || sp != spaceA {
		t.Fatalf("SpaceOf(2) = %q, %v", sp, found)
	}
	if sp, found := s.SpaceOf("3"); found || sp != "" {
		t.Fatalf("SpaceOf(missing) = %q, %v", sp, found)
	}
	// AddBot resets a bot, space included.
	s.AddBot("2")
	if sp, _ := s.SpaceOf("2"); sp != DefaultSpaceID {
		t.Fatalf("after AddBot reset, space = %q", sp)
	}
	s.DeleteBot("2")
	if _, found := s.SpaceOf("2"); found {
		t.Fatal("SpaceOf after DeleteBot")
	}
}

// ---- publish connectors ----

func TestPublishConnectorRules(t *testing.T) {
	s, ts := newTS(t, Options{}, testBot)
	const custom = "7470849514748001"
	for _, c := range []struct{ body, want string }{
		{`{"bot_id":"7342866800001","connector_ids":["` + custom + `"]}`,
			`connector_ids must also contain "1024" (API) to publish to the custom channel 7470849514748001`},
		{`{"bot_id":"7342866800001","connector_ids":["999","` + custom + `"]}`, `connector_ids must also contain "1024" (API) to publish to the custom channel 7470849514748001`},
		{`{"bot_id":"7342866800001","connector_ids":["1024",""]}`, "connector_ids[1] must be a string of decimal digits"},
		{`{"bot_id":"7342866800001","connector_ids":["1024",1024]}`, "connector_ids[1] must be a string of decimal digits, got number"},
		{`{"bot_id":"7342866800001","connector_ids":["1024"],"connectors":[]}`, "connectors must be an object, got array"},
		{`{"bot_id":"7342866800001","connector_ids":["1024","` + custom + `"],"connectors":{"` + custom + `":{"device_id":["1"]}}}`,
			`connectors.7470849514748001.device_id must be a string (JSON-encode the value, e.g. "[\"1\"]"), got array`},
		{`{"bot_id":"7342866800001","connector_ids":["1024","` + custom + `"],"connectors":{"` + custom + `":{"n":1}}}`,
			"connectors.7470849514748001.n must be a string (JSON-encode the value"},
		{`{"bot_id":"7342866800001","connector_ids":["1024","` + custom + `"],"connectors":{"` + custom + `":{"b":true}}}`,
			"connectors.7470849514748001.b must be a string (JSON-encode the value, e.g. \"[\\\"1\\\"]\"), got boolean"},
		{`{"bot_id":"7342866800001","connector_ids":["1024","` + custom + `"],"connectors":{"` + custom + `":{"o":{"x":"y"}}}}`,
			"connectors.7470849514748001.o must be a string (JSON-encode the value, e.g. \"[\\\"1\\\"]\"), got object"},
		{`{"bot_id":"7342866800001","connector_ids":["1024","` + custom + `"],"connectors":{"` + custom + `":{"z":null}}}`,
			"connectors.7470849514748001.z must be a string (JSON-encode the value, e.g. \"[\\\"1\\\"]\"), got null"},
		{`{"bot_id":"7342866800001","connector_ids":["1024","` + custom + `"],"connectors":{"` + custom + `":"device"}}`,
			"connectors.7470849514748001 must be an object of string values, got string"},
		{`{"bot_id":"7342866800001","connector_ids":["1024"],"connectors":{"device":{"a":"b"}}}`,
			`connectors.device: the keys of connectors must be channel ids (decimal digits), got "device"`},
		{`{"bot_id":"7342866800001","connector_ids":["1024"],"connectors":{"` + custom + `":{"a":"b"}}}`,
			"connectors.7470849514748001: channel 7470849514748001 is not in connector_ids"},
	} {
		wantErr(t, pubBody(t, ts, c.body), http.StatusOK, "4000", "invalid parameter: "+c.want)
	}
	if pc := s.PublishedConnectors(testBot); pc != nil {
		t.Fatalf("rejected publishes published to %v", pc)
	}
	wantErr(t, getBot(t, ts, testBot, ""), http.StatusOK, "4015", "")

	// 999 alone needs no 1024; duplicates collapse.
	wantOK(t, pubBody(t, ts, `{"bot_id":"7342866800001","connector_ids":["999","999"]}`))
	if pc := s.PublishedConnectors(testBot); !slices.Equal(pc, []string{"999"}) {
		t.Fatalf("PublishedConnectors = %v", pc)
	}
	// A custom channel with 1024 and a configuration.
	wantOK(t, pubBody(t, ts, `{"bot_id":"7342866800001","connector_ids":["`+custom+`","1024"],
		"connectors":{"`+custom+`":{"device_id":"[\"51237825001\"]","mode":"\"x\""}}}`))
	if pc := s.PublishedConnectors(testBot); !slices.Equal(pc, []string{"1024", custom, "999"}) {
		t.Fatalf("PublishedConnectors = %v, want the union, sorted", pc)
	}
	cfg := s.PublishedConnectorConfig(testBot)
	assertJSON(t, cfg, `{"7470849514748001":{"device_id":"[\"51237825001\"]","mode":"\"x\""}}`)
	// It is a copy.
	cfg[custom]["device_id"] = "changed"
	delete(cfg, custom)
	assertJSON(t, s.PublishedConnectorConfig(testBot), `{"7470849514748001":{"device_id":"[\"51237825001\"]","mode":"\"x\""}}`)

	// Republishing other channels keeps the custom channel's configuration; republishing
	// the custom channel without one clears it.
	wantOK(t, pubBody(t, ts, `{"bot_id":"7342866800001","connector_ids":["1024"]}`))
	assertJSON(t, s.PublishedConnectorConfig(testBot), `{"7470849514748001":{"device_id":"[\"51237825001\"]","mode":"\"x\""}}`)
	wantOK(t, pubBody(t, ts, `{"bot_id":"7342866800001","connector_ids":["1024","`+custom+`"],"connectors":{}}`))
	assertJSON(t, s.PublishedConnectorConfig(testBot), `{}`)
	if pc := s.PublishedConnectors(testBot); len(pc) != 3 {
		t.Fatalf("PublishedConnectors = %v", pc)
	}

	// Unknown bots.
	if s.PublishedConnectors("1") != nil || s.PublishedConnectorConfig("1") != nil {
		t.Fatal("connectors of a missing bot are not nil")
	}
	s.AddBot("5")
	if cfg := s.PublishedConnectorConfig("5"); cfg == nil || len(cfg) != 0 {
		t.Fatalf("config of a never-published bot = %#v, want empty", cfg)
	}
}

// ---- unpublish ----

func TestUnpublish(t *testing.T) {
	s, ts := newTS(t, Options{}, testBot)
	const custom = "7470849514748001"
	wantErr(t, unpublish(t, ts, testBot, `{"connector_id":"1024"}`), http.StatusOK, "4000",
		"invalid parameter: bot 7342866800001 is not published to connector 1024")

	wantOK(t, update(t, ts, botBody(`"name":"Live"`)))
	v := publish(t, ts, testBot)
	wantOK(t, pubBody(t, ts, `{"bot_id":"7342866800001","connector_ids":["1024","999","`+custom+`"],"connectors":{"`+custom+`":{"k":"\"v\""}}}`))

	// Validation.
	for _, c := range []struct{ body, want string }{
		{`{}`, "connector_id is required"},
		{`{"connector_id":null}`, "connector_id is required"},
		{`{"connector_id":""}`, "connector_id is required"},
		{`{"connector_id":"API"}`, `connector_id must be a string of decimal digits, got "API"`},
		{`{"connector_id":1024}`, "connector_id must be a string of decimal digits, got number"},
		{`{"connector_id":"999","unpublish_reason":"` + strings.Repeat("因", 1025) + `"}`, "unpublish_reason must be at most 1024 characters, got 1025"},
		{`{"connector_id":"999","unpublish_reason":5}`, "unpublish_reason must be a string, got number"},
		{`{"connector_id":"999","reason":"x"}`, "unknown field reason"},
		{`{"connector_ids":["999"]}`, "unknown field connector_ids"},
		{`{"connector_id":"12345"}`, "bot 7342866800001 is not published to connector 12345"},
	} {
		wantErr(t, unpublish(t, ts, testBot, c.body), http.StatusOK, "4000", "invalid parameter: "+c.want)
	}
	wantErr(t, unpublish(t, ts, testBot, ``), http.StatusOK, "4000", "invalid request body: empty body")
	wantErr(t, unpublish(t, ts, "999", `{"connector_id":"1024"}`), http.StatusOK, "4200", "bot 999 does not exist")
	wantErr(t, unpublish(t, ts, "bot-1", `{"connector_id":"1024"}`), http.StatusOK, "4000", `bot_id must be a string of decimal digits, got "bot-1"`)
	if pc := s.PublishedConnectors(testBot); len(pc) != 3 {
		t.Fatalf("rejected unpublishes changed the channels: %v", pc)
	}

	// Success: no data; a 1024-character reason is fine.
	r := unpublish(t, ts, testBot, `{"connector_id":"`+custom+`","unpublish_reason":"`+strings.Repeat("因", 1024)+`"}`)
	wantOK(t, r)
	if got := keys(r.env); !slices.Equal(got, []string{"code", "detail", "msg"}) {
		t.Fatalf("unpublish envelope keys = %v: %s", got, r.raw)
	}
	if pc := s.PublishedConnectors(testBot); !slices.Equal(pc, []string{"1024", "999"}) {
		t.Fatalf("after unpublishing the custom channel: %v", pc)
	}
	assertJSON(t, s.PublishedConnectorConfig(testBot), `{}`)
	wantErr(t, unpublish(t, ts, testBot, `{"connector_id":"`+custom+`"}`), http.StatusOK, "4000", "not published to connector "+custom)

	wantOK(t, unpublish(t, ts, testBot, `{"connector_id":"1024","unpublish_reason":"终止服务"}`))
	// Still published to 999: the published version stays readable.
	wantOK(t, getBot(t, ts, testBot, "is_published=true"))
	wantOK(t, unpublish(t, ts, testBot, `{"connector_id":"999"}`))
	if pc := s.PublishedConnectors(testBot); pc != nil {
		t.Fatalf("after unpublishing everything: %v", pc)
	}
	// No channel left: unpublished again, the draft (and its last version) remain.
	for _, q := range []string{"", "is_published=true"} {
		wantErr(t, getBot(t, ts, testBot, q), http.StatusOK, "4015", "bot has not been published to the API channel")
	}
	g := getBot(t, ts, testBot, "is_published=false")
	wantOK(t, g)
	if g.data()["name"] != "Live" || g.data()["version"] == v || g.data()["version"] == "" {
		t.Fatalf("draft after unpublish: %s", g.raw)
	}
	// Publishing again works.
	publish(t, ts, testBot)
	wantOK(t, getBot(t, ts, testBot, ""))

	// StrictFields false ignores unknown fields.
	no := false
	_, tsNo := newTS(t, Options{StrictFields: &no}, testBot)
	publish(t, tsNo, testBot)
	wantOK(t, unpublish(t, tsNo, testBot, `{"connector_id":"1024","reason":"x"}`))
}

// ---- list ----

// listItems decodes data.items and data.total.
func listItems(t *testing.T, r resp) ([]map[string]any, int) {
	t.Helper()
	wantOK(t, r)
	raw, isArr := r.data()["items"].([]any)
	if !isArr {
		t.Fatalf("data.items is not an array: %s", r.raw)
	}
	items := make([]map[string]any, len(raw))
	for i, it := range raw {
		items[i], _ = it.(map[string]any)
	}
	total, err := strconv.Atoi(string(r.data()["total"].(json.Number)))
	if err != nil {
		t.Fatalf("data.total: %s", r.raw)
	}
	return items, total
}

func ids(items []map[string]any) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i], _ = it["id"].(string)
	}
	return out
}

// setTimes sets a bot's draft update time and, when published, the update time of its
// published version.
func setTimes(s *Server, botID string, draftAt, publishedAt int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.bots[botID]
	b.updateTime = draftAt
	if publishedAt != 0 {
		b.publishedUpdate = publishedAt
	}
}

func TestListFilters(t *testing.T) {
	s, ts := newTS(t, Options{})
	const (
		never   = "1001" // never published
		online  = "1002" // published to 1024, draft unchanged since
		changed = "1003" // published to 1024, draft changed since
		sdkOnly = "1004" // published to 999 only
		gone    = "1005" // published to 1024, then unpublished
		other   = "1006" // another space
	)
	for _, id := range []string{never, online, changed, sdkOnly, gone} {
		s.AddBotInSpace(id, spaceA)
	}
	s.AddBot(other)
	for _, id := range []string{online, changed, gone, other} {
		publish(t, ts, id)
	}
	wantOK(t, pubBody(t, ts, `{"bot_id":"1004","connector_ids":["999"]}`))
	wantOK(t, unpublish(t, ts, gone, `{"connector_id":"1024"}`))
	wantOK(t, update(t, ts, `{"bot_id":"1003","name":"Changed draft","icon_file_id":"42"}`))
	setTimes(s, never, 100, 0)
	setTimes(s, online, 300, 300)
	setTimes(s, changed, 500, 200)
	setTimes(s, sdkOnly, 400, 400)
	setTimes(s, gone, 300, 300)

	base := "workspace_id=" + spaceA
	cases := []struct {
		query string
		want  []string
	}{
		{"", []string{online, changed}}, // default: published_online, connector 1024, by published update time
		{"&publish_status=", []string{online, changed}},
		{"&publish_status=published_online", []string{online, changed}},
		{"&publish_status=published_online&connector_id=1024", []string{online, changed}},
		{"&publish_status=published_online&connector_id=999", []string{sdkOnly}},
		{"&publish_status=published_online&connector_id=12345", []string{}},
		{"&publish_status=published_draft", []string{changed}},
		{"&publish_status=published_draft&connector_id=999", []string{}},
		{"&publish_status=unpublished_draft", []string{never}},
		{"&publish_status=unpublished_draft&connector_id=999", []string{never}}, // connector_id does not apply
		{"&publish_status=all", []string{changed, sdkOnly, online, gone, never}},
	}
	for _, c := range cases {
		items, total := listItems(t, list(t, ts, base+c.query))
		if got := ids(items); !slices.Equal(got, c.want) || total != len(c.want) {
			t.Fatalf("list %q = %v (total %d), want %v", c.query, got, total, c.want)
		}
	}

	// Item shape.
	items, _ := listItems(t, list(t, ts, base+"&publish_status=all"))
	byID := map[string]map[string]any{}
	for _, it := range items {
		byID[it["id"].(string)] = it
		wantKeys := []string{"description", "folder_id", "icon_url", "id", "is_published", "name", "owner_user_id", "published_at", "updated_at"}
		if it["is_published"] != true {
			wantKeys = slices.DeleteFunc(wantKeys, func(k string) bool { return k == "published_at" })
		}
		if got := keys(it); !slices.Equal(got, wantKeys) {
			t.Fatalf("item keys = %v, want %v", got, wantKeys)
		}
		if it["owner_user_id"] != mockOwnerID || it["folder_id"] != "" {
			t.Fatalf("item = %v", it)
		}
	}
	if byID[never]["is_published"] != false || byID[gone]["is_published"] != false || byID[sdkOnly]["is_published"] != true {
		t.Fatalf("is_published: %v", items)
	}
	if pa, _ := byID[changed]["published_at"].(json.Number); pa == "" || pa == "0" {
		t.Fatalf("published_at = %v", byID[changed]["published_at"])
	}
	// all shows the draft; published_online the published version.
	if byID[changed]["name"] != "Changed draft" || byID[changed]["updated_at"] != json.Number("500") {
		t.Fatalf("all: %v", byID[changed])
	}
	if icon, _ := byID[changed]["icon_url"].(string); !strings.Contains(icon, "/icon/42.") {
		t.Fatalf("icon_url %q lacks the icon file id", icon)
	}
	items, _ = listItems(t, list(t, ts, base))
	if items[1]["id"] != changed || items[1]["name"] != "Bot 1003" || items[1]["updated_at"] != json.Number("200") || items[1]["is_published"] != true {
		t.Fatalf("published_online shows the published version: %v", items[1])
	}
	items, _ = listItems(t, list(t, ts, base+"&publish_status=published_draft"))
	if items[0]["name"] != "Changed draft" {
		t.Fatalf("published_draft shows the draft: %v", items[0])
	}

	// Publishing the change takes the bot out of published_draft; an out-of-band edit
	// puts it back.
	publish(t, ts, changed)
	if items, total := listItems(t, list(t, ts, base+"&publish_status=published_draft")); total != 0 || len(items) != 0 {
		t.Fatalf("published_draft after publishing = %v", ids(items))
	}
	s.EditDraft(changed, func(d map[string]any) { d["description"] = "edited" })
	if items, _ := listItems(t, list(t, ts, base+"&publish_status=published_draft")); !slices.Equal(ids(items), []string{changed}) {
		t.Fatalf("published_draft after EditDraft = %v", ids(items))
	}

	// Other spaces: the default space has its own bot; an unknown space is empty.
	if items, total := listItems(t, list(t, ts, "workspace_id="+DefaultSpaceID)); !slices.Equal(ids(items), []string{other}) || total != 1 {
		t.Fatalf("default space = %v", ids(items))
	}
	r := list(t, ts, "workspace_id=42&publish_status=all")
	if items, total := listItems(t, r); len(items) != 0 || total != 0 || !strings.Contains(string(r.raw), `"items":[]`) {
		t.Fatalf("unknown space: %s", r.raw)
	}

	// A created bot is listed in its space as an unpublished draft.
	id := createBot(t, ts, spaceA, "created")
	if items, _ := listItems(t, list(t, ts, base+"&publish_status=unpublished_draft")); !slices.Contains(ids(items), id) {
		t.Fatalf("created bot %s not listed: %v", id, ids(items))
	}
}

func TestListPagingAndOrder(t *testing.T) {
	s, ts := newTS(t, Options{})
	// 25 bots with equal update times: ordered by id, numerically.
	var all []string
	for i := range 25 {
		id := strconv.Itoa(990 + i) // 990..1014: numeric order differs from string order
		s.AddBotInSpace(id, spaceA)
		setTimes(s, id, 1000, 0)
		all = append(all, id)
	}
	base := "workspace_id=" + spaceA + "&publish_status=all"
	items, total := listItems(t, list(t, ts, base))
	if total != 25 || !slices.Equal(ids(items), all[:20]) {
		t.Fatalf("default page = %v (total %d)", ids(items), total)
	}
	items, total = listItems(t, list(t, ts, base+"&page_num=2"))
	if total != 25 || !slices.Equal(ids(items), all[20:]) {
		t.Fatalf("page 2 = %v (total %d)", ids(items), total)
	}
	items, total = listItems(t, list(t, ts, base+"&page_num=3"))
	if total != 25 || len(items) != 0 {
		t.Fatalf("page 3 = %v (total %d)", ids(items), total)
	}
	items, _ = listItems(t, list(t, ts, base+"&page_num=9223372036854775807&page_size=50"))
	if len(items) != 0 {
		t.Fatalf("huge page_num = %v", ids(items))
	}
	items, total = listItems(t, list(t, ts, base+"&page_size=7&page_num=4"))
	if total != 25 || !slices.Equal(ids(items), all[21:25]) {
		t.Fatalf("page 4 of 7 = %v (total %d)", ids(items), total)
	}
	items, _ = listItems(t, list(t, ts, base+"&page_size=50"))
	if len(items) != 25 {
		t.Fatalf("page_size 50 gave %d items", len(items))
	}
	items, _ = listItems(t, list(t, ts, base+"&page_size=1&page_num=1"))
	if !slices.Equal(ids(items), []string{"990"}) {
		t.Fatalf("page_size 1 = %v", ids(items))
	}

	// Newer updates first.
	setTimes(s, "1005", 2000, 0)
	setTimes(s, "995", 1500, 0)
	items, _ = listItems(t, list(t, ts, base+"&page_size=3"))
	if !slices.Equal(ids(items), []string{"1005", "995", "990"}) {
		t.Fatalf("order = %v", ids(items))
	}
	// An update through the API moves a bot to the front.
	wantOK(t, update(t, ts, `{"bot_id":"1010","name":"fresh"}`))
	items, _ = listItems(t, list(t, ts, base+"&page_size=1"))
	if !slices.Equal(ids(items), []string{"1010"}) || items[0]["name"] != "fresh" {
		t.Fatalf("after update, first = %v", items)
	}
}

func TestListBadParams(t *testing.T) {
	_, ts := newTS(t, Options{}, testBot)
	for _, c := range []struct{ query, want string }{
		{"", "workspace_id is required"},
		{"publish_status=all", "workspace_id is required"},
		{"workspace_id=", "workspace_id is required"},
		{"workspace_id=ws1", `workspace_id must be a string of decimal digits, got "ws1"`},
		{"workspace_id=1&publish_status=online", `publish_status must be one of all, published_online, published_draft, unpublished_draft, got "online"`},
		{"workspace_id=1&publish_status=ALL", `publish_status must be one of all, published_online, published_draft, unpublished_draft, got "ALL"`},
		{"workspace_id=1&connector_id=API", `connector_id must be a string of decimal digits, got "API"`},
		{"workspace_id=1&page_num=0", `page_num must be an integer of at least 1, got "0"`},
		{"workspace_id=1&page_num=-1", `page_num must be an integer of at least 1, got "-1"`},
		{"workspace_id=1&page_num=x", `page_num must be an integer of at least 1, got "x"`},
		{"workspace_id=1&page_num=99999999999999999999", "page_num must be an integer of at least 1"},
		{"workspace_id=1&page_size=0", `page_size must be an integer between 1 and 50, got "0"`},
		{"workspace_id=1&page_size=51", `page_size must be an integer between 1 and 50, got "51"`},
		{"workspace_id=1&page_size=2.5", `page_size must be an integer between 1 and 50, got "2.5"`},
	} {
		wantErr(t, list(t, ts, c.query), http.StatusOK, "4000", "invalid parameter: "+c.want)
	}
	// Unknown query parameters are ignored; the doc's example (publish_status= empty) works.
	wantOK(t, list(t, ts, "workspace_id="+DefaultSpaceID+"&publish_status=&connector_id=1024&page_num=1&page_size=20&foo=bar"))
	wantOK(t, list(t, ts, url.Values{"workspace_id": {DefaultSpaceID}}.Encode()))
	// GET /v1/bots/{bot_id} still reads a bot.
	wantOK(t, getBot(t, ts, testBot, "is_published=false"))
}

// ListTotalCountsPage answers total the way the doc defines it: the number
// of bots on the page.
func TestListTotalCountsThePageWhenAsked(t *testing.T) {
	for _, tc := range []struct {
		opts       Options
		wantTotals []string
	}{
		{Options{}, []string{"25", "25", "25"}},
		{Options{ListTotalCountsPage: true}, []string{"20", "5", "0"}},
	} {
		s, ts := newTS(t, tc.opts)
		for i := range 25 {
			s.AddBotInSpace(fmt.Sprint(7342866820000+i), "7341000000000001")
		}
		for page, want := range tc.wantTotals {
			r := call(t, ts, http.MethodGet, fmt.Sprintf("/v1/bots?workspace_id=7341000000000001&publish_status=all&page_num=%d", page+1), goodAuth, "")
			wantOK(t, r)
			if got := r.data()["total"]; got != json.Number(want) {
				t.Errorf("%+v page %d: total = %v, want %s", tc.opts, page+1, got, want)
			}
		}
	}
}

// Whether the published version of a bot published only to the Chat SDK
// reads: by default yes; with PublishedReadNeedsAPIChannel, 4015, as the
// code's text says. The list answers per channel either way.
func TestPublishedReadOfABotOffTheAPIChannel(t *testing.T) {
	for _, needsAPI := range []bool{false, true} {
		t.Run(fmt.Sprint("PublishedReadNeedsAPIChannel=", needsAPI), func(t *testing.T) {
			_, ts := newTS(t, Options{PublishedReadNeedsAPIChannel: needsAPI}, testBot)
			wantOK(t, pubBody(t, ts, `{"bot_id":"7342866800001","connector_ids":["999"]}`))
			if needsAPI {
				wantErr(t, getBot(t, ts, testBot, "is_published=true"), http.StatusOK, "4015", "not been published to the API channel")
			} else {
				wantOK(t, getBot(t, ts, testBot, "is_published=true"))
			}
			for connector, want := range map[string]int{"999": 1, "1024": 0} {
				r := list(t, ts, "workspace_id="+DefaultSpaceID+"&publish_status=published_online&connector_id="+connector)
				wantOK(t, r)
				if items, _ := r.data()["items"].([]any); len(items) != want {
					t.Errorf("connector %s lists %d bots, want %d", connector, len(items), want)
				}
			}
			wantOK(t, pubBody(t, ts, `{"bot_id":"7342866800001","connector_ids":["1024"]}`))
			wantOK(t, getBot(t, ts, testBot, "is_published=true"))
		})
	}
}

// Whether a published bot with draft changes since stays in published_online:
// by default yes; with PublishedStatusesApart it moves to published_draft
// only, until it is published again.
func TestPublishedStatusesApart(t *testing.T) {
	for _, apart := range []bool{false, true} {
		t.Run(fmt.Sprint("PublishedStatusesApart=", apart), func(t *testing.T) {
			_, ts := newTS(t, Options{PublishedStatusesApart: apart}, testBot)
			count := func(status string) int {
				r := list(t, ts, "workspace_id="+DefaultSpaceID+"&publish_status="+status+"&connector_id=1024")
				wantOK(t, r)
				items, _ := r.data()["items"].([]any)
				return len(items)
			}
			wantOK(t, pubBody(t, ts, `{"bot_id":"7342866800001","connector_ids":["1024"]}`))
			if online, draft := count(statusPublishedOnline), count(statusPublishedDraft); online != 1 || draft != 0 {
				t.Fatalf("just published: online %d, draft %d", online, draft)
			}
			wantOK(t, update(t, ts, botBody(`"name":"edited"`)))
			wantOnline := map[bool]int{false: 1, true: 0}[apart]
			if online, draft := count(statusPublishedOnline), count(statusPublishedDraft); online != wantOnline || draft != 1 {
				t.Fatalf("draft edited: online %d (want %d), draft %d (want 1)", online, wantOnline, draft)
			}
			wantOK(t, pubBody(t, ts, `{"bot_id":"7342866800001","connector_ids":["1024"]}`))
			if online, draft := count(statusPublishedOnline), count(statusPublishedDraft); online != 1 || draft != 0 {
				t.Fatalf("published again: online %d, draft %d", online, draft)
			}
		})
	}
}

// Whether a bot unpublished from a channel is listed under that channel's
// published_draft: by default no; with PublishedDraftListsUnpublished yes
// (the other reading of "published, but now a draft"), until it is
// published there again. It is never in published_online.
func TestPublishedDraftListsUnpublished(t *testing.T) {
	for _, draftOff := range []bool{false, true} {
		t.Run(fmt.Sprint("PublishedDraftListsUnpublished=", draftOff), func(t *testing.T) {
			_, ts := newTS(t, Options{PublishedDraftListsUnpublished: draftOff}, testBot)
			count := func(status, connector string) int {
				r := list(t, ts, "workspace_id="+DefaultSpaceID+"&publish_status="+status+"&connector_id="+connector)
				wantOK(t, r)
				items, _ := r.data()["items"].([]any)
				return len(items)
			}
			wantOK(t, pubBody(t, ts, `{"bot_id":"7342866800001","connector_ids":["1024","999"]}`))
			wantOK(t, unpublish(t, ts, testBot, `{"connector_id":"1024"}`))
			wantDraft := map[bool]int{false: 0, true: 1}[draftOff]
			if online, draft := count(statusPublishedOnline, "1024"), count(statusPublishedDraft, "1024"); online != 0 || draft != wantDraft {
				t.Fatalf("unpublished from 1024: online %d (want 0), draft %d (want %d)", online, draft, wantDraft)
			}
			if online, draft := count(statusPublishedOnline, "999"), count(statusPublishedDraft, "999"); online != 1 || draft != 0 {
				t.Fatalf("still published to 999: online %d, draft %d", online, draft)
			}
			wantOK(t, pubBody(t, ts, `{"bot_id":"7342866800001","connector_ids":["1024"]}`))
			if online, draft := count(statusPublishedOnline, "1024"), count(statusPublishedDraft, "1024"); online != 1 || draft != 0 {
				t.Fatalf("published again: online %d, draft %d", online, draft)
			}
		})
	}
}

// With BotListOnlyOwnedWorkspaces, the bot list of a team workspace that the
// token's user does not own, and that is no enterprise's, is empty; the
// user's own and an enterprise's workspaces list every bot.
func TestBotListOnlyOwnedWorkspaces(t *testing.T) {
	for _, ownedOnly := range []bool{false, true} {
		t.Run(fmt.Sprint("BotListOnlyOwnedWorkspaces=", ownedOnly), func(t *testing.T) {
			s, ts := newTS(t, Options{BotListOnlyOwnedWorkspaces: ownedOnly})
			theirs := s.AddWorkspace(WorkspaceSeed{Name: "theirs", OwnerUID: "4000000001"})
			s.AddMember(theirs, OwnerUserID, "member")
			enterprise := s.AddWorkspace(WorkspaceSeed{Name: "an enterprise's", OwnerUID: "4000000001", EnterpriseID: "volcano_1"})
			mine := s.AddWorkspace(WorkspaceSeed{Name: "mine"})
			for i, space := range []string{theirs, enterprise, mine, DefaultSpaceID} {
				s.AddBotInSpace(fmt.Sprint(7342866800100+i), space)
			}
			for space, hidden := range map[string]bool{theirs: ownedOnly, enterprise: false, mine: false, DefaultSpaceID: false} {
				r := list(t, ts, "workspace_id="+space+"&publish_status=all")
				wantOK(t, r)
				if items, _ := r.data()["items"].([]any); (len(items) == 0) != hidden {
					t.Errorf("workspace %s lists %d bots, want hidden=%v", space, len(items), hidden)
				}
			}
		})
	}
}

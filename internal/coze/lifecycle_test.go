package coze

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func TestRetrieveFileSendsTheIDAndDecodesTheFile(t *testing.T) {
	var query string
	srv := newAPIServer(t, func(w http.ResponseWriter, r *http.Request) {
		query = r.URL.Path + "?" + r.URL.RawQuery
		envelopeHandler(200, `{"code":0,"msg":"","data":{"bytes":152236,"created_at":1715847583,"file_name":"1120.jpeg","id":"7369495981102022700"}}`)(w, r)
	})
	file, err := newTestClient(t, srv.URL).RetrieveFile(context.Background(), "7369495981102022700")
	if err != nil {
		t.Fatal(err)
	}
	if query != "/v1/files/retrieve?file_id=7369495981102022700" {
		t.Errorf("request = %s", query)
	}
	if *file != (File{ID: "7369495981102022700", Bytes: 152236, FileName: "1120.jpeg", CreatedAt: 1715847583}) {
		t.Errorf("file = %+v", file)
	}
}

func TestRetrieveFileErrorsCarryTheCode(t *testing.T) {
	srv := newAPIServer(t, envelopeHandler(200, `{"code":4200,"msg":"file not found","detail":{"logid":"L1"}}`))
	_, err := newTestClient(t, srv.URL).RetrieveFile(context.Background(), "1")
	apiErr, ok := AsAPIError(err)
	if !ok || apiErr.Code != 4200 || apiErr.LogID != "L1" || !strings.Contains(err.Error(), "retrieve file 1") {
		t.Fatalf("err = %v", err)
	}
}

// listServer serves GET /v1/bots from n bots in pages, with total computed
// by totalOf (the number of matching bots or, as the doc defines it, the
// number on the page), and records the pages asked for.
func listServer(t *testing.T, n int, totalOf func(all, page int) int, pages *[]string) *apiServer {
	return newAPIServer(t, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		*pages = append(*pages, q.Get("page_num")+"="+q.Get("page_index")+"/"+q.Get("page_size"))
		num, _ := strconv.Atoi(q.Get("page_num"))
		size, _ := strconv.Atoi(q.Get("page_size"))
		items := []map[string]any{}
		for i := (num - 1) * size; i < min(num*size, n); i++ {
			items = append(items, map[string]any{"id": strconv.Itoa(1000 + i), "name": fmt.Sprint("bot ", i)})
		}
		data, _ := json.Marshal(map[string]any{"items": items, "total": totalOf(n, len(items))})
		envelopeHandler(200, `{"code":0,"msg":"","data":`+string(data)+`}`)(w, r)
	})
}

func TestListAllBotsPagesUntilAShortOrEmptyPage(t *testing.T) {
	countsAll := func(all, _ int) int { return all }
	countsPage := func(_, page int) int { return page } // the doc: "the number of bots returned"
	liesHigh := func(int, int) int { return 1000 }
	for _, tc := range []struct {
		name      string
		bots      int
		total     func(all, page int) int
		wantPages int
	}{
		{"45 bots, total counts all", 45, countsAll, 3},
		{"45 bots, total counts the page", 45, countsPage, 3},
		{"40 bots, total counts the page: an empty third page ends it", 40, countsPage, 3},
		{"40 bots, total counts all", 40, countsAll, 3},
		{"3 bots, total too high", 3, liesHigh, 1},
		{"no bots", 0, countsAll, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var pages []string
			srv := listServer(t, tc.bots, tc.total, &pages)
			items, err := newTestClient(t, srv.URL).ListAllBots(context.Background(), ListBotsRequest{WorkspaceID: "7"}, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != tc.bots {
				t.Errorf("listed %d bots, want %d", len(items), tc.bots)
			}
			if len(pages) != tc.wantPages {
				t.Errorf("read pages %v, want %d pages", pages, tc.wantPages)
			}
			for i, p := range pages {
				// page_num (doc, spec) and page_index (coze-py) carry the same number.
				if want := fmt.Sprintf("%d=%d/20", i+1, i+1); p != want {
					t.Errorf("page %d asked as %s, want page_num=page_index/page_size %s", i+1, p, want)
				}
			}
		})
	}
}

func TestListAllBotsStopsWhenTheAPIIgnoresThePageNumber(t *testing.T) {
	page := `{"code":0,"data":{"items":[` + strings.Repeat(`{"id":"1"},`, 19) + `{"id":"2"}],"total":100}}`
	srv := newAPIServer(t, envelopeHandler(200, page))
	_, err := newTestClient(t, srv.URL).ListAllBots(context.Background(), ListBotsRequest{WorkspaceID: "7"}, 10)
	if err == nil || !strings.Contains(err.Error(), "ignore the page number") {
		t.Fatalf("err = %v", err)
	}
	if srv.calls.Load() != 2 {
		t.Errorf("%d requests, want 2", srv.calls.Load())
	}
}

func TestListAllBotsHasAPageLimit(t *testing.T) {
	var pages []string
	srv := listServer(t, 1000, func(all, _ int) int { return all }, &pages)
	_, err := newTestClient(t, srv.URL).ListAllBots(context.Background(), ListBotsRequest{WorkspaceID: "7", PageSize: 10}, 3)
	if err == nil || !strings.Contains(err.Error(), "more than 3 pages of 10 bots") || len(pages) != 3 {
		t.Fatalf("err = %v after pages %v", err, pages)
	}
}

func TestGetBotReadsTheReadOnlyDetails(t *testing.T) {
	body := `{"code":0,"data":{"bot_id":"42","folder_id":"7523","owner_user_id":"3290","default_user_input_type":"voice",
		"variables":[{"keyword":"name","channel":"custom","description":"d","default_value":"x","enable":true,"prompt_enable":false}],
		"shortcut_commands":[{"id":"1","name":"n","command":"/c","tool":{"name":"t","type":"plugin"},"components":[{"name":"q","is_hide":true,"options":["a"]}]}],
		"voice_info_list":[{"voice_id":"7468","language_code":"zh"}],
		"media_config":{"is_voice_call_closed":true},
		"background_image_info":{"web_background_image":{"image_url":"u","canvas_position":{"top":1.5},"gradient_position":{"left":0,"right":800}}}}}`
	srv := newAPIServer(t, envelopeHandler(200, body))
	bot, err := newTestClient(t, srv.URL).GetBot(context.Background(), "42", false)
	if err != nil {
		t.Fatal(err)
	}
	if *bot.FolderID != "7523" || *bot.OwnerUserID != "3290" || *bot.DefaultUserInputType != "voice" {
		t.Errorf("ids = %v %v %v", *bot.FolderID, *bot.OwnerUserID, *bot.DefaultUserInputType)
	}
	if v := bot.Variables.Value; len(v) != 1 || *v[0].Keyword != "name" || *v[0].Channel != "custom" || *v[0].DefaultValue != "x" ||
		!*v[0].Enable || *v[0].PromptEnable || v[0].Description == nil {
		t.Errorf("variables = %+v", v)
	}
	if sc := bot.ShortcutCommands.Value; len(sc) != 1 || *sc[0].Tool.Type != "plugin" || !*sc[0].Components[0].IsHide ||
		sc[0].Components[0].Options[0] != "a" || sc[0].Description != nil {
		t.Errorf("shortcut_commands = %+v", sc)
	}
	if v := bot.VoiceInfoList.Value; len(v) != 1 || *v[0].VoiceID != "7468" {
		t.Errorf("voice_info_list = %+v", v)
	}
	if m := bot.MediaConfig; !m.Present || !*m.Value.IsVoiceCallClosed {
		t.Errorf("media_config = %+v", m)
	}
	web := bot.BackgroundImageInfo.Value.WebBackgroundImage
	if web == nil || *web.ImageURL != "u" || web.ThemeColor != nil || *web.CanvasPosition.Top != 1.5 || *web.GradientPosition.Right != 800 || bot.BackgroundImageInfo.Value.MobileBackgroundImage != nil {
		t.Errorf("background_image_info = %+v", bot.BackgroundImageInfo.Value)
	}
}

// A read-only detail of an unexpected shape fails that detail only: the
// settings a refresh compares still decode.
func TestGetBotToleratesUnexpectedShapesOfReadOnlyDetails(t *testing.T) {
	body := `{"code":0,"data":{"bot_id":"42","name":"n","variables":{"not":"a list"},"media_config":"closed","voice_info_list":null,
		"model_info":{"model_id":"1","top_k":5}}}`
	srv := newAPIServer(t, envelopeHandler(200, body))
	bot, err := newTestClient(t, srv.URL).GetBot(context.Background(), "42", false)
	if err != nil {
		t.Fatal(err)
	}
	if *bot.Name != "n" || *bot.ModelInfo.TopK != 5 {
		t.Errorf("settings not decoded: %+v", bot)
	}
	if !bot.Variables.Present || bot.Variables.Err == nil || bot.MediaConfig.Err == nil {
		t.Errorf("want errors for variables and media_config: %+v %+v", bot.Variables, bot.MediaConfig)
	}
	if bot.VoiceInfoList.Present || bot.VoiceInfoList.Err != nil || bot.ShortcutCommands.Present {
		t.Errorf("null and absent are not present and not errors: %+v %+v", bot.VoiceInfoList, bot.ShortcutCommands)
	}
}

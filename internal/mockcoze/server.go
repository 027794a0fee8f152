// Package mockcoze is an in-memory test double of the Coze OpenAPI endpoints that the
// coze_bot resource uses:
//
//	POST /v1/bot/create                create an unpublished bot in a space (workspace)
//	POST /v1/bot/update                edit a bot's draft
//	POST /v1/bot/publish               copy the draft to the published version, on channels
//	POST /v1/bots/{bot_id}/unpublish   take the bot off one channel (connector)
//	GET  /v1/bots/{bot_id}             read the draft (?is_published=false) or the published version
//	GET  /v1/bots?workspace_id=...     list the bots of a space, by publish status
//	POST /v1/files/upload              upload one file (multipart/form-data), e.g. a bot icon
//	GET  /v1/files/retrieve?file_id=   read an uploaded file's details
//	POST /api/permission/oauth2/token  a service app exchanges a JWT for an access token (oauth.go)
//
// The acceptance tests run real Terraform against it through net/http/httptest, and
// cmd/coze-mock serves it on a loopback port for demos.
//
// The mock decodes and encodes the wire JSON itself (generic maps, decoded with
// json.Decoder.UseNumber) and imports no other package of this repository, so a wrong JSON
// name in the client makes a test fail instead of agreeing with itself. It imitates what the
// real API does that a provider must cope with: the envelope {code, msg, data, detail.logid}
// and the X-Tt-Logid header, business errors as HTTP 200 with a non-zero code, partial
// updates that merge nested objects, a retrieve shape that differs from the update shape
// (icon_url instead of icon_file_id, re-sorted knowledge, plugins grouped by plugin, API
// defaults filled in, write-only fields never returned), and injected faults.
package mockcoze

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// DefaultToken is the bearer token accepted when Options.Token is empty.
const DefaultToken = "mock-token"

// maxBodyBytes is the request body limit of the real API (15 MB). It does not apply to
// POST /v1/files/upload, which has its own limit (Options.MaxUploadBytes).
const maxBodyBytes = 15 << 20

// Bounds of the request log (Options.MaxLoggedRequests, MaxLoggedBytes when 0): far more
// than a test or a demo looks at (an acceptance test sends tens of requests, make bench a
// few thousand), and few enough that a mock left running for days, or fed large bodies,
// holds at most 64 MiB of them: four of the largest bodies the API accepts.
const (
	DefaultMaxLoggedRequests = 10_000
	DefaultMaxLoggedBytes    = 64 << 20
)

// How long a request body may take to arrive (Options.BodyReadGrace, BodyReadRate when 0):
// a grace period plus one second per MiB of the largest body the endpoint accepts. The mock
// listens on loopback only, where a client sends hundreds of MiB per second, so 1 MiB/s
// is a floor no genuine client comes near, yet it bounds how long a client that trickles a
// body holds a connection: 25 s for a JSON body of up to 15 MB, 9 minutes for a 512 MiB
// upload.
const (
	DefaultBodyReadGrace = 10 * time.Second
	DefaultBodyReadRate  = 1 << 20 // bytes per second
)

// maxDrainBytes is how much more than the endpoint's limit a refused body (too large, or
// not authenticated) may declare for the mock to read and discard the rest after answering,
// so that a client that sends its whole body before it reads (as many HTTP libraries do)
// gets the answer instead of a broken pipe or a connection reset. A longer body, or one of
// unknown length, still has its connection closed after the answer.
const maxDrainBytes = 64 << 20

// DefaultSpaceID is the space (workspace) that AddBot puts bots in.
const DefaultSpaceID = "7341000000000000"

// DefaultMaxUploadBytes is the file size limit of POST /v1/files/upload when
// Options.MaxUploadBytes is 0: 512 MiB, like the real API.
const DefaultMaxUploadBytes = 512 << 20

// The API channel (connector) and the Chat SDK channel; any other id is a custom channel.
const (
	connectorAPI     = "1024"
	connectorChatSDK = "999"
)

// First ids handed out by create and upload (then incremented, skipping ids in use).
const (
	firstCreatedBotID = 7500000000000000000
	firstFileID       = 7600000000000000000
)

// Envelope codes used by the mock.
const (
	codeOK           = 0
	codeInvalidParam = 4000
	codePathNotFound = 4004
	codeInvalidBot   = 4006
	codeUnpublished  = 4015
	codeRateLimited  = 4020
	codeAuth         = 4100
	codeNotFound     = 4200
	codeUploadEmpty  = 4300 // empty body, not multipart, no file in form field "file", empty file
	codeUploadMany   = 4301 // more than one file part
	codeUploadLarge  = 4302 // file larger than Options.MaxUploadBytes
	codeUploadType   = 4303 // file type (extension) not supported
)

// Options configures a Server.
type Options struct {
	// Token is the accepted bearer token; if "" DefaultToken is used.
	Token string
	// OnboardingPascalCase makes retrieve emit onboarding_info with PascalCase keys
	// (Prologue, SuggestedQuestions, OnboardingMode, ...) like the example in Coze's doc.
	// The default is snake_case (prologue, suggested_questions).
	OnboardingPascalCase bool
	// ParametersAsStrings makes retrieve answer model_info.parameters as a map of strings,
	// as Coze's OpenAPI spec and SDKs type it: a string stays as stored, any other value
	// is JSON-encoded (true -> "true", 3600 -> "3600", {"type":"enabled"} ->
	// "{\"type\":\"enabled\"}"). The default answers the values as stored, as the docs
	// type them.
	ParametersAsStrings bool
	// StrictFields: nil or true rejects unknown JSON fields in the update body with code
	// 4000 naming the field (at any level except inside model_info_config.parameters,
	// which is an open map); false ignores (and does not store) them.
	StrictFields *bool
	// RateLimit, when above 0, is the number of requests per second (burst of
	// the same size, at least 1) the mock serves; above it, it answers HTTP 429
	// with code 4020 and Retry-After: 1, like the API's peak-rate limit.
	RateLimit float64
	// MaxUploadBytes is the largest file POST /v1/files/upload accepts (code 4302 above it);
	// 0 means DefaultMaxUploadBytes. The 15 MB body limit of the JSON endpoints does not
	// apply to uploads.
	MaxUploadBytes int64
	// PublishedReadNeedsAPIChannel makes GET /v1/bots/{id}?is_published=true answer 4015
	// unless the bot is published to the API channel (1024), as the error code's text
	// ("not published to the API channel") and the older get_online_info read it. By
	// default a bot published to any channel reads as published.
	PublishedReadNeedsAPIChannel bool
	// ListTotalCountsPage makes GET /v1/bots answer total as the number of bots on the page,
	// as the doc defines it ("the number of bots returned"); by default total counts every
	// matching bot, as the SDKs read it.
	ListTotalCountsPage bool
	// PublishedStatusesApart makes GET /v1/bots keep published_online and published_draft
	// apart: a bot published to the connector whose draft changed since its last publish is
	// listed under published_draft only. The doc defines published_online as "the published
	// version" and published_draft as "published, but now a draft", and does not say whether
	// they overlap; by default published_online lists every bot published to the connector.
	PublishedStatusesApart bool
	// PublishedDraftListsUnpublished makes GET /v1/bots?publish_status=published_draft also
	// list the bots that were published to the connector and unpublished from it since: the
	// other reading of "published, but now a draft". Such a bot is in no published_online list.
	PublishedDraftListsUnpublished bool
	// BotListOnlyOwnedWorkspaces makes GET /v1/bots list no bot of a team workspace that the
	// token's user does not own and that belongs to no enterprise, as the list's doc says of
	// Coze's personal edition. By default every bot of the workspace is listed.
	BotListOnlyOwnedWorkspaces bool
	// EchoAuthorization makes every JSON answer carry the request's Authorization header
	// (token included) in detail.request_authorization, like a debugging gateway: a test
	// of the client's log masking. Never set it outside tests.
	EchoAuthorization bool
	// OAuthApp, when set, serves the token API of this service app (oauth.go): its access
	// tokens are accepted on every endpoint, besides Token.
	OAuthApp *OAuthApp
	// RefusePersonalTokens refuses Token (code 4100), so that only a service app's access
	// tokens authenticate: proof that a run used the app.
	RefusePersonalTokens bool
	// Logf, when set, receives one line per request (method, path, HTTP status, code,
	// logid). The token is never logged.
	Logf func(format string, args ...any)
	// MaxLoggedRequests and MaxLoggedBytes bound the request log (Requests): beyond
	// either, the oldest entries are dropped. MaxLoggedBytes counts the logged bodies.
	// 0 means DefaultMaxLoggedRequests and DefaultMaxLoggedBytes.
	MaxLoggedRequests int
	MaxLoggedBytes    int64
	// BodyReadGrace and BodyReadRate set each request's read deadline: the grace period
	// plus the time to read the largest body the endpoint accepts at BodyReadRate bytes
	// per second. 0 means DefaultBodyReadGrace and DefaultBodyReadRate.
	BodyReadGrace time.Duration
	BodyReadRate  int64
}

// Request is one entry of the request log.
type Request struct {
	Method   string
	Path     string
	RawQuery string
	// Header is a copy of the request headers; an Authorization value is replaced by
	// "Bearer <redacted>".
	Header http.Header
	// Body is the request body; for POST /v1/files/upload only its first 4 KiB; empty for a
	// request without the token, whose body is never read.
	Body []byte
	Time time.Time
}

// Fault is an injected failure; see Server.InjectFault.
type Fault struct {
	// Method matches the request method; "" matches any.
	Method string
	// Path matches URL.Path exactly, or as a prefix if it ends with "*"; "" matches any.
	Path string
	// Times is how many matching requests the fault applies to; 0 means 1.
	Times int
	// Status is the HTTP status to answer; 0 means 200.
	Status int
	// Code is the envelope code, used when RawBody == "". When Code is 0 but Status is an
	// error status, the envelope carries a code derived from the status (401 -> 4100,
	// 429 -> 4020, 5xx -> 5000, other 4xx -> 4000) so that the answer is never "code 0".
	Code int
	// Msg is the envelope msg (defaults to the HTTP status text when Code is derived).
	Msg string
	// RetryAfter sets the Retry-After header when non-empty.
	RetryAfter string
	// Delay sleeps before answering, stopping early (and answering nothing) if the client
	// goes away. With Status == 0, Code == 0 and RawBody == "", the request is served
	// normally after the delay.
	Delay time.Duration
	// RawBody answers this exact body (e.g. an HTML 502 page) with Content-Type text/html.
	RawBody string
	// AfterServing carries the request out as usual first, and only then answers the
	// fault (Status, Code, RawBody) instead, or with Delay waits (the client may go
	// away): a request that reached the API and whose answer was lost.
	AfterServing bool
}

// Server is the mock. It implements http.Handler and is safe for concurrent use.
type Server struct {
	token     string
	strict    bool
	pascal    bool
	paramStrs bool
	maxUpload int64
	pageTotal bool
	echoAuth  bool
	readAPI   bool // Options.PublishedReadNeedsAPIChannel
	apart     bool // Options.PublishedStatusesApart
	draftOff  bool // Options.PublishedDraftListsUnpublished
	ownedOnly bool // Options.BotListOnlyOwnedWorkspaces
	refusePAT bool
	oauth     *oauthState // nil without Options.OAuthApp
	logf      func(format string, args ...any)
	logSeed   uint64
	logSeq    atomic.Uint64

	limiter     *rate.Limiter
	rateLimited atomic.Int64

	mu         sync.Mutex
	bots       map[string]*bot
	files      map[string]*storedFile
	nextBotID  uint64 // next id handed out by create
	nextFileID uint64 // next id handed out by upload
	faults     []*Fault

	requests     []Request // oldest first, within maxLogged and maxLogBytes
	requestBytes int64     // the bodies in requests
	maxLogged    int
	maxLogBytes  int64

	bodyGrace time.Duration
	bodyRate  int64
	ws        *workspaceState // workspaces, members and workflows (workspace.go), made on first use
	knowledge knowledgeStore
}

// bot is the stored state of one bot. draft and published are in the UPDATE-wire shape
// (the keys of the update body, minus bot_id), with numbers as json.Number.
type bot struct {
	space      string // the space (workspace) id
	createTime int64
	updateTime int64 // of the draft

	published       map[string]any // nil until the first publish; kept after unpublish
	publishedUpdate int64          // the draft's update time when it was published
	publishTime     int64          // unix seconds of the last publish
	version         string         // last publish version, "" if never published

	// connectors is the set of channels the bot is published to; when it is empty the
	// bot counts as unpublished. connectorCfg holds the connectors parameter of publish.
	connectors   map[string]bool
	connectorCfg map[string]map[string]string
	// unpublishedFrom are the channels the bot was unpublished from and not published to
	// since (Options.PublishedDraftListsUnpublished).
	unpublishedFrom map[string]bool

	// draftRev counts the changes of the draft; publishedRev is draftRev at the last
	// publish, so the draft has unpublished changes when they differ.
	draftRev     uint64
	publishedRev uint64

	// unreadable makes retrieve answer 4006 while the list still shows the bot; see
	// SetUnreadable.
	unreadable bool

	draft map[string]any
}

// isPublished reports whether the bot is published to at least one channel.
func (b *bot) isPublished() bool { return b.published != nil && len(b.connectors) > 0 }

// New returns a Server with no bots.
func New(opts Options) *Server {
	s := &Server{
		token:  opts.Token,
		strict: opts.StrictFields == nil || *opts.StrictFields,
		pascal: opts.OnboardingPascalCase,
		logf:   opts.Logf,
		bots:   map[string]*bot{},
		files:  map[string]*storedFile{},

		maxUpload:  opts.MaxUploadBytes,
		paramStrs:  opts.ParametersAsStrings,
		nextBotID:  firstCreatedBotID,
		nextFileID: firstFileID,
		pageTotal:  opts.ListTotalCountsPage,
		echoAuth:   opts.EchoAuthorization,
		readAPI:    opts.PublishedReadNeedsAPIChannel,
		apart:      opts.PublishedStatusesApart,
		draftOff:   opts.PublishedDraftListsUnpublished,
		ownedOnly:  opts.BotListOnlyOwnedWorkspaces,
		refusePAT:  opts.RefusePersonalTokens,
		oauth:      newOAuthState(opts.OAuthApp),

		maxLogged:   cmp.Or(max(opts.MaxLoggedRequests, 0), DefaultMaxLoggedRequests),
		maxLogBytes: cmp.Or(max(opts.MaxLoggedBytes, 0), DefaultMaxLoggedBytes),
		bodyGrace:   cmp.Or(max(opts.BodyReadGrace, 0), DefaultBodyReadGrace),
		bodyRate:    cmp.Or(max(opts.BodyReadRate, 0), DefaultBodyReadRate),
	}
	if s.token == "" {
		s.token = DefaultToken
	}
	if s.maxUpload <= 0 {
		s.maxUpload = DefaultMaxUploadBytes
	}
	if opts.RateLimit > 0 {
		s.limiter = rate.NewLimiter(rate.Limit(opts.RateLimit), max(1, int(opts.RateLimit)))
	}
	var seed [8]byte
	_, _ = rand.Read(seed[:])
	s.logSeed = binary.BigEndian.Uint64(seed[:]) & 0xFFFFFFFFFF // 40 bits; the counter adds to it
	return s
}

// RateLimited is how many requests the mock answered with 429 because of
// Options.RateLimit.
func (s *Server) RateLimited() int { return int(s.rateLimited.Load()) }

// AddBot seeds an unpublished bot in DefaultSpaceID whose draft is {"name": "Bot <last 4
// digits>", "description": ""}; everything else is unset, so retrieve shows the API
// defaults. Adding an id that already exists resets that bot.
func (s *Server) AddBot(botID string) { s.AddBotInSpace(botID, DefaultSpaceID) }

// AddBotInSpace is AddBot with the bot in the space (workspace) spaceID.
func (s *Server) AddBotInSpace(botID, spaceID string) {
	suffix := botID
	if len(suffix) > 4 {
		suffix = suffix[len(suffix)-4:]
	}
	now := time.Now().Unix()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bots[botID] = &bot{
		space:      spaceID,
		createTime: now,
		updateTime: now,
		draftRev:   1,
		draft:      map[string]any{"name": "Bot " + suffix, "description": ""},
	}
}

// SpaceOf returns the space (workspace) id of the bot.
func (s *Server) SpaceOf(botID string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.bots[botID]
	if !ok {
		return "", false
	}
	return b.space, true
}

// DeleteBot removes a bot, as if it were deleted out of band in the Coze UI.
func (s *Server) DeleteBot(botID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.bots, botID)
}

// HasBot reports whether the bot exists.
func (s *Server) HasBot(botID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.bots[botID]
	return ok
}

// Draft returns a deep copy of the stored draft in the UPDATE-wire shape: the keys exactly
// as in the update body (name, description, icon_file_id, prompt_info{...},
// onboarding_info{...}, knowledge{...}, plugin_id_list{id_list:[...]},
// workflow_id_list{ids:[...]}, model_info_config{...}, suggest_reply_info{...}), without
// bot_id, holding only what was ever set. Objects are map[string]any, arrays []any, and
// numbers json.Number (exactly the literal the client sent).
func (s *Server) Draft(botID string) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.bots[botID]
	if !ok {
		return nil, false
	}
	return deepCopyMap(b.draft), true
}

// EditDraft changes the draft out of band, like a user editing the bot in the Coze UI. edit
// receives the live update-shape map (under the server's lock: it must not call the
// Server). Afterwards the draft is normalised through JSON (so edit may store float64, int,
// []string or structs) and update_time is bumped. Nothing is validated. Unknown bots are
// ignored.
func (s *Server) EditDraft(botID string, edit func(draft map[string]any)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.bots[botID]
	if !ok {
		return
	}
	edit(b.draft)
	if b.draft == nil {
		b.draft = map[string]any{}
	}
	if raw, err := json.Marshal(b.draft); err == nil {
		if m, err := decodeObject(raw); err == nil {
			b.draft = m
		}
	}
	b.updateTime = time.Now().Unix()
	b.draftRev++
}

// Requests returns a copy of the request log, in arrival order: the latest requests, within
// Options.MaxLoggedRequests and MaxLoggedBytes.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		out[i] = copyRequest(r)
	}
	return out
}

// RequestsTo returns the logged requests with this method and exact URL.Path.
func (s *Server) RequestsTo(method, path string) []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Request
	for _, r := range s.requests {
		if r.Method == method && r.Path == path {
			out = append(out, copyRequest(r))
		}
	}
	return out
}

// ResetRequests empties the request log.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests, s.requestBytes = nil, 0
}

// logRequest appends to the request log and drops its oldest entries beyond the bounds;
// the newest entry always stays. The caller holds s.mu.
func (s *Server) logRequest(r Request) {
	s.requests = append(s.requests, r)
	s.requestBytes += int64(len(r.Body))
	for len(s.requests) > 1 && (len(s.requests) > s.maxLogged || s.requestBytes > s.maxLogBytes) {
		s.requestBytes -= int64(len(s.requests[0].Body))
		s.requests[0] = Request{} // let the body go
		s.requests = s.requests[1:]
	}
}

// InjectFault queues a fault. Faults are matched FIFO: the first queued fault whose Method
// and Path match a request is applied and its remaining Times decremented (it is removed at
// 0). The request is recorded in the log before the fault applies. A fault answer carries
// an X-Tt-Logid header; with a code, its body is the normal envelope.
func (s *Server) InjectFault(f Fault) {
	if f.Times <= 0 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// ClearFaults drops every queued fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

func copyRequest(r Request) Request {
	r.Header = r.Header.Clone()
	r.Body = bytes.Clone(r.Body)
	return r
}

// reply is what a handler answers.
type reply struct {
	status     int
	code       int
	msg        string
	data       any
	rawHTML    string
	rawJSON    any // the whole body, not in the envelope (the token API's answers)
	retryAfter string
	allow      string
	echo       string // Options.EchoAuthorization: the request's Authorization header
	dropped    bool   // the client went away during a fault's delay: nothing is written
	// besideCode is the payload of endpoints that answer it next to code and msg, not
	// under data (the /open_api/knowledge/document/* endpoints).
	besideCode map[string]any
}

type envelope struct {
	Code   int    `json:"code"`
	Msg    string `json:"msg"`
	Data   any    `json:"data,omitempty"`
	Detail detail `json:"detail"`
}

type detail struct {
	LogID                string `json:"logid"`
	RequestAuthorization string `json:"request_authorization,omitempty"`
}

func ok(data any) reply { return reply{status: http.StatusOK, code: codeOK, data: data} }

func fail(status, code int, msg string) reply { return reply{status: status, code: code, msg: msg} }

func invalidf(format string, args ...any) reply {
	return fail(http.StatusOK, codeInvalidParam, "invalid parameter: "+fmt.Sprintf(format, args...))
}

func notFound(botID string) reply {
	return fail(http.StatusOK, codeNotFound, fmt.Sprintf("bot %s does not exist or you have no permission", botID))
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	isUpload := r.URL.Path == uploadPath && r.Method == http.MethodPost
	limit := int64(maxBodyBytes)
	if isUpload {
		limit = s.maxUpload + uploadOverhead
	}
	drainable := r.ContentLength >= 0 && r.ContentLength <= limit+maxDrainBytes
	s.setBodyDeadline(w, r, limit, drainable)
	// Nothing is read of a request without the token: it is answered 401 below. The token
	// API authenticates with a JWT in its place.
	authorized := s.isTokenExchange(r.URL.Path) || s.authorized(r.Header.Get("Authorization"))
	var (
		body    []byte
		readErr error
		stream  io.Reader // the whole body of an upload, streamed; nil otherwise
	)
	switch {
	case !authorized:
	case isUpload:
		body, stream = s.peekUpload(w, r)
	default:
		body, readErr = io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	}
	hdr := r.Header.Clone()
	if hdr.Get("Authorization") != "" {
		hdr.Set("Authorization", "Bearer <redacted>")
	}
	logid := s.newLogID(start)

	s.mu.Lock()
	s.logRequest(Request{
		Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
		Header: hdr, Body: bytes.Clone(body), Time: start,
	})
	fault := s.takeFault(r.Method, r.URL.Path)
	s.mu.Unlock()

	var rep reply
	served := false
	if fault != nil && !fault.AfterServing {
		if fault.Delay > 0 && !sleepCtx(r.Context(), fault.Delay) {
			rep, served = reply{dropped: true}, true
		} else if fault.Status != 0 || fault.Code != 0 || fault.RawBody != "" {
			rep, served = faultReply(fault), true
		}
	}
	if !served && s.limiter != nil && !s.limiter.Allow() {
		s.rateLimited.Add(1)
		rep, served = reply{status: http.StatusTooManyRequests, code: codeRateLimited,
			msg: "request rate exceeds the limit, retry later", retryAfter: "1"}, true
	}
	if !served {
		rep = s.route(r, body, readErr, stream)
	}
	if fault != nil && fault.AfterServing {
		if fault.Delay > 0 && !sleepCtx(r.Context(), fault.Delay) {
			rep = reply{dropped: true}
		} else if fault.Status != 0 || fault.Code != 0 || fault.RawBody != "" {
			rep = faultReply(fault)
		}
	}
	if s.echoAuth {
		rep.echo = r.Header.Get("Authorization")
	}
	// What is left of a body refused unread (no token), cut off (too large) or abandoned
	// (a malformed upload) is drained after the answer, so that the client gets the
	// answer before the connection closes. A body read whole leaves nothing to drain.
	drain := drainable && r.ContentLength > 0
	if drain {
		_ = http.NewResponseController(w).EnableFullDuplex() // read on after answering
	}
	s.write(w, logid, rep)
	if drain {
		_ = http.NewResponseController(w).Flush()
		_, _ = io.Copy(io.Discard, r.Body) // at most the declared length
	}
	if s.logf != nil {
		if rep.dropped {
			s.logf("%s %s -> client went away during injected delay (logid %s)", r.Method, r.URL.Path, logid)
		} else {
			s.logf("%s %s -> http %d code %d logid %s (%s)", r.Method, r.URL.Path, rep.status, rep.code, logid,
				time.Since(start).Round(time.Millisecond))
		}
	}
}

// setBodyDeadline bounds the time the request's body may take to arrive; see
// DefaultBodyReadRate. The answer's writing is not bounded by it.
func (s *Server) setBodyDeadline(w http.ResponseWriter, r *http.Request, limit int64, drainable bool) {
	size := limit // the most read of a body of unknown or excessive length
	if drainable {
		size = r.ContentLength // read whole, even when refused
	}
	wait := s.bodyGrace + time.Duration(float64(size)/float64(s.bodyRate)*float64(time.Second))
	// Not every ResponseWriter has a connection (httptest.ResponseRecorder): then there is
	// nothing to bound.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(wait))
}

// takeFault returns a copy of the first matching fault and consumes one of its Times.
// The caller holds s.mu.
func (s *Server) takeFault(method, path string) *Fault {
	for i, f := range s.faults {
		if f.Method != "" && f.Method != method {
			continue
		}
		if f.Path != "" {
			if prefix, ok := strings.CutSuffix(f.Path, "*"); ok {
				if !strings.HasPrefix(path, prefix) {
					continue
				}
			} else if f.Path != path {
				continue
			}
		}
		applied := *f
		f.Times--
		if f.Times <= 0 {
			s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
		}
		return &applied
	}
	return nil
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func faultReply(f *Fault) reply {
	status := f.Status
	if status == 0 {
		status = http.StatusOK
	}
	rep := reply{status: status, code: f.Code, msg: f.Msg, retryAfter: f.RetryAfter, rawHTML: f.RawBody}
	if f.RawBody == "" && f.Code == 0 && status >= 400 {
		switch {
		case status == http.StatusUnauthorized:
			rep.code = codeAuth
		case status == http.StatusTooManyRequests:
			rep.code = 4020
		case status >= 500:
			rep.code = 5000
		default:
			rep.code = codeInvalidParam
		}
		if rep.msg == "" {
			rep.msg = http.StatusText(status)
		}
	}
	return rep
}

// route authorizes and dispatches a request. body is the whole body, except for an
// upload (POST /v1/files/upload), where it is the first bytes and stream the whole body.
func (s *Server) route(r *http.Request, body []byte, readErr error, stream io.Reader) reply {
	if s.isTokenExchange(r.URL.Path) {
		return s.handleTokenExchange(r, body, readErr)
	}
	if !s.authorized(r.Header.Get("Authorization")) {
		s.oauth.noteRefusal(r.Header.Get("Authorization"))
		return fail(http.StatusUnauthorized, codeAuth, "authentication is invalid")
	}
	path := r.URL.Path
	var method string
	var handle func() reply
	rest, underBots := strings.CutPrefix(path, "/v1/bots/")
	botID, sub, hasSub := strings.Cut(rest, "/")
	switch {
	case isWorkspaceRoute(path): // any method: routeWorkspaces checks it
		method, handle = r.Method, func() reply { return s.routeWorkspaces(r, body) }
	case path == "/v1/bot/create":
		method, handle = http.MethodPost, func() reply { return s.handleCreate(body) }
	case path == "/v1/bot/update":
		method, handle = http.MethodPost, func() reply { return s.handleUpdate(body) }
	case path == "/v1/bot/publish":
		method, handle = http.MethodPost, func() reply { return s.handlePublish(body) }
	case path == "/v1/bots":
		method, handle = http.MethodGet, func() reply { return s.handleList(r.URL.Query()) }
	case path == fileRetrievePath:
		method, handle = http.MethodGet, func() reply { return s.handleFileRetrieve(r.URL.Query()) }
	case path == uploadPath:
		method, handle = http.MethodPost, func() reply {
			return s.handleUpload(r.Header.Get("Content-Type"), len(body) == 0, stream)
		}
	case isKnowledgePath(path):
		method, handle = s.knowledgeRoute(r, body)
	case underBots && botID != "" && !hasSub:
		method, handle = http.MethodGet, func() reply { return s.handleRetrieve(botID, r.URL.Query()) }
	case underBots && botID != "" && hasSub && sub == "unpublish":
		method, handle = http.MethodPost, func() reply { return s.handleUnpublish(botID, body) }
	default:
		return fail(http.StatusNotFound, codePathNotFound, "path not found")
	}
	if r.Method != method {
		rep := fail(http.StatusMethodNotAllowed, codeInvalidParam,
			fmt.Sprintf("method %s not allowed on %s, use %s", r.Method, path, method))
		rep.allow = method
		return rep
	}
	if readErr != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(readErr, &tooLarge) {
			return fail(http.StatusRequestEntityTooLarge, codeInvalidParam, "invalid request body: larger than 15 MB")
		}
		return fail(http.StatusOK, codeInvalidParam, "invalid request body: "+readErr.Error())
	}
	return handle()
}

func (s *Server) authorized(h string) bool {
	scheme, tok, found := strings.Cut(h, " ")
	if !found || !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return false
	}
	if s.oauth.acceptsToken(tok) {
		return true
	}
	return !s.refusePAT && subtle.ConstantTimeCompare([]byte(tok), []byte(s.token)) == 1
}

func (s *Server) write(w http.ResponseWriter, logid string, rep reply) {
	if rep.dropped {
		return
	}
	h := w.Header()
	h.Set("X-Tt-Logid", logid)
	if rep.retryAfter != "" {
		h.Set("Retry-After", rep.retryAfter)
	}
	if rep.allow != "" {
		h.Set("Allow", rep.allow)
	}
	if rep.rawHTML != "" {
		h.Set("Content-Type", "text/html")
		w.WriteHeader(rep.status)
		_, _ = io.WriteString(w, rep.rawHTML)
		return
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	var answer any = envelope{Code: rep.code, Msg: rep.msg, Data: rep.data, Detail: detail{LogID: logid, RequestAuthorization: rep.echo}}
	switch {
	case rep.rawJSON != nil:
		answer = rep.rawJSON
	case rep.besideCode != nil:
		answer = withEnvelope(rep.besideCode, rep.code, rep.msg, detail{LogID: logid, RequestAuthorization: rep.echo})
	}
	if err := enc.Encode(answer); err != nil {
		buf.Reset()
		fmt.Fprintf(&buf, `{"code":5000,"msg":%q,"detail":{"logid":%q}}`, "mock encoding error: "+err.Error(), logid)
		rep.status = http.StatusInternalServerError
	}
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(rep.status)
	_, _ = w.Write(buf.Bytes())
}

// newLogID returns a log id shaped like the real ones: a 14-digit timestamp and 12
// uppercase hex digits (a per-server random seed plus a counter, so ids never repeat).
func (s *Server) newLogID(t time.Time) string {
	n := s.logSeq.Add(1)
	return t.Format("20060102150405") + fmt.Sprintf("%012X", (s.logSeed+n)&0xFFFFFFFFFFFF)
}

// ---- handlers ----

func (s *Server) handleUpdate(body []byte) reply {
	in, err := decodeObject(body)
	if err != nil {
		return fail(http.StatusOK, codeInvalidParam, "invalid request body: "+err.Error())
	}
	clean, verr := validateUpdate(in, s.strict)
	if verr != nil {
		return invalidf("%s", verr.Error())
	}
	botID, isStr := clean["bot_id"].(string)
	if !isStr {
		return invalidf("bot_id is required")
	}
	delete(clean, "bot_id")

	s.mu.Lock()
	defer s.mu.Unlock()
	b, found := s.bots[botID]
	if !found {
		return notFound(botID)
	}
	next := deepCopyMap(b.draft)
	mergeInto(next, clean, "")
	if err := crossCheck(next); err != nil {
		return invalidf("%s", err.Error())
	}
	b.draft = next
	b.updateTime = time.Now().Unix()
	b.draftRev++
	return ok(nil)
}

func (s *Server) handlePublish(body []byte) reply {
	in, err := decodeObject(body)
	if err != nil {
		return fail(http.StatusOK, codeInvalidParam, "invalid request body: "+err.Error())
	}
	req, verr := validatePublish(in)
	if verr != nil {
		return invalidf("%s", verr.Error())
	}
	botID := req.botID

	s.mu.Lock()
	defer s.mu.Unlock()
	b, found := s.bots[botID]
	if !found {
		return notFound(botID)
	}
	now := time.Now()
	v := now.UnixMilli()
	if last, err := strconv.ParseInt(b.version, 10, 64); err == nil && v <= last {
		v = last + 1
	}
	b.version = strconv.FormatInt(v, 10)
	b.published = deepCopyMap(b.draft)
	b.publishedUpdate = b.updateTime
	b.publishTime = now.Unix()
	b.publishedRev = b.draftRev
	if b.connectors == nil {
		b.connectors = map[string]bool{}
	}
	if b.connectorCfg == nil {
		b.connectorCfg = map[string]map[string]string{}
	}
	// Every channel of this call is (re)published: it gets the configuration passed for
	// it in connectors, or none. Channels not in the call keep theirs.
	for _, id := range req.connectorIDs {
		b.connectors[id] = true
		delete(b.unpublishedFrom, id)
		if cfg, given := req.connectors[id]; given {
			b.connectorCfg[id] = cfg
		} else {
			delete(b.connectorCfg, id)
		}
	}
	return ok(map[string]any{"bot_id": botID, "version": b.version})
}

func (s *Server) handleRetrieve(botID string, q map[string][]string) reply {
	if !isDigits(botID) {
		return invalidf("bot_id must be a string of decimal digits, got %q", botID)
	}
	published := true
	if vals := q["is_published"]; len(vals) > 0 && vals[0] != "" {
		v, err := strconv.ParseBool(vals[0])
		if err != nil {
			return invalidf("is_published must be true or false, got %q", vals[0])
		}
		published = v
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	b, found := s.bots[botID]
	if !found {
		return notFound(botID)
	}
	if b.unreadable {
		return fail(http.StatusOK, codeInvalidBot, fmt.Sprintf("invalid bot id %s: the bot does not exist, was deleted, or you have no permission", botID))
	}
	if !published {
		return ok(s.botInfo(botID, b, b.draft, b.updateTime))
	}
	if !b.isPublished() || (s.readAPI && !b.connectors[connectorAPI]) {
		return fail(http.StatusOK, codeUnpublished, "bot has not been published to the API channel")
	}
	return ok(s.botInfo(botID, b, b.published, b.publishedUpdate))
}

// ---- JSON helpers ----

// decodeObject decodes exactly one JSON object, with numbers as json.Number.
func decodeObject(body []byte) (map[string]any, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, errors.New("empty body, expected a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	var extra any
	if err := dec.Decode(&extra); err != io.EOF {
		return nil, errors.New("unexpected data after the JSON object")
	}
	m, isObj := v.(map[string]any)
	if !isObj {
		return nil, fmt.Errorf("expected a JSON object, got %s", jsonType(v))
	}
	return m, nil
}

func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		return deepCopyMap(t)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = deepCopy(e)
		}
		return out
	default:
		return v // string, json.Number, bool, nil: immutable
	}
}

func deepCopyMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = deepCopy(v)
	}
	return out
}

// mergeInto applies an update: objects merge key by key (recursively), everything else —
// arrays included — replaces, and model_info_config.parameters replaces wholly.
func mergeInto(dst, src map[string]any, path string) {
	for k, v := range src {
		p := joinPath(path, k)
		if sm, isMap := v.(map[string]any); isMap && p != "model_info_config.parameters" {
			if dm, isMap := dst[k].(map[string]any); isMap {
				mergeInto(dm, sm, p)
				continue
			}
		}
		dst[k] = deepCopy(v)
	}
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case json.Number, float64, int, int64:
		return "number"
	case bool:
		return "boolean"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	default:
		return fmt.Sprintf("%T", v)
	}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

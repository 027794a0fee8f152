// Command coze-mock serves the in-memory Coze OpenAPI mock (internal/mockcoze) on a loopback
// address, for demos and manual runs of the provider without a Coze account.
//
//	go run ./cmd/coze-mock -listen 127.0.0.1:0 -url-file /tmp/coze-mock.url
//
// With -oauth-client-id, -oauth-public-key-id and -oauth-public-key-file it also serves the
// token API of a service app (OAuth JWT), and -refuse-personal-tokens makes the app's access
// tokens the only way in.
//
// It is a test double: it refuses to listen on anything but a loopback address.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "coze-mock:", err)
		os.Exit(1)
	}
}

// run serves until ctx is done (SIGINT or SIGTERM in main), then shuts down.
func run(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("coze-mock", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:8787", "loopback address to listen on (127.0.0.1:0 picks a free port)")
	token := fs.String("token", "", "accepted bearer token (default: $COZE_API_TOKEN, else "+mockcoze.DefaultToken+")")
	bots := fs.String("bots", "7342866800001", "comma-separated bot ids to seed")
	space := fs.String("space", mockcoze.DefaultSpaceID, "space (workspace) id of the seeded bots")
	urlFile := fs.String("url-file", "", "after listening, write the base URL to this file")
	pascal := fs.Bool("pascal-onboarding", false, "retrieve returns onboarding_info with PascalCase keys, like the doc's example")
	users := fs.String("users", "", "comma-separated Coze user ids that exist (can be added to workspaces), besides the token's user "+mockcoze.OwnerUserID)
	oauthClientID := fs.String("oauth-client-id", "", "serve the token API of a service app (OAuth JWT) with this app id (the JWT's iss)")
	oauthKid := fs.String("oauth-public-key-id", "", "the service app's public key fingerprint (the JWT's kid)")
	oauthKeyFile := fs.String("oauth-public-key-file", "", "PEM file of the service app's RSA public key, which verifies its JWTs")
	oauthLifetime := fs.Duration("oauth-token-lifetime", 0, "cap on the lifetime of the access tokens issued (e.g. 2s); 0 issues what is asked")
	oauthAccount := fs.String("oauth-account-id", "", "organization id the account token endpoint (/api/permission/oauth2/account/{id}/token) accepts")
	refusePAT := fs.Bool("refuse-personal-tokens", false, "refuse the -token: only the service app's access tokens authenticate")
	workflows := fs.String("workflows", "", "comma-separated workflows (name or name:chatflow) every workspace created through the API starts with")
	rateLimit := fs.Float64("rate-limit", 0, "requests per second served (burst of the same size); above it, HTTP 429 with code 4020 and Retry-After: 1, like the API's rate limit. 0: unlimited")
	documentPolls := fs.Int("document-polls", mockcoze.DefaultDocumentPolls, "progress polls that answer \"processing\" before a new knowledge document is done")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if err := checkLoopback(*listen); err != nil {
		return err
	}
	if *rateLimit < 0 || math.IsNaN(*rateLimit) || math.IsInf(*rateLimit, 0) {
		return fmt.Errorf("-rate-limit: %v is not a finite number of requests per second, 0 or more", *rateLimit)
	}
	if *space == "" || strings.Trim(*space, "0123456789") != "" {
		return fmt.Errorf("-space: %q is not a decimal space id", *space)
	}

	tok, tokenSource := *token, "-token"
	if tok == "" {
		tok, tokenSource = os.Getenv("COZE_API_TOKEN"), "$COZE_API_TOKEN"
	}
	if tok == "" {
		tok, tokenSource = mockcoze.DefaultToken, "default "+mockcoze.DefaultToken
	}

	app, err := oauthApp(*oauthClientID, *oauthKid, *oauthKeyFile, *oauthAccount, *oauthLifetime)
	if err != nil {
		return err
	}
	if *refusePAT && app == nil {
		return errors.New("-refuse-personal-tokens needs a service app (-oauth-client-id, -oauth-public-key-id, -oauth-public-key-file)")
	}

	logger := log.New(stderr, "coze-mock: ", log.LstdFlags)
	srv := mockcoze.New(mockcoze.Options{Token: tok, OnboardingPascalCase: *pascal, RateLimit: *rateLimit, Logf: logger.Printf, OAuthApp: app, RefusePersonalTokens: *refusePAT})
	srv.SetDocumentProcessing(mockcoze.DocumentProcessing{Polls: *documentPolls})
	var seeded []string
	for _, id := range strings.Split(*bots, ",") {
		if id = strings.TrimSpace(id); id == "" {
			continue
		}
		if strings.Trim(id, "0123456789") != "" {
			return fmt.Errorf("-bots: %q is not a decimal bot id", id)
		}
		srv.AddBotInSpace(id, *space)
		seeded = append(seeded, id)
	}
	if *space != mockcoze.DefaultSpaceID {
		// As on the real API, the bots' workspace is in the token's workspace
		// list: a team workspace the token's user owns.
		srv.AddWorkspace(mockcoze.WorkspaceSeed{ID: *space, Name: "Workspace " + *space})
	}

	if err := seedWorkspaces(srv, *users, *workflows); err != nil {
		return err
	}

	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", *listen)
	if err != nil {
		return err
	}
	baseURL := "http://" + ln.Addr().String()
	if *urlFile != "" {
		if err := writeFileAtomic(*urlFile, baseURL); err != nil {
			ln.Close()
			return err
		}
		defer os.Remove(*urlFile)
	}
	limit := "unlimited"
	if *rateLimit > 0 {
		limit = fmt.Sprintf("%g per second", *rateLimit)
	}
	logger.Printf("listening on %s; bots %v in space %s; token: %s; requests: %s", baseURL, seeded, *space, tokenSource, limit)
	if app != nil {
		logger.Printf("service app %s (kid %s): token API at %s/api/permission/oauth2/token; personal token refused: %v",
			app.ClientID, app.PublicKeyID, baseURL, *refusePAT)
	}

	// Request headers must arrive within 10 s and an idle keep-alive connection is closed
	// after 2 minutes. Bodies get their own read deadline from the mock, which grows with
	// the declared length (see mockcoze.DefaultBodyReadRate): a single ReadTimeout long
	// enough for a 512 MiB upload would let a trickled JSON body hold a connection as long.
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Printf("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// oauthApp is the service app of the -oauth-* flags, or nil when none is set.
func oauthApp(clientID, kid, keyFile, accountID string, lifetime time.Duration) (*mockcoze.OAuthApp, error) {
	if clientID == "" && kid == "" && keyFile == "" && accountID == "" && lifetime == 0 {
		return nil, nil
	}
	if clientID == "" || kid == "" || keyFile == "" {
		return nil, errors.New("a service app needs -oauth-client-id, -oauth-public-key-id and -oauth-public-key-file")
	}
	if lifetime < 0 {
		return nil, fmt.Errorf("-oauth-token-lifetime: %s is negative", lifetime)
	}
	pemText, err := os.ReadFile(keyFile)
	if err != nil {
		return nil, fmt.Errorf("-oauth-public-key-file: %w", err)
	}
	key, err := jwt.ParseRSAPublicKeyFromPEM(pemText)
	if err != nil {
		return nil, fmt.Errorf("-oauth-public-key-file %s: not a PEM RSA public key: %w", keyFile, err)
	}
	return &mockcoze.OAuthApp{ClientID: clientID, PublicKeyID: kid, PublicKey: key, AccountID: accountID, TokenLifetime: lifetime}, nil
}

// seedWorkspaces makes the -users known and the -workflows part of every new workspace.
func seedWorkspaces(srv *mockcoze.Server, users, workflows string) error {
	for _, id := range strings.Split(users, ",") {
		if id = strings.TrimSpace(id); id == "" {
			continue
		}
		if strings.Trim(id, "0123456789") != "" {
			return fmt.Errorf("-users: %q is not a decimal user id", id)
		}
		srv.AddUser(id, "user_"+id)
	}
	var seeds []mockcoze.Workflow
	for _, spec := range strings.Split(workflows, ",") {
		if spec = strings.TrimSpace(spec); spec == "" {
			continue
		}
		name, mode, _ := strings.Cut(spec, ":")
		if name == "" || (mode != "" && mode != "workflow" && mode != "chatflow") {
			return fmt.Errorf("-workflows: %q is not name, name:workflow or name:chatflow", spec)
		}
		seeds = append(seeds, mockcoze.Workflow{Name: name, Mode: mode})
	}
	srv.SeedWorkflowsInNewWorkspaces(seeds...)
	return nil
}

// checkLoopback accepts only localhost and loopback IPs: the mock accepts a well-known token.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-listen %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-listen %q: refusing a non-loopback address; coze-mock is a test double (use 127.0.0.1, ::1 or localhost)", addr)
}

// writeFileAtomic writes via a temporary file and a rename, so a reader polling for the
// file never sees it half written.
func writeFileAtomic(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".coze-mock-url-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(content); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Package serve serves a terraform-plugin-framework provider over protocol 6,
// like providerserver.Serve, but without the framework keeping every
// request's context alive until the provider process exits.
//
// Why: the framework (v1.19.0, the newest) registers a cancel function for
// each request's context so that StopProvider can cancel requests in flight,
// and only drops that list in StopProvider. Terraform sends StopProvider only
// when a run is interrupted (Ctrl-C), so in a normal run the list is never
// emptied: it grows until the process exits. Each cancel function holds its
// context, and through it the whole per-request context chain that
// terraform-plugin-go builds (about 20 logger copies with their fields). At
// 1,000 resources that is ~60 MB of live heap that grows with every request:
// most of the provider's peak RSS.
//
// The server here hands the framework a requestContext that forwards to the
// request's real context while the request runs and, when it returns, lets
// go of it. What the framework retains is then a few bytes per request.
// StopProvider still cancels requests in flight.
package serve

import (
	"context"
	"fmt"
	"os"
	"path"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// Serve serves the provider at the registry address, as providerserver.Serve
// does for protocol 6; debug runs it in managed debug mode (for delve).
func Serve(address string, providerFunc func() provider.Provider, debug bool) error {
	var opts []tf6server.ServeOpt
	if debug {
		// The provider's logs go to its own terminal, not through Terraform: keep them.
		opts = append(opts, tf6server.WithManagedDebug())
	} else {
		for _, name := range logLevelsToSilence(address, os.LookupEnv) {
			if err := os.Setenv(name, "OFF"); err != nil {
				return fmt.Errorf("silencing logs that Terraform discards: %w", err)
			}
		}
	}
	return tf6server.Serve(address, func() tfprotov6.ProviderServer {
		return NewProtocol6(providerFunc())()
	}, opts...)
}

// logLevelsToSilence returns the SDK's log level variables to set to OFF
// because Terraform would discard what they let through.
//
// Why: Terraform shows a provider's logs only when TF_LOG or TF_LOG_PROVIDER
// is set, yet it reads and decodes every line the provider writes, and the
// SDK logs at TRACE unless told otherwise: several lines per request and two
// per attribute validator. With 1,000 resources that was a quarter of a
// plan's time, for lines that were thrown away. A level the user set
// explicitly is kept.
func logLevelsToSilence(address string, lookupEnv func(string) (string, bool)) []string {
	for _, shown := range []string{"TF_LOG", "TF_LOG_PROVIDER"} {
		if v, _ := lookupEnv(shown); v != "" {
			return nil
		}
	}
	// The provider's own logger reads TF_LOG_PROVIDER_<type>, as terraform-plugin-go names it.
	providerType := strings.ToUpper(strings.ReplaceAll(path.Base(address), "-", "_"))
	var names []string
	for _, name := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_" + providerType} {
		if _, set := lookupEnv(name); !set {
			names = append(names, name)
		}
	}
	return names
}

// NewProtocol6 is providerserver.NewProtocol6 with request contexts released.
func NewProtocol6(p provider.Provider) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		return releasingServer{ProviderServer: providerserver.NewProtocol6(p)()}
	}
}

// NewProtocol6WithError is NewProtocol6 in the shape terraform-plugin-testing
// takes, so the acceptance tests run the server that users run.
func NewProtocol6WithError(p provider.Provider) func() (tfprotov6.ProviderServer, error) {
	server := NewProtocol6(p)
	return func() (tfprotov6.ProviderServer, error) { return server(), nil }
}

// releasingServer wraps every RPC of tfprotov6.ProviderServer that
// Terraform may send once per resource, data source or function call, whose
// retained contexts would grow with the configuration: those of the features
// this provider has, and those of the features it may gain (functions,
// ephemeral resources), so that adding one cannot bring the leak back. The
// once-per-process RPCs (metadata, schemas, provider configuration, stop)
// pass through unchanged. TestEveryRPCIsWrappedOrOncePerProcess fails when a
// newer terraform-plugin-go adds an RPC that is neither.
//
// List resources, actions and state stores are not in ProviderServer yet
// (terraform-plugin-go v0.31.0 has them in separate, temporary interfaces),
// and releasingServer does not implement those: served through it, the
// provider offers none of them. When they move into ProviderServer, the test
// above fails; their streamed answers then need the context released at the
// end of the stream, not when the call returns.
type releasingServer struct {
	tfprotov6.ProviderServer
}

// withReleasedContext calls the framework with a context that lets go of
// ctx when the call returns.
func withReleasedContext[Req, Resp any](ctx context.Context, req Req, call func(context.Context, Req) (Resp, error)) (Resp, error) {
	// Our own cancel scope: ending it on return removes the framework's
	// child context from ctx's children, whatever the caller does with ctx.
	scoped, cancel := context.WithCancel(ctx)
	defer cancel()
	rc := newRequestContext(scoped)
	defer rc.release()
	return call(rc, req)
}

// Resources.

func (s releasingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return withReleasedContext(ctx, req, s.ProviderServer.ValidateResourceConfig)
}

func (s releasingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return withReleasedContext(ctx, req, s.ProviderServer.UpgradeResourceState)
}

func (s releasingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return withReleasedContext(ctx, req, s.ProviderServer.ReadResource)
}

func (s releasingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return withReleasedContext(ctx, req, s.ProviderServer.PlanResourceChange)
}

func (s releasingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return withReleasedContext(ctx, req, s.ProviderServer.ApplyResourceChange)
}

func (s releasingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return withReleasedContext(ctx, req, s.ProviderServer.ImportResourceState)
}

func (s releasingServer) MoveResourceState(ctx context.Context, req *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return withReleasedContext(ctx, req, s.ProviderServer.MoveResourceState)
}

func (s releasingServer) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return withReleasedContext(ctx, req, s.ProviderServer.UpgradeResourceIdentity)
}

// GenerateResourceConfig is sent per imported resource when Terraform
// generates its configuration (import blocks with -generate-config-out).
func (s releasingServer) GenerateResourceConfig(ctx context.Context, req *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	return withReleasedContext(ctx, req, s.ProviderServer.GenerateResourceConfig)
}

// Data sources.

func (s releasingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return withReleasedContext(ctx, req, s.ProviderServer.ValidateDataResourceConfig)
}

func (s releasingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return withReleasedContext(ctx, req, s.ProviderServer.ReadDataSource)
}

// Features the provider does not have yet: functions and ephemeral resources.

func (s releasingServer) CallFunction(ctx context.Context, req *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	return withReleasedContext(ctx, req, s.ProviderServer.CallFunction)
}

func (s releasingServer) ValidateEphemeralResourceConfig(ctx context.Context, req *tfprotov6.ValidateEphemeralResourceConfigRequest) (*tfprotov6.ValidateEphemeralResourceConfigResponse, error) {
	return withReleasedContext(ctx, req, s.ProviderServer.ValidateEphemeralResourceConfig)
}

func (s releasingServer) OpenEphemeralResource(ctx context.Context, req *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	return withReleasedContext(ctx, req, s.ProviderServer.OpenEphemeralResource)
}

func (s releasingServer) RenewEphemeralResource(ctx context.Context, req *tfprotov6.RenewEphemeralResourceRequest) (*tfprotov6.RenewEphemeralResourceResponse, error) {
	return withReleasedContext(ctx, req, s.ProviderServer.RenewEphemeralResource)
}

func (s releasingServer) CloseEphemeralResource(ctx context.Context, req *tfprotov6.CloseEphemeralResourceRequest) (*tfprotov6.CloseEphemeralResourceResponse, error) {
	return withReleasedContext(ctx, req, s.ProviderServer.CloseEphemeralResource)
}

// requestContext forwards to a request's context until release, and then to
// an already-cancelled empty context: code that still holds it after the
// request sees a cancelled context, and the request's values can be freed.
type requestContext struct {
	current atomic.Pointer[contextHolder]
}

// contextHolder boxes the interface so that it can be swapped atomically.
type contextHolder struct{ context.Context }

var endedContext = func() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}()

func newRequestContext(ctx context.Context) *requestContext {
	rc := &requestContext{}
	rc.current.Store(&contextHolder{ctx})
	return rc
}

func (rc *requestContext) release() { rc.current.Store(&contextHolder{endedContext}) }

func (rc *requestContext) load() context.Context { return rc.current.Load().Context }

func (rc *requestContext) Deadline() (time.Time, bool) { return rc.load().Deadline() }
func (rc *requestContext) Done() <-chan struct{}       { return rc.load().Done() }
func (rc *requestContext) Err() error                  { return rc.load().Err() }
func (rc *requestContext) Value(key any) any           { return rc.load().Value(key) }

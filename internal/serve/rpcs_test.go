package serve

import (
	"context"
	"reflect"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// oncePerProcess are the RPCs that Terraform sends once per provider process
// (or once per provider configuration): the contexts that the framework
// keeps for them do not grow with the configuration, so releasingServer
// passes them through. Every other RPC must be wrapped.
var oncePerProcess = map[string]bool{
	"GetMetadata":                true,
	"GetProviderSchema":          true,
	"GetResourceIdentitySchemas": true,
	"GetFunctions":               true,
	"ValidateProviderConfig":     true,
	"ConfigureProvider":          true,
	"StopProvider":               true,
}

// Walks every method of tfprotov6.ProviderServer, so that a newer
// terraform-plugin-go that adds an RPC sent per resource cannot bring the
// framework's retention of request contexts back unnoticed: each RPC not
// listed as once per process is called through the server that users run,
// with a context carrying a payload, and the payload must be freed after
// the call.
func TestEveryRPCIsWrappedOrOncePerProcess(t *testing.T) {
	rpcs := reflect.TypeFor[tfprotov6.ProviderServer]()
	for name := range oncePerProcess {
		if _, ok := rpcs.MethodByName(name); !ok {
			t.Errorf("oncePerProcess lists %s, which tfprotov6.ProviderServer no longer has", name)
		}
	}
	server := NewProtocol6(hookProvider{validate: func(context.Context) {}})()
	for i := range rpcs.NumMethod() {
		name := rpcs.Method(i).Name
		if oncePerProcess[name] {
			continue
		}
		t.Run(name, func(t *testing.T) {
			if !callFreesItsContext(t, server, name) {
				t.Errorf("after %s returned, its request context is still kept alive: wrap it in releasingServer "+
					"(internal/serve/serve.go), or list it in oncePerProcess if Terraform sends it once per process", name)
			}
		})
	}
}

// callFreesItsContext calls the RPC name of server with an empty request and
// a context holding a 64 KiB payload, and reports whether the payload could
// be freed once the call returned and its caller cancelled the context.
func callFreesItsContext(t *testing.T, server tfprotov6.ProviderServer, name string) bool {
	t.Helper()
	var freed atomic.Bool
	func() {
		payload := make([]byte, 64<<10)
		runtime.AddCleanup(&payload[0], func(f *atomic.Bool) { f.Store(true) }, &freed)
		ctx, cancel := context.WithCancel(context.WithValue(t.Context(), payloadKey{}, payload))
		defer cancel() // as gRPC does when a request ends
		method := reflect.ValueOf(server).MethodByName(name)
		request := reflect.New(method.Type().In(1).Elem()) // an empty request: the framework answers with an error diagnostic
		defer func() {
			// Some RPCs may panic on an empty request, after the framework
			// registered the context: what matters is what it kept.
			_ = recover()
		}()
		method.Call([]reflect.Value{reflect.ValueOf(ctx), request})
	}()
	for deadline := time.Now().Add(2 * time.Second); !freed.Load() && time.Now().Before(deadline); {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	runtime.KeepAlive(server)
	return freed.Load()
}

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
	"github.com/coze-terraform/terraform-provider-coze/internal/mockcoze"
	"github.com/coze-terraform/terraform-provider-coze/internal/serve"
)

// Benchmarks of the provider's hot paths. Run with
//   go test ./internal/provider/ -run XXX -bench . -benchmem

// A realistic bot: a prompt of a few KB, a handful of datasets, plugins and
// workflows, model parameters.
func realisticModel(b testing.TB) botConfigModel {
	t, ok := b.(*testing.T)
	if !ok {
		t = &testing.T{}
	}
	m := fullModel(t)
	m.PromptInfo = mustObject(t, promptInfoModel{
		Prompt: types.StringValue(strings.Repeat("你是一位经验丰富的中餐大厨，能够熟练传授各类中餐的烹饪技巧。", 60)), PromptMode: types.StringNull(),
		PrefixPromptInfo: types.ObjectNull(nestedAttrTypes("prompt_info", "prefix_prompt_info")),
	}, "prompt_info")
	m.Knowledge = mustObject(t, knowledgeModel{DatasetIDs: strList(t, "7385093717923410", "7385093717923411", "7385093717923412", "7385093717923413", "7385093717923414"),
		AutoCall: types.BoolValue(true), SearchStrategy: types.Int64Value(1)}, "knowledge")
	params, err := jsonToDynamic(json.RawMessage(`{"thinking_type":"disabled","caching_expire_time":259200}`))
	if err != nil {
		b.Fatal(err)
	}
	m.ModelInfoConfig = mustObject(t, modelInfoConfigModel{
		ModelID: types.StringValue("1706077826"), TopP: types.Float64Value(0.7), Temperature: types.Float64Value(0.5),
		MaxTokens: types.Int64Value(4096), ContextRound: types.Int64Value(30), ResponseFormat: types.StringValue("markdown"),
		Parameters: params,
	}, "model_info_config")
	return m
}

func BenchmarkGetProviderSchema(b *testing.B) {
	ctx := context.Background()
	provider := New("bench")()
	wantResources, wantDataSources := len(provider.Resources(ctx)), len(provider.DataSources(ctx))
	for b.Loop() {
		// A new server per iteration: Terraform starts the provider process
		// several times per run and asks for the schema each time.
		server := serve.NewProtocol6(New("bench")())()
		resp, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
		if err != nil || len(resp.Diagnostics) > 0 ||
			len(resp.ResourceSchemas) != wantResources || len(resp.DataSourceSchemas) != wantDataSources {
			b.Fatalf("schema: %v %v: %d resources (want %d), %d data sources (want %d)", err, resp.Diagnostics,
				len(resp.ResourceSchemas), wantResources, len(resp.DataSourceSchemas), wantDataSources)
		}
	}
}

func BenchmarkExpandUpdateRequest(b *testing.B) {
	model := realisticModel(b)
	plan := toObject(b, &model)
	for b.Loop() {
		req, diags := expandUpdateBotRequest(plan, plan)
		if diags.HasError() {
			b.Fatal(diags)
		}
		if _, err := json.Marshal(req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFlattenAndRefresh(b *testing.B) {
	raw := []byte(`{"bot_id":"1","name":"n","description":"d","prompt_info":{"prompt":"` + strings.Repeat("p", 3000) + `","prompt_mode":"standard"},
		"onboarding_info":{"prologue":"hi","suggested_questions":["a","b","c"]},
		"knowledge":{"knowledge_infos":[{"id":"5"},{"id":"4"},{"id":"3"},{"id":"2"},{"id":"1"}]},
		"plugin_info_list":[{"plugin_id":"11","api_info_list":[{"api_id":"12"},{"api_id":"13"}]}],
		"workflow_info_list":[{"id":"21"},{"id":"22"}],
		"model_info":{"model_id":"1706077826","top_p":0.7,"temperature":0.5,"parameters":{"thinking_type":"disabled","caching":{"type":"enabled"}}},
		"suggest_reply_info":{"reply_mode":"enable","customized_prompt":""}}`)
	attrTypes := botConfigSchemaWithTimeoutsTypes()
	toState := func() types.Object {
		var bot coze.Bot
		if err := json.Unmarshal(raw, &bot); err != nil {
			b.Fatal(err)
		}
		remote, diags := flattenBot(&bot)
		remote["id"], remote["bot_id"], remote["timeouts"], remote["config_hash"] = types.StringValue("1"), types.StringValue("1"), nullTimeouts(), types.StringNull()
		obj, d := types.ObjectValue(attrTypes, remote)
		if diags.HasError() || d.HasError() {
			b.Fatal(diags, d)
		}
		return obj
	}
	prior := importView(path.Empty(), toState())
	for b.Loop() {
		_ = refreshValue(path.Empty(), prior, toState())
	}
}

// BenchmarkValidateResourceConfig runs every attribute validator and the
// cross-field rules over a realistic configuration, through the protocol.
func BenchmarkValidateResourceConfig(b *testing.B) {
	benchmarkValidate(b, serve.NewProtocol6(New("bench")())(), "coze_bot_config")
}

// The same configuration through the schema-only floor provider: the
// framework's own cost of this schema, for comparison.
func BenchmarkValidateResourceConfigFloor(b *testing.B) {
	benchmarkValidate(b, serve.NewProtocol6(&floorProvider{})(), "cozefloor_bot_config")
}

func benchmarkValidate(b *testing.B, server tfprotov6.ProviderServer, typeName string) {
	state := botConfigState(&testing.T{}, "7342866800001")
	m := realisticModel(b)
	m.ID = types.StringNull() // computed: not part of a configuration
	if d := state.Set(ctx, &m); d.HasError() {
		b.Fatal(d)
	}
	config, err := tfprotov6.NewDynamicValue(state.Schema.Type().TerraformType(ctx), state.Raw)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		resp, err := server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: typeName, Config: &config})
		if err != nil {
			b.Fatal(err)
		}
		for _, d := range resp.Diagnostics {
			if d.Severity == tfprotov6.DiagnosticSeverityError {
				b.Fatalf("realistic config rejected: %s: %s", d.Summary, d.Detail)
			}
		}
	}
}

// BenchmarkClientRoundTrip is one update and one draft read against the
// in-process mock, over one keep-alive connection pool.
func BenchmarkClientRoundTrip(b *testing.B) {
	mock := mockcoze.New(mockcoze.Options{})
	mock.AddBot("7342866800001")
	srv := httptest.NewServer(mock)
	defer srv.Close()
	client, err := coze.NewClient(coze.Config{BaseURL: srv.URL, Token: mockcoze.DefaultToken})
	if err != nil {
		b.Fatal(err)
	}
	plan := realisticModel(b)
	plan.BotID = types.StringValue("7342866800001")
	plan.PluginIDList = types.ObjectNull(nestedAttrTypes("plugin_id_list"))
	plan.WorkflowIDList = types.ObjectNull(nestedAttrTypes("workflow_id_list"))
	req, diags := expandUpdateBotRequest(toObject(b, &plan), toObject(b, nil))
	if diags.HasError() {
		b.Fatal(diags)
	}
	for i := 0; b.Loop(); i++ {
		if i%1000 == 0 {
			mock.ResetRequests() // the request log would otherwise grow with b.N
		}
		if err := client.UpdateBot(ctx, req); err != nil {
			b.Fatal(fmt.Errorf("update: %w", err))
		}
		if _, err := client.GetBot(ctx, "7342866800001", false); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlanResourceChange plans an update of a realistic bot (what a
// no-op plan -refresh=false does per resource), next to the schema-only floor.
func BenchmarkPlanResourceChange(b *testing.B) {
	benchmarkPlan(b, serve.NewProtocol6(New("bench")())(), "coze_bot_config")
}

func BenchmarkPlanResourceChangeFloor(b *testing.B) {
	benchmarkPlan(b, serve.NewProtocol6(&floorProvider{})(), "cozefloor_bot_config")
}

func benchmarkPlan(b *testing.B, server tfprotov6.ProviderServer, typeName string) {
	state := botConfigState(&testing.T{}, "7342866800001")
	m := realisticModel(b)
	m.ConfigHash = types.StringValue("0")
	if d := state.Set(ctx, &m); d.HasError() {
		b.Fatal(d)
	}
	typ := state.Schema.Type().TerraformType(ctx)
	prior, err := tfprotov6.NewDynamicValue(typ, state.Raw)
	if err != nil {
		b.Fatal(err)
	}
	m.ID, m.ConfigHash = types.StringNull(), types.StringNull()
	if d := state.Set(ctx, &m); d.HasError() {
		b.Fatal(d)
	}
	config, err := tfprotov6.NewDynamicValue(typ, state.Raw)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		resp, err := server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName: typeName, PriorState: &prior, ProposedNewState: &prior, Config: &config,
		})
		if err != nil {
			b.Fatal(err)
		}
		for _, d := range resp.Diagnostics {
			if d.Severity == tfprotov6.DiagnosticSeverityError {
				b.Fatalf("%s: %s", d.Summary, d.Detail)
			}
		}
	}
}

// BenchmarkReadResource refreshes a realistic bot that has not drifted (what a
// no-change refresh-plan does per resource): one GET against the in-process
// mock, the mapping and the state. The floor's Read makes no request.
func BenchmarkReadResource(b *testing.B) {
	mock := mockcoze.New(mockcoze.Options{})
	mock.AddBot("7342866800001")
	srv := httptest.NewServer(mock)
	defer srv.Close()
	benchmarkRead(b, serve.NewProtocol6(New("bench")())(), "coze_bot_config", srv.URL)
}

func BenchmarkReadResourceFloor(b *testing.B) {
	benchmarkRead(b, serve.NewProtocol6(&floorProvider{})(), "cozefloor_bot_config", "http://127.0.0.1:1")
}

// benchmarkRead configures the server, creates the bot through plan and
// apply, as Terraform would, and then times ReadResource of its state.
func benchmarkRead(b *testing.B, server tfprotov6.ProviderServer, typeName, baseURL string) {
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		b.Fatal(err)
	}
	providerType := schemas.Provider.ValueType().(tftypes.Object)
	settings := map[string]tftypes.Value{}
	for name, typ := range providerType.AttributeTypes {
		settings[name] = tftypes.NewValue(typ, nil)
	}
	settings["base_url"] = tftypes.NewValue(tftypes.String, baseURL)
	settings["api_token"] = tftypes.NewValue(tftypes.String, mockcoze.DefaultToken)
	settings["requests_per_second"] = tftypes.NewValue(tftypes.Number, 0)
	providerConfig, err := tfprotov6.NewDynamicValue(providerType, tftypes.NewValue(providerType, settings))
	if err != nil {
		b.Fatal(err)
	}
	configured, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &providerConfig})
	mustSucceed(b, "configure", err, configured.Diagnostics)

	state := botConfigState(&testing.T{}, "7342866800001")
	m := realisticModel(b)
	m.ID, m.ConfigHash = types.StringNull(), types.StringNull()
	if d := state.Set(ctx, &m); d.HasError() {
		b.Fatal(d)
	}
	typ := state.Schema.Type().TerraformType(ctx)
	config, err := tfprotov6.NewDynamicValue(typ, state.Raw)
	if err != nil {
		b.Fatal(err)
	}
	none, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
	if err != nil {
		b.Fatal(err)
	}
	planned, err := server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: typeName, PriorState: &none, ProposedNewState: &config, Config: &config,
	})
	mustSucceed(b, "plan", err, planned.Diagnostics)
	applied, err := server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: typeName, PriorState: &none, PlannedState: planned.PlannedState, Config: &config,
	})
	mustSucceed(b, "apply", err, applied.Diagnostics)

	current := applied.NewState
	for b.Loop() {
		read, err := server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: current})
		mustSucceed(b, "read", err, read.Diagnostics)
		current = read.NewState
	}
	after, err := current.Unmarshal(typ)
	if err != nil {
		b.Fatal(err)
	}
	before, err := applied.NewState.Unmarshal(typ)
	if err != nil {
		b.Fatal(err)
	}
	if diffs, _ := before.Diff(after); len(diffs) > 0 {
		b.Fatalf("a refresh without drift changed the state at %v", diffs[0].Path)
	}
}

func mustSucceed(b *testing.B, step string, err error, diags []*tfprotov6.Diagnostic) {
	b.Helper()
	if err != nil {
		b.Fatalf("%s: %v", step, err)
	}
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			b.Fatalf("%s: %s: %s", step, d.Summary, d.Detail)
		}
	}
}

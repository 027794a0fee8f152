package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// The benchmark floor has the real schema, minus validators.
func TestFloorSchemaIsTheRealSchemaWithoutValidators(t *testing.T) {
	realResp, floor := &resource.SchemaResponse{}, &resource.SchemaResponse{}
	(&botConfigResource{}).Schema(context.Background(), resource.SchemaRequest{}, realResp)
	floorBotConfig{}.Schema(context.Background(), resource.SchemaRequest{}, floor)
	if !realResp.Schema.Type().Equal(floor.Schema.Type()) {
		t.Fatalf("floor schema type differs from the real one")
	}
	var count func(attrs map[string]schema.Attribute) int
	count = func(attrs map[string]schema.Attribute) int {
		n := 0
		for _, a := range attrs {
			switch v := a.(type) {
			case schema.StringAttribute:
				n += len(v.Validators)
			case schema.Int64Attribute:
				n += len(v.Validators)
			case schema.Float64Attribute:
				n += len(v.Validators)
			case schema.ListAttribute:
				n += len(v.Validators)
			case schema.DynamicAttribute:
				n += len(v.Validators)
			case schema.SingleNestedAttribute:
				n += len(v.Validators) + count(v.Attributes)
			case schema.ListNestedAttribute:
				n += len(v.Validators) + count(v.NestedObject.Attributes)
			}
		}
		return n
	}
	if got := count(floor.Schema.Attributes); got != 0 {
		t.Errorf("floor schema still has %d validators", got)
	}
	if got := count(realResp.Schema.Attributes); got < 30 {
		t.Errorf("real schema has only %d validators: the count is broken", got)
	}
}

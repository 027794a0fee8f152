package serve

import (
	"context"
	"errors"
	"sync"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// nestedDynamics works around a Terraform core defect that no plan a
// provider can return avoids: a nested attribute (an object) that holds a
// dynamic attribute, set to a value unknown at plan time as a whole, such as
//
//	model_info_config = terraform_data.settings.output.model
//
// where the model settings include `parameters`.
//
// Terraform knows that unknown value's concrete type (the parameters are an
// object of one string, say), but sends it to the provider as a bare
// "unknown" in the schema's type, whose `parameters` is DynamicPseudoType:
// msgpack keeps the type of an unknown only at a dynamic position, not
// inside an unknown object. It then checks the planned value against its
// own, concretely typed, configuration with RawEquals, which compares types
// first. An unknown object fails ("planned unknown for configured value");
// a known object of unknown attributes fails at `parameters` ("planned value
// cty.DynamicVal does not match config value cty.UnknownVal(cty.Object...)").
// The provider cannot name the concrete type: it never receives it. A
// dynamic attribute at the top level, or one key inside it, is not affected.
//
// For exactly these plans the response carries the protocol's
// UnsafeToUseLegacyTypeSystem flag, which makes Terraform log the failed
// check as a warning instead of rejecting the plan. The flag is meant for
// terraform-plugin-sdk only, and nothing else is done with it here: it is
// set on no other plan, and never on an apply or a read. What it waives is
// one plan-time check of a value that is unknown anyway; at apply Terraform
// plans again with the value known, without the flag, checks that plan in
// full, and checks it against this one, so an inconsistent plan is still
// refused before anything is sent to Coze.
type nestedDynamics struct {
	once sync.Once
	// types holds the schema type of each resource that nests a dynamic
	// attribute inside another attribute; other resources are never checked.
	types map[string]tftypes.Type
}

// lostTypes reports whether req's configuration holds an unknown value
// whose type nests a dynamic type: the plans Terraform would reject.
func (n *nestedDynamics) lostTypes(ctx context.Context, server tfprotov6.ProviderServer, req *tfprotov6.PlanResourceChangeRequest) bool {
	if n == nil || req.Config == nil {
		return false
	}
	n.once.Do(func() { n.types = resourcesNestingDynamics(context.WithoutCancel(ctx), server) })
	typ, ok := n.types[req.TypeName]
	if !ok || (req.Config.JSON == nil && !mayHoldUnknown(req.Config.MsgPack)) {
		return false
	}
	config, err := req.Config.Unmarshal(typ)
	if err != nil || config.IsFullyKnown() {
		return false
	}
	found := false
	_ = tftypes.Walk(config, func(_ *tftypes.AttributePath, v tftypes.Value) (bool, error) {
		if !v.IsKnown() && !v.Type().Is(tftypes.DynamicPseudoType) && nestsDynamic(v.Type()) {
			found = true
			return false, errStopWalk
		}
		return true, nil
	})
	return found
}

var errStopWalk = errors.New("found")

// mayHoldUnknown reports whether msgpack data may encode an unknown value:
// msgpack encodes those, and only those, as extensions (fixext 0xd4-0xd8,
// ext 0xc7-0xc9). Without any such byte, as in every plan without unknown
// values, the configuration need not be decoded; a data byte that looks
// like one only costs the decoding.
func mayHoldUnknown(msgpack []byte) bool {
	for _, b := range msgpack {
		if (b >= 0xd4 && b <= 0xd8) || (b >= 0xc7 && b <= 0xc9) {
			return true
		}
	}
	return false
}

// resourcesNestingDynamics returns the schema types of the resources with a
// dynamic type below their top-level attributes.
func resourcesNestingDynamics(ctx context.Context, server tfprotov6.ProviderServer) map[string]tftypes.Type {
	types := map[string]tftypes.Type{}
	resp, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || resp == nil {
		return types
	}
	for name, schema := range resp.ResourceSchemas {
		typ, ok := schema.ValueType().(tftypes.Object)
		if !ok {
			continue
		}
		for _, attrType := range typ.AttributeTypes {
			if !attrType.Is(tftypes.DynamicPseudoType) && nestsDynamic(attrType) {
				types[name] = typ
				break
			}
		}
	}
	return types
}

// nestsDynamic reports whether typ is or contains DynamicPseudoType.
func nestsDynamic(typ tftypes.Type) bool {
	switch t := typ.(type) {
	case tftypes.Object:
		for _, a := range t.AttributeTypes {
			if nestsDynamic(a) {
				return true
			}
		}
	case tftypes.Tuple:
		for _, e := range t.ElementTypes {
			if nestsDynamic(e) {
				return true
			}
		}
	case tftypes.List:
		return nestsDynamic(t.ElementType)
	case tftypes.Set:
		return nestsDynamic(t.ElementType)
	case tftypes.Map:
		return nestsDynamic(t.ElementType)
	}
	return typ != nil && typ.Is(tftypes.DynamicPseudoType)
}

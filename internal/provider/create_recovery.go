package provider

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/coze-terraform/terraform-provider-coze/internal/coze"
)

// After an uncertain create. The client sends a create once when its first
// attempt may have reached the API (a late answer, a gateway's 502 or 504):
// coze.UncertainCreateError. The object may then exist, and Coze has no API
// to delete a bot or a workspace, so the provider neither creates it again
// nor forgets it: it looks the object up by name in its list and adopts it
// into the state only when exactly one object of that name can be told
// apart as made by this create. Otherwise the apply fails with an error that
// lists the candidates and the import command, and keeps nothing in the
// state. The lists are read only on this rare path (bots), or once per
// create (workspaces: their list has no time field, so the create is told
// apart from what the list showed before it).

// createdIDs records the objects this provider created in one walk (it
// hangs off providerData), so that an uncertain create never adopts another
// resource's object of the same name. The zero value is ready to use.
type createdIDs struct{ ids sync.Map }

func (c *createdIDs) add(kind, id string) { c.ids.Store(kind+"/"+id, true) }

func (c *createdIDs) has(kind, id string) bool {
	_, ok := c.ids.Load(kind + "/" + id)
	return ok
}

// createCandidate is an object of the created one's name in its list.
type createCandidate struct {
	id     string
	isNew  bool   // told apart as made by this create
	detail string // what tells it apart, or not: "updated at 2026-..."
}

// uncertainCreate says what an uncertain create left: the one new candidate
// to adopt (with a warning), or "" and an error that lists the candidates.
// what names the object ("Coze bot"), where its list ("workspace 7341"),
// importID the import id of a candidate (for the import command).
func uncertainCreate(diags *diag.Diagnostics, client *coze.Client, u uncertainCreation) string {
	shown := u.err // without its own sentence of what it means, which the texts below say
	var uncertain *coze.UncertainCreateError
	if errors.As(u.err, &uncertain) {
		shown = uncertain.Err
	}
	var fresh []createCandidate
	for _, c := range u.candidates {
		if c.isNew {
			fresh = append(fresh, c)
		}
	}
	if len(fresh) == 1 {
		diags.AddWarning(fmt.Sprintf("Adopted %s %s after an uncertain create", u.what, fresh[0].id),
			fmt.Sprintf("The create of %s %q in %s failed in a way that may have created it all the same (%v). It was not sent "+
				"again: %s. %s %s, named %q, %s, so it was taken as the one this create made and is now in the state.",
				u.what, u.name, u.where, shown, u.noSecondCreate, u.what, fresh[0].id, u.name, fresh[0].detail))
		return fresh[0].id
	}
	var list strings.Builder
	sort.Slice(u.candidates, func(i, j int) bool { return u.candidates[i].id < u.candidates[j].id })
	for _, c := range u.candidates {
		fmt.Fprintf(&list, "\n  - %s (%s): terraform import <address of this %s> %s", c.id, c.detail, u.resourceType, u.importID(c.id))
	}
	found := fmt.Sprintf("%s lists no %s named %q.", u.where, u.what, u.name)
	if len(u.candidates) > 0 {
		found = fmt.Sprintf("%s lists %d %s(s) named %q, and %d of them can be told apart as made by this create (%s), so "+
			"none was adopted:%s", u.where, len(u.candidates), u.what, u.name, len(fresh), u.newMeans, list.String())
	}
	if u.listErr != nil {
		found = fmt.Sprintf("Looking for it in %s failed as well: %v.", u.where, u.listErr)
	}
	addAPIError(diags, client, fmt.Sprintf("create %s %q in %s", u.what, u.name, u.where), shown,
		fmt.Sprintf("The request may have reached Coze and created the %s all the same, so it was not sent again: %s. %s "+
			"Nothing was kept in the Terraform state. If one of these is the %s this create made, import it with the command "+
			"shown; if none is, apply again.", u.what, u.noSecondCreate, found, u.what))
	return ""
}

// uncertainCreation is what uncertainCreate reports on.
type uncertainCreation struct {
	what, resourceType, name, where string
	err                             error // the create's
	candidates                      []createCandidate
	listErr                         error // looking for the candidates failed
	newMeans                        string
	noSecondCreate                  string
	importID                        func(id string) string
}

// recoverBotCreate looks for the bot that an uncertain create of coze_bot
// may have made, in its workspace's list of all bots: a bot of the name
// whose updated_at (the list's only time field, set at creation) is not
// before the create started, and which no other coze_bot of this walk
// created. It returns its id, or "" with an error in diags.
func (r *botResource) recoverBotCreate(ctx context.Context, client *coze.Client, spaceID, name string, started time.Time,
	createErr error, diags *diag.Diagnostics) string {
	u := uncertainCreation{
		what: "Coze bot", resourceType: "coze_bot", name: name, where: "workspace " + spaceID, err: createErr,
		newMeans:       fmt.Sprintf("updated at or after %s, when the create started, and made by no other resource", started.UTC().Format(time.RFC3339)),
		noSecondCreate: "Coze has no API to delete a bot, and a second create would leave a second bot for good",
		importID:       func(id string) string { return spaceID + "/" + id },
	}
	bots, err := client.ListAllBots(ctx, coze.ListBotsRequest{WorkspaceID: spaceID, PublishStatus: "all"}, listMaxPages)
	if err != nil {
		u.listErr = err
		return uncertainCreate(diags, client, u)
	}
	since := started.Truncate(time.Second).Unix() // updated_at counts whole seconds
	for _, b := range bots {
		if b.Name != name {
			continue
		}
		c := createCandidate{id: b.ID, detail: "updated at " + time.Unix(b.UpdatedAt, 0).UTC().Format(time.RFC3339)}
		switch {
		case r.data.created.has("bot", b.ID):
			c.detail += ", created by another resource of this run"
		case b.UpdatedAt >= since:
			c.isNew = true
		}
		u.candidates = append(u.candidates, c)
	}
	return uncertainCreate(diags, client, u)
}

// createWorkspace creates a workspace for coze_workspace and returns its
// id, or "" after adding the error to diags. The workspace list has no time
// field, so a workspace that an uncertain create made is told apart from
// the ones the list showed before the create: the create reads that list
// first, through the walk's shared listing (one listing per create, as the
// provider forgets it after each create).
func createWorkspace(ctx context.Context, client *coze.Client, data *providerData, req *coze.CreateWorkspaceRequest, diags *diag.Diagnostics) string {
	listAll := func(ctx context.Context, add func(string, coze.Workspace)) error {
		return client.EachWorkspace(ctx, coze.ListWorkspacesRequest{}, func(w coze.Workspace) bool {
			add(w.ID, w)
			return true
		})
	}
	before, beforeErr := data.workspaces.get(ctx, "", "", listAll)
	id, err := client.CreateWorkspace(ctx, req)
	if err == nil {
		data.created.add("workspace", id)
		return id
	}
	operation := fmt.Sprintf("create Coze workspace %q", req.Name)
	if !coze.IsUncertainCreate(err) {
		addAPIError(diags, client, operation, err)
		return ""
	}
	u := uncertainCreation{
		what: "Coze workspace", resourceType: "coze_workspace", name: req.Name, where: "the token's workspace list", err: err,
		newMeans:       "not in the list read just before the create, and made by no other resource",
		noSecondCreate: "Coze has no API to delete a workspace, and a second create would leave a second workspace for good",
		importID:       func(id string) string { return id },
	}
	if beforeErr != nil {
		u.newMeans = "none can be: the list could not be read before the create (" + beforeErr.Error() + ")"
	}
	u.listErr = listAll(ctx, func(id string, w coze.Workspace) {
		if w.Name != req.Name {
			return
		}
		c := createCandidate{id: id, detail: "listed before the create"}
		_, existed := before[id]
		switch {
		case data.created.has("workspace", id):
			c.detail = "created by another resource of this run"
		case beforeErr != nil:
			c.detail = "the list before the create is unknown"
		case !existed:
			c.isNew, c.detail = true, "not listed before the create"
		}
		u.candidates = append(u.candidates, c)
	})
	if u.listErr != nil {
		u.candidates = nil
	}
	adopted := uncertainCreate(diags, client, u)
	if adopted != "" {
		data.created.add("workspace", adopted)
	}
	return adopted
}

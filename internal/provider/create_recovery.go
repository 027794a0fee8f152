package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
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
// into the state only when that list is known to show this token every
// object it could be, and exactly one object of that name can be told apart
// as made by this create. Otherwise the apply fails with an error that lists
// the candidates and the import command, and keeps nothing in the state;
// when the list may not show the object at all, the error says so and how
// to find it in Coze, and never suggests applying again, which would create
// a second one. Coze may carry a create out after its answer was lost, so
// a list that shows nothing to adopt is read again over a grace period
// (lookForCreated) before the error says that most likely nothing was made.
// The lists are read only on this rare path (bots), or once more per create
// (workspaces: their list has no time field, so the create is told apart
// from what the list showed before it).

// writtenIDs records the objects this provider wrote in one walk (created,
// updated, published or unpublished; it hangs off providerData), so that an
// uncertain create never adopts an object that another resource of the run
// created or touched within the create's window. It also counts the
// unresolved creates per kind, scope and name: a create's id is known only
// when its answer comes, so while two creates of one name are unresolved, a
// bot or workspace of that name cannot be told to be one's or the other's,
// and neither adopts. A create is resolved when it has claimed its object
// (created or adopted) or failed for certain; an uncertain create that
// adopted nothing stays unresolved for the walk: its object may still be
// listed. The zero value is ready.
type writtenIDs struct {
	ids        sync.Map
	mu         sync.Mutex
	unresolved map[string]int // kind/scope/name: creates started and not resolved in this walk
}

// createStarted counts a create of kind named name in scope (a workspace,
// a workspace list), before it is sent, until the finish it returns is
// called: after the create claimed its object, or failed for certain.
func (w *writtenIDs) createStarted(kind, scope, name string) (finish func()) {
	key := kind + "/" + scope + "/" + name
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.unresolved == nil {
		w.unresolved = map[string]int{}
	}
	w.unresolved[key]++
	var once sync.Once
	return func() {
		once.Do(func() {
			w.mu.Lock()
			defer w.mu.Unlock()
			w.unresolved[key]--
		})
	}
}

// createsUnresolved is how many creates of kind named name in scope this
// walk started and has not resolved.
func (w *writtenIDs) createsUnresolved(kind, scope, name string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.unresolved[kind+"/"+scope+"/"+name]
}

// addBot records a bot this walk updated, published or unpublished (a
// created one is claimed).
func (w *writtenIDs) addBot(id string) { w.ids.Store("bot/"+id, true) }

func (w *writtenIDs) has(kind, id string) bool {
	_, ok := w.ids.Load(kind + "/" + id)
	return ok
}

// claim records the object as written and reports whether it was not
// before: of two uncertain creates of one name that find the same new
// object, only one adopts it.
func (w *writtenIDs) claim(kind, id string) bool {
	_, claimed := w.ids.LoadOrStore(kind+"/"+id, true)
	return !claimed
}

// defaultCreateRechecks are the waits before each reading of the list after
// an uncertain create: reads at about +0 s, +3 s and +10 s. Coze may carry
// a create out after its answer was lost, so a list read straight after the
// failure that shows nothing does not prove that nothing was made.
// providerData.createRechecks replaces them (tests).
var defaultCreateRechecks = []time.Duration{0, 3 * time.Second, 7 * time.Second}

// rechecks are the waits before each reading of the list after an
// uncertain create.
func (d *providerData) rechecks() []time.Duration {
	if d.createRechecks != nil {
		return d.createRechecks
	}
	return defaultCreateRechecks
}

// createRecheckTimeout is the least time that the looking after an
// uncertain create and the adopted object's follow-up requests get, even
// when the create failed because its own timeout ran out.
const createRecheckTimeout = 30 * time.Second

// createRecovery is the one context of everything after an uncertain
// create: the list reads and the adopted object's follow-up requests. It is
// made at the failure, with the create's deadline or createRecheckTimeout
// from then, whichever is later, and detached from the create's context (a
// create that failed because its timeout ran out must still look, or it
// could never adopt what it made), but cancelled with the request's context,
// the one before the create's timeout (Terraform stopping the apply), even
// after the create's deadline has passed. close releases it.
type createRecovery struct {
	request context.Context // the Create request's, without the create's timeout
	create  context.Context // the create's own, within its timeout
	ctx     context.Context // made by context
	stop    func()
}

func newCreateRecovery(request, create context.Context) *createRecovery {
	return &createRecovery{request: request, create: create}
}

// context returns the recovery context, made at the first call.
func (r *createRecovery) context() context.Context {
	if r.ctx != nil {
		return r.ctx
	}
	deadline := time.Now().Add(createRecheckTimeout)
	if d, ok := r.create.Deadline(); ok && d.After(deadline) {
		deadline = d
	}
	ctx, cancel := context.WithDeadline(context.WithoutCancel(r.create), deadline)
	stopAfter := context.AfterFunc(r.request, cancel)
	r.ctx, r.stop = ctx, func() { stopAfter(); cancel() }
	return ctx
}

// current is the recovery context once there is one (an object was
// recovered), else the create's.
func (r *createRecovery) current() context.Context {
	if r.ctx != nil {
		return r.ctx
	}
	return r.create
}

func (r *createRecovery) close() {
	if r.stop != nil {
		r.stop()
	}
}

// createCandidate is an object of the created one's name in its list.
type createCandidate struct {
	id    string
	isNew bool // told apart as made by this create
	// adoptedElsewhere: new, but another resource of this run adopted it
	// first, so it is listed without an import command.
	adoptedElsewhere bool
	detail           string // what tells it apart, or not: "updated at 2026-..."
}

// uncertainCreation is what uncertainCreate reports on.
type uncertainCreation struct {
	what, resourceType, name, where string
	err                             error // the create's
	candidates                      []createCandidate
	listErr                         error // looking for the candidates failed
	// unchecked, when set, says why the list may not show the object even
	// if it exists: nothing is adopted, and the error says how to look.
	unchecked      string
	lookIn         string // how to find the object in Coze
	newMeans       string
	noSecondCreate string
	importID       func(id string) string
	claim          func(id string) bool // writtenIDs.claim of the object's kind
	// sameNameCreates, when set, is how many creates of this name and scope
	// the walk has not resolved, this one included
	// (writtenIDs.createsUnresolved): more than one, and none is adopted,
	// since the one new object may be another create's.
	sameNameCreates func() int
	// noneCanBeNew: no candidate can be told apart as made by this create
	// (the list before it is unknown), so the first good read is the last.
	noneCanBeNew bool
	// Set by lookForCreated: the one new candidate, claimed; how many times
	// the list was read, and the time from the failure to the last read.
	adopted string
	reads   int
	within  time.Duration
}

// created reports whether the API answered success without the object's
// id: it exists, only its id is unknown.
func (u *uncertainCreation) created() bool {
	var uncertain *coze.UncertainCreateError
	return errors.As(u.err, &uncertain) && uncertain.Created
}

// sharedName reports whether another create of the walk with this name and
// scope is unresolved: read after the list, so that a create started after
// the check cannot be in the list read, and one resolved before it has
// claimed its object.
func (u *uncertainCreation) sharedName() bool {
	return u.sameNameCreates != nil && u.sameNameCreates() > 1
}

func (u *uncertainCreation) checked() bool { return u.listErr == nil && u.unchecked == "" }

func (u *uncertainCreation) fresh() []createCandidate {
	var fresh []createCandidate
	for _, c := range u.candidates {
		if c.isNew {
			fresh = append(fresh, c)
		}
	}
	return fresh
}

// lookForCreated fills u's candidates by look, and reads the list again
// after each wait of rechecks while it shows nothing to adopt (a create
// carried out late appears then), within ctx (createRecovery's). A list
// that may not show the object at all (unchecked) is read once: waiting
// cannot make it tell. The one new candidate is adopted only if it can be
// claimed (writtenIDs.claim); one that another create of the run adopted is
// not new.
func lookForCreated(ctx context.Context, rechecks []time.Duration, u *uncertainCreation, look func(context.Context, *uncertainCreation)) {
	failed := time.Now()
	for i, wait := range rechecks {
		if i > 0 {
			timer := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				timer.Stop()
				return
			case <-timer.C:
			}
		}
		next := *u
		next.candidates, next.listErr = nil, nil
		look(ctx, &next)
		if i > 0 && next.listErr != nil && u.listErr == nil {
			return // the reads before showed the list: keep what they found
		}
		next.reads, next.within = i+1, time.Since(failed)
		*u = next
		if !u.checked() {
			if u.unchecked != "" {
				return
			}
			continue // a failed read may pass
		}
		if u.noneCanBeNew {
			return // waiting cannot make one adoptable
		}
		fresh := u.fresh()
		if len(fresh) > 1 {
			return // waiting does not tell them apart
		}
		if len(fresh) == 1 {
			if u.sharedName() {
				return // waiting does not tell whose it is
			}
			if u.claim == nil || u.claim(fresh[0].id) {
				u.adopted = fresh[0].id
				return
			}
			for j := range u.candidates {
				if u.candidates[j].id == fresh[0].id {
					u.candidates[j].isNew, u.candidates[j].adoptedElsewhere = false, true
					u.candidates[j].detail += ", adopted by another resource of this run"
				}
			}
		}
	}
}

// uncertainCreate says what an uncertain create left: the adopted candidate
// (with a warning), or "" and an error that lists the candidates.
func uncertainCreate(diags *diag.Diagnostics, client *coze.Client, u uncertainCreation) string {
	// Without the error's own sentence of what it means and the generic hint,
	// which the texts below say.
	created := u.created()
	shown := answerLost{err: u.err, created: created}
	var uncertain *coze.UncertainCreateError
	if errors.As(u.err, &uncertain) {
		shown.err = uncertain.Err
	}
	if u.adopted != "" {
		i := slices.IndexFunc(u.candidates, func(c createCandidate) bool { return c.id == u.adopted })
		detail := ""
		if i >= 0 {
			detail = u.candidates[i].detail
		}
		may := "failed in a way that may have created it all the same"
		if created {
			may = "answered success without its id"
		}
		diags.AddWarning(fmt.Sprintf("Adopted %s %s after an uncertain create", u.what, u.adopted),
			fmt.Sprintf("The create of %s %q in %s %s (%v). It was not sent again: %s. %s %s, named %q, %s, so it was "+
				"taken as the one this create made and is now in the state.",
				u.what, u.name, u.where, may, shown, u.noSecondCreate, u.what, u.adopted, u.name, detail))
		return u.adopted
	}
	fresh, checked := u.fresh(), u.checked()
	var list strings.Builder
	sort.Slice(u.candidates, func(i, j int) bool { return u.candidates[i].id < u.candidates[j].id })
	for _, c := range u.candidates {
		if c.adoptedElsewhere {
			fmt.Fprintf(&list, "\n  - %s (%s)", c.id, c.detail)
			continue
		}
		fmt.Fprintf(&list, "\n  - %s (%s): terraform import <address of this %s> %s", c.id, c.detail, u.resourceType, u.importID(c.id))
	}
	looked := ""
	if u.reads > 0 {
		reads := "1 read"
		if u.reads > 1 {
			reads = fmt.Sprintf("%d reads", u.reads)
		}
		looked = fmt.Sprintf(" within %s of the failure (%s)", u.within.Round(time.Second), reads)
	}
	found := fmt.Sprintf("%s showed no %s named %q%s.", capitalize(u.where), u.what, u.name, looked)
	if len(u.candidates) > 0 {
		adopted := "so none was adopted"
		if !checked {
			adopted = "but none was adopted, since that list may not show every " + u.what + " of the name"
		}
		if checked && len(fresh) == 1 && u.sharedName() {
			adopted = fmt.Sprintf("but none was adopted, since %d resources of this run are creating a %s of this name "+
				"there or could not tell whether they made one, so the new one may be another's", u.sameNameCreates(), u.what)
		}
		found = fmt.Sprintf("%s showed %d %s(s) named %q%s, and %d of them can be told apart as made by this create (%s), %s:%s",
			capitalize(u.where), len(u.candidates), u.what, u.name, looked, len(fresh), u.newMeans, adopted, list.String())
	}
	importCmd := fmt.Sprintf("terraform import <address of this %s> %s", u.resourceType, u.importID("<id>"))
	var next string
	switch {
	case !checked:
		why := u.unchecked
		if u.listErr != nil {
			found, why = "", fmt.Sprintf("looking for it in %s failed (%v)", u.where, u.listErr)
		}
		exists := "may exist, and the provider cannot check whether it does"
		if created {
			exists = "exists, and the provider cannot find it"
		}
		next = fmt.Sprintf("So the %s %s: %s. Before the next apply, which would create a second %s, look for it in Coze: "+
			"%s. If it is there, import it: %s.", u.what, exists, why, u.what, u.lookIn, importCmd)
	case created:
		next = fmt.Sprintf("The %s exists all the same, and may show in the list later. Before the next apply, which would "+
			"create a second %s, look for it in Coze: %s. Then import it: %s.", u.what, u.what, u.lookIn, importCmd)
		if len(u.candidates) > 0 {
			next = "If one of these is it, import it with the command shown. " + next
		}
	case u.noneCanBeNew:
		next = fmt.Sprintf("No %s of the name can be told apart as made by this create, so whether it made one is unknown. "+
			"Before applying again, which could create a second %s, look in Coze: %s. If this create's %s is there, import it: %s.",
			u.what, u.what, u.lookIn, u.what, importCmd)
	case len(u.candidates) == 0:
		next = fmt.Sprintf("Most likely none was made, but Coze may still carry out a create whose answer was lost. Before "+
			"applying again, look in Coze: %s. If one appears, import it: %s.", u.lookIn, importCmd)
	default:
		next = fmt.Sprintf("If one of these is the %s this create made, import it with the command shown. If none is, most "+
			"likely none was made; before applying again, look in Coze for another one (%s), and if one appears, import it: %s.",
			u.what, u.lookIn, importCmd)
	}
	happened := fmt.Sprintf("The request may have reached Coze and created the %s all the same, so it was not sent again: %s.",
		u.what, u.noSecondCreate)
	if created {
		happened = fmt.Sprintf("The API answered success without the new %s's id, so the %s was created; the request was not "+
			"sent again: %s.", u.what, u.what, u.noSecondCreate)
	}
	parts := []string{happened, found, "Nothing was kept in the Terraform state.", next}
	addAPIError(diags, client, fmt.Sprintf("create %s %q in %s", u.what, u.name, u.where), shown,
		strings.Join(slices.DeleteFunc(parts, func(p string) bool { return p == "" }), " "))
	return ""
}

// addCreatedButAdoptedError fails a create that succeeded with an object
// that another resource of the walk already adopted after an uncertain
// create: two resources must never manage one object, and which one made it
// is then unknown.
func addCreatedButAdoptedError(diags *diag.Diagnostics, what, id, name string) {
	diags.AddError(fmt.Sprintf("Created %s %s, which another resource of this run adopted", what, id),
		fmt.Sprintf("Coze answered the create of %s %q with id %s, which another resource of this run already took into its "+
			"state after an uncertain create. Two resources must not manage one %s, so nothing was kept in the state for this "+
			"one. Look in Coze for the %s(s) named %q: if this create's %s is another one, import it into this resource; "+
			"otherwise remove this resource from the configuration or give it another name. This is a bug in the provider "+
			"if it happens: please report it.", what, name, id, what, what, name, what))
}

// capitalize makes the first letter of s upper case.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// botCreateAttempt is a create of coze_bot whose answer was uncertain.
type botCreateAttempt struct {
	request *coze.CreateBotRequest
	started time.Time
	err     error
}

// recoverBotCreate looks for the bot that an uncertain create of coze_bot
// may have made, in its workspace's list of all bots: a bot of the name
// that looks new (updated_at, the list's only time field, not before the
// create started; unpublished; the description sent, if one was) and that
// no resource of this walk wrote. Only a list known to show this token
// every bot of the workspace (Client.BotListCoverage) can tell. It returns
// the bot's id, or "" with an error in diags.
func (r *botResource) recoverBotCreate(ctx context.Context, client *coze.Client, attempt botCreateAttempt, diags *diag.Diagnostics) string {
	spaceID, name, description := attempt.request.SpaceID, attempt.request.Name, attempt.request.Description
	newMeans := "updated at or after " + attempt.started.UTC().Format(time.RFC3339) + ", when the create started, unpublished"
	if description != nil {
		newMeans += ", with the description sent"
	}
	u := uncertainCreation{
		what: "Coze bot", resourceType: "coze_bot", name: name, where: "workspace " + spaceID, err: attempt.err,
		newMeans:       newMeans + ", and written by no other resource of this run",
		noSecondCreate: "Coze has no API to delete a bot, and a second create would leave a second bot for good",
		lookIn: fmt.Sprintf("open workspace %s in the Coze console (the number after /space/ in its address) and look for a bot "+
			"named %q; its id is the number after /bot/ in the bot's address", spaceID, name),
		importID:        func(id string) string { return spaceID + "/" + id },
		claim:           func(id string) bool { return r.data.written.claim("bot", id) },
		sameNameCreates: func() int { return r.data.written.createsUnresolved("bot", spaceID, name) },
	}
	since := attempt.started.Truncate(time.Second).Unix() // updated_at counts whole seconds
	covered := false
	lookForCreated(ctx, r.data.rechecks(), &u, func(ctx context.Context, u *uncertainCreation) {
		// Read until it answers, like the bot list: a failed read may pass.
		if !covered {
			coverage, err := client.BotListCoverage(ctx, spaceID)
			if err != nil {
				u.listErr = fmt.Errorf("the token's workspace list, which tells whether the bot list of workspace %s shows "+
					"every bot to this token, could not be read: %w", spaceID, err)
				return
			}
			if covered = true; !coverage.Complete {
				u.unchecked = coverage.Why // the list still shows the candidates
			}
		}
		bots, err := client.ListAllBots(ctx, coze.ListBotsRequest{WorkspaceID: spaceID, PublishStatus: "all"}, listMaxPages)
		if err != nil {
			u.listErr = err
			return
		}
		for _, b := range bots {
			if b.Name != name {
				continue
			}
			c := createCandidate{id: b.ID, detail: "updated at " + time.Unix(b.UpdatedAt, 0).UTC().Format(time.RFC3339)}
			switch {
			case r.data.written.has("bot", b.ID):
				c.detail += ", written by another resource of this run"
			case b.UpdatedAt < since:
			case b.IsPublished || b.PublishedAt != 0:
				c.detail += ", published: a new bot is an unpublished draft"
			case description != nil && b.Description != *description:
				c.detail += ", with another description than the create sent"
			default:
				c.isNew = true
			}
			u.candidates = append(u.candidates, c)
		}
	})
	return uncertainCreate(diags, client, u)
}

// createWorkspace creates a workspace for coze_workspace and returns its
// id, or "" after adding the error to diags. The workspace list has no time
// field, so a workspace that an uncertain create made is told apart from
// the ones the list showed before the create: the create reads that list
// first, through the walk's shared listing (one listing per create, as the
// provider forgets it after each create). The list is the one that shows
// the new workspace: the owner's (user_id and coze_account_id) when the
// workspace is created for an owner_uid, otherwise the token's.
//
// The create runs on recovery's create context; after an uncertain create,
// the looking runs on its recovery context, which the caller goes on with
// for the adopted workspace (createRecovery.current).
func (r *workspaceResource) createWorkspace(recovery *createRecovery, client *coze.Client, req *coze.CreateWorkspaceRequest, diags *diag.Diagnostics) string {
	ctx := recovery.create
	list, listName, where, unchecked := workspaceCreateList(client, req)
	listAll := func(ctx context.Context, add func(string, coze.Workspace)) error {
		return client.EachWorkspace(ctx, list, func(w coze.Workspace) bool {
			add(w.ID, w)
			return true
		})
	}
	// Where the list may not show the new workspace (unchecked), what it
	// showed before the create is of no use: nothing is adopted from it.
	var before map[string]coze.Workspace
	var beforeErr error
	if unchecked == "" {
		before, beforeErr = r.data.workspaces.get(ctx, "", listName, listAll)
	}
	finish := r.data.written.createStarted("workspace", listName, req.Name)
	id, err := client.CreateWorkspace(ctx, req)
	if err == nil {
		claimed := r.data.written.claim("workspace", id)
		finish() // after the claim: until then, the new workspace may look adoptable to another create
		if !claimed {
			addCreatedButAdoptedError(diags, "Coze workspace", id, req.Name)
			return ""
		}
		return id
	}
	operation := fmt.Sprintf("create Coze workspace %q", req.Name)
	if !coze.IsUncertainCreate(err) {
		finish()
		addAPIError(diags, client, operation, err)
		return ""
	}
	ctx = recovery.context()
	u := uncertainCreation{
		what: "Coze workspace", resourceType: "coze_workspace", name: req.Name, where: where, err: err, unchecked: unchecked,
		newMeans:       "not in the list read just before the create, and written by no other resource of this run",
		noSecondCreate: "Coze has no API to delete a workspace, and a second create would leave a second workspace for good",
		lookIn: fmt.Sprintf("in the Coze console, look for a workspace named %q among the workspaces of %s; its id is the number "+
			"after /space/ in its address", req.Name, workspaceOwnerName(req)),
		importID:        func(id string) string { return id },
		claim:           func(id string) bool { return r.data.written.claim("workspace", id) },
		sameNameCreates: func() int { return r.data.written.createsUnresolved("workspace", listName, req.Name) },
	}
	switch {
	case unchecked != "":
		u.newMeans = "none can be: that list may not show the new workspace, so it was not read before the create"
	case beforeErr != nil:
		u.newMeans = "none can be: the list could not be read before the create (" + beforeErr.Error() + ")"
		u.noneCanBeNew = true
	}
	lookForCreated(ctx, r.data.rechecks(), &u, func(ctx context.Context, u *uncertainCreation) {
		u.listErr = listAll(ctx, func(id string, w coze.Workspace) {
			if w.Name != req.Name {
				return
			}
			c := createCandidate{id: id, detail: "listed before the create"}
			_, existed := before[id]
			switch {
			case r.data.written.has("workspace", id):
				c.detail = "written by another resource of this run"
			case unchecked != "":
				c.detail = "the list before the create was not read"
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
	})
	adopted := uncertainCreate(diags, client, u)
	if adopted != "" {
		finish() // claimed; one that adopted nothing stays unresolved
	}
	return adopted
}

// workspaceCreateList is the list that shows a workspace that req creates:
// the owner's list (as Create's read-back and Read use) when req names an
// owner and an organization, else the token's. unchecked says why that list
// may not show the new workspace at all: created for an owner without an
// organization, whose list the API does not read, or by a service app,
// whose list Coze's docs do not describe ("the workspaces the current user
// created or joined", list_workspace.md; a service app calls the API "as
// the backend application", oauth_jwt.md). name is the listing's name in
// the walk's shared listings, where describes it.
func workspaceCreateList(client *coze.Client, req *coze.CreateWorkspaceRequest) (list coze.ListWorkspacesRequest, name, where, unchecked string) {
	switch {
	case req.OwnerUID != "" && req.CozeAccountID != "":
		list = coze.ListWorkspacesRequest{UserID: req.OwnerUID, CozeAccountID: req.CozeAccountID}
		return list, req.OwnerUID + "/" + req.CozeAccountID,
			fmt.Sprintf("the workspace list of its owner %s in organization %s", req.OwnerUID, req.CozeAccountID), ""
	case req.OwnerUID != "":
		return list, "", "the token's workspace list", fmt.Sprintf("the workspace is created for user %s (owner_uid), whose "+
			"workspace list the API reads only with coze_account_id, and the token's list shows only the workspaces its own "+
			"user created or joined", req.OwnerUID)
	case client.AuthenticatesAsServiceApp():
		return list, "", "the token's workspace list", "the provider authenticates as a service app, and Coze's docs do not " +
			"say whose workspaces a service app's token lists (GET /v1/workspaces lists the workspaces \"the current user\" " +
			"created or joined), so a workspace the app creates may not be in that list; with owner_uid and coze_account_id " +
			"set, the provider reads the owner's list instead"
	}
	return list, "", "the token's workspace list", ""
}

// workspaceOwnerName names whose workspaces req's workspace is among.
func workspaceOwnerName(req *coze.CreateWorkspaceRequest) string {
	if req.OwnerUID != "" {
		return "user " + req.OwnerUID + " (owner_uid)"
	}
	return "the account that the token or service app acts for"
}

package coze

import (
	"errors"
	"fmt"
	"iter"
)

// maxListPages bounds every paged listing, so that a server that keeps saying
// "more" cannot keep a plan running forever (the error wraps ErrPaging).
const maxListPages = 1000

// ErrPaging marks a listing that the client gave up on: too many pages, or
// an API that ignores the page number. The API itself answered without error.
var ErrPaging = errors.New("paging")

// listPage is one page of a listing as the API answered it.
type listPage[T any] struct {
	items []T
	// hasMore is the API's has_more, for listings that tell it (workflows);
	// nil for the others, where a full page is what says more may follow.
	hasMore *bool
}

// paging describes a page_num/page_size listing for eachPage.
type paging[T any] struct {
	op       string // names the listing in its errors: "list bots of workspace 7342866800001"
	noun     string // what the listing holds, plural: "bots"
	pageSize int
	maxPages int // 0: maxListPages
	fetch    func(page int) (listPage[T], error)
	key      func(T) string // an item's id: an item listed twice is passed once
	// confirmShortPage reads on after a short page that brought new items,
	// until a page is empty or brings nothing new: for a page size the API
	// does not document as allowed, which a server may cap without an error,
	// answering every page short. It costs one request per listing whose
	// last page is not full.
	confirmShortPage bool
}

// eachPage pages through a listing from page 1, calling fn for every item
// not seen on an earlier page (the list shifted while paging), until fn
// returns false or the listing ends: on an empty page; on a page with
// has_more false, where the API tells it; otherwise on a short page (see
// confirmShortPage). It never stops on a total count: an API that counts
// the page alone (as the bot list's doc defines total) or ignores page_num
// would make that a silent truncation. A page that brings no new item while
// more should follow is an error instead, and so is a listing longer than
// maxPages pages (both wrap ErrPaging).
func eachPage[T any](p paging[T], fn func(T) bool) error {
	maxPages := p.maxPages
	if maxPages <= 0 {
		maxPages = maxListPages
	}
	seen := map[string]bool{}
	for page := 1; ; page++ {
		if page > maxPages {
			return fmt.Errorf("%s: more than %d pages of %d %s (%w)", p.op, maxPages, p.pageSize, p.noun, ErrPaging)
		}
		answer, err := p.fetch(page)
		if err != nil {
			return err // the call's error names the listing
		}
		added := 0
		for _, item := range answer.items {
			if seen[p.key(item)] {
				continue
			}
			seen[p.key(item)] = true
			added++
			if !fn(item) {
				return nil
			}
		}
		switch {
		case len(answer.items) == 0:
			return nil
		case answer.hasMore != nil:
			if !*answer.hasMore {
				return nil
			}
		case len(answer.items) < p.pageSize && (!p.confirmShortPage || added == 0):
			return nil
		}
		if added == 0 {
			more := ""
			if answer.hasMore != nil {
				more = ", yet has_more is true"
			}
			return fmt.Errorf("%s: page %d repeats the %s of earlier pages and lists no new one%s; the API seems to "+
				"ignore the page number (%w)", p.op, page, p.noun, more, ErrPaging)
		}
	}
}

// pagedSeq is eachPage as an iterator of pointers to the items, for range
// loops; it yields the listing's error last, if any.
func pagedSeq[T any](p paging[T]) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		if err := eachPage(p, func(item T) bool { return yield(&item, nil) }); err != nil {
			yield(nil, err)
		}
	}
}

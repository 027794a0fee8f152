package coze

import "fmt"

// maxListPages bounds every paged listing, so that a server that keeps saying
// "more" cannot keep a plan running forever (the error wraps ErrPaging).
const maxListPages = 1000

// eachNumberedPage pages through a page_num/page_size listing until a page
// comes back short or empty, or fn returns false. Like ListAllBots it does
// not stop on total_count, which a server ignoring page_num would make a
// silent truncation: a full page that brings no new item is an error
// instead, and so is a listing longer than maxListPages pages (both wrap
// ErrPaging). An item seen on an earlier page (the list shifted while
// paging) is passed once.
func eachNumberedPage[T any](pageSize int, fetch func(page int) ([]T, error), key func(T) string, fn func(T) bool) error {
	seen := map[string]bool{}
	for page := 1; ; page++ {
		if page > maxListPages {
			return fmt.Errorf("more than %d pages of %d items (%w)", maxListPages, pageSize, ErrPaging)
		}
		items, err := fetch(page)
		if err != nil {
			return err
		}
		added := 0
		for _, item := range items {
			if seen[key(item)] {
				continue
			}
			seen[key(item)] = true
			added++
			if !fn(item) {
				return nil
			}
		}
		if len(items) < pageSize {
			return nil
		}
		if added == 0 {
			return fmt.Errorf("page %d repeats the items of earlier pages and lists no new one; the API seems to ignore "+
				"the page number (%w)", page, ErrPaging)
		}
	}
}

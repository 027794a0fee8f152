package mockcoze

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// BenchmarkMockUnderConcurrentLoad measures the mock's own throughput (update
// then read, over HTTP, from parallel clients), so that provider benchmarks
// can show the mock is not their bottleneck. ns/op is per update+read pair.
func BenchmarkMockUnderConcurrentLoad(b *testing.B) {
	s := New(Options{})
	const bots = 64
	for i := range bots {
		s.AddBot(fmt.Sprint(7342866800000 + i))
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var next atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := next.Add(1)
			id := fmt.Sprint(7342866800000 + n%bots)
			if n%1000 == 0 {
				s.ResetRequests() // keep the request log from growing with b.N
			}
			body := fmt.Sprintf(`{"bot_id":%q,"name":"bench %d","prompt_info":{"prompt":"you are a chef"},"knowledge":{"dataset_ids":["3","1","2"]}}`, id, n%100)
			do(b, client, http.MethodPost, srv.URL+"/v1/bot/update", []byte(body))
			do(b, client, http.MethodGet, srv.URL+"/v1/bots/"+id+"?is_published=false", nil)
		}
	})
}

func do(b *testing.B, client *http.Client, method, url string, body []byte) {
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		b.Error(err)
		return
	}
	req.Header.Set("Authorization", "Bearer "+DefaultToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		b.Error(err)
		return
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Contains(raw, []byte(`"code":0`)) {
		b.Errorf("%s %s: %s", method, url, raw)
	}
}

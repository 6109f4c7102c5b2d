package main

import (
	"context"
	"log/slog"

	"stichwort"
	"stichwort/index"
)

// ours is the real index package, as the server uses it.
type ours struct {
	idx   *index.Index
	byURL map[string]string // document URL → judged id
}

func openOurs(ctx context.Context, dir string, docs []evalDoc) (searcher, error) {
	idx, err := index.Open(dir, slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, err
	}
	o := &ours{idx: idx, byURL: make(map[string]string, len(docs))}
	batch := make([]stichwort.Document, len(docs))
	for i, d := range docs {
		batch[i] = d.Doc // Put fills in ID and cleans tags in its copy
		o.byURL[d.Doc.URL] = d.ID
	}
	if err := idx.Put(ctx, batch); err != nil {
		idx.Close()
		return nil, err
	}
	return o, nil
}

func (o *ours) Search(ctx context.Context, q Query, n int) ([]string, error) {
	res, err := o.idx.Search(ctx, index.Request{Query: q.Q, Tags: q.Tags, Size: n})
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		ids = append(ids, judgedID(o.byURL, h.URL))
	}
	return ids, nil
}

func (o *ours) Close() error { return o.idx.Close() }

// judgedID maps a hit's URL back to the judged id; a URL outside the corpus
// (which would be a bug) keeps its URL, so it counts as irrelevant and shows
// in the report.
func judgedID(byURL map[string]string, u string) string {
	if id, ok := byURL[u]; ok {
		return id
	}
	return u
}

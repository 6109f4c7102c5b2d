package main

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // the pure-Go "sqlite" driver

	"stichwort"
)

// The SQLite baseline: an FTS5 table of title, lead and body with the
// unicode61 tokenizer folding diacritics (no stemming, no decompounding),
// the facet fields in an ordinary table and the Stichwörter in a third,
// written in transactions of 1000 documents. Facets are GROUP BY counts
// over the matches.

const fts5Schema = `
CREATE VIRTUAL TABLE docs USING fts5(title, lead, body, tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE meta (id INTEGER PRIMARY KEY, url TEXT NOT NULL, type TEXT NOT NULL, source TEXT NOT NULL, year INTEGER, date TEXT);
CREATE TABLE tags (doc INTEGER NOT NULL, key TEXT NOT NULL, tag TEXT NOT NULL);
CREATE INDEX tags_key ON tags (key, doc);
CREATE INDEX tags_doc ON tags (doc);
`

func fts5Path(dir string) string { return filepath.Join(dir, "fts5.db") }

func indexFTS5(ctx context.Context, corpus, dir string, beforeClose func()) (indexResult, error) {
	db, err := sql.Open("sqlite", fts5Path(dir))
	if err != nil {
		return indexResult{}, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, fts5Schema); err != nil {
		return indexResult{}, fmt.Errorf("fts5 schema: %w", err)
	}
	id := 0
	write := func(docs []stichwort.Document) error {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		insDoc, err := tx.PrepareContext(ctx, `INSERT INTO docs (rowid, title, lead, body) VALUES (?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		insMeta, err := tx.PrepareContext(ctx, `INSERT INTO meta (id, url, type, source, year, date) VALUES (?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		insTag, err := tx.PrepareContext(ctx, `INSERT INTO tags (doc, key, tag) VALUES (?, ?, ?)`)
		if err != nil {
			return err
		}
		for _, d := range docs {
			id++
			if _, err := insDoc.ExecContext(ctx, id, d.Title, d.Lead, d.Body); err != nil {
				return err
			}
			var year any
			date := ""
			if !d.Date.IsZero() {
				year, date = d.Date.Year(), d.Date.Format("2006-01-02")
			}
			if _, err := insMeta.ExecContext(ctx, id, d.URL, d.Type, d.Source, year, date); err != nil {
				return err
			}
			for _, t := range d.Tags {
				if _, err := insTag.ExecContext(ctx, id, stichwort.TagKey(t), t); err != nil {
					return err
				}
			}
		}
		return tx.Commit()
	}
	in, wait := batches(ctx, corpus, importBatch)
	for docs := range in {
		if err := write(docs); err != nil {
			for range in {
			}
			return indexResult{}, fmt.Errorf("fts5: %w", err)
		}
	}
	st, err := wait()
	if err != nil {
		return indexResult{}, err
	}
	if beforeClose != nil {
		beforeClose()
	}
	return indexResult{corpusStats: st}, db.Close()
}

// fts5Searcher answers like the others: ten hits ranked by bm25 with URL,
// title and a body snippet, the total, and GROUP BY counts of type, year
// and Stichwörter over all matches; a Stichwort filter is a subquery on
// the tags table.
type fts5Searcher struct {
	db *sql.DB
	// statements without and with a Stichwort filter
	hits, types, years, tags [2]*sql.Stmt
}

func openFTS5(dir string, conns int) (*fts5Searcher, error) {
	db, err := sql.Open("sqlite", fts5Path(dir))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	s := &fts5Searcher{db: db}
	// The unary + keeps SQLite from handing the rowid list to FTS5 as a
	// constraint: FTS5 would then evaluate the MATCH once per tagged
	// document (100 times slower at 2,000 documents).
	const filter = ` AND +docs.rowid IN (SELECT doc FROM tags t WHERE t.key = ?2)`
	prep := func(dst *[2]*sql.Stmt, head, tail string) error {
		for i, f := range []string{"", filter} {
			st, err := db.Prepare(head + f + tail)
			if err != nil {
				return fmt.Errorf("fts5: prepare: %w", err)
			}
			dst[i] = st
		}
		return nil
	}
	err = prep(&s.hits, `SELECT meta.url, docs.title, snippet(docs, 2, '<mark>', '</mark>', '…', 16)
		FROM docs JOIN meta ON meta.id = docs.rowid WHERE docs MATCH ?1`, ` ORDER BY docs.rank LIMIT 10`)
	if err == nil {
		err = prep(&s.types, `SELECT meta.type, count(*) FROM docs JOIN meta ON meta.id = docs.rowid WHERE docs MATCH ?1`, ` GROUP BY meta.type`)
	}
	if err == nil {
		err = prep(&s.years, `SELECT meta.year, count(*) FROM docs JOIN meta ON meta.id = docs.rowid WHERE docs MATCH ?1`, ` GROUP BY meta.year`)
	}
	if err == nil {
		err = prep(&s.tags, `SELECT tags.tag, count(*) FROM docs JOIN tags ON tags.doc = docs.rowid WHERE docs MATCH ?1`,
			` GROUP BY tags.tag ORDER BY 2 DESC LIMIT 50`)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// fts5Match writes the query words as an FTS5 expression: each a quoted
// string (so no word is read as an operator), ANDed.
func fts5Match(words []string) string {
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
	}
	return strings.Join(parts, " AND ")
}

func (s *fts5Searcher) search(ctx context.Context, q benchQuery) (int, error) {
	args := []any{fts5Match(q.Words)}
	k := 0
	if q.Tag != "" {
		args, k = append(args, stichwort.TagKey(q.Tag)), 1
	}
	drain := func(st *sql.Stmt, each func(*sql.Rows) error) error {
		rows, err := st.QueryContext(ctx, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := each(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	var url, title, snippet, value string
	var count int
	total := 0
	if err := drain(s.hits[k], func(r *sql.Rows) error { return r.Scan(&url, &title, &snippet) }); err != nil {
		return 0, fmt.Errorf("fts5: hits: %w", err)
	}
	if err := drain(s.types[k], func(r *sql.Rows) error { err := r.Scan(&value, &count); total += count; return err }); err != nil {
		return 0, fmt.Errorf("fts5: types: %w", err)
	}
	var year sql.NullInt64
	if err := drain(s.years[k], func(r *sql.Rows) error { return r.Scan(&year, &count) }); err != nil {
		return 0, fmt.Errorf("fts5: years: %w", err)
	}
	if err := drain(s.tags[k], func(r *sql.Rows) error { return r.Scan(&value, &count) }); err != nil {
		return 0, fmt.Errorf("fts5: tags: %w", err)
	}
	return total, nil
}

func (s *fts5Searcher) Close() error {
	for _, sts := range [][2]*sql.Stmt{s.hits, s.types, s.years, s.tags} {
		for _, st := range sts {
			st.Close()
		}
	}
	return s.db.Close()
}

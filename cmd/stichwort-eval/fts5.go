package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver

	"stichwort"
)

// fts5 is the SQLite baseline: FTS5 with the unicode61 tokenizer folding
// diacritics (ä → a, so "Föderalismus" is "foderalismus", but "ß" stays and
// nothing is stemmed or split). Query words are ANDed across the columns,
// quoted phrases kept, ranked by bm25 with the same field weights as ours.
type fts5 struct {
	db *sql.DB
}

const fts5Schema = `CREATE VIRTUAL TABLE docs USING fts5(
	slug UNINDEXED, title, lead, body, tags,
	tokenize = "unicode61 remove_diacritics 2")`

// fts5Rank weighs the columns slug, title, lead, body, tags.
const fts5Rank = `bm25(docs, 0.0, 3.0, 2.0, 1.0, 1.0)`

func openFTS5(ctx context.Context, dir string, docs []evalDoc) (searcher, error) {
	db, err := sql.Open("sqlite", dir+".db")
	if err != nil {
		return nil, err
	}
	if err := loadFTS5(ctx, db, docs); err != nil {
		db.Close()
		return nil, err
	}
	return &fts5{db: db}, nil
}

func loadFTS5(ctx context.Context, db *sql.DB, docs []evalDoc) error {
	if _, err := db.ExecContext(ctx, fts5Schema); err != nil {
		return fmt.Errorf("create table: %w", err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, d := range docs {
		_, err := tx.ExecContext(ctx, `INSERT INTO docs (slug, title, lead, body, tags) VALUES (?, ?, ?, ?, ?)`,
			d.ID, d.Doc.Title, d.Doc.Lead, d.Doc.Body, strings.Join(d.Doc.Tags, ", "))
		if err != nil {
			return fmt.Errorf("insert %s: %w", d.ID, err)
		}
	}
	return tx.Commit()
}

func (s *fts5) Search(ctx context.Context, q Query, n int) ([]string, error) {
	expr := matchExpr(q)
	if expr == "" {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx,
		`SELECT slug FROM docs WHERE docs MATCH ? ORDER BY `+fts5Rank+`, slug LIMIT ?`, expr, n)
	if err != nil {
		return nil, fmt.Errorf("match %s: %w", expr, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func (s *fts5) Close() error { return s.db.Close() }

// matchExpr writes q as an FTS5 MATCH expression: every word and phrase as
// a quoted string (so "KI-Verordnung" is the phrase "ki verordnung" and no
// word is read as an operator), ANDed, and each tag as a phrase that the
// tags column must contain. It returns "" when q has no words.
func matchExpr(q Query) string {
	words, phrases := queryTerms(q.Q)
	var parts []string
	for _, t := range append(words, phrases...) {
		parts = append(parts, fts5String(t))
	}
	if len(parts) == 0 {
		return ""
	}
	for _, t := range q.Tags {
		parts = append(parts, "tags : "+fts5String(stichwort.TagKey(t)))
	}
	return strings.Join(parts, " AND ")
}

func fts5String(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

package urlnorm

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strings"
)

// Errors returned by Parse and Resolve.
var (
	// ErrScheme means the URL is not http or https (mailto:, javascript:, ftp: …).
	ErrScheme = errors.New("urlnorm: not an http or https url")
	// ErrNoHost means the URL has no host.
	ErrNoHost = errors.New("urlnorm: no host")
)

// trackingParams are query parameters that identify a campaign or a click,
// never the content; they are dropped. Parameters starting with "utm_" are
// dropped as well.
var trackingParams = map[string]bool{
	"fbclid":  true,
	"gclid":   true,
	"dclid":   true,
	"msclkid": true,
	"mc_cid":  true,
	"mc_eid":  true,
	"yclid":   true,
	"_ga":     true,
}

// Parse parses an absolute URL and normalises it.
func Parse(raw string) (*url.URL, error) {
	return Resolve(nil, raw)
}

// Resolve resolves ref (a link as written in a page) against base and
// normalises the result. base may be nil when ref is absolute.
func Resolve(base *url.URL, ref string) (*url.URL, error) {
	ref = strings.TrimSpace(ref)
	u, err := url.Parse(ref)
	if err != nil {
		return nil, fmt.Errorf("urlnorm: parse %q: %w", ref, err)
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	return Normalize(u)
}

// Normalize returns a normalised copy of u. u must be absolute.
func Normalize(u *url.URL) (*url.URL, error) {
	n := *u
	n.Scheme = strings.ToLower(n.Scheme)
	if n.Scheme != "http" && n.Scheme != "https" {
		return nil, fmt.Errorf("%w: %q", ErrScheme, u.Scheme)
	}
	n.User = nil
	n.Opaque = ""
	n.Fragment = ""
	n.RawFragment = ""
	n.ForceQuery = false

	host := strings.ToLower(n.Hostname())
	host = strings.TrimRight(host, ".")
	if host == "" {
		return nil, ErrNoHost
	}
	port := n.Port()
	if (n.Scheme == "http" && port == "80") || (n.Scheme == "https" && port == "443") {
		port = ""
	}
	if port != "" {
		n.Host = net.JoinHostPort(host, port)
	} else if strings.Contains(host, ":") {
		n.Host = "[" + host + "]"
	} else {
		n.Host = host
	}

	if n.Path == "" {
		n.Path = "/"
		n.RawPath = ""
	}
	n.RawQuery = normalizeQuery(n.RawQuery)
	return &n, nil
}

// normalizeQuery drops tracking parameters and sorts the rest by key, keeping
// the order of repeated keys. Parameters are re-encoded only when the raw
// query parses; a query that does not is kept as it is rather than mangled.
func normalizeQuery(raw string) string {
	if raw == "" {
		return ""
	}
	type pair struct {
		k, v  string
		hasEq bool
	}
	var pairs []pair
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		k, v, eq := strings.Cut(part, "=")
		dk, err := url.QueryUnescape(k)
		if err != nil {
			return raw
		}
		dv, err := url.QueryUnescape(v)
		if err != nil {
			return raw
		}
		lk := strings.ToLower(dk)
		if trackingParams[lk] || strings.HasPrefix(lk, "utm_") {
			continue
		}
		pairs = append(pairs, pair{dk, dv, eq})
	}
	sort.SliceStable(pairs, func(i, j int) bool { return pairs[i].k < pairs[j].k })
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(p.k))
		if p.hasEq {
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(p.v))
		}
	}
	return b.String()
}

// HostKey is the key the crawler uses for one web server: the normalised
// host with its port (default ports dropped), e.g. "example.org" or
// "127.0.0.1:8080".
func HostKey(u *url.URL) string {
	return u.Host
}

// Source is the host name without port, lower case: the Document.Source of
// a page at u.
func Source(u *url.URL) string {
	return strings.ToLower(u.Hostname())
}

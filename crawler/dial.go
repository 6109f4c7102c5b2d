package crawler

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"syscall"

	"stichwort/crawler/urlnorm"
)

// dialGuard refuses connections to non-public addresses unless allowed.
//
// The rule (issue 3): a connection to a loopback, private (RFC 1918, ULA),
// link-local, CGNAT or unspecified address is refused unless
// Config.AllowPrivate is set or a seed itself is on an address of that kind
// (as the seed's host resolved when the Run started). So a crawl seeded on
// 127.0.0.1 may fetch PDFs from another loopback port (a test or intranet
// set-up), but a crawl of public sites can never be steered by a link, a
// redirect or a DNS answer to 127.0.0.1:6379 or 10.0.0.1. The check sees
// the resolved IP at dial time, so neither DNS names nor redirects get
// around it.
type dialGuard struct {
	allowAll bool
	mu       sync.RWMutex
	allowed  map[addrKind]bool
}

// addrKind classifies non-public addresses.
type addrKind int

const (
	kindPublic addrKind = iota
	kindLoopback
	kindPrivate
	kindLinkLocal
	kindCGNAT
	kindOther // unspecified, multicast, reserved
)

var cgnat = netip.MustParsePrefix("100.64.0.0/10")

func kindOf(a netip.Addr) addrKind {
	a = a.Unmap()
	switch {
	case a.IsLoopback():
		return kindLoopback
	case a.IsPrivate():
		return kindPrivate
	case a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast():
		return kindLinkLocal
	case cgnat.Contains(a):
		return kindCGNAT
	case a.IsGlobalUnicast():
		return kindPublic
	}
	return kindOther
}

// allowSeeds resolves the seeds' hosts and allows the kinds of non-public
// addresses they are on.
func (g *dialGuard) allowSeeds(ctx context.Context, seeds []string) error {
	allowed := make(map[addrKind]bool)
	for _, s := range seeds {
		u, err := urlnorm.Parse(s)
		if err != nil {
			return fmt.Errorf("crawler: seed %q: %w", s, err)
		}
		var addrs []netip.Addr
		if a, err := netip.ParseAddr(u.Hostname()); err == nil {
			addrs = []netip.Addr{a}
		} else if addrs, err = net.DefaultResolver.LookupNetIP(ctx, "ip", u.Hostname()); err != nil {
			// An unresolvable seed simply fails when fetched.
			continue
		}
		for _, a := range addrs {
			if k := kindOf(a); k != kindPublic {
				allowed[k] = true
			}
		}
	}
	g.mu.Lock()
	g.allowed = allowed
	g.mu.Unlock()
	return nil
}

// control is a net.Dialer.Control function.
func (g *dialGuard) control(_, address string, _ syscall.RawConn) error {
	if g.allowAll {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: unparsable address %q", ErrPrivateAddress, address)
	}
	k := kindOf(ap.Addr())
	if k == kindPublic {
		return nil
	}
	g.mu.RLock()
	ok := g.allowed[k]
	g.mu.RUnlock()
	if !ok {
		return fmt.Errorf("%w: %s", ErrPrivateAddress, address)
	}
	return nil
}

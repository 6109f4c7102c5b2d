package crawler

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"syscall"

	"stichwort/crawler/urlnorm"
)

// dialGuard refuses connections to non-public addresses unless allowed.
//
// The rule: a connection to a loopback, private (RFC 1918, ULA), link-local,
// CGNAT or unspecified address is allowed only if Config.AllowPrivate is set
// or the address and port are those of a seed (as the seed's host resolved
// when the Run started). So crawling a test site on 127.0.0.1:8080 works,
// but a link or redirect to 127.0.0.1:6379, to localhost on another port or
// to 10.0.0.1 is refused. The check sees the resolved IP at dial time, so
// neither DNS names pointing to private addresses nor redirects get around
// it.
type dialGuard struct {
	allowAll bool
	mu       sync.RWMutex
	allowed  map[netip.AddrPort]bool
}

// allowSeeds resolves the seeds' hosts and allows their private endpoints.
func (g *dialGuard) allowSeeds(ctx context.Context, seeds []string) error {
	allowed := make(map[netip.AddrPort]bool)
	for _, s := range seeds {
		u, err := urlnorm.Parse(s)
		if err != nil {
			return fmt.Errorf("crawler: seed %q: %w", s, err)
		}
		port := u.Port()
		if port == "" {
			port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
		}
		p, err := strconv.ParseUint(port, 10, 16)
		if err != nil {
			return fmt.Errorf("crawler: seed %q: port: %w", s, err)
		}
		var addrs []netip.Addr
		if a, err := netip.ParseAddr(u.Hostname()); err == nil {
			addrs = []netip.Addr{a}
		} else if addrs, err = net.DefaultResolver.LookupNetIP(ctx, "ip", u.Hostname()); err != nil {
			// An unresolvable seed simply fails when fetched.
			continue
		}
		for _, a := range addrs {
			allowed[netip.AddrPortFrom(a.Unmap(), uint16(p))] = true
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
	ap = netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
	if isPublic(ap.Addr()) {
		return nil
	}
	g.mu.RLock()
	ok := g.allowed[ap]
	g.mu.RUnlock()
	if !ok {
		return fmt.Errorf("%w: %s", ErrPrivateAddress, address)
	}
	return nil
}

var cgnat = netip.MustParsePrefix("100.64.0.0/10")

func isPublic(a netip.Addr) bool {
	return a.IsGlobalUnicast() && !a.IsPrivate() && !cgnat.Contains(a)
}

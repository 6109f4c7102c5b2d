package alerts

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
)

// cgnat is the shared address space of carrier-grade NAT (RFC 6598).
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// public reports whether a is an address a webhook may be delivered to:
// a global unicast address that is not private (RFC 1918, ULA), shared
// (CGNAT) or loopback. Link-local, multicast and unspecified addresses are
// not global unicast.
func public(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsGlobalUnicast() && !a.IsPrivate() && !a.IsLoopback() && !cgnat.Contains(a)
}

// dialControl is a net.Dialer.Control function that refuses non-public
// addresses. It sees the address actually dialled, after DNS and on every
// redirect, so neither a name that resolves to 127.0.0.1 nor a redirect to
// 10.0.0.1 gets around it.
func dialControl(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: unparsable address %q", ErrForbiddenAddress, address)
	}
	if !public(ap.Addr()) {
		return fmt.Errorf("%w: %s", ErrForbiddenAddress, address)
	}
	return nil
}

// checkWebhookHost refuses, early and with a clear error, a webhook whose
// host is a non-public IP address or a name reserved for loopback
// ("localhost"). Other names are judged at dial time.
func checkWebhookHost(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrForbiddenAddress, err)
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return fmt.Errorf("%w: %s", ErrForbiddenAddress, host)
	}
	if a, err := netip.ParseAddr(host); err == nil && !public(a) {
		return fmt.Errorf("%w: %s", ErrForbiddenAddress, host)
	}
	// Forms like "2130706433" or "0x7f.1" that some resolvers read as IPv4.
	if ip := net.ParseIP(host); ip == nil && looksNumeric(host) {
		return fmt.Errorf("%w: %s", ErrForbiddenAddress, host)
	}
	return nil
}

// looksNumeric reports whether every label of host is a number, the way
// inet_aton reads "127.1" or "0x7f000001".
func looksNumeric(host string) bool {
	if host == "" {
		return false
	}
	for _, label := range strings.Split(host, ".") {
		if label == "" {
			return false
		}
		digits := "0123456789"
		if hex, ok := strings.CutPrefix(label, "0x"); ok {
			label, digits = hex, "0123456789abcdef"
		}
		if label == "" || strings.Trim(label, digits) != "" {
			return false
		}
	}
	return true
}

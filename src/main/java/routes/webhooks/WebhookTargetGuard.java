package routes.webhooks;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Keeps webhooks from reaching internal hosts (SSRF), in two places. {@link #check} judges the URL before
 * a delivery: https (http only with {@code allow-http}), a host, no user info. {@link #resolve} is the
 * webhook HTTP client's DNS resolver (WebhookHttpClient), so the addresses judged are the ones the
 * connection uses: a name that resolves to a public address for a check and to 127.0.0.1 a moment
 * later cannot get through. Refused unless {@code allow-private-targets}: loopback, link-local,
 * private and unique-local ranges, CGNAT, benchmarking 198.18/15, NAT64 64:ff9b::/96 and
 * IPv4-compatible or IPv4-mapped IPv6 (they can carry any of the former). Always refused:
 * 0.0.0.0/8 (Linux connects 0.0.0.0 to the local host), 240.0.0.0/4 and multicast.
 */
@Component
public class WebhookTargetGuard implements DnsResolver {

    private final boolean allowPrivateTargets;
    private final boolean allowHttp;
    private final DnsResolver dns;

    @Autowired
    public WebhookTargetGuard(WebhookProperties properties) {
        this(properties, SystemDefaultDnsResolver.INSTANCE);
    }

    /** @param dns where names are looked up (tests give a name two answers, as a rebinding server would) */
    WebhookTargetGuard(WebhookProperties properties, DnsResolver dns) {
        this.allowPrivateTargets = properties.allowPrivateTargets();
        this.allowHttp = properties.allowHttp();
        this.dns = dns;
    }

    /**
     * Judges the URL's form; its addresses are judged when the connection resolves the host. Parsing
     * with {@link URI} also refuses raw braces, so a URL can never carry a {{property placeholder}}
     * that the http component would resolve.
     */
    public void check(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            throw new ForbiddenWebhookTarget("not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            throw new ForbiddenWebhookTarget("scheme must be " + (allowHttp ? "http or https" : "https") + ", was '" + scheme + "'");
        }
        if (uri.getHost() == null) {
            throw new ForbiddenWebhookTarget("URL has no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new ForbiddenWebhookTarget("URL carries user info");
        }
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        InetAddress[] addresses = dns.resolve(host);
        for (InetAddress address : addresses) {
            if (neverATarget(address) || (!allowPrivateTargets && isInternal(address))) {
                UnknownHostException refused = new UnknownHostException(host + " resolves to an address webhooks never call");
                refused.initCause(new ForbiddenWebhookTarget("host resolves to an address webhooks never call: " + address.getHostAddress()));
                throw refused;
            }
        }
        return addresses;
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        return dns.resolveCanonicalHostname(host);
    }

    static boolean neverATarget(InetAddress address) {
        byte[] b = address.getAddress();
        boolean thisNetwork = b.length == 4 && b[0] == 0;
        boolean reserved = b.length == 4 && (b[0] & 0xf0) == 0xf0;
        return thisNetwork || reserved || address.isAnyLocalAddress() || address.isMulticastAddress();
    }

    static boolean isInternal(InetAddress address) {
        byte[] b = address.getAddress();
        boolean carrierGradeNat = b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
        boolean benchmarking = b.length == 4 && (b[0] & 0xff) == 198 && (b[1] & 0xfe) == 18;
        boolean uniqueLocalV6 = b.length == 16 && (b[0] & 0xfe) == 0xfc;
        return address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || carrierGradeNat || benchmarking || uniqueLocalV6 || embedsIpv4(b);
    }

    /** IPv4-compatible ::a.b.c.d, IPv4-mapped ::ffff:a.b.c.d (as an {@link Inet6Address}) and NAT64 64:ff9b::a.b.c.d. */
    private static boolean embedsIpv4(byte[] b) {
        if (b.length != 16) {
            return false;
        }
        boolean zeroPrefix = true;
        for (int i = 0; i < 10; i++) {
            zeroPrefix &= b[i] == 0;
        }
        boolean compatibleOrMapped = zeroPrefix && ((b[10] == 0 && b[11] == 0) || (b[10] == (byte) 0xff && b[11] == (byte) 0xff));
        boolean nat64 = b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b;
        for (int i = 4; i < 12; i++) {
            nat64 &= b[i] == 0;
        }
        return compatibleOrMapped || nat64;
    }
}
